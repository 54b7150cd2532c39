"""The batch run's orchestration: accounts in, files out (see :mod:`influence.batch`).

:func:`run` splits the dataset into chunks of accounts, sends them to the executor
(:func:`influence.executors.run_tasks`), writes each account's files as they come back,
then the summary, the index and ``run.json``. Resuming is :mod:`influence.batch.resume`,
the time budget :mod:`influence.batch.timeout`.
"""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from influence import defaults, executors
from influence.account import Account, AccountTooLarge, Dataset, Options
from influence.batch.cluster import ClusterDataset
from influence.batch.resume import fingerprints, finished_row, summary_json
from influence.batch.timeout import AccountTimeout, check_timeout, time_budget
from influence.executors import run_tasks
from influence.graph.accounts import AccountChunk, slugify
from influence.graph.ties import TieConfig
from influence.io.tables import Tables
from influence.render.files import (
    csv_bytes,
    csv_many,
    remove_partial,
    write_bytes,
    write_csv,
    write_text,
)
from influence.render.terminal import progress as show_progress

REPORT_EXAMPLES = 5

#: Modules a worker needs to analyse accounts (``WORKER_MODULES``) and to draw them
#: (``DRAWING_MODULES``): imported once, in the fork server local workers are forked
#: from (:func:`start_workers`), rather than by each worker. igraph's import alone
#: (which imports matplotlib's pyplot) takes half a second; what a worker's first
#: account imported besides (scipy's linear algebra and graph routines, the support
#: model) 0.15 s; numba's, with the compiled kernels (:mod:`influence.batch.kernels`),
#: 1.2 s: only where accounts are drawn, whose trends pay for it many times over.
WORKER_MODULES = (
    "influence.batch.runner",
    "influence.analysis.risk",
    "influence.analysis.support",
    "influence.analysis.activity",
    "igraph",
    "scipy.sparse.csgraph",
    "scipy.sparse.linalg",
    "scipy.linalg",
    "threadpoolctl",
)
DRAWING_MODULES = (
    "influence.render.account",
    "influence.analysis.moves",
    "pyvis.network",
    "influence.batch.kernels",
)


def start_workers(executor: str = "processes", draw: bool = True) -> None:
    """Start what ``run(executor=executor)`` will run accounts on, now, so that its
    imports overlap with loading the data: with ``"processes"``, the fork server of the
    local workers (:func:`influence.executors.start_workers`), importing what analysing
    accounts (and drawing them, if ``draw``) needs. Other executors: nothing to do."""
    if executor == "processes":
        executors.start_workers(_worker_modules(draw))


def _worker_modules(draw: bool) -> tuple[str, ...]:
    """What the workers import before their first account (:data:`WORKER_MODULES`)."""
    return WORKER_MODULES + DRAWING_MODULES * draw


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
    timeout: float | None = None  # seconds; see analyze_accounts
    # the dataset's row accounting (file, rows_read, rows_used, rows_skipped), for the report
    accounting: pd.DataFrame | None = None


class Interrupted(KeyboardInterrupt):
    """:func:`run` was interrupted (Ctrl-C): the workers are stopped and ``summary.csv``
    and ``index.html`` list the ``finished`` accounts (``summary``) of ``total``; a run
    with ``resume=True`` finishes the rest."""

    def __init__(self, summary: pd.DataFrame, total: int):
        super().__init__(f"interrupted: {len(summary)} of {total} accounts finished")
        self.summary, self.finished, self.total = summary, len(summary), total


Files = dict[str, bytes]


