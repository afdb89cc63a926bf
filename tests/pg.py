"""A throwaway PostgreSQL database per test, on the server named by NEWSGRAPH_TEST_PG.

With NEWSGRAPH_TEST_BACKEND=postgresql every test store (conftest.store_url) is such a database, so the
whole suite runs against PostgreSQL as it runs against SQLite.

NEWSGRAPH_TEST_PG is the URL of a role allowed to create databases, e.g.
postgresql+psycopg://newsgraph:newsgraph@127.0.0.1/postgres; .ci/run starts a server and sets it. Without it
the PostgreSQL tests skip, except under CI, where they fail: CI must test the real server.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

ADMIN = os.environ.get("NEWSGRAPH_TEST_PG")


def require_pg() -> None:
    if ADMIN:
        return
    if os.environ.get("CI"):
        pytest.fail("CI must set NEWSGRAPH_TEST_PG to a PostgreSQL server (see .ci/run)", pytrace=False)
    pytest.skip("NEWSGRAPH_TEST_PG is not set: no PostgreSQL server to test against")


_CREATED: list[str] = []  # databases create_database made, dropped when the session ends


def _admin():
    from sqlalchemy import create_engine

    return create_engine(ADMIN, isolation_level="AUTOCOMMIT")


def create_database() -> str:
    """A new empty database's URL; drop_created() drops it."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    require_pg()
    name = f"ng_{uuid.uuid4().hex[:10]}"
    admin = _admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    _CREATED.append(name)
    return make_url(ADMIN).set(database=name).render_as_string(hide_password=False)


def drop_created() -> None:
    from sqlalchemy import text

    if not (_CREATED and ADMIN):
        return
    admin = _admin()
    with admin.connect() as conn:
        while _CREATED:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{_CREATED.pop()}" WITH (FORCE)'))
    admin.dispose()


def fresh_database() -> Iterator[str]:
    """Create an empty database, yield its URL, drop it."""
    from sqlalchemy import text

    url = create_database()
    name = _CREATED.pop()
    try:
        yield url
    finally:
        admin = _admin()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
