"""Command line: one subcommand per method of the notebook API.

``influence analyze`` is :func:`influence.batch.run`, ``influence diff``
:func:`influence.diff.diff_datasets`; the others print one method of
:class:`influence.Account` (``influence influencers`` is ``acct.influencers()``,
``influence next-moves`` ``acct.next_moves()``, ``influence people``
``ds.people()``, …) as a table for people (numbers rounded, control characters
removed: :func:`influence.render.terminal.table`), or with ``--csv``/``--json`` as
every column at full precision. People and accounts are named by id or by a unique
name (:meth:`influence.Account.person`, :meth:`influence.Dataset.account`).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import inspect
import json
import math
import os
import shlex
import sys
from pathlib import Path

import pandas as pd

from influence import defaults
from influence.executors import EXECUTORS
from influence.io import FORMATS
from influence.io.quality import InputError
from influence.render.terminal import CONTROL, plain, table


def say(*parts: object, err: bool = False) -> None:
    """Print like :func:`print`, with control characters removed from CRM text
    (:func:`influence.render.terminal.plain`): names never reach the terminal raw."""
    print(plain(" ".join(map(str, parts))), file=sys.stderr if err else sys.stdout)


class Parser(argparse.ArgumentParser):
    """:class:`argparse.ArgumentParser` that suggests the closest choice for a mistyped
    one (``influence analyse`` → did you mean 'analyze'?) and reports errors on one line."""

    def _check_value(self, action, value):
        if action.choices is not None and value not in action.choices:
            choices = [str(c) for c in action.choices]
            close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise argparse.ArgumentError(
                action, f"invalid choice: {value!r} (choose from {', '.join(choices)}){hint}"
            )

    def error(self, message: str):
        self.exit(2, plain(f"{self.prog}: error: {message} (see {self.prog} --help)\n"))


def _count(least: int):
    """An argparse type: an integer of at least ``least``."""

    def parse(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if n < least:
            raise argparse.ArgumentTypeError(f"must be {least} or more, not {n}")
        return n

    return parse


def _timeout(text: str) -> float:
    """``--account-timeout``: seconds, at least :data:`~influence.defaults.MIN_ACCOUNT_TIMEOUT`
    (checked when the command line is read, before any work)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not (math.isfinite(seconds) and seconds >= defaults.MIN_ACCOUNT_TIMEOUT):
        raise argparse.ArgumentTypeError(
            f"must be at least {defaults.MIN_ACCOUNT_TIMEOUT:g} seconds, not {text}"
        )
    return seconds


