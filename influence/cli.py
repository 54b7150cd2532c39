"""Command line: ``influence analyze``, ``influence paths`` and ``influence diff``.

Each subcommand is a thin call into the library (:func:`influence.load`,
:func:`influence.batch.run`, :meth:`influence.Account.paths`).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

import pandas as pd

from influence import defaults
from influence.executors import EXECUTORS
from influence.io import FORMATS
from influence.io.quality import InputError
from influence.render.terminal import plain


def say(*parts: object, err: bool = False) -> None:
    """Print like :func:`print`, with control characters removed from CRM text
    (:func:`influence.render.terminal.plain`): names never reach the terminal raw."""
    print(plain(" ".join(map(str, parts))), file=sys.stderr if err else sys.stdout)


def _dataset(args: argparse.Namespace):
    from influence import load

    return load(
        args.input,
        args.format,
        as_of=args.as_of,
        half_life_days=args.half_life,
        seed=args.seed,
        max_account_work=getattr(args, "max_account_work", defaults.MAX_ACCOUNT_WORK),
        **_privacy(args),
    )


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


def cmd_analyze(args: argparse.Namespace) -> int:
    from influence.batch import run

    ds = _dataset(args)
    _report_quality(ds)
    accounts = [a.strip() for a in args.accounts.split(",")] if args.accounts else None
    rendered = None if args.maps < 0 else args.maps
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


def cmd_paths(args: argparse.Namespace) -> int:
    ds = _dataset(args)
    people = ds.tables.people
    row = people[people["id"] == args.to]
    if row.empty:
        raise InputError(args.input, f"no person with id {args.to!r}")
    name = args.account or row["account"].iat[0]
    if row["internal"].iat[0] and not args.account:
        raise InputError(
            args.input, f"{args.to!r} is on our team; say which account with --account"
        )
    acct = ds.account(name)
    if args.max_hops < 1:
        raise InputError("--max-hops", f"must be 1 or more, not {args.max_hops}")
    paths = acct.paths(getattr(args, "from"), args.to, k=args.k, max_hops=args.max_hops)
    if paths.empty:
        say(f"No introduction path to {args.to} in {name}.")
        return 1
    for r in paths.itertuples():
        say(f"{r.rank}. strength {r.strength:.3f}, {r.hops} hops")
        hops = zip(
            r.path, r.path[1:], r.path_names, r.path_names[1:], r.hop_strengths, r.hop_labels
        )
        for a, b, an, bn, s, label in hops:
            say(f"   {an} ({a}) -> {bn} ({b})  {s:.3f}  [{label}]")
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    from influence import __version__, load
    from influence.diff import diff_datasets, write_changes

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


def build_parser() -> argparse.ArgumentParser:
    from influence import __version__

    p = argparse.ArgumentParser(
        prog="influence",
        description="Find who actually moves a decision inside a customer account: ranked "
        "influencers, coalitions, coverage gaps and warm introduction paths.",
    )
    p.add_argument("--version", action="version", version=f"influence {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("input", help="a folder of CSV files, an .xlsx workbook or a CRM export")
    common.add_argument("--format", choices=FORMATS, help="input format (default: detected)")
    common.add_argument(
        "--as-of", metavar="DATE", help="analyse as of this date (default: the latest event)"
    )
    common.add_argument(
        "--half-life",
        type=float,
        default=defaults.HALF_LIFE_DAYS,
        metavar="DAYS",
        help="days after which an interaction counts half (default: %(default)g)",
    )
    common.add_argument(
        "--seed",
        type=int,
        default=defaults.SEED,
        help="seed for community detection (default: %(default)s)",
    )
    _privacy_flags(common)

    a = sub.add_parser(
        "analyze",
        parents=[common],
        help="analyse every account and write results",
        description="Analyse every account: influencers.csv, coalitions.csv, map.html "
        "and report.html per account, plus summary.csv and index.html.",
    )
    a.add_argument("--out", required=True, metavar="DIR", help="output folder")
    a.add_argument(
        "--accounts", metavar="NAMES", help="comma-separated account names (default: all)"
    )
    a.add_argument(
        "--maps",
        type=int,
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
    a.add_argument("--jobs", type=int, metavar="N", help="local workers (default: all cores)")
    a.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="Dask scheduler address, e.g. tcp://host:8786 (default: start a local cluster)",
    )
    a.add_argument("--quiet", action="store_true", help="no progress bar")
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
    a.add_argument(
        "--max-account-work",
        type=_positive,
        default=defaults.MAX_ACCOUNT_WORK,
        metavar="N",
        help="size budget per account, people x ties (default: %(default).0e); a larger "
        "account is not analysed and is listed in errors.csv",
    )
    a.set_defaults(func=cmd_analyze)

    w = sub.add_parser(
        "paths",
        parents=[common],
        help="print the strongest warm introduction paths",
        description="Print the k strongest introduction chains to a person. A chain's "
        "strength is the product of its tie strengths times 0.5 per introduction; a direct "
        "tie from our team is always listed.",
    )
    w.add_argument("--to", required=True, metavar="ID", help="the person to reach")
    w.add_argument(
        "--from", metavar="ID", help="start from this person (default: anyone on our team)"
    )
    w.add_argument("-k", type=int, default=3, help="how many chains (default: 3)")
    w.add_argument(
        "--max-hops",
        type=int,
        default=defaults.MAX_HOPS,
        metavar="N",
        help=f"longest chain searched, in hops (default: {defaults.MAX_HOPS})",
    )
    w.add_argument("--account", help="account to search in (default: the target's)")
    w.set_defaults(func=cmd_paths)

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
    d.add_argument("--format", choices=FORMATS, help="input format (default: detected)")
    d.add_argument(
        "--half-life",
        type=float,
        default=defaults.HALF_LIFE_DAYS,
        metavar="DAYS",
        help="days after which an interaction counts half (default: %(default)g)",
    )
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
    d.add_argument(
        "--seed",
        type=int,
        default=defaults.SEED,
        help="seed for community detection (default: %(default)s)",
    )
    d.add_argument(
        "--max-account-work",
        type=_positive,
        default=defaults.MAX_ACCOUNT_WORK,
        metavar="N",
        help="size budget per account, people x ties (default: %(default).0e); a larger "
        "account stops the comparison with a message",
    )
    _privacy_flags(d)
    d.set_defaults(func=cmd_diff, as_of=None)
    return p


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


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.as_of is not None:
            try:
                pd.Timestamp(args.as_of)
            except ValueError:
                raise InputError("--as-of", f"cannot parse date {args.as_of!r}") from None
        return args.func(args)
    except (InputError, KeyError, OSError) as err:
        msg = err.args[0] if isinstance(err, KeyError) else str(err)
        say(f"influence: error: {msg}", err=True)
        return 2
    except KeyboardInterrupt:
        say("influence: interrupted", err=True)
        return 130


if __name__ == "__main__":
    sys.exit(main())
