"""newsgraph export DIR"""

from __future__ import annotations

import click

from newsgraph.cli.options import db_option, open_store
from newsgraph.interfaces.export import FORMATS


@click.command("export")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="jsonl", show_default=True)
@db_option
def export_command(directory, fmt, db) -> None:
    """Write documents, entities, events, timex, places and relations tables into DIRECTORY."""
    from newsgraph.interfaces.export import export

    store = open_store(db)
    counts = export(store.engine, directory, fmt)
    for table, n in counts.items():
        click.echo(f"{table}.{fmt:8} {n} rows")


COMMANDS = [export_command]
