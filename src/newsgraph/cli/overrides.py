"""newsgraph merge / split / alias / overrides: an analyst's decisions about actors, kept in the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from newsgraph.cli.options import db_option, open_store
from newsgraph.resolve.actors import FAMILIES

note_option = click.option("--note", default=None, help="Why: kept with the decision and in exports.")


def _run(action):
    from newsgraph.store.overrides import OverrideError

    try:
        return action()
    except OverrideError as exc:
        raise click.ClickException(str(exc)) from exc


def _label(ref: dict[str, Any]) -> str:
    return f"{ref['name']} [{ref['id']}]"


def _moved(moved: dict[str, int]) -> str:
    parts = [f"{n} {k}" for k, n in moved.items() if n]
    return "moved " + ", ".join(parts) if parts else "nothing stored to move"


@click.command("merge")
@click.argument("a")
@click.argument("b")
@note_option
@db_option
def merge_command(a, b, note, db) -> None:
    """Merge actor B into actor A (names or ids); A survives, but a dictionary actor always survives.

    Mentions, event and relation roles, places and aliases of the merged actor move to the survivor, and
    later ingests send its names and id there too.
    """
    store = open_store(db)
    done = _run(lambda: store.merge_actors(a, b, note))
    click.echo(f"merged {_label(done['source'])} into {_label(done['target'])}: {_moved(done['moved'])}")


@click.command("split")
@click.argument("actor")
@click.option("--alias", "aliases", multiple=True, required=True, metavar="NAME",
              help="A name to take off ACTOR (repeatable).")
@click.option("--as", "as_name", default=None, metavar="NEW_NAME",
              help="Where the names go: an existing actor, or a new one by this name (default: the first --alias).")
@click.option("--type", "type_", type=click.Choice(sorted(FAMILIES)), default=None,
              help="Type of a new actor (default: ACTOR's).")
@note_option
@db_option
def split_command(actor, aliases, as_name, type_, note, db) -> None:
    """Move names, and the mentions by them, off ACTOR to another actor; later ingests keep them there."""
    store = open_store(db)
    done = _run(lambda: store.split_actor(actor, list(aliases), as_name, type_, note))
    click.echo(f"split {', '.join(done['aliases'])} off {_label(done['source'])} to {_label(done['target'])}: "
               f"{_moved(done['moved'])}")


@click.command("alias")
@click.argument("actor")
@click.argument("name")
@note_option
@db_option
def alias_command(actor, name, note, db) -> None:
    """Make NAME an alias of ACTOR; its mentions in ACTOR's type family move to ACTOR, now and on later ingests."""
    store = open_store(db)
    done = _run(lambda: store.alias_actor(actor, name, note))
    click.echo(f"{name} is now an alias of {_label(done['target'])}: {_moved(done['moved'])}")


@click.command("overrides")
@click.option("--export", "export_to", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write every decision, in order, to this file (.json, else YAML).")
@click.option("--import", "import_from", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Replay the decisions in this file (JSON or YAML) on this store; ones it holds are skipped.")
@db_option
def overrides_command(export_to, import_from, db) -> None:
    """List the analyst's decisions about actors, or carry them to another store (import before ingesting)."""
    store = open_store(db)
    if import_from:
        data = _read(import_from)
        imported, skipped = _run(lambda: store.import_overrides(data))
        click.echo(f"imported {imported} decisions, skipped {skipped} already present")
    document = store.export_overrides()
    if export_to:
        _write(export_to, document)
        click.echo(f"wrote {len(document['overrides'])} decisions to {export_to}")
    if not import_from and not export_to:
        for i, rec in enumerate(document["overrides"], 1):
            click.echo(_describe(i, rec))


def _describe(i: int, rec: dict[str, Any]) -> str:
    names = ", ".join(rec["aliases"])
    if rec["op"] == "merge":
        text = f"merge {_label(rec['source'])} into {_label(rec['target'])}"
    elif rec["op"] == "split":
        text = f"split {names} off {_label(rec['source'])} to {_label(rec['target'])}"
    else:
        text = f"alias {names} -> {_label(rec['target'])}"
    note = f"  ({rec['note']})" if rec.get("note") else ""
    return f"{i:>3}  {rec['created_at']}  {text}{note}"


def _read(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise click.ClickException(f"{path}: cannot read overrides: {exc}") from exc


def _write(path: Path, document: dict[str, Any]) -> None:
    import yaml

    if path.suffix.lower() == ".json":
        text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot write overrides: {exc}") from exc
COMMANDS = [merge_command, split_command, alias_command, overrides_command]
