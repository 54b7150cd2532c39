"""Batch runs: every account, the same bytes whichever executor, failures recorded."""

import hashlib
import io
import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

import influence
from influence.batch import Chunk, fingerprint, fingerprints, run
from influence.cli import main
from influence.executors import WORKER_ENVIRONMENT, run_tasks

SAMPLE = "data/sample"


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def serial_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("serial")
    summary = run(influence.load(SAMPLE), out, executor="serial", progress=False)
    return out, summary


def test_every_account_is_written(serial_run):
    out, summary = serial_run
    assert summary["account"].tolist() == influence.load(SAMPLE).accounts
    assert (summary["error"] == "").all()
    for slug in summary["slug"]:
        names = {p.name for p in (out / slug).iterdir()}
        assert {"influencers.csv", "coalitions.csv", "map.html", "report.html", "charts",
                "graph.gexf", "graph.graphml", "graph.json"} <= names  # fmt: skip
        inf = pd.read_csv(out / slug / "influencers.csv")
        assert len(inf) == summary.set_index("slug").loc[slug, ["people", "team"]].sum()
    assert not (out / "errors.csv").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    for slug in summary["slug"]:
        assert f'href="{slug}/map.html"' in index and f'href="{slug}/report.html"' in index


def test_exports_carry_the_metrics(serial_run):
    out, summary = serial_run
    slug = summary["slug"].iat[0]
    inf = pd.read_csv(out / slug / "influencers.csv", keep_default_na=False).set_index("id")
    for reader, name in [(nx.read_gexf, "graph.gexf"), (nx.read_graphml, "graph.graphml")]:
        g = reader(io.BytesIO((out / slug / name).read_bytes()))
        assert set(g) == set(inf.index)
        top = inf.index[0]
        assert g.nodes[top]["influence"] == pytest.approx(float(inf.loc[top, "influence"]))
        assert g.nodes[top]["pagerank"] == pytest.approx(float(inf.loc[top, "pagerank"]))


def test_same_bytes_with_processes(serial_run, tmp_path):
    out, _ = serial_run
    run(influence.load(SAMPLE), tmp_path, executor="processes", jobs=2, progress=False)
    assert digest(tmp_path) == digest(out)