@dataclass
class Chunk:
    """Several accounts for one worker: their tables stacked
    (:class:`~influence.graph.accounts.AccountChunk`) and what their tasks need. The
    report's data-quality examples and row accounting go to drawn accounts only."""

    tables: AccountChunk
    folders: list[Path]
    render: list[bool]
    prints: list[str | None]  # fingerprints already known (``None``: computed by the worker)
    options: Options
    tie_config: TieConfig
    version: str
    quality: pd.DataFrame
    accounting: pd.DataFrame
    timeout: float | None = None
    skip: set[int] = field(default_factory=set)  # positions not to analyse (resumed)

    def tasks(self) -> list[Task]:
        """One :class:`Task` per account of the chunk."""
        none_q, none_a = self.quality.iloc[:0], self.accounting.iloc[:0]
        return [
            Task(
                *self.tables.tables(i),
                self.options,
                self.tie_config,
                folder,
                drawn,
                self.version,
                self.quality if drawn else none_q,
                self.timeout,
                self.accounting if drawn else none_a,
            )  # fmt: skip
            for i, (folder, drawn) in enumerate(zip(self.folders, self.render))
        ]


def _cut(split, group: list[str], folders: list[Path], render: list[bool], *rest) -> Chunk:
    """The :class:`Chunk` of the accounts ``group`` of ``split`` (an
    :class:`~influence.graph.accounts.AccountSplit`); ``rest``: its fields from
    ``options`` on."""
    return Chunk(split.chunk(group), folders, render, [None] * len(group), *rest)


def _prints(chunk: Chunk) -> list[str]:
    """The fingerprints of the accounts of ``chunk``."""
    return fingerprints(chunk.tasks(), chunk.tables.stacked())


def _resumed(chunk: Chunk, prints: list[str], skip: set[int]) -> Chunk:
    """``chunk`` with its fingerprints known and the accounts at ``skip`` left out."""
    return replace(chunk, prints=list(prints), skip=set(skip))


def analyze_chunk(chunk: Chunk) -> list[tuple[dict[str, object], Files, str]]:
    """:func:`analyze_accounts` of the accounts of a :class:`Chunk` (but those to skip)."""
    tasks = chunk.tasks()
    prints = list(chunk.prints)
    if any(p is None for p in prints):
        prints = fingerprints(tasks, chunk.tables.stacked())
    return analyze_accounts(
        [(t, p) for i, (t, p) in enumerate(zip(tasks, prints)) if i not in chunk.skip]
    )


def analyze_accounts(
    chunk: list[tuple[Task, str | None]],
) -> list[tuple[dict[str, object], Files, str]]:
    """Analyse several accounts (one task for a worker), with each account's
    :func:`fingerprint` (computed here unless given).

    Files are returned rather than written so that workers anywhere (another process, a
    Dask cluster) produce exactly the same output, written in one place. Never raises
    for a problem of an account's data: its row then has an ``error``.

    ``task.timeout`` is enforced with a timer signal where the account runs in a main
    thread on POSIX (serial and process executors): the account is stopped when the
    budget is spent (at the next Python instruction; a long call into C, e.g. one
    igraph betweenness run, finishes first). Elsewhere (Dask worker threads, Windows)
    the account runs to the end and is then discarded if it took longer.

    Returns ``(row, files, fingerprint)`` per account, in order. The CSV files of all the
    accounts are written together (:func:`csv_many`), which costs far less than one
    account at a time for small accounts.
    """
    todo = [task for task, print_ in chunk if print_ is None]
    computed = iter(fingerprints(todo)) if todo else iter(())
    prints = [next(computed) if print_ is None else print_ for _, print_ in chunk]
    done = []
    for (task, _), print_ in zip(chunk, prints):
        row, tables, files = _analyze(task)
        done.append((row, tables, files, print_))
    names = sorted({k for _, tables, _, _ in done for k in tables})
    try:
        data = {k: csv_many([t[k] for _, t, _, _ in done if k in t]) for k in names}
    except Exception:  # write account by account: only the account at fault fails
        data = None
    out = []
    for (task, _), (row, tables, files, print_) in zip(chunk, done):
        try:
            for k in sorted(tables):
                files = {k: data[k].pop(0) if data else csv_bytes(tables[k]), **files}
        except Exception as err:
            row, files = _failed(task, err), {}
        out.append((row, files, print_))
    return out


