"""Analyst decisions about actors, applied to what is stored and recorded in order (table actor_overrides).

merge: every row naming the merged actor moves to the survivor and the merged actor is deleted.
split: names, and the mentions with those names, move off an actor to another (new or existing) actor.
alias: a name becomes an actor's, and mentions of that name in the same type family move to it.
Each function runs in the caller's transaction (Store opens one per command), so a failure changes nothing.
The same records, exported and imported, replay the decisions on another store; resolve.overrides makes
ingest honour them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Row

from newsgraph.model import Event, Role
from newsgraph.query.actors import find_actors
from newsgraph.resolve.actors import family, text_entity_id
from newsgraph.resolve.events import signature
from newsgraph.resolve.overrides import OPS, Overrides
from newsgraph.store import schema as t
from newsgraph.store.clusters import refresh_main
from newsgraph.text import norm_key, skeleton

Record = dict[str, Any]
FORMAT = "newsgraph-actor-overrides"


class OverrideError(ValueError):
    """A decision that cannot be made as asked; nothing was changed."""


class UnknownActor(OverrideError):
    pass


class AmbiguousActor(OverrideError):
    pass


# -- finding actors ---------------------------------------------------------------------------------------
def _entity(conn: Connection, entity_id: str) -> Row | None:
    return conn.execute(select(t.entities).where(t.entities.c.id == entity_id)).first()


def find_one(conn: Connection, name: str, exclude: str | None = None) -> Row:
    """The one actor with this id, name or alias; an exact canonical name beats an alias."""
    if exclude != name and (row := _entity(conn, name)) is not None:
        return row
    found = [p for p in find_actors(conn, name) if p["id"] != exclude]
    if not found:
        raise UnknownActor(f"no actor named {name!r} in the store (try `newsgraph actor NAME`)")
    if len(found) > 1:
        exact = [p for p in found if norm_key(p["name"]) == norm_key(name)]
        if len(exact) != 1:
            listing = "\n".join(f"  {p['id']:16} {p['name']} ({p['type']}, {p['mentions']} mentions)" for p in found)
            raise AmbiguousActor(f"{name!r} names {len(found)} actors; give the id of the one you mean:\n{listing}")
        found = exact
    return _entity(conn, found[0]["id"])


def _ref(row: Row) -> Record:
    return {"id": row.id, "name": row.name, "type": row.type, "origin": row.origin}


def _names(conn: Connection, entity_id: str) -> set[str]:
    a, m = t.aliases.c, t.mentions.c
    return (set(conn.scalars(select(a.alias).where(a.entity_id == entity_id)))
            | set(conn.scalars(select(m.text).where(m.entity_id == entity_id).distinct())))


# -- the three decisions ----------------------------------------------------------------------------------
def merge(conn: Connection, a: str, b: str, note: str | None = None) -> Record:
    """B into A. A survives, except that a dictionary actor always survives a text-found one."""
    keep, drop = find_one(conn, a), find_one(conn, b)
    if keep.id == drop.id:
        raise OverrideError(f"{a!r} and {b!r} are the same actor, {keep.name} [{keep.id}]: nothing to merge")
    if drop.origin == "dictionary" and keep.origin != "dictionary":
        keep, drop = drop, keep
    aliases = sorted(set(conn.scalars(select(t.aliases.c.alias).where(t.aliases.c.entity_id == drop.id)))
                     | {drop.name})
    rec = {"op": "merge", "target": _ref(keep), "source": _ref(drop), "aliases": aliases}
    return _decide(conn, rec, note)


def split(conn: Connection, actor: str, aliases: list[str], as_name: str | None = None,
          type_: str | None = None, note: str | None = None) -> Record:
    """Names of ACTOR (and its mentions by them) move to the actor --as names, or to a new one."""
    src = find_one(conn, actor)
    names = {norm_key(n): n for n in _names(conn, src.id)}
    missing = [x for x in aliases if norm_key(x) not in names]
    if missing or not aliases:
        raise OverrideError(
            f"nothing to split: {src.name} [{src.id}] is not known as {', '.join(map(repr, missing))}; "
            f"its names: {', '.join(sorted(names.values()))}")
    target = None
    if as_name:
        try:
            target = find_one(conn, as_name, exclude=src.id)
        except UnknownActor:
            target = None
    if target is not None:
        if type_ and type_ != target.type:
            raise OverrideError(f"--type is for a new actor; {target.name} [{target.id}] is a {target.type}")
        ref = _ref(target)
    else:
        name, typ = as_name or aliases[0], type_ or src.type
        ref = {"id": _new_id(conn, name, typ, src.id), "name": name, "type": typ, "origin": "text"}
    rec = {"op": "split", "target": ref, "source": _ref(src), "aliases": list(dict.fromkeys(aliases))}
    return _decide(conn, rec, note)


def alias(conn: Connection, actor: str, name: str, note: str | None = None) -> Record:
    """NAME becomes ACTOR's; mentions of it in ACTOR's type family, resolved elsewhere, move to ACTOR."""
    if not norm_key(name):
        raise OverrideError(f"{name!r} is not a name")
    target = find_one(conn, actor)
    rec = {"op": "alias", "target": _ref(target), "source": None, "aliases": [name]}
    return _decide(conn, rec, note)


def _new_id(conn: Connection, name: str, type_: str, split_from: str) -> str:
    """The id text resolution would give the name, unless that id is taken (often by the actor split from)."""
    taken = set(load_overrides(conn).redirects) | {split_from}
    candidate, salt = text_entity_id(name, type_), 0
    while candidate in taken or _entity(conn, candidate) is not None:
        salt += 1
        raw = f"{family(type_)}|{norm_key(name)}|split from {split_from}|{salt}"
        candidate = "x" + hashlib.sha1(raw.encode()).hexdigest()[:12]
    return candidate


def _decide(conn: Connection, rec: Record, note: str | None, created_at: str | None = None) -> Record:
    moved = apply(conn, rec)
    conn.execute(t.actor_overrides.insert().values(
        op=rec["op"], target_id=rec["target"]["id"], source_id=(rec.get("source") or {}).get("id"),
        payload=json.dumps(_payload(rec), ensure_ascii=False, sort_keys=True),
        created_at=created_at or dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), note=note,
    ))
    return {**rec, "moved": moved}


def _payload(rec: Mapping[str, Any]) -> Record:
    return {"target": rec["target"], "source": rec.get("source"), "aliases": list(rec.get("aliases") or [])}


# -- applying a decision to stored rows -------------------------------------------------------------------
def apply(conn: Connection, rec: Mapping[str, Any]) -> dict[str, int]:
    """Move stored rows as the decision says; an actor the store does not hold yet is left to ingest."""
    if rec["op"] == "merge":
        return _apply_merge(conn, rec)
    source = rec["source"]["id"] if rec["op"] == "split" else None
    return _apply_names(conn, rec, source)


def _ensure(conn: Connection, ref: Mapping[str, Any]) -> None:
    if _entity(conn, ref["id"]) is None:
        conn.execute(t.entities.insert().values(id=ref["id"], name=ref["name"], type=ref["type"],
                                                origin=ref.get("origin") or "text"))


def _give_alias(conn: Connection, entity_id: str, name: str, origin: str) -> int:
    a = t.aliases.c
    if conn.scalar(select(a.alias).where(a.entity_id == entity_id, a.alias == name)) is not None:
        return 0
    conn.execute(t.aliases.insert().values(entity_id=entity_id, alias=name, norm=norm_key(name), origin=origin,
                                           skel=skeleton(name)))
    return 1


def _apply_merge(conn: Connection, rec: Mapping[str, Any]) -> dict[str, int]:
    keep, drop = rec["target"]["id"], rec["source"]["id"]
    old = _entity(conn, drop)
    if old is None:
        return {}
    _ensure(conn, rec["target"])
    m, p, ev, r, a, e = (t.mentions.c, t.places.c, t.events.c, t.relations.c, t.aliases.c, t.entities.c)
    changed = set(conn.scalars(select(ev.id).where((ev.source_entity == drop) | (ev.target_entity == drop))))
    moved = {
        "mentions": conn.execute(update(t.mentions).where(m.entity_id == drop).values(entity_id=keep)).rowcount,
        "places": conn.execute(update(t.places).where(p.entity_id == drop).values(entity_id=keep)).rowcount,
        "events": len(changed),
        "relations": 0,
        "aliases": 0,
    }
    conn.execute(update(t.events).where(ev.source_entity == drop).values(source_entity=keep))
    conn.execute(update(t.events).where(ev.target_entity == drop).values(target_entity=keep))
    for col in ("subject_entity", "object_entity"):
        moved["relations"] += conn.execute(update(t.relations).where(r[col] == drop).values({col: keep})).rowcount
    for name, origin in conn.execute(select(a.alias, a.origin).where(a.entity_id == drop)).all():
        moved["aliases"] += _give_alias(conn, keep, name, origin)
    survivor = _entity(conn, keep)
    fill = {k: getattr(old, k) for k in ("country", "sector") if getattr(survivor, k) is None and getattr(old, k)}
    if fill:
        conn.execute(update(t.entities).where(e.id == keep).values(fill))
    conn.execute(delete(t.aliases).where(a.entity_id == drop))
    conn.execute(delete(t.entities).where(e.id == drop))
    _resignature(conn, changed)
    return moved


def _apply_names(conn: Connection, rec: Mapping[str, Any], source: str | None) -> dict[str, int]:
    """Mentions named by the decision's aliases, and the aliases themselves, move to its target.

    From one actor (split), or from any actor of the target's type family (alias). Event and relation roles
    in the same sentences whose text is a moved mention's follow it, and so do places inside a moved mention.
    """
    target = rec["target"]["id"]
    norms = {norm_key(x) for x in rec["aliases"]}
    fam = family(rec["target"]["type"])
    m, a, e = t.mentions.c, t.aliases.c, t.entities.c
    if source is not None:
        rows = conn.execute(select(t.mentions).where(m.entity_id == source)).all()
        owned = conn.execute(select(a.entity_id, a.alias).where(a.entity_id == source)).all()
    else:
        surfaces = set(rec["aliases"]) | set(conn.scalars(select(a.alias).where(a.norm.in_(norms))))
        rows = conn.execute(select(t.mentions).where(m.text.in_(surfaces), m.entity_id != target)).all()
        rows = [x for x in rows if family(x.label) == fam]
        owned = conn.execute(select(a.entity_id, a.alias).join(t.entities, e.id == a.entity_id)
                             .where(a.norm.in_(norms), a.entity_id != target)).all()
        types = dict(conn.execute(select(e.id, e.type).where(e.id.in_({o.entity_id for o in owned}))).all())
        owned = [o for o in owned if family(types[o.entity_id]) == fam]
    rows = [x for x in rows if norm_key(x.text) in norms]
    owned = [o for o in owned if norm_key(o.alias) in norms]
    if not rows and not owned and _entity(conn, target) is None:
        return {}
    _ensure(conn, rec["target"])
    moved = {"mentions": len(rows), "aliases": 0, "events": 0, "relations": 0, "places": 0}
    ids = [x.id for x in rows]
    for i in range(0, len(ids), 500):
        conn.execute(update(t.mentions).where(m.id.in_(ids[i : i + 500])).values(entity_id=target))
    for o in owned:
        conn.execute(delete(t.aliases).where(a.entity_id == o.entity_id, a.alias == o.alias))
    for name in dict.fromkeys([o.alias for o in owned] + list(rec["aliases"])):
        moved["aliases"] += _give_alias(conn, target, name, "user")
    by_doc: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for x in rows:
        by_doc[(x.doc_id, x.entity_id)].append(x)
    changed: set[str] = set()
    for (doc_id, old), mentions in by_doc.items():
        changed |= _follow(conn, doc_id, old, target, mentions, norms, moved)
    _resignature(conn, changed)
    return moved


def _follow(conn: Connection, doc_id: str, old: str, target: str, mentions: list[Row], norms: set[str],
            moved: dict[str, int]) -> set[str]:
    """Roles and places of one document that stood for the moved mentions.

    A role follows when its text is a moved name or holds a moved mention, or when its sentence had moved
    mentions and no mention of the old actor is left there (the role was one of them: "The delegation").
    """
    m = t.mentions.c
    left = conn.execute(select(m.start).where(m.doc_id == doc_id, m.entity_id == old)).scalars().all()

    def stands_for(text: str | None, start: int, end: int) -> bool:
        if text is None:
            return False
        inside = [x for x in mentions if start <= x.start < end]
        return (norm_key(text) in norms or any(x.text in text for x in inside)
                or (bool(inside) and not any(start <= s < end for s in left)))

    changed: set[str] = set()
    ev = t.events.c
    for row in conn.execute(select(t.events).where(ev.doc_id == doc_id, (ev.source_entity == old)
                                                   | (ev.target_entity == old))).all():
        values = {f"{role}_entity": target for role in ("source", "target")
                  if row._mapping[f"{role}_entity"] == old and stands_for(row._mapping[f"{role}_text"],
                                                                         row.start, row.end)}
        if values:
            conn.execute(update(t.events).where(ev.id == row.id).values(values))
            changed.add(row.id)
    r = t.relations.c
    for row in conn.execute(select(t.relations).where(r.doc_id == doc_id, (r.subject_entity == old)
                                                      | (r.object_entity == old))).all():
        values = {f"{role}_entity": target for role in ("subject", "object")
                  if row._mapping[f"{role}_entity"] == old and stands_for(row._mapping[f"{role}_text"],
                                                                         row.start, row.end)}
        if values:
            conn.execute(update(t.relations).where(r.id == row.id).values(values))
            moved["relations"] += 1
    p = t.places.c
    for row in conn.execute(select(p.id, p.start, p.end).where(p.doc_id == doc_id, p.entity_id == old)).all():
        if any(x.start <= row.start and row.end <= x.end for x in mentions):
            conn.execute(update(t.places).where(p.id == row.id).values(entity_id=target))
            moved["places"] += 1
    moved["events"] += len(changed)
    return changed


def _resignature(conn: Connection, event_ids: Iterable[str]) -> None:
    """Moved events get the signature ingest would give them now; clusters sharing a signature become one."""
    ev, d = t.events.c, t.documents.c
    touched: set[str] = set()
    ids = list(event_ids)
    for i in range(0, len(ids), 500):
        for row in conn.execute(select(t.events).where(ev.id.in_(ids[i : i + 500]), ev.signature.is_not(None))):
            probe = Event(row.type, row.trigger or "", 0, 0, 0, Role("", 0, 0, mention=0), Role("", 0, 0, mention=1),
                          negated=bool(row.negated), date=row.date, date_precision=row.date_precision,
                          date_text=row.date_text)
            sig = signature(probe, [row.source_entity, row.target_entity])
            if sig != row.signature:
                conn.execute(update(t.events).where(ev.id == row.id).values(signature=sig))
                touched.add(sig)
    survivors = {c for i in range(0, len(ids), 500)
                 for c in conn.scalars(select(ev.cluster_id).where(ev.id.in_(ids[i : i + 500])))}
    for sig in touched - {None}:
        clusters = list(dict.fromkeys(conn.scalars(
            select(ev.cluster_id).join(t.documents, d.id == ev.doc_id).where(ev.signature == sig)
            .order_by(d.ingested_at, ev.doc_id, ev.start))))
        if len(clusters) > 1:
            conn.execute(update(t.events).where(ev.cluster_id.in_(clusters[1:])).values(cluster_id=clusters[0]))
        survivors.add(clusters[0])
    refresh_main(conn, survivors)


# -- reading, exporting, importing ------------------------------------------------------------------------
def version(conn: Connection) -> int:
    """Grows with every decision: a cached rule set is stale when it changes."""
    return conn.scalar(select(func.max(t.actor_overrides.c.id))) or 0


def load_records(conn: Connection) -> list[Record]:
    o = t.actor_overrides.c
    out = []
    for row in conn.execute(select(t.actor_overrides).order_by(o.id)):
        out.append({"op": row.op, **json.loads(row.payload), "note": row.note, "created_at": row.created_at})
    return out


def load_overrides(conn: Connection) -> Overrides:
    return Overrides.from_records(load_records(conn))


def export_document(conn: Connection) -> Record:
    return {"format": FORMAT, "version": 1, "overrides": load_records(conn)}


def import_records(conn: Connection, data: Any) -> tuple[int, int]:
    """Replay decisions from an export, in order; ones the store already holds are skipped.

    Returns (imported, skipped). A malformed record refuses the whole file.
    """
    records = data.get("overrides") if isinstance(data, Mapping) else data
    if not isinstance(records, list):
        raise OverrideError("an overrides file holds a list of decisions under 'overrides'")
    for i, rec in enumerate(records, 1):
        _check(rec, i)
    seen = {_identity(r) for r in load_records(conn)}
    imported = skipped = 0
    for rec in records:
        if _identity(rec) in seen:
            skipped += 1
            continue
        seen.add(_identity(rec))
        _decide(conn, rec, rec.get("note"), rec.get("created_at"))
        imported += 1
    return imported, skipped


def _identity(rec: Mapping[str, Any]) -> str:
    return json.dumps([rec["op"], _payload(rec)], sort_keys=True, ensure_ascii=False)


def _check(rec: Any, i: int) -> None:
    def ref_ok(ref: Any) -> bool:
        return isinstance(ref, Mapping) and all(isinstance(ref.get(k), str) and ref[k] for k in ("id", "name", "type"))

    if not isinstance(rec, Mapping) or rec.get("op") not in OPS:
        raise OverrideError(f"decision {i}: 'op' must be one of {', '.join(OPS)}")
    if not ref_ok(rec.get("target")):
        raise OverrideError(f"decision {i}: 'target' needs id, name and type")
    if rec["op"] != "alias" and not ref_ok(rec.get("source")):
        raise OverrideError(f"decision {i}: a {rec['op']} needs a 'source' with id, name and type")
    aliases = rec.get("aliases")
    if not isinstance(aliases, list) or not all(isinstance(x, str) for x in aliases) or (
            rec["op"] != "merge" and not aliases):
        raise OverrideError(f"decision {i}: 'aliases' must be a list of names")
