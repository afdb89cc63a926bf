"""Event mentions to events: one event however many sentences and articles state it."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from newsgraph.extract.dictionary import ActorDictionary
from newsgraph.model import Event, Extraction
from newsgraph.text import norm_key


def event_id(doc_id: str, ev: Event) -> str:
    raw = f"{doc_id}|{ev.start}|{ev.type}|{ev.trigger}|{ev.source and ev.source.start}|{ev.target and ev.target.start}"
    return "v" + hashlib.sha1(raw.encode()).hexdigest()[:15]


def _role_key(role, entity_ids: list[str], dictionary: ActorDictionary | None = None) -> str:
    if role is None:
        return "-"
    if role.mention is not None:
        return _led(entity_ids[role.mention], dictionary)
    return norm_key(role.text)


def _led(entity_id: str, dictionary: ActorDictionary | None) -> str:
    """A leader stands for the organisation they lead when one article tells one event both ways
    ('coordinating with Assad' in the headline, 'with the Syrian army' in the body)."""
    actor = dictionary.actors.get(entity_id) if dictionary is not None else None
    if actor is None or actor.type != "PERSON":
        return entity_id
    led = [str(r.get("of")) for r in actor.roles if r.get("role") == "leader_of" and r.get("of")]
    return led[0] if len(led) == 1 else entity_id


# Types one article uses for one stance of one actor towards another ("ready to support Assad's campaigns",
# "prepared to fight alongside forces loyal to Assad").
SAME_STATEMENT = {"COOPERATE": "SUPPORT"}


def in_document_key(ev: Event, extraction: Extraction, entity_ids: list[str],
                    dictionary: ActorDictionary | None = None) -> str:
    """Repeats inside one article share this key: the headline and the lead, a duplicated caption, a quote
    restating what the body said. Same type, same participants, same polarity; the store also checks
    that their dates fit (same_time).

    With neither participant named the sentence must repeat too: two 'rebels attacked' are two attacks.
    """
    src, tgt = _role_key(ev.source, entity_ids, dictionary), _role_key(ev.target, entity_ids, dictionary)
    kind = SAME_STATEMENT.get(ev.type, ev.type)
    if ev.type in {"CONSULT", "COOPERATE", "AGREE"} or kind != ev.type or ev.type in SAME_STATEMENT.values():
        src, tgt = sorted((src, tgt))
    named = any(r is not None and r.mention is not None for r in (ev.source, ev.target))
    sentence = "" if named else norm_key(extraction.sentence_text(ev.sentence))
    return "|".join([kind, src, tgt, str(ev.negated), sentence])


def same_time(a: Event, b: Event) -> bool:
    """Could two statements in one article be about the same occasion? A statement with no date of its own
    (the headline, 'recently') fits any; a day fits the month or week that contains it."""
    if a.date_text is None or b.date_text is None or not a.date or not b.date:
        return True
    if a.date.startswith(b.date) or b.date.startswith(a.date):
        return True
    return _in_week(a.date, b.date) or _in_week(b.date, a.date) or _week_in_month(a.date, b.date) \
        or _week_in_month(b.date, a.date)


def _week_in_month(week: str, month: str) -> bool:
    if "-W" not in week or len(month) != 7:
        return False
    try:
        monday = dt.date.fromisocalendar(int(week[:4]), int(week.split("-W")[1]), 1)
    except ValueError:
        return False
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    return any(d.strftime("%Y-%m") == month for d in days)


def _in_week(day: str, week: str) -> bool:
    if "-W" not in week or len(day) != 10:
        return False
    try:
        iso = dt.date.fromisoformat(day).isocalendar()
    except ValueError:
        return False
    return f"{iso[0]}-W{iso[1]:02d}" == week


def signature(ev: Event, entity_ids: list[str]) -> str | None:
    """Reports of the same event across articles: same type, both actors known, same stated day.

    Conservative on purpose: a false merge hides an event from the analyst, a missed one only repeats it.
    """
    if ev.source is None or ev.target is None or ev.source.mention is None or ev.target.mention is None:
        return None
    if not ev.date_text or ev.date_precision != "day":
        return None
    src, tgt = entity_ids[ev.source.mention], entity_ids[ev.target.mention]
    if ev.type in {"CONSULT", "COOPERATE", "AGREE"}:
        src, tgt = sorted((src, tgt))
    raw = f"{ev.type}|{src}|{tgt}|{ev.negated}|{ev.date}"
    return "s" + hashlib.sha1(raw.encode()).hexdigest()[:15]


_PRECISION = {"day": 4, "week": 3, "month": 2, "season": 2, "quarter": 2, "year": 1}


def main_mention(members: list[Any]) -> Any:
    """The mention that speaks for an event: the one that states its date most precisely, then one that
    names its place and both sides, then the first; a headline or a 'recently' loses to the lead."""
    def rank(pair: tuple[int, Any]) -> tuple:
        i, r = pair
        return (r.date_text is not None, _PRECISION.get(r.date_precision or "", 0), r.location_text is not None,
                (r.source_entity is not None) + (r.target_entity is not None), -i)

    return max(enumerate(members), key=rank)[1]
