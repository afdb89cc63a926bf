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
