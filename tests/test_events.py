"""Event coding from invented sentences: type, roles, embedding, intent, generic participants."""

from __future__ import annotations


def _events(extract_text, text: str, published: str = "2019-03-04"):
    ex = extract_text(text, published)
    names = [m.name or m.text for m in ex.mentions]

    def who(role):
        if role is None:
            return None
        return names[role.mention] if role.mention is not None else role.text

    return [(e.type, who(e.source), who(e.target), e.negated) for e in ex.events]


def test_refusing_to_meet_is_a_rejection_not_a_meeting(extract_text):
    evs = _events(extract_text, "Turkish President Recep Tayyip Erdogan refused to meet Vladimir Putin in Sochi.")
    assert [e[0] for e in evs] == ["REJECT"]
    assert evs[0][1] == "Recep Tayyip Erdogan" and evs[0][2] == "Vladimir Putin"


def test_a_stated_future_action_is_a_commitment_or_a_threat(extract_text):
    evs = _events(extract_text, "Qatar said it will support Lebanon's reconstruction.")
    assert ("AGREE", "Qatar", "Lebanon", False) in evs
    evs = _events(extract_text, "Jordan said it will expel the Syrian ambassador.")
    assert [e[0] for e in evs] == ["THREATEN"]


def test_a_light_verb_takes_the_type_of_its_object(extract_text):
    evs = _events(extract_text, "Iraqi forces launched an offensive against Islamic State in Anbar on Monday.")
    assert [e[:3] for e in evs] == [("ASSAULT", "Iraqi Army", "Islamic State")]


def test_the_attacker_of_a_nominal_attack_completes_a_passive_killing(extract_text):
    evs = _events(extract_text, "Abu Mahdi al-Muhandis was killed in a US drone strike near Baghdad airport.")
    assert [e[:3] for e in evs] == [("ASSAULT", "United States", "Abu Mahdi al-Muhandis")]


def test_generic_participants_make_an_event_without_named_actors(extract_text):
    evs = _events(extract_text, "Thousands of demonstrators staged a rally in Basra against the power cuts.")
    assert [e[0] for e in evs] == ["PROTEST"]
    assert evs[0][1] == "demonstrators"  # the participant, without its count


def test_words_that_are_not_participants_are_not_roles(extract_text):
    evs = _events(extract_text, "Iranian diplomats have taken part in some of the meetings in Baghdad.")
    assert all(e[2] not in {"part", "some of the meetings"} for e in evs)


def test_a_request_stated_as_what_another_must_do(extract_text):
    evs = _events(extract_text, "The European Union said Iran must release the detained sailors.")
    assert [e[:3] for e in evs] == [("REQUEST", "European Union", "Iran")]


def test_what_the_object_is_decides_what_sending_means(extract_text):
    evs = _events(extract_text, "Egypt sent troops to Libya on Sunday.")
    assert [e[0] for e in evs] == ["MOBILIZE"]
    evs = _events(extract_text, "Egypt sent food aid to Libya on Sunday.")
    assert [e[0] for e in evs] == ["AID"]


def test_negated_meeting_is_marked_negated(extract_text):
    evs = _events(extract_text, "Prime Minister Haider al-Abadi has not met with the Saudi delegation.")
    assert evs and evs[0][0] == "CONSULT" and evs[0][3] is True


def test_an_actor_named_by_a_country_adjective_and_a_militia_is_not_the_state(extract_text):
    evs = _events(extract_text, "Iraqi militias attacked a checkpoint near Qaim on Monday.")
    assert evs and evs[0][0] == "ASSAULT" and evs[0][1] == "Iraqi militias"


def test_government_forces_are_assads_only_in_an_article_about_syria(extract_text):
    syria = extract_text("Government forces shelled Douma in Syria, and Syrian officials said Damascus would go on.",
                         "2016-05-02")
    iraq = extract_text("Government forces shelled Fallujah in Iraq, and Iraqi officials said Baghdad would go on.",
                        "2016-05-02")
    assert any(m.actor_id == "SYR_GOV" and m.text.startswith("Government forces") for m in syria.mentions)
    assert not any(m.actor_id == "SYR_GOV" for m in iraq.mentions)


def test_the_story_date_carries_to_the_next_sentence(extract_text):
    ex = extract_text("The minister led a delegation to Amman, Jordan, on 3 March. "
                      "The delegation signed a water agreement with Jordan.", "2019-03-06")
    dates = [e.date for e in ex.events]
    assert dates and all(d == "2019-03-03" for d in dates)


def test_what_is_discussed_is_not_the_other_side_of_the_talks(extract_text):
    evs = _events(extract_text, "A Syrian delegation held talks with Iraqi officials to discuss Kurdish fighters "
                                "crossing the border.")
    consult = [e for e in evs if e[0] == "CONSULT"]
    assert consult and all(e[2] != "Kurdish fighters" for e in consult)


def test_a_descriptive_participle_is_not_an_event(extract_text):
    evs = _events(extract_text, "The party, allied with Hezbollah, won three seats in the vote.")
    assert not any(e[0] == "COOPERATE" for e in evs)


def test_a_fear_of_something_is_not_the_thing(extract_text):
    evs = _events(extract_text, "Officials voiced a fear that ISIS prisoners could escape from the camps.")
    assert not any(e[0] == "RETREAT" for e in evs)


def test_clashes_between_two_groups_have_both_sides(extract_text):
    evs = _events(extract_text, "Fierce clashes erupted between Ahrar al-Sham and Jaish al-Islam near Douma.")
    assert ("ASSAULT", "Ahrar al-Sham", "Jaish al-Islam", False) in evs


def test_a_running_toll_since_the_war_began_is_not_an_event(extract_text):
    assert _events(extract_text, "More than 280000 people have been killed since the conflict began in 2011.") == []
    assert [e[0] for e in _events(extract_text, "At least 20 people were killed in air strikes on Aleppo on "
                                                "Monday.")] == ["ASSAULT"]
