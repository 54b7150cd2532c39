"""Every default and threshold that shapes results, in one place.

This module sits below :mod:`influence.io` in the layering (it imports nothing from
``influence``), so every layer may import it. Each name is used where the rule lives and
documented here; ``run.json`` records them all (:func:`describe`) and the README lists
them. Options a user can change (``--half-life``, ``--seed``, ...) take their default
from here; the rest are fixed rules of the analysis.

Performance knobs that never change a result (chunk sizes, the work above which a
compiled kernel or a thread pool is used) stay with their code.

Tie strength (:mod:`influence.graph.ties`)
    :data:`HALF_LIFE_DAYS`, :data:`CHANNEL_WEIGHTS`, :data:`OTHER_CHANNEL_WEIGHT`,
    :data:`SATURATION`, :data:`INTERACTION_CEILING`, :data:`EMAIL_RECIPROCITY_FLOOR`,
    :data:`EMAIL_SEEKER_SHARE`, :data:`REPORTS_TO_STRENGTH`; the floor of a live tie
    :data:`TIE_FLOOR` (``degree``).
The composite score (:mod:`influence.analysis.centrality`)
    :data:`INFLUENCE_WEIGHTS`.
Warm paths (:mod:`influence.analysis.paths`)
    :data:`INTRODUCTION_FACTOR`, :data:`MAX_HOPS`.
Communities (:mod:`influence.analysis.communities`)
    :data:`SEED`.
Roles, coverage, risk, engagement, hidden influencers, changes
    :data:`WEAK_TIE`, :data:`HIGH_INFLUENCE_QUANTILE`, :data:`DECISION_ROLES`,
    :data:`BROKER_BETWEENNESS_QUANTILE`, :data:`BROKER_CONSTRAINT_QUANTILE`,
    :data:`CONNECTOR_DEGREE_QUANTILE`, :data:`HIDDEN_Z`, :data:`INFLUENCE_THRESHOLD`,
    :data:`COOLED_SHARE`, :data:`COLD_DAYS`; support :data:`ANCHOR_SUSCEPTIBILITY`,
    :data:`UNKNOWN_SUSCEPTIBILITY`; next moves :data:`EQUAL_GAINS`, :data:`SWAY_MIN`.
Activity over time (:mod:`influence.analysis.activity`, ``gone_quiet`` in changes)
    :data:`QUIET_DAYS`, :data:`THIN_DATA_SHARE`.
Reading input (:mod:`influence.io`)
    :data:`TRUE_WORDS`, :data:`FALSE_WORDS`, :data:`ZIP_MAX_MEMBER_BYTES`,
    :data:`ZIP_MAX_RATIO`, :data:`ZIP_RATIO_FROM_BYTES`, :data:`MAX_EXTRA_COLUMNS`.
Batch runs (:mod:`influence.batch`, :class:`influence.Account`)
    :data:`MAPS`, :data:`MAP_PATHS`, :data:`REPORT_TREND_PERIODS`,
    :data:`MAX_ACCOUNT_WORK`, :data:`MIN_ACCOUNT_TIMEOUT`.

>>> from influence import defaults
>>> defaults.describe()["weak_tie"]
0.3
>>> "Executive Sponsor" in defaults.DECISION_ROLES
True
"""

from __future__ import annotations

from types import MappingProxyType

__all__ = [
    "ANCHOR_SUSCEPTIBILITY",
    "BROKER_BETWEENNESS_QUANTILE",
    "BROKER_CONSTRAINT_QUANTILE",
    "CHANNEL_WEIGHTS",
    "COLD_DAYS",
    "CONNECTOR_DEGREE_QUANTILE",
    "COOLED_SHARE",
    "DECISION_ROLES",
    "EMAIL_RECIPROCITY_FLOOR",
    "EMAIL_SEEKER_SHARE",
    "EQUAL_GAINS",
    "FALSE_WORDS",
    "HALF_LIFE_DAYS",
    "HIDDEN_Z",
    "HIGH_INFLUENCE_QUANTILE",
    "INFLUENCE_THRESHOLD",
    "INFLUENCE_WEIGHTS",
    "INTERACTION_CEILING",
    "INTRODUCTION_FACTOR",
    "MAPS",
    "MAP_PATHS",
    "MAX_ACCOUNT_WORK",
    "MAX_EXTRA_COLUMNS",
    "MAX_HOPS",
    "MIN_ACCOUNT_TIMEOUT",
    "OTHER_CHANNEL_WEIGHT",
    "QUIET_DAYS",
    "REPORT_TREND_PERIODS",
    "REPORTS_TO_STRENGTH",
    "SATURATION",
    "SEED",
    "SWAY_MIN",
    "THIN_DATA_SHARE",
    "TIE_FLOOR",
    "TRUE_WORDS",
    "UNKNOWN_SUSCEPTIBILITY",
    "WEAK_TIE",
    "ZIP_MAX_MEMBER_BYTES",
    "ZIP_MAX_RATIO",
    "ZIP_RATIO_FROM_BYTES",
    "describe",
]

