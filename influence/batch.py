"""Analyse every account of a dataset and write the results to a folder.

Layout of the output folder::

    DIR/summary.csv              one row per account, with data-quality counts
    DIR/index.html               every account, linking to its map and report
    DIR/data_quality.csv         every data-quality finding: file, row, column, code, message
    DIR/errors.csv               accounts that failed, with the reason (only if any did)
    DIR/run.json                 influence version and the options that shape results
    DIR/<slug>/influencers.csv   ranked people
    DIR/<slug>/coalitions.csv    coalitions
    DIR/<slug>/map.html          interactive influence map (top accounts)
    DIR/<slug>/report.html       account report with charts (top accounts)
    DIR/<slug>/charts/*.png|svg  the report's charts (top accounts)

Accounts are independent tasks: each is analysed on its own (in parallel across cores
by default), and an account that fails is recorded and the run goes on.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from influence.account import Account, Dataset, Options
from influence.graph.accounts import slugify
from influence.graph.ties import TieConfig
from influence.io.tables import Tables
from influence.render.files import write_csv, write_text

DEFAULT_RENDERED = 50


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


def analyze_account(task: Task) -> dict[str, object]:
    """Analyse one account and write its files; returns its summary row.

    Never raises for a problem of the account's data: the row then has an ``error``.
    """
    name = task.tables.name
    try:
        acct = Account(task.tables, task.options, task.tie_config, task.ties)
        inf = acct.influencers()
        write_csv(task.folder / "influencers.csv", inf)
        write_csv(task.folder / "coalitions.csv", acct.coalitions())
        if task.render:
            render_account(acct, task.folder, task.version)
        return {**acct.summary(), "error": ""}
    except Exception as err:  # one bad account must not stop the batch
        last = traceback.extract_tb(err.__traceback__)[-1]
        return {
            "account": name,
            "error": f"{type(err).__name__}: {err} ({Path(last.filename).name}:{last.lineno})",
        }


def render_account(acct: Account, folder: Path, version: str) -> None:
    """Write the map, the charts and the report of one account."""
    from influence.render import charts
    from influence.render.report import ReportContext, write_report

    acct.map().save(folder / "map.html")
    inf = acct.influencers()
    figs = {
        "ranking": charts.ranking_chart(inf),
        "stance_grid": charts.stance_grid(inf),
        "coverage": charts.coverage_chart(inf),
        "coalitions": charts.coalition_chart(inf),
    }
    for key, fig in figs.items():
        charts.save_figure(fig, folder / "charts" / key)
    ctx = ReportContext(
        account=acct.name,
        as_of=acct.summary()["as_of"],
        data_range=acct.data_range,
        influencers=inf,
        coalitions=acct.coalitions(),
        warm_paths=acct.decision_paths(k=2),
        quality=acct.tables.quality.to_frame(),
        charts=figs,
        version=version,
        options=acct.options.describe(),
    )
    write_report(ctx, folder / "report.html")


def run(
    dataset: Dataset,
    out: str | Path,
    *,
    accounts: Iterable[str] | None = None,
    rendered: int | None = DEFAULT_RENDERED,
    jobs: int | None = None,
    progress: bool = True,
    submit: Callable | None = None,
) -> pd.DataFrame:
    """Analyse the accounts of ``dataset`` and write everything to ``out``.

    Parameters
    ----------
    accounts : names to analyse (default: all). Unknown names raise ``KeyError``.
    rendered : maps and reports are drawn for the this many largest accounts (``None``:
        all); metrics always cover every account.
    jobs : worker processes (default: all cores; 1 runs in this process).
    progress : show a progress bar with ETA on standard error.

    Returns the summary table, also written as ``summary.csv``.
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
    tasks = [
        Task(
            *parts[n], dataset.options, dataset.tie_config, out / slugs[n], n in drawn, __version__
        )
        for n in by_size
    ]
    rows = list(_execute(tasks, jobs, progress))

    summary = pd.DataFrame(rows)
    summary.insert(1, "slug", summary["account"].map(slugs))
    summary["rendered"] = summary["account"].isin(drawn)
    q = dataset.quality
    summary["warnings"] = len(q.issues)
    summary["warning_counts"] = "; ".join(f"{k}={v}" for k, v in q.counts().items())
    summary = summary.sort_values("account").reset_index(drop=True)
    write_csv(out / "summary.csv", summary)
    write_csv(out / "data_quality.csv", q.to_frame())
    errors = summary.loc[summary["error"] != "", ["account", "error"]]
    if len(errors):
        write_csv(out / "errors.csv", errors)
    elif (out / "errors.csv").exists():
        (out / "errors.csv").unlink()
    meta = {
        "influence": __version__,
        "input": Path(dataset.source).name,
        "options": dataset.options.describe(),
    }
    write_text(out / "run.json", json.dumps(meta, indent=2, sort_keys=True) + "\n")
    write_text(out / "index.html", render_index(summary, __version__, dataset.options.describe()))
    return summary


def _execute(tasks: list[Task], jobs: int | None, progress: bool):
    jobs = jobs or os.cpu_count() or 1
    bar = tqdm(
        total=len(tasks), unit="account", disable=not progress or len(tasks) < 2, file=sys.stderr
    )
    try:
        if jobs == 1 or len(tasks) < 2:
            for t in tasks:
                bar.set_postfix_str(t.tables.name[:30])
                yield analyze_account(t)
                bar.update()
        else:
            with ProcessPoolExecutor(max_workers=jobs) as pool:
                for row in pool.map(
                    analyze_account, tasks, chunksize=max(1, len(tasks) // (jobs * 8))
                ):
                    yield row
                    bar.update()
    finally:
        bar.close()
