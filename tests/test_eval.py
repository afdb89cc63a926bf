"""Tests for the gold/1 scorer behind `newsgraph eval`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsgraph.eval import contains_words, format_report, load_tables, norm, report_to_dict, score

GOLD_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "gold"

ENTITIES = {
    "SYRIA_GOV": {"type": "ORG", "name": "Syrian government", "aliases": ["Syrian regime", "Damascus"]},
    "IRAQ": {"type": "GPE", "name": "Iraq", "aliases": ["Iraqi officials", "Baghdad"]},
    "PMU": {"type": "ORG", "name": "Popular Mobilization Units", "aliases": ["PMU", "Hashd al-Sha'abi"]},
    "IRAN": {"type": "GPE", "name": "Iran", "aliases": ["Tehran"]},
    "ISIS": {"type": "ORG", "name": "Islamic State", "aliases": ["ISIS", "Daesh"]},
}
S1 = "A Syrian delegation met Iraqi officials in Baghdad last Friday."
S2 = "PMU fighters attacked ISIS positions near Mosul on Tuesday."


def actor(name: str | None, text: str | None = None) -> dict:
    return {"entity": None, "name": name, "text": text or name}


def event(
    doc: str = "d1",
    type_: str = "CONSULT",
    src: str | None = "Syrian regime",
    tgt: str | None = "Iraq",
    sentence: str = S1,
    **kw,
) -> dict:
    return {
        "doc": doc,
        "type": type_,
        "source": actor(src) if src else None,
        "target": actor(tgt) if tgt else None,
        "sentence": sentence,
        **kw,
    }


def gold_doc(**kw) -> dict:
    base = {"doc": "000_a.txt", "entities": [], "events": [], "timex": [], "places": [], "relations": []}
    return {**base, **kw}


def gold(*docs: dict) -> dict:
    return {"format": "gold/1", "entities": ENTITIES, "documents": list(docs)}


def tables(**kw) -> dict:
    base = {t: [] for t in ("documents", "entities", "events", "timex", "places", "relations")}
    base["documents"] = [{"id": "d1", "key": "seeds/000_a.txt"}]
    return {**base, **kw}


CONSULT = {
    "types": ["CONSULT"],
    "source": ["SYRIA_GOV"],
    "target": ["IRAQ"],
    "evidence": ["Syrian delegation met"],
}
ASSAULT = {
    "types": ["ASSAULT"],
    "source": ["PMU"],
    "target": ["ISIS"],
    "evidence": ["attacked ISIS positions"],
}


# --- normalisation ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Bashar al-Assad", "bashar al assad"),
        ("Bāshar  AL-Assád", "bashar al assad"),
        ("The Syrian regime", "syrian regime"),
        ("an Iraqi delegation", "iraqi delegation"),
        ("A Syrian", "syrian"),
        ("Syria’s army", "syria army"),
        ("Syria's army", "syria army"),
        ("U.S.", "us"),
        ("“Hashd al-Sha’abi”", "hashd al shaabi"),
        ("Aleppo, Syria!", "aleppo syria"),
        ("chemical weapons.When Saudi", "chemical weapons when saudi"),
        ("12.5 km", "12 5 km"),
        ("theatre", "theatre"),
    ],
)
def test_norm(raw: str, want: str) -> None:
    assert norm(raw) == want


def test_contains_words_is_word_wise() -> None:
    assert contains_words("Meanwhile, a Syrian delegation met Iraqi officials.", "A Syrian delegation met")
    assert not contains_words("Syrians met", "Syrian")
    assert not contains_words("anything", "")


# --- documents ---------------------------------------------------------------------------------------------


def test_document_matching_forms() -> None:
    docs = [gold_doc(doc="000_a.txt"), gold_doc(doc="fakes:123"), gold_doc(doc="x/b.txt"), gold_doc(doc="zz")]
    exported = [
        {"id": "d1", "key": "seeds/000_a.txt"},
        {"id": "d2", "key": "123"},
        {"id": "d3", "key": "root/x/b.txt"},
    ]
    rep = score(gold(*docs), tables(documents=exported))
    assert (rep.documents.num, rep.documents.den) == (3, 4)
    assert any(m.startswith("document not found  zz") for m in rep.misses)


def test_fakes_doc_matches_id_key() -> None:
    g = gold(gold_doc(doc="fakes:1923102898", events=[CONSULT]))
    t = tables(documents=[{"id": "h1", "key": "1923102898"}], events=[event(doc="h1")])
    rep = score(g, t)
    assert rep.event_recall.num == 1


# --- events ------------------------------------------------------------------------------------------------


def test_event_match_recall_precision() -> None:
    g = gold(gold_doc(events=[CONSULT, ASSAULT]))
    t = tables(events=[event(), event(type_="ASSAULT", src="PMU", tgt="Daesh", sentence=S2)])
    rep = score(g, t)
    assert (rep.event_recall.num, rep.event_recall.den) == (2, 2)
    assert (rep.event_precision.num, rep.event_precision.den) == (2, 2)


def test_swap_allowed_for_consult_not_assault() -> None:
    g = gold(gold_doc(events=[CONSULT, ASSAULT]))
    t = tables(
        events=[
            event(src="Baghdad", tgt="Damascus"),
            event(type_="ASSAULT", src="ISIS", tgt="PMU", sentence=S2),
        ]
    )
    rep = score(g, t)
    assert rep.event_recall.num == 1
    assert any(m.startswith("event miss  000_a.txt  ASSAULT") for m in rep.misses)
    assert any(m.startswith("false event  000_a.txt  ASSAULT") for m in rep.misses)


def test_negated_must_agree() -> None:
    neg = {**CONSULT, "negated": True}
    rep = score(gold(gold_doc(events=[neg])), tables(events=[event()]))
    assert rep.event_recall.num == 0
    rep = score(gold(gold_doc(events=[neg])), tables(events=[event(negated=True)]))
    assert rep.event_recall.num == 1
    rep = score(gold(gold_doc(events=[CONSULT])), tables(events=[event(negated=True)]))
    assert rep.event_recall.num == 0


def test_null_in_list_means_any_and_null_means_unscored() -> None:
    any_src = {**ASSAULT, "source": ["PMU", None], "target": None}
    rep = score(gold(gold_doc(events=[any_src])), tables(events=[event("d1", "ASSAULT", None, None, S2)]))
    assert rep.event_recall.num == 1


def test_duplicates_reported_and_count_for_precision() -> None:
    g = gold(gold_doc(events=[CONSULT]))
    t = tables(events=[event(), event(src="Damascus")])
    rep = score(g, t)
    assert (rep.duplicates.num, rep.duplicates.den) == (1, 2)
    assert (rep.event_precision.num, rep.event_precision.den) == (2, 2)
    assert sum(m.startswith("duplicate") for m in rep.misses) == 1


def test_matching_prefers_non_optional_and_maximises() -> None:
    wide = {**CONSULT, "evidence": ["Syrian delegation met", "Iraqi officials in Baghdad"], "optional": True}
    g = gold(gold_doc(events=[wide, CONSULT]))
    rep = score(g, tables(events=[event()]))
    assert rep.event_recall.num == 1 and rep.event_recall.den == 1


def test_event_via_mention_in_other_document() -> None:
    g = gold(gold_doc(events=[CONSULT]))
    t = tables(
        documents=[{"id": "d1", "key": "000_a.txt"}, {"id": "d9", "key": "other.txt"}],
        events=[event(doc="d9", sentence="unrelated", mentions=[{"doc": "d1", "sentence": S1}])],
    )
    rep = score(g, t)
    assert rep.event_recall.num == 1
    assert rep.event_precision.den == 0  # its main document is not a gold document


def test_event_date_coarser_is_wrong() -> None:
    g = gold(gold_doc(events=[{**CONSULT, "date": "2016-12-09"}, {**ASSAULT, "date": "2016-12"}]))
    t = tables(events=[event(date="2016-12"), event("d1", "ASSAULT", "PMU", "ISIS", S2, date="2016-12-13")])
    rep = score(g, t)
    assert (rep.event_date.num, rep.event_date.den) == (1, 2)
    assert any("date wrong" in m and "got 2016-12 want 2016-12-09" in m for m in rep.misses)


def test_event_location_radius_and_country() -> None:
    places = [
        {"text": "Mosul", "country": "IQ", "lat": 36.34, "lon": 43.13, "radius_km": 40},
        {"text": "Iraq", "country": "IQ"},
    ]
    g = gold(
        gold_doc(places=places, events=[{**CONSULT, "location": "Iraq"}, {**ASSAULT, "location": "mosul"}])
    )
    near = {"text": "Mosul", "country": "IQ", "lat": 36.5, "lon": 43.2}
    far = {"text": "Mosul", "country": "IQ", "lat": 33.3, "lon": 44.4}
    ok = tables(
        events=[event(location={"country": "iq"}), event("d1", "ASSAULT", "PMU", "ISIS", S2, location=near)]
    )
    assert score(g, ok).event_location.num == 2
    bad = tables(events=[event(location=None), event("d1", "ASSAULT", "PMU", "ISIS", S2, location=far)])
    rep = score(g, bad)
    assert (rep.event_location.num, rep.event_location.den) == (0, 2)


# --- timex, places, relations ---


def test_timex_overlap_and_value() -> None:
    g = gold(
        gold_doc(
            timex=[
                {"text": "last Friday", "value": "2016-12-09"},
                {"text": "on Tuesday", "value": "2016-12-13"},
            ]
        )
    )
    t = tables(
        timex=[
            {"doc": "d1", "text": "Friday", "value": "2016-12-09"},
            {"doc": "d1", "text": "Tuesday", "value": "2016-12-06"},
        ]
    )
    rep = score(g, t)
    assert (rep.timex.num, rep.timex.den) == (1, 2)
    assert any(
        'timex miss  000_a.txt  "on Tuesday" want 2016-12-13 got' in m and "2016-12-06" in m
        for m in rep.misses
    )


def test_places_radius_country_and_gwn_span() -> None:
    g = gold(
        gold_doc(
            places=[
                {"text": "Mosul", "country": "IQ", "lat": 36.34, "lon": 43.13, "radius_km": 40},
                {"text": "Syria", "country": "SY"},
                {
                    "text": "Paris",
                    "country": None,
                    "lat": 33.66,
                    "lon": -95.56,
                    "radius_km": 161,
                    "start": 50,
                    "end": 55,
                },
            ]
        )
    )
    t = tables(
        places=[
            {"doc": "d1", "text": "Mosul", "country": "IQ", "lat": 36.3, "lon": 43.1},
            {"doc": "d1", "text": "Syria", "country": "SY", "lat": 35.0, "lon": 38.0},
            {
                "doc": "d1",
                "text": "Paris",
                "country": "FR",
                "lat": 48.85,
                "lon": 2.35,
                "start": 50,
                "end": 55,
            },
            {
                "doc": "d1",
                "text": "Paris",
                "country": "US",
                "lat": 33.66,
                "lon": -95.55,
                "start": 900,
                "end": 905,
            },
        ]
    )
    rep = score(g, t)
    assert (rep.places.num, rep.places.den) == (2, 3)
    assert any(m.startswith('place miss  000_a.txt  "Paris"') for m in rep.misses)


def test_relations_recall_precision() -> None:
    rels = [
        {"subject": "PMU", "relation": "backed_by", "object": "IRAN", "evidence": "loyal to Tehran"},
        {"subject": "IRAQ", "relation": "allied_with", "object": "IRAN", "evidence": "x", "optional": True},
    ]
    t = tables(
        relations=[
            {
                "doc": "d1",
                "subject": actor("Hashd al-Sha’abi"),
                "relation": "backed_by",
                "object": actor("Tehran"),
            },
            {"doc": "d1", "subject": actor("Baghdad"), "relation": "allied_with", "object": actor("Iran")},
            {"doc": "d1", "subject": actor("PMU"), "relation": "leader_of", "object": actor("Iran")},
        ]
    )
    rep = score(gold(gold_doc(relations=rels)), t)
    assert (rep.relation_recall.num, rep.relation_recall.den) == (1, 1)
    assert (rep.relation_precision.num, rep.relation_precision.den) == (2, 3)


# --- entities ---


def two_docs() -> dict:
    return gold(gold_doc(doc="a.txt", entities=["PMU", "IRAN"]), gold_doc(doc="b.txt", entities=["PMU"]))


DOCS2 = [{"id": "A", "key": "a.txt"}, {"id": "B", "key": "b.txt"}]


def test_entity_recall_and_consistency() -> None:
    ents = [
        {"id": "e1", "name": "Popular Mobilization Units", "aliases": ["PMU"], "docs": ["A", "B"]},
        {"id": "e2", "name": "Iran", "aliases": [], "docs": ["A"]},
    ]
    rep = score(two_docs(), tables(documents=DOCS2, entities=ents))
    assert (rep.entity_recall.num, rep.entity_recall.den) == (3, 3)
    assert (rep.entity_consistency.num, rep.entity_consistency.den) == (1, 1)


def test_entity_split_detected() -> None:
    ents = [
        {"id": "e1", "name": "PMU", "aliases": [], "docs": ["A"]},
        {"id": "e3", "name": "Hashd al-Shaabi", "aliases": ["Popular Mobilisation"], "docs": ["B"]},
    ]
    rep = score(two_docs(), tables(documents=DOCS2, entities=ents))
    assert (rep.entity_recall.num, rep.entity_recall.den) == (2, 3)
    assert (rep.entity_consistency.num, rep.entity_consistency.den) == (0, 1)
    assert any(m.startswith("inconsistent entity PMU split across 2") for m in rep.misses)
    assert any(m.startswith("entity miss  a.txt  IRAN") for m in rep.misses)


# --- report ----------------------------------------------------------------------------------------------


def test_zero_denominators_are_na() -> None:
    rep = score(gold(gold_doc()), tables())
    assert rep.event_recall.value is None and rep.event_precision.value is None
    text = format_report(rep)
    assert "event recall" in text and "n/a" in text and "0/0" in text
    d = report_to_dict(rep)
    assert d["metrics"]["event_recall"] == {"label": "event recall", "value": None, "num": 0, "den": 0}
    assert d["metrics"]["documents"]["value"] == 1.0
    json.dumps(d)


def test_load_tables(tmp_path: Path) -> None:
    (tmp_path / "events.jsonl").write_text(json.dumps(event()) + "\n\n" + json.dumps(event()) + "\n")
    t = load_tables(tmp_path)
    assert len(t["events"]) == 2 and t["documents"] == [] and set(t) >= {"timex", "places", "relations"}


@pytest.mark.skipif(not GOLD_DIR.is_dir(), reason="shared gold data not available")
@pytest.mark.parametrize(
    "name", ["seeds.gold.json", "fakes-dev.gold.json", "plover-gsr-dev.json", "gwn-dev.json"]
)
def test_real_gold_files_score_empty_tables(name: str) -> None:
    path = GOLD_DIR / name
    if not path.is_file():
        pytest.skip(f"{name} missing")
    g = json.loads(path.read_text(encoding="utf-8"))
    rep = score(g, {t: [] for t in ("documents", "entities", "events", "timex", "places", "relations")})
    assert rep.documents.num == 0 and rep.documents.den == len(g["documents"])
    assert rep.event_precision.value is None
    assert "document not found" in format_report(rep)
    json.dumps(report_to_dict(rep))


def test_a_layer_the_gold_file_does_not_annotate_is_not_scored():
    gold = {"entities": {}, "documents": [{"doc": "a.txt", "events": [], "places": [
        {"text": "Mosul", "country": "IQ", "lat": 36.34, "lon": 43.13, "radius_km": 40}]}]}
    tables = {"documents": [{"id": "d1", "key": "a.txt"}],
              "events": [{"id": "e1", "doc": "d1", "type": "ASSAULT", "sentence": "x", "source": None,
                          "target": None}],
              "places": [{"doc": "d1", "text": "Mosul", "lat": 36.3, "lon": 43.1, "country": "IQ"}]}
    report = score(gold, tables)
    assert report.event_precision.value is None
    assert report.places.value == 1.0
