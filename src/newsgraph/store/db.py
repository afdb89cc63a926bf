"""Opening a store (SQLite by default, PostgreSQL by URL), migrating it, and writing one document atomically."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from rapidfuzz import fuzz
from sqlalchemy import bindparam, create_engine, event, func, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from newsgraph.extract.dictionary import ActorDictionary
from newsgraph.model import Event, Extraction, Role, SourceError
from newsgraph.resolve.actors import EntityRecord, dictionary_record, family, resolve_mentions
from newsgraph.resolve.events import event_id, in_document_key, same_time, signature
from newsgraph.resolve.overrides import Overrides
from newsgraph.settings import db_url
from newsgraph.store import overrides as decisions
from newsgraph.store import schema as t
from newsgraph.store.clusters import mark_new_clusters, refresh_main
from newsgraph.text import norm_key, skeleton
from newsgraph.timespan import day_bounds

MIGRATIONS = Path(__file__).parent / "migrations"
WRITE_ATTEMPTS = 5  # concurrent writers can race on a shared actor; each retry sees what the other committed


class StoreError(RuntimeError):
    pass


class _Statements:
    """What Store.save runs for every document, built once: building a statement (its clauses and bound
    values) cost more than running it. Values are passed at execution, so the SQL is the same each time."""

    doc_by_hash = select(t.documents.c.id).where(t.documents.c.sha256 == bindparam("sha256"))
    drop_failures = t.failures.delete().where(t.failures.c.key == bindparam("f_key"),
                                              t.failures.c.source == bindparam("f_source"))
    cluster_of = select(t.events.c.cluster_id).where(t.events.c.signature == bindparam("sig")).limit(1)
    entities_in = select(t.entities.c.id).where(t.entities.c.id.in_(bindparam("ids", expanding=True)))
    aliases_of = select(t.aliases.c.entity_id, t.aliases.c.alias).where(
        t.aliases.c.entity_id.in_(bindparam("ids", expanding=True)))
    insert = {name: table.insert() for name, table in t.metadata.tables.items()}
    text_aliases = select(t.entities.c.id, t.entities.c.type, t.aliases.c.alias, t.aliases.c.norm).join(
        t.aliases, t.aliases.c.entity_id == t.entities.c.id).where(t.entities.c.origin == "text")
    aliases_by_norm = text_aliases.where(t.aliases.c.norm.in_(bindparam("norms", expanding=True)))
    aliases_by_skeleton = text_aliases.where(t.aliases.c.skel == bindparam("skel"))


_SQL = _Statements

# (dialect, table, columns) -> the INSERT's SQL and each positional parameter's column and bind processor
_BULK_PLANS: dict[tuple[str, str, str, str, tuple[str, ...]], tuple[str, list[tuple[str, Callable | None]]] | None] = {}


def _bulk_plan(conn: Connection, table: str, keys: tuple[str, ...]
               ) -> tuple[str, list[tuple[str, Callable | None]]] | None:
    """How rows with exactly these columns are inserted by the driver itself, as SQLAlchemy would insert
    them: its compiled SQL, its parameter order and its type conversions (floats, booleans as integers).
    None when SQLAlchemy would add anything (a column default, other parameters)."""
    key = (conn.dialect.name, conn.dialect.driver, str(conn.dialect.paramstyle), table, keys)
    if key not in _BULK_PLANS:
        compiled = _SQL.insert[table].compile(dialect=conn.dialect, column_keys=list(keys))
        order = list(compiled.positiontup or ()) if compiled.positional else []
        processors = getattr(compiled, "_bind_processors", None)  # SQLAlchemy's own, per parameter
        plan = None
        if processors is not None and order and sorted(order) == sorted(keys) and set(compiled.binds) == set(keys):
            plan = (compiled.string, [(k, processors.get(k)) for k in order])
        _BULK_PLANS[key] = plan
    return _BULK_PLANS[key]


def _insert_rows(conn: Connection, table: str, rows: list[dict[str, Any]]) -> None:
    """One executemany of a table's rows (dicts with the same keys in the same order).

    On SQLite the statement is compiled once and the rows go straight to the driver: SQLAlchemy would
    otherwise rebuild each row's parameters through its compiled statement, which cost as much as the
    insert itself. Other databases (and rows SQLAlchemy would add defaults to) take its own path."""
    if not rows:
        return
    keys = tuple(rows[0])
    plan = _bulk_plan(conn, table, keys) if conn.dialect.name == "sqlite" else None
    if plan is None or any(len(r) != len(keys) for r in rows):
        conn.execute(_SQL.insert[table], rows)
        return
    sql, params = plan
    conn.exec_driver_sql(sql, [tuple(r[k] if p is None else p(r[k]) for k, p in params) for r in rows])


class _AlreadyStored(Exception):
    pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str | None = None) -> Engine:
    url = db_url(url)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.exists():
                raise StoreError(f"cannot create database {path}: folder {parent} does not exist")
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def document_id(sha256: str) -> str:
    return "d" + sha256[:15]


class Store:
    """The one writer of the database; readers go through newsgraph.query."""

    def __init__(self, url: str | None = None, create: bool = True):
        self.url = db_url(url)
        self.engine = make_engine(self.url)
        if create:
            migrate(self.engine)
        self._overrides = Overrides()
        self._overrides_version = 0

    def close(self) -> None:
        self.engine.dispose()

    # -- reads needed while writing ----------------------------------------------------------------
    def known_hashes(self, hashes: list[str]) -> set[str]:
        if not hashes:
            return set()
        found: set[str] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(hashes), 500):
                chunk = hashes[i : i + 500]
                found.update(conn.scalars(select(t.documents.c.sha256).where(t.documents.c.sha256.in_(chunk))))
        return found

    def known_inputs(self, inputs: list[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
        """Which (key, source, fingerprint) inputs are stored as read before: skipped without cleaning."""
        k = t.document_keys.c
        keys = sorted({key for key, _, _ in inputs})
        found: set[tuple[str, str, str]] = set()
        with self.engine.connect() as conn:
            for i in range(0, len(keys), 500):
                found.update(conn.execute(select(k.key, k.source, k.raw_sha256).where(
                    k.key.in_(keys[i:i + 500]), k.raw_sha256.is_not(None))).all())
        return found.intersection(inputs)

    def refresh_statistics(self, added: int) -> bool:
        """SQLite's planner statistics (ANALYZE) brought up to date once the store holds a tenth more documents
        than when they were gathered: plans chosen for a store ten times smaller than it is can cost seconds
        where milliseconds would do. Checked after each ingest that added something, run on growth only, so
        its cost (half a second at 55,000 events) stays a small share of ingesting. PostgreSQL's autovacuum
        does the same by itself. Whether it ran."""
        if added <= 0 or self.engine.dialect.name != "sqlite":
            return False
        with self.engine.begin() as conn:
            stats = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
            rows = conn.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = 'documents'").first() \
                if stats else None
            then = int(rows[0].split()[0]) if rows else 0
            if self.count("documents") * 10 < then * 11:
                return False
            conn.exec_driver_sql("ANALYZE")
        return True

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(t.metadata.tables[table])) or 0

    def overrides(self, conn: Connection) -> Overrides:
        """The analyst's decisions as resolution rules: loaded again only when one was added (by any process)."""
        version = decisions.version(conn)
        if version != self._overrides_version:
            self._overrides = decisions.load_overrides(conn)
            self._overrides_version = version
        return self._overrides

    # -- analyst decisions: each one transaction (store.overrides) ---------------------------------
    def merge_actors(self, a: str, b: str, note: str | None = None) -> dict[str, Any]:
        with self.engine.begin() as conn:
            return decisions.merge(conn, a, b, note)

    def split_actor(self, actor: str, aliases: list[str], as_name: str | None = None, type_: str | None = None,
                    note: str | None = None) -> dict[str, Any]:
        with self.engine.begin() as conn:
            return decisions.split(conn, actor, aliases, as_name, type_, note)

    def alias_actor(self, actor: str, name: str, note: str | None = None) -> dict[str, Any]:
        with self.engine.begin() as conn:
            return decisions.alias(conn, actor, name, note)

    def export_overrides(self) -> dict[str, Any]:
        with self.engine.connect() as conn:
            return decisions.export_document(conn)

    def import_overrides(self, data: Any) -> tuple[int, int]:
        with self.engine.begin() as conn:
            return decisions.import_records(conn, data)

    # -- writes ------------------------------------------------------------------------------------
    def record_failure(self, failure: SourceError) -> None:
        """Keep the failure, once: the same failure seen again (a re-run, a resumed ingest) only moves its time."""
        f = t.failures.c
        with self.engine.begin() as conn:
            conn.execute(t.failures.delete().where(f.key == failure.key, f.source == failure.source,
                                                   f.reason == failure.reason))
            conn.execute(t.failures.insert().values(key=failure.key, source=failure.source,
                                                    reason=failure.reason, at=_now()))

    def failures(self) -> list[dict[str, str]]:
        """Stored failures, oldest first: key, source, reason and when (UTC)."""
        f = t.failures.c
        with self.engine.connect() as conn:
            rows = conn.execute(select(f.key, f.source, f.reason, f.at).order_by(f.at, f.id)).all()
        return [{"key": r.key, "source": r.source, "reason": r.reason, "at": r.at} for r in rows]

    @staticmethod
    def _resolved(conn: Connection, key: str, source: str) -> None:
        """A document now stored under this key: its earlier failures (since fixed) are no longer current."""
        conn.execute(_SQL.drop_failures, {"f_key": key, "f_source": source})

    def add_key(self, sha256: str, key: str, source: str, raw: str | None = None) -> str:
        """Record another key for stored content: 'duplicate' if the key is new, else 'unchanged'. raw is
        the fingerprint of the input read under it (RawDocument.fingerprint)."""
        with self.engine.begin() as conn:
            doc_id = conn.scalar(select(t.documents.c.id).where(t.documents.c.sha256 == sha256))
            if doc_id is None:
                raise StoreError(f"no stored document has content {sha256[:12]}")
            k = t.document_keys.c
            self._resolved(conn, key, source)
            if conn.scalar(select(k.doc_id).where(k.doc_id == doc_id, k.key == key, k.source == source)):
                if raw is not None:
                    conn.execute(t.document_keys.update().where(k.doc_id == doc_id, k.key == key, k.source == source)
                                 .values(raw_sha256=raw))
                return "unchanged"
            try:
                with conn.begin_nested():
                    conn.execute(t.document_keys.insert().values(doc_id=doc_id, key=key, source=source,
                                                                 raw_sha256=raw))
            except IntegrityError:
                return "unchanged"  # another writer recorded the same key a moment ago
            return "duplicate"

    def forget_failures(self, inputs: list[tuple[str, str]]) -> None:
        """These (key, source) are stored as read: failures recorded for them are no longer current."""
        if inputs:
            with self.engine.begin() as conn:
                self._forget_failures(conn, inputs)

    @staticmethod
    def _forget_failures(conn: Connection, inputs: list[tuple[str, str]]) -> None:
        f = t.failures.c
        wanted = set(inputs)
        keys = sorted({key for key, _ in wanted})
        failed = []
        for i in range(0, len(keys), 500):
            failed += [fid for fid, key, source in conn.execute(select(f.id, f.key, f.source).where(
                f.key.in_(keys[i:i + 500]))) if (key, source) in wanted]
        if failed:
            conn.execute(t.failures.delete().where(f.id.in_(failed)))

    def add_keys(self, items: list[tuple[str, str, str, str | None]]) -> list[str]:
        """add_key for many (sha256, key, source, raw) at once, in one transaction. Falls back to one at a
        time if another writer races on a key."""
        if not items:
            return []
        d, k = t.documents.c, t.document_keys.c
        hashes = sorted({sha for sha, _, _, _ in items})
        keys = sorted({key for _, key, _, _ in items})
        try:
            with self.engine.begin() as conn:
                doc_ids: dict[str, str] = {}
                have: dict[tuple[str, str, str], str | None] = {}  # stored (doc, key, source): fingerprint
                for i in range(0, len(hashes), 500):
                    doc_ids.update(conn.execute(select(d.sha256, d.id).where(d.sha256.in_(hashes[i:i + 500]))).all())
                for i in range(0, len(keys), 500):
                    have.update(((r.doc_id, r.key, r.source), r.raw_sha256) for r in conn.execute(
                        select(k.doc_id, k.key, k.source, k.raw_sha256).where(k.key.in_(keys[i:i + 500]))))
                missing = [sha for sha in hashes if sha not in doc_ids]
                if missing:
                    raise StoreError(f"no stored document has content {missing[0][:12]}")
                self._forget_failures(conn, [(key, source) for _, key, source, _ in items])
                statuses, new, seen = [], [], []
                for sha, key, source, raw in items:
                    row = (doc_ids[sha], key, source)
                    statuses.append("unchanged" if row in have else "duplicate")
                    if row not in have:
                        new.append({"doc_id": row[0], "key": key, "source": source, "raw_sha256": raw})
                    elif raw is not None and have[row] != raw:  # read again, changed where cleaning ignores
                        seen.append({"d": row[0], "k": key, "s": source, "r": raw})
                    have[row] = raw if raw is not None else have.get(row)
                if new:
                    conn.execute(t.document_keys.insert(), new)
                if seen:
                    conn.execute(t.document_keys.update().where(k.doc_id == bindparam("d"), k.key == bindparam("k"),
                                                                k.source == bindparam("s"))
                                 .values(raw_sha256=bindparam("r")), seen)
                return statuses
        except IntegrityError:  # another writer recorded one of the keys a moment ago
            return [self.add_key(*item) for item in items]

    def save(self, extraction: Extraction, dictionary: ActorDictionary) -> str:
        """Store one document with everything found in it, in one transaction.

        Returns 'added', or what add_key says when the same text is already stored.
        """
        doc = extraction.document
        doc_id = document_id(doc.sha256)
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with self.engine.begin() as conn:
                    if conn.scalar(_SQL.doc_by_hash, {"sha256": doc.sha256}):
                        raise _AlreadyStored
                    self._write(conn, doc_id, extraction, dictionary)
                return "added"
            except (_AlreadyStored, IntegrityError) as exc:
                # stored earlier, or by another writer between our check and insert
                with self.engine.connect() as conn:
                    stored = conn.scalar(select(t.documents.c.id).where(t.documents.c.sha256 == doc.sha256))
                if stored is not None:
                    return self.add_key(doc.sha256, doc.key, doc.source, doc.raw_sha256)
                if attempt == WRITE_ATTEMPTS - 1:
                    raise exc
                # another writer added an actor or alias this document also names: the whole transaction
                # rolled back; write it again, now seeing theirs
        raise StoreError("unreachable")

    def _write(self, conn: Connection, doc_id: str, ex: Extraction, dictionary: ActorDictionary) -> None:
        doc = ex.document
        insert = _SQL.insert
        conn.execute(insert["documents"], {
            "id": doc_id, "key": doc.key, "source": doc.source, "title": doc.title, "outlet": doc.outlet,
            "author": doc.author, "url": doc.url, "published": doc.published, "published_from": doc.published_from,
            "language": doc.language, "sha256": doc.sha256, "words": doc.words, "text": doc.text,
            "offset_map": json.dumps(doc.offset_map), "ingested_at": _now(),
        })
        conn.execute(insert["document_keys"], {"doc_id": doc_id, "key": doc.key, "source": doc.source,
                                               "raw_sha256": doc.raw_sha256})
        self._resolved(conn, doc.key, doc.source)
        if ex.sentences:
            _insert_rows(conn, "sentences", [
                {"doc_id": doc_id, "idx": i, "start": s, "end": e, "text": doc.text[s:e]}
                for i, (s, e) in enumerate(ex.sentences)
            ])
        overrides = self.overrides(conn)
        names = [m.name or m.text for m in ex.mentions if not m.actor_id]
        entity_ids, records = resolve_mentions(ex, dictionary, self._lookups(conn, names), overrides)
        if overrides:
            ex = _redirect_roles(ex, overrides, dictionary)
        for actor_id in _role_actors(ex):  # known from the dictionary, maybe never named in the text
            if actor_id in records:
                continue
            if actor_id in dictionary.actors:
                records[actor_id] = dictionary_record(dictionary.actors[actor_id])
            elif rec := overrides.record(actor_id, dictionary):
                records[actor_id] = rec
            if overrides and actor_id in records:
                overrides.adjust(records[actor_id])
        self._upsert_entities(conn, list(records.values()))
        if ex.mentions:
            _insert_rows(conn, "mentions", [
                {"doc_id": doc_id, "entity_id": eid, "text": m.text, "start": m.start, "end": m.end,
                 "label": m.label, "sentence": m.sentence}
                for m, eid in zip(ex.mentions, entity_ids, strict=True)
            ])
        if ex.timexes:
            _insert_rows(conn, "timexes", [
                {"doc_id": doc_id, "text": x.text, "start": x.start, "end": x.end, "value": x.value,
                 "anchor": x.anchor, "precision": x.precision}
                for x in ex.timexes
            ])
        if ex.places:
            _insert_rows(conn, "places", [
                {"doc_id": doc_id, "text": p.text, "start": p.start, "end": p.end,
                 "entity_id": _entity_at(ex, entity_ids, p.start, p.end), "name": p.name,
                 "country": p.country, "admin1": p.admin1, "lat": p.lat, "lon": p.lon,
                 "geonameid": p.geonameid, "feature": p.feature, "qualifier": p.qualifier}
                for p in ex.places
            ])
        self._write_events(conn, doc_id, ex, entity_ids, dictionary)
        if ex.relations:
            _insert_rows(conn, "relations", [
                {"doc_id": doc_id, "subject_entity": _role_entity(r.subject, entity_ids),
                 "subject_text": r.subject.text, "relation": r.relation,
                 "object_entity": _role_entity(r.object, entity_ids), "object_text": r.object.text,
                 "sentence": ex.sentence_text(r.sentence), "start": r.start, "end": r.end,
                 "valid_from": r.valid_from, "valid_to": r.valid_to}
                for r in ex.relations
            ])

    def _write_events(self, conn: Connection, doc_id: str, ex: Extraction, entity_ids: list[str],
                      dictionary: ActorDictionary | None = None) -> None:
        rows = []
        clusters: dict[str, list[tuple[Event, str]]] = {}
        stored: set[str] = set()  # clusters this document's events join, whose other mentions are in the store
        for ev in ex.events:
            eid = event_id(doc_id, ev)
            local = in_document_key(ev, ex, entity_ids, dictionary)
            sig = signature(ev, entity_ids)
            cluster = next((c for other, c in clusters.get(local, []) if same_time(ev, other)), None)
            if cluster is None and sig is not None:
                cluster = conn.scalar(_SQL.cluster_of, {"sig": sig})
                if cluster is not None:
                    stored.add(cluster)
            cluster = cluster or eid
            clusters.setdefault(local, []).append((ev, cluster))
            place = ex.places[ev.location] if ev.location is not None else None
            first_day, last_day = day_bounds(ev.date)
            rows.append({
                "id": eid, "cluster_id": cluster, "doc_id": doc_id, "type": ev.type, "mode": ev.mode,
                "context": ev.context, "cameo": ev.cameo, "trigger": ev.trigger,
                "source_entity": _role_entity(ev.source, entity_ids),
                "source_text": ev.source.text if ev.source else None,
                "target_entity": _role_entity(ev.target, entity_ids),
                "target_text": ev.target.text if ev.target else None,
                "date": ev.date, "date_precision": ev.date_precision, "date_text": ev.date_text,
                "location_text": _located(place), "location_name": place.name if place else None,
                "location_country": place.country if place else None,
                "location_lat": place.lat if place else None, "location_lon": place.lon if place else None,
                "location_geonameid": place.geonameid if place else None,
                "negated": ev.negated, "hedged": ev.hedged, "attribution": ev.attribution,
                "sentence": ex.sentence_text(ev.sentence), "start": ev.start, "end": ev.end,
                "confidence": ev.confidence, "signature": sig,
                "day_first": first_day, "day_last": last_day,
            })
        unique = {r["id"]: r for r in rows}
        mark_new_clusters(list(unique.values()), stored)
        if unique:
            _insert_rows(conn, "events", list(unique.values()))
        if stored:
            refresh_main(conn, stored)

    @staticmethod
    def _lookups(conn: Connection, names: list[str]) -> Callable[[str, str], list[str]]:
        """Stored actors (found in text, not the dictionary) of a family known by a name, for the names of
        one document: their exact normalised aliases in one query, each (name, family) answered once.

        Nothing is written while a document's mentions are resolved, so every answer holds for the whole
        document. For people, a transliteration variant ('al-Ubaidi' for 'al-Obeidi') with the same
        skeleton and a close spelling when no exact name is stored.
        """
        by_norm: dict[str, list[Any]] = {}
        keys = sorted({norm_key(n) for n in names})
        for i in range(0, len(keys), 500):
            for r in conn.execute(_SQL.aliases_by_norm, {"norms": keys[i : i + 500]}):
                by_norm.setdefault(r.norm, []).append(r)
        answers: dict[tuple[str, str], list[str]] = {}

        def lookup(name: str, fam: str) -> list[str]:
            if (name, fam) not in answers:
                key = norm_key(name)
                found = sorted({r.id for r in by_norm.get(key, ()) if family(r.type) == fam})
                if not found and fam == "person" and len(name.split()) >= 2:
                    rows = conn.execute(_SQL.aliases_by_skeleton, {"skel": skeleton(name)}).all()
                    found = sorted({r.id for r in rows
                                    if family(r.type) == fam and fuzz.ratio(key, norm_key(r.alias)) >= 82})
                answers[name, fam] = found
            return answers[name, fam]

        return lookup

    @staticmethod
    def _upsert_entities(conn: Connection, recs: list[EntityRecord]) -> None:
        """The entities a document touches and their new aliases: two reads and two inserts in all."""
        if not recs:
            return
        ids = [rec.id for rec in recs]
        exists: set[str] = set()
        have: set[tuple[str, str]] = set()
        for i in range(0, len(ids), 500):
            chunk = ids[i : i + 500]
            exists.update(conn.scalars(_SQL.entities_in, {"ids": chunk}))
            have.update((r.entity_id, r.alias) for r in conn.execute(_SQL.aliases_of, {"ids": chunk}))
        new_entities = [{"id": rec.id, "name": rec.name, "type": rec.type, "country": rec.country,
                         "sector": rec.sector, "origin": rec.origin} for rec in recs if rec.id not in exists]
        if new_entities:
            _insert_rows(conn, "entities", new_entities)
        new_aliases = [{"entity_id": rec.id, "alias": al, "norm": norm_key(al), "origin": rec.aliases[al],
                        "skel": skeleton(al)}
                       for rec in recs for al in rec.aliases if (rec.id, al) not in have]
        if new_aliases:
            _insert_rows(conn, "aliases", new_aliases)


