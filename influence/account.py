"""The notebook API: load a dataset, pick an account, look at its influencers.

>>> import influence
>>> ds = influence.load("data/sample")
>>> acct = ds.account(ds.accounts[0])
>>> acct.influencers()[["rank", "name", "influence"]].head(3)  # doctest: +SKIP
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx
import numpy as np
import pandas as pd

from influence.analysis.communities import coalition_rows, table_arrays
from influence.analysis.influencers import influencer_table, unrank
from influence.analysis.paths import PathSearch, acquaintance
from influence.defaults import (
    COLD_DAYS,
    DECISION_ROLES,
    HALF_LIFE_DAYS,
    INFLUENCE_WEIGHTS,
    MAP_PATHS,
    MAX_ACCOUNT_WORK,
    MAX_HOPS,
    REPORT_TREND_PERIODS,
    SEED,
)
from influence.graph.accounts import (
    AccountSplit,
    account_names,
    split_findings,
)
from influence.graph.arrays import PersonArrays, TableCodes, from_graph, from_tables, table_codes
from influence.graph.model import build_model
from influence.graph.ties import (
    TieConfig,
    coded_ties,
    contributions,
    person_graph,
)
from influence.io import read_dataset
from influence.io.quality import InputError
from influence.io.tables import Tables

if TYPE_CHECKING:
    from influence.render.report import ReportContext


@dataclass(frozen=True)
class Options:
    """Everything that changes results: tie strength, metric weights and the seed."""

    ties: TieConfig = field(default_factory=TieConfig)
    weights: Mapping[str, float] = field(default_factory=lambda: dict(INFLUENCE_WEIGHTS))
    seed: int = SEED
    redact: str = ""  # "", "numbered" or "keyed" (the key itself is never recorded)
    contact_details: bool = False
    # The size budget of one account (people x ties); it decides whether an account is
    # analysed, never its results, so describe() leaves it out.
    max_work: float = MAX_ACCOUNT_WORK

    def describe(self) -> dict[str, object]:
        """The options as plain values, for output files and reports."""
        t = self.ties
        return {
            "as_of": None if t.as_of is None else pd.Timestamp(t.as_of).date().isoformat(),
            "half_life_days": t.half_life_days,
            "channel_weights": dict(sorted(t.channel_weights.items())),
            "saturation": t.saturation,
            "interaction_ceiling": t.interaction_ceiling,
            "reports_to_strength": t.reports_to_strength,
            "email_reciprocity_floor": t.email_reciprocity_floor,
            "email_seeker_share": t.email_seeker_share,
            "metric_weights": dict(self.weights),
            "seed": self.seed,
            "redact": self.redact or "no",
            "include_contact_details": self.contact_details,
        }


class AccountTooLarge(InputError):
    """An account over the size budget (:data:`~influence.defaults.MAX_ACCOUNT_WORK`):
    ``"<account>: too large to analyse: ..."``; :attr:`reason` is the text after the
    account's name (what ``errors.csv`` lists)."""

    def __init__(self, account: str, reason: str):
        self.reason = reason
        super().__init__(account, reason)

    def __reduce__(self):
        return type(self), (self.file, self.reason)