# --- tie strength -----------------------------------------------------------------------

#: Days after which an interaction (or an ended relationship) counts half: the decay is
#: :math:`2^{-\Delta/h}` (``--half-life``).
HALF_LIFE_DAYS = 180.0
#: Weight of one event by channel (meeting > call > conference > email > task).
CHANNEL_WEIGHTS = MappingProxyType(
    {"meeting": 1.0, "call": 0.7, "conference": 0.5, "email": 0.3, "task": 0.2}
)
#: Weight of an event whose type is none of :data:`CHANNEL_WEIGHTS`.
OTHER_CHANNEL_WEIGHT = 0.5
#: :math:`k` in :math:`s_{int} = c\,(1 - e^{-x/k})`: how much interaction saturates a tie.
SATURATION = 2.0
#: :math:`c` in :math:`s_{int} = c\,(1 - e^{-x/k})`: activity alone never makes a certain
#: tie, so a frequent, recent relationship keeps headroom (ties do not all saturate at 1).
INTERACTION_CEILING = 0.9
#: Reciprocity factor of one-way e-mail (1 when mail goes equally both ways).
EMAIL_RECIPROCITY_FLOOR = 0.5
#: Share of an e-mail's contribution that the sender's tie to the recipient gets; the
#: recipient (the person sought out) gets it in full on their tie to the sender. 0: an
#: e-mail counts like an advice request, for the tie sought -> seeker only; 1 (default):
#: symmetric, until directed mail earns its place on ``bench/validity.py``.
EMAIL_SEEKER_SHARE = 1.0
#: A tie counts towards ``degree`` while its (decayed) strength is at least this: one
#: one-way e-mail (strength ~0.07) counts for about 2.9 half-lives, then fades out.
TIE_FLOOR = 0.01
#: Strength of a manager -> report tie from ``reports_to``: strong, not certain (1 would
#: make every chain along the org chart as good as a real relationship).
REPORTS_TO_STRENGTH = 0.8

# --- the composite score ----------------------------------------------------------------

#: Weight of each metric in the composite ``influence`` score, a weighted mean of the
#: metrics scaled to their account maximum (``influence.load(..., weights=...)``). The
#: three prestige indices of directed networks count equally (Wasserman & Faust 1994,
#: 5.3): breadth of the people who seek you (``degree``), closeness from you to them
#: (``closeness``) and being sought by those who are sought (``pagerank``).
#: ``betweenness`` (brokerage, the ``broker`` role) and ``eigenvector`` (which ignores
#: direction) are reported but do not count. Evidence and the rules tried: the README,
#: "Does it find the right people?" (``bench/validity.py``).
INFLUENCE_WEIGHTS = MappingProxyType(
    {"pagerank": 1.0, "betweenness": 0.0, "eigenvector": 0.0, "closeness": 1.0, "degree": 1.0}
)

# --- warm paths -----------------------------------------------------------------------------

#: Chance that an intermediary makes an introduction: a chain of h hops is worth
#: :math:`f^{h-1} \prod s` (even odds, with no data on whether an intermediary will act).
INTRODUCTION_FACTOR = 0.5
#: Longest introduction chain searched, in hops (``influence paths --max-hops``).
MAX_HOPS = 4

# --- communities --------------------------------------------------------------------------

#: Seed of community detection (Louvain), so coalitions are reproducible (``--seed``).
SEED = 42

# --- rules over the influencers table -----------------------------------------------------

