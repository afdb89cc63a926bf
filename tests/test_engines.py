"""The same corpus gives the same store on every engine: this process, local workers, a Dask cluster."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.engine.engines import EngineError, make_engine
from newsgraph.settings import Settings
from tests.conftest import EXAMPLES, SHARED, exported, store_url

SEEDS = SHARED / "data" / "seeds"


def _ingest(runner: CliRunner, db, *extra: str) -> str:
    result = runner.invoke(main, ["ingest", str(SEEDS), str(EXAMPLES), "--quiet", "--db", str(db), *extra])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serial")
    runner = CliRunner()
    db = store_url(tmp, "s")
    _ingest(runner, db)
    return exported(db, tmp / "out")


def test_local_worker_processes_give_the_same_tables_as_one_process(serial, tmp_path):
    runner = CliRunner()
    db = store_url(tmp_path, "w")
    output = _ingest(runner, db, "--workers", "2")
    assert "added 10" in output
    assert exported(db, tmp_path / "out") == serial


def test_a_dask_local_cluster_gives_the_same_tables_as_one_process(serial, tmp_path):
    runner = CliRunner()
    db = store_url(tmp_path, "d")
    output = _ingest(runner, db, "--dask", "local:2")
    assert "added 10" in output
    assert exported(db, tmp_path / "out") == serial


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def dask_cluster(tmp_path):
    """A real Dask cluster as one is deployed: a `dask scheduler` and a `dask worker` process, by address."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    procs = [subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                               "--dashboard-address", ":0"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        procs.append(subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
                                       "--nthreads", "1", "--no-dashboard", "--local-directory", str(tmp_path)],
                                      env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(1, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
            proc.wait(timeout=30)


def test_a_running_dask_cluster_by_address_gives_the_same_tables_as_one_process(serial, tmp_path, dask_cluster):
    runner = CliRunner()
    db = store_url(tmp_path, "t")
    output = _ingest(runner, db, "--dask", dask_cluster)
    assert "added 10" in output
    assert exported(db, tmp_path / "out") == serial


def test_choosing_two_engines_or_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    with pytest.raises(EngineError, match="not both"):
        make_engine(None, Settings(), workers=2, dask="local:2")
    with pytest.raises(EngineError, match="number of workers"):
        make_engine(None, Settings(), dask="local:two")
    result = CliRunner().invoke(main, ["ingest", str(EXAMPLES), "--db", store_url(tmp_path, "x"),
                                       "--dask", "tcp://127.0.0.1:1"])
    assert result.exit_code != 0 and "cannot reach the Dask scheduler" in result.output


def test_worker_processes_return_each_batch_whole_and_in_order_however_it_is_chunked():
    from newsgraph.clean import clean
    from newsgraph.engine.engines import ProcessEngine
    from newsgraph.model import RawDocument
    from newsgraph.sources import iter_raw

    docs = [clean(r) for r in iter_raw([str(SEEDS), str(EXAMPLES)]) if isinstance(r, RawDocument)]
    batches = [docs[:5], [], docs[5:7], docs[7:]]
    engine = ProcessEngine(Settings(), 2, chunk=2)
    try:
        got = list(engine.run(iter(batches)))
    finally:
        engine.close()
    assert [[x.document.key for x in out] for out in got] == [[d.key for d in b] for b in batches]