def _analyze(task: Task) -> tuple[dict[str, object], dict[str, pd.DataFrame], Files]:
    """The work of :func:`analyze_accounts` for one account: the summary row, the tables
    to write as CSV (file name -> DataFrame) and the other files."""
    try:
        # The timer is armed and disarmed inside the try: however soon it fires (even
        # before the work starts, or while it is being disarmed), it ends here.
        with time_budget(task.timeout):
            acct = Account(task.tables, task.options, task.tie_config, task.ties)
            inf = acct.influencers()
            if task.options.contact_details:
                inf = _with_contact_details(inf, task.tables.people)
            tables = {"influencers.csv": inf, "coalitions.csv": acct.coalitions()}
            files = {}
            if task.render:
                files.update(acct.report_files(task.quality, task.accounting, task.version))
            row = {**acct.summary(), "next_moves": "", "error": ""}
            if task.render:  # drawn accounts only: the moves cost a support solve per candidate
                row["next_moves"] = "; ".join(acct.next_moves()["name"].head(3).map(str))
        return row, tables, files
    except AccountTimeout as err:
        return {"account": task.tables.name, "error": str(err)}, {}, {}
    except AccountTooLarge as err:  # the size guard's own message, without a location
        return {"account": task.tables.name, "error": err.reason}, {}, {}
    except Exception as err:  # one bad account must not stop the batch
        return _failed(task, err), {}, {}


def _failed(task: Task, err: Exception) -> dict[str, object]:
    last = traceback.extract_tb(err.__traceback__)[-1]
    where = f"{Path(last.filename).name}:{last.lineno}"
    return {"account": task.tables.name, "error": f"{type(err).__name__}: {err} ({where})"}


def _with_contact_details(inf: pd.DataFrame, people: pd.DataFrame) -> pd.DataFrame:
    """``inf`` with the e-mail and phone-like columns of ``people`` (when asked for)."""
    from influence.redact import PHONE_COLUMN

    cols = [c for c in people.columns if c == "email" or PHONE_COLUMN.search(str(c))]
    cols = [c for c in cols if c != "id" and c not in inf.columns]
    if not cols:
        return inf
    extra = people.drop_duplicates("id").set_index("id")[cols]
    return inf.join(extra, on="id")