class Account:
    """One account of a dataset: its model graph, tie evidence and analyses.

    Results are computed on first use and cached.
    """

    def __init__(
        self,
        tables: Tables,
        options: Options,
        tie_config: TieConfig,
        ties: pd.DataFrame,
        evidence: pd.DataFrame | None = None,
    ):
        self.name = tables.name
        self.tables = tables
        self.options = options
        self.tie_config = tie_config
        self.ties = ties
        self._given_evidence = evidence

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx model: people, events, relationships and participation."""
        return build_model(self.tables)

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """Every contribution to this account's ties (see ``influence.graph.ties``): the
        dataset's, split (``Dataset.account``), or computed from the account's tables."""
        if self._given_evidence is not None:
            return self._given_evidence
        return contributions(self.tables, self.tie_config)

    @cached_property
    def person_graph(self) -> nx.DiGraph:
        """The weighted, directed person graph the analyses run on."""
        return person_graph(self.tables.people, self.ties)

    @property
    def team(self) -> list[str]:
        """Ids of our own people in this account."""
        p = self.tables.people
        return sorted(p.loc[p["internal"], "id"])

    @property
    def as_of(self) -> pd.Timestamp | None:
        return self.tie_config.as_of

    @property
    def data_range(self) -> tuple[str, str]:
        d = self.tables.events["date"]
        return (d.min().date().isoformat(), d.max().date().isoformat()) if len(d) else ("", "")

    @property
    def tie_count(self) -> int:
        """Number of ties (directed: a two-way tie counts twice), as in ``summary.csv``."""
        return len(self.ties)

    @cached_property
    def _ids(self) -> frozenset:
        """The ids of the account's people, our team included."""
        return frozenset(self.arrays.ids.tolist())

    @cached_property
    def arrays(self) -> PersonArrays:
        """The person graph as arrays (:mod:`influence.graph.arrays`), built from the
        tables; what the metrics are computed on, without the networkx graph."""
        arrays = from_tables(self.tables.people, self.ties)
        return arrays if arrays is not None else from_graph(self.person_graph)

    def influencers(self) -> pd.DataFrame:
        """Ranked people: one row per person (columns in the README). People not yet
        active at the as-of date (:meth:`not_yet_active`) are not ranked: their ``rank``
        is empty and they follow the ranked customer people, before our team."""
        return self._table().copy()

    def _table(self) -> pd.DataFrame:
        """:meth:`influencers`, computed once (callers must not modify it)."""
        return self._influencers

    @cached_property
    def _influencers(self) -> pd.DataFrame:
        self._check_size()
        table = influencer_table(self.arrays, self.options.weights, self.options.seed, self.as_of)
        return unrank(table, self.not_yet_active())

    @cached_property
    def _acquainted(self):
        """Acquaintance of the person graph (:func:`influence.analysis.paths.acquaintance`)."""
        return acquaintance(self.person_graph)

    @cached_property
    def _searches(self) -> dict:
        """One warm-path search setup per set of sources, kept (:meth:`paths`)."""
        return {}

    @cached_property
    def _moves(self) -> dict:
        """:meth:`next_moves` per ``k``, kept."""
        return {}

    def _check_size(self) -> None:
        """Raise :class:`AccountTooLarge` if people x ties is over ``options.max_work``,
        before any metric is computed."""
        n, m = len(self.tables.people), len(self.ties)
        if n * m > self.options.max_work:
            raise AccountTooLarge(
                self.name,
                f"too large to analyse: {n:,} people x {m:,} ties = {n * m:.2g}, over the "
                f"budget of {self.options.max_work:.2g} (raise it with --max-account-work)",
            )

    def _columns(self) -> dict:
        """The columns of :meth:`influencers` that coalitions, the summary and the risk
        flags read, as arrays (:func:`influence.analysis.communities.table_arrays`)."""
        return self._arrays_of_table

    @cached_property
    def _arrays_of_table(self) -> dict:
        return table_arrays(self._table())

    def stale(self, days: float = COLD_DAYS) -> pd.DataFrame:
        """Champions and supporters our team has not been in contact with for more than
        ``days`` days (default :data:`~influence.defaults.COLD_DAYS`), or ever
        (:func:`influence.analysis.coverage.stale`): ``id, name, stance, influence,
        last_contact, days_since_contact, strongest_internal_tie_name``."""
        from influence.analysis.coverage import stale

        if days not in self._stale:
            self._stale[days] = stale(self._table(), days)
        return self._stale[days].copy()

    @cached_property
    def _stale(self) -> dict:
        """:meth:`stale` per ``days``, kept (the summary, report and map all ask)."""
        return {}

    def coalitions(self) -> pd.DataFrame:
        """One row per coalition: ``community, coalition, leader, size, members, …``."""
        return coalition_rows(self._columns())

    def _check(self, pid: str) -> None:
        if pid not in self._ids:
            raise KeyError(f"no person {pid!r} in account {self.name!r}")

    def person(self, name_or_id: str) -> str:
        """The id of a person of this account (our team included) from their id or their
        unique name, compared without accents and case (:func:`influence.lookup.resolve`):
        ``acct.paths(None, acct.person("Karim Haddad"))``. Raises
        :class:`~influence.lookup.NotFound` (a ``KeyError``) listing the candidates with
        their ids when several match, or suggesting close names when none does."""
        return _resolve_person(self.tables.people, name_or_id, f"in account {self.name!r}")

    def paths(
        self, source: str | None, target: str, k: int = 3, max_hops: int = MAX_HOPS
    ) -> pd.DataFrame:
        """The ``k`` strongest introduction chains from ``source`` (None: anyone on our team),
        of at most ``max_hops`` hops, each introduction discounted and a direct tie always
        listed (:func:`influence.analysis.paths.warm_paths`).

        Columns ``rank, strength, hops, path, hop_strengths, path_names, hop_labels``:
        ``path`` lists ids, ``hop_labels`` says what each hop's tie is made of
        (see :meth:`evidence` for the detail).
        """
        self._check(target)
        if source is not None:
            self._check(source)
        return self._named(self._search(source).paths(target, k, max_hops))

    def _search(self, source: str | None) -> PathSearch:
        """The warm-path search from ``source`` (None: our team), set up once and kept."""
        sources = tuple(self.team) if source is None else (source,)
        if sources not in self._searches:
            self._searches[sources] = PathSearch(self._acquainted, sources)
        return self._searches[sources]

    def _named(self, df: pd.DataFrame) -> pd.DataFrame:
        """Warm paths with their ``path_names`` and ``hop_labels`` (:meth:`paths`)."""
        g = self.person_graph
        df["path_names"] = [[g.nodes[p].get("name", p) for p in path] for path in df["path"]]
        df["hop_labels"] = [
            [_label(g, a, b) for a, b in zip(path, path[1:])] for path in df["path"]
        ]
        return df

    def _paths_to(self, targets: list, k: int) -> dict[str, pd.DataFrame]:
        """:meth:`paths` from our team to each of ``targets`` (ids of this account), the
        searches shared (:meth:`~influence.analysis.paths.PathSearch.paths_many`)."""
        for t in targets:
            self._check(t)
        found = self._search(None).paths_many(targets, k)
        return {t: self._named(found[t]) for t in targets}

    def evidence(self, a: str, b: str) -> pd.DataFrame:
        """What built the tie between ``a`` and ``b``, in both directions.

        One row per relationship or event, with its ``weight``, ``decay``, ``share``,
        ``reciprocity`` and ``contribution`` (their product), largest first.
        """
        self._check(a)
        self._check(b)
        c = self.contributions
        pair = ((c["source"] == a) & (c["target"] == b)) | ((c["source"] == b) & (c["target"] == a))
        return (
            c[pair]
            .sort_values(["contribution", "ref"], ascending=[False, True])
            .reset_index(drop=True)
        )

    def decision_paths(self, k: int = 1) -> pd.DataFrame:
        """Warm paths from our team to each decision maker (buying roles in ``DECISION_ROLES``)."""
        inf = self.influencers()
        dm = inf[~inf["internal"] & inf["buying_role"].isin(DECISION_ROLES)]
        rows = []
        found = self._paths_to(list(dm["id"]), k)
        for pid, name in zip(dm["id"], dm["name"]):
            for r in found[pid].to_dict("records"):
                rows.append({"target": pid, "target_name": name, **r})
        cols = ["target", "target_name", "rank", "strength", "hops", "path", "path_names"]
        return pd.DataFrame(rows, columns=cols + ["hop_strengths", "hop_labels"])

    def map(self, color_by: str = "stance"):
        """The interactive influence map; shows inline in Jupyter, ``.save(path)`` writes it."""
        from influence.render.map import build_map

        return build_map(
            **self.map_inputs(),
            color_by=color_by,
            seed=self.options.seed,
            options={**self.options.describe(), "as_of": _iso(self.as_of) or None},
        )

    def map_inputs(self, paths_for: int = MAP_PATHS, cold_days: float = COLD_DAYS) -> dict:
        """The plain data the map is drawn from (render never computes metrics).

        ``people`` is :meth:`influencers` with ``last_contact`` and ``last_activity`` as
        ISO dates, each
        person's :meth:`engagement` suggestion as ``suggested_role`` and
        ``engagement_reason`` (``""`` for people without one) and their
        ``predicted_support`` (:meth:`support`) and ``cold`` (true for the people of
        :meth:`stale` with ``cold_days``, marked cold on the map). ``support_model``
        holds the support model's inputs (:func:`influence.analysis.support.model_inputs`) with each
        person's ``influence`` and the :meth:`overall_support`, for the map's what-if;
        ``tie_count`` is the number of ties as in ``summary.csv``.
        """
        from influence.analysis.support import model_inputs

        inf = self.influencers()
        eng = self.engagement()
        role = dict(zip(eng["id"], eng["suggested_role"], strict=True))
        why = dict(zip(eng["id"], eng["reason"], strict=True))
        predicted = self.support().set_index("id")["predicted_support"]
        people = inf.assign(
            last_contact=inf["last_contact"].map(_iso),
            last_activity=inf["last_activity"].map(_iso),
            suggested_role=[role.get(i, "") for i in inf["id"]],
            engagement_reason=[why.get(i, "") for i in inf["id"]],
            predicted_support=inf["id"].map(predicted),
            cold=inf["id"].isin(set(self.stale(cold_days)["id"])),
        )
        model = model_inputs(self.arrays)
        weight = inf.set_index("id")["influence"]
        model["influence"] = [float(weight.get(i, 0.0)) for i in model["ids"]]
        model["overall"] = self.overall_support()
        model["meaning"] = self.support_meaning()
        ties = self.ties.assign(
            directed=lambda t: (
                ~t.set_index(["source", "target"]).index.isin(
                    t.set_index(["target", "source"]).index
                )
            )
        )
        ids = set(inf["id"])
        ev = self.tables.events
        links = self.tables.participants[self.tables.participants["person_id"].isin(ids)]
        paths = {}
        ext = inf[~inf["internal"]].head(paths_for)
        found = self._paths_to(list(ext["id"]), k=2)
        for pid in ext["id"]:
            df = found[pid]
            paths[pid] = [
                {"strength": float(s), "path": list(n)}
                for s, n in zip(df["strength"], df["path_names"])
            ]
        return {
            "people": people,
            "ties": ties[["source", "target", "strength", "formal", "label", "directed"]],
            "title": self.name,
            "as_of": _iso(self.as_of),
            "data_range": self.data_range,
            "events": ev.assign(date=ev["date"].map(_iso))[["id", "date", "type", "subject"]],
            "event_links": links[["event_id", "person_id"]],
            "paths": paths,
            "support_model": model,
            "tie_count": self.tie_count,
            "cold_days": cold_days,
        }

    def report_context(
        self,
        quality: pd.DataFrame | None = None,
        accounting: pd.DataFrame | None = None,
        version: str | None = None,
    ) -> ReportContext:
        """Everything the account's report shows
        (:class:`influence.render.report.ReportContext`; its ``charts`` are drawn by
        :meth:`report_files`).

        ``quality`` (data-quality examples) and ``accounting`` (rows read, used and
        skipped per input file) describe the whole dataset and are shown as given;
        ``version`` defaults to this influence's. The sparklines cover the last
        :data:`~influence.defaults.REPORT_TREND_PERIODS` months (:meth:`trend`).
        """
        from influence import __version__
        from influence.render.report import ReportContext

        inf = self.influencers()
        summary = self.summary()
        listed = _listed(inf, ReportContext.top)  # the sparklines' people
        return ReportContext(
            account=self.name,
            as_of=summary["as_of"],
            data_range=self.data_range,
            influencers=inf.assign(recent_events=inf["id"].map(self.recent_events())),
            coalitions=self.coalitions(),
            warm_paths=self.decision_paths(k=2),
            trend=self.trend("M", periods=REPORT_TREND_PERIODS, people=listed),
            next_moves=self.next_moves(),
            engagement=self.engagement(),
            quality=pd.DataFrame() if quality is None else quality,
            accounting=pd.DataFrame() if accounting is None else accounting,
            version=__version__ if version is None else version,
            options=self.options.describe(),
            caveats=self.caveats(),
            activity=self.activity(),
            overall_support=summary["overall_support"],
            support_meaning=summary["support"],
            risk_flags=self.risk_flags(),
            stale=self.stale(),
        )

    def report_files(
        self,
        quality: pd.DataFrame | None = None,
        accounting: pd.DataFrame | None = None,
        version: str | None = None,
    ) -> dict[str, bytes]:
        """The account's files as ``influence analyze`` writes them for a drawn account
        (:func:`influence.render.account.render_account`): ``map.html``, ``report.html``,
        the charts and the graph exports, by path; arguments as for
        :meth:`report_context`."""
        from influence.render.account import render_account

        ctx = self.report_context(quality, accounting, version)
        return render_account(ctx, self.map(), self.influencers(), self.ties)

    def summary(self) -> dict[str, object]:
        """Key figures of the account, as in ``summary.csv``."""
        return dict(self._summary)

    @cached_property
    def _summary(self) -> dict[str, object]:  # a drawn account's report and row both ask
        from influence.analysis.coverage import stale_rows
        from influence.analysis.risk import risk_rows

        cols = self._columns()
        ext = ~cols["internal"]
        community = cols["community"][ext]
        first, last = self.data_range
        flags = risk_rows(self.arrays, cols)
        activity = self.activity()
        # The stale people's rows of the influencers table: stale() without its table.
        rows = stale_rows(self._table())
        rows = np.zeros(0, np.intp) if rows is None else rows
        stale = {c: cols[c][rows] for c in ("name", "stance", "days_since_contact")}
        return {
            "account": self.name,
            "people": int(ext.sum()),
            "team": int((~ext).sum()),
            "relationships": len(self.tables.relationships),
            "events": len(self.tables.events),
            "ties": self.tie_count,
            "coalitions": len(np.unique(community[~np.isnan(community)])),
            "hidden_influencers": int(cols["hidden_influencer"][ext].sum()),
            "coverage_gaps": int(cols["coverage_gap"][ext].sum()),
            "top_influencer": cols["name"][int(np.argmax(ext))] if ext.any() else "",
            "as_of": _iso(self.as_of),
            "first_event": first,
            "last_event": last,
            "risk_flags": "; ".join(f"{f}: {d}" for f, _, d in flags),
            "recent_events": activity["recent_events"],
            "usual_events": activity["usual_events"],
            "thin_data": int(activity["thin_data"]),  # 1: thin (a number, like the counts)
            "not_yet_active": len(self.not_yet_active()),
            "caveats": "; ".join(self.caveats()),
            # empty (NaN) when no stance is recorded: nothing anchors the prediction
            "overall_support": self.overall_support() if self._stances_known else np.nan,
            "support": self.support_meaning(),
            "stale": len(rows),
            "stale_people": "; ".join(
                f"{n} ({st}, {'never contacted' if pd.isna(d) else f'{d:.0f} days'})"
                for n, st, d in zip(stale["name"], stale["stance"], stale["days_since_contact"])
            ),
        }

    def support_meaning(self) -> str:
        """:meth:`overall_support` in words (:func:`influence.analysis.support.support_words`).
        With no stance recorded the words do not depend on the figure, which is then not
        computed (the support model is not solved)."""
        from influence.analysis.support import support_words

        known = self._stances_known
        return support_words(self.overall_support() if known else np.nan, known)

    @cached_property
    def _stances_known(self) -> bool:
        """Whether any customer person has a recorded stance."""
        cols = self._columns()
        return bool((~np.isnan(cols["stance_score"][~cols["internal"]])).any())

    def recent_events(self) -> pd.Series:
        """Events each person took part in within the :data:`~influence.defaults.QUIET_DAYS`
        days up to the as-of date, by id (:func:`influence.analysis.activity.recent_events`):
        absolute activity beside the relative 0–100 influence."""
        from influence.analysis.activity import recent_events

        return recent_events(self.tables, self.as_of)

    def activity(self) -> dict[str, object]:
        """Recent against usual activity at the as-of date, and whether the data is thin
        (:func:`influence.analysis.activity.account_activity`)."""
        return dict(self._activity)

    @cached_property
    def _activity(self) -> dict[str, object]:
        from influence.analysis.activity import account_activity

        return account_activity(self.tables.events["date"], self.as_of)

    def not_yet_active(self) -> list:
        """Ids of the people with no activity yet at the as-of date
        (:func:`influence.analysis.activity.not_yet_active`); left out of diffs."""
        return list(self._not_yet_active)

    @cached_property
    def _not_yet_active(self) -> list:
        from influence.analysis.activity import not_yet_active

        return not_yet_active(self.tables, self.as_of)

    def caveats(self) -> list[str]:
        """What the analysis of this account cannot say, one sentence each (without
        ``;``): thin data at the as-of date, hidden-influencer detection that cannot run,
        no team of ours (coverage and team risk flags not applicable), people not yet
        active. Shown by the CLI, in ``summary.csv`` (``caveats``) and in the report."""
        return list(self._caveats)

    @cached_property
    def _caveats(self) -> list[str]:
        from influence.analysis.coverage import NO_TEAM
        from influence.analysis.formal import hidden_caveat

        out = []
        note = self.activity()["note"]
        if note:
            out.append(note)
        p = self.tables.people
        ext = ~p["internal"].astype(bool).to_numpy()
        reports = (p["reports_to"].fillna("") != "").to_numpy()
        recorded = bool(p["level"].notna().to_numpy()[ext].any() or reports[ext].any())
        level = pd.to_numeric(self._table()["level"], errors="coerce").to_numpy(float)
        hidden = hidden_caveat(level[~self._columns()["internal"]], recorded)
        if hidden:
            out.append(hidden)
        if ext.all():
            out.append(NO_TEAM)
        n = len(self.not_yet_active())
        if n:
            out.append(
                f"{n} {'person has' if n == 1 else 'people have'} no activity yet at the "
                "as-of date (their first activity is later)"
            )
        return [c.replace(";", ",") for c in out]

    @cached_property
    def _table_codes(self) -> TableCodes:
        """The tables' ids as positions, for the ties of every past date (:meth:`at`)."""
        return table_codes(self.tables)

    def at(self, as_of: str | pd.Timestamp) -> Account:
        """This account as it was on ``as_of``: later events and relationships ignored,
        recency measured from that date (ties recomputed from the account's own tables)."""
        from dataclasses import replace

        cfg = replace(self.tie_config, as_of=pd.Timestamp(as_of).normalize())
        if cfg.as_of == self.as_of:
            return self
        # The ties without the evidence table (the same bits: coded_ties); the evidence
        # is computed if asked for (:attr:`contributions`).
        ties = coded_ties(self.tables, cfg, self._table_codes)[0]
        return Account(self.tables, self.options, cfg, ties)

    def trend(
        self, freq: str = "M", periods: int | None = None, people: Iterable[str] | None = None
    ) -> pd.DataFrame:
        """Influence of every customer person at the end of each period (``freq``: a pandas
        period alias, ``"M"`` months, ``"Q"`` quarters, ``"W"`` weeks).

        Periods run from the first event to the as-of date; each is analysed with
        :meth:`at` its last day (the last period ends at the as-of date, so its rows equal
        :meth:`influencers`). ``periods``: only the last this many (the report's sparklines
        use 12); each period costs the ties and metrics of the account (not its roles,
        coalitions or coverage), so a long history then costs no more than ``periods`` of
        them. Columns ``period`` (the date analysed), ``id, name, influence, rank``;
        one row per person and period, by period then rank, leaving out the people not
        yet active at the period's end (:meth:`not_yet_active`): they are not ranked.

        ``people``: only the rows of these ids (the people a report lists), with the same
        ``influence`` and an empty ``rank`` (a rank needs everyone's influence). A past
        period then needs the closeness of these people and the largest closeness only
        (:func:`influence.analysis.brandes.top_closeness`), not everyone's: on a large
        account, a small part of the cost.
        """
        if periods is not None and periods < 0:
            raise ValueError(f"periods must be 0 or more, not {periods}")
        cols = ["period", "id", "name", "influence", "rank"]
        start = self.data_range[0]
        if periods == 0 or not start or self.as_of is None or pd.Timestamp(start) > self.as_of:
            return pd.DataFrame(columns=cols)
        every = pd.period_range(pd.Timestamp(start), self.as_of, freq=freq)
        ends = sorted({min(p.end_time.normalize(), self.as_of) for p in every})
        parts = []
        chosen = None if people is None else frozenset(people)
        for end in ends if periods is None else ends[-periods:]:
            parts.append(self.at(end)._ranked(chosen).assign(period=end)[cols])
        return pd.concat(parts, ignore_index=True)

    def _ranked(self, people: frozenset | None = None) -> pd.DataFrame:
        """``id, name, influence, rank`` of the customer people, as :meth:`influencers`
        has them (the same rows and values), from the metrics alone: a past period of
        :meth:`trend` needs no roles, coalitions or coverage. ``people``: only these
        ids, with an empty ``rank`` (:meth:`trend`)."""
        from influence.analysis.influencers import ranked_customers

        if "_influencers" in self.__dict__:
            inf = self._influencers
            inf = inf[~inf["internal"] & inf["rank"].notna()]
            if people is not None:
                inf = inf[inf["id"].isin(people)]
                inf = inf.assign(rank=pd.array([None] * len(inf), dtype="Int64"))
            return inf[["id", "name", "influence", "rank"]]
        self._check_size()  # the same metrics as influencers(), under the same budget
        return ranked_customers(self.arrays, self.options.weights, self.not_yet_active(), people)

    def support(self, overrides: Mapping[str, object] | None = None) -> pd.DataFrame:
        """Predicted support per customer person, Friedkin–Johnsen
        (:func:`influence.analysis.support.support`): ``id, name, known_stance,
        predicted_support`` (−1..1), ``confidence``.

        ``overrides`` (what-if): ``{person_id: stance}`` applied before solving; a stance
        is a name (``"champion"`` … ``"blocker"``, ``"unknown"``) or a score (−2..2, NaN
        unknown). The interactive map's what-if solves the same model in the page.
        """
        from influence.analysis.support import support

        if overrides:
            scores = self._stance_scores(overrides)
            return support(self.arrays, overrides=scores, listen=self._listen())
        return self._support.copy()

    @cached_property
    def _support(self) -> pd.DataFrame:
        from influence.analysis.support import support

        return support(self.arrays, listen=self._listen())

    def _listen(self):
        """Who listens to whom (:func:`influence.analysis.support.listen_matrix`), built
        once for the support model and its what-ifs."""
        return self._listen_matrix

    @cached_property
    def _listen_matrix(self):
        from influence.analysis.support import listen_matrix

        return listen_matrix(self.arrays)

    def _stance_scores(self, overrides: Mapping[str, object]) -> dict[str, float]:
        """``{id: stance name or score}`` as ``{id: score}``; unknown people or stances raise."""
        from influence.io.tables import STANCES

        out = {}
        for pid, stance in overrides.items():
            self._check(pid)
            if pid in self.team:
                raise KeyError(f"{pid!r} is on our team: our team has no stance")
            if isinstance(stance, str):
                key = stance.strip().lower()
                if key in ("", "unknown"):
                    out[pid] = float("nan")
                elif key in STANCES:
                    out[pid] = float(STANCES[key])
                else:
                    names = ", ".join([*STANCES, "unknown"])
                    raise ValueError(f"unknown stance {stance!r} for {pid!r}; use one of {names}")
            else:
                score = float(stance)  # type: ignore[arg-type]
                if not (np.isnan(score) or -2 <= score <= 2):
                    raise ValueError(f"stance score {score} for {pid!r} is outside −2..2")
                out[pid] = score
        return out

    def overall_support(self, overrides: Mapping[str, object] | None = None) -> float:
        """Influence-weighted mean predicted support of the account (−1..1); ``overrides``
        as for :meth:`support`."""
        from influence.analysis.support import overall_support

        if not overrides:
            return self._overall
        return overall_support(self.support(overrides), self._influence_by_id)

    @cached_property
    def _overall(self) -> float:
        from influence.analysis.support import overall_support

        return overall_support(self._support, self._influence_by_id)

    @cached_property
    def _influence_by_id(self) -> pd.Series:
        """Each person's influence (:meth:`influencers`), by id."""
        cols = self._columns()
        return pd.Series(cols["influence"], index=pd.Index(cols["id"], name="id"))

    def next_moves(self, k: int = 5) -> pd.DataFrame:
        """Who to win over next: the ``k`` people whose support would lift the account most
        (:func:`influence.analysis.moves.next_moves`), each with the best warm path from
        our team (:meth:`paths`). Columns ``rank, id, name, stance, influence,
        predicted_support, gain, overall_after, path, path_names, path_strength,
        reason``; largest gain first (ties by id). When no customer person has a
        recorded stance, or every gain is equal within
        :data:`~influence.defaults.EQUAL_GAINS`, the rows are ordered by influence, then
        id, and ``reason`` starts with :data:`~influence.analysis.moves.NO_STANCES` or
        :data:`~influence.analysis.moves.EQUAL_GAINS_REASON`.
        """
        if k not in self._moves:
            from influence.analysis.moves import next_moves

            self._moves[k] = next_moves(
                self.arrays, self._table(), self._support, k, self._warm_paths, self._listen()
            )
        return self._moves[k].copy()

    def _warm_paths(self, ids: list) -> dict[str, tuple[list, list, float]]:
        """The best warm path from our team to each of ``ids``: ids, names, strength."""
        out = {}
        for pid, p in self._paths_to(list(ids), k=1).items():
            if len(p):
                out[pid] = (list(p["path"].iat[0]), list(p["path_names"].iat[0]),
                            float(p["strength"].iat[0]))  # fmt: skip
            else:
                out[pid] = ([], [], 0.0)
        return out

    def risk_flags(self) -> pd.DataFrame:
        """Risk flags of the account (:func:`influence.analysis.risk.risk_flags`):
        ``flag, people, detail``."""
        from influence.analysis.risk import RISK_COLUMNS, risk_rows

        return pd.DataFrame(risk_rows(self.arrays, self._columns()), columns=RISK_COLUMNS)

    def engagement(self) -> pd.DataFrame:
        """A suggested seller role per key stakeholder
        (:func:`influence.analysis.engagement.engagement`): ``id, name, suggested_role,
        reason``."""

        return self._engagement.copy()

    @cached_property
    def _engagement(self) -> pd.DataFrame:  # the map and the report both ask
        from influence.analysis.engagement import engagement

        return engagement(self.person_graph, self._table())

    def _repr_html_(self) -> str:
        s = self.summary()
        rows = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(_shown(k, v))}</td></tr>"
            for k, v in s.items()
        )
        return f"<b>Account {html.escape(self.name)}</b><table>{rows}</table>"

    def __repr__(self) -> str:
        t = self.tables
        return f"<Account {self.name!r}: {len(t.people)} people, {len(t.events)} events>"


