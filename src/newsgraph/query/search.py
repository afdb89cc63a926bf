"""Full-text search over the stored sentences, ranked: SQLite FTS5 (migration 0006 keeps the index in step
with every write) or PostgreSQL full-text search; other databases fall back to a plain substring match.

Plain words find sentences holding all of them, in any form the stemmer joins ('deployed' finds 'deploy');
a hyphenated name is one phrase ('al-Shatri'). Text with search operators is passed on as the engine's query
language: in SQLite FTS5 "quoted phrases", OR, NOT, NEAR(a b, 5), prefix*; in PostgreSQL web-search syntax
("quoted phrases", or, -word). A malformed query raises SearchError with the engine's reason.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy import text as sql
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from newsgraph.store import schema as t

Record = dict[str, Any]
START, STOP = "\x02", "\x03"  # match markers inside the engine's output, turned into offsets
_OPERATORS = re.compile(r'["*():^]|\b(?:AND|OR|NOT|NEAR)\b')
_SNIPPET_WORDS = 14  # words kept either side of the first match


class SearchError(ValueError):
    pass


def fts_query(text: str) -> str:
    """The FTS5 query for the user's text: plain words become quoted terms (all required); text with
    operators is kept as written."""
    if _OPERATORS.search(text):
        return text
    return " ".join('"' + word.replace('"', '""') + '"' for word in text.split())


def _marks(marked: str) -> tuple[str, list[list[int]]]:
    """Text without markers, and the [start, end) offsets of the marked matches."""
    out, marks, pos, start = [], [], 0, None
    for ch in marked:
        if ch == START:
            start = pos
        elif ch == STOP:
            if start is not None:
                marks.append([start, pos])
            start = None
        else:
            out.append(ch)
            pos += 1
    text = "".join(out)
    joined: list[list[int]] = []
    for mark in marks:  # PostgreSQL marks 'al-Shatri' as two words: one match, as SQLite's phrase gives it
        if joined and text[joined[-1][1]:mark[0]] in ("-", "\u2010", "\u2011"):
            joined[-1][1] = mark[1]
        else:
            joined.append(mark)
    return text, joined


def snippet(sentence: str, marks: list[list[int]], left: str = "[", right: str = "]") -> str:
    """The sentence around its first match (a window of words), with every match in the window marked."""
    text = sentence
    if marks:
        before = text[: marks[0][0]].split(" ")
        after = text[marks[-1][1]:].split(" ")
        lo = marks[0][0] - len(" ".join(before[-_SNIPPET_WORDS:])) if len(before) > _SNIPPET_WORDS else 0
        hi = marks[-1][1] + len(" ".join(after[: _SNIPPET_WORDS])) if len(after) > _SNIPPET_WORDS else len(text)
    else:
        lo, hi = 0, min(len(text), 200)
    pieces, pos = [], lo
    for s, e in marks:
        if s < lo or e > hi:
            continue
        pieces += [text[pos:s], left, text[s:e], right]
        pos = e
    pieces.append(text[pos:hi])
    body = " ".join("".join(pieces).split())
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _docs(conn: Connection, ids: set[str]) -> dict[str, Record]:
    d = t.documents.c
    rows = conn.execute(select(d.id, d.key, d.title, d.outlet, d.url, d.published).where(d.id.in_(ids))) if ids \
        else []
    return {r.id: dict(r._mapping) for r in rows}


def _sqlite(conn: Connection, text: str, limit: int) -> list[tuple]:
    stmt = sql(
        "SELECT s.doc_id, s.idx, s.start, bm25(sentences_fts) AS score, "
        "highlight(sentences_fts, 0, char(2), char(3)) AS marked "
        "FROM sentences_fts JOIN sentences AS s ON s.rowid = sentences_fts.rowid "
        "WHERE sentences_fts MATCH :q ORDER BY score, s.doc_id, s.idx LIMIT :n")
    try:
        rows = conn.execute(stmt, {"q": fts_query(text), "n": limit}).all()
    except DBAPIError as exc:
        reason = str(exc.orig) if exc.orig is not None else str(exc)
        if "no such table" in reason:
            raise SearchError("this store has no search index: open it once with newsgraph to migrate it") from exc
        raise SearchError(f"cannot search for {text!r}: {reason.removeprefix('fts5: ')} "
                          '(plain words need no operators; quote a phrase as "...")') from exc
    return [(r.doc_id, r.idx, r.start, -float(r.score), r.marked) for r in rows]


def _postgres(conn: Connection, text: str, limit: int) -> list[tuple]:
    stmt = sql(
        "SELECT s.doc_id, s.idx, s.start, ts_rank_cd(to_tsvector('english', s.text), q) AS score, "
        "ts_headline('english', s.text, q, 'StartSel=\x02, StopSel=\x03, HighlightAll=true') AS marked "
        "FROM sentences AS s, websearch_to_tsquery('english', :q) AS q "
        "WHERE to_tsvector('english', s.text) @@ q ORDER BY score DESC, s.doc_id, s.idx LIMIT :n")
    try:
        rows = conn.execute(stmt, {"q": text, "n": limit}).all()
    except DBAPIError as exc:
        raise SearchError(f"cannot search for {text!r}: {exc.orig}") from exc
    return [(r.doc_id, r.idx, r.start, float(r.score), r.marked) for r in rows]


def _substring(conn: Connection, text: str, limit: int) -> list[tuple]:
    s = t.sentences.c
    words = text.split()
    stmt = select(s.doc_id, s.idx, s.start, s.text).where(*[s.text.ilike(f"%{w}%") for w in words]).limit(limit)
    out = []
    for r in conn.execute(stmt):
        marked = r.text
        for w in words:
            marked = re.sub(re.escape(w), lambda m: START + m.group(0) + STOP, marked, flags=re.IGNORECASE)
        out.append((r.doc_id, r.idx, r.start, 1.0, marked))
    return out


def search(conn: Connection, text: str, limit: int = 20) -> list[Record]:
    """Sentences matching the text, best first: {"doc": {id, key, title, outlet, url, published}, "sentence",
    "idx", "start", "snippet" (matches in [brackets]), "marks" ([start, end) of each match in the sentence),
    "rank" (higher is better)}. Raises SearchError for an empty or malformed query."""
    if not text or not text.strip():
        raise SearchError("nothing to search for")
    if limit < 1:
        raise SearchError(f"limit must be at least 1, not {limit}")
    dialect = conn.dialect.name
    if dialect == "sqlite":
        rows = _sqlite(conn, text.strip(), limit)
    elif dialect == "postgresql":
        rows = _postgres(conn, text.strip(), limit)
    else:
        rows = _substring(conn, text.strip(), limit)
    docs = _docs(conn, {r[0] for r in rows})
    out = []
    for doc_id, idx, start, rank, marked in rows:
        sentence, marks = _marks(marked)
        out.append({"doc": docs.get(doc_id, {"id": doc_id}), "idx": idx, "start": start, "sentence": sentence,
                    "snippet": snippet(sentence, marks), "marks": marks, "rank": rank})
    return out