def run(
    dataset: Dataset | ClusterDataset,
    out: str | Path,
    *,
    accounts: Iterable[str] | None = None,
    rendered: int | None = defaults.MAPS,
    executor: str = "processes",
    jobs: int | None = None,
    scheduler: str | None = None,
    progress: bool = True,
    resume: bool = False,
    account_timeout: float | None = None,
) -> pd.DataFrame:
    """Analyse the accounts of ``dataset`` and write everything to ``out``.

    ``dataset`` may be held on a Dask cluster (:func:`influence.batch.cluster.load_on_cluster`,
    with ``executor="dask"``): chunks of accounts are then cut there, and this process
    holds only the dataset's summary; the files written are the same.

    Folder names come from all the dataset's accounts (:func:`account_slugs`), so a run
    of a few accounts writes to the folders a full run gave them. Temporary files a
    killed run left in ``out`` are removed first.

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
    account_timeout : seconds an account may take, at least
        :data:`~influence.defaults.MIN_ACCOUNT_TIMEOUT` (``ValueError`` otherwise, before
        any work); one that takes longer is listed in ``errors.csv`` and the run goes on
        (see :func:`analyze_accounts` for limits). An account over the size budget
        (:class:`~influence.account.AccountTooLarge`) is listed there too.

    Returns the summary table, also written as ``summary.csv``; ``summary.attrs["resumed"]``
    is the number of accounts skipped by ``resume``. ``progress`` is a bar on a terminal
    and a line every 10 % elsewhere (:func:`influence.render.terminal.progress`).

    Raises :class:`Interrupted` (a ``KeyboardInterrupt``) on Ctrl-C, after stopping the
    workers and writing ``summary.csv`` and ``index.html`` for the accounts finished so
    far (their ``.done`` files let ``resume=True`` skip them).
    """
    from influence import __version__

    check_timeout(account_timeout)
    out = Path(out)
    names = dataset.accounts if accounts is None else list(accounts)
    unknown = [n for n in names if n not in dataset.accounts]
    if unknown:
        raise KeyError(f"unknown account {unknown[0]!r}; accounts: {', '.join(dataset.accounts)}")
    remote = isinstance(dataset, ClusterDataset)
    if remote and executor != "dask":
        raise ValueError("a dataset loaded on a Dask cluster runs with executor='dask'")
    size = dataset.people_per_account
    by_size = sorted(names, key=lambda n: (-size.get(n, 0), n))
    drawn = set(by_size if rendered is None else by_size[:rendered])
    slugs = account_slugs(dataset.accounts)
    if out.is_dir():
        remove_partial(out)  # what a killed run was writing
    split = dataset.account_split(names)
    _release_memory()  # what loading freed, before the workers add theirs
    q = dataset.quality
    # Reports show the first findings of each kind; data_quality.csv has them all.
    examples = q.to_frame().groupby("code", sort=True).head(REPORT_EXAMPLES)
    accounting = pd.DataFrame(
        [(f, n, q.rows_used(f), q.rows_skipped[f]) for f, n in sorted(q.rows_read.items())],
        columns=["file", "rows_read", "rows_used", "rows_skipped"],
    )
    rows = []

    def chunks():
        """Work for the workers, largest accounts first: a drawn account alone, small
        ones together (see :func:`_chunk_names`); each built only as workers need it."""
        sizes = {n: split.size(n) for n in names}
        for group in _chunk_names(by_size, drawn, sizes, workers):
            folders = [out / slugs[n] for n in group]
            parts = (group, folders, [n in drawn for n in group], dataset.options,
                     dataset.tie_config, __version__, examples, accounting,
                     account_timeout)  # fmt: skip
            # On a cluster, the chunk is cut where the dataset is (ClusterSplit.on_loader).
            work = split.on_loader(_cut, split.remote, *parts) if remote else _cut(split, *parts)
            if resume:
                prints = split.result(split.on_loader(_prints, work)) if remote else _prints(work)
                skip = set()
                for i, (folder, print_) in enumerate(zip(folders, prints)):
                    row = finished_row(folder, print_)
                    if row is not None:
                        rows.append(row)
                        skip.add(i)
                        bar.update()
                if len(skip) == len(group):
                    continue
                args = (work, prints, skip)
                work = split.on_loader(_resumed, *args) if remote else _resumed(*args)
            yield work
        if remote:
            split.release()  # every chunk is cut: the loader may drop the split

    bar = show_progress(len(by_size), progress, sys.stderr)
    client = dataset.client if remote else None
    workers = executors.concurrency(executor, jobs, client)
    watch = dataset.check_loader if remote else None
    done = run_tasks(analyze_chunk, chunks(), executor, jobs=jobs, scheduler=scheduler,
                     client=client, preload=_worker_modules(bool(drawn)),
                     watch=watch)  # fmt: skip
    computed = 0
    try:
        for results in done:
            for row, files, print_ in results:
                folder = out / slugs[str(row["account"])]
                for rel, data in sorted(files.items()):
                    write_bytes(folder / rel, data)
                if row["error"] == "":
                    write_text(folder / "summary.json", summary_json(row))
                    write_text(folder / ".done", print_ + "\n")
                rows.append(row)
            computed += len(results)
            bar.update(len(results))
    except KeyboardInterrupt:
        done.close()  # stops the workers (run_tasks) without waiting for them
        bar.close(clear=True)
        summary = _write_summary(dataset, out, rows, slugs, drawn, accounting)
        raise Interrupted(summary, len(by_size)) from None
    bar.close()
    resumed = len(rows) - computed
    summary = _write_summary(dataset, out, rows, slugs, drawn, accounting)
    summary.attrs["resumed"] = resumed
    return summary