def _label(g: nx.DiGraph, a: str, b: str) -> str:
    ab, ba = g.get_edge_data(a, b), g.get_edge_data(b, a)
    best = max((d for d in (ab, ba) if d), key=lambda d: d["strength"])
    return best["label"]


def _resolve_person(people: pd.DataFrame, typed: str, where: str) -> str:
    from influence.lookup import resolve

    ids = people["id"].astype(str).tolist()
    names = {i: n or i for i, n in zip(ids, people["name"].fillna("").astype(str))}
    team = people["internal"].astype(bool).tolist()
    acct = people["account"].fillna("").astype(str).tolist()
    title = people["title"].fillna("").astype(str) if "title" in people else [""] * len(ids)
    details = {
        i: ", ".join(x for x in (t, "our team" if us else a) if x)
        for i, t, us, a in zip(ids, title, team, acct)
    }
    return resolve(str(typed), names, what="person", where=where, details=details)


def _shown(key: str, value) -> str:
    """A summary value as a person reads it: support with a sign and 2 decimals, other
    fractions to 2 significant places (``usual_events`` 141.76 as 142), missing as ""."""
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        if key == "overall_support":
            return f"{value:+.2f}"
        return f"{value:.0f}" if abs(value) >= 10 else f"{value:.2g}"
    return str(value)


