"""newsgraph stats"""

from __future__ import annotations

import click

from newsgraph.cli.options import db_option, open_store


@click.command("stats")
@db_option
def stats_command(db) -> None:
    """Counts of what the store holds."""
    from newsgraph.query import stats

    store = open_store(db)
    with store.engine.connect() as conn:
        for name, value in stats(conn).items():
            click.echo(f"{name:16} {value}")


COMMANDS = [stats_command]
