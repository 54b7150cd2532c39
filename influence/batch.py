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
    DIR/<slug>/graph.gexf|graphml|json  the person graph with every metric (top accounts)

Accounts are independent tasks: each is analysed on its own (in parallel across cores
by default), and an account that fails is recorded and the run goes on.
"""

from __future__ import annotations

import json
import sys
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


Files = dict[str, bytes]


def analyze_account(task: Task) -> tuple[dict[str, object], Files]:
    """Analyse one account; returns its summary row and its files (path in folder -> bytes).

    Files are returned rather than written so that workers anywhere (another process, a
    Dask cluster) produce exactly the same output, written in one place. Never raises
    for a problem of the account's data: the row then has an ``error``.
    """
    try:
        acct = Account(task.tables, task.options, task.tie_config, task.ties)
        files = {
            "influencers.csv": csv_bytes(acct.influencers()),
            "coalitions.csv": csv_bytes(acct.coalitions()),
        }
        if task.render:
            files.update(render_account(acct, task.version, task.quality))
        return {**acct.summary(), "error": ""}, files
    except Exception as err:  # one bad account must not stop the batch
        last = traceback.extract_tb(err.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        return {"account": task.tables.name, "error": f"{type(err).__name__}: {err} ({where})"}, {}


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
        "graph.gexf": export.to_gexf(graph),
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
        )  # fmt: skip
        for n in by_size
    ]
    rows = []
    done = run_tasks(analyze_account, tasks, executor, jobs=jobs, scheduler=scheduler)
    bar = tqdm(done, total=len(tasks), unit="account", file=sys.stderr, disable=not progress)
    for row, files in bar:
        folder = out / slugs[str(row["account"])]
        for rel, data in sorted(files.items()):
            write_bytes(folder / rel, data)
        rows.append(row)

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
