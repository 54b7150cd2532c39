"""Tie strength: how strongly one person influences another, with the evidence for it.

Every tie is built from *contributions*, each of which can be shown to a user
(:func:`contributions`, and ``Account.evidence``):

**Explicit ties** (relationships and ``reports_to``). A relationship of strength
:math:`s` contributes :math:`s \\cdot d` where :math:`d = 2^{-\\Delta/h}` decays with
the days :math:`\\Delta` since it *ended* (1 while it is active) and half-life
:math:`h`. Directed relationships count from source to target only; undirected ones
count both ways; ``reports_to`` is a manager → report tie of strength
``reports_to_strength``. Several explicit contributions to the same direction combine
as a noisy-OR: :math:`s_{rel} = 1 - \\prod_i (1 - c_i)`.

**Interactions** (events). Each event contributes to every pair of its participants

.. math:: c = w_{channel} \\cdot 2^{-\\Delta/h} \\cdot \\frac{1}{n - 1} \\cdot r

with :math:`w_{channel}` the channel weight (meeting > call > email), :math:`\\Delta` the
days from the event to the as-of date, :math:`n` the number of participants (Newman's
collaboration weighting, so a 40-person conference does not make everyone close
friends) and :math:`r` the email reciprocity factor. An email with a known sender
connects the sender with each recipient; for a pair :math:`a, b` with :math:`n_{ab}`
emails from a to b, :math:`r = f + (1 - f)\\,\\min(n_{ab}, n_{ba}) / \\max(n_{ab}, n_{ba})`
where :math:`f` is ``email_reciprocity_floor`` (one-way mail counts for less). Other
events have :math:`r = 1`. Frequency enters through the sum :math:`x = \\sum c`, which
saturates: :math:`s_{int} = 1 - e^{-x/k}` with ``saturation`` :math:`k`. Interactions
are symmetric.

**Strength** of the tie :math:`a \\to b` combines both, again as a noisy-OR:
:math:`s = 1 - (1 - s_{rel})(1 - s_{int})`, so :math:`0 < s \\le 1`. An all-undirected,
unit-strength relationship network with no events gives every tie strength exactly 1,
so the person graph is the textbook graph.

References: M. E. J. Newman, "Scientific collaboration networks. II", Phys. Rev. E 64
(2001) — weighting by 1/(n-1); M. Granovetter, "The Strength of Weak Ties", AJS 78
(1973) — tie strength from frequency, recency and reciprocity; E. Gilbert and
K. Karahalios, "Predicting tie strength with social media", CHI 2009 — recency and
reciprocity as predictors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np
import pandas as pd

from influence.io.tables import Tables

EVIDENCE_COLUMNS = [
    "source",
    "target",
    "directed",
    "kind",
    "ref",
    "type",
    "date",
    "weight",
    "decay",
    "share",
    "reciprocity",
    "contribution",
]
SENDER_ROLES = frozenset({"sender", "from", "organizer"})


def _default_channels() -> dict[str, float]:
    return {"meeting": 1.0, "call": 0.7, "conference": 0.5, "email": 0.3, "task": 0.2}


@dataclass(frozen=True)
class TieConfig:
    """Parameters of tie strength; every field is documented in this module's docstring.

    ``as_of`` is the date the analysis looks from: events and relationships after it are
    ignored and recency is measured from it. ``None`` means the latest event in the data.
    """

    half_life_days: float = 180.0
    channel_weights: Mapping[str, float] = field(default_factory=_default_channels)
    other_channel_weight: float = 0.5
    saturation: float = 2.0
    email_reciprocity_floor: float = 0.5
    reports_to_strength: float = 1.0
    as_of: pd.Timestamp | None = None

    def resolve(self, tables: Tables) -> TieConfig:
        """This config with ``as_of`` taken from the data: the latest event or relationship date."""
        if self.as_of is not None:
            return replace(self, as_of=pd.Timestamp(self.as_of).normalize())
        dates = pd.concat(
            [tables.events["date"], tables.relationships["start"], tables.relationships["end"]]
        ).dropna()
        return replace(self, as_of=dates.max().normalize() if len(dates) else None)


def _decay(dates: pd.Series, config: TieConfig) -> np.ndarray:
    if config.as_of is None:
        return np.ones(len(dates))
    age = ((config.as_of - dates).dt.total_seconds() / 86400.0).fillna(0).clip(lower=0)
    return np.power(2.0, -age.to_numpy(float) / config.half_life_days)


def _explicit(tables: Tables, config: TieConfig) -> pd.DataFrame:
    p = tables.people
    rep = p[p["reports_to"] != ""]
    rt = pd.DataFrame(
        {
            "source": rep["reports_to"].to_numpy(),
            "target": rep["id"].to_numpy(),
            "directed": True,
            "kind": "reports_to",
            "ref": rep["_row"].astype(str).map(lambda r: f"people row {r}").to_numpy(),
            "type": "manages",
            "date": pd.NaT,
            "weight": config.reports_to_strength,
            "decay": 1.0,
        }
    )
    r = tables.relationships
    if config.as_of is not None:
        r = r[~(r["start"] > config.as_of)]
    rel = pd.DataFrame(
        {
            "source": r["source"].to_numpy(),
            "target": r["target"].to_numpy(),
            "directed": r["directed"].to_numpy(),
            "kind": "relationship",
            "ref": (r["_file"].astype(str) + " row " + r["_row"].astype(str)).to_numpy(),
            "type": r["type"].to_numpy(),
            "date": r["end"].to_numpy(),
            "weight": r["strength"].to_numpy(),
            "decay": np.where(
                r["end"].lt(config.as_of).to_numpy() if config.as_of is not None else False,
                _decay(r["end"], config),
                1.0,
            ),
        }
    )
    out = pd.concat([x for x in (rt, rel) if len(x)]) if len(rt) or len(rel) else rt
    out["share"] = 1.0
    out["reciprocity"] = 1.0
    return out


def _interactions(tables: Tables, config: TieConfig) -> pd.DataFrame:
    ev = tables.events
    if config.as_of is not None:
        ev = ev[ev["date"] < config.as_of + pd.Timedelta(days=1)]
    part = tables.participants[["event_id", "person_id", "role"]].merge(
        ev[["id", "date", "type"]].rename(columns={"id": "event_id"}), on="event_id"
    )
    part["n"] = part.groupby("event_id")["person_id"].transform("size")
    part["sender"] = part["role"].isin(SENDER_ROLES) & (part["type"] == "email")
    part["mail"] = part.groupby("event_id")["sender"].transform("any")
    part = part[part["n"] > 1]
    pairs = part.merge(
        part[["event_id", "person_id", "sender"]], on="event_id", suffixes=("", "_b")
    )
    pairs = pairs[pairs["person_id"] < pairs["person_id_b"]]
    # An email with a known sender connects the sender with each recipient, in full;
    # any other event is shared among all pairs of its participants.
    pairs = pairs[~pairs["mail"] | pairs["sender"] | pairs["sender_b"]]
    mail = pairs["mail"].to_numpy(bool)
    sent = pd.DataFrame(
        {
            "a": pairs["person_id"],
            "b": pairs["person_id_b"],
            "ab": pairs["sender"],
            "ba": pairs["sender_b"],
        }
    )[mail]
    counts = sent.groupby(["a", "b"])[["ab", "ba"]].sum()
    f = config.email_reciprocity_floor
    recip = f + (1 - f) * counts.min(axis=1) / counts.max(axis=1)
    key = pd.MultiIndex.from_arrays([pairs["person_id"], pairs["person_id_b"]])
    channel = pairs["type"].map(
        lambda t: config.channel_weights.get(t, config.other_channel_weight)
    )
    return pd.DataFrame(
        {
            "source": pairs["person_id"].to_numpy(),
            "target": pairs["person_id_b"].to_numpy(),
            "directed": False,
            "kind": "event",
            "ref": pairs["event_id"].to_numpy(),
            "type": pairs["type"].to_numpy(),
            "date": pairs["date"].to_numpy(),
            "weight": channel.to_numpy(float),
            "decay": _decay(pairs["date"], config),
            "share": np.where(mail, 1.0, 1.0 / (pairs["n"].to_numpy(float) - 1)),
            "reciprocity": np.where(mail, recip.reindex(key).to_numpy(float), 1.0),
        }
    )


def contributions(tables: Tables, config: TieConfig | None = None) -> pd.DataFrame:
    """Every contribution to every tie: the evidence behind the person graph.

    Returns a DataFrame with columns ``source, target, directed, kind, ref, type, date,
    weight, decay, share, reciprocity, contribution`` where ``contribution = weight *
    decay * share * reciprocity`` and ``kind`` is ``reports_to``, ``relationship`` or
    ``event``. Undirected rows have ``source < target``.
    """
    config = (config or TieConfig()).resolve(tables)
    parts = [x for x in (_explicit(tables, config), _interactions(tables, config)) if len(x)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["contribution"] = out["weight"] * out["decay"] * out["share"] * out["reciprocity"]
    return out[EVIDENCE_COLUMNS].reset_index(drop=True)


def tie_table(evidence: pd.DataFrame, config: TieConfig | None = None) -> pd.DataFrame:
    """Combine contributions into one row per directed tie.

    Columns: ``source, target, strength, explicit, interaction, formal, label,
    last_contact``, where ``explicit`` and ``interaction`` are :math:`s_{rel}` and
    :math:`s_{int}` of the module docstring and ``strength`` their noisy-OR.
    """
    config = config or TieConfig()
    ev = evidence
    fwd = ev[["source", "target", "directed", "kind", "type", "date", "contribution"]]
    back = fwd[~fwd["directed"].astype(bool)].rename(
        columns={"source": "target", "target": "source"}
    )
    both = pd.concat([fwd, back], ignore_index=True)
    is_explicit = both["kind"] != "event"
    exp = both[is_explicit].assign(
        keep=lambda d: np.log1p(-d["contribution"].clip(upper=1 - 1e-15))
    )
    s_rel = 1 - np.exp(exp.groupby(["source", "target"])["keep"].sum())
    inter = both[~is_explicit]
    x = inter.groupby(["source", "target"])["contribution"].sum()
    s_int = 1 - np.exp(-x / config.saturation)
    ties = pd.DataFrame({"explicit": s_rel, "interaction": s_int}).fillna(0.0)
    ties.loc[s_rel[s_rel >= 1 - 1e-12].index, "explicit"] = 1.0
    ties["strength"] = 1 - (1 - ties["explicit"]) * (1 - ties["interaction"])
    ties["formal"] = (
        both[both["kind"] == "reports_to"]
        .groupby(["source", "target"])
        .size()
        .reindex(ties.index)
        .notna()
    )
    ties["last_contact"] = inter.groupby(["source", "target"])["date"].max().reindex(ties.index)
    ties["label"] = _labels(both[is_explicit], inter, ties.index)
    ties = ties[ties["strength"] > 0].reset_index().sort_values(["source", "target"])
    cols = [
        "source",
        "target",
        "strength",
        "explicit",
        "interaction",
        "formal",
        "label",
        "last_contact",
    ]
    return ties[cols].reset_index(drop=True)


def _join(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    both = (a != "") & (b != "")
    return np.where(both, a + "; " + b, np.where(a == "", b, a))


def _labels(explicit: pd.DataFrame, events: pd.DataFrame, index: pd.MultiIndex) -> np.ndarray:
    """What each tie is made of, e.g. ``"advises; manages; 3 × meeting; 12 × email"``.

    Built one type at a time over all ties (types are few, ties are many).
    """
    label = np.full(len(index), "", dtype=object)
    kinds = explicit.groupby(["source", "target", "type"]).size().unstack("type")
    for kind in sorted(kinds.columns):
        has = kinds[kind].reindex(index).notna().to_numpy()
        label = _join(label, np.where(has, kind, ""))
    counts = events.groupby(["source", "target", "type"]).size().unstack("type")
    for kind in sorted(counts.columns):
        n = counts[kind].reindex(index).fillna(0).to_numpy(int)
        label = _join(label, np.where(n > 0, np.char.add(n.astype(str), f" × {kind}"), ""))
    return label


PERSON_ATTRS = [
    "name",
    "title",
    "department",
    "account",
    "level",
    "buying_role",
    "stance",
    "stance_score",
    "internal",
    "reports_to",
]


def person_graph(people: pd.DataFrame, ties: pd.DataFrame) -> nx.DiGraph:
    """The weighted, directed person graph the analyses run on.

    Nodes are person ids (sorted, so results do not depend on input order) with the
    person attributes. An edge ``a -> b`` means a influences b, with attributes
    ``strength`` (0..1], ``distance = 1/strength`` (for shortest paths, betweenness and
    closeness), ``cost = -log(strength)`` (for warm paths: the cheapest path is the one
    with the largest product of strengths), ``formal``, ``label`` and ``last_contact``.
    """
    g = nx.DiGraph()
    nodes = people.sort_values("id")[["id", *PERSON_ATTRS]]
    g.add_nodes_from(
        (row[0], dict(zip(PERSON_ATTRS, row[1:]))) for row in nodes.itertuples(index=False)
    )
    strength = ties["strength"].to_numpy(float)
    attrs = pd.DataFrame({
        "strength": strength, "distance": 1.0 / strength, "cost": -np.log(strength),
        "formal": ties["formal"].to_numpy(bool), "label": ties["label"].to_numpy(object),
        "last_contact": ties["last_contact"].to_numpy(),
    }).to_dict("records")  # fmt: skip
    g.add_edges_from(zip(ties["source"], ties["target"], attrs))
    return g
