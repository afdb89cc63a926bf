"""Analyst overrides: merge, split and alias change what is stored and how later articles resolve."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from newsgraph.cli import main
from newsgraph.engine import ingest
from newsgraph.model import Mention
from newsgraph.query.actors import find_actors, top_actors
from newsgraph.resolve.actors import text_entity_id
from newsgraph.resolve.overrides import Overrides
from newsgraph.store import schema as t
from newsgraph.store.db import Store
from newsgraph.store.overrides import AmbiguousActor, OverrideError, UnknownActor
from tests.conftest import store_url

SHELLING = """Militia shells border post near Qaim

Monday, May 5, 2025

The Eastern Shield Brigade shelled a border post near Al Qaim on Monday, killing one guard.

Karim Haddad, the commander of the Eastern Shield Brigade, said his fighters would stay in the area.

The Iraqi government condemned the attack and said it would send more troops.

Fuad Hussein met the Syrian ambassador in Baghdad. Hussein urged calm.
"""

CLASH = """Tribal force clashes with army

Thursday, May 8, 2025

Fighters of the Sharqiya Shield Forces clashed with the Iraqi Army near Rawa on Wednesday, residents said.

Abu Karim, who leads the group, told reporters that the Sharqiya Shield Forces would not disarm.

Saddam Hussein was mentioned in a speech. Hussein's portrait hung on the wall.
"""

LATER = """Clashes near Ana

Saturday, May 10, 2025

Fighters of the Sharqiya Shield Forces attacked an army convoy near Ana on Friday, residents said.

