"""Does ``influence`` find the right people? Validation on real organizations.

For every network in ``bench/data/`` (public organizational networks with recorded formal
status, converted by ``bench/data/convert.py``; sources in ``bench/README.md``) this
loads the data with the library's defaults, ranks the people and measures how well each
score recovers formal status (``status`` = 1 in ``people.csv``; people of unknown status
are left out of the measurement, not of the analysis):

- ROC AUC: the probability that a random senior person scores above a random other one
  (ties count one half; Hanley & McNeil 1982), and
- precision@10 and @20: the share of senior people among the top 10 / 20 (equal scores
  ordered by id, as the library ranks them).

Scores: ``influence`` and every single component the influencers table reports, plus
plain baselines computed here from the raw tables in the same run: ``in_degree`` (distinct
people who contact a person: write to them, or name them as advisor or friend),
``out_degree`` (distinct people a person contacts), ``messages`` (events a person takes
part in, or relationships they are in) and ``pagerank_undirected`` (PageRank, 0.85, of the
unweighted undirected contact graph).

The composite is checked against two conditions (issue #13): on every network its AUC is
within :data:`MARGIN` of the best single score, and its mean AUC over the networks is at
least the mean AUC of every single score. ``make validity`` prints the table and exits
non-zero if a condition fails.

Usage::

    .venv/bin/python bench/validity.py [--holdout DIR ...] [--as-markdown]

``--holdout DIR`` adds networks that are not in the repository (convert them with
``bench/data/convert.py RAW OUT``); they are reported but not part of the two conditions
(they check the one default, never tune it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

import influence
from influence.graph.ties import SENDER_ROLES

DATA = Path(__file__).parent / "data"
NETWORKS = ["enron", "lazega", "krackhardt", "consulting", "manufacturing"]
#: The composite must be within this AUC of the best single score on every network.
MARGIN = 0.03
COMPONENTS = ["pagerank", "betweenness", "eigenvector", "closeness", "degree"]
BASELINES = ["in_degree", "out_degree", "messages", "pagerank_undirected"]


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """ROC AUC by the Mann–Whitney statistic, equal scores counted one half."""
    score = np.asarray(score, float)
    positive = np.asarray(positive, bool)
    ranks = pd.Series(score).rank(method="average").to_numpy()
    n1, n0 = positive.sum(), (~positive).sum()
    return float((ranks[positive].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def precision_at(score: np.ndarray, positive: np.ndarray, ids: np.ndarray, k: int) -> float:
    """Share of positives among the ``k`` highest scores (equal scores by id)."""
    order = sorted(range(len(score)), key=lambda i: (-score[i], str(ids[i])))
    top = order[: min(k, len(order))]
    return float(np.mean(np.asarray(positive, bool)[top]))


def contacts(folder: Path, people: pd.DataFrame) -> pd.DataFrame:
    """Every contact ``a -> b`` (a writes to b, or a names b), with one row per
    (event or relationship, pair): columns ``a, b, ref``.

    E-mail: sender to each recipient. Other events: every ordered pair of participants.
    Directed relationships (``source`` influences ``target``, e.g. advises): the target
    contacts the source (seeks them out). Undirected ones: both ways.
    """
    rows = []
    rel_path, ev_path = folder / "relationships.csv", folder / "participants.csv"
    if rel_path.exists():
        r = pd.read_csv(rel_path, dtype=str, keep_default_na=False)
        directed = r["directed"].str.lower() == "true"
        rows.append(
            pd.DataFrame({"a": r["target"], "b": r["source"], "ref": "r" + r.index.astype(str)})
        )
        und = r[~directed]
        rows.append(
            pd.DataFrame(
                {"a": und["source"], "b": und["target"], "ref": "r" + und.index.astype(str)}
            )
        )
    if ev_path.exists():
        p = pd.read_csv(ev_path, dtype=str, keep_default_na=False)
        sender = p["role"].isin(SENDER_ROLES)
        has_sender = p.groupby("event_id")["role"].transform(lambda r: r.isin(SENDER_ROLES).any())
        mail = p[has_sender]
        s = mail[sender[has_sender]][["event_id", "person_id"]]
        t = mail[~sender[has_sender]][["event_id", "person_id"]]
        pairs = s.merge(t, on="event_id", suffixes=("_a", "_b"))
        rows.append(
            pd.DataFrame(
                {"a": pairs["person_id_a"], "b": pairs["person_id_b"], "ref": pairs["event_id"]}
            )
        )
        other = p[~has_sender][["event_id", "person_id"]]
        both = other.merge(other, on="event_id", suffixes=("_a", "_b"))
        both = both[both["person_id_a"] != both["person_id_b"]]
        rows.append(
            pd.DataFrame(
                {"a": both["person_id_a"], "b": both["person_id_b"], "ref": both["event_id"]}
            )
        )
    c = pd.concat(rows, ignore_index=True)
    known = set(people["id"])
    return c[c["a"].isin(known) & c["b"].isin(known) & (c["a"] != c["b"])]


def baselines(folder: Path, people: pd.DataFrame) -> pd.DataFrame:
    """The plain baseline scores of every person (see the module docstring)."""
    c = contacts(folder, people)
    ids = people["id"]
    pairs = c[["a", "b"]].drop_duplicates()
    refs = pd.concat(
        [
            c[["a", "ref"]].set_axis(["p", "ref"], axis=1),
            c[["b", "ref"]].set_axis(["p", "ref"], axis=1),
        ]
    )
    u = nx.Graph()
    u.add_nodes_from(ids)
    u.add_edges_from(pairs.itertuples(index=False, name=None))
    pr = nx.pagerank(u, alpha=0.85)
    return pd.DataFrame(
        {
            "in_degree": pairs.groupby("b").size().reindex(ids).fillna(0).to_numpy(),
            "out_degree": pairs.groupby("a").size().reindex(ids).fillna(0).to_numpy(),
            "messages": refs.drop_duplicates()
            .groupby("p")
            .size()
            .reindex(ids)
            .fillna(0)
            .to_numpy(),
            "pagerank_undirected": [pr[i] for i in ids],
        },
        index=pd.Index(ids, name="id"),
    )


def scores(folder: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """Every score of every person of known status on the network in ``folder`` (one
    column per score, indexed by id) and whether each is senior."""
    people = pd.read_csv(folder / "people.csv", dtype={"id": str, "status": "Int64"})
    ds = influence.load(folder)
    (name,) = ds.accounts
    table = ds.account(name).influencers().set_index("id")
    table = table[table["rank"].notna()]
    frame = table[["influence", *COMPONENTS]].astype(float)
    frame = frame.join(baselines(folder, people), how="left").fillna(0.0)
    status = people.set_index("id")["status"].reindex(frame.index)
    known = status.notna().to_numpy()
    return frame[known], status[known].astype(bool).to_numpy()


def evaluate(folder: Path) -> pd.DataFrame:
    """One row per score: ``auc, p@10, p@20`` of formal status on the network in ``folder``."""
    frame, positive = scores(folder)
    ids = frame.index.to_numpy()
    out = {}
    for col in frame.columns:
        x = frame[col].to_numpy(float)
        out[col] = {
            "auc": auc(x, positive),
            "p@10": precision_at(x, positive, ids, 10),
            "p@20": precision_at(x, positive, ids, 20),
        }
    result = pd.DataFrame(out).T
    result.attrs.update(people=len(frame), senior=int(positive.sum()))
    return result


def conditions(results: dict[str, pd.DataFrame]) -> dict[str, object]:
    """The two conditions on the composite: per network, ``influence`` AUC minus the best
    single score's AUC (>= -MARGIN); over the networks, ``influence`` mean AUC minus the
    best mean AUC of a single score (>= 0)."""
    aucs = pd.DataFrame({k: v["auc"] for k, v in results.items()})
    singles = aucs.drop(index="influence")
    gap = aucs.loc["influence"] - singles.max()
    mean = aucs.mean(axis=1)
    mean_gap = mean["influence"] - mean.drop("influence").max()
    return {
        "gap": gap,
        "best": singles.idxmax(),
        "mean": mean,
        "mean_gap": float(mean_gap),
        "each": bool((gap >= -MARGIN - 1e-12).all()),
        "on_average": bool(mean_gap >= -1e-12),
        "ok": bool((gap >= -MARGIN - 1e-12).all() and mean_gap >= -1e-12),
    }


def table(results: dict[str, pd.DataFrame]) -> str:
    """The Markdown table of the README: AUC (p@10, p@20) per score and network."""
    names = list(results)
    head = (
        "| score | "
        + " | ".join(
            f"{n} ({results[n].attrs['people']} people, {results[n].attrs['senior']} senior)"
            for n in names
        )
        + " | mean AUC |"
    )
    lines = [head, "|---|" + "---:|" * (len(names) + 1)]
    aucs = pd.DataFrame({k: v["auc"] for k, v in results.items()})
    for score in aucs.index:
        cells = []
        for n in names:
            r = results[n].loc[score]
            best = r["auc"] == aucs[n].max()
            a = f"**{r['auc']:.3f}**" if best else f"{r['auc']:.3f}"
            cells.append(f"{a} ({r['p@10']:.1f}, {r['p@20']:.2f})")
        lines.append(f"| `{score}` | " + " | ".join(cells) + f" | {aucs.loc[score].mean():.3f} |")
    return "\n".join(lines)


def run(folders: list[Path]) -> dict[str, pd.DataFrame]:
    return {f.name: evaluate(f) for f in folders}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--holdout", action="append", default=[], type=Path)
    args = ap.parse_args(argv)
    results = run([DATA / n for n in NETWORKS])
    print("AUC of formal status (precision@10, precision@20); bold: best on the network\n")
    print(table(results))
    c = conditions(results)
    print()
    for n in results:
        print(
            f"{n}: influence - best single ({c['best'][n]}) = {c['gap'][n]:+.3f}"
            f" (need >= -{MARGIN})"
        )
    print(
        f"mean: influence - best single mean ({c['mean'].drop('influence').idxmax()})"
        f" = {c['mean_gap']:+.3f} (need >= 0)"
    )
    print("within the margin on every network:", "holds" if c["each"] else "FAILS")
    print(
        "at least as good as every single score on average:",
        "holds" if c["on_average"] else "FAILS",
    )
    print("composite conditions:", "hold" if c["ok"] else "FAIL")
    if args.holdout:
        held = run(args.holdout)
        print("\nHoldout networks (not in the repository; not part of the conditions)\n")
        print(table(held))
        h = conditions(held)
        for n in held:
            print(f"{n}: influence - best single ({h['best'][n]}) = {h['gap'][n]:+.3f}")
    return 0 if c["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
