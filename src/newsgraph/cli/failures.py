"""newsgraph failures: what could not be ingested, and why."""

from __future__ import annotations

import json

import click

from newsgraph.cli.options import db_option, open_store


def printable(text: str) -> str:
    """Text with newlines and other control characters escaped, so one odd file name stays one line."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)


@click.command("failures")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@db_option
def failures_command(fmt, db) -> None:
    """List inputs that could not be ingested: key, source, reason and when (UTC).

    A failure is listed once however often it recurs, and dropped once its document is stored.
    """
    store = open_store(db)
    rows = store.failures()
    store.close()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not rows:
        click.echo("no failures")
        return
    for r in rows:
        click.echo(f"{r['at']}  {printable(r['key'])}: {printable(r['reason'])}")
        click.echo(f"    {printable(r['source'])}")
    click.echo(f"{len(rows)} failure{'s' if len(rows) != 1 else ''}")


COMMANDS = [failures_command]