def _write_summary(
    dataset: Dataset | ClusterDataset,
    out: Path,
    rows: list[dict],
    slugs: dict[str, str],
    drawn: set[str],
    accounting: pd.DataFrame,
) -> pd.DataFrame:
    """Write ``summary.csv``, ``data_quality.csv``, ``row_accounting.csv``,
    ``errors.csv``, ``run.json`` and ``index.html`` for the accounts of ``rows``."""
    from influence import __version__
    from influence.render.index import render_index

    q = dataset.quality
    summary = pd.DataFrame(rows, columns=None if rows else ["account", "error"])
    # Same columns in the same order whichever account finished (or failed) first.
    summary = summary[[c for c in summary.columns if c != "error"] + ["error"]]
    summary.insert(1, "slug", summary["account"].map(slugs))
    summary["rendered"] = summary["account"].isin(drawn)
    summary["warnings"] = len(q.issues)
    summary["warning_counts"] = "; ".join(f"{k}={v}" for k, v in q.counts().items())
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
        "defaults": defaults.describe(),
    }
    write_text(out / "run.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")
    # The footer names the date analysed (the latest event when no --as-of was given).
    shown = {**dataset.options.describe(), "as_of": meta["as_of"]}
    index = render_index(summary, __version__, shown, root=out)
    write_text(out / "index.html", index)
    return summary


def account_slugs(accounts: Iterable[str]) -> dict[str, str]:
    """The folder name of each account (:func:`~influence.graph.accounts.slugify`, numbered
    when two collide, in sorted order). Given all the dataset's accounts, whichever are
    selected with ``accounts=``, an account always gets the same folder.

    >>> account_slugs(["Acme", "ACME", "Globex"])
    {'ACME': 'acme', 'Acme': 'acme-2', 'Globex': 'globex'}
    """
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for n in sorted(accounts):
        slugs[n] = slugify(n, taken)
        taken.add(slugs[n])
    return slugs


#: Small accounts are sent to workers together, up to this many table rows (people,
#: participants, relationships and ties) or :data:`CHUNK_ACCOUNTS` accounts at a time.
CHUNK_ROWS = 50_000
CHUNK_ACCOUNTS = 256
#: Towards the end of a run groups get smaller, down to this many rows (see
#: :func:`_chunk_names`): each group costs a few milliseconds of its own.
CHUNK_MIN_ROWS = 2_000


def _chunk_names(
    names: list[str], alone: set[str], sizes: dict[str, int], workers: int = 1
) -> list[list[str]]:
    """``names`` (in order) in groups for the workers: each name in ``alone`` (drawn
    accounts, which take seconds) by itself, the others together up to
    :data:`CHUNK_ROWS` rows or :data:`CHUNK_ACCOUNTS` accounts, and at most the rows
    left to group divided by twice the number of ``workers`` (but :data:`CHUNK_MIN_ROWS`
    at least): the last groups are small, so that the workers finish at about the same
    time (guided self-scheduling, Polychronopoulos and Kuck 1987).

    Twenty accounts of 3,000 rows on two workers: the first group takes a quarter of
    the 60,000 rows (five accounts), the next a quarter of the 45,000 left (three), and
    so on down to one account a group.

    >>> sizes = {f"a{i:02}": 3_000 for i in range(20)}
    >>> [len(g) for g in _chunk_names(list(sizes), set(), sizes, workers=2)]
    [5, 3, 3, 2, 1, 1, 1, 1, 1, 1, 1]
    """
    left = sum(sizes[n] for n in names if n not in alone)
    groups: list[list[str]] = []
    current: list[str] = []
    rows = cap = 0
    for n in names:
        if n in alone:
            groups.append([n])
            continue
        if current and (rows + sizes[n] > cap or len(current) >= CHUNK_ACCOUNTS):
            groups.append(current)
            left -= rows
            current, rows = [], 0
        if not current:
            cap = max(CHUNK_MIN_ROWS, min(CHUNK_ROWS, left // (2 * workers)))
        current.append(n)
        rows += sizes[n]
    if current:
        groups.append(current)
    return groups


def _release_memory() -> None:
    """Give the memory the C allocator holds but no longer uses back to the system
    (glibc keeps what millions of freed small objects leave behind)."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _as_of(value) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date().isoformat()
