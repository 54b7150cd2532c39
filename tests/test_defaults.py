"""One home for every default and threshold (influence.defaults): used everywhere, recorded
in run.json and listed in the README."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd

from influence import defaults
from influence.analysis.risk import risk_flags

ROOT = Path(__file__).resolve().parents[1]
CONSTANTS = [n for n in defaults.__all__ if n.isupper()]


def _readme_rows() -> dict[str, str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### Defaults and thresholds", 1)[1].split("\n#", 1)[0]
    return dict(re.findall(r"^\| `([A-Z_]+)` \| ([^|]+) \|", section, flags=re.M))


def _words(cell: str) -> list:
    return [w.strip() for w in cell.split(",")]


def test_readme_lists_every_default_with_its_value():
    rows = _readme_rows()
    assert sorted(rows) == sorted(CONSTANTS)
    for name in CONSTANTS:
        value, cell = getattr(defaults, name), rows[name].strip()
        if isinstance(value, int | float):
            assert float(cell) == value, name
        elif isinstance(value, frozenset):
            assert {"" if w == "empty" else w for w in _words(cell)} == set(value), name
        elif isinstance(value, tuple):
            assert _words(cell) == list(value), name
        else:
            pairs = [w.split() for w in _words(cell)]
            assert {k: float(v) for k, v in pairs} == dict(value), name


def test_no_module_redefines_a_default():
    """A default is assigned in influence/defaults.py only (no second copy to drift)."""
    names = "|".join(CONSTANTS + ["STRONG_TIE", "MIN_TIE", "GAP_QUANTILE", "KEY_QUANTILE"])
    pattern = re.compile(rf"^({names}|TRUE|FALSE|BLOCKER_QUANTILE|DEFAULT_RENDERED)\s*[:=]", re.M)
    for path in (ROOT / "influence").rglob("*.py"):
        if path.name == "defaults.py":
            continue
        found = pattern.findall(path.read_text(encoding="utf-8"))
        assert not found, f"{path.relative_to(ROOT)} redefines {found}"


def test_cli_literals_come_from_defaults():
    """The CLI's numeric defaults are the module's, not literals typed again."""
    text = (ROOT / "influence" / "cli.py").read_text(encoding="utf-8")
    for literal in ("default=180", "default=42", "default=15", "default=60", "default=50"):
        assert literal not in text


def test_run_json_records_the_defaults(tmp_path):
    from influence.batch import run

    run(_tiny_dataset(), tmp_path, rendered=0)
    meta = json.loads((tmp_path / "run.json").read_text())
    assert meta["defaults"]["weak_tie"] == 0.3
    assert meta["defaults"]["half_life_days"] == 180.0
    assert meta["defaults"]["decision_roles"] == list(defaults.DECISION_ROLES)
    assert set(meta["defaults"]) == {n.lower() for n in CONSTANTS}


def _tiny_dataset():
    import influence

    return influence.load(ROOT / "data" / "sample")


def _risk(role: str) -> list[str]:
    g = nx.DiGraph()
    g.add_node("us", internal=True, name="Us")
    g.add_node("a", internal=False, name="Ann", buying_role="Evaluator")
    g.add_node("d", internal=False, name="Dee", buying_role=role)
    g.add_edge("us", "a", strength=0.8)
    g.add_edge("a", "d", strength=0.9)
    inf = pd.DataFrame(
        {
            "id": ["a", "d", "us"],
            "internal": [False, False, True],
            "influence": [100.0, 40.0, None],
            "stance": ["", "", ""],
            "buying_role": ["Evaluator", role, ""],
        }
    )
    return risk_flags(g, inf)["flag"].tolist()


def test_executive_sponsor_is_a_decision_role_for_risk_paths_and_engagement():
    """One list of decision roles: an uncovered executive sponsor is uncovered decision
    power for the risk flags, as it is a decision maker for warm paths and engagement."""
    assert "no_decision_coverage" in _risk("Executive Sponsor")
    assert "bow_tie" in _risk("Executive Sponsor")
    assert "no_decision_coverage" not in _risk("Evaluator")
    from influence import account
    from influence.analysis import engagement, risk

    assert account.DECISION_ROLES is engagement.DECISION_ROLES is risk.DECISION_ROLES
    # no module spells the list out again: outside the defaults (and the CRM
    # vocabularies that map input values onto it) the names appear only in docs
    root = Path(__file__).resolve().parents[1] / "influence"
    vocabularies = {"defaults.py", "io/tables.py", "io/salesforce/people.py", "io/hubspot.py"}
    assert all((root / v).is_file() for v in vocabularies)
    for path in root.rglob("*.py"):
        if path.relative_to(root).as_posix() in vocabularies:
            continue
        code = [ln for ln in path.read_text(encoding="utf-8").splitlines()
                if not ln.lstrip().startswith((">>>", "...", "#"))]  # fmt: skip
        assert not any('"Executive Sponsor"' in ln for ln in code), path
