"""newsgraph eval GOLD.json"""

from __future__ import annotations

import json

import click

from newsgraph.cli.options import db_option, open_store


@click.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Figures and misses as JSON.")
@click.option("--no-misses", is_flag=True, help="Only the table of figures.")
@db_option
def eval_command(gold, as_json, no_misses, db) -> None:
    """Score the store against a gold file (gold-format.md rules)."""
    from newsgraph.eval import format_report, report_to_dict, score
    from newsgraph.query import TABLES, table_records

    try:
        with open(gold, encoding="utf-8") as fh:
            gold_data = json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise click.ClickException(f"cannot read gold file {gold}: {exc}") from exc
    if not isinstance(gold_data, dict) or "documents" not in gold_data:
        raise click.ClickException(f"{gold} is not a gold file: no 'documents' list")
    store = open_store(db)
    with store.engine.connect() as conn:
        tables = {name: list(table_records(conn, name)) for name in TABLES}
    report = score(gold_data, tables)
    if as_json:
        click.echo(json.dumps(report_to_dict(report), indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(report, show_misses=not no_misses))


COMMANDS = [eval_command]
