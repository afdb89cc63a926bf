"""The store's tables (SQLAlchemy Core). Alembic migrations under migrations/ create them."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
)
from sqlalchemy import false as sa_false

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("key", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("title", Text),
    Column("outlet", Text),
    Column("author", Text),
    Column("url", Text),
    Column("published", String(32)),
    Column("published_from", String(16)),
    Column("language", String(8)),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("words", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("offset_map", Text),  # JSON list of (clean_start, source_start, length)
    Column("ingested_at", String(32), nullable=False),
)
Index("ix_documents_key", documents.c.key)

document_keys = Table(
    "document_keys",
    metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("key", Text, primary_key=True),
    Column("source", Text, primary_key=True),
    # the input read under this key (bytes or text, format, metadata): read again unchanged, it is skipped
    Column("raw_sha256", String(64)),
)
Index("ix_document_keys_key", document_keys.c.key)

sentences = Table(
    "sentences",
    metadata,
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    Column("idx", Integer, primary_key=True),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("text", Text, nullable=False),
)
Index("ix_sentences_span", sentences.c.doc_id, sentences.c.idx, sentences.c.start)  # covers mention -> sentence

entities = Table(
    "entities",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", Text, nullable=False),
    Column("type", String(16), nullable=False),
    Column("country", String(8)),
    Column("sector", String(32)),
    Column("wikidata", String(32)),
    Column("description", Text),
    Column("origin", String(16), nullable=False),  # dictionary | text
)

aliases = Table(
    "aliases",
    metadata,
    Column("entity_id", String(64), ForeignKey("entities.id", ondelete="CASCADE"), primary_key=True),
    Column("alias", Text, primary_key=True),
    Column("norm", Text, nullable=False),
    Column("origin", String(16), nullable=False),  # dictionary | text | user
    Column("skel", Text),  # text.skeleton: transliterations of one name share it
)
Index("ix_aliases_norm", aliases.c.norm)
Index("ix_aliases_skel", aliases.c.skel)

mentions = Table(
    "mentions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("entity_id", String(64), ForeignKey("entities.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("label", String(16), nullable=False),
    Column("sentence", Integer, nullable=False),
)
Index("ix_mentions_doc", mentions.c.doc_id)
Index("ix_mentions_entity_sentence", mentions.c.entity_id, mentions.c.doc_id, mentions.c.sentence)

timexes = Table(
    "timexes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("value", String(32)),
    Column("anchor", String(32)),
    Column("precision", String(16)),
)
Index("ix_timexes_doc", timexes.c.doc_id)

places = Table(
    "places",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("entity_id", String(64)),
    Column("name", Text),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("geonameid", String(32)),
    Column("feature", String(16)),
    Column("qualifier", Text),  # "southwest of" Mosul
)
Index("ix_places_doc", places.c.doc_id)

events = Table(
    "events",
    metadata,
    Column("id", String(40), primary_key=True),  # one row per event mention
    Column("cluster_id", String(40), nullable=False),  # the event it reports (resolve merges)
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("type", String(16), nullable=False),
    Column("mode", String(32)),
    Column("context", String(64)),
    Column("cameo", String(4)),
    Column("trigger", Text),
    Column("source_entity", String(64)),
    Column("source_text", Text),
    Column("target_entity", String(64)),
    Column("target_text", Text),
    Column("date", String(32)),
    Column("date_precision", String(16)),
    Column("date_text", Text),
    Column("location_text", Text),
    Column("location_name", Text),
    Column("location_country", String(8)),
    Column("location_lat", Float),
    Column("location_lon", Float),
    Column("location_geonameid", String(32)),
    Column("negated", Boolean, nullable=False),
    Column("hedged", Boolean, nullable=False),
    Column("attribution", Text),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("signature", String(40)),  # same real-world event across documents (resolve.events)
    # the mention that speaks for its cluster (resolve.events.main_mention), kept by the store so queries can
    # filter, order and page events in SQL; and the first and last day its date can mean (timespan)
    Column("main", Boolean, nullable=False, default=False, server_default=sa_false()),
    Column("day_first", String(10)),
    Column("day_last", String(10)),
)
Index("ix_events_doc_start", events.c.doc_id, events.c.start, events.c.cluster_id)
Index("ix_events_signature", events.c.signature)
Index("ix_events_cluster_span", events.c.cluster_id, events.c.doc_id, events.c.start)  # covers cluster -> sentence
Index("ix_events_source_cluster", events.c.source_entity, events.c.cluster_id)
Index("ix_events_target_cluster", events.c.target_entity, events.c.cluster_id)
Index("ix_events_date", events.c.date)
Index("ix_events_main_day", events.c.main, events.c.day_first)

relations = Table(
    "relations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(40), ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("subject_entity", String(64)),
    Column("subject_text", Text, nullable=False),
    Column("relation", String(32), nullable=False),
    Column("object_entity", String(64)),
    Column("object_text", Text, nullable=False),
    Column("sentence", Text, nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("valid_from", String(32)),
    Column("valid_to", String(32)),
)
Index("ix_relations_doc", relations.c.doc_id)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", String(32), nullable=False),
)

actor_overrides = Table(
    "actor_overrides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the order decisions were made in
    Column("op", String(16), nullable=False),  # merge | split | alias
    Column("target_id", String(64), nullable=False),  # the actor that gains: survivor, split target, alias owner
    Column("source_id", String(64)),  # the actor that loses: merged away, split from
    Column("payload", Text, nullable=False),  # JSON: target / source {id, name, type, origin}, aliases
    Column("created_at", String(32), nullable=False),
    Column("note", Text),
)

fetch_cache = Table(
    "fetch_cache",
    metadata,
    Column("url", Text, primary_key=True),  # as requested (a feed item's link, a listed URL, robots.txt)
    Column("final_url", Text),  # after redirects
    Column("etag", Text),
    Column("last_modified", Text),
    Column("sha256", String(64)),  # of the body: the same bytes are not processed again
    Column("stamp", Text),  # a feed item's updated / published value when its link was fetched
    Column("body", LargeBinary),  # feeds and robots.txt only
    Column("status", Integer, nullable=False),
    Column("fetched_at", String(32), nullable=False),
)
