"""newsgraph timeline / relations / network / brief / search: the analyst views, thin over newsgraph.query."""

from __future__ import annotations

import json
import textwrap
from contextlib import contextmanager
from pathlib import Path

import click

from newsgraph.cli.options import db_option, open_store, page_options
from newsgraph.query.relations import EVIDENCE


@contextmanager
def _connection(db):
    """A read connection; query errors (unknown or ambiguous actors, bad dates or queries) become clear
    command-line errors."""
    from newsgraph.query.events import EventQueryError
    from newsgraph.query.timeline import ActorLookupError

    store = open_store(db)
    try:
        with store.engine.connect() as conn:
            yield conn
    except EventQueryError as exc:
        raise click.BadParameter(str(exc), param_hint=f"'--{exc.option}'") from exc
    except (ActorLookupError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        store.close()


def _echo_json(data) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def _wrap(text: str, indent: str = "    ") -> str:
    return textwrap.fill(f"«{' '.join(text.split())}»", width=110, initial_indent=indent, subsequent_indent=indent)


def _doc(doc: dict) -> str:
    parts = [doc.get("key")] + [x for x in (doc.get("outlet"), doc.get("published") and
                                            f"published {doc['published']}") if x]
    return " · ".join(p for p in parts if p)


def _party(p: dict | None) -> str:
    return "-" if p is None else (p.get("name") or p.get("text") or "-")


@click.command("timeline")
@click.argument("name")
@click.option("--with", "with_actor", metavar="OTHER", help="Only events the other actor takes part in too.")
@click.option("--from", "date_from", metavar="DATE", help="On or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", metavar="DATE", help="On or before: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--mentioned", is_flag=True, help="Also events whose sentence names the actor as no participant.")
@click.option("--no-hedged", is_flag=True, help="Leave out events only alleged, planned or reported.")
@page_options
@click.option("--json", "as_json", is_flag=True, help="Records as JSON.")
@db_option
def timeline_command(name, with_actor, date_from, date_to, mentioned, no_hedged, limit, offset, as_json, db) -> None:
    """One actor's events in time order: date, event, counterpart, evidence and source."""
    from newsgraph.query.timeline import timeline

    with _connection(db) as conn:
        items = timeline(conn, name, with_actor=with_actor, date_from=date_from, date_to=date_to,
                         include_hedged=not no_hedged, include_mentioned=mentioned, limit=limit, offset=offset)
    if as_json:
        _echo_json(items)
        return
    for i in items:
        other = i["counterpart"]["name"] if i["counterpart"] else "-"
        arrow = {"source": f"-> {other}", "target": f"<- {other}"}.get(
            i["role"], f"({_party(i['source'])} -> {_party(i['target'])})")
        flags = "  [hedged]" if i["hedged"] else ""
        where = f"  @ {i['location']['name'] or i['location']['text']}" if i["location"] else ""
        click.echo(f"{i['date'] or 'undated':10}  {i['type']:10} {arrow}{where}{flags}")
        click.echo(_wrap(i["sentence"]))
        click.echo(f"    — {_doc(i['doc'])}")
    click.echo(f"{len(items)} event{'s' if len(items) != 1 else ''}")


def _score(v) -> str:
    return "  n/a" if v is None else f"{v:+.2f}"


@click.command("relations")
@click.argument("a")
@click.argument("b")
@click.option("--by", "period", type=click.Choice(["year", "month"]), default="year", show_default=True)
@click.option("--no-context", is_flag=True, help="Leave out events that only name the other side.")
@click.option("--evidence", type=click.IntRange(min=0), default=EVIDENCE, show_default=True,
              help="Direct and context events listed with their sentence per period (all are counted); 0: all.")
@click.option("--json", "as_json", is_flag=True, help="The series as JSON.")
@db_option
def relations_command(a, b, period, no_context, evidence, as_json, db) -> None:
    """Two actors over time: events by type and quad class per year or month, and a cooperation–conflict
    score (+1 all material cooperation, -1 all material conflict). Both directions count; each side includes
    those who act for it, and a dated government its successor (see the 'counted as' lines)."""
    from newsgraph.query.relations import relation_series

    with _connection(db) as conn:
        r = relation_series(conn, a, b, period, include_context=not no_context, evidence=evidence or None)
    if as_json:
        _echo_json(r)
        return
    click.echo(f"{r['a']['name']} [{r['a']['id']}]  <->  {r['b']['name']} [{r['b']['id']}]   by {period}")
    for side in ("a", "b"):
        extra = [m for m in r["sides"][side] if m["via"] != "itself"]
        if extra:
            click.echo(f"  counted as {r[side]['name']}:")
            for m in extra:
                span = f" ({m['from'] or '…'} – {m['to'] or ''})" if m["from"] or m["to"] else ""
                click.echo(f"    {m['name']} — {m['via']}{span}")
    notes = list(r["notes"])
    click.echo(f"{'period':8} {'events':>6} {'q1':>3} {'q2':>3} {'q3':>3} {'q4':>3} {'score':>6}  types")
    for p in r["periods"]:
        while notes and p["period"] != "undated" and notes[0]["date"][: len(p["period"])] <= p["period"]:
            click.echo(f"  ** {notes.pop(0)['text']}")
        q = p["quads"]
        types = ", ".join(f"{k} {v}" for k, v in p["counts"].items())
        click.echo(f"{p['period']:8} {len(p['events']):>6} {q['1']:>3} {q['2']:>3} {q['3']:>3} {q['4']:>3} "
                   f"{_score(p['score']):>6}  {types}")
        for i in p["items"] + p["context"]:
            kind = "" if i["link"] == "direct" else "context: "
            via = [f"{x['name']} ({x['via']})" for x in (i["a_via"], i["b_via"]) if x["via"] != "itself"]
            flags = " [hedged]" if i["hedged"] else ""
            click.echo(f"    {kind}{i['date'] or 'undated'} {i['type']} {i['source'] or '-'} -> {i['target'] or '-'}"
                       f"{flags}{'  via ' + '; '.join(via) if via else ''}")
            click.echo(_wrap(i["sentence"], "        "))
            click.echo(f"        — {_doc(i['doc'])}")
        more = [f"{n} more {kind}" for n, kind in ((p["more_items"], "direct"), (p["more_context"], "context")) if n]
        if more:
            click.echo(f"    … and {', '.join(more)} (--evidence 0 lists all)")
    for n in notes:
        click.echo(f"  ** {n['text']}")
    for f in r["affiliations"]:
        click.echo(f"  stated: {f['subject']} {f['relation']} {f['object']} — {_doc(f['doc'])}")
    click.echo(f"{r['total']} events, score {_score(r['score']).strip()}  "
               "(q1 verbal cooperation, q2 material cooperation, q3 verbal conflict, q4 material conflict; "
               "context events, which only name the other side, are not counted)")


@click.command("network")
@click.option("--from", "date_from", metavar="DATE", help="Events on or after: YYYY, YYYY-MM or YYYY-MM-DD.")
@click.option("--to", "date_to", metavar="DATE", help="Events on or before.")
@click.option("--min-events", type=click.IntRange(min=1), default=1, show_default=True, help="Weakest edge kept.")
@click.option("--actor", metavar="NAME", help="Only this actor's neighbourhood.")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True, help="Neighbourhood radius.")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "json"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (else stdout).")
@db_option
def network_command(date_from, date_to, min_events, actor, depth, fmt, output, db) -> None:
    """The actor network: actors as nodes, their events as weighted edges with types, score, first and last."""
    import tempfile

    from newsgraph.query.network import network, network_json, write_network

    with _connection(db) as conn:
        graph = network(conn, date_from=date_from, date_to=date_to, min_events=min_events, actor=actor, depth=depth)
    if output is None:
        if fmt == "json":
            _echo_json(network_json(graph))
            return
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"network.{fmt}"
            write_network(graph, path, fmt)
            click.echo(path.read_text(encoding="utf-8"), nl=False)
        return
    write_network(graph, output, fmt)
    click.echo(f"wrote {graph.number_of_nodes()} actors and {graph.number_of_edges()} edges to {output}", err=True)


