"""newsgraph actors / newsgraph actor NAME"""

from __future__ import annotations

import json

import click

from newsgraph.cli.options import db_option, open_store


@click.command("actors")
@click.option("--top", "n", default=20, show_default=True, help="How many actors.")
@click.option("--json", "as_json", is_flag=True)
@db_option
def actors_command(n, as_json, db) -> None:
    """The most mentioned actors: name, type, aliases, mentions, documents."""
    from newsgraph.query.actors import top_actors

    store = open_store(db)
    with store.engine.connect() as conn:
        rows = top_actors(conn, n)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    click.echo(f"{'#':>3}  {'name':34} {'type':6} {'docs':>5} {'ment':>5}  aliases")
    for i, r in enumerate(rows, 1):
        aliases = ", ".join(a for a in r["aliases"] if a != r["name"])
        click.echo(f"{i:>3}  {r['name'][:34]:34} {r['type']:6} {r['documents']:>5} {r['mentions']:>5}  "
                   f"{aliases[:90]}")


@click.command("actor")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True)
@db_option
def actor_command(name, as_json, db) -> None:
    """One actor's profile, found by any of its names: aliases, affiliations, events by type."""
    from newsgraph.query.actors import find_actors

    store = open_store(db)
    with store.engine.connect() as conn:
        found = find_actors(conn, name)
    if not found:
        raise click.ClickException(f"no actor named {name!r} in the store")
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for p in found:
        click.echo(f"{p['name']}  [{p['id']}]  {p['type']}  {p['country'] or ''}  {p['sector'] or ''}")
        click.echo(f"  mentions {p['mentions']} in {p['documents']} documents")
        click.echo(f"  aliases: {', '.join(p['aliases'])}")
        for a in p["affiliations"]:
            click.echo(f"  {a['subject']} {a['relation']} {a['object']}   «{a['sentence'][:100]}»")
        if p["events_by_type"]:
            click.echo("  events: " + ", ".join(f"{k} {v}" for k, v in sorted(p["events_by_type"].items())))
        for year, kinds in p.get("events_by_year", {}).items():
            click.echo(f"    {year}: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        if p.get("partners"):
            click.echo("  partners: " + "; ".join(
                f"{q['name']} {q['events']} (" + ", ".join(f"{k} {v}" for k, v in sorted(q["types"].items())) + ")"
                for q in p["partners"][:8]))


COMMANDS = [actors_command, actor_command]