def _listed(inf: pd.DataFrame, top: int) -> list:
    """Ids of the customer people among the ``top`` most influential of ``inf``, those
    tied with the last of them included: the report's top table lists ``top`` of these
    (ordered its own way) with their sparklines."""
    ext = inf[~inf["internal"].astype(bool)]
    if top <= 0 or ext.empty:
        return []
    influence = pd.to_numeric(ext["influence"], errors="coerce")
    known = influence.dropna()
    if len(known) < top:  # the report's list reaches people without an influence
        return list(ext["id"])
    return list(ext.loc[influence >= known.nlargest(top).iloc[-1], "id"])


def _iso(value) -> str:
    return "" if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


class Dataset:
    """A loaded dataset: canonical tables, their data-quality log and their accounts."""

    def __init__(self, tables: Tables, options: Options | None = None, source: str = ""):
        self.tables = tables
        self.options = options or Options()
        self.source = source
        self._accounts: dict[str, Account] = {}
        self._split_checked = False

    @property
    def name(self) -> str:
        return self.tables.name

    @property
    def quality(self):
        """The data-quality log of loading (:class:`~influence.io.quality.DataQuality`),
        with what no account holds (:func:`~influence.graph.accounts.split_findings`,
        found on first use)."""
        if not self._split_checked:
            self._split_checked = True
            split_findings(self.tables, self._codes, self._split)
        return self.tables.quality

    @cached_property
    def accounts(self) -> list[str]:
        """Account names, sorted."""
        return account_names(self.tables)

    @cached_property
    def people_per_account(self) -> pd.Series:
        """The number of customer (not ``internal``) people of each account, by name."""
        p = self.tables.people
        return p[~p["internal"]].groupby("account").size()

    def account_name(self, name: str) -> str:
        """The account ``name`` means: the exact name, or the one that matches it without
        accents and case (:func:`influence.lookup.resolve`); raises
        :class:`~influence.lookup.NotFound` (a ``KeyError``) otherwise."""
        if name in self.accounts:
            return name
        from influence.lookup import resolve

        return resolve(name, {a: a for a in self.accounts}, what="account")

    @cached_property
    def tie_config(self) -> TieConfig:
        """Tie parameters with the as-of date resolved once for the whole dataset."""
        return self.options.ties.resolve(self.tables)

    @cached_property
    def contributions(self) -> pd.DataFrame:
        """Every contribution to every tie of the dataset."""
        return contributions(self.tables, self.tie_config)

    @cached_property
    def _evidence_by_pair(self) -> pd.DataFrame:
        """:attr:`contributions` by ``source, target`` (as an account's evidence lists them)."""
        return self.contributions.sort_values(["source", "target"], kind="stable")

    @property
    def ties(self) -> pd.DataFrame:
        """Every directed tie of the dataset (:func:`influence.graph.ties.tie_table` of
        :attr:`contributions`, computed without building them:
        :func:`influence.graph.ties.coded_ties`)."""
        return self._coded_ties[0]

    @cached_property
    def _coded_ties(self) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        """:func:`~influence.graph.ties.coded_ties`: the ties and their people's positions."""
        return coded_ties(self.tables, self.tie_config, self._codes)

    @cached_property
    def _codes(self) -> TableCodes:
        """The tables' ids as positions (:func:`influence.graph.arrays.table_codes`)."""
        return table_codes(self.tables)

    def account(self, name: str) -> Account:
        """One account by name: the exact name, or the one that matches it without
        accents and case (:func:`influence.lookup.resolve`). Raises
        :class:`~influence.lookup.NotFound` (a ``KeyError``) listing the candidates,
        or close names, otherwise."""
        name = self.account_name(name)
        if name not in self._accounts:
            split = self.account_split([name])
            tables, ties = split.tables(name)
            evidence = split.rows_of(self._evidence_by_pair, name)
            self._accounts[name] = Account(tables, self.options, self.tie_config, ties, evidence)
        return self._accounts[name]

    def person(self, name_or_id: str) -> str:
        """The id of a person of any account (as :meth:`Account.person`)."""
        return _resolve_person(self.tables.people, name_or_id, f"in {self.name!r}")

    def people(self, account: str | None = None) -> pd.DataFrame:
        """Who is in the data, to look ids up: ``id, name, title, account, internal``
        (our team has no account), for one account (our team included) or all, by
        account then name."""
        p = self.tables.people if account is None else self.account(account).tables.people
        cols = [c for c in ("id", "name", "title", "account", "internal") if c in p.columns]
        out = p[cols].assign(_team=p["internal"].astype(bool))
        out = out.sort_values(["_team", "account", "name", "id"], kind="stable")
        return out.drop(columns="_team").reset_index(drop=True)

    def split(self, names: list[str] | None = None) -> dict[str, tuple[Tables, pd.DataFrame]]:
        """Canonical tables and ties per account, in one pass."""
        split = self.account_split(names)
        return {n: split.tables(n) for n in split.names}

    def account_split(self, names: list[str] | None = None) -> AccountSplit:
        """Where each account's rows are (:class:`~influence.graph.accounts.AccountSplit`),
        for taking the tables of a few accounts at a time."""
        ties, *people = self._coded_ties
        if names is None or list(names) == self.accounts:
            return self._split.with_ties(ties, people)
        return AccountSplit(self.tables, ties, names, self._codes, people)

    @cached_property
    def _split(self) -> AccountSplit:
        """The split of every account, without ties: :attr:`quality` and
        :meth:`account_split` of all the accounts share it."""
        return AccountSplit(self.tables, None, None, self._codes)

    def _repr_html_(self) -> str:
        p = self.tables.people
        counts = p[~p["internal"]].groupby("account").size()
        rows = "".join(
            f"<tr><td>{html.escape(a)}</td><td>{counts.get(a, 0)}</td></tr>" for a in self.accounts
        )
        warn = len(self.quality.issues)
        return (
            f"<b>Dataset {html.escape(self.name)}</b>: {len(self.accounts)} accounts, "
            f"{int(p['internal'].sum())} in our team, {len(self.tables.events)} events, "
            f"{warn} data-quality warnings"
            f"<table><tr><th>account</th><th>people</th></tr>{rows}</table>"
        )

    def __repr__(self) -> str:
        n = len(self.tables.people)
        return f"<Dataset {self.name!r}: {len(self.accounts)} accounts, {n} people>"


