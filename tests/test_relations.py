"""Affiliations from appositions, titles, '-backed' and 'part of' patterns, with office terms by date."""

from __future__ import annotations


def _relations(ex):
    def name(role):
        if role.actor:
            return role.actor
        m = ex.mentions[role.mention]
        return m.actor_id or m.name

    return {(name(r.subject), r.relation, name(r.object)) for r in ex.relations}


def test_apposition_head_of_makes_leader_of(extract_text):
    ex = extract_text("Hamid al-Shatri, the head of the Iraqi National Intelligence Service, visited Damascus.")
    assert ("SHATRI", "leader_of", "INIS") in _relations(ex)


def test_title_of_organisation_before_a_name(extract_text):
    ex = extract_text("He praised the late leader of Kataib Hezbollah Abu Mahdi al-Muhandis on Friday.")
    assert ("MUHANDIS", "leader_of", "KH") in _relations(ex)


def test_state_backed_group(extract_text):
    ex = extract_text("The Iran-backed Popular Mobilisation Units said they were ready.")
    assert ("PMU", "backed_by", "IRN") in _relations(ex)


def test_backed_adjective_on_an_offensive_is_not_an_affiliation(extract_text):
    ex = extract_text("Officials warned that a Turkish-backed offensive east of Aleppo against SDF positions "
                      "threatens the prisons.")
    assert not any(r[1] == "backed_by" for r in _relations(ex))


def test_part_of_makes_member_of(extract_text):
    ex = extract_text("Hadi al-Amiri, the head of the Badr Organization which is part of the PMU, spoke.")
    rels = _relations(ex)
    assert ("BADR", "member_of", "PMU") in rels and ("AMIRI", "leader_of", "BADR") in rels


def test_office_title_resolves_by_the_dictionary_term_at_that_date(extract_text):
    ex = extract_text("Prime Minister Haider al-Abadi has not met with the delegation.", published="2016-12-14")
    assert ("ABADI", "leader_of", "IRQ") in _relations(ex)
    out_of_office = extract_text("Prime Minister Haider al-Abadi spoke.", published="2023-05-01")
    assert not _relations(out_of_office)


def test_a_country_leader_leads_the_government_of_the_day(extract_text):
    ex = extract_text("The fighters are loyal to Syrian President Bashar al-Assad.", published="2016-10-30")
    assert ("ASSAD", "leader_of", "SYR_GOV") in _relations(ex)


def test_a_bracketed_editorial_insertion_does_not_split_a_name(extract_text):
    ex = extract_text("“[Iraqi] Prime Minister [Mohammed Shia al-] Sudani only took this step after talks.”")
    names = {m.name for m in ex.mentions}
    assert "Mohammed Shia al-Sudani" in names and "Mohammed Shia" not in names
