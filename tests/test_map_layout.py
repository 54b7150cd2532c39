"""Large maps come laid out: seeded positions computed in Python, no physics in the page."""

from __future__ import annotations

import math
import random
import statistics
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from browser import open_page
from test_map import map_data, small_inputs, synthetic_inputs

from influence.render import build_map
from influence.render.layout import LARGE, SPACING


def planted(n: int = 360, groups: int = 9, seed: int = 3) -> dict:
    """``n`` people in ``groups`` groups; 90% of ties inside a group."""
    rng = random.Random(seed)
    ids = [f"p{i:03d}" for i in range(n)]
    group = {pid: i % groups for i, pid in enumerate(ids)}
    members = [[p for p in ids if group[p] == g] for g in range(groups)]
    ties = set()
    while len(ties) < 3 * n:
        a = rng.choice(ids)
        b = rng.choice(members[group[a]]) if rng.random() < 0.9 else rng.choice(ids)
        if a != b:
            ties.add((min(a, b), max(a, b)))
    people = pd.DataFrame({"id": ids, "name": [f"Person {p}" for p in ids]})
    people["community"] = [group[p] for p in ids]
    tie_df = pd.DataFrame(sorted(ties), columns=["source", "target"]).assign(strength=0.6)
    inputs = {"people": people, "ties": tie_df, "title": "Planted", "as_of": "",
              "data_range": ("", "")}  # fmt: skip
    return inputs, group


def test_large_maps_carry_positions_and_run_no_physics():
    data = map_data(build_map(**synthetic_inputs(LARGE)).html)
    assert data["options"]["physics"]["enabled"] is False
    xy = [(p["x"], p["y"]) for p in data["people"]]
    assert len(xy) == LARGE and len(set(xy)) > 0.99 * LARGE
    assert all(isinstance(v, int) for pt in xy for v in pt)
    # centred, spaced as documented
    assert abs(statistics.fmean(x for x, _ in xy)) < 1
    assert abs(statistics.fmean(y for _, y in xy)) < 1
    nearest = [min(math.dist(a, b) for b in xy if b is not a) for a in xy]
    assert statistics.median(nearest) == pytest.approx(SPACING, rel=0.01)
    # small maps are laid out by the page's physics, as before
    small = map_data(build_map(**small_inputs()).html)
    assert small["options"]["physics"]["enabled"] is True
    assert all("x" not in p for p in small["people"])


def test_layout_is_deterministic_whatever_the_global_random_state():
    code = (
        "import hashlib, random, sys; sys.path.insert(0, 'tests'); random.seed(int(sys.argv[1]))\n"
        "from test_map import synthetic_inputs\n"
        "from influence.render import build_map\n"
        "print(hashlib.sha256(build_map(**synthetic_inputs(400)).html.encode()).hexdigest())\n"
    )
    root = Path(__file__).resolve().parents[1]
    digests = {
        subprocess.run(
            [sys.executable, "-c", code, str(s)], cwd=root, capture_output=True, text=True,
            check=True,
        ).stdout.strip()
        for s in (1, 2)
    }  # fmt: skip
    assert len(digests) == 1
    shuffled = synthetic_inputs(400)
    shuffled["people"] = shuffled["people"].sample(frac=1, random_state=5)
    a = build_map(**synthetic_inputs(400)).html
    assert build_map(**shuffled).html == a
    assert build_map(**synthetic_inputs(400), seed=8).html != a


def test_groups_are_drawn_together():
    inputs, group = planted()
    data = map_data(build_map(**inputs).html)
    pos = {p["id"]: (p["x"], p["y"]) for p in data["people"]}
    inside, across = [], []
    for t in data["ties"]:
        d = math.dist(pos[t["from"]], pos[t["to"]])
        (inside if group[t["from"]] == group[t["to"]] else across).append(d)
    assert statistics.median(inside) * 2 < statistics.median(across)


def test_page_draws_the_given_positions(browser, tmp_path: Path):
    m = build_map(**synthetic_inputs(LARGE))
    data = map_data(m.html)
    page, errors, requests = open_page(
        browser, m.save(tmp_path / "large.html"), wait_for="window.mapReady === true"
    )
    try:
        page.wait_for_timeout(300)
        got = page.evaluate(
            "() => Object.fromEntries(window.network.body.nodeIndices"
            ".map(id => [id, [window.network.body.nodes[id].x, window.network.body.nodes[id].y]]))"
        )
        assert len(got) == LARGE
        for p in data["people"]:
            assert got[p["id"]] == [p["x"], p["y"]]
        assert page.evaluate("() => window.network.physics.physicsEnabled") is False
        # still interactive: a filter hides exactly the people with that stance
        n_blockers = sum(p["stance"] == "blocker" for p in data["people"])
        page.locator("#filter-stance input[value=blocker]").uncheck()
        shown = page.evaluate("() => window.influenceMap.visiblePeople().length")
        assert shown == LARGE - n_blockers and n_blockers > 0
        assert errors == [] and requests == []
    finally:
        page.context.close()