@click.command("brief")
@click.argument("name")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write (else stdout).")
@db_option
def brief_command(name, fmt, output, db) -> None:
    """A report on one actor: who they are, affiliations, key events with citations, relations over time,
    conflicting reports."""
    from newsgraph.interfaces.brief import render_brief
    from newsgraph.query.brief import brief

    with _connection(db) as conn:
        text = render_brief(brief(conn, name), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {output}", err=True)


@click.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Records as JSON.")
@db_option
def search_command(text, limit, as_json, db) -> None:
    """Full-text search over sentences, best first, matches in [brackets]. Plain words must all occur (any
    form: 'deployed' finds 'deploy'); "quoted phrases", OR, NOT and prefix* work too."""
    from newsgraph.query.search import search

    with _connection(db) as conn:
        hits = search(conn, text, limit)
    if as_json:
        _echo_json(hits)
        return
    for h in hits:
        click.echo(f"{h['rank']:7.2f}  {_doc(h['doc'])}  sentence {h['idx']}")
        click.echo(textwrap.fill(h["snippet"], width=110, initial_indent="    ", subsequent_indent="    "))
    click.echo(f"{len(hits)} sentence{'s' if len(hits) != 1 else ''}")


COMMANDS = [timeline_command, relations_command, network_command, brief_command, search_command]
