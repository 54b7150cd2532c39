"""Engagement roles: how a seller might engage each key stakeholder.

A *key stakeholder* is a customer person whose influence is in the account's top
quartile (at or above the 75th percentile) or whose buying role is a decision role
(:data:`DECISION_ROLES`). Each gets the first rule of :data:`RULES` that matches, as a
suggestion, not a verdict. The roles follow the consultative-selling literature's
"seller roles" (e.g. Rackham, *SPIN Selling*, 1988; Adamson & Dixon, *The Challenger
Sale*, 2011): act as the *expert/authority* for those who evaluate, *coach* the
champion who has to sell internally, become an *evaluator* of the skeptic's own
criteria, and *support* the supporter under pressure.

A rule is a dict with

``stances``
    stances it applies to (``""`` = unknown);
``buying_roles``
    buying roles it applies to (``None`` = any);
``under_pressure``
    ``True``: only when the person is under pressure — a skeptic or blocker among
    their ties (either direction, customer people only) or our coverage of them below
    :data:`WEAK_TIE`;
``reason``
    the text shown, formatted with ``name``, ``stance``, ``buying_role`` and
    ``pressure`` (what puts them under pressure).

Pass your own ``rules`` (same shape, checked in order) to change them.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx
import pandas as pd

from influence.defaults import DECISION_ROLES, HIGH_INFLUENCE_QUANTILE, WEAK_TIE

__all__ = [
    "ENGAGEMENT_COLUMNS",
    "RULES",
    "engagement",
]

#: The columns of :func:`engagement`.
ENGAGEMENT_COLUMNS = ["id", "name", "suggested_role", "reason"]

#: The default rules, checked in order (their shape is in the module docstring).
RULES: dict[str, dict] = {
    "coach": {
        "stances": {"champion"},
        "buying_roles": None,
        "under_pressure": False,
        "reason": "{name} is a champion who has to sell internally: consider coaching them "
        "with the business case and the objections they will meet",
    },
    "evaluator": {
        "stances": {"skeptic", "blocker"},
        "buying_roles": None,
        "under_pressure": False,
        "reason": "{name} is a {stance}: consider asking for their decision criteria and "
        "testing our proposal against them together",
    },
    "expert/authority": {
        "stances": {"neutral", ""},
        "buying_roles": {"Evaluator", "Technical Buyer", *DECISION_ROLES},
        "under_pressure": False,
        "reason": "{name} ({buying_role}) has no settled view: consider leading with "
        "expertise and evidence — references, proof of value, a technical deep dive",
    },
    "supporter": {
        "stances": {"supporter"},
        "buying_roles": None,
        "under_pressure": True,
        "reason": "{name} supports us but is under pressure ({pressure}): consider "
        "reinforcing them with regular contact and material they can share",
    },
}


def engagement(
    g: nx.DiGraph, influencers: pd.DataFrame, rules: Mapping[str, Mapping] = RULES
) -> pd.DataFrame:
    """A suggested seller role per key stakeholder (rules in the module docstring).

    A key stakeholder has influence at or above the
    :data:`~influence.defaults.HIGH_INFLUENCE_QUANTILE` quantile of customer influence,
    or a decision role; each gets the first rule of ``rules`` that matches.

    Parameters
    ----------
    g : networkx.DiGraph
        The person graph (for ties to skeptics and blockers, and names).
    influencers : pandas.DataFrame
        The influencers table (``id, name, internal, influence, stance, buying_role,
        coverage_strength`` are used).
    rules : mapping, default :data:`RULES`
        Role name to rule (module docstring), checked in order.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`ENGAGEMENT_COLUMNS` (``id, name, suggested_role, reason``), most
        influential first; key stakeholders no rule matches are left out.

    Examples
    --------
    Pat (top influence) supports us but is tied to Sky, a skeptical decision maker: Pat is
    under pressure (supporter), Sky is a skeptic (evaluator).

    >>> g = nx.DiGraph([("s", "p")])
    >>> inf = pd.DataFrame({"id": ["p", "s"], "name": ["Pat", "Sky"], "internal": False,
    ...     "influence": [90.0, 80.0], "stance": ["supporter", "skeptic"],
    ...     "buying_role": ["", "Decision Maker"], "coverage_strength": [0.8, 0.1]})
    >>> engagement(g, inf)[["id", "suggested_role"]]
      id suggested_role
    0  p      supporter
    1  s      evaluator

    References
    ----------
    N. Rackham, *SPIN Selling* (1988); M. Dixon and B. Adamson, *The Challenger Sale*
    (2011).
    """
    ext = influencers[~influencers["internal"].astype(bool)]
    ext = ext.sort_values(["influence", "id"], ascending=[False, True], kind="stable")
    infl = ext["influence"].astype(float)
    cut = infl.quantile(HIGH_INFLUENCE_QUANTILE) if len(infl.dropna()) else float("inf")
    key = ext[(infl >= cut) | ext["buying_role"].isin(DECISION_ROLES)]
    stance = dict(zip(ext["id"], ext["stance"].fillna("")))
    rows = []
    for r in key.to_dict("records"):
        pid, st = r["id"], r.get("stance") or ""
        others = set(g.predecessors(pid)) | set(g.successors(pid)) if pid in g else set()
        opposed = sorted((o for o in others if stance.get(o) in ("skeptic", "blocker")), key=str)
        pressure = []
        if opposed:
            names = ", ".join(str(g.nodes[o].get("name") or o) for o in opposed)
            pressure.append(f"ties to {names}")
        if float(r.get("coverage_strength") or 0.0) < WEAK_TIE:
            pressure.append("weak coverage by our team")
        for role, rule in rules.items():
            if st not in rule["stances"]:
                continue
            if (
                rule.get("buying_roles") is not None
                and r.get("buying_role") not in rule["buying_roles"]
            ):
                continue
            if rule.get("under_pressure") and not pressure:
                continue
            reason = rule["reason"].format(
                name=r.get("name") or pid,
                stance=st or "unknown stance",
                buying_role=r.get("buying_role") or "no buying role",
                pressure=" and ".join(pressure),
            )
            rows.append((pid, r.get("name", ""), role, reason))
            break
    return pd.DataFrame(rows, columns=ENGAGEMENT_COLUMNS)
