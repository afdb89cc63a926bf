"""Actor mentions: dictionary, misspellings, declared aliases, short forms."""

from __future__ import annotations


def _names(ex):
    return {m.text: (m.name, m.actor_id) for m in ex.mentions}


def test_dictionary_overrides_statistical_labels(extract_text):
    ex = extract_text("Daesh fighters attacked the Hashd al-Shaabi near Mosul.")
    names = _names(ex)
    assert names["Daesh"][1] == "ISIS" and names["Hashd al-Shaabi"][1] == "PMU"


def test_a_misspelt_known_name_resolves_to_its_actor(extract_text):
    ex = extract_text("Fayyad also mentioned the late commander Abu Madhi al-Muhandis.")
    assert _names(ex)["Abu Madhi al-Muhandis"][1] == "MUHANDIS"


def test_a_different_person_with_the_same_surname_is_not_merged(extract_text):
    ex = extract_text("Hafez al-Assad ruled Syria for three decades.")
    assert _names(ex)["Hafez al-Assad"][1] is None


def test_bracketed_acronym_of_an_unknown_group_names_it_everywhere_in_the_article(extract_text):
    ex = extract_text("The Eastern Shield Brigades (ESB) attacked a checkpoint on Monday. "
                      "ESB fighters later withdrew, and the ESB said it would return.")
    esb = [m for m in ex.mentions if m.text == "ESB"]
    assert len(esb) == 3 and all(m.name == "Eastern Shield Brigades" for m in esb)


def test_also_known_as_joins_two_names(extract_text):
    ex = extract_text("The Iran-backed militia Liwa Fatemiyoun, also known as the Fatemiyoun Division, fought in "
                      "Aleppo. Fatemiyoun Division fighters were killed there.")
    names = {m.name for m in ex.mentions if "Fatemiyoun" in m.text}
    assert len(names) == 1


def test_short_form_of_a_name_in_the_same_article(extract_text):
    ex = extract_text("Lawmaker Issam al-Kreiti spoke to reporters. Kreiti said the vote was delayed.")
    assert _names(ex)["Kreiti"][0] == "Issam al-Kreiti"


def test_a_bracketed_acronym_after_a_dangling_article_does_not_crash(extract_text):
    ex = extract_text("Fighters of the Jaish al- (JA) group withdrew.")
    assert ex.document.key == "t.txt"


def test_page_furniture_names_are_not_actors(extract_text):
    text = ("Rebels shelled the town of Qusayr on Monday, the monitor said.\n"
            "Istanbul Film Festival | Episode | Showcase Category News Sudanese President Bashir dissolves government\n"
            "Subscribe to Zenith Radio on Facebook Like Follow Copyright 2018 Zenith Radio.")
    ex = extract_text(text, "2016-05-02")
    names = {m.text for m in ex.mentions}
    assert not names & {"Bashir", "Episode", "Showcase Category News", "Zenith Radio"}
    assert all(m.sentence == 0 for m in ex.mentions)


def test_names_used_as_villages_are_places_not_people(extract_text):
    ex = extract_text("Most of the dead came from the villages of al-Fakhura and Kafr Mezzeh in Idlib province, "
                      "and shells also hit the Bab Tadmur neighbourhood.", "2016-05-02")
    labels = {m.text: m.label for m in ex.mentions}
    assert labels.get("Kafr Mezzeh", "GPE") == "GPE"
    assert labels.get("al-Fakhura", "GPE") == "GPE"
    assert all(m.label not in {"PERSON", "ORG"} for m in ex.mentions if "Tadmur" in m.text)


def test_possessive_without_apostrophe_inside_a_name_is_split(extract_text):
    ex = extract_text("Airstrikes hit Syrias Hama province and Iraqs Anbar on Friday.", "2016-05-02")
    ids = {m.actor_id for m in ex.mentions}
    assert {"SYR", "IRQ"} <= ids
    assert not any(m.text.startswith(("Syrias", "Iraqs")) for m in ex.mentions)


def test_outlet_and_its_variants_are_one_media_actor(extract_text):
    ex = extract_text("Sputnik reported the strike. The claim was repeated by Sputnik News and RIA Novosti.",
                      "2016-05-02")
    assert {m.actor_id for m in ex.mentions if "Sputnik" in m.text or "Novosti" in m.text} == {"SPUTNIK"}