def _redirect_roles(ex: Extraction, overrides: Overrides, dictionary: ActorDictionary) -> Extraction:
    """A copy whose roles the dictionary gave an actor directly point where the decisions say."""

    def fix(role: Role | None) -> Role | None:
        if role is None or role.actor is None:
            return role
        actor = overrides.role_actor(role.text, role.actor, dictionary)
        return role if actor == role.actor else replace(role, actor=actor)

    return replace(ex, events=[replace(ev, source=fix(ev.source), target=fix(ev.target)) for ev in ex.events],
                   relations=[replace(r, subject=fix(r.subject), object=fix(r.object)) for r in ex.relations])


def _role_entity(role, entity_ids: list[str]) -> str | None:
    if role is None:
        return None
    if role.actor:
        return role.actor
    if role.mention is None:
        return None
    return entity_ids[role.mention]


def _role_actors(ex: Extraction) -> set[str]:
    roles = [r for ev in ex.events for r in (ev.source, ev.target) if r is not None]
    roles += [r for rel in ex.relations for r in (rel.subject, rel.object)]
    return {r.actor for r in roles if r.actor}


def _entity_at(ex: Extraction, entity_ids: list[str], start: int, end: int) -> str | None:
    for m, eid in zip(ex.mentions, entity_ids, strict=True):
        if m.start <= start and end <= m.end:
            return eid
    return None


def _located(place) -> str | None:
    """The event's place as the sentence puts it: 'southwest of Mosul'."""
    if place is None:
        return None
    return f"{place.qualifier} {place.text}" if place.qualifier else place.text


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
