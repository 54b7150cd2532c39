"""Tie strength: how strongly one person influences another, with the evidence for it.

Every tie is built from *contributions*, each of which can be shown to a user
(:func:`contributions`, and ``Account.evidence``):

**Explicit ties** (relationships and ``reports_to``). A relationship of strength
:math:`s` contributes :math:`s \\cdot d` where :math:`d = 2^{-\\Delta/h}` decays with
the days :math:`\\Delta` since it *ended* (1 while it is active) and half-life
:math:`h`. Directed relationships count from source to target only; undirected ones
count both ways; ``reports_to`` is a manager → report tie of strength
``reports_to_strength`` (default 0.8: a reporting line is a strong tie, but not a
certain one — a manager does not act on every report's behalf; 1 would make every
chain up and down the org chart as good as a real relationship). Several explicit
contributions to the same direction combine as a noisy-OR: :math:`s_{rel} = 1 - \\prod_i (1 - c_i)`.

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
saturates below a ceiling: :math:`s_{int} = c\\,(1 - e^{-x/k})` with ``saturation``
:math:`k` and ``interaction_ceiling`` :math:`c` (default 0.9): activity alone never
makes a certain tie, so a frequent, recent relationship keeps headroom and ties do not
all saturate at 1.

**Direction of attention.** A message says who seeks whom: writing to someone is asking
for their attention, so the *recipient* is the one sought out, as the advisor is in an
advice network (asking j for advice makes j influence i). An e-mail with one sender
therefore counts in full for the tie recipient → sender (the recipient influences the
sender) and by the factor ``email_seeker_share`` :math:`\\sigma` (0 to 1) for the tie
sender → recipient. :math:`\\sigma = 0` makes mail purely directed, exactly like an
advice request; the default :math:`\\sigma = 1` keeps it symmetric (one undirected
contribution per pair), because on the validation harness directed mail raises the
breadth of inbound contact but lowers PageRank and the composite (see the README,
"Does it find the right people?"). Meetings, calls and other events carry no direction
(a participant list does not say who sought whom) and count both ways in full. The harness
``bench/validity.py`` shows which channels carry direction: on the Enron e-mail the
breadth of *inbound* contact (distinct senders) recovers executives a little better than
outbound contact (AUC 0.78 vs 0.75); on the advice networks far better (0.91 vs 0.36). Sources:
Rowe, Creamer, Hershkop & Stolfo, "Automated social hierarchy detection through email
network analysis", WebKDD/SNA-KDD 2007 (rank from who writes to whom); Agarwal, Omuya,
Harnly & Rambow, "A comprehensive gold standard for the Enron organizational
hierarchy", ACL 2012 (direction-aware network baselines); Lazega, *The Collegial
Phenomenon* (2001) and Krackhardt, "Cognitive social structures", Social Networks 9
(1987) (being sought for advice as status).

**Strength** of the tie :math:`a \\to b` combines both, again as a noisy-OR:
:math:`s = 1 - (1 - s_{rel})(1 - s_{int})`, so :math:`0 < s \\le 1`; only an explicit
relationship of strength 1 makes a tie of exactly 1. An all-undirected, unit-strength
relationship network with no events gives every tie strength exactly 1, so the person
graph is the textbook graph.

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

from influence import defaults
from influence.graph.arrays import PERSON_ATTRS, TableCodes, datetimes_ns, positions, table_codes
from influence.graph.distinct import union_ints, unique_ints
from influence.io.tables import TEXT_DTYPE, Tables

__all__ = [
    "TieConfig",
    "contributions",
    "tie_table",
    "person_graph",
    "coded_ties",
]

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
    return dict(defaults.CHANNEL_WEIGHTS)


@dataclass(frozen=True)
class TieConfig:
    r"""Parameters of tie strength; every field is explained in this module's docstring.

    Parameters
    ----------
    half_life_days : float
        :math:`h` of the decay :math:`2^{-\Delta/h}` (``--half-life``).
    channel_weights : mapping of str to float
        :math:`w_{channel}` by event type.
    other_channel_weight : float
        :math:`w_{channel}` of any other event type.
    saturation : float
        :math:`k` of :math:`s_{int} = c\,(1 - e^{-x/k})`.
    interaction_ceiling : float
        :math:`c` of :math:`s_{int} = c\,(1 - e^{-x/k})`.
    email_reciprocity_floor : float
        :math:`f`, the reciprocity factor of one-way mail.
    email_seeker_share : float
        :math:`\sigma`, the share of a mail's contribution on the sender -> recipient tie.
    reports_to_strength : float
        Strength of a manager -> report tie.
    as_of : pandas.Timestamp, optional
        The date the analysis looks from: events and relationships after it are ignored
        and recency is measured from it. ``None`` means the latest event in the data
        (:meth:`resolve`).

    Attributes
    ----------
    The parameters, as given (defaults in :mod:`influence.defaults`).

    Examples
    --------
    >>> TieConfig().half_life_days, TieConfig().channel_weights["meeting"]
    (180.0, 1.0)
    >>> TieConfig(as_of="2026-03-01 17:30").resolve(None).as_of
    Timestamp('2026-03-01 00:00:00')
    """

    half_life_days: float = defaults.HALF_LIFE_DAYS
    channel_weights: Mapping[str, float] = field(default_factory=_default_channels)
    other_channel_weight: float = defaults.OTHER_CHANNEL_WEIGHT
    saturation: float = defaults.SATURATION
    interaction_ceiling: float = defaults.INTERACTION_CEILING
    email_reciprocity_floor: float = defaults.EMAIL_RECIPROCITY_FLOOR
    email_seeker_share: float = defaults.EMAIL_SEEKER_SHARE
    reports_to_strength: float = defaults.REPORTS_TO_STRENGTH
    as_of: pd.Timestamp | None = None

    def resolve(self, tables: Tables) -> TieConfig:
        """This config with ``as_of`` taken from the data when it is not set.

        Parameters
        ----------
        tables : influence.io.tables.Tables
            Canonical tables (events and relationship dates are read when ``as_of`` is None).

        Returns
        -------
        TieConfig
            A copy whose ``as_of`` is the given date at midnight, or the latest event or
            relationship date of the data (``None`` if the data has no date).

        Examples
        --------
        >>> import pandas as pd
        >>> from influence.io.tables import validate
        >>> from influence.io.frames import as_read
        >>> t = validate(as_read("people.csv", id=["a"], name=["Ann"]),
        ...              events=as_read("events.csv", id=["m1", "m2"],
        ...                         date=["2026-01-05", "2026-02-01"], type=["meeting", "call"]))
        >>> TieConfig().resolve(t).as_of
        Timestamp('2026-02-01 00:00:00')
        """
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
    """The event rows of :func:`contributions`, from :func:`_coded_interactions` (the
    one interaction engine) with the codes turned back into ids and events."""
    codes = table_codes(tables)
    inter = _coded_interactions(tables, config, codes.id_rank, codes)
    ids = codes.people.to_numpy()[np.argsort(codes.id_rank)]
    a, b, a_sent = inter["a"], inter["b"], inter["a_sent"]
    one = a_sent | inter["b_sent"]
    if config.email_seeker_share >= 1:  # symmetric mail: one undirected row, as any event
        a_sent = one = np.zeros(len(a), dtype=bool)
    ev, e = inter["events"], inter["event"]
    # A message with one sender is directed: the recipient (sought out) influences the
    # sender in full, the sender the recipient by email_seeker_share (rows after all pairs).
    rows = pd.DataFrame(
        {
            "source": ids[np.where(a_sent, b, a)],
            "target": ids[np.where(a_sent, a, b)],
            "directed": one,
            "kind": "event",
            "ref": ev["id"].to_numpy()[e],
            "type": ev["type"].to_numpy()[e],
            "date": ev["date"].to_numpy()[e],
            "weight": inter["channel"][e],
            "decay": inter["decay"][e],
            "share": inter["share"],
            "reciprocity": inter["reciprocity"],
        }
    )
    if config.email_seeker_share <= 0 or not one.any():
        return rows
    back = rows[one].rename(columns={"source": "target", "target": "source"})
    back["share"] = back["share"] * config.email_seeker_share
    return pd.concat([rows, back[rows.columns]], ignore_index=True)


def contributions(tables: Tables, config: TieConfig | None = None) -> pd.DataFrame:
    r"""Every contribution to every tie: the evidence behind the person graph.

    .. math:: contribution = weight \cdot decay \cdot share \cdot reciprocity

    with the terms of the module docstring (an explicit tie has share and reciprocity 1;
    an event has ``share`` :math:`1/(n-1)` of its :math:`n` participants).

    Parameters
    ----------
    tables : influence.io.tables.Tables
        Canonical tables of a dataset or an account.
    config : TieConfig, optional
        Tie-strength parameters (default :class:`TieConfig`); ``as_of`` unset means the
        latest date in the data.

    Returns
    -------
    pandas.DataFrame
        One row per contribution, columns ``source, target, directed, kind, ref, type,
        date, weight, decay, share, reciprocity, contribution``; ``kind`` is
        ``reports_to``, ``relationship`` or ``event``; undirected rows have
        ``source < target``.

    Examples
    --------
    Ann manages Bob and Cy; Bob and Cy are peers (strength 0.5); Ann and Bob met once,
    on the latest date of the data (so nothing has decayed):

    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> from influence.io.frames import as_read
    >>> t = validate(
    ...     as_read("people.csv", id=["a", "b", "c"], name=["Ann", "Bob", "Cy"],
    ...         reports_to=["", "a", "a"]),
    ...     as_read("relationships.csv", source=["b"], target=["c"], type=["peer"],
    ...             strength=["0.5"]),
    ...     as_read("events.csv", id=["m1"], date=["2026-01-05"], type=["meeting"]),
    ...     as_read("participants.csv", event_id=["m1", "m1"], person_id=["a", "b"]))
    >>> contributions(t)[["source", "target", "directed", "kind", "ref", "contribution"]]
      source target  directed          kind                    ref  contribution
    0      a      b      True    reports_to           people row 3           0.8
    1      a      c      True    reports_to           people row 4           0.8
    2      b      c     False  relationship  relationships.csv row 2           0.5
    3      a      b     False         event                     m1           1.0
    """
    config = (config or TieConfig()).resolve(tables)
    parts = [x for x in (_explicit(tables, config), _interactions(tables, config)) if len(x)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["contribution"] = out["weight"] * out["decay"] * out["share"] * out["reciprocity"]
    return out[EVIDENCE_COLUMNS].reset_index(drop=True)


def tie_table(evidence: pd.DataFrame, config: TieConfig | None = None) -> pd.DataFrame:
    r"""Combine contributions into one row per directed tie.

    An undirected contribution counts in both directions. Explicit contributions
    :math:`c_i` of a direction combine as a noisy-OR, interactions saturate:

    .. math::

        s_{rel} = 1 - \prod_i (1 - c_i), \qquad
        s_{int} = c\,(1 - e^{-x/k}),\ x = \textstyle\sum c, \qquad
        s = 1 - (1 - s_{rel})(1 - s_{int})

    (module docstring).

    Parameters
    ----------
    evidence : pandas.DataFrame
        :func:`contributions`.
    config : TieConfig, optional
        For ``saturation`` :math:`k` and ``interaction_ceiling`` :math:`c`.

    Returns
    -------
    pandas.DataFrame
        Columns ``source, target, strength, explicit, interaction, formal, label,
        last_contact``, sorted by ``source, target``, ties of strength 0 left out;
        ``explicit`` and ``interaction`` are :math:`s_{rel}` and :math:`s_{int}`,
        ``formal`` marks a ``reports_to`` line, ``last_contact`` is the latest event.

    Examples
    --------
    The example of :func:`contributions`. By hand: the meeting gives
    :math:`s_{int} = 0.9\,(1 - e^{-1/2}) = 0.354122` both ways, so
    :math:`s_{a \to b} = 1 - 0.2 \cdot (1 - 0.354122) = 0.870824`:

    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> from influence.io.frames import as_read
    >>> t = validate(
    ...     as_read("people.csv", id=["a", "b", "c"], name=["Ann", "Bob", "Cy"],
    ...         reports_to=["", "a", "a"]),
    ...     as_read("relationships.csv", source=["b"], target=["c"], type=["peer"],
    ...             strength=["0.5"]),
    ...     as_read("events.csv", id=["m1"], date=["2026-01-05"], type=["meeting"]),
    ...     as_read("participants.csv", event_id=["m1", "m1"], person_id=["a", "b"]))
    >>> tie_table(contributions(t))[["source", "target", "strength", "formal", "label"]].round(6)
      source target  strength  formal                 label
    0      a      b  0.870824    True  manages; 1 × meeting
    1      a      c  0.800000    True               manages
    2      b      a  0.354122   False           1 × meeting
    3      b      c  0.500000   False                  peer
    4      c      b  0.500000   False                  peer
    """
    config = config or TieConfig()
    ev = evidence
    back = ~ev["directed"].to_numpy(dtype=bool)

    def rows(col: str, reverse: str | None = None) -> np.ndarray:
        x = ev[col].to_numpy(dtype=object)
        return np.concatenate([x, ev[reverse or col].to_numpy(dtype=object)[back]])

    # Every contribution, then the undirected ones reversed; people as codes ranked by id.
    src, dst = rows("source", "target"), rows("target", "source")
    ids = np.unique(np.concatenate([src, dst]))
    src, dst = positions(src, ids), positions(dst, ids)
    kind, kinds = rows("kind"), rows("type")
    c = ev["contribution"].to_numpy(float)
    value = np.concatenate([c, c[back]])
    x, i = kind != "event", kind == "event"
    date, _ = datetimes_ns(rows("date")[i])
    types, names = pd.factorize(kinds[i])
    return _combine(
        ids,
        (src[x], dst[x], value[x], kind[x] == "reports_to", kinds[x]),
        (src[i], dst[i], value[i], date, types, np.asarray(names, dtype=object)),
        config,
    )[0]


def person_graph(people: pd.DataFrame, ties: pd.DataFrame) -> nx.DiGraph:
    r"""The weighted, directed person graph the analyses run on.

    An edge ``a -> b`` means a influences b, with attributes ``strength``
    :math:`s \in (0, 1]`, ``distance`` :math:`1/s` (for shortest paths, betweenness and
    closeness), ``cost`` :math:`-\log s` (for warm paths: the cheapest path is the one
    with the largest product of strengths), ``formal``, ``label`` and ``last_contact``.

    Parameters
    ----------
    people : pandas.DataFrame
        An account's people table (canonical columns).
    ties : pandas.DataFrame
        Its :func:`tie_table`.

    Returns
    -------
    networkx.DiGraph
        Nodes are person ids, sorted (so results do not depend on input order), with the
        person attributes (:data:`~influence.graph.arrays.PERSON_ATTRS`).

    Examples
    --------
    >>> import math
    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> people = validate(pd.DataFrame({"id": ["b", "a"], "name": ["Bob", "Ann"],
    ...                                 "_file": "people.csv", "_row": [2, 3]})).people
    >>> ties = pd.DataFrame({"source": ["a"], "target": ["b"], "strength": [0.5], "formal": [False],
    ...                      "label": ["peer"], "last_contact": [pd.NaT]})
    >>> g = person_graph(people, ties)
    >>> list(g), g["a"]["b"]["distance"], math.isclose(g["a"]["b"]["cost"], math.log(2))
    (['a', 'b'], 2.0, True)
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
    })  # fmt: skip
    # A column at a time (what to_dict("records") gives, several times faster).
    keys = list(attrs.columns)
    rows = zip(*(attrs[k].tolist() for k in keys), strict=True)
    g.add_edges_from(
        (a, b, dict(zip(keys, row)))
        for a, b, row in zip(ties["source"].tolist(), ties["target"].tolist(), rows, strict=True)
    )
    return g


