"""The same corpus gives the same store on every engine: this process, local workers, a Dask cluster."""

from __future__ import annotations

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
