"""The interactive map's HTML, without a browser: self-contained, deterministic, escaped."""

from __future__ import annotations

import html
import json
import math
import random
import re
from pathlib import Path

import markupsafe
import numpy as np
import pandas as pd
import pytest

import influence
from influence.render import InfluenceMap, build_map
from influence.render.html import TEMPLATES, json_for_script

#: Text that would run script if any of it reached the page as markup, and non-Latin text.
EVIL = (
    "<script>window.__pwned=1</script>"
    '<img src=x onerror="window.__pwned=1">'
    "</script> \"' Zoë 李雷 Ωμέγα"
)


def small_inputs(text: str = "") -> dict:
    """Eight people (two on our team, one hidden influencer), nine ties, two events.

    ``text`` is prefixed to every CRM text field (names, titles, labels, coalitions,
    subjects, paths, engagement reasons, the account name) to test escaping. Ann Lee (a
    champion) and Bob Stone (a blocker) have a suggested engagement role; nobody else does.
    """
    t = text

    def person(pid, name, stance, role, influence, coalition, community, **kw):
        return {
            "id": pid,
            "name": t + name,
            "title": t + f"Title of {name}",
            "department": t + "Finance",
            "rank": None,
            "influence": influence,
            "pagerank": 0.1,
            "betweenness": 0.2,
            "eigenvector": 0.3,
            "closeness": 0.4,
            "degree": 0.5,
            "community": community,
            "coalition": (t + coalition) if coalition else "",
            "network_role": "broker",
            "hidden_influencer": False,
            "stance": stance,
            "buying_role": role,
            "internal": False,
            "strongest_internal_tie_name": t + "Tia Ward",
            "coverage_strength": 0.8,
            "last_contact": "2024-05-01",
            "suggested_role": "",
            "engagement_reason": "",
            **kw,
        }

    people = pd.DataFrame(
        [
            person(
                "p1",
                "Ann Lee",
                "champion",
                "Decision Maker",
                90.0,
                "Finance",
                0,
                rank=1,
                suggested_role="coach",
                engagement_reason=t + "Ann Lee is a champion who has to sell internally",
            ),
            person(
                "p2",
                "Bob Stone",
                "blocker",
                "Economic Buyer",
                70.0,
                "Ops",
                1,
                rank=2,
                hidden_influencer=True,
                suggested_role="evaluator",
                engagement_reason=t
                + "Bob Stone is a blocker: consider asking for "
                + t
                + "their decision criteria",
            ),  # fmt: skip
            person("p3", "Cara Diaz", "skeptic", "Evaluator", 40.0, "Ops", 1, rank=3),
            person("p4", "Dev Rao", "supporter", "", 35.0, "Finance", 0, rank=4),
            person("p5", "Eve Moss", "neutral", "Business User", 20.0, "Finance", 0, rank=5),
            person("p6", "Finn Holt", "", "", 5.0, "Ops", 1, rank=6, last_contact=""),
            person(
                "t1",
                "Tia Ward",
                "",
                "",
                math.nan,
                "",
                None,
                internal=True,
                strongest_internal_tie_name="",
                coverage_strength=math.nan,
            ),  # fmt: skip
            person(
                "t2",
                "Tom Best",
                "",
                "",
                math.nan,
                "",
                None,
                internal=True,
                strongest_internal_tie_name="",
                coverage_strength=math.nan,
            ),  # fmt: skip
        ]
    )
    people["rank"] = people["rank"].astype("Int64")
    people["community"] = people["community"].astype("Int64")
    rows = [
        ("p1", "p2", 0.9, True, "manages; 3 meetings", False),
        ("p2", "p1", 0.9, True, "manages; 3 meetings", False),  # the same tie, listed back
        ("p1", "p4", 0.6, False, "peer", False),
        ("p2", "p3", 0.3, False, "2 calls", False),
        ("p3", "p5", 0.2, False, "1 email", False),
        ("p4", "p5", 0.5, False, "advises", True),
        ("p5", "p6", 0.1, False, "1 meeting", False),
        ("t1", "p1", 0.8, False, "sponsor", False),
        ("p1", "t1", 0.8, False, "sponsor", False),
        ("t2", "p4", 0.4, False, "friend", False),
        ("t1", "t2", 0.7, False, "colleague", False),
        ("p1", "zz", 0.9, False, "unknown person: dropped", False),
    ]
    ties = pd.DataFrame(
        [(a, b, s, f, t + lab, d) for a, b, s, f, lab, d in rows],
        columns=["source", "target", "strength", "formal", "label", "directed"],
    )
    events = pd.DataFrame(
        {
            "id": ["e1", "e2", "e3"],
            "date": ["2024-03-01", "2024-04-02", "2024-04-03"],
            "type": ["meeting", "call", "email"],
            "subject": [t + "Kick-off", t + "Pricing call", t + "Nobody on the map"],
        }
    )
    event_links = pd.DataFrame(
        {
            "event_id": ["e1", "e1", "e1", "e2", "e3"],
            "person_id": ["p1", "p2", "t1", "p3", "zz"],
        }
    )
    paths = {
        "p2": [
            {"strength": 0.8, "path": [t + "Tia Ward", t + "Ann Lee", t + "Bob Stone"]},
            {
                "strength": 0.4,
                "path": [t + "Tom Best", t + "Dev Rao", t + "Ann Lee", t + "Bob Stone"],
            },
        ],
        "p1": [{"strength": 0.8, "path": [t + "Tia Ward", t + "Ann Lee"]}],
    }
    return {
        "people": people,
        "ties": ties,
        "title": t + "Acme Corp",
        "as_of": "2024-06-30",
        "data_range": ("2024-01-02", "2024-06-28"),
        "events": events,
        "event_links": event_links,
        "paths": paths,
    }