def coded_ties(
    tables: Tables, config: TieConfig | None = None, codes: TableCodes | None = None
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """``tie_table(contributions(tables, config), config)`` without the evidence table.

    The same ties, to the last bit: the same contributions in the same order, combined
    by the same code as :func:`tie_table`, but computed with people and events as
    integer codes (ranked by id, so codes compare like ids) rather than strings, and
    without the text columns of the evidence (``ref``) that ties do not use. For whole
    datasets, where the evidence table has millions of rows.

    Parameters
    ----------
    tables : influence.io.tables.Tables
        Canonical (validated) tables.
    config : TieConfig, optional
        Tie-strength parameters.
    codes : TableCodes, optional
        :func:`~influence.graph.arrays.table_codes` of ``tables``, if known.

    Returns
    -------
    ties : pandas.DataFrame
        As :func:`tie_table`.
    source, target : numpy.ndarray of int64
        Each tie's source and target as positions in the people table.

    Raises
    ------
    ValueError
        For tables that are not validated (repeated ids, unknown people).

    Examples
    --------
    >>> import pandas as pd
    >>> from influence.io.tables import validate
    >>> from influence.io.frames import as_read
    >>> t = validate(
    ...     as_read("people.csv", id=["b", "a"], name=["Bob", "Ann"], reports_to=["a", ""]),
    ...     events=as_read("events.csv", id=["m1"], date=["2026-01-05"], type=["meeting"]),
    ...     participants=as_read("participants.csv", event_id=["m1", "m1"], person_id=["a", "b"]))
    >>> ties, src, dst = coded_ties(t)
    >>> ties[["source", "target"]].values.tolist(), src.tolist(), dst.tolist()
    ([['a', 'b'], ['b', 'a']], [1, 0], [0, 1])
    >>> ties["strength"].equals(tie_table(contributions(t))["strength"])
    True
    """
    config = (config or TieConfig()).resolve(tables)
    explicit = _explicit(tables, config)
    codes = codes or table_codes(tables)
    people = codes.people.to_numpy()
    e_src = positions(explicit["source"].to_numpy(dtype=object), people)
    e_dst = positions(explicit["target"].to_numpy(dtype=object), people)
    if (e_src < 0).any() or (e_dst < 0).any():
        raise ValueError("relationships must be between people of the tables (validate them)")
    rank = codes.id_rank  # a person's code: its rank by id
    by_id = np.argsort(rank)  # code -> people position
    ids = people[by_id]
    e_src, e_dst = rank[e_src], rank[e_dst]
    e_contribution = (
        explicit["weight"].to_numpy(float)
        * explicit["decay"].to_numpy(float)
        * explicit["share"].to_numpy(float)
        * explicit["reciprocity"].to_numpy(float)
    )
    e_directed = explicit["directed"].to_numpy(dtype=bool)
    e_formal = (explicit["kind"] == "reports_to").to_numpy(dtype=bool)
    e_type = explicit["type"].to_numpy(dtype=object)
    # Rows as tie_table sees them: every contribution, then the undirected ones reversed.
    back = ~e_directed
    x_src = np.concatenate([e_src, e_dst[back]])
    x_dst = np.concatenate([e_dst, e_src[back]])
    x_value = np.concatenate([e_contribution, e_contribution[back]])
    x_formal = np.concatenate([e_formal, e_formal[back]])
    x_type = np.concatenate([e_type, e_type[back]])
    # The pairs' own arrays are freed once their rows are built (_interaction_rows), and
    # _combine frees the rows as it uses them (they are passed, not kept here): on a whole
    # dataset each takes tens of MB.
    ties, src, dst = _combine(
        ids,
        (x_src, x_dst, x_value, x_formal, x_type),
        _interaction_rows(_coded_interactions(tables, config, rank, codes), config),
        config,
    )
    return ties, by_id[src], by_id[dst]


def _interaction_rows(inter: dict, config: TieConfig) -> tuple:
    """The rows of :func:`_coded_interactions`' pairs as :func:`tie_table` sees them (see
    :func:`_interactions`): each pair, directed ones from the recipient; then the
    sender -> recipient rows of directed ones; then the undirected ones reversed. Returns
    ``(source, target, contribution, date_ns, type_code, types)``, as :func:`_combine`
    takes them."""
    a, b, a_sent = inter["a"], inter["b"], inter["a_sent"]
    one = a_sent | inter["b_sent"]
    if config.email_seeker_share >= 1:  # symmetric mail (see _interactions)
        a_sent = one = np.zeros(len(a), dtype=bool)
    p_src, p_dst = np.where(a_sent, b, a), np.where(a_sent, a, b)
    seek = one if config.email_seeker_share > 0 else np.zeros(len(one), dtype=bool)
    i_src = np.concatenate([p_src, p_dst[seek], p_dst[~one]])
    i_dst = np.concatenate([p_dst, p_src[seek], p_src[~one]])
    c = inter["contribution"]
    i_value = np.concatenate([c, inter["seeker"][seek], c[~one]])
    d, t = inter["date"], inter["type"]  # type codes in inter["types"], -1: none
    i_date = np.concatenate([d, d[seek], d[~one]])
    i_type = np.concatenate([t, t[seek], t[~one]])
    return i_src, i_dst, i_value, i_date, i_type, inter["types"]


def _combine(
    ids: np.ndarray, explicit: tuple, interactions: tuple, config: TieConfig
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The ties of contributions given as codes: the one place where explicit
    contributions combine as a noisy-OR, interactions saturate and both combine (module
    docstring), for :func:`tie_table` and :func:`coded_ties`.

    ``ids`` are the people's ids sorted (a person's code is its position); ``explicit`` is
    ``(source, target, contribution, formal, type)`` per explicit row and
    ``interactions`` ``(source, target, contribution, date_ns, type_code, types)`` per
    event row, each direction of an undirected contribution a row of its own, in
    evidence order (group sums add in that order). Returns the tie table and each tie's
    source and target code. Each array is let go once used: a caller that passes the
    tuples without keeping them (as both callers do) has them freed as early.
    """
    x_src, x_dst, x_value, x_formal, x_type = explicit
    i_src, i_dst, i_value, i_date, i_type, types = interactions
    del explicit, interactions
    n = len(ids)
    x_key = x_src * n + x_dst
    i_key = i_src * n + i_dst
    del x_src, x_dst, i_src, i_dst
    keep = np.log1p(-np.minimum(x_value, 1 - 1e-15))
    x_groups = pd.Series(keep).groupby(x_key)
    s_rel = 1 - np.exp(x_groups.sum())
    x_group = x_groups.ngroup().to_numpy()
    i_groups = pd.Series(i_value).groupby(i_key)
    x = i_groups.sum()
    i_group = i_groups.ngroup().to_numpy()
    # Each row's group number is all that is left to take from the groupings: on a whole
    # dataset (millions of rows) their tables would add a hundred MB to the peak.
    del x_groups, i_groups, x_key, i_key, keep, i_value
    s_int = config.interaction_ceiling * -np.expm1(-x / config.saturation)
    # The union of both (sorted, distinct) and where each tie's values go in it.
    key = union_ints(s_rel.index.to_numpy(), s_int.index.to_numpy())
    at_rel = np.searchsorted(key, s_rel.index.to_numpy())
    at_int = np.searchsorted(key, s_int.index.to_numpy())
    explicit_s = np.zeros(len(key))
    explicit_s[at_rel] = s_rel.to_numpy(float)
    explicit_s[at_rel[s_rel.to_numpy(float) >= 1 - 1e-12]] = 1.0
    interaction = np.zeros(len(key))
    interaction[at_int] = s_int.to_numpy(float)
    strength = 1 - (1 - explicit_s) * (1 - interaction)
    # Each row's tie: its group (numbered in key order, as the sums are) in the union.
    x_at, i_at = at_rel[x_group], at_int[i_group]
    del x_group, i_group
    formal = np.zeros(len(key), dtype=bool)
    formal[x_at[x_formal]] = True
    last = np.full(len(key), np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last, i_at, i_date)  # the latest interaction of each tie
    last = last.view("datetime64[ns]")
    label = _coded_labels(len(key), x_at, x_type, i_at, i_type, types)
    del x_at, i_at, i_date, i_type
    ok = strength > 0
    k = key[ok]
    src, dst = k // n, k % n
    frame = pd.DataFrame(
        {
            "source": _text(ids, src),
            "target": _text(ids, dst),
            "strength": strength[ok],
            "explicit": explicit_s[ok],
            "interaction": interaction[ok],
            "formal": formal[ok],
            "label": _text(label[0], label[1][ok]),
            "last_contact": last[ok].astype("datetime64[ns]"),
        }
    )
    return frame, src, dst


def _text(values: np.ndarray, take: np.ndarray):
    """``values[take]`` (distinct strings) as a text column, built by Arrow when pandas
    stores text in Arrow (building it from Python strings costs ten times more)."""
    if isinstance(TEXT_DTYPE, np.dtype) or not all(isinstance(v, str) for v in values):
        return np.asarray(values, dtype=object)[take]
    import pyarrow as pa
    import pyarrow.compute as pc

    return pd.array(pc.take(pa.array(values, type=pa.string()), pa.array(take)), dtype=TEXT_DTYPE)


def _coded_interactions(
    tables: Tables, config: TieConfig, rank: np.ndarray, codes: TableCodes
) -> dict:
    """Every event's contributions with people as codes (``rank``: a person's code by
    people position): one entry per pair of participants (``a < b``), ordered by the
    participant rows of ``a`` then ``b``. Validated tables are required: every
    participant a person, nobody twice in one event (else ``ValueError``)."""
    if (codes.part_person < 0).any():
        raise ValueError("participants must be people of the tables (validate them first)")
    ev = tables.events
    event_pos = codes.part_event
    if config.as_of is not None:
        kept = (ev["date"] < config.as_of + pd.Timedelta(days=1)).to_numpy(dtype=bool)
        ev = ev[kept]
        moved = np.cumsum(kept) - 1
        event_pos = np.where(
            event_pos >= 0, np.where(kept[np.maximum(event_pos, 0)], moved[event_pos], -1), -1
        )
    part = tables.participants
    found = event_pos >= 0
    e = event_pos[found]
    person = rank[codes.part_person[found]]
    etype = ev["type"].to_numpy(dtype=object)
    type_code, type_names = pd.factorize(etype)
    type_names = np.asarray(type_names, dtype=object)
    sender = part["role"].isin(SENDER_ROLES).to_numpy(dtype=bool)[found] & (etype[e] == "email")
    size = np.bincount(e, minlength=len(ev))
    mail_event = np.bincount(e, weights=sender, minlength=len(ev)) > 0
    many = size[e] > 1
    e, person, sender = e[many], person[many], sender[many]
    # Every pair of rows of one event, the row of the smaller id on the left, ordered by
    # left row then right row: the order of the self-merge in _interactions.
    by_event = np.argsort(e, kind="stable")
    starts = np.flatnonzero(np.r_[True, e[by_event][1:] != e[by_event][:-1]]) if len(e) else e
    counts = np.diff(np.r_[starts, len(e)])
    ri_parts, rj_parts = [], []
    for k in unique_ints(counts).tolist():  # events of each size at once
        first = starts[counts == k]
        i, j = np.triu_indices(k, 1)
        ri_parts.append(by_event[(first[:, None] + i[None, :]).ravel()])
        rj_parts.append(by_event[(first[:, None] + j[None, :]).ravel()])
    ri = np.concatenate(ri_parts) if ri_parts else np.zeros(0, np.int64)
    rj = np.concatenate(rj_parts) if rj_parts else np.zeros(0, np.int64)
    del ri_parts, rj_parts  # (each array of pairs is freed once used: tens of MB apiece)
    swap = person[ri] > person[rj]
    left = np.where(swap, rj, ri)
    right = np.where(swap, ri, rj)
    del ri, rj, swap
    if (person[left] == person[right]).any():
        raise ValueError("a person twice in one event (validate the tables first)")
    # np.lexsort((right, left)): each pair of rows occurs once, so the keys are distinct
    # and one sort of a single key gives the same order, several times faster.
    order = np.argsort(left.astype(np.int64) * max(len(e), 1) + right)
    left, right = left[order], right[order]
    del order
    ev_of = e[left]
    mail = mail_event[ev_of]
    keep = ~mail | sender[left] | sender[right]
    left, right, ev_of, mail = left[keep], right[keep], ev_of[keep], mail[keep]
    a, b = person[left], person[right]
    n = len(rank)
    f = config.email_reciprocity_floor
    recip = np.ones(len(a))
    if mail.any():
        pair = (a * n + b)[mail]
        ab = pd.Series(sender[left][mail]).groupby(pair).sum()
        ba = pd.Series(sender[right][mail]).groupby(pair).sum()
        counts_ = pd.DataFrame({"ab": ab, "ba": ba})
        r = f + (1 - f) * counts_.min(axis=1) / counts_.max(axis=1)
        recip[mail] = r.reindex(pair).to_numpy(float)
    ev_date = ev["date"]
    decay = _decay(ev_date, config)
    # Each event's channel weight, looked up once per type (code -1, no type: the last).
    other = config.other_channel_weight
    channel = np.array(
        [config.channel_weights.get(t, other) for t in type_names] + [other], dtype=float
    )[type_code]
    share = np.where(mail, 1.0, 1.0 / (size[ev_of].astype(float) - 1))
    contribution = channel[ev_of] * decay[ev_of] * share * recip
    s_left, s_right = sender[left], sender[right]
    return {
        "a": a,
        "b": b,
        "a_sent": mail & s_left & ~s_right,
        "b_sent": mail & s_right & ~s_left,
        "contribution": contribution,
        "seeker": channel[ev_of] * decay[ev_of] * (share * config.email_seeker_share) * recip,
        "date": ev_date.to_numpy("datetime64[ns]").view(np.int64)[ev_of],
        "type": type_code[ev_of],
        "types": type_names,
        # for the evidence table (:func:`_interactions`): each row's event in ``events``
        "events": ev,
        "event": ev_of,
        "channel": channel,
        "decay": decay,
        "share": share,
        "reciprocity": recip,
    }


def _coded_labels(
    n: int,
    x_at: np.ndarray,
    x_type: np.ndarray,
    i_at: np.ndarray,
    i_type: np.ndarray,
    types: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_labels` of ``n`` ties from explicit rows (tie ``x_at``, type ``x_type``)
    and event rows (tie ``i_at``, type code ``i_type`` in ``types``, -1 for none): each
    distinct label written once, and each tie's label."""
    kinds = sorted(set(pd.unique(x_type[pd.notna(x_type)]).tolist()))
    columns = []
    for kind in kinds:
        has = np.zeros(n, dtype=np.int8)
        has[x_at[x_type == kind]] = 1
        columns.append(has)
    # Each tie's count of each event type, a type at a time (as 32-bit counts: there are
    # fewer rows than 2**31), which on a whole dataset takes a fraction of the memory of
    # one count table of every type.
    wide = np.int64 if len(i_at) >= 2**31 else np.int32
    counts = [np.bincount(i_at[i_type == j], minlength=n).astype(wide) for j in range(len(types))]
    present = sorted((str(t), j) for j, t in enumerate(types.tolist()) if counts[j].any())
    columns += [counts[j] for _, j in present]
    del counts
    names = [t for t, _ in present]
    if not columns:
        return np.array([""], dtype=object), np.zeros(n, dtype=np.int64)
    # One code per distinct combination: a mixed-radix number when it fits in 63 bits.
    radix = [int(col.max()) + 1 for col in columns]
    if np.prod([float(r) for r in radix]) < 2.0**62:
        combo = np.zeros(n, dtype=np.int64)
        for col, r in zip(columns, radix):
            combo = combo * r + col
        combo = pd.factorize(combo)[0].astype(np.int64)
    else:
        combo = np.zeros(n, dtype=np.int64)
        for col, r in zip(columns, radix):
            combo = pd.factorize(combo * r + col)[0].astype(np.int64)
    first = np.full(combo.max() + 1 if n else 0, -1, dtype=np.int64)
    first[combo[::-1]] = np.arange(n)[::-1]
    text = []
    for i in first.tolist():
        row = [int(col[i]) for col in columns]
        parts = [kind for kind, v in zip(kinds, row) if v]
        parts += [f"{v} × {t}" for t, v in zip(names, row[len(kinds) :]) if v > 0]
        text.append("; ".join(parts))
    return np.asarray(text, dtype=object), combo
