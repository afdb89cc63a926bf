"""Events as an analyst asks for them: filtered, chronological, each with its evidence and sources.

One record per event (a cluster of mentions, as export writes it): the main mention's facts, its
sentence and document, and every mention with its own date, place and actors. `conflicts` lists
events whose sources disagree on the date, the place or the actors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection

from newsgraph.resolve.events import main_mention
from newsgraph.store import schema as t
from newsgraph.text import fold, norm_key
from newsgraph.timespan import DateRange, date_range

Record = dict[str, Any]

SYMMETRIC = frozenset({"CONSULT", "COOPERATE", "AGREE"})  # A meets B is B meets A (as resolve.events)
_BOUND = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class EventQueryError(ValueError):
    """A filter value that cannot be used; `option` names the filter (actor, type, from, to, place)."""

    def __init__(self, option: str, message: str):
        super().__init__(message)
        self.option = option


def parse_date_bound(value: str, option: str = "date") -> DateRange:
    """A user's date filter: YYYY, YYYY-MM or YYYY-MM-DD, as the days it covers."""
    m = _BOUND.match(value.strip())
    found = date_range(value.strip()) if m else None
    if found is None:
        raise EventQueryError(option, f"{value!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
    return found


def _gap_days(a: DateRange, b: DateRange) -> int:
    """Days between two ranges; 0 when they overlap."""
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


# ---------------------------------------------------------------- filter values


def event_type(value: str) -> str:
    """A PLOVER type name in any case, checked against the ontology."""
    from newsgraph.extract.ontology import load_ontology

    types = load_ontology().types
    name = value.strip().upper()
    if name not in types:
        raise EventQueryError("type", f"unknown event type {value!r}; PLOVER types: {', '.join(sorted(types))}")
    return name


def actor_ids(conn: Connection, name: str) -> set[str]:
    """Ids of the actors known by this id, canonical name or alias (normalised, as find_actors)."""
    e, a = t.entities.c, t.aliases.c
    ids = set(conn.scalars(select(a.entity_id).where(a.norm == norm_key(name))))
    ids |= set(conn.scalars(select(e.id).where(or_(e.id == name, func.lower(e.name) == name.lower()))))
    return ids


def _place_matcher(conn: Connection, place: str):
    """Matches a location by name (case, accents and punctuation ignored) or by the area holding it.

    The name is also looked up in the gazetteer, so another spelling of a stored place matches ('Deir
    Ezzor' finds 'Deir al-Zour'); a country's name or two-letter code matches every event located in that
    country, a province's name every event located in it.
    """
    from newsgraph.extract.gazetteer import load_gazetteer

    key = norm_key(place)
    if not key:
        raise EventQueryError("place", "empty place name")
    countries: set[str] = set()
    if re.fullmatch(r"[A-Za-z]{2}", place.strip()):
        countries.add(place.strip().upper())
    ids: set[str] = set()
    provinces: set[tuple[str | None, str]] = set()
    for entry in load_gazetteer().lookup(place, fuzzy=False):
        if entry.feature.startswith("A.PCL") and entry.country:
            countries.add(entry.country)
        elif entry.feature == "A.ADM1":
            provinces.add((entry.country, norm_key(entry.name)))
        if entry.geonameid:
            ids.add(entry.geonameid)
    places = _Gazetteer(conn) if provinces else None

    def match(location: Record | None) -> bool:
        if location is None:
            return False
        if location["country"] in countries or location["geonameid"] in ids:
            return True
        if key in (norm_key(location["name"] or ""), norm_key(location["text"] or "")):
            return True
        if places is not None:
            admin1 = places.info(location)[1]
            return admin1 is not None and (location["country"], norm_key(admin1)) in provinces
        return False

    return match


# ---------------------------------------------------------------- records


def _location(r) -> Record | None:
    if r.location_text is None and r.location_name is None:
        return None
    return {"text": r.location_text, "name": r.location_name, "country": r.location_country,
            "lat": r.location_lat, "lon": r.location_lon, "geonameid": r.location_geonameid}


def _actor(entity_id: str | None, text: str | None, names: dict[str, str]) -> Record | None:
    if text is None and entity_id is None:
        return None
    return {"entity": entity_id, "name": names.get(entity_id) if entity_id else None, "text": text}


def _mention(r, names: dict[str, str]) -> Record:
    return {
        "id": r.id,
        "doc": {"id": r.doc_id, "key": r.doc_key, "title": r.doc_title, "outlet": r.doc_outlet,
                "url": r.doc_url, "published": r.doc_published},
        "source": _actor(r.source_entity, r.source_text, names),
        "target": _actor(r.target_entity, r.target_text, names),
        "date": r.date, "date_precision": r.date_precision, "date_text": r.date_text,
        "location": _location(r), "negated": bool(r.negated), "hedged": bool(r.hedged),
        "attribution": r.attribution, "sentence": r.sentence, "start": r.start, "end": r.end,
    }


def _event(cluster_id: str, members: list[Any], names: dict[str, str]) -> Record:
    """The cluster as one event; its main mention is the one export uses (query.tables.events), which the
    store marks (main_mention picks it again only for a cluster stored without the mark)."""
    main = next((r for r in members if r.main), None) or main_mention(members)
    ordered = [main, *(r for r in members if r is not main)]
    mentions = [_mention(r, names) for r in ordered]
    record = {"id": cluster_id, "type": main.type, "mode": main.mode, "context": main.context,
              "cameo": main.cameo, "trigger": main.trigger, "confidence": main.confidence}
    record.update({k: v for k, v in mentions[0].items() if k != "id"})
    record["documents"] = len({r.doc_id for r in members})
    record["mentions"] = mentions
    return record


CHUNK = 500  # ids per IN list, well under any database's limit on bound parameters


def _names(conn: Connection, rows: list[Any]) -> dict[str, str]:
    """Canonical names of the actors these event rows name."""
    e = t.entities.c
    ids = sorted({x for r in rows for x in (r.source_entity, r.target_entity) if x})
    names: dict[str, str] = {}
    for i in range(0, len(ids), CHUNK):
        names.update(conn.execute(select(e.id, e.name).where(e.id.in_(ids[i : i + CHUNK]))).all())
    return names


def _member_rows(conn: Connection, cluster_ids: list[str]) -> dict[str, list[Any]]:
    """The mentions of these clusters, each cluster's in store order."""
    ev, d = t.events.c, t.documents.c
    clusters: dict[str, list[Any]] = defaultdict(list)
    for i in range(0, len(cluster_ids), CHUNK):
        stmt = (select(t.events, d.key.label("doc_key"), d.title.label("doc_title"),
                       d.outlet.label("doc_outlet"), d.url.label("doc_url"), d.published.label("doc_published"))
                .join(t.documents, d.id == ev.doc_id).where(ev.cluster_id.in_(cluster_ids[i : i + CHUNK]))
                .order_by(d.ingested_at, d.key, ev.start, ev.id))
        for r in conn.execute(stmt):
            clusters[r.cluster_id].append(r)
    return clusters


def events_by_id(conn: Connection, cluster_ids: list[str]) -> list[Record]:
    """These events (cluster ids) as records, in the order given; unknown ids are left out."""
    ids = list(dict.fromkeys(cluster_ids))
    clusters = _member_rows(conn, ids)
    names = _names(conn, [r for rows in clusters.values() for r in rows])
    return [_event(cid, clusters[cid], names) for cid in ids if cid in clusters]


def event(conn: Connection, event_id: str) -> Record | None:
    """One event (cluster) by its id with every mention, or None."""
    found = events_by_id(conn, [event_id])
    return found[0] if found else None


def chronological_key(day_first: str | None, day_last: str | None, published: str | None, key: str, start: int,
                      event_id: str) -> tuple:
    """In Python, the order chronological_order gives in SQL (undated last, then by day span, publication
    date, document key, offset and id)."""
    return day_first is None, day_first or "", day_last or "", published or "", key, start, event_id


def chronological_order() -> list[Any]:
    """SQL ORDER BY of main mentions (joined with their documents), as _chronological orders records."""
    ev, d = t.events.c, t.documents.c
    return [ev.day_first.is_(None), ev.day_first, ev.day_last, func.coalesce(d.published, ""), d.key, ev.start,
            ev.id]


def main_rows(conn: Connection, *, any_mention: list[Any] | None = None, main: list[Any] | None = None,
              columns: list[Any] | None = None, newest_first: bool = False, limit: int | None = None,
              offset: int = 0) -> list[Any]:
    """Main mentions of the events whose main mention meets `main` and some mention meets `any_mention`, in
    chronological order (newest first if asked), paged in SQL. Each row has cluster_id plus `columns`."""
    ev, d = t.events.c, t.documents.c
    stmt = select(ev.cluster_id, *(columns or [])).join(t.documents, d.id == ev.doc_id).where(ev.main.is_(True))
    if main:
        stmt = stmt.where(*main)
    if any_mention:
        stmt = stmt.where(ev.cluster_id.in_(select(ev.cluster_id).where(*any_mention)))
    order = chronological_order()
    if newest_first:
        order = [order[0], *(c.desc() for c in order[1:])]  # undated still last
    stmt = stmt.order_by(*order)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    elif offset:
        stmt = stmt.offset(offset)
    return conn.execute(stmt).all()


def main_filters(include_hedged: bool, include_negated: bool, low: dt.date | None = None,
                 high: dt.date | None = None) -> list[Any]:
    """SQL conditions on an event's main mention: asserted (unless asked), and dated within [low, high]."""
    ev = t.events.c
    out: list[Any] = []
    if not include_negated:
        out.append(ev.negated.is_(False))
    if not include_hedged:
        out.append(ev.hedged.is_(False))
    if low or high:
        out.append(ev.day_first.is_not(None))
    if low:
        out.append(ev.day_last >= low.isoformat())
    if high:
        out.append(ev.day_first <= high.isoformat())
    return out


def _clusters(conn: Connection, where: list[Any] | None = None) -> list[Record]:
    """Events (clusters of mentions) whose mentions meet these SQL conditions, in store order."""
    ev, d = t.events.c, t.documents.c
    stmt = select(ev.cluster_id).join(t.documents, d.id == ev.doc_id).order_by(d.ingested_at, d.key, ev.start,
                                                                               ev.id)
    if where:
        stmt = stmt.where(ev.cluster_id.in_(select(ev.cluster_id).where(*where)))
    return events_by_id(conn, list(dict.fromkeys(conn.scalars(stmt))))


def _chronological(record: Record) -> tuple:
    span = date_range(record["date"])
    return (span is None, span or (dt.date.min, dt.date.min), record["doc"]["published"] or "",
            record["doc"]["key"], record["start"])


def _selection(conn: Connection, actor: str | None, type: str | None, date_from: str | None,  # noqa: A002
               date_to: str | None, place: str | None, include_hedged: bool, include_negated: bool) -> list[str] | dict:
    """find_events' filters as SQL conditions ({"any_mention": [...], "main": [...]}), or, with a place (which
    matches in Python, through the gazetteer), the ids of every matching event in order."""
    ev = t.events.c
    where: list[Any] = []
    if type is not None:
        where.append(ev.type == event_type(type))
    if actor is not None:
        ids = actor_ids(conn, actor)
        if not ids:
            raise EventQueryError("actor", f"no actor named {actor!r} in the store")
        where.append(or_(ev.source_entity.in_(ids), ev.target_entity.in_(ids)))
    low = parse_date_bound(date_from, "from")[0] if date_from else None
    high = parse_date_bound(date_to, "to")[1] if date_to else None
    if low and high and low > high:
        raise EventQueryError("from", f"--from {date_from} is after --to {date_to}")
    main = main_filters(include_hedged, include_negated, low, high)
    if place is None:
        return {"any_mention": where, "main": main}
    at_place = _place_matcher(conn, place)
    located = main_rows(conn, any_mention=where, main=[*main, or_(ev.location_text.is_not(None),
                                                                  ev.location_name.is_not(None))],
                        columns=[ev.location_text, ev.location_name, ev.location_country, ev.location_lat,
                                 ev.location_lon, ev.location_geonameid])
    return [r.cluster_id for r in located if at_place(_location(r))]


def find_events(
    conn: Connection,
    actor: str | None = None,
    type: str | None = None,  # noqa: A002 - the filter's name in the CLI and API
    date_from: str | None = None,
    date_to: str | None = None,
    place: str | None = None,
    include_hedged: bool = False,
    include_negated: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Record]:
    """Events matching every filter given, oldest first, each with its sentence, document and mentions.

    actor: an id, canonical name or alias of the source or target (of any mention of the event).
    type: a PLOVER type, any case. date_from / date_to: YYYY, YYYY-MM or YYYY-MM-DD; an event dated at a
    coarser precision matches when its span overlaps the range. place: a location name (case and accents
    ignored), a country code or a country name. Negated events (the text says they did not happen) and
    hedged ones (alleged, planned, reported) are left out unless asked for. limit and offset page the
    result in the database. Raises EventQueryError.
    """
    if limit is not None and limit < 1:
        raise EventQueryError("limit", f"limit must be at least 1, not {limit}")
    if offset < 0:
        raise EventQueryError("offset", f"offset must be at least 0, not {offset}")
    found = _selection(conn, actor, type, date_from, date_to, place, include_hedged, include_negated)
    if isinstance(found, list):
        return events_by_id(conn, found[offset:offset + limit] if limit else found[offset:])
    rows = main_rows(conn, **found, limit=limit, offset=offset)
    return events_by_id(conn, [r.cluster_id for r in rows])


def count_events(conn: Connection, actor: str | None = None, type: str | None = None,  # noqa: A002
                 date_from: str | None = None, date_to: str | None = None, place: str | None = None,
                 include_hedged: bool = False, include_negated: bool = False) -> int:
    """How many events find_events gives for these filters (counted in the database)."""
    found = _selection(conn, actor, type, date_from, date_to, place, include_hedged, include_negated)
    if isinstance(found, list):
        return len(found)
    ev = t.events.c
    stmt = select(func.count()).select_from(t.events).where(ev.main.is_(True), *found["main"])
    if found["any_mention"]:
        stmt = stmt.where(ev.cluster_id.in_(select(ev.cluster_id).where(*found["any_mention"])))
    return conn.scalar(stmt) or 0


# ---------------------------------------------------------------- conflicting reports


class _Gazetteer:
    """What the store knows of each resolved place: its feature code and province (admin1)."""

    def __init__(self, conn: Connection):
        self.by_id: dict[str, tuple[str | None, str | None]] = {}
        self.by_name: dict[str, tuple[str | None, str | None]] = {}
        p = t.places.c
        for gid, name, feature, admin1 in conn.execute(select(p.geonameid, p.name, p.feature, p.admin1).distinct()):
            if gid:
                self.by_id.setdefault(gid, (feature, admin1))
            if name:
                self.by_name.setdefault(norm_key(name), (feature, admin1))

    def info(self, loc: Record) -> tuple[str | None, str | None]:
        if loc["geonameid"] and loc["geonameid"] in self.by_id:
            return self.by_id[loc["geonameid"]]
        return self.by_name.get(norm_key(loc["name"] or loc["text"] or ""), (None, None))

    def specific(self, loc: Record | None) -> bool:
        """A town or site, not a country or province: sharing it says something about the event."""
        if loc is None:
            return False
        feature = self.info(loc)[0] or ""
        return not (feature.startswith("A.PCL") or feature.startswith("A.ADM"))

    def relation(self, a: Record | None, b: Record | None) -> str:
        """same | within (one holds the other) | differs (same country) | far (other countries) | unknown."""
        if a is None or b is None:
            return "unknown"
        if a["geonameid"] and a["geonameid"] == b["geonameid"]:
            return "same"
        name_a, name_b = norm_key(a["name"] or a["text"] or ""), norm_key(b["name"] or b["text"] or "")
        if name_a and name_a == name_b:
            return "same"
        if a["country"] and b["country"] and a["country"] != b["country"]:
            return "far"
        (feat_a, adm_a), (feat_b, adm_b) = self.info(a), self.info(b)
        if (feat_a or "").startswith("A.PCL") or (feat_b or "").startswith("A.PCL"):
            return "within"
        if (adm_b and norm_key(adm_b) == name_a) or (adm_a and norm_key(adm_a) == name_b):
            return "within"  # a province, or its capital named for it ('rural Idlib' read as the city)
        if not (a["country"] and b["country"]):
            return "unknown"
        return "differs"


_ORGANS = ("government", "military", "intelligence", "legislature")


def _related(conn: Connection) -> set[frozenset[str]]:
    """Pairs of actors where one acts or speaks for the other, so naming either is no disagreement.

    A leader, member or spokesperson and their organisation (relations the store holds), and a state and
    its own government, forces, intelligence and parliament ('Syria' and 'the Syrian government').
    """
    r = t.relations.c
    rows = conn.execute(select(r.subject_entity, r.object_entity).distinct().where(
        r.relation.in_(("leader_of", "member_of", "spokesperson_of")),
        r.subject_entity.is_not(None), r.object_entity.is_not(None)))
    related = {frozenset(row) for row in rows}
    e = t.entities.c
    states = dict(conn.execute(select(e.country, e.id).where(e.sector == "state", e.country.is_not(None))).all())
    for eid, country in conn.execute(select(e.id, e.country).where(e.sector.in_(_ORGANS), e.country.is_not(None))):
        if country in states:
            related.add(frozenset((states[country], eid)))
    return related


def _roles(a: Record, b: Record, related: set[frozenset[str]]) -> tuple[int, int]:
    """(roles naming the same actor, roles naming different actors), the better alignment for A-meets-B types.

    Two actors where one acts for the other ('Assad' and 'the Syrian government') are neither.
    """

    def entity(role: Record | None) -> str | None:
        return role["entity"] if role else None

    def count(pairs: Iterable[tuple[str | None, str | None]]) -> tuple[int, int]:
        same = sum(1 for x, y in pairs if x and y and x == y)
        diff = sum(1 for x, y in pairs if x and y and x != y and frozenset((x, y)) not in related)
        return same, diff

    sa, ta, sb, tb = entity(a["source"]), entity(a["target"]), entity(b["source"]), entity(b["target"])
    best = count([(sa, sb), (ta, tb)])
    if a["type"] in SYMMETRIC:
        swapped = count([(sa, tb), (ta, sb)])
        if (swapped[0], -swapped[1]) > (best[0], -best[1]):
            best = swapped
    return best


def _date_relation(a: Record, b: Record, max_days: int | None) -> str:
    """How two dates relate, judged on stated dates only (date_text), never on publication dates.

    same: one stated day; differs: stated days or weeks that do not overlap; far: more than max_days
    apart (not one event); near: anything else within reach (a month holding a day, a publication date);
    unknown: a date missing.
    """
    ra, rb = date_range(a["date"]), date_range(b["date"])
    if ra is None or rb is None:
        return "unknown"
    gap = _gap_days(ra, rb)
    if max_days is not None and gap > max_days:
        return "far"
    if not (a["date_text"] and b["date_text"]):  # a publication date says when it was reported, not when it was
        return "near"
    fine = {"day", "week"}
    if gap > 0 and a["date_precision"] in fine and b["date_precision"] in fine:
        return "differs"
    if gap == 0 and a["date_precision"] == "day" and b["date_precision"] == "day":
        return "same"
    return "near"


_WORD = re.compile(r"[a-z]{3,}")
_COMMON = frozenset("the and for with that this from have has had was were are been said says its their they "
                    "his her who which into after before over about also than".split())
MIN_SUPPORT = 3  # signs of one event: each shared actor, the town, the stated day, similar wording (up to 2)


def _similar(a: str, b: str) -> int:
    """How alike two wordings are, as signs of one report: 2 nearly the same sentence (one story carried by
    two outlets), 1 half their content words in common, else 0."""
    wa = set(_WORD.findall(fold(a).lower())) - _COMMON
    wb = set(_WORD.findall(fold(b).lower())) - _COMMON
    if not (wa and wb):
        return 0
    overlap = len(wa & wb) / len(wa | wb)
    return 2 if overlap >= 0.8 else 1 if overlap >= 0.5 else 0


def _pair_conflict(a: Record, b: Record, max_days: int, places: _Gazetteer,
                   related: set[frozenset[str]]) -> list[str]:
    """What two reports of one event disagree on; [] when they agree, or differ too much to be one event.

    Candidates have the same type, agree on at least one actor and never differ on both. Kept strict,
    because a listed conflict asks an analyst to read both articles, and two strikes on one city a few days
    apart are usually two strikes: a conflict needs MIN_SUPPORT signs of one event among the actors that
    agree, the same town or site (a shared country or province says little), the same stated day, and
    similar wording; and the dimension it disagrees on must be the only one:
    - date: two stated days (or weeks) at most max_days apart, places not different;
    - place: two places of one country, neither holding the other, on one stated day;
    - actors: one stated day, one town, one role the same and the other a different actor.
    """
    same_roles, diff_roles = _roles(a, b, related)
    if same_roles == 0 or diff_roles > 1:
        return []
    date_rel = _date_relation(a, b, max_days)
    place_rel = places.relation(a["location"], b["location"])
    if date_rel in ("far", "unknown") or place_rel == "far":
        return []
    same_town = place_rel == "same" and places.specific(a["location"])
    support = same_roles + same_town + (date_rel == "same") + _similar(a["sentence"], b["sentence"])
    if support < MIN_SUPPORT:
        return []
    if diff_roles == 1:
        return ["actors"] if date_rel == "same" and same_town else []
    if date_rel == "differs" and place_rel != "differs":
        return ["date"]
    if place_rel == "differs" and date_rel == "same":
        return ["place"]
    return []


def _mentions_conflict(event: Record, places: _Gazetteer, related: set[frozenset[str]]) -> list[str]:
    """What the mentions of one event, from different documents, disagree on."""
    found: set[str] = set()
    mentions = event["mentions"]
    for i, a in enumerate(mentions):
        for b in mentions[i + 1:]:
            if a["doc"]["id"] == b["doc"]["id"]:
                continue
            if _date_relation(a, b, None) == "differs":
                found.add("date")
            place_rel = places.relation(a["location"], b["location"])
            if place_rel == "differs" or (
                    place_rel == "far" and places.specific(a["location"]) and places.specific(b["location"])):
                found.add("place")
            for role in ("source", "target"):
                x, y = a[role], b[role]
                if x and y and x["entity"] and y["entity"] and x["entity"] != y["entity"] \
                        and frozenset((x["entity"], y["entity"])) not in related:
                    found.add("actors")
    return [k for k in ("date", "place", "actors") if k in found]


_ONSET = re.compile(r"\b(?:launch(?:ed|es|ing)?|beg[au]n|begins?|start(?:ed|s)?|commenc(?:ed|es)|kick(?:ed)? off)\b",
                    re.IGNORECASE)


def _onset_pairs(events: list[Record], max_days: int, places: _Gazetteer) -> Iterable[tuple[Record, Record]]:
    """Reports of when an operation began, at one town, from different documents, on different stated days:
    the start of an offensive is one moment even when no report names who launched it."""
    onsets = [e for e in events if e["date_text"] and e["location"] and _ONSET.search(e.get("trigger") or "")
              and places.specific(e["location"])]
    for i, a in enumerate(onsets):
        for b in onsets[i + 1:]:
            docs_a = {m["doc"]["id"] for m in a["mentions"]}
            if a["type"] != b["type"] or docs_a & {m["doc"]["id"] for m in b["mentions"]}:
                continue
            if places.relation(a["location"], b["location"]) != "same" or _roles(a, b, set())[1]:
                continue
            if _date_relation(a, b, max_days) == "differs":
                yield a, b


def _blocks(events: list[Record]) -> Iterable[list[Record]]:
    """Candidate groups for comparison: one type and one actor in the same role (either role for A-meets-B)."""
    blocks: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
    for e in events:
        for role in ("source", "target"):
            actor = e[role]
            if actor and actor["entity"]:
                slot = "any" if e["type"] in SYMMETRIC else role
                blocks[(e["type"], slot, actor["entity"])].append(e)
    return blocks.values()


def conflicts(conn: Connection, max_days: int = 7) -> list[Record]:
    """Events whose sources disagree on the date, the place or the actors, with every version.

    scope 'events': separate events from different documents that look like one real event reported
    differently (same type, same actors, one of date / place / actors in disagreement, see _pair_conflict);
    connected pairs form one conflict. scope 'mentions': one event whose own mentions, from different
    documents, disagree. Negated events are left out (a denial is another claim). Oldest first.
    """
    if max_days < 0:
        raise EventQueryError("days", f"days must be 0 or more, not {max_days}")
    places, related = _Gazetteer(conn), _related(conn)
    events = [e for e in _clusters(conn) if not e["negated"]]
    by_id = {e["id"]: e for e in events}
    parent = {e["id"]: e["id"] for e in events}
    kinds: dict[str, set[str]] = defaultdict(set)

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    seen: set[tuple[str, str]] = set()
    for block in _blocks(events):
        for i, a in enumerate(block):
            docs_a = {m["doc"]["id"] for m in a["mentions"]}
            for b in block[i + 1:]:
                pair = (min(a["id"], b["id"]), max(a["id"], b["id"]))
                if pair in seen or docs_a & {m["doc"]["id"] for m in b["mentions"]}:
                    continue
                seen.add(pair)
                found = _pair_conflict(a, b, max_days, places, related)
                if found:
                    ra, rb = root(a["id"]), root(b["id"])
                    merged = kinds.pop(ra, set()) | kinds.pop(rb, set()) | set(found)
                    parent[rb] = ra
                    kinds[ra] = merged

    for a, b in _onset_pairs(events, max_days, places):  # "began on October 16" / "launched on October 17"
        ra, rb = root(a["id"]), root(b["id"])
        merged = kinds.pop(ra, set()) | kinds.pop(rb, set()) | {"date"}
        if ra != rb:
            parent[rb] = ra
        kinds[ra] = merged

    groups: dict[str, list[Record]] = defaultdict(list)
    for eid in parent:
        if root(eid) in kinds:
            groups[root(eid)].append(by_id[eid])
    found: list[Record] = []
    for rid, members in groups.items():
        found.append(_conflict("events", members[0]["type"], kinds[rid], members))
    for e in events:
        disagree = _mentions_conflict(e, places, related)
        if disagree:
            found.append(_conflict("mentions", e["type"], set(disagree), e["mentions"], event=e["id"]))
    out, seen_versions = [], set()
    for c in found:  # one sentence coded twice (two events, same versions) is one conflict
        key = (c["scope"], tuple(c["disagree"]), tuple(_version_key(v) for v in c["versions"]))
        if len(c["versions"]) > 1 and key not in seen_versions:
            seen_versions.add(key)
            out.append(c)
    out.sort(key=lambda c: _chronological(c["versions"][0]))
    return out


def _version_key(v: Record) -> tuple:
    return v["doc"]["id"], v["start"], v["date"], (v["location"] or {}).get("name")


def _conflict(scope: str, type_: str, kinds: set[str], reports: list[Record], event: str | None = None) -> Record:
    versions, seen = [], set()
    for v in sorted(reports, key=_chronological):  # the same sentence, date and place told once
        if _version_key(v) not in seen:
            seen.add(_version_key(v))
            versions.append(v)
    ids = sorted(v["id"] for v in versions)
    cid = "c" + hashlib.sha1("|".join([scope, *ids]).encode()).hexdigest()[:15]
    record = {"id": cid, "scope": scope, "type": type_,
              "disagree": [k for k in ("date", "place", "actors") if k in kinds], "versions": versions}
    if event:
        record["event"] = event
    return record
