"""Loading on the Dask cluster: the driver holds a summary of the dataset, not its rows.

With ``--executor dask`` the export is read, validated and split on the cluster
(``--load-on cluster``, the default there; ``--load-on driver`` reads it in this process
as the other executors do). :func:`load_on_cluster` runs :func:`influence.load` as a
task on one worker, the *loader*; the loaded dataset stays in that worker's memory. The
driver receives its :class:`Summary`: the account names, the people of each account, the
data-quality log (every warning, with file, row and column, and the rows read, used and
skipped per file), the options, the resolved tie settings (the as-of date) and the
input's name, which is all :func:`influence.batch.run` needs to order and group the
accounts and to write ``summary.csv``, ``data_quality.csv``, ``row_accounting.csv``,
``run.json`` and ``index.html``.

A :class:`ClusterDataset` stands for the dataset in :func:`influence.batch.run`. Each
chunk of accounts (:class:`~influence.batch.runner.Chunk`) is cut on the loader, pinned to
it so that the dataset is never copied to another worker, only as the executor needs it
(:func:`influence.executors.run_tasks` takes tasks lazily); it is analysed on whichever
worker Dask chooses, so the other workers hold only the rows of their chunks. The loader
runs the same code on the same input as a local run, so every output file is the same.

Limits: the workers read the input, so they must see it at the path the driver was
given (made absolute; a shared folder on a real cluster). The loader needs the memory a
local run's main process needs (the whole export is read and validated in one place,
then cut); give it a ``--memory-limit`` above that (Dask pauses, then restarts, a worker
over its limit). Chunks are cut on the loader only (Dask's own size estimate of a
dataset, ``sys.getsizeof``, would let it copy one to any worker): if the loader's worker
leaves the cluster while chunks are still to be cut, the run stops with
:class:`LoaderLost` (the accounts finished so far are kept for ``--resume``).

Not done: reading byte ranges of the files on several workers and shuffling the rows by
account, so that no process holds the whole export: validation (first row of each id,
unknown ids, ``reports_to`` cycles, repeated rows, the order of the warnings), the
findings of the split and the ties of shared events are dataset-wide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from influence.account import Dataset, Options
from influence.graph.ties import TieConfig
from influence.io.quality import DataQuality, InputError


@dataclass(frozen=True)
class Summary:
    """What the driver knows of a dataset held on the cluster."""

    accounts: list[str]
    people_per_account: pd.Series
    quality: DataQuality
    options: Options
    tie_config: TieConfig
    source: str
    name: str


class LoaderLost(RuntimeError):
    """The Dask worker holding a :class:`ClusterDataset` (the loader) left the cluster:
    the chunks to be cut there would wait for it for ever."""


class ClusterDataset:
    """A dataset loaded and kept on one Dask worker (:func:`load_on_cluster`), as
    :func:`influence.batch.run` uses it: the attributes of the :class:`Summary`, and
    :meth:`account_split` whose chunks are cut on that worker."""

    def __init__(self, client: Any, dataset: Any, summary: Summary):
        self.client = client
        self._dataset = dataset  # the future of the Dataset on the loader
        self.worker = _holder(client, dataset)
        s = summary
        self.accounts, self.people_per_account = s.accounts, s.people_per_account
        self.quality, self.options, self.tie_config = s.quality, s.options, s.tie_config
        self.source, self.name = s.source, s.name

    def account_name(self, name: str) -> str:
        """As :meth:`influence.Dataset.account_name`."""
        if name in self.accounts:
            return name
        from influence.lookup import resolve

        return resolve(name, {a: a for a in self.accounts}, what="account")

    def account_split(self, names: list[str] | None = None) -> ClusterSplit:
        """The account split of ``names`` (default: all), found on the loader."""
        names = self.accounts if names is None else list(names)
        split = self._submit(_split, self._dataset, names)
        return ClusterSplit(self, split, self.result(self._submit(_sizes, split)))

    def _submit(self, fn: Callable, *args: Any) -> Any:
        """``fn(*args)`` on the loader (a future), before the accounts waiting there: the
        other workers wait for what it cuts."""
        return self.client.submit(fn, *args, workers=[self.worker], allow_other_workers=False,
                                  pure=False, priority=1)  # fmt: skip

    def result(self, future: Any) -> Any:
        """The result of a task on the loader, checking every
        :data:`~influence.executors.WATCH_SECONDS` that the loader is still there
        (:meth:`check_loader`)."""
        from dask.distributed import wait

        from influence.executors import WATCH_SECONDS

        while True:
            try:
                wait(future, WATCH_SECONDS)
            except TimeoutError:
                pass
            else:
                return future.result()
            self.check_loader()

    def check_loader(self) -> None:
        """Raise :class:`LoaderLost` if the loader has left the cluster."""
        if self.worker not in self.client.nthreads():
            raise LoaderLost(
                f"the Dask worker that read {self.source} ({self.worker}) left the cluster "
                "(killed, or out of memory?); the accounts finished so far are kept: run "
                "again with --resume (give that worker more memory with --memory-limit)"
            )

    def release(self) -> None:
        """Let the loader drop the dataset (what is cut from it is kept while needed)."""
        self._dataset.release()

    def __repr__(self) -> str:
        return f"<ClusterDataset {self.name!r}: {len(self.accounts)} accounts on {self.worker}>"


class ClusterSplit:
    """:class:`~influence.graph.accounts.AccountSplit` of a :class:`ClusterDataset`, kept
    on its loader (:attr:`remote`, a future): :meth:`size` from a summary,
    :meth:`on_loader` to compute there."""

    def __init__(self, dataset: ClusterDataset, split: Any, sizes: dict[str, int]):
        self._dataset, self.remote, self._sizes = dataset, split, sizes

    def size(self, name: str) -> int:
        return self._sizes[name]

    def on_loader(self, fn: Callable, *args: Any) -> Any:
        """A future of ``fn(*args)`` computed on the loader; arguments may be futures
        (:attr:`remote`, a chunk: ``fn`` gets their results)."""
        return self._dataset._submit(fn, *args)

    def result(self, future: Any) -> Any:
        """As :meth:`ClusterDataset.result`."""
        return self._dataset.result(future)

    def release(self) -> None:
        """Let the loader drop the split: every chunk is cut."""
        self.remote.release()


def load_on_cluster(
    client: Any, path: str | Path, format: str | None = None, **options: Any
) -> ClusterDataset:
    """:func:`influence.load` of ``path`` on a worker of ``client``'s cluster (the
    ``options`` of :func:`influence.load`); its errors (:class:`InputError`) are raised
    here. The path is made absolute: workers must see the input there."""
    given = str(path)
    where = str(Path(path).resolve())
    dataset = client.submit(_load, where, given, format, options, pure=False)
    summary = client.submit(_summary, dataset, pure=False).result()
    return ClusterDataset(client, dataset, summary)


def _holder(client: Any, future: Any) -> str:
    """The address of the worker that holds ``future``'s result."""
    return sorted(client.who_has(future)[future.key])[0]


# --- on the workers ----------------------------------------------------------------------


def _load(path: str, given: str, format: str | None, options: dict) -> Dataset:
    """The loader's task: the dataset, with the findings of the account split (all the
    data-quality log) already found."""
    from influence import load

    if not Path(path).exists():
        import socket

        raise InputError(
            given,
            f"no such file or folder on the Dask worker on {socket.gethostname()} ({path}); "
            "workers read the input with --executor dask: give it to them at the same path "
            "(a shared folder), or use --load-on driver",
        )
    ds = load(path, format, **options)
    if ds.source == path:  # the name the user gave (run.json names the input)
        ds.source = given
    _ = ds.quality  # split_findings: the log the driver receives is complete
    return ds


def _summary(ds: Dataset) -> Summary:
    return Summary(ds.accounts, ds.people_per_account, ds.quality, ds.options, ds.tie_config,
                   ds.source, ds.name)  # fmt: skip


def _split(ds: Dataset, names: list[str]):
    return ds.account_split(names)


def _sizes(split) -> dict[str, int]:
    return {n: split.size(n) for n in split.names}
