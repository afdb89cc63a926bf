"""newsgraph events / newsgraph conflicts"""

from __future__ import annotations

import json
import textwrap

import click

from newsgraph.cli.options import db_option, open_store, page_options


def _bad(exc) -> click.BadParameter:
    return click.BadParameter(str(exc), param_hint=f"'--{exc.option}'")


def _who(role: dict | None) -> str:
    if role is None:
        return "-"
    if role["name"] and role["text"] and role["name"].lower() not in role["text"].lower():
        return f"{role['name']} («{role['text']}»)"
    return role["name"] or role["text"]


def _where(location: dict | None) -> str:
    if location is None:
        return ""
    name = location["name"] or location["text"]
    return f"{name}, {location['country']}" if location["country"] and location["name"] != location["country"] \
        else name


def _when(r: dict) -> str:
    if not r["date"]:
        return "undated"
    said = f' "{r["date_text"]}"' if r["date_text"] else " (published)"
    return f"{r['date']}{said}"


def _source(doc: dict) -> str:
    parts = [doc["key"]] + [x for x in (doc["outlet"], doc["published"] and f"published {doc['published']}") if x]
    return " · ".join(parts)


def _sentence(text: str, indent: str = "    ") -> str:
    return textwrap.fill(f"«{' '.join(text.split())}»", width=110, initial_indent=indent, subsequent_indent=indent)


@click.command("events")
@click.option("--actor", metavar="NAME", help="Source or target, by id, name or any alias.")
@click.option("--type", "type_", metavar="TYPE", help="PLOVER event type, e.g. ASSAULT (any case).")
@click.option("--from", "date_from", metavar="DATE", help="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", metavar="DATE", help="On or before: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--place", metavar="PLACE", help="Location name (case and accents ignored), country name or code.")
@click.option("--include-hedged", is_flag=True, help="Also events only alleged, planned or reported.")
@click.option("--include-negated", is_flag=True, help="Also events the text says did not happen.")
@page_options
@click.option("--json", "as_json", is_flag=True, help="Records as JSON.")
@db_option
def events_command(actor, type_, date_from, date_to, place, include_hedged, include_negated, limit, offset, as_json,
                   db) -> None:
    """Events, oldest first, each with its evidence sentence and source document."""
    from newsgraph.query.events import EventQueryError, find_events

    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            found = find_events(conn, actor=actor, type=type_, date_from=date_from, date_to=date_to, place=place,
                                include_hedged=include_hedged, include_negated=include_negated, limit=limit,
                                offset=offset)
    except EventQueryError as exc:
        raise _bad(exc) from exc
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for e in found:
        kind = f"{e['type']}({e['mode']})" if e["mode"] else e["type"]
        flags = [f for f in ("hedged", "negated") if e[f]]
        line = f"{e['date'] or 'undated':10}  {kind:22} {_who(e['source'])} -> {_who(e['target'])}"
        if e["location"]:
            line += f"  @ {_where(e['location'])}"
        if flags:
            line += f"  [{', '.join(flags)}]"
        click.echo(line)
        click.echo(_sentence(e["sentence"]))
        others = len(e["mentions"]) - 1
        more = f"  (+{others} more mention{'s' if others > 1 else ''}, {e['documents']} documents)" if others else ""
        attribution = f"  according to {e['attribution']}" if e["attribution"] else ""
        click.echo(f"    — {_source(e['doc'])}{attribution}{more}")
    click.echo(f"{len(found)} event{'s' if len(found) != 1 else ''}")


@click.command("conflicts")
@click.option("--days", "max_days", type=click.IntRange(min=0), default=7, show_default=True,
              help="Reports further apart than this are taken for different events.")
@click.option("--json", "as_json", is_flag=True, help="Records as JSON.")
@db_option
def conflicts_command(max_days, as_json, db) -> None:
    """Events whose sources disagree on the date, the place or the actors, with each version and its source."""
    from newsgraph.query.events import conflicts

    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            found = conflicts(conn, max_days=max_days)
    finally:
        store.close()
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for n, c in enumerate(found, 1):
        first = c["versions"][0]
        scope = "reports of one event" if c["scope"] == "mentions" else "separate events that look like one"
        click.echo(f"conflict {n}: {c['type']} {_who(first['source'])} -> {_who(first['target'])}"
                   f" — sources disagree on {' and '.join(c['disagree'])} ({scope})")
        for label, v in zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", c["versions"], strict=False):
            line = f"  {label}  {_when(v)}"
            if v["location"]:
                line += f"  @ {_where(v['location'])}"
            if "actors" in c["disagree"]:
                line += f"  {_who(v['source'])} -> {_who(v['target'])}"
            flags = [f for f in ("hedged",) if v[f]]
            if flags:
                line += f"  [{', '.join(flags)}]"
            click.echo(line)
            click.echo(_sentence(v["sentence"], "     "))
            click.echo(f"     — {_source(v['doc'])}")
    click.echo(f"{len(found)} conflict{'s' if len(found) != 1 else ''}")


COMMANDS = [events_command, conflicts_command]
