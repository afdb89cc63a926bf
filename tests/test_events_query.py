"""Events as analysts query them (newsgraph events) and reports that disagree (newsgraph conflicts).

Real spaCy extraction of short articles written for these tests, stored in a real SQLite file.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from newsgraph.model import Document
from newsgraph.query import tables
from newsgraph.query.events import EventQueryError, conflicts, date_range, find_events
from newsgraph.store.db import content_hash

TAL_AFAR_16 = "Islamic State fighters attacked the Iraqi Army in Tal Afar on 16 October 2016, officials said."
TAL_AFAR_17 = "Islamic State fighters attacked the Iraqi Army in Tal Afar on 17 October 2016, a spokesman said."
MOSUL_16 = "Islamic State fighters attacked the Iraqi Army in Mosul on 16 October 2016."
HEDGED = "The Popular Mobilization Units reportedly attacked Islamic State in Al Qaim on 12 October 2016."
NEGATED = "The PMU did not attack Islamic State in Mosul on 14 October 2016."
MEETING = ("Iraqi Prime Minister Haider al-Abadi met with Turkish President Recep Tayyip Erdogan in Ankara "
           "on 18 October 2016.")
MONTH = "Hashd al-Shaabi fighters attacked Islamic State near Fallujah in October 2016."


def _add(store, extractor, key: str, *sentences: str, published: str = "2016-10-20", outlet: str | None = None,
         url: str | None = None) -> None:
    text = " ".join(sentences) + "\n"
    doc = Document(key=key, source=key, text=text, title=f"Report {key}", outlet=outlet, url=url,
                   published=published, published_from="user", sha256=content_hash(text))
    assert store.save(extractor.extract(doc), extractor.dictionary) == "added"


@pytest.fixture()
def conn(store):
    with store.engine.connect() as c:
        yield c


@pytest.fixture()
def reports(store, extractor):
    """Three articles: one attack dated 16 October by two of them (Tal Afar, Mosul) and 17 October by one."""
    _add(store, extractor, "a.txt", TAL_AFAR_16, HEDGED, NEGATED, outlet="Baghdad Post", url="https://example.org/a")
    _add(store, extractor, "b.txt", TAL_AFAR_17, MEETING, outlet="Nineveh News")
    _add(store, extractor, "c.txt", MOSUL_16, MONTH)
    return store


def _sentences(records) -> list[str]:
    return [" ".join(r["sentence"].split()) for r in records]


# ---------------------------------------------------------------- find_events


def test_an_event_reported_by_two_articles_is_listed_once_with_every_mention_and_its_source(reports, conn):
    found = [e for e in find_events(conn, actor="Islamic State") if e["date"] == "2016-10-16"]
    assert len(found) == 1
    event = found[0]
    assert event["type"] == "ASSAULT" and event["documents"] == 2
    assert event["source"]["name"] == "Islamic State" and event["target"]["name"] == "Iraqi Army"
    assert event["doc"] == {"id": event["doc"]["id"], "key": "a.txt", "title": "Report a.txt",
                            "outlet": "Baghdad Post", "url": "https://example.org/a", "published": "2016-10-20"}
    assert [m["doc"]["key"] for m in event["mentions"]] == ["a.txt", "c.txt"]
    assert _sentences(event["mentions"]) == [TAL_AFAR_16, MOSUL_16]
    assert event["mentions"][1]["location"]["name"] == "Mosul"


def test_events_come_out_oldest_first_a_month_before_the_days_inside_it(reports, conn):
    dates = [e["date"] for e in find_events(conn)]
    assert dates == ["2016-10", "2016-10-16", "2016-10-17", "2016-10-18"]


def test_limit_keeps_the_oldest_events(reports, conn):
    assert [e["date"] for e in find_events(conn, limit=2)] == ["2016-10", "2016-10-16"]
    with pytest.raises(EventQueryError, match="at least 1"):
        find_events(conn, limit=0)


def test_an_actor_is_found_by_any_alias_or_its_id_as_source_or_target(reports, conn):
    by_alias = {e["id"] for e in find_events(conn, actor="pmu")}
    assert _sentences(find_events(conn, actor="Hashd al-Shaabi")) == [MONTH]
    assert by_alias == {e["id"] for e in find_events(conn, actor="Popular Mobilisation Units")}
    as_target = find_events(conn, actor="Iraqi Army")
    assert {e["target"]["name"] for e in as_target} == {"Iraqi Army"} and len(as_target) == 2
    actor_id = as_target[0]["target"]["entity"]
    assert {e["id"] for e in find_events(conn, actor=actor_id)} == {e["id"] for e in as_target}
    assert _sentences(find_events(conn, actor="Erdogan")) == [MEETING]


def test_negated_and_hedged_events_are_left_out_unless_asked_for(reports, conn):
    default = _sentences(find_events(conn, actor="PMU"))
    assert HEDGED not in default and NEGATED not in default
    assert HEDGED in _sentences(find_events(conn, actor="PMU", include_hedged=True))
    negated = [e for e in find_events(conn, actor="PMU", include_negated=True) if e["negated"]]
    assert _sentences(negated) == [NEGATED]


def test_type_is_read_in_any_case_and_an_unknown_type_lists_the_plover_types(reports, conn):
    assert _sentences(find_events(conn, type="consult")) == [MEETING]
    assert {e["type"] for e in find_events(conn, type="Assault")} == {"ASSAULT"}
    with pytest.raises(EventQueryError, match="unknown event type 'attack'.*ASSAULT.*CONSULT") as err:
        find_events(conn, type="attack")
    assert err.value.option == "type"


def test_an_unknown_actor_is_an_error_not_an_empty_answer(reports, conn):
    with pytest.raises(EventQueryError, match="no actor named 'Jaish al-Nowhere'"):
        find_events(conn, actor="Jaish al-Nowhere")


def test_date_filters_take_years_months_and_days_and_overlap_coarser_dates(reports, conn):
    assert [e["date"] for e in find_events(conn, date_from="2016-10-17")] == ["2016-10", "2016-10-17", "2016-10-18"]
    assert [e["date"] for e in find_events(conn, date_to="2016-10-16")] == ["2016-10", "2016-10-16"]
    assert len(find_events(conn, date_from="2016", date_to="2016")) == 4
    assert find_events(conn, date_from="2016-11") == []
    assert [e["date"] for e in find_events(conn, date_from="2016-10-17", date_to="2016-10-17")] == \
        ["2016-10", "2016-10-17"]


@pytest.mark.parametrize("bad", ["2016-13", "16/10/2016", "October", "2016-02-30", "2016-W42"])
def test_a_date_filter_that_is_not_a_date_is_refused(reports, conn, bad):
    with pytest.raises(EventQueryError, match="is not a date: use YYYY, YYYY-MM or YYYY-MM-DD"):
        find_events(conn, date_from=bad)


def test_a_range_that_ends_before_it_starts_is_refused(reports, conn):
    with pytest.raises(EventQueryError, match="after"):
        find_events(conn, date_from="2016-11", date_to="2016-10")


def test_place_matches_names_without_accents_other_spellings_countries_and_provinces(reports, conn):
    assert _sentences(find_events(conn, place="al qaim", include_hedged=True)) == [HEDGED]  # stored 'Al Qā’im'
    assert _sentences(find_events(conn, place="Ankara")) == [MEETING]
    assert _sentences(find_events(conn, place="TR")) == [MEETING]
    assert _sentences(find_events(conn, place="Turkey")) == [MEETING]  # a country named nowhere in the text
    in_iraq = find_events(conn, place="Iraq")
    assert len(in_iraq) == 3 and MEETING not in _sentences(in_iraq)
    assert _sentences(find_events(conn, place="Nineveh")) == [TAL_AFAR_16, TAL_AFAR_17]  # the province
    assert find_events(conn, place="Basra") == []


def test_find_events_and_export_agree_on_every_event(reports, conn):
    exported = {e["id"]: e for e in tables.events(conn)}
    queried = find_events(conn, include_hedged=True, include_negated=True)
    assert {e["id"] for e in queried} == set(exported)
    for e in queried:
        x = exported[e["id"]]
        assert (e["sentence"], e["date"], e["doc"]["id"]) == (x["sentence"], x["date"], x["doc"])
        assert [(m["doc"]["id"], m["start"]) for m in e["mentions"][1:]] == [(m["doc"], m["start"]) for m in
                                                                              x["mentions"]]


def test_date_range_spans_every_stored_precision():
    assert date_range("2016-10-16") == (date_range("2016-10-16")[0],) * 2
    assert [str(d) for d in date_range("2016-02")] == ["2016-02-01", "2016-02-29"]
    assert [str(d) for d in date_range("2024-W52")] == ["2024-12-23", "2024-12-29"]
    assert [str(d) for d in date_range("2013-Q1")] == ["2013-01-01", "2013-03-31"]
    assert [str(d) for d in date_range("2014-SU")] == ["2014-06-01", "2014-08-31"]
    assert [str(d) for d in date_range("201")] == ["2010-01-01", "2019-12-31"]
    assert date_range(None) is None and date_range("soon") is None


# ---------------------------------------------------------------- conflicts


def test_two_articles_dating_one_attack_a_day_apart_are_a_date_conflict_with_both_sources(reports, conn):
    dated = [c for c in conflicts(conn) if c["disagree"] == ["date"]]
    assert len(dated) == 1
    c = dated[0]
    assert c["scope"] == "events" and c["type"] == "ASSAULT"
    assert [(v["date"], v["date_text"], v["doc"]["key"]) for v in c["versions"]] == [
        ("2016-10-16", "16 October 2016", "a.txt"), ("2016-10-17", "17 October 2016", "b.txt")]
    assert _sentences(c["versions"]) == [TAL_AFAR_16, TAL_AFAR_17]
    assert c["versions"][1]["doc"]["outlet"] == "Nineveh News"


def test_mentions_of_one_event_placing_it_in_two_towns_are_a_place_conflict(reports, conn):
    placed = [c for c in conflicts(conn) if c["scope"] == "mentions"]
    assert len(placed) == 1 and placed[0]["disagree"] == ["place"]
    assert [(v["location"]["name"], v["doc"]["key"]) for v in placed[0]["versions"]] == [
        ("Tal Afar", "a.txt"), ("Mosul", "c.txt")]


def test_reports_further_apart_than_max_days_are_different_events(store, extractor, conn):
    _add(store, extractor, "a.txt", TAL_AFAR_16)
    _add(store, extractor, "b.txt", TAL_AFAR_17.replace("17 October", "30 October"), published="2016-11-01")
    assert conflicts(conn) == []
    assert [c["disagree"] for c in conflicts(conn, max_days=14)] == [["date"]]
    with pytest.raises(EventQueryError, match="days"):
        conflicts(conn, max_days=-1)


def test_agreeing_reports_a_town_inside_the_country_and_a_month_holding_the_day_are_no_conflict(
        store, extractor, conn):
    _add(store, extractor, "a.txt", TAL_AFAR_16)
    _add(store, extractor, "b.txt", TAL_AFAR_16.replace("officials said", "the ministry said"))
    _add(store, extractor, "c.txt", "Islamic State fighters attacked the Iraqi Army in Iraq on 16 October 2016.")
    _add(store, extractor, "d.txt", "Islamic State fighters attacked the Iraqi Army in Tal Afar in October 2016.")
    assert conflicts(conn) == []


def test_different_targets_on_different_days_are_different_events(store, extractor, conn):
    _add(store, extractor, "a.txt", TAL_AFAR_16)
    _add(store, extractor, "b.txt", "Islamic State fighters attacked Kurdish Peshmerga forces in Tal Afar on "
                                    "17 October 2016.")
    assert len(find_events(conn)) == 2
    assert conflicts(conn) == []


def test_a_denial_is_not_a_version_of_the_event(store, extractor, conn):
    _add(store, extractor, "a.txt", TAL_AFAR_16)
    _add(store, extractor, "b.txt", "Islamic State fighters did not attack the Iraqi Army in Tal Afar on "
                                    "17 October 2016.")
    assert [e["negated"] for e in find_events(conn, include_negated=True)] == [False, True]
    assert conflicts(conn) == []


def test_a_publication_date_cannot_contradict_a_stated_date(store, extractor, conn):
    _add(store, extractor, "a.txt", TAL_AFAR_16)
    _add(store, extractor, "b.txt", "Islamic State fighters attacked the Iraqi Army in Tal Afar, officials said.",
         published="2016-10-17")
    undated = [e for e in find_events(conn) if e["doc"]["key"] == "b.txt"]
    assert [(e["date"], e["date_text"]) for e in undated] == [("2016-10-17", None)]
    assert conflicts(conn) == []


def test_a_meeting_reported_either_way_round_on_two_days_is_a_date_conflict(store, extractor, conn):
    _add(store, extractor, "a.txt", MEETING)
    _add(store, extractor, "b.txt", "Turkish President Recep Tayyip Erdogan met with Iraqi Prime Minister Haider "
                                    "al-Abadi in Ankara on 19 October 2016.")
    found = conflicts(conn)
    assert [(c["type"], c["disagree"]) for c in found] == [("CONSULT", ["date"])]
    assert [v["date"] for v in found[0]["versions"]] == ["2016-10-18", "2016-10-19"]


def test_one_shared_actor_and_one_city_do_not_make_two_strikes_one_event(store, extractor, conn):
    _add(store, extractor, "a.txt", "Russian jets bombed a hospital in Aleppo on 14 July 2016, activists said.")
    _add(store, extractor, "b.txt", "Russian air strikes killed nine civilians in a market in Aleppo on 16 July 2016.")
    assert [e["source"]["name"] for e in find_events(conn)] == ["Russia", "Russia"]
    assert conflicts(conn) == []


def test_one_story_whose_weekday_two_outlets_read_a_week_apart_is_one_date_conflict(store, extractor, conn):
    story = "Russian air strikes killed at least 14 civilians near the town of Al Mayadeen on Friday, {} said."
    _add(store, extractor, "a.txt", story.format("a monitoring group"), published="2016-10-07")
    _add(store, extractor, "b.txt", story.format("the monitoring group"), published="2016-10-15")
    found = conflicts(conn)
    assert len(found) == 1 and found[0]["disagree"] == ["date"]
    assert [(v["date"], v["date_text"], v["doc"]["key"]) for v in found[0]["versions"]] == [
        ("2016-10-07", "Friday", "a.txt"), ("2016-10-14", "Friday", "b.txt")]


def test_a_shared_country_is_no_sign_of_one_event(store, extractor, conn):
    _add(store, extractor, "a.txt", "Russian air strikes killed nine civilians in Syria on 14 July 2016.")
    _add(store, extractor, "b.txt", "Russian air strikes killed twelve civilians in Syria on 16 July 2016.")
    assert [e["location"]["name"] for e in find_events(conn)] == ["Syria", "Syria"]
    assert conflicts(conn) == []


def test_two_reports_of_when_an_offensive_began_at_one_town_are_a_date_conflict(store, extractor, conn):
    _add(store, extractor, "o1.txt", "Operations to retake Fallujah began on May 22, a commander said.",
         published="2016-06-01")
    _add(store, extractor, "o2.txt", "Iraqi forces launched an offensive on Fallujah on May 23 to retake the city.",
         published="2016-06-02")
    found = conflicts(conn)
    assert [c["disagree"] for c in found] == [["date"]]
    assert sorted(v["date"] for v in found[0]["versions"]) == ["2016-05-22", "2016-05-23"]


def test_onsets_at_different_towns_are_no_conflict(store, extractor, conn):
    _add(store, extractor, "o3.txt", "Operations to retake Fallujah began on May 22, a commander said.",
         published="2016-06-01")
    _add(store, extractor, "o4.txt", "Iraqi forces launched an offensive on Mosul on May 23.", published="2016-06-02")
    assert conflicts(conn) == []


def test_a_town_in_a_province_named_like_its_capital_is_no_place_conflict(store, extractor, conn):
    attack = "Syrian government forces attacked Jabhat al-Nusra in {} on 1 August 2016."
    _add(store, extractor, "a.txt", attack.format("Saraqib"))
    _add(store, extractor, "b.txt", attack.format("rural Idlib"))
    (event,) = find_events(conn)
    assert [m["location"]["name"] for m in event["mentions"]] == ["Saraqib", "Idlib"]
    assert conflicts(conn) == []


def test_a_state_and_its_own_government_are_not_different_actors(store, extractor, conn):
    _add(store, extractor, "a.txt", "Syrian President Bashar al-Assad met with Russian President Vladimir Putin in "
                                    "Moscow on 20 October 2015.")
    _add(store, extractor, "b.txt", "The Syrian government met with Russian President Vladimir Putin in Moscow on "
                                    "20 October 2015.")
    assert len(find_events(conn, actor="Putin")) == 2
    assert conflicts(conn) == []


def test_two_groups_credited_with_one_attack_on_one_day_and_place_are_an_actor_conflict(store, extractor, conn):
    _add(store, extractor, "a.txt", "Kataib Hezbollah fighters attacked the Iraqi Army in Baghdad on 5 October 2016.")
    _add(store, extractor, "b.txt", "Asaib Ahl al-Haq fighters attacked the Iraqi Army in Baghdad on 5 October 2016.")
    found = conflicts(conn)
    assert [c["disagree"] for c in found] == [["actors"]]
    assert {v["source"]["name"] for v in found[0]["versions"]} == {"Kataib Hezbollah", "Asaib Ahl al-Haq"}


# ---------------------------------------------------------------- the command line


@pytest.fixture()
def db(reports):
    return reports.url


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_events_and_conflicts_commands_have_help_with_db():
    for command in ("events", "conflicts"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "--db" in result.output


def test_events_command_prints_date_type_actors_place_flags_evidence_and_source(db):
    result = run("events", "--actor", "PMU", "--include-hedged", "--db", db)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0].startswith("2016-10  ") and "ASSAULT" in lines[0]
    assert "Popular Mobilization Units" in lines[0] and "-> Islamic State" in lines[0] and "@ Fallujah, IQ" in lines[0]
    hedged = next(i for i, line in enumerate(lines) if line.startswith("2016-10-12"))
    assert "[hedged]" in lines[hedged] and "Al Qā’im" in lines[hedged]
    assert HEDGED in lines[hedged + 1]
    assert lines[hedged + 2].strip() == "— a.txt · Baghdad Post · published 2016-10-20"
    assert lines[-1] == "2 events"
    meeting = run("events", "--type", "CONSULT", "--db", db).output
    assert "CONSULT(meet)" in meeting and "Recep Tayyip Erdogan" in meeting


def test_events_command_json_is_the_query_records(db, conn):
    result = run("events", "--place", "Tal Afar", "--json", "--db", db)
    assert json.loads(result.output) == json.loads(json.dumps(find_events(conn, place="Tal Afar")))


@pytest.mark.parametrize(("args", "message"), [
    (["--type", "bombing"], "Invalid value for '--type': unknown event type 'bombing'; PLOVER types: ACCUSE"),
    (["--from", "2016-31-12"], "Invalid value for '--from': '2016-31-12' is not a date"),
    (["--to", "last week"], "Invalid value for '--to': 'last week' is not a date"),
    (["--actor", "Nobody Known"], "Invalid value for '--actor': no actor named 'Nobody Known' in the store"),
    (["--limit", "0"], "Invalid value for '--limit'"),
])
def test_events_command_refuses_bad_values_with_a_specific_message(db, args, message):
    result = CliRunner().invoke(main, ["events", *args, "--db", db])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_conflicts_command_prints_each_version_with_its_source(db):
    result = run("conflicts", "--db", db)
    assert result.exit_code == 0
    text = result.output
    assert "sources disagree on date" in text and "sources disagree on place" in text
    assert ' 2016-10-16 "16 October 2016"  @ Tal Afar, IQ' in text
    assert ' 2016-10-17 "17 October 2016"  @ Tal Afar, IQ' in text
    assert "— b.txt · Nineveh News · published 2016-10-20" in text
    assert TAL_AFAR_17 in text
    assert text.splitlines()[-1] == "2 conflicts"
    assert len(json.loads(run("conflicts", "--json", "--db", db).output)) == 2
    bad = CliRunner().invoke(main, ["conflicts", "--days", "-3", "--db", db])
    assert bad.exit_code == 2 and "Invalid value for '--days'" in bad.output
