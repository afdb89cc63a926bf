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