Abu Karim said the Iraqi government had broken its promises to the tribes of western Iraq.
"""


def _ingest(store, extractor, tmp_path, **articles: str) -> None:
    """Each article ingested on its own, in order, as NAME.txt."""
    for name, text in articles.items():
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        (folder / f"{name}.txt").write_text(text)
        summary = ingest([str(folder)], store, extractor)
        assert summary.added == 1 and not summary.failed, summary.failed


def _ids(store, text: str, doc: str | None = None) -> set[str]:
    """Entity ids of the mentions with this text, in one document (by key) or all."""
    m, d = t.mentions.c, t.documents.c
    query = select(m.entity_id).join(t.documents, d.id == m.doc_id).where(m.text == text)
    if doc:
        query = query.where(d.key == f"{doc}.txt")
    with store.engine.connect() as conn:
        return set(conn.scalars(query))


def _one(store, name: str) -> str:
    with store.engine.connect() as conn:
        found = find_actors(conn, name)
    assert len(found) == 1, found
    return found[0]["id"]


def _aliases(store, entity_id: str) -> set[str]:
    with store.engine.connect() as conn:
        return set(conn.scalars(select(t.aliases.c.alias).where(t.aliases.c.entity_id == entity_id)))


def _events(store, doc: str) -> list:
    ev, d = t.events.c, t.documents.c
    with store.engine.connect() as conn:
        return conn.execute(select(t.events).join(t.documents, d.id == ev.doc_id).where(d.key == f"{doc}.txt")).all()


def _resolution(store) -> set[tuple[str, str, int, str]]:
    """(document key, mention text, start, actor name) of every mention: how the store resolved them."""
    m, d, e = t.mentions.c, t.documents.c, t.entities.c
    with store.engine.connect() as conn:
        rows = conn.execute(select(d.key, m.text, m.start, e.name).join(t.documents, d.id == m.doc_id)
                            .join(t.entities, e.id == m.entity_id)).all()
    return {tuple(r) for r in rows}


@pytest.fixture()
def stored(store, extractor, tmp_path):
    _ingest(store, extractor, tmp_path, shelling=SHELLING, clash=CLASH)
    return store


def test_merge_moves_mentions_events_and_aliases_and_the_merged_actor_is_gone(stored):
    brigade, forces = _one(stored, "Eastern Shield Brigade"), _one(stored, "Sharqiya Shield Forces")
    theirs = {r.id for r in _events(stored, "clash") if forces in (r.source_entity, r.target_entity)}
    assert brigade != forces and theirs

    done = stored.merge_actors("Eastern Shield Brigade", "Sharqiya Shield Forces")

    assert (done["target"]["id"], done["source"]["id"]) == (brigade, forces)
    assert _ids(stored, "the Sharqiya Shield Forces") == {brigade}
    assert all(brigade in (r.source_entity, r.target_entity) for r in _events(stored, "clash") if r.id in theirs)
    assert not [r for r in _events(stored, "clash") if forces in (r.source_entity, r.target_entity)]
    assert "the Sharqiya Shield Forces" in _aliases(stored, brigade)
    with stored.engine.connect() as conn:
        assert conn.scalar(select(t.entities.c.id).where(t.entities.c.id == forces)) is None
        assert forces not in {r["id"] for r in top_actors(conn, 50)}
        assert [p["id"] for p in find_actors(conn, "Sharqiya Shield Forces")] == [brigade]


def test_a_new_article_naming_the_merged_actor_resolves_to_the_survivor(stored, extractor, tmp_path):
    brigade = _one(stored, "Eastern Shield Brigade")
    stored.merge_actors("Eastern Shield Brigade", "Sharqiya Shield Forces")
    _ingest(stored, extractor, tmp_path, later=LATER)
    assert _ids(stored, "the Sharqiya Shield Forces", "later") == {brigade}
    assert {r.source_entity for r in _events(stored, "later") if r.source_text == "Fighters"} == {brigade}


def test_a_dictionary_actor_survives_a_merge_with_an_actor_found_in_text(stored, extractor, tmp_path):
    done = stored.merge_actors("Sharqiya Shield Forces", "Iraqi Army")
    assert done["target"]["id"] == "IRQ_ARMY"
    _ingest(stored, extractor, tmp_path, later=LATER)
    assert _ids(stored, "the Sharqiya Shield Forces") == {"IRQ_ARMY"}


def test_split_takes_a_dictionary_name_off_its_actor_and_new_articles_keep_it_split(stored, extractor, tmp_path):
    done = stored.split_actor("Iraq", ["Iraqi government"], as_name="Iraqi cabinet", type_="ORG")
    cabinet = done["target"]["id"]
    assert cabinet != "IRQ" and done["moved"]["mentions"] == 1
    assert _ids(stored, "Iraqi government") == {cabinet}
    assert {r.source_entity for r in _events(stored, "shelling") if r.source_text == "The Iraqi government"} == {
        cabinet}
    assert "Iraqi government" not in _aliases(stored, "IRQ")

    _ingest(stored, extractor, tmp_path, later=LATER)  # the dictionary still says IRQ

    assert _ids(stored, "Iraqi government", "later") == {cabinet} and _ids(stored, "Iraq", "later") == {"IRQ"}
    assert "Iraqi government" not in _aliases(stored, "IRQ")
    assert _one(stored, "Iraqi cabinet") == cabinet


def test_split_into_an_existing_actor_moves_the_mentions_and_their_roles(stored):
    fuad, saddam = _one(stored, "Fuad Hussein"), _one(stored, "Saddam Hussein")
    done = stored.split_actor("Fuad Hussein", ["Hussein"], as_name="Saddam Hussein")
    assert done["target"]["id"] == saddam
    assert _ids(stored, "Hussein", "shelling") == {saddam} and _ids(stored, "Fuad Hussein") == {fuad}
    assert {r.source_entity for r in _events(stored, "shelling") if r.source_text == "Hussein"} == {saddam}
    assert "Hussein" not in _aliases(stored, fuad)


def test_alias_moves_mentions_of_that_name_and_new_articles_follow(stored, extractor, tmp_path):
    haddad, abu_karim = _one(stored, "Karim Haddad"), _one(stored, "Abu Karim")
    assert abu_karim != haddad
    done = stored.alias_actor("Karim Haddad", "Abu Karim")
    assert done["moved"]["mentions"] == 1
    assert _ids(stored, "Abu Karim") == {haddad}
    assert "Abu Karim" in _aliases(stored, haddad) and "Abu Karim" not in _aliases(stored, abu_karim)

    _ingest(stored, extractor, tmp_path, later=LATER)

    assert _ids(stored, "Abu Karim", "later") == {haddad}


def test_decisions_exported_and_imported_into_a_fresh_store_shape_its_ingest(stored, extractor, tmp_path):
    stored.merge_actors("Eastern Shield Brigade", "Sharqiya Shield Forces")
    stored.split_actor("Iraq", ["Iraqi government"], as_name="Iraqi cabinet", type_="ORG")
    stored.alias_actor("Karim Haddad", "Abu Karim", note="same commander")
    _ingest(stored, extractor, tmp_path, later=LATER)
    runner = CliRunner()
    for suffix in ("yaml", "json"):
        path = tmp_path / f"decisions.{suffix}"
        out = runner.invoke(main, ["overrides", "--export", str(path), "--db", stored.url])
        assert out.exit_code == 0 and "wrote 3 decisions" in out.output
        fresh_url = store_url(tmp_path, f"fresh_{suffix}")
        out = runner.invoke(main, ["overrides", "--import", str(path), "--db", fresh_url])
        assert out.exit_code == 0 and "imported 3 decisions" in out.output, out.output
        again = runner.invoke(main, ["overrides", "--import", str(path), "--db", fresh_url])
        assert "imported 0 decisions, skipped 3" in again.output

        fresh = Store(fresh_url)
        try:
            _ingest(fresh, extractor, tmp_path, shelling=SHELLING, clash=CLASH, later=LATER)
            assert _resolution(fresh) == _resolution(stored)
            assert fresh.export_overrides()["overrides"][2]["note"] == "same commander"
        finally:
            fresh.close()


def test_importing_decisions_into_a_store_with_articles_applies_them(stored, extractor, tmp_path):
    other = Store(store_url(tmp_path, "other"))
    try:
        _ingest(other, extractor, tmp_path, shelling=SHELLING, clash=CLASH)
        stored.merge_actors("Eastern Shield Brigade", "Sharqiya Shield Forces")
        stored.alias_actor("Karim Haddad", "Abu Karim")
        assert other.import_overrides(stored.export_overrides()) == (2, 0)
        assert _resolution(other) == _resolution(stored)
    finally:
        other.close()


def test_an_ambiguous_name_is_refused_with_the_candidates_ids(stored):
    fuad, saddam = _one(stored, "Fuad Hussein"), _one(stored, "Saddam Hussein")
    result = CliRunner().invoke(main, ["merge", "Karim Haddad", "Hussein", "--db", stored.url])
    assert result.exit_code == 1
    assert "'Hussein' names 2 actors" in result.output and fuad in result.output and saddam in result.output
    with pytest.raises(AmbiguousActor):
        stored.alias_actor("Hussein", "Abu Hussein")
    assert stored.count("actor_overrides") == 0


def test_refused_decisions_change_nothing(stored):
    before = _resolution(stored)
    with pytest.raises(UnknownActor, match="no actor named 'Nobody'"):
        stored.merge_actors("Nobody", "Karim Haddad")
    with pytest.raises(OverrideError, match="same actor"):
        stored.merge_actors("Eastern Shield Brigade", "the Eastern Shield Brigade")
    with pytest.raises(OverrideError, match="nothing to split.*'Rawa'"):
        stored.split_actor("Karim Haddad", ["Karim Haddad", "Rawa"])
    assert _resolution(stored) == before and stored.count("actor_overrides") == 0


def test_a_failure_midway_through_a_merge_leaves_the_store_as_it_was(stored, monkeypatch):
    import newsgraph.store.overrides as decisions

    def boom(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    forces = _one(stored, "Sharqiya Shield Forces")
    before = _resolution(stored)
    monkeypatch.setattr(decisions, "_resignature", boom)
    with pytest.raises(RuntimeError):
        stored.merge_actors("Eastern Shield Brigade", "Sharqiya Shield Forces")
    assert _resolution(stored) == before and _one(stored, "Sharqiya Shield Forces") == forces
    with stored.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(t.actor_overrides)) == 0


def test_a_decision_made_through_another_connection_is_honoured_by_the_next_save(stored, extractor, tmp_path):
    stored.alias_actor("Karim Haddad", "Abu Karim")
    with stored.engine.connect() as conn:
        assert not stored.overrides(conn).rules.get("iraqi government")  # cached before the split below
    analyst = Store(stored.url)
    try:
        cabinet = analyst.split_actor("Iraq", ["Iraqi government"], as_name="Iraqi cabinet")["target"]["id"]
    finally:
        analyst.close()
    _ingest(stored, extractor, tmp_path, later=LATER)
    assert _ids(stored, "Iraqi government", "later") == {cabinet}


def test_a_merged_actors_other_names_go_to_the_survivor_but_never_take_a_dictionary_mention(extractor):
    keep = {"id": "xkeep", "name": "Eastern Shield Brigade", "type": "ORG"}
    drop = {"id": "xdrop", "name": "Sharqiya Shield Forces", "type": "ORG"}
    rules = Overrides.from_records([{"op": "merge", "target": keep, "source": drop,
                                     "aliases": ["Sharqiya Shield Forces", "SSF", "IS"]}])
    ssf = Mention("SSF", 0, 3, "ORG", 0)
    assert rules.resolve(ssf, text_entity_id("SSF", "ORG"), extractor.dictionary)[0] == "xkeep"
    assert rules.resolve(ssf, "xdrop", extractor.dictionary)[0] == "xkeep"
    tagged = Mention("IS", 0, 2, "ORG", 0, actor_id="ISIS", name="Islamic State")
    assert rules.resolve(tagged, "ISIS", extractor.dictionary)[0] == "ISIS"
    person = Mention("SSF", 0, 3, "PERSON", 0)
    assert rules.resolve(person, text_entity_id("SSF", "PERSON"), extractor.dictionary)[0] != "xkeep"


def test_the_commands_print_what_they_did_and_list_the_decisions(stored):
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(main, [*args, "--db", stored.url])
        assert result.exit_code == 0, result.output
        return result.output

    assert "merged Sharqiya Shield Forces" in run("merge", "Eastern Shield Brigade", "Sharqiya Shield Forces")
    names = {r["name"]: r["aliases"] for r in json.loads(run("actors", "--top", "50", "--json"))}
    assert "Sharqiya Shield Forces" not in names and "Sharqiya Shield Forces" in names["Eastern Shield Brigade"]
    assert "moved 1 mentions" in run("split", "Iraq", "--alias", "Iraqi government", "--as", "Iraqi cabinet",
                                     "--type", "ORG")
    assert "Abu Karim is now an alias of Karim Haddad" in run("alias", "Karim Haddad", "Abu Karim", "--note", "n")
    listing = run("overrides").splitlines()
    assert [line.split()[2] for line in listing] == ["merge", "split", "alias"] and listing[2].endswith("(n)")
