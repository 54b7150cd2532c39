"""Analyse every account of a dataset and write the results to a folder.

Layout of the output folder::

    DIR/summary.csv              one row per account, with data-quality counts
    DIR/index.html               every account, linking to its map and report
    DIR/data_quality.csv         every data-quality finding: file, row, column, code, message
    DIR/errors.csv               accounts that failed, with the reason (only if any did)
    DIR/run.json                 influence version and the options that shape results
    DIR/row_accounting.csv       per input file: rows_read = rows_used + rows_skipped
    DIR/<slug>/summary.json      the account's summary row (for --resume)
    DIR/<slug>/.done             fingerprint of the inputs and options, written last
    DIR/<slug>/influencers.csv   ranked people
    DIR/<slug>/coalitions.csv    coalitions
    DIR/<slug>/map.html          interactive influence map (top accounts)
    DIR/<slug>/report.html       account report with charts (top accounts)
    DIR/<slug>/charts/*.png|svg  the report's charts (top accounts)
    DIR/<slug>/graph.gexf|graphml|json  the person graph with every metric (top accounts)

Accounts are independent tasks: each is analysed on its own (in parallel across cores
by default), and an account that fails is recorded and the run goes on.
"""

from __future__ import annotations

import hashlib
import json
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from influence.account import Account, Dataset, Options
from influence.executors import run_tasks
from influence.graph.accounts import slugify
from influence.graph.ties import TieConfig
from influence.io.tables import Tables
from influence.render.files import csv_bytes, write_bytes, write_csv, write_text

DEFAULT_RENDERED = 50
REPORT_EXAMPLES = 5


@dataclass(frozen=True)
class Task:
    """One account to analyse: its tables, where to write, and whether to draw it."""

    tables: Tables
    ties: pd.DataFrame
    options: Options
    tie_config: TieConfig
    folder: Path
    render: bool
    version: str
    quality: pd.DataFrame  # examples of the dataset's data-quality findings, for the report
    timeout: float | None = None  # seconds; see analyze_account


class AccountTimeout(Exception):
    """An account ran longer than its time budget."""


