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

:mod:`~influence.batch.runner` runs the accounts and writes their files,
:mod:`~influence.batch.resume` decides which are already done,
:mod:`~influence.batch.timeout` holds each to its time budget, and
:mod:`~influence.batch.cluster` loads a dataset on a Dask cluster (the driver holds a
summary).
"""

from influence.batch.cluster import ClusterDataset, LoaderLost, load_on_cluster
from influence.batch.resume import fingerprint, fingerprints, row_hashes
from influence.batch.runner import (
    Chunk,
    Interrupted,
    Task,
    account_slugs,
    analyze_accounts,
    analyze_chunk,
    run,
    start_workers,
)
from influence.batch.timeout import AccountTimeout, check_timeout

__all__ = [
    "AccountTimeout",
    "Chunk",
    "ClusterDataset",
    "Interrupted",
    "LoaderLost",
    "Task",
    "account_slugs",
    "analyze_accounts",
    "analyze_chunk",
    "check_timeout",
    "fingerprint",
    "fingerprints",
    "load_on_cluster",
    "row_hashes",
    "run",
    "start_workers",
]