def test_a_failing_account_is_recorded_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    original = influence.Account.influencers

    def broken(self):
        if self.name == "Helios Health Systems":
            raise ValueError("simulated failure")
        return original(self)

    monkeypatch.setattr(influence.Account, "influencers", broken)
    code = main(["analyze", SAMPLE, "--out", str(tmp_path), "--executor", "serial", "--maps", "0"])
    assert code == 0
    errors = pd.read_csv(tmp_path / "errors.csv")
    assert errors["account"].tolist() == ["Helios Health Systems"]
    assert errors["error"].iat[0].startswith("ValueError: simulated failure")
    assert (tmp_path / "crestline-bank" / "influencers.csv").exists()
    assert not (tmp_path / "helios-health-systems").exists()
    assert "1 accounts failed" in capsys.readouterr().err


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(args: list, log: Path) -> subprocess.Popen:
    # The workers import the package under test (a worktree, say), not an installed copy.
    root = str(Path(influence.__file__).resolve().parents[1])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
    }
    with open(log, "w") as f:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([str(a) for a in args], stdout=f, stderr=subprocess.STDOUT, env=env)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A real Dask scheduler and two workers, on loopback."""
    from dask.distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    dask = Path(sys.executable).parent / "dask"
    logs = tmp_path_factory.mktemp("dask")
    procs = [_spawn([dask, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
                    logs / "scheduler.log")]  # fmt: skip
    try:
        deadline = time.time() + 60
        while True:
            try:
                Client(address, timeout="2s").close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.5)
        for i in range(2):
            procs.append(_spawn([dask, "worker", address, "--nthreads", "1", "--no-dashboard",
                                 "--host", "127.0.0.1"], logs / f"worker{i}.log"))  # fmt: skip
        with Client(address, timeout="30s") as c:
            c.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=30)


@pytest.mark.parametrize("load_on", ["cluster", "driver"])
def test_dask_executor_gives_the_same_bytes(dask_cluster, serial_run, tmp_path, load_on):
    out, _ = serial_run
    code = main(["analyze", SAMPLE, "--out", str(tmp_path), "--executor", "dask",
                 "--scheduler", dask_cluster, "--quiet", "--load-on", load_on])  # fmt: skip
    assert code == 0
    assert digest(tmp_path) == digest(out)


def test_a_redacted_run_read_on_the_cluster_gives_the_same_bytes(dask_cluster, tmp_path):
    """The loader applies the load options (here pseudonyms; run.json names the input
    by its redacted name) as a local load does."""
    argv = ["analyze", SAMPLE, "--quiet", "--maps", "1", "--redact"]
    assert main([*argv, "--out", str(tmp_path / "local"), "--executor", "serial"]) == 0
    assert main([*argv, "--out", str(tmp_path / "dask"), "--executor", "dask",
                 "--scheduler", dask_cluster]) == 0  # fmt: skip
    assert digest(tmp_path / "dask") == digest(tmp_path / "local")


def test_an_input_error_on_the_cluster_reads_as_a_local_one(dask_cluster, tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "people.csv").write_text("id,name\n", encoding="utf-8")
    argv = ["analyze", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--quiet"]
    assert main([*argv, "--executor", "serial"]) == 2
    local = capsys.readouterr().err
    assert main([*argv, "--executor", "dask", "--scheduler", dask_cluster]) == 2
    assert capsys.readouterr().err == local and "people.csv: no people" in local


def test_a_run_whose_loader_left_the_cluster_stops_with_a_clear_error(dask_cluster, tmp_path):
    """The chunks are cut on the loader only: when it is gone they would wait for it for
    ever; the run stops instead, saying what happened and how to go on."""
    from dask.distributed import Client

    from influence.batch import LoaderLost, load_on_cluster

    with Client(dask_cluster, timeout="30s") as client:
        ds = load_on_cluster(client, SAMPLE)
        client.submit(os._exit, 1, workers=[ds.worker], pure=False)  # the loader dies
        raised = []

        def go():
            try:
                run(ds, tmp_path, executor="dask", progress=False)
            except Exception as err:
                raised.append(err)

        worker = threading.Thread(target=go, daemon=True)  # a hung run fails, not hangs
        worker.start()
        worker.join(timeout=120)
        assert not worker.is_alive(), "the run waits for the lost loader"
        assert len(raised) == 1 and isinstance(raised[0], LoaderLost), raised
        assert re.search(r"left the cluster.*run again with --resume", str(raised[0]))
        client.wait_for_workers(2, timeout=60)  # its nanny starts a new one, for other tests


def test_a_dask_run_asks_its_watch_while_no_task_finishes(dask_cluster, monkeypatch):
    """``watch`` (the loader check of a run) is called whenever no task has finished for
    WATCH_SECONDS, and what it raises stops the run."""
    from influence import executors

    monkeypatch.setattr(executors, "WATCH_SECONDS", 0.2)
    calls = []

    def watch():
        calls.append(time.monotonic())
        if len(calls) == 3:
            raise RuntimeError("gone")

    with pytest.raises(RuntimeError, match="gone"):
        list(run_tasks(time.sleep, [5, 5], "dask", scheduler=dask_cluster, watch=watch))
    assert len(calls) == 3 and calls[-1] - calls[0] < 4  # before any task finished


def _capped(argv: list[str], data_mb: int) -> subprocess.CompletedProcess:
    """``influence argv`` in a process whose data segment (heap and private mappings,
    RLIMIT_DATA) is capped at ``data_mb`` MB."""
    import resource

    def cap():
        resource.setrlimit(resource.RLIMIT_DATA, (data_mb * 2**20, data_mb * 2**20))

    root = str(Path(influence.__file__).resolve().parents[1])
    path = os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))
    # One BLAS thread and two malloc arenas: the cap counts address space, which BLAS
    # and glibc's per-thread arenas reserve per core.
    env = {**os.environ, "PYTHONPATH": path, "OPENBLAS_NUM_THREADS": "1",
           "OMP_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}  # fmt: skip
    return subprocess.run([sys.executable, "-m", "influence.cli", *argv], env=env,
                          capture_output=True, text=True, preexec_fn=cap, timeout=600)  # fmt: skip


#: The driver's data cap (MB): a local run of the export below needs more (it runs out
#: of memory reading Task.csv), a Dask driver (the dataset on a worker) 300 to 400.
DRIVER_CAP_MB = 500


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_DATA as Linux counts it")
def test_dask_reads_the_export_on_the_cluster_under_a_driver_memory_cap(dask_cluster, tmp_path):
    """#14.5: with --executor dask the export is read, validated and split on a worker;
    the driver, its memory capped below what a local run of the export needs, completes
    and writes the same bytes as a local run (every file: data_quality.csv,
    row_accounting.csv and the report's data-quality section included), and a resumed
    run on the cluster skips the finished accounts."""
    root = Path(__file__).resolve().parents[1]
    export = tmp_path / "export"
    make = [sys.executable, str(root / "bench" / "make_export.py"), str(export)]
    subprocess.run([*make, "--accounts", "1000", "--seed", "7"], check=True, capture_output=True)
    accounts = pd.read_csv(export / "Account.csv")
    used = pd.read_csv(export / "Contact.csv", usecols=["AccountId"])["AccountId"]
    names = sorted(accounts.loc[accounts["Id"].isin(used), "Name"])[:3]
    local, remote = tmp_path / "local", tmp_path / "dask"
    argv = ["analyze", str(export), "--maps", "1", "--quiet", "--accounts", ",".join(names)]
    capped_local = _capped([*argv, "--out", str(local), "--executor", "serial"], DRIVER_CAP_MB)
    assert capped_local.returncode != 0  # out of memory (MemoryError, or killed)
    assert "MemoryError" in capped_local.stderr or capped_local.returncode < 0
    assert main([*argv, "--out", str(local), "--executor", "serial"]) == 0
    dask = [*argv, "--out", str(remote), "--executor", "dask", "--scheduler", dask_cluster]
    done = _capped(dask, DRIVER_CAP_MB)
    assert done.returncode == 0, done.stderr[-3000:]
    assert digest(remote) == digest(local)
    assert len(pd.read_csv(local / "data_quality.csv")) > 100
    again = _capped([*dask, "--resume"], DRIVER_CAP_MB)
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Resumed: skipped 3 finished accounts." in again.stdout
    assert digest(remote) == digest(local)


def test_workers_start_with_short_blas_spin_and_the_parent_environment_is_restored(monkeypatch):
    monkeypatch.delenv("OPENBLAS_THREAD_TIMEOUT", raising=False)
    got = list(run_tasks(os.getenv, ["OPENBLAS_THREAD_TIMEOUT"] * 4, "processes", jobs=2))
    assert got == [WORKER_ENVIRONMENT["OPENBLAS_THREAD_TIMEOUT"]] * 4
    assert "OPENBLAS_THREAD_TIMEOUT" not in os.environ
    monkeypatch.setenv("OPENBLAS_THREAD_TIMEOUT", "20")  # the user's choice is kept
    got = list(run_tasks(os.getenv, ["OPENBLAS_THREAD_TIMEOUT"] * 2, "processes", jobs=2))
    assert got == ["20", "20"] and os.environ["OPENBLAS_THREAD_TIMEOUT"] == "20"


def test_fingerprints_of_a_chunk_equal_each_account_alone(tmp_path):
    ds = influence.load(SAMPLE)
    names = ds.accounts
    q = ds.quality.to_frame()
    accounting = pd.DataFrame({"file": ["people.csv"], "rows_read": [3]})
    chunk = Chunk(ds.account_split(names).chunk(names), [tmp_path / n for n in names],
                  [True, False, False], [None] * 3, ds.options, ds.tie_config, "0", q,
                  accounting)  # fmt: skip
    tasks = chunk.tasks()
    stacked = fingerprints(tasks, chunk.tables.stacked())
    assert stacked == [fingerprint(t) for t in tasks] == fingerprints(tasks)
    assert len(set(stacked)) == 3
    drawn_alone = fingerprint(replace(tasks[0], render=False))
    assert drawn_alone != stacked[0]  # drawing an account changes its files


def test_dask_gives_the_same_bytes_as_local_on_large_accounts(dask_cluster, tmp_path):
    """Accounts of more than 500 people (sparse eigenvector, many BLAS calls): the default
    executor (a process pool whose workers have several BLAS threads) and Dask workers
    (one thread each) write byte-identical influencers.csv and coalitions.csv. Before
    BLAS/OpenMP threads were pinned (influence.analysis.reproducible) the last digits of
    eigenvector and influence differed."""
    root = Path(__file__).resolve().parents[1]
    export = tmp_path / "export"
    subprocess.run(
        [sys.executable, str(root / "bench" / "make_export.py"), str(export),
         "--accounts", "150", "--seed", "18"],
        check=True, capture_output=True,
    )  # fmt: skip
    local, remote = tmp_path / "local", tmp_path / "dask"
    assert main(["analyze", str(export), "--out", str(local), "--maps", "0", "--quiet"]) == 0
    assert main(["analyze", str(export), "--out", str(remote), "--maps", "0", "--quiet",
                 "--executor", "dask", "--scheduler", dask_cluster]) == 0  # fmt: skip
    summary = pd.read_csv(local / "summary.csv", keep_default_na=False)
    assert (summary["people"] > 500).sum() >= 2
    assert (summary["error"] == "").all()
    for slug in summary["slug"]:
        for name in ("influencers.csv", "coalitions.csv"):
            a, b = local / slug / name, remote / slug / name
            assert a.read_bytes() == b.read_bytes(), f"{slug}/{name} differs"
