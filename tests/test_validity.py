"""Directed attention, time-respecting degree, activity columns and the validity harness."""

import importlib.util
import math
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
import scipy.stats
from datasets import write_tables

import influence
from influence.analysis.centrality import influence_metrics
from influence.analysis.influencers import influencers
from influence.defaults import HALF_LIFE_DAYS, INTERACTION_CEILING, TIE_FLOOR
from influence.graph.ties import TieConfig, coded_ties, contributions, person_graph, tie_table
from influence.io import read_dataset

ROOT = Path(__file__).resolve().parents[1]


def _harness():
    spec = importlib.util.spec_from_file_location("validity", ROOT / "bench" / "validity.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _mail(events, parts, eid, date, sender, recipients):
    events.append({"id": eid, "date": date, "type": "email"})
    parts.append({"event_id": eid, "person_id": sender, "role": "sender"})
    parts += [{"event_id": eid, "person_id": r, "role": "recipient"} for r in recipients]


def test_the_person_sought_out_ranks_first(tmp_path):
    # Five people write to the boss, who writes to no one: the boss is sought out. With
    # purely directed mail (email_seeker_share 0, the advice convention) every e-mail
    # builds the tie recipient -> sender only.
    people = [{"id": p, "name": p, "account": "X"} for p in ["boss", "p1", "p2", "p3", "p4", "p5"]]
    events, parts = [], []
    for i, p in enumerate(["p1", "p2", "p3", "p4", "p5"]):
        _mail(events, parts, f"m{i}", "2024-05-01", p, ["boss"])
    _mail(events, parts, "m9", "2024-05-01", "p1", ["p2"])
    path = write_tables(tmp_path / "d", people=people, events=events, participants=parts)
    tables = read_dataset(path)
    directed = TieConfig(email_seeker_share=0.0)
    ties = coded_ties(tables, directed)[0]
    assert ties.equals(tie_table(contributions(tables, directed), directed))  # both paths
    pairs = set(zip(ties["source"], ties["target"]))
    assert pairs == {("boss", p) for p in ["p1", "p2", "p3", "p4", "p5"]} | {("p2", "p1")}
    # One one-way e-mail on the day: c = 0.3 * 0.5 (reciprocity floor), s = 0.9 (1 - e^(-c/2)).
    s = ties.set_index(["source", "target"])["strength"]
    assert s[("boss", "p3")] == pytest.approx(
        INTERACTION_CEILING * (1 - math.exp(-0.15 / 2)), abs=1e-12
    )
    inf = influencers(person_graph(tables.people, ties)).set_index("id")
    assert inf["rank"].idxmin() == "boss"
    assert inf.loc["boss", "degree"] == 1.0  # sought by all 5 others
    assert inf.loc["p2", "degree"] == pytest.approx(1 / 5)  # by p1 only
    assert inf.loc["p3", "degree"] == 0.0
    # Half-directed (0.5): the sender's side gets half the contribution.
    half = TieConfig(email_seeker_share=0.5)
    s = coded_ties(tables, half)[0].set_index(["source", "target"])["strength"]
    assert s[("p3", "boss")] == pytest.approx(
        INTERACTION_CEILING * (1 - math.exp(-0.075 / 2)), abs=1e-12
    )
    assert coded_ties(tables, half)[0].equals(tie_table(contributions(tables, half), half))


def test_a_silent_ceo_fades_out_of_degree(tmp_path):
    # Four people write to the CEO on 2024-01-02; then only the others keep writing.
    people = [{"id": p, "name": p, "account": "X"} for p in ["ceo", "a", "b", "c", "d"]]
    events, parts = [], []
    for i, p in enumerate("abcd"):
        _mail(events, parts, f"c{i}", "2024-01-02", p, ["ceo"])
    for k, day in enumerate(["2024-03-01", "2024-09-01", "2025-03-01", "2025-09-01"]):
        _mail(events, parts, f"x{k}", day, "a", ["b"])
        _mail(events, parts, f"y{k}", day, "b", ["a"])
    path = write_tables(tmp_path / "d", people=people, events=events, participants=parts)

    def ceo(as_of):
        acct = influence.load(path, as_of=as_of).account("X")
        return acct.influencers().set_index("id").loc["ceo"]

    # One one-way e-mail: c = 0.3 (e-mail) * 0.5 (reciprocity floor) * decay, and
    # s = ceiling * (1 - exp(-c / 2)). Alive (>= the floor) while 0.075 * 2^(-age/180) >~ 0.01.
    def strength(age):
        return INTERACTION_CEILING * (1 - math.exp(-0.3 * 0.5 * 2 ** (-age / HALF_LIFE_DAYS) / 2))

    early, late = ceo("2024-03-01"), ceo("2025-09-01")
    assert strength(59) >= TIE_FLOOR > strength(608)  # 2024-01-02 to 2024-03-01 / 2025-09-01
    assert early["degree"] == 1.0  # sought by all 4 others
    assert late["degree"] == 0.0  # every tie below the floor: faded out
    assert early["last_activity"] == late["last_activity"]
    assert str(late["last_activity"].date()) == "2024-01-02"
    assert early["days_silent"] == 59 and late["days_silent"] == 608
    # Every tie of the CEO is below the floor, so no metric counts it: the CEO is
    # isolated, like c and d, while a and b write to each other. Isolated nodes share
    # PageRank q and the pair gets p = q / (1 - 0.85) (each one's rank flows to the
    # other), so with degree and closeness 0 the CEO's influence is
    # 100 * (q / p) / 3 = 100 * 0.15 / 3 = 5, down from the top of the account.
    assert early["rank"] == 1
    assert late["closeness"] == 0.0 and late["influence"] == pytest.approx(5.0, abs=1e-6)
    assert late["rank"] > 2


def test_harness_measures_by_hand():
    v = _harness()
    # Positives 0.9 and 0.4 against negatives 0.5, 0.4, 0.1: pairs won 1+1+1, 0+0.5+1.
    assert v.auc(np.array([0.9, 0.4, 0.5, 0.4, 0.1]), np.array([1, 1, 0, 0, 0])) == pytest.approx(
        4.5 / 6
    )
    ids = np.array(["e", "d", "c", "b", "a"])
    # Top 2 by score, the tie at 0.4 broken by id ("b" before "d"): 0.9 (pos), 0.5 (neg).
    assert (
        v.precision_at(np.array([0.9, 0.4, 0.5, 0.4, 0.1]), np.array([1, 1, 0, 0, 0]), ids, 2)
        == 0.5
    )


@pytest.fixture(scope="module")
def results():
    v = _harness()
    return v, v.run([v.DATA / n for n in v.NETWORKS])


def test_harness_runs_on_the_committed_networks(results):
    v, res = results
    assert set(res) == {"enron", "lazega", "krackhardt", "consulting", "manufacturing"}
    for r in res.values():
        assert {"influence", *v.COMPONENTS, *v.BASELINES} <= set(r.index)
        assert ((r["auc"] >= 0) & (r["auc"] <= 1)).all()
    # Krackhardt: 21 managers, the CEO and 4 vice presidents (Krackhardt 1987).
    assert res["krackhardt"].attrs == {"people": 21, "senior": 5}
    # Lazega: 71 lawyers, 36 partners (Lazega 2001).
    assert res["lazega"].attrs == {"people": 71, "senior": 36}
    # Cross & Parker (2004, as described in tnet): 46 consultants and 77 members of a
    # research team; senior = the top two of the levels recorded in people.csv.
    for name, size in [("consulting", 46), ("manufacturing", 77)]:
        people = pd.read_csv(v.DATA / name / "people.csv")
        assert (people["status"] == (people["level"] <= 2)).all()
        assert res[name].attrs == {"people": size, "senior": int((people["level"] <= 2).sum())}
    # Direction: on the advice network, being sought (in-degree) tells status, seeking
    # (out-degree) does not.
    k = res["krackhardt"]["auc"]
    assert k["in_degree"] > 0.85 and k["out_degree"] < 0.5


def _auc(score, positive):
    """ROC AUC from scipy's Mann–Whitney U (ties count one half), independent of the
    harness's own rank-sum code."""
    positive = np.asarray(positive, bool)
    u = scipy.stats.mannwhitneyu(score[positive], score[~positive]).statistic
    return u / (positive.sum() * (~positive).sum())


@pytest.fixture(scope="module")
def aucs():
    v = _harness()
    out = {}
    for name in v.NETWORKS:
        frame, positive = v.scores(v.DATA / name)
        out[name] = {c: _auc(frame[c].to_numpy(float), positive) for c in frame.columns}
    return v, pd.DataFrame(out)


def test_composite_within_margin_of_the_best_single_score_on_every_network(aucs):
    # Issue #13: on every network, influence is within 0.03 AUC of the best single score
    # (its components and the plain baselines). No single score is best everywhere.
    v, a = aucs
    singles = a.drop(index="influence")
    assert set(singles.index) == {*v.COMPONENTS, *v.BASELINES}
    gap = a.loc["influence"] - singles.max()
    assert (gap >= -v.MARGIN).all(), gap
    assert singles.idxmax()["enron"] != singles.idxmax()["lazega"]
    # The composite does better than the old fixed weighting of all five components
    # (0.30 PageRank, 0.20 betweenness, 0.20 eigenvector, 0.15 closeness, 0.15 degree)
    # would on the mean of the networks.
    old = {"pagerank": 0.30, "betweenness": 0.20, "eigenvector": 0.20, "closeness": 0.15}
    old["degree"] = 0.15
    old_mean = []
    for name in v.NETWORKS:
        frame, positive = v.scores(v.DATA / name)
        x = sum(w * frame[m] / frame[m].max() for m, w in old.items())
        old_mean.append(_auc(x.to_numpy(float), positive))
    assert a.loc["influence"].mean() > np.mean(old_mean)


def test_composite_at_least_as_good_as_every_single_score_on_average(aucs):
    # Issue #13: on the mean of the committed networks the composite is at least as good
    # as every single score. It held once Cross & Parker's two networks were added (the
    # rule to commit them was fixed before their results were seen), by a margin far
    # below the sampling error of a mean AUC: see the README.
    _, a = aucs
    mean = a.mean(axis=1)
    assert mean["influence"] >= mean.drop("influence").max()


def test_composite_is_the_mean_of_the_three_prestige_indices():
    # On an all-live, undirected, unit-strength graph the three prestige indices are
    # networkx's degree centrality, PageRank and closeness; betweenness and eigenvector
    # weigh nothing. Zachary's karate club.
    u = nx.karate_club_graph()
    g = nx.DiGraph()
    g.add_edges_from(u.edges, strength=1.0, distance=1.0)
    g.add_edges_from(((b, a) for a, b in u.edges), strength=1.0, distance=1.0)
    m = influence_metrics(g)
    pr = nx.pagerank(u, weight=None, tol=1e-14, max_iter=10_000)
    parts = [nx.degree_centrality(u), pr, nx.closeness_centrality(u)]
    want = {v: 100 * sum(p[v] / max(p.values()) for p in parts) / 3 for v in u}
    assert max(abs(m.loc[v, "influence"] - x) for v, x in want.items()) < 1e-6


def test_last_activity_and_days_silent_in_the_report_and_the_map(tmp_path):
    # a meets b on 2024-03-01; b meets c, and b meets our u, on 2024-04-10 (the as-of
    # date): a was last active 40 days before it, b and c on the day.
    import json
    import re

    people = [{"id": p, "name": p.upper(), "account": "X"} for p in "abc"]
    people.append({"id": "u", "name": "U", "account": "X", "internal": "true"})
    events, parts = [], []
    for eid, day, who in [("e1", "2024-03-01", "ab"), ("e2", "2024-04-10", "bc"),
                          ("e3", "2024-04-10", "bu")]:  # fmt: skip
        events.append({"id": eid, "date": day, "type": "meeting"})
        parts += [{"event_id": eid, "person_id": p, "role": ""} for p in who]
    path = write_tables(tmp_path / "d", people=people, events=events, participants=parts)
    acct = influence.load(path).account("X")
    inf = acct.influencers().set_index("id")
    assert inf.loc["a", "days_silent"] == 40 and inf.loc["b", "days_silent"] == 0
    files = acct.report_files(pd.DataFrame(), version="0")
    page = files["map.html"].decode("utf-8")
    data = json.loads(re.search(r'id="map-data">(.*?)</script>', page, re.S).group(1))
    shown = {p["id"]: (p["last_activity"], p["days_silent"]) for p in data["people"]}
    assert shown == {"a": ("2024-03-01", 40), "b": ("2024-04-10", 0),
                     "c": ("2024-04-10", 0), "u": ("2024-04-10", 0)}  # fmt: skip
    report = files["report.html"].decode("utf-8")
    top = re.search(r'<section id="top">(.*?)</section>', report, re.S).group(1)
    assert "<th>Last active</th>" in top
    silent = dict(re.findall(r"<td>([ABC])</td>.*?<td class=\"silent\">(.*?)</td>", top, re.S))
    assert silent == {"A": "40 days ago", "B": "today", "C": "today"}