def _positive(text: str) -> float:
    """A positive, finite number (``--max-account-work``)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


def _default(method, name: str):
    """The library's default for a parameter (one home: the method's signature)."""
    return inspect.signature(method).parameters[name].default


# --- loading -----------------------------------------------------------------------------


def _dataset(args: argparse.Namespace):
    from influence import load

    return load(args.input, args.format, **_load_options(args))


def _load_options(args: argparse.Namespace) -> dict:
    """The options of :func:`influence.load` from the flags."""
    return {
        "as_of": args.as_of,
        "half_life_days": args.half_life,
        "seed": args.seed,
        "max_account_work": getattr(args, "max_account_work", defaults.MAX_ACCOUNT_WORK),
        **_privacy(args),
    }


@contextlib.contextmanager
def _analysis_dataset(args: argparse.Namespace):
    """The dataset of ``analyze``: loaded here, or, with ``--executor dask`` and
    ``--load-on cluster`` (the default there), on a worker of the cluster
    (:mod:`influence.batch.cluster`; the Dask client stays open for the run)."""
    if args.executor != "dask" or args.load_on == "driver":
        yield _dataset(args)
        return
    from influence.batch.cluster import load_on_cluster
    from influence.executors import dask_client

    with dask_client(args.scheduler, args.jobs) as client:
        yield load_on_cluster(client, args.input, args.format, **_load_options(args))


def _privacy(args: argparse.Namespace) -> dict:
    """``redact`` and ``contact_details`` for :func:`influence.load` from the flags."""
    key = args.redact_key or os.environ.get("INFLUENCE_REDACT_KEY") or None
    redact = key if (args.redact or args.redact_key) and key else bool(args.redact)
    return {"redact": redact, "contact_details": args.include_contact_details}


def _report_quality(ds) -> None:
    q = ds.quality
    if q.issues:
        say(f"{len(q.issues)} data-quality warnings (details in data_quality.csv):", err=True)
        for line in q.summary_lines(limit=3):
            say("  " + line, err=True)


def _lookup(flag: str, find, typed: str):
    """``find(typed)``, its :class:`~influence.lookup.NotFound` worded for ``flag``."""
    from influence.lookup import NotFound

    try:
        return find(typed)
    except NotFound as err:
        raise InputError(flag, str(err)) from None


def _account(ds, args: argparse.Namespace, person: str | None = None):
    """The account of ``--account`` (a unique name), else the account of ``person``
    (an id: a customer person's own), else the dataset's only account."""
    if args.account:
        return _lookup("--account", ds.account, args.account)
    if person is not None:
        p = ds.tables.people
        row = p[p["id"] == person]
        if len(row) and not bool(row["internal"].iat[0]):
            return ds.account(row["account"].iat[0])
        if len(row):
            raise InputError(person, "is on our team; say which account with --account")
    if len(ds.accounts) == 1:
        return ds.account(ds.accounts[0])
    shown = ", ".join(ds.accounts[:8]) + (", …" if len(ds.accounts) > 8 else "")
    raise InputError(
        "--account", f"{len(ds.accounts)} accounts; say which with --account NAME ({shown})"
    )


# --- output ------------------------------------------------------------------------------


def _json_value(v):
    if isinstance(v, list | tuple):
        return [_json_value(x) for x in v]
    if hasattr(v, "tolist") and not isinstance(v, str):  # numpy arrays and scalars
        return _json_value(v.tolist())
    if v is None or v is pd.NA or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        return v.date().isoformat() if v == v.normalize() else v.isoformat()
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def json_text(df: pd.DataFrame) -> str:
    """``df`` as a JSON list of records at full precision (floats round-trip), dates as
    ISO text, missing values ``null``; control characters in text ``\\u``-escaped, so
    the JSON is safe to print and reads back to the same strings."""
    rows = [
        {str(k): _json_value(v) for k, v in zip(df.columns, row)}
        for row in df.itertuples(index=False, name=None)
    ]
    text = json.dumps(rows, ensure_ascii=False, indent=1)
    return CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _emit(df: pd.DataFrame, args: argparse.Namespace, shown: list[str], empty: str) -> None:
    """``df`` on standard output: CSV or JSON (every column) when asked, else the
    ``shown`` columns as a table for people. CSV shown on a terminal has control
    characters removed (:data:`~influence.render.terminal.CONTROL`); redirected, it is
    the data as given."""
    from influence.render.files import csv_bytes

    if args.csv:
        text = csv_bytes(df).decode("utf-8")
        if sys.stdout.isatty():  # shown, not saved: no escape sequences from CRM text
            text = CONTROL.sub("", text)
        sys.stdout.write(text)
    elif args.json:
        sys.stdout.write(json_text(df))
    elif df.empty:
        say(empty)
    else:
        say(table(df[[c for c in shown if c in df.columns]]))


def _machine(args: argparse.Namespace) -> bool:
    return bool(args.csv or args.json)


# --- the account commands ------------------------------------------------------------------


def cmd_people(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    name = _lookup("--account", ds.account, args.account).name if args.account else None
    people = ds.people(name)
    if not _machine(args):
        people = people.assign(account=people["account"].where(~people["internal"], "our team"))
    _emit(people, args, ["id", "name", "title", "account"], "No people.")
    return 0


def cmd_influencers(args: argparse.Namespace) -> int:
    acct = _account(_dataset(args), args)
    shown = ["rank", "id", "name", "title", "influence", "network_role", "stance",
             "hidden_influencer", "coverage_strength", "coverage_gap", "last_contact"]  # fmt: skip
    _emit(acct.influencers(), args, shown, f"No people in {acct.name}.")
    return 0


def cmd_paths(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    if args.account:
        acct = _account(ds, args)
        target = _lookup("--to", acct.person, args.to)
    else:
        target = _lookup("--to", ds.person, args.to)
        acct = _account(ds, args, person=target)
        target = _lookup("--to", acct.person, target)
    source = getattr(args, "from")
    if source is not None:
        source = _lookup("--from", acct.person, source)
    paths = acct.paths(source, target, k=args.k, max_hops=args.max_hops)
    if _machine(args):
        _emit(paths, args, [], "")
        return 0
    if paths.empty:
        say(f"No introduction path to {args.to} in {acct.name}.")
        return 1
    for r in paths.itertuples():
        say(f"{r.rank}. strength {r.strength:.3f}, {r.hops} hop{'s' * (r.hops != 1)}")
        hops = zip(
            r.path, r.path[1:], r.path_names, r.path_names[1:], r.hop_strengths, r.hop_labels
        )
        for a, b, an, bn, s, label in hops:
            say(f"   {an} ({a}) -> {bn} ({b})  {s:.3f}  [{label}]")
    return 0


def cmd_evidence(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    if args.account:
        acct = _account(ds, args)
    else:
        acct = _account(ds, args, person=_first_customer(ds, args.a, args.b))
    a = _lookup("PERSON", acct.person, args.a)
    b = _lookup("PERSON", acct.person, args.b)
    shown = ["kind", "ref", "type", "date", "weight", "decay", "share", "reciprocity",
             "contribution"]  # fmt: skip
    _emit(acct.evidence(a, b), args, shown, f"Nothing ties {args.a} and {args.b}.")
    return 0


def _first_customer(ds, *typed: str) -> str | None:
    """The id of the first of ``typed`` who is a customer person (to find the account)."""
    p = ds.tables.people
    for t in typed:
        pid = _lookup("PERSON", ds.person, t)
        if not p.loc[p["id"] == pid, "internal"].astype(bool).all():
            return pid
    return None


def cmd_trend(args: argparse.Namespace) -> int:
    acct = _account(_dataset(args), args)
    trend = acct.trend(args.freq, periods=args.periods)
    _emit(trend, args, ["period", "rank", "id", "name", "influence"], "No periods to show.")
    return 0


def cmd_support(args: argparse.Namespace) -> int:
    acct = _account(_dataset(args), args)
    support = acct.support()
    if not _machine(args):
        overall = acct.overall_support()
        say(f"Overall predicted support of {acct.name}: {overall:+.2f} "
            f"({acct.support_meaning()})")  # fmt: skip
    shown = ["id", "name", "known_stance", "predicted_support", "confidence"]
    _emit(support, args, shown, "No customer people.")
    return 0


def cmd_next_moves(args: argparse.Namespace) -> int:
    acct = _account(_dataset(args), args)
    shown = ["rank", "id", "name", "stance", "influence", "gain", "overall_after", "path_names"]
    _emit(acct.next_moves(k=args.k), args, shown, "No one left to win over.")
    return 0


def cmd_risks(args: argparse.Namespace) -> int:
    acct = _account(_dataset(args), args)
    flags = acct.risk_flags()
    if not _machine(args):
        names = dict(zip(acct.tables.people["id"], acct.tables.people["name"]))
        who = [", ".join(names.get(i, i) for i in p) for p in flags["people"]]
        flags = flags.assign(people=who)
    _emit(flags, args, ["flag", "people", "detail"], f"No risk flags for {acct.name}.")
    return 0


def cmd_engagement(args: argparse.Namespace) -> int:
    acct = _account(_dataset(args), args)
    shown = ["id", "name", "suggested_role", "reason"]
    _emit(acct.engagement(), args, shown, "No key stakeholders.")
    return 0


# --- batch and diff ----------------------------------------------------------------------


def _check_out(flag: str, out: str) -> None:
    """``out`` is a folder, or can be made one: a clear error before any work."""
    path = Path(out)
    if path.exists() and not path.is_dir():
        raise InputError(flag, f"{out} is a file, not a folder")
    parent = path
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise InputError(flag, f"cannot make folder {out}: {parent} is a file")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise InputError(flag, f"cannot write to {parent}: permission denied")


def cmd_analyze(args: argparse.Namespace) -> int:
    from influence.batch import start_workers

    _check_out("--out", args.out)
    if args.jobs != 1:  # the workers' imports overlap with loading
        start_workers(args.executor, draw=args.maps != 0)
    with _analysis_dataset(args) as ds:
        return _analyze(args, ds)


def _analyze(args: argparse.Namespace, ds) -> int:
    """``analyze`` of a loaded dataset (see :func:`cmd_analyze`)."""
    from influence.batch import Interrupted, LoaderLost, run

    _report_quality(ds)
    accounts = None
    if args.accounts:
        names = [a.strip() for a in args.accounts.split(",")]
        accounts = [_lookup("--accounts", ds.account_name, n) for n in names]
    rendered = None if args.maps < 0 else args.maps
    try:
        summary = run(
            ds,
            args.out,
            accounts=accounts,
            rendered=rendered,
            executor=args.executor,
            jobs=args.jobs,
            scheduler=args.scheduler,
            progress=not args.quiet,
            resume=args.resume,
            account_timeout=args.account_timeout,
        )
    except Interrupted as stop:
        out = Path(args.out)
        say(f"influence: interrupted: {stop.finished} of {stop.total} accounts finished, "
            f"listed in {out / 'summary.csv'} and {out / 'index.html'}.", err=True)  # fmt: skip
        again = list(args.argv) + ["--resume"] * (not args.resume)
        say(f"To finish the rest, run again with --resume: {shlex.join(['influence', *again])}",
            err=True)  # fmt: skip
        return 130
    except LoaderLost as err:
        say(f"influence: error: {err}", err=True)
        return 1
    failed = summary[summary["error"] != ""]
    out = Path(args.out)
    if args.resume:
        say(f"Resumed: skipped {summary.attrs.get('resumed', 0)} finished accounts.")
    say(f"Analysed {len(summary) - len(failed)} of {len(summary)} accounts of {ds.name}.")
    for row in summary[summary["error"] == ""].head(10).itertuples():
        say(
            f"  {row.account}: {row.people} people, top influencer {row.top_influencer}"
            f" -> {out / row.slug}"
        )
    if len(summary) > 10:
        say(f"  … and {len(summary) - 10} more (see summary.csv)")
    caveats = summary["caveats"] if "caveats" in summary else pd.Series("", index=summary.index)
    warned = summary[(summary["error"] == "") & (caveats.fillna("") != "")]
    if len(warned):
        say(f"{len(warned)} accounts with caveats (column caveats of summary.csv):", err=True)
        for row in warned.head(10).itertuples():
            for caveat in str(row.caveats).split("; "):
                say(f"  {row.account}: {caveat}", err=True)
    if len(failed):
        say(f"{len(failed)} accounts failed; see {out / 'errors.csv'}", err=True)
    say(f"Open {out / 'index.html'} to browse the results.")
    return 1 if len(failed) == len(summary) else 0


def cmd_diff(args: argparse.Namespace) -> int:
    from influence import __version__, load
    from influence.diff import diff_datasets, write_changes

    _check_out("--out", args.out)
    opts = {"half_life_days": args.half_life, "seed": args.seed, **_privacy(args),
            "max_account_work": args.max_account_work}  # fmt: skip
    for flag, value in (("--from-date", args.from_date), ("--to-date", args.to_date)):
        if value is not None:
            try:
                pd.Timestamp(value)
            except ValueError:
                raise InputError(flag, f"cannot parse date {value!r}") from None
    if args.new is None:
        if args.from_date is None:
            raise InputError(args.old, "give a NEW dataset, or --from-date (and --to-date)")
        old = load(args.old, args.format, as_of=args.from_date, **opts)
        new = load(args.old, args.format, as_of=args.to_date, **opts)
    else:
        if opts["redact"] is True:
            raise InputError(
                "--redact",
                "numbered pseudonyms differ between two datasets; "
                "give --redact-key KEY to compare them",
            )
        old = load(args.old, args.format, as_of=args.from_date, **opts)
        new = load(args.new, args.format, as_of=args.to_date, **opts)
    _report_quality(new)
    table = diff_datasets(
        old, new, threshold=args.threshold, cold_days=args.cold_days, quiet_days=args.quiet_days
    )
    before = _date_label(old)
    after = _date_label(new)
    paths = write_changes(table, args.out, before=before, after=after, version=__version__)
    n, m = len(table), table["account"].nunique()
    say(f"{n} change{'s' * (n != 1)} in {m} account{'s' * (m != 1)}, {before} → {after}.")
    for change, n in table["change"].value_counts().sort_index().items():
        say(f"  {change}: {n}")
    say(f"Open {paths[1]} to read them.")
    return 0


def _date_label(ds) -> str:
    as_of = ds.tie_config.as_of
    return "" if as_of is None else pd.Timestamp(as_of).date().isoformat()


# --- the parser --------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from influence import Account, __version__

    p = Parser(
        prog="influence",
        description="Find who actually moves a decision inside a customer account: ranked "
        "influencers, coalitions, coverage gaps and warm introduction paths.",
    )
    p.add_argument("--version", action="version", version=f"influence {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("input", help="a folder of CSV files, an .xlsx workbook or a CRM export")
    _format_flag(common)
    common.add_argument(
        "--as-of", metavar="DATE", help="analyse as of this date (default: the latest event)"
    )
    _half_life_flag(common)
    _seed_flag(common)
    _privacy_flags(common)

    # The account commands: one account (by unique name) and a table, CSV or JSON.
    one = argparse.ArgumentParser(add_help=False, parents=[common])
    one.add_argument(
        "--account",
        metavar="NAME",
        help="the account, by its name or a unique match without accents and case "
        "(default: the only account)",
    )
    machine = one.add_mutually_exclusive_group()
    machine.add_argument(
        "--csv", action="store_true", help="print every column as CSV, at full precision"
    )
    machine.add_argument(
        "--json", action="store_true", help="print every column as JSON records, at full precision"
    )

    a = sub.add_parser(
        "analyze",
        parents=[common],
        help="analyse every account and write results",
        description="Analyse every account: influencers.csv, coalitions.csv, map.html "
        "and report.html per account, plus summary.csv and index.html. Ctrl-C stops "
        "soon, writes summary.csv and index.html for the accounts already finished and "
        "says how to resume.",
    )
    a.add_argument("--out", required=True, metavar="DIR", help="output folder")
    a.add_argument(
        "--accounts", metavar="NAMES", help="comma-separated account names (default: all)"
    )
    a.add_argument(
        "--maps",
        type=_count(-1),
        default=defaults.MAPS,
        metavar="N",
        help="draw maps and reports for the N largest accounts (default: %(default)s; -1: all)",
    )
    a.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="processes",
        help="where accounts run: local processes (default), serial, or a Dask cluster",
    )
    a.add_argument(
        "--jobs", type=_count(1), metavar="N", help="local workers, 1 or more (default: all cores)"
    )
    a.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://host:8786 (default: start a local cluster)",
    )
    a.add_argument(
        "--load-on",
        choices=("cluster", "driver"),
        default="cluster",
        help="with --executor dask: read, validate and split the input on a Dask worker, "
        "which must see it at the same path (cluster, the default: this process holds only "
        "a summary), or here (driver); every format; the other executors read it here",
    )
    a.add_argument(
        "--quiet",
        action="store_true",
        help="no progress (shown as a bar on a terminal, else as a line every 10%%)",
    )
    a.add_argument(
        "--resume",
        action="store_true",
        help="skip accounts already finished in DIR with the same inputs and options",
    )
    a.add_argument(
        "--account-timeout",
        type=_timeout,
        metavar="SECONDS",
        help="time budget per account, at least "
        f"{defaults.MIN_ACCOUNT_TIMEOUT:g} s; one that takes longer is listed in errors.csv "
        "(default: none)",
    )
    _work_flag(a, "is not analysed and is listed in errors.csv")
    a.set_defaults(func=cmd_analyze)

    def command(name: str, func, help: str, description: str) -> argparse.ArgumentParser:
        c = sub.add_parser(name, parents=[one], help=help, description=description)
        c.set_defaults(func=func)
        return c

    command(
        "people",
        cmd_people,
        "list people with their ids (ds.people())",
        "List who is in the data, with ids, titles and accounts (our team last), to name "
        "people in the other commands. With --account, that account's people and our team.",
    )
    command(
        "influencers",
        cmd_influencers,
        "ranked influencers of an account (acct.influencers())",
        "Ranked people of an account. The table shows the main columns; --csv and --json "
        "give every column of influencers.csv.",
    )
    w = command(
        "paths",
        cmd_paths,
        "print the strongest warm introduction paths (acct.paths())",
        "Print the k strongest introduction chains to a person. A chain's strength is the "
        "product of its tie strengths times 0.5 per introduction; a direct tie from our "
        "team is always listed. People are named by id or by a unique name.",
    )
    w.add_argument(
        "--to", required=True, metavar="PERSON", help="the person to reach: an id or a unique name"
    )
    w.add_argument(
        "--from",
        metavar="PERSON",
        help="start from this person, an id or a unique name (default: anyone on our team)",
    )
    w.add_argument(
        "-k",
        type=_count(1),
        default=_default(Account.paths, "k"),
        help="how many chains (default: %(default)s)",
    )
    w.add_argument(
        "--max-hops",
        type=_count(1),
        default=defaults.MAX_HOPS,
        metavar="N",
        help="longest chain searched, in hops (default: %(default)s)",
    )
    e = command(
        "evidence",
        cmd_evidence,
        "what built the tie between two people (acct.evidence())",
        "Every relationship and event behind the tie between two people, with what each "
        "contributed, largest first (default account: the first customer person's).",
    )
    e.add_argument("a", metavar="PERSON", help="one person: an id or a unique name")
    e.add_argument("b", metavar="PERSON", help="the other person: an id or a unique name")
    t = command(
        "trend",
        cmd_trend,
        "influence at the end of each period (acct.trend())",
        "Influence and rank of every customer person at the end of each period, from the "
        "first event to the as-of date.",
    )
    t.add_argument(
        "--freq",
        choices=("W", "M", "Q", "Y"),
        default=_default(Account.trend, "freq"),
        help="period: W weeks, M months, Q quarters, Y years (default: %(default)s)",
    )
    t.add_argument(
        "--periods", type=_count(1), metavar="N", help="only the last N periods (default: all)"
    )
    command(
        "support",
        cmd_support,
        "predicted support per person (acct.support())",
        "Predicted support (-1..1) of every customer person (Friedkin-Johnsen opinion "
        "dynamics anchored on recorded stances), after the account's overall figure.",
    )
    n = command(
        "next-moves",
        cmd_next_moves,
        "who to win over next (acct.next_moves())",
        "The people whose support would lift the account's overall support most, with the "
        "warm path to each and the reason.",
    )
    n.add_argument(
        "-k",
        type=_count(1),
        default=_default(Account.next_moves, "k"),
        help="how many people (default: %(default)s)",
    )
    command(
        "risks",
        cmd_risks,
        "risk flags of an account (acct.risk_flags())",
        "Risk flags of an account (single-threaded, no decision-maker coverage, "
        "influential blocker, bow-tie) with the people concerned.",
    )
    command(
        "engagement",
        cmd_engagement,
        "a suggested seller role per key stakeholder (acct.engagement())",
        "A suggested seller role (expert, coach, evaluator, supporter, …) per key "
        "stakeholder, with the reason.",
    )

    d = sub.add_parser(
        "diff",
        help="what changed between two reviews",
        description="Compare two datasets (OLD NEW), or one dataset at two dates "
        "(--from-date, --to-date): new, departed, gone_quiet, rose, fell, cooled, "
        "champion_cold and coverage_gap per account. Writes changes.csv and changes.html.",
    )
    d.add_argument("old", metavar="OLD", help="the earlier dataset (or the only one)")
    d.add_argument("new", metavar="NEW", nargs="?", help="the later dataset")
    d.add_argument("--out", required=True, metavar="DIR", help="output folder")
    d.add_argument("--from-date", metavar="DATE", help="as-of date of the earlier review")
    d.add_argument(
        "--to-date", metavar="DATE", help="as-of date of the later review (default: latest)"
    )
    _format_flag(d)
    _half_life_flag(d)
    d.add_argument(
        "--threshold",
        type=float,
        default=defaults.INFLUENCE_THRESHOLD,
        metavar="POINTS",
        help="influence change that counts as rose/fell (default: %(default)g)",
    )
    d.add_argument(
        "--cold-days",
        type=int,
        default=defaults.COLD_DAYS,
        metavar="DAYS",
        help="days without contact after which a champion is cold (default: %(default)s)",
    )
    d.add_argument(
        "--quiet-days",
        type=int,
        default=defaults.QUIET_DAYS,
        metavar="DAYS",
        help="days without any activity after which a person is gone_quiet (default: %(default)s)",
    )
    _seed_flag(d)
    _work_flag(d, "stops the comparison with a message")
    _privacy_flags(d)
    d.set_defaults(func=cmd_diff, as_of=None)
    return p


def _format_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=FORMATS, help="input format (default: detected)")


def _half_life_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--half-life",
        type=float,
        default=defaults.HALF_LIFE_DAYS,
        metavar="DAYS",
        help="days after which an interaction counts half (default: %(default)g)",
    )


def _seed_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--seed",
        type=int,
        default=defaults.SEED,
        help="seed for community detection (default: %(default)s)",
    )


def _work_flag(p: argparse.ArgumentParser, then: str) -> None:
    p.add_argument(
        "--max-account-work",
        type=_positive,
        default=defaults.MAX_ACCOUNT_WORK,
        metavar="N",
        help=f"size budget per account, people x ties (default: %(default).0e); a larger "
        f"account {then}",
    )


def _privacy_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--redact",
        action="store_true",
        help="replace names, ids and account names with pseudonyms (Person 01, …) in every output",
    )
    p.add_argument(
        "--redact-key",
        metavar="KEY",
        help="keyed pseudonyms, the same for a person in every run with this key "
        "(implies --redact; default: $INFLUENCE_REDACT_KEY)",
    )
    p.add_argument(
        "--include-contact-details",
        action="store_true",
        help="keep e-mail addresses and phone numbers (left out of every output by default)",
    )


def _os_message(err: OSError) -> str:
    """An OSError in words, without its errno: ``cannot write out/x: Permission denied``."""
    what = err.strerror or type(err).__name__
    where = err.filename or ""
    return f"{where}: {what}" if where else what


#: Exit status when the reader of standard output went away (``influence people DATA |
#: head``): 128 + SIGPIPE, what a shell reports for a program that a closed pipe stopped.
BROKEN_PIPE = 141


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:
        # Stop quietly, with standard output pointed at /dev/null so that the
        # interpreter's last flush does not complain about the closed pipe either.
        with contextlib.suppress(OSError, ValueError):  # stdout without a descriptor
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE


def _main(argv: list[str] | None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as done:  # --help, --version and usage errors
        return int(done.code or 0)
    args.argv = argv
    try:
        if args.as_of is not None:
            try:
                pd.Timestamp(args.as_of)
            except ValueError:
                raise InputError("--as-of", f"cannot parse date {args.as_of!r}") from None
        return args.func(args)
    except BrokenPipeError:
        raise
    except OSError as err:
        say(f"influence: error: {_os_message(err)}", err=True)
        return 2
    except (InputError, KeyError) as err:
        msg = err.args[0] if isinstance(err, KeyError) else str(err)
        say(f"influence: error: {msg}", err=True)
        return 2
    except KeyboardInterrupt:
        say("influence: interrupted", err=True)
        return 130


if __name__ == "__main__":
    sys.exit(main())
