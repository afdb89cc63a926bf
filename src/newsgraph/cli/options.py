"""Options every command shares."""

from __future__ import annotations

import click

db_option = click.option(
    "--db", "db", envvar="NEWSGRAPH_DB", default=None, metavar="URL",
    help="Database URL or SQLite file (default: newsgraph.db; env NEWSGRAPH_DB).",
)


def open_store(db: str | None, create: bool = True):
    from newsgraph.store.db import Store, StoreError

    try:
        return Store(db, create=create)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
