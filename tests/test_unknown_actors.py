"""Actors no dictionary knows: an invented militia, its leader and its backer, across two articles."""

from __future__ import annotations

from sqlalchemy import select

from newsgraph.engine import ingest
from newsgraph.query import table_records
from newsgraph.store import schema as t

ARTICLE_1 = """Militia attacks army post in eastern Syria

Monday, June 2, 2025

The Liwa Harith al-Janub (LHJ), an armed group backed by the Tribal Salvation Council, attacked an army \
checkpoint near Deir ez-Zor on Monday, killing two soldiers.

Saif al-Obeidi, the commander of Liwa Harith al-Janub, said LHJ fighters would not withdraw from the area.

Obeidi met leaders of the Tribal Salvation Council in Mayadin on Sunday.
"""

ARTICLE_2 = """Tribal militia clashes with SDF near Raqqa

Saturday, June 7, 2025

Fighters of Liwa Harith al Janub clashed with the Syrian Democratic Forces near Raqqa on Friday, the \
group's commander Saif al-Ubaidi told reporters.

The LHJ has received weapons from the Tribal Salvation Council since April, residents said.
"""


def test_an_unknown_militia_leader_and_backer_are_one_actor_each_across_articles(tmp_path, store, extractor):
    (tmp_path / "a1.txt").write_text(ARTICLE_1)
    (tmp_path / "a2.txt").write_text(ARTICLE_2)
    summary = ingest([str(tmp_path)], store, extractor)
    assert summary.added == 2 and not summary.failed
    with store.engine.connect() as conn:
        entities = list(table_records(conn, "entities"))
        relations = list(table_records(conn, "relations"))
        doc_ids = set(conn.scalars(select(t.documents.c.id)))

    def actor(*names: str) -> dict:
        hits = [e for e in entities if set(names) & set(e["aliases"] + [e["name"]])]
        assert len(hits) == 1, (names, [(e["name"], e["aliases"]) for e in hits])
        return hits[0]

    militia = actor("Liwa Harith al-Janub", "Liwa Harith al Janub", "LHJ")
    leader = actor("Saif al-Obeidi", "Saif al-Ubaidi", "Obeidi")
    backer = actor("Tribal Salvation Council")
    for entity in (militia, leader, backer):
        assert set(entity["docs"]) == doc_ids, entity["name"]
    assert {"LHJ", "Liwa Harith al Janub"} <= set(militia["aliases"]) | {militia["name"]}
    assert {"Saif al-Ubaidi", "Obeidi"} <= set(leader["aliases"]) | {leader["name"]}
    found = {(r["subject"]["entity"], r["relation"], r["object"]["entity"]) for r in relations}
    assert (leader["id"], "leader_of", militia["id"]) in found
    assert (militia["id"], "backed_by", backer["id"]) in found