#: Tie strength below which a tie is *weak*: a coverage gap when the person is
#: influential, "under pressure" for engagement roles; at or above it a tie counts as a
#: strong tie for the risk flags and as "a tie that mattered" for ``cooled``.
WEAK_TIE = 0.3
#: Quantile of customer influence at or above which a person is *influential* (the
#: top quartile): coverage gaps, influential blockers, key stakeholders, hidden
#: influencers and the charts' high-influence zone.
HIGH_INFLUENCE_QUANTILE = 0.75
#: Buying roles that make a person a decision maker, for warm paths, risk flags
#: (``no_decision_coverage``, ``bow_tie``) and engagement roles alike. An executive
#: sponsor approves and funds the purchase, so reaching them is reaching the decision.
DECISION_ROLES = ("Decision Maker", "Economic Buyer", "Executive Sponsor")
#: A broker has betweenness at or above this quantile ...
BROKER_BETWEENNESS_QUANTILE = 0.90
#: ... and Burt's constraint at or below this one (spans structural holes).
BROKER_CONSTRAINT_QUANTILE = 0.25
#: A connector has degree at or above this quantile.
CONNECTOR_DEGREE_QUANTILE = 0.90
#: A hidden influencer's influence is at least this many standard deviations above what
#: their formal level predicts.
HIDDEN_Z = 1.5
#: Influence points a person must rise or fall by to count as ``rose``/``fell``
#: (``influence diff --threshold``).
INFLUENCE_THRESHOLD = 15.0
#: Share of a tie's strength it must lose to count as ``cooled``.
COOLED_SHARE = 0.5
#: Days without contact from our team after which a champion or supporter is cold:
#: ``champion_cold`` in ``influence diff`` (``--cold-days``), stale in
#: ``Account.stale()``, the report's summary and the index (``days_since_contact``
#: above this, or no contact ever).
COLD_DAYS = 60
#: Predicted support (:mod:`influence.analysis.support`, Friedkin–Johnsen): λ of a person
#: with a recorded stance, an anchor (80 % of their opinion is what they told us).
ANCHOR_SUSCEPTIBILITY = 0.2
#: Predicted support: λ of a person with no recorded stance (their opinion is what those
#: they listen to think).
UNKNOWN_SUSCEPTIBILITY = 1.0
#: Next moves (:mod:`influence.analysis.moves`): gains within this of each other count as
#: equal, and then rank nothing (the moves are ordered by influence and say so).
EQUAL_GAINS = 1e-9
#: Next moves: a person is swayed by a move when their predicted support rises by more
#: than this (on the −1..1 scale).
SWAY_MIN = 0.05
#: Days without any activity after which a person who was active is ``gone_quiet``
#: (``influence diff --quiet-days``); also the window of the thin-data rule.
QUIET_DAYS = 60
#: An account's data is *thin* at the as-of date when its events in the last
#: :data:`QUIET_DAYS` are fewer than this share of its usual number per window.
THIN_DATA_SHARE = 0.25

# --- reading input --------------------------------------------------------------------------

#: Cell values (lower-cased, stripped) read as true in yes/no columns.
TRUE_WORDS = frozenset({"true", "yes", "y", "1", "x", "t"})
#: Cell values read as false; anything else is read as false with a counted warning.
FALSE_WORDS = frozenset({"false", "no", "n", "0", "", "f"})
#: Largest uncompressed size of one zip member, in bytes (declared in the archive and
#: checked before reading; :mod:`zipfile` reads no further): 4 GiB.
ZIP_MAX_MEMBER_BYTES = 4 * 1024**3
#: Largest compression ratio of a zip member above :data:`ZIP_RATIO_FROM_BYTES`: CSV
#: exports compress 5 to 20 times; a zip bomb thousands of times.
ZIP_MAX_RATIO = 200
#: Size (bytes, uncompressed) from which :data:`ZIP_MAX_RATIO` applies, so that small,
#: very repetitive files still read: 64 MiB.
ZIP_RATIO_FROM_BYTES = 64 * 1024**2
#: Columns of one input file read beyond those its format uses (the first ones, in file
#: order; a people file's other columns are kept as person attributes). The rest are not
#: read, with one ``too_many_columns`` finding naming the file and how many were dropped:
#: a file of 20,000 columns reads like one of a hundred.
MAX_EXTRA_COLUMNS = 100

# --- batch runs -----------------------------------------------------------------------------

#: Maps and reports are drawn for this many of the largest accounts (``--maps``).
MAPS = 50
#: The map lists warm paths to this many of the account's most influential customer
#: people (two paths each), for its path panel.
MAP_PATHS = 40
#: The report's sparklines show influence over this many past months
#: (:meth:`influence.Account.trend` with ``periods``).
REPORT_TREND_PERIODS = 12
#: Size budget of one account: people x ties of its person graph (exact betweenness
#: takes about that many steps; 10^10 is under a minute on two cores, ten times the
#: 5,000-person benchmark account). A larger account is not analysed: it raises
#: :class:`influence.account.AccountTooLarge` and a batch lists it in ``errors.csv`` and
#: goes on (``--max-account-work``).
MAX_ACCOUNT_WORK = 10**10
#: Smallest ``--account-timeout`` accepted, in seconds (less cannot even start an account).
MIN_ACCOUNT_TIMEOUT = 0.1


def describe() -> dict[str, object]:
    """Every default of this module as plain JSON values, keyed by lower-case name.

    Returns
    -------
    dict
        ``{"half_life_days": 180.0, ...}``; mappings as dicts with sorted keys, sets and
        tuples as lists (sets sorted).

    Examples
    --------
    >>> d = describe()
    >>> d["seed"], d["high_influence_quantile"], d["true_words"][:3]
    (42, 0.75, ['1', 't', 'true'])
    """
    g = globals()
    out: dict[str, object] = {}
    for name in sorted(n for n in __all__ if n.isupper()):
        v = g[name]
        if isinstance(v, MappingProxyType | dict):
            v = dict(sorted(v.items()))
        elif isinstance(v, frozenset | set):
            v = sorted(v)
        elif isinstance(v, tuple):
            v = list(v)
        out[name.lower()] = v
    return out
