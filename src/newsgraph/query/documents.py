"""One stored article: its metadata, its text and its sentences, for reading a fact in its context."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from newsgraph.store import schema as t


class UnknownDocument(LookupError):
    pass


def document(conn: Connection, doc_id: str) -> dict[str, Any]:
    """The document by id (or by one of its keys)."""
    d = t.documents.c
    row = conn.execute(select(t.documents).where(d.id == doc_id)).first()
    if row is None:
        k = t.document_keys.c
        owner = conn.scalar(select(k.doc_id).where(k.key == doc_id).limit(1))
        row = conn.execute(select(t.documents).where(d.id == owner)).first() if owner else None
    if row is None:
        raise UnknownDocument(f"no document {doc_id!r} in the store")
    s = t.sentences.c
    sentences = [{"idx": r.idx, "start": r.start, "end": r.end}
                 for r in conn.execute(select(s.idx, s.start, s.end).where(s.doc_id == row.id).order_by(s.idx))]
    return {"id": row.id, "key": row.key, "title": row.title, "outlet": row.outlet, "author": row.author,
            "url": row.url, "published": row.published, "published_from": row.published_from, "text": row.text,
            "words": row.words, "sentences": sentences}