def synthetic_inputs(n: int, seed: int = 1) -> dict:
    """A random account of ``n`` people (a few on our team) for size and look checks."""
    rng = random.Random(seed)
    stances = ["champion", "supporter", "neutral", "skeptic", "blocker", ""]
    roles = ["Decision Maker", "Economic Buyer", "Evaluator", "Business User", "Champion", ""]
    first = ["Ann", "Bob", "Cara", "Dev", "Eve", "Finn", "Gia", "Hugo", "Ines", "Jon", "Kai", "Lea"]
    last = ["Lee", "Stone", "Diaz", "Rao", "Moss", "Holt", "Ward", "Best", "Kim", "Ortiz", "Novak"]
    n_team = max(2, n // 15)
    people = []
    for i in range(n):
        internal = i >= n - n_team
        inf = math.nan if internal else round(100 * rng.random() ** 2, 2)
        community = i % max(1, n // 12)
        people.append(
            {
                "id": f"x{i:04d}",
                "name": f"{rng.choice(first)} {rng.choice(last)} {i}",
                "title": rng.choice(["VP Finance", "Engineer", "CIO", "Buyer", "Analyst"]),
                "department": rng.choice(["Finance", "IT", "Ops"]),
                "rank": None if internal else i + 1,
                "influence": inf,
                "pagerank": rng.random() / n,
                "betweenness": rng.random() / 3,
                "eigenvector": rng.random() / 2,
                "closeness": rng.random(),
                "degree": rng.random(),
                "community": None if internal else community,
                "coalition": "" if internal else f"Coalition {community}",
                "network_role": rng.choice(["broker", "contributor", "central connector"]),
                "hidden_influencer": (not internal) and rng.random() < 0.06,
                "stance": "" if internal else rng.choice(stances),
                "buying_role": "" if internal else rng.choice(roles),
                "internal": internal,
                "strongest_internal_tie_name": "" if internal else "Tia Ward",
                "coverage_strength": math.nan if internal else rng.random(),
                "last_contact": "2024-05-01",
            }
        )
    ids = [p["id"] for p in people]
    ties = {}
    for i in range(n):
        for _ in range(2):
            j = rng.randrange(n) if rng.random() < 0.3 else (i + rng.randint(1, 6)) % n
            if i != j:
                a, b = sorted((ids[i], ids[j]))
                ties[(a, b)] = (round(rng.random(), 3), rng.random() < 0.12)
    tie_df = pd.DataFrame(
        [(a, b, s, f, "manages" if f else "3 meetings", False) for (a, b), (s, f) in ties.items()],
        columns=["source", "target", "strength", "formal", "label", "directed"],
    )
    return {
        "people": pd.DataFrame(people),
        "ties": tie_df,
        "title": "Synthetic Bank",
        "as_of": "2024-06-30",
        "data_range": ("2023-07-01", "2024-06-28"),
        "paths": {ids[0]: [{"strength": 0.7, "path": ["Tia Ward", people[0]["name"]]}]},
    }


def map_data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="map-data">(.*?)</script>', page, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_same_input_gives_byte_identical_html():
    a = build_map(**small_inputs()).html
    b = build_map(**small_inputs()).html
    assert a == b
    shuffled = small_inputs()
    shuffled["people"] = shuffled["people"].sample(frac=1, random_state=3)
    shuffled["ties"] = shuffled["ties"].sample(frac=1, random_state=4)
    assert build_map(**shuffled).html == a
    assert build_map(**small_inputs(), seed=8).html != a


def test_page_is_self_contained():
    page = build_map(**small_inputs()).html
    low = page.lower()
    for bad in ('src="http', "src='http", 'href="http', "href='http", "url(http", "@import"):
        assert bad not in low, bad
    assert "<link" not in low
    assert "//cdn" not in low and "bootstrap" not in low
    assert (
        '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; '
        'script-src &#39;unsafe-inline&#39;; style-src &#39;unsafe-inline&#39;; img-src data:">'
    ) in page
    assert "vis-network" in page and "new vis.Network" in page
    # http(s) text occurs only inside vis-network's license comment and its code strings
    visible = re.sub(r"<script>.*?</script>", "", page, flags=re.S)
    assert "http://" not in visible and "https://" not in visible


def test_data_is_escaped_json_and_drawn_once():
    page = build_map(**small_inputs(EVIL)).html
    raw = re.search(r'id="map-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "\\u003cscript\\u003e" in raw
    data = map_data(page)
    assert [p["id"] for p in data["people"]] == ["p1", "p2", "p3", "p4", "p5", "p6", "t1", "t2"]
    assert len(data["ties"]) == 9  # both-way listings merged, unknown person dropped
    assert [e["id"] for e in data["events"]] == ["e1", "e2"]
    assert data["events"][0]["people"] == ["p1", "p2", "t1"]
    assert data["title"] == EVIL + "Acme Corp"
    # The heading and <title> are autoescaped, never raw.
    assert "<script>window.__pwned" not in page
    assert f'<h1 id="map-title">{markupsafe.escape(EVIL + "Acme Corp")}</h1>' in page
    assert f"<title>Influence map · {markupsafe.escape(EVIL + 'Acme Corp')}</title>" in page
    assert str(markupsafe.escape(EVIL + "Ops")) in page  # the coalition legend


def test_visual_encoding():
    data = map_data(build_map(**small_inputs()).html)
    p = {x["id"]: x for x in data["people"]}
    assert (p["p1"]["shape"], p["p2"]["shape"], p["p3"]["shape"]) == ("star", "diamond", "triangle")
    assert (p["p5"]["shape"], p["p6"]["shape"], p["t1"]["shape"]) == (
        "triangleDown",
        "dot",
        "square",
    )
    assert p["p2"]["label"] == "Bob Stone ★" and p["p2"]["border_width"] == 5
    assert p["p1"]["label"] == "Ann Lee" and p["p1"]["border_width"] == 1
    assert p["t1"]["border"] == "#0b3d91" and p["t1"]["border_width"] == 3
    assert p["p1"]["size"] > p["p3"]["size"] > p["p6"]["size"]
    assert p["p1"]["fill_stance"] == "#1a7f37" and p["p2"]["fill_stance"] == "#cf222e"
    assert p["p6"]["stance"] == "unknown"
    assert p["p1"]["fill_coalition"] != p["p2"]["fill_coalition"]
    assert p["p1"]["fill_coalition"] == p["p4"]["fill_coalition"]
    t = {(x["from"], x["to"]): x for x in data["ties"]}
    assert t[("p1", "p2")]["formal"] and not t[("p1", "p4")]["formal"]
    assert t[("p4", "p5")]["directed"] and not t[("p1", "p2")]["directed"]
    assert t[("p1", "t1")]["strength"] == 0.8
    opts = data["options"]
    assert opts["layout"] == {"randomSeed": 7, "improvedLayout": True}
    assert opts["physics"]["stabilization"]["iterations"] == 500


def test_people_carry_their_suggested_engagement():
    data = map_data(build_map(**small_inputs(EVIL)).html)
    p = {x["id"]: x for x in data["people"]}
    assert (p["p1"]["suggested_role"], p["p1"]["engagement_reason"]) == (
        "coach",
        EVIL + "Ann Lee is a champion who has to sell internally",
    )
    assert p["p2"]["suggested_role"] == "evaluator"
    assert p["p2"]["engagement_reason"] == (
        EVIL + "Bob Stone is a blocker: consider asking for " + EVIL + "their decision criteria"
    )
    assert all(p[i]["suggested_role"] == p[i]["engagement_reason"] == ""
               for i in ("p3", "p4", "p5", "p6", "t1", "t2"))  # fmt: skip
    # without the optional columns nobody has one
    inputs = small_inputs()
    inputs["people"] = inputs["people"].drop(columns=["suggested_role", "engagement_reason"])
    assert {x["suggested_role"] for x in map_data(build_map(**inputs).html)["people"]} == {""}


def test_account_map_inputs_carry_the_engagement_roles():
    acct = influence.load(Path(__file__).resolve().parents[1] / "data" / "example").account(
        "Globex"
    )
    people = acct.map_inputs()["people"].set_index("id")
    eng = acct.engagement().set_index("id")
    # Maria Chen expert/authority, Lee Novak coach, Sam Patel evaluator (README)
    assert people["suggested_role"].to_dict() == {
        "ceo": "expert/authority", "arch": "coach", "cio": "evaluator", "fin": "", "ops": "",
        "ae": "",
    }  # fmt: skip
    assert people.loc[eng.index, "engagement_reason"].tolist() == eng["reason"].tolist()
    assert people.loc[["fin", "ops", "ae"], "engagement_reason"].tolist() == ["", "", ""]
    data = map_data(acct.map().html)
    arch = next(x for x in data["people"] if x["id"] == "arch")
    assert arch["suggested_role"] == "coach"
    assert arch["engagement_reason"].startswith("Lee Novak is a champion who has to sell")


def test_large_maps_arrive_laid_out():
    # A large map is laid out before it is written (the browser runs no physics): every
    # person has a position of its own. A small map settles in the browser instead.
    data = map_data(build_map(**synthetic_inputs(1000)).html)
    assert len(data["people"]) == 1000
    xy = [(p["x"], p["y"]) for p in data["people"]]
    assert all(isinstance(v, int) for pos in xy for v in pos)
    assert len(set(xy)) == len(xy)
    opts = data["options"]
    assert opts["physics"]["enabled"] is False
    assert opts["physics"]["stabilization"]["enabled"] is False
    assert opts["layout"]["improvedLayout"] is False
    assert opts["interaction"]["hideEdgesOnDrag"] is True
    small = map_data(build_map(**synthetic_inputs(20)).html)
    assert all("x" not in p for p in small["people"])
    assert small["options"]["physics"]["enabled"] is True


def test_save_writes_utf8(tmp_path: Path):
    m = build_map(**small_inputs(EVIL))
    out = m.save(tmp_path / "sub" / "map.html")
    assert out == tmp_path / "sub" / "map.html"
    data = out.read_bytes()
    assert data == m.html.encode("utf-8")
    assert out.read_text(encoding="utf-8") == m.html
    assert "Zoë 李雷 Ωμέγα".encode() in data


def test_repr_html_is_an_iframe_with_srcdoc():
    m = build_map(**small_inputs(EVIL))
    r = m._repr_html_()
    assert isinstance(m, InfluenceMap)
    assert r.startswith('<iframe srcdoc="') and r.endswith("</iframe>")
    doc = re.match(r'<iframe srcdoc="([^"]*)"', r).group(1)
    attrs = r.replace(doc, "")
    assert re.search(r"\ssrc=", attrs) is None  # never a link to a file
    assert 'width="100%"' in attrs and "height:650px" in attrs
    assert html.unescape(doc) == m.html
    assert "<" not in doc and '"' not in doc


def test_bad_color_mode_and_missing_columns():
    with pytest.raises(ValueError, match="color_by"):
        build_map(**small_inputs(), color_by="size")
    inputs = small_inputs()
    inputs["people"] = inputs["people"].drop(columns=["name"])
    with pytest.raises(ValueError, match="name"):
        build_map(**inputs)


def test_minimal_columns_and_empty_map():
    people = pd.DataFrame({"id": ["a", "b"], "name": ["A", "B"]})
    ties = pd.DataFrame({"source": ["a"], "target": ["b"], "strength": [0.5]})
    data = map_data(build_map(people, ties, title="T", as_of="", data_range=("", "")).html)
    assert [x["shape"] for x in data["people"]] == ["dot", "dot"]
    assert data["ties"][0]["label"] == "" and data["ties"][0]["formal"] is False
    empty = build_map(people.iloc[:0], ties.iloc[:0], title="T", as_of="", data_range=("", ""))
    assert map_data(empty.html)["people"] == []


def test_templates_never_write_html_from_strings():
    for name in ("map.html.j2", "map.js", "map.css"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        for bad in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "|safe",
            "| safe",
        ):
            assert bad not in text, (name, bad)
    assert json_for_script("\u2028</script>") == '"\\u2028\\u003c/script\\u003e"'


def test_support_model_inputs_solve_to_support_with_overrides():
    """The map's what-if inputs, solved densely with numpy the way the page does, give
    :func:`support` with the same overrides (sparse LU); overrides by stance name on the
    account equal overrides by score."""
    from influence.analysis.support import model_inputs, support

    acct = influence.load(Path(__file__).resolve().parents[1] / "data" / "sample").account(
        "Crestline Bank"
    )
    g = acct.person_graph
    m = model_inputs(g)
    n = len(m["ids"])
    w = np.zeros((n, n))
    for i, j, x in m["weights"]:
        w[i, j] = x
    assert np.allclose(w.sum(axis=1)[w.sum(axis=1) > 0], 1.0)  # row-stochastic
    scores = {"champion": 2, "supporter": 1, "neutral": 0, "skeptic": -1, "blocker": -2}
    ext = acct.influencers().query("~internal")
    picks = {
        ext["id"].iat[0]: "blocker",
        ext.loc[ext["stance"] == "", "id"].iat[0]: "champion",
        ext.loc[ext["stance"] == "supporter", "id"].iat[0]: "unknown",
    }
    u = np.array(m["prior"])
    lam = np.array(m["susceptibility"])
    index = {v: k for k, v in enumerate(m["ids"])}
    for pid, stance in picks.items():
        i = index[pid]
        known = stance != "unknown"
        u[i] = scores[stance] / 2 if known else 0.0
        open_ = w[i].any()
        lam[i] = (m["anchor_susceptibility"] if known else m["unknown_susceptibility"]) * open_
    # who reaches an anchor (λ < 1) by following whom they listen to
    reach = lam < 1
    for _ in range(n):
        reach = reach | ((w > 0) & reach[None, :]).any(axis=1)
    lam[~reach] = 0.0
    x = np.linalg.solve(np.eye(n) - np.diag(lam) @ w, (1 - lam) * u)
    by_score = {p: float(scores.get(s, np.nan)) for p, s in picks.items()}
    want = support(g, overrides=by_score).set_index("id")["predicted_support"]
    assert np.clip(x, -1, 1) == pytest.approx(want[m["ids"]].to_numpy(), abs=1e-9)
    got = acct.support(overrides=picks).set_index("id")["predicted_support"]
    assert got.to_numpy() == pytest.approx(want.to_numpy(), abs=1e-12)
    weight = np.array([ext.set_index("id")["influence"][i] for i in m["ids"]])
    assert acct.overall_support(overrides=picks) == pytest.approx(
        float(weight @ np.clip(x, -1, 1) / weight.sum()), abs=1e-9
    )
    # no overrides: the analysis' own figures, unchanged by a what-if asked before
    assert acct.support().equals(acct.support(overrides={}))
    with pytest.raises(KeyError, match="no person"):
        acct.support(overrides={"nobody": "champion"})
    with pytest.raises(ValueError, match="unknown stance 'fan'"):
        acct.support(overrides={ext["id"].iat[0]: "fan"})
    with pytest.raises(ValueError, match="outside"):
        acct.support(overrides={ext["id"].iat[0]: 3})
    with pytest.raises(KeyError, match="our team"):
        acct.support(overrides={acct.team[0]: "champion"})


def test_account_map_embeds_the_support_model_and_counts():
    acct = influence.load(Path(__file__).resolve().parents[1] / "data" / "sample").account(
        "Crestline Bank"
    )
    page = acct.map().html
    assert page == acct.map().html  # byte-deterministic with the model inside
    data = map_data(page)
    model = data["support_model"]
    sup = acct.support()
    assert model["ids"] == list(sup["id"])
    assert model["overall"] == pytest.approx(acct.overall_support(), abs=1e-12)
    shown = {p["id"]: p["support"] for p in data["people"] if not p["internal"]}
    assert shown == pytest.approx(dict(zip(sup["id"], sup["predicted_support"])), abs=1e-9)
    assert f"{acct.summary()['ties']:,} ties ({len(data['ties']):,} connections drawn)" in page
