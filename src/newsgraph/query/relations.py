"""Two actors over time: their events by year or month, by PLOVER type and quad class, with a
cooperation–conflict score, and what the actor dictionary knows about how either side changed.

Each side is the actor and those who act for it: its leaders and spokespeople (stated in the articles, or
office terms in the dictionary, counted while in office). A government the dictionary dates (`valid`) is
followed by its successor (the next government of the same country) and preceded by its predecessor, each
counted from or to the change; a government or its organs also stand for their state, so events with the
state (Syria for the Syrian government) count too. Every event says which of these it went through (`via`),
so the view never passes one actor off as another.

Events with both sides as participants are *direct*: they are counted and scored. An event with one side as
its only named participant and the other side named in its sentence ("PMU forces were deployed to the Syrian
border to prevent infiltration by groups allied with HTS") is *context*: listed with its period, never counted
or scored, because its type says nothing of how the one side treats the other (the PMU 'fighting terrorists
in the Syrian arena' is no attack on the Syrian government). A state named only by an adjective ('the Syrian
border') makes no context.

Score: verbal cooperation +1, material cooperation +2, verbal conflict -1, material conflict -2, divided by
2 x the events' weight, so it runs from -1 (all material conflict) to +1 (all material cooperation); hedged
events (alleged, planned, 'ready to') weigh half. A period without direct events has no score (None).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from newsgraph.query.events import date_range, events_by_id
from newsgraph.query.timeline import (
    brief_actor,
    cluster_set,
    naming_spans,
    participating,
    quad_of,
    resolve_actor,
    sketches,
)
from newsgraph.store import schema as t

Record = dict[str, Any]

QUAD_WEIGHT = {1: 1.0, 2: 2.0, 3: -1.0, 4: -2.0}
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
ORGANS = ("government", "military", "intelligence", "legislature")
LEADING = ("leader_of", "spokesperson_of", "president", "prime minister", "head_of", "commander_of")
PERIODS = ("year", "month")
EVIDENCE = 10  # events listed with their sentence per period and kind (direct, context) unless asked


class RelationQueryError(ValueError):
    pass


@lru_cache(maxsize=1)
def _dictionary():
    from newsgraph.extract.dictionary import ActorDictionary

    return ActorDictionary.load()


def _day(value: Any, end: bool = False) -> dt.date | None:
    if value is None:
        return None
    span = date_range(str(value))
    return None if span is None else span[1 if end else 0]


def _names(conn: Connection, ids: set[str]) -> dict[str, str]:
    e = t.entities.c
    found = dict(conn.execute(select(e.id, e.name).where(e.id.in_(ids))).all()) if ids else {}
    d = _dictionary().actors
    return {i: found.get(i) or (d[i].name if i in d else i) for i in ids}


def _member(id_: str, via: str, start: Any = None, end: Any = None, **extra: Any) -> Record:
    return {"id": id_, "via": via, "from": str(start) if start else None, "to": str(end) if end else None, **extra}


def _leaders(conn: Connection, actor_id: str) -> list[Record]:
    """People who lead or speak for the actor: relations the articles state, and dictionary office terms."""
    out: list[Record] = []
    r = t.relations.c
    for subject, relation, start, end in conn.execute(
        select(r.subject_entity, r.relation, r.valid_from, r.valid_to).distinct()
        .where(r.object_entity == actor_id, r.relation.in_(LEADING), r.subject_entity.is_not(None))
    ):
        if subject != actor_id:
            out.append(_member(subject, relation.replace("_of", "").replace("_", " "), start, end))
    for other in _dictionary().actors.values():
        for role in other.roles:
            if role.get("of") == actor_id and role.get("role") in LEADING and other.id != actor_id:
                out.append(_member(other.id, str(role["role"]).replace("_of", "").replace("_", " "),
                                   role.get("from"), role.get("to")))
    return _dedupe(out)


def _dedupe(members: list[Record]) -> list[Record]:
    """One entry per actor: the first way it was found, with the dates any entry knows."""
    out: dict[str, Record] = {}
    for m in members:
        if m["id"] not in out:
            out[m["id"]] = dict(m)
        else:
            kept = out[m["id"]]
            kept["from"] = kept["from"] or m["from"]
            kept["to"] = kept["to"] or m["to"]
    return list(out.values())


def _group(conn: Connection, actor: Record, counterpart: bool) -> tuple[list[Record], list[Record]]:
    """Who stands for this side, and notes on what the dictionary knows of its changes ({date, text})."""
    members = [_member(actor["id"], "itself")]
    notes: list[Record] = []
    d = _dictionary().actors
    entry = d.get(actor["id"])
    valid = (entry.valid or {}) if entry else {}
    if valid.get("to") or valid.get("from"):
        members[0].update({"from": str(valid["from"]) if valid.get("from") else None,
                           "to": str(valid["to"]) if valid.get("to") else None})
    members += [{**m, "via": f"{m['via']} of {actor['name']}"} for m in _leaders(conn, actor["id"])]
    if not counterpart or entry is None:
        return members, notes
    if entry.sector in ORGANS and entry.country:
        for state in d.values():
            if state.sector == "state" and state.country == entry.country:
                members.append(_member(state.id, f"state governed by {actor['name']}"
                                       if entry.sector == "government" else f"state of {actor['name']}"))
    for other in d.values():  # successors and predecessors: the next government of the same country
        if other.id == actor["id"] or other.sector != entry.sector or other.country != entry.country:
            continue
        ov = other.valid or {}
        if valid.get("to") and ov.get("from") and str(ov["from"]) == str(valid["to"]):
            kind, when = "successor", str(valid["to"])
        elif valid.get("from") and ov.get("to") and str(ov["to"]) == str(valid["from"]):
            kind, when = "predecessor", str(valid["from"])
        else:
            continue
        members.append(_member(other.id, f"{kind} of {actor['name']}", ov.get("from"), ov.get("to")))
        led = []
        for leader in _leaders(conn, other.id):
            members.append({**leader, "via": f"{leader['via']} of {other.name} ({kind})"})
            person = d.get(leader["id"])
            for role in (person.roles if person else []):  # the movement the new leader comes from
                group = d.get(str(role.get("of")))
                if role.get("role") == "leader_of" and group and group.id != other.id and group.sector not in \
                        ("state",) + ORGANS:
                    led.append(f"{group.name}")
                    members.append(_member(group.id, f"led by {person.name}, leader of {other.name} ({kind})",
                                           ov.get("from"), ov.get("to")))
            if person:
                led_text = f", leader of {', '.join(led)}" if led else ""
                notes.append({"date": when, "text": f"{other.name} led by {person.name}{led_text}"})
            led = []
        verb = "ends" if kind == "successor" else "begins"
        notes.insert(0, {"date": when, "text": f"{entry.name} {verb} {when} (actor dictionary); "
                                               f"{kind}: {other.name}"})
    return _dedupe(members), notes


def _valid_at(member: Record, date: str | None) -> bool:
    span = date_range(date) if date else None
    if span is None:
        return member["via"] == "itself" or not (member["from"] or member["to"])
    start, end = _day(member["from"]), _day(member["to"], end=True)
    return not ((start and span[1] < start) or (end and span[0] > end))


def _match(side: list[Record], entity: str | None, date: str | None) -> Record | None:
    if entity is None:
        return None
    for m in side:
        if m["id"] == entity and _valid_at(m, date):
            return m
    return None


def period_of(date: str | None, period: str) -> str:
    span = date_range(date) if date else None
    if span is None:
        return "undated"
    start = span[0]
    return f"{start.year:04d}" if period == "year" else f"{start.year:04d}-{start.month:02d}"


def score(items: list[Record]) -> float | None:
    """Cooperation–conflict score in [-1, 1] of events with a quad and a weight ('weight' key, default 1)."""
    num = den = 0.0
    for i in items:
        q = i.get("quad")
        if q not in QUAD_WEIGHT:
            continue
        w = i.get("weight", 1.0)
        num += w * QUAD_WEIGHT[q]
        den += w * 2.0
    return round(num / den, 3) if den else None


def _classify(event: Record, a_side: list[Record], b_side: list[Record], named: set[str]) -> Record | None:
    """How the event joins the two sides: direct (a participant on each side) or context, else None."""
    date = event["date"]
    for mention in event["mentions"]:
        for x, y in (("source", "target"), ("target", "source")):
            pa, pb = mention[x], mention[y]
            ma = _match(a_side, pa and pa["entity"], date)
            mb = _match(b_side, pb and pb["entity"], date)
            if ma and mb and pa["entity"] != pb["entity"]:
                return {"link": "direct", "direction": "a->b" if x == "source" else "b->a", "a_via": ma, "b_via": mb}
    others = list(dict.fromkeys(m[role]["entity"] for m in event["mentions"] for role in ("source", "target")
                                if m[role] and m[role]["entity"]))  # in order: a stable choice
    for side, other, direction in ((a_side, b_side, "a->b"), (b_side, a_side, "b->a")):
        here = [m for m in (_match(side, e, date) for e in others) if m]
        if not here or len(others) != len({m["id"] for m in here}):
            continue  # the side must be the only named participant
        there = [m for m in other if m["id"] in named and m["id"] not in others and _valid_at(m, date)
                 and not m["via"].startswith("state ")]  # 'Syrian' in 'the Syrian border' is no counterpart
        if there:
            a_via, b_via = (here[0], there[0]) if side is a_side else (there[0], here[0])
            return {"link": "context", "direction": direction, "a_via": a_via, "b_via": b_via}
    return None


def relation_series(conn: Connection, a: str, b: str, period: str = "year", *,
                    include_hedged: bool = True, include_context: bool = True,
                    evidence: int | None = EVIDENCE) -> dict:
    """The pair's events per period ("year" or "month"), both directions, oldest first.

    Every event is counted and scored; each period lists (with its sentence) its first `evidence` direct and
    context events, None for all, and says how many more it has ("more_items", "more_context"): the busiest
    pairs have thousands, which no one reads at once and which cost far more to fetch than to count.

    {"a": {id, name}, "b": {id, name}, "period", "periods": [{"period", "counts": {TYPE: n}, "quads": {"1": n,
    ...}, "score", "events": [ids], "items": [direct events], "context": [context events], "more_items",
    "more_context", "context_counts"}],
    "total" (direct events), "score",
    "sides": {"a": [members], "b": [members]}, "notes": [{date, text}], "affiliations": [...]}.
    Raises UnknownActor / AmbiguousActor for a name, RelationQueryError for a bad period.
    """
    if period not in PERIODS:
        raise RelationQueryError(f"period must be 'year' or 'month', not {period!r}")
    actor_a, actor_b = resolve_actor(conn, a), resolve_actor(conn, b)
    if actor_a["id"] == actor_b["id"]:
        raise RelationQueryError(f"{a!r} and {b!r} are the same actor: {actor_a['name']} [{actor_a['id']}]")
    a_side, notes_a = _group(conn, actor_a, counterpart=False)
    b_side, notes_b = _group(conn, actor_b, counterpart=True)
    a_ids, b_ids = {m["id"] for m in a_side}, {m["id"] for m in b_side}
    a_side = [m for m in a_side if m["id"] not in b_ids or m["via"] == "itself"]
    names = _names(conn, {m["id"] for m in a_side + b_side})
    for m in a_side + b_side:
        m["name"] = names.get(m["id"], m["id"])
    joined = cluster_set(conn, participating(a_ids, within=participating(b_ids)))  # direct: one on each side
    spans: dict[tuple[str, int], set[str]] = defaultdict(set)  # (document, sentence start): the names in it
    if include_context:  # context: one side takes part, the other is named
        # a state stands in for its government as a participant, never as the one merely named ('the
        # Syrian border'): _classify's rule, applied here to keep the candidates few
        a_named = {m["id"] for m in a_side if not m["via"].startswith("state ")}
        b_named = {m["id"] for m in b_side if not m["via"].startswith("state ")}
        for named_side, here in ((b_named, a_ids), (a_named, b_ids)):
            for cluster, doc_id, start, entity in conn.execute(naming_spans(named_side, participating(here))):
                joined.add(cluster)
                spans[(doc_id, start)].add(entity)
    sketched = sketches(conn, joined, include_hedged=include_hedged)  # who takes part where: enough to
    links = {}  # tell how each event joins the pair
    for e in sketched:
        named = set().union(*(spans.get((m["doc"]["id"], m["start"]), set()) for m in e["mentions"]))
        link = _classify(e, a_side, b_side, named)
        if link is not None and (link["link"] == "direct" or include_context):
            links[e["id"]] = link
    buckets: dict[str, list[Record]] = defaultdict(list)  # every linked event, counted, by period
    for e in sketched:
        if e["id"] in links:
            buckets[period_of(e["date"], period)].append(e)
    periods, shown = [], []
    for key in sorted(buckets, key=lambda k: (k == "undated", k)):
        direct = [e for e in buckets[key] if links[e["id"]]["link"] == "direct"]
        context = [e for e in buckets[key] if links[e["id"]]["link"] == "context"]
        quads = Counter(str(quad_of(e["type"])) for e in direct if quad_of(e["type"]))
        periods.append({
            "period": key, "counts": dict(sorted(Counter(e["type"] for e in direct).items())),
            "quads": {q: quads.get(q, 0) for q in ("1", "2", "3", "4")},
            "score": score([{"quad": quad_of(e["type"]), "weight": _weight(e)} for e in direct]),
            "events": [e["id"] for e in direct], "items": direct[:evidence], "context": context[:evidence],
            "more_items": len(direct[evidence:]) if evidence is not None else 0,
            "more_context": len(context[evidence:]) if evidence is not None else 0,
            "context_counts": dict(sorted(Counter(e["type"] for e in context).items())),
        })
        shown += [e["id"] for e in direct[:evidence] + context[:evidence]]
    records = {e["id"]: e for e in events_by_id(conn, shown)}  # whole records only for what is listed
    for p in periods:
        p["items"] = [_item(records[e["id"]], links[e["id"]], spans) for e in p["items"]]
        p["context"] = [_item(records[e["id"]], links[e["id"]], spans) for e in p["context"]]
    counted = [{"quad": quad_of(e["type"]), "weight": _weight(e)}
               for p in buckets.values() for e in p if links[e["id"]]["link"] == "direct"]
    notes = sorted(notes_a + notes_b, key=lambda n: n["date"])
    return {"a": brief_actor(actor_a), "b": brief_actor(actor_b), "period": period, "periods": periods,
            "total": len(counted), "score": score(counted),
            "sides": {"a": a_side, "b": b_side}, "notes": notes,
            "affiliations": _affiliations(conn, a_side, b_side)}


def _weight(event: Record) -> float:
    return 0.5 if event["hedged"] else 1.0


def _item(e: Record, link: Record, spans: dict[tuple[str, int], set[str]]) -> Record:
    """A listed event of the pair: how it joins them, and the sentence that shows it."""
    evidence = e["mentions"][0]
    if link["link"] == "context":  # the sentence that names the other side speaks for a context event
        other = link["b_via"]["id"] if link["direction"] == "a->b" else link["a_via"]["id"]
        evidence = next((m for m in e["mentions"] if other in spans.get((m["doc"]["id"], m["start"]), ())),
                        evidence)
    return {
        "id": e["id"], "date": e["date"], "type": e["type"], "mode": e["mode"], "quad": quad_of(e["type"]),
        "link": link["link"], "direction": link["direction"], "weight": _weight(e), "hedged": e["hedged"],
        "a_via": {"id": link["a_via"]["id"], "name": link["a_via"]["name"], "via": link["a_via"]["via"]},
        "b_via": {"id": link["b_via"]["id"], "name": link["b_via"]["name"], "via": link["b_via"]["via"]},
        "source": e["source"] and (e["source"]["name"] or e["source"]["text"]),
        "target": e["target"] and (e["target"]["name"] or e["target"]["text"]),
        "sentence": evidence["sentence"], "doc": evidence["doc"], "location": e["location"],
    }


def _affiliations(conn: Connection, a_side: list[Record], b_side: list[Record]) -> list[Record]:
    """Relations the articles state between the two sides ('allied with'), with their evidence."""
    a_ids, b_ids = {m["id"] for m in a_side}, {m["id"] for m in b_side}
    r, d = t.relations.c, t.documents.c
    out = []
    rows = conn.execute(
        select(r.subject_entity, r.subject_text, r.relation, r.object_entity, r.object_text, r.sentence,
               r.valid_from, r.valid_to, d.id, d.key, d.title, d.outlet, d.url, d.published)
        .join(t.documents, d.id == r.doc_id)
        .where(((r.subject_entity.in_(a_ids)) & (r.object_entity.in_(b_ids)))
               | ((r.subject_entity.in_(b_ids)) & (r.object_entity.in_(a_ids))))
        .order_by(d.published, r.start)
    )
    for row in rows:
        out.append({"subject": row.subject_text, "subject_id": row.subject_entity, "relation": row.relation,
                    "object": row.object_text, "object_id": row.object_entity, "sentence": row.sentence,
                    "valid_from": row.valid_from, "valid_to": row.valid_to,
                    "doc": {"id": row.id, "key": row.key, "title": row.title, "outlet": row.outlet, "url": row.url,
                            "published": row.published}})
    return out