def load(
    path: str | Path,
    format: str | None = None,
    *,
    as_of: str | pd.Timestamp | None = None,
    half_life_days: float = HALF_LIFE_DAYS,
    weights: Mapping[str, float] | None = None,
    seed: int = SEED,
    redact: bool | str | bytes = False,
    contact_details: bool = False,
    max_account_work: float = MAX_ACCOUNT_WORK,
) -> Dataset:
    """Load a dataset (folder of CSV files, ``.xlsx`` workbook or CRM export).

    ``as_of`` analyses the data as it was on that date; ``half_life_days`` sets how fast
    interactions fade; ``weights`` the composite influence formula; ``seed`` community
    detection. ``redact=True`` replaces names, ids and account names with numbered
    pseudonyms, ``redact=KEY`` with keyed ones (:func:`influence.redact.redact`); e-mail
    addresses and phone numbers are removed unless ``contact_details=True``
    (:func:`influence.redact.strip_contact_details`). An account of more than
    ``max_account_work`` people x ties raises :class:`AccountTooLarge` when analysed.
    """
    ties = TieConfig(
        half_life_days=half_life_days, as_of=None if as_of is None else pd.Timestamp(as_of)
    )
    if half_life_days <= 0:
        raise InputError("options", "half_life_days must be positive")
    if not max_account_work > 0:
        raise InputError("options", "max_account_work must be positive")
    from influence.redact import redact as pseudonymise
    from influence.redact import strip_contact_details

    keyed = redact is not False and redact is not True and redact is not None
    opts = Options(
        ties=ties,
        weights=dict(weights or INFLUENCE_WEIGHTS),
        seed=seed,
        redact="keyed" if keyed else ("numbered" if redact else ""),
        contact_details=contact_details and not redact,
        max_work=max_account_work,
    )
    tables = read_dataset(path, format)
    source = str(path)
    if redact:
        tables = pseudonymise(tables, redact if keyed else None)
        source = tables.name  # the input's name, redacted like any text
    elif not contact_details:
        tables = strip_contact_details(tables)
    return Dataset(tables, opts, source=source)