def fingerprint(task: Task) -> str:
    """SHA-256 of everything that shapes an account's files: its canonical tables and
    ties (as CSV, in a fixed order), the options, whether it is drawn, the report's
    data-quality examples and the influence version. Never paths, times or executors."""
    h = hashlib.sha256()
    meta = {
        "account": task.tables.name,
        "version": task.version,
        "options": task.options.describe(),
        "as_of": str(task.tie_config.as_of),
        "render": task.render,
    }
    h.update(json.dumps(meta, sort_keys=True, default=str).encode("utf-8"))
    t = task.tables
    for name, df in [("people", t.people), ("relationships", t.relationships),
                     ("events", t.events), ("participants", t.participants),
                     ("ties", task.ties), ("quality", task.quality)]:  # fmt: skip
        h.update(f"\0{name}\0".encode())
        h.update(df.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return h.hexdigest()


Files = dict[str, bytes]


def analyze_account(task: Task) -> tuple[dict[str, object], Files]:
    """Analyse one account; returns its summary row and its files (path in folder -> bytes).

    Files are returned rather than written so that workers anywhere (another process, a
    Dask cluster) produce exactly the same output, written in one place. Never raises
    for a problem of the account's data: the row then has an ``error``.

    ``task.timeout`` is enforced with a timer signal where the account runs in a main
    thread on POSIX (serial and process executors): the account is stopped when the
    budget is spent (at the next Python instruction; a long call into C, e.g. one
    igraph betweenness run, finishes first). Elsewhere (Dask worker threads, Windows)
    the account runs to the end and is then discarded if it took longer.
    """
    alarm = (
        task.timeout is not None
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    start = time.monotonic()
    budget = "" if task.timeout is None else f"exceeded time budget of {task.timeout:g} s"
    if alarm:

        def stop(signum, frame):
            raise AccountTimeout(budget)

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, task.timeout)
    try:
        acct = Account(task.tables, task.options, task.tie_config, task.ties)
        inf = acct.influencers()
        if task.options.contact_details:
            inf = _with_contact_details(inf, task.tables.people)
        files = {
            "influencers.csv": csv_bytes(inf),
            "coalitions.csv": csv_bytes(acct.coalitions()),
        }
        if task.render:
            files.update(render_account(acct, task.version, task.quality))
        if task.timeout is not None and time.monotonic() - start > task.timeout:
            raise AccountTimeout(budget)
        return {**acct.summary(), "error": ""}, files
    except AccountTimeout:
        return {"account": task.tables.name, "error": budget}, {}
    except Exception as err:  # one bad account must not stop the batch
        last = traceback.extract_tb(err.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        return {"account": task.tables.name, "error": f"{type(err).__name__}: {err} ({where})"}, {}
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _with_contact_details(inf: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """``inf`` with the e-mail and phone-like columns of ``people`` (when asked for)."""
    from influence.redact import PHONE_COLUMN

    cols = [c for c in people.columns if c == "email" or PHONE_COLUMN.search(str(c))]
    cols = [c for c in cols if c != "id" and c not in inf.columns]
    if not cols:
        return inf
    extra = people.drop_duplicates("id").set_index("id")[cols]
    return inf.join(extra, on="id")


def render_account(acct: Account, version: str, quality: pd.DataFrame) -> Files:
    """The map, the charts and the report of one account, as files."""
    from influence.render import charts, export
    from influence.render.report import ReportContext, render_report

    inf = acct.influencers()
    figs = {
        "ranking": charts.ranking_chart(inf),
        "stance_grid": charts.stance_grid(inf),
        "coverage": charts.coverage_chart(inf),
        "coalitions": charts.coalition_chart(inf),
    }
    graph = export.export_graph(inf, acct.ties)
    files = {
        "map.html": acct.map().html.encode("utf-8"),
        "graph.gexf": export.to_gexf(graph, date=acct.summary()["as_of"]),
        "graph.graphml": export.to_graphml(graph),
        "graph.json": export.to_json(graph),
    }
    for key, fig in figs.items():
        for fmt in ("png", "svg"):
            files[f"charts/{key}.{fmt}"] = charts.figure_bytes(fig, fmt)
    ctx = ReportContext(
        account=acct.name,
        as_of=acct.summary()["as_of"],
        data_range=acct.data_range,
        influencers=inf,
        coalitions=acct.coalitions(),
        warm_paths=acct.decision_paths(k=2),
        quality=quality,
        charts=figs,
        version=version,
        options=acct.options.describe(),
    )
    files["report.html"] = render_report(ctx).encode("utf-8")
    return files


def run(
    dataset: Dataset,
    out: str | Path,
    *,
    accounts: Iterable[str] | None = None,
    rendered: int | None = DEFAULT_RENDERED,
    executor: str = "processes",
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    resume: bool = False,
    account_timeout: float | None = None,
) -> pd.DataFrame:
    """Analyse the accounts of ``dataset`` and write everything to ``out``.

    Parameters
    ----------
    accounts : names to analyse (default: all). Unknown names raise ``KeyError``.
    rendered : maps and reports are drawn for the this many largest accounts (``None``:
        all); metrics always cover every account.
    executor, jobs, scheduler : where accounts run (see
        :func:`influence.executors.run_tasks`); the output is the same for every choice.
    progress : show a progress bar with ETA on standard error.
    resume : skip accounts whose ``<slug>/.done`` holds the fingerprint of the same inputs
        and options (:func:`fingerprint`), e.g. after an interrupted run; their summary
        row is read from ``<slug>/summary.json``.
    account_timeout : seconds an account may take; one that takes longer is listed in
        ``errors.csv`` and the run goes on (see :func:`analyze_account` for limits).

    Returns the summary table, also written as ``summary.csv``; ``summary.attrs["resumed"]``
    is the number of accounts skipped by ``resume``.
    """
    from influence import __version__
    from influence.render.index import render_index

    out = Path(out)
    names = dataset.accounts if accounts is None else list(accounts)
    unknown = [n for n in names if n not in dataset.accounts]
    if unknown:
        raise KeyError(f"unknown account {unknown[0]!r}; accounts: {', '.join(dataset.accounts)}")
    people = dataset.tables.people
    size = people[~people["internal"]].groupby("account").size()
    by_size = sorted(names, key=lambda n: (-size.get(n, 0), n))
    drawn = set(by_size if rendered is None else by_size[:rendered])
    slugs: dict[str, str] = {}
    for n in sorted(names):
        slugs[n] = slugify(n, set(slugs.values()))
    parts = dataset.split(names)
    # Reports show the first findings of each kind; data_quality.csv has them all.
    examples = dataset.quality.to_frame().groupby("code", sort=True).head(REPORT_EXAMPLES)
    tasks = [
        Task(
            *parts[n],
            dataset.options,
            dataset.tie_config,
            out / slugs[n],
            n in drawn,
            __version__,
            examples if n in drawn else examples.iloc[:0],
            account_timeout,
        )  # fmt: skip
        for n in by_size
    ]
    prints = {t.tables.name: fingerprint(t) for t in tasks}
    rows = []
    if resume:
        todo = []
        for t in tasks:
            row = _finished(t.folder, prints[t.tables.name])
            if row is None:
                todo.append(t)
            else:
                rows.append(row)
        tasks = todo
    resumed = len(rows)
    done = run_tasks(analyze_account, tasks, executor, jobs=jobs, scheduler=scheduler)
    bar = tqdm(done, total=len(tasks), unit="account", file=sys.stderr, disable=not progress)
    for row, files in bar:
        folder = out / slugs[str(row["account"])]
        for rel, data in sorted(files.items()):
            write_bytes(folder / rel, data)
        if row["error"] == "":
            write_text(folder / "summary.json", _json(row))
            write_text(folder / ".done", prints[str(row["account"])] + "\n")
        rows.append(row)

    summary = pd.DataFrame(rows)
    # Same columns in the same order whichever account finished (or failed) first.
    summary = summary[[c for c in summary.columns if c != "error"] + ["error"]]
    summary.insert(1, "slug", summary["account"].map(slugs))
    summary["rendered"] = summary["account"].isin(drawn)
    q = dataset.quality
    summary["warnings"] = len(q.issues)
    summary["warning_counts"] = "; ".join(f"{k}={v}" for k, v in q.counts().items())
    accounting = pd.DataFrame(
        [(f, n, q.rows_used(f), q.rows_skipped[f]) for f, n in sorted(q.rows_read.items())],
        columns=["file", "rows_read", "rows_used", "rows_skipped"],
    )
    summary["rows_read"] = int(accounting["rows_read"].sum())
    summary["rows_skipped"] = int(accounting["rows_skipped"].sum())
    summary = summary.sort_values("account").reset_index(drop=True)
    write_csv(out / "summary.csv", summary)
    write_csv(out / "data_quality.csv", q.to_frame())
    write_csv(out / "row_accounting.csv", accounting)
    errors = summary.loc[summary["error"] != "", ["account", "error"]]
    if len(errors):
        write_csv(out / "errors.csv", errors)
    elif (out / "errors.csv").exists():
        (out / "errors.csv").unlink()
    meta = {
        "influence": __version__,
        "input": Path(dataset.source).name,
        "options": dataset.options.describe(),
        "as_of": _as_of(dataset.tie_config.as_of),
    }
    write_text(out / "run.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_text(out / "index.html", render_index(summary, __version__, dataset.options.describe()))
    summary.attrs["resumed"] = resumed
    return summary


def _as_of(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()


def _json(row: dict) -> str:
    """A summary row as stable JSON (numpy scalars as plain numbers)."""

    def plain(v):
        return v.item() if hasattr(v, "item") else str(v)

    return json.dumps(row, default=plain, ensure_ascii=False, indent=1) + "\n"


def _finished(folder: Path, print_: str) -> dict | None:
    """The summary row of an account finished with fingerprint ``print_``, else ``None``."""
    try:
        if (folder / ".done").read_text(encoding="utf-8").strip() != print_:
            return None
        return json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
