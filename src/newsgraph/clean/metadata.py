"""Title, outlet and publication date found in the text itself.

Plain-text scrapes carry their metadata as lines: a headline, a date line, a desk byline, a newsletter
prompt naming the outlet. These are found here (conservatively: a wrong date misdates every event in
the article) and the pure metadata lines are taken out of the body.
"""

from __future__ import annotations

import re

from newsgraph.clean import dates
from newsgraph.clean.boilerplate import rules
from newsgraph.clean.lines import Line

HEAD_LINES = 12  # publication dates and bylines are looked for in this many first lines
HEAD_CHARS = 300  # ... or in this many first characters of run-on text
TAIL_LINES = 12

CUE = (
    r"(?:date of publication|publication date|first published|last updated|published|posted|updated"
    r"|date)(?:\s+(?:on|at))?\s*:?"
)
_TIME = (
    r"(?:[,|\-–—]?\s*(?:(?:at\s+)?\d{1,2}[:.]\d\d(?::\d\d)?|at\s+\d{3,4})(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*\(?(?:[A-Z]{2,5}|UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d\d)?)?\)?)?)"
)
_LEAD = re.compile(rf"^\s*(?:{CUE})?\s*(?:{dates.WEEKDAY})?\s*", re.IGNORECASE)
_TRAIL = re.compile(rf"\s*{_TIME}?\s*[.|]?\s*$", re.IGNORECASE)
_LEAD_ONLY = re.compile(rf"\s*(?:{CUE})?\s*(?:{dates.WEEKDAY})?\s*", re.IGNORECASE)
_CUE_BEFORE = re.compile(rf"\b(?:{CUE}|{dates.WEEKDAY})\s*$", re.IGNORECASE)
_ISO_LINE = re.compile(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:Z|[+-]\d\d:?\d\d)?)?")
_CUE_ONLY = re.compile(rf"\b(?:{CUE})\s*$", re.IGNORECASE)
# A match of _TRAIL holds at most 29 characters that are not whitespace (a time with its zone and offset,
# read off _TIME: 1 + 10 + 4 + 13, and a final '.' or '|'); it is looked for among the last 64.
_TRAIL_SOLID = 64

_HEADLINE_MAX_CHARS = 200
_HEADLINE_MAX_WORDS = 30


def date_of_line(text: str) -> str | None:
    """ISO date when the line is only a date (with optional cue, weekday and time), else None."""
    core = _LEAD.sub("", text, count=1)
    if _ISO_LINE.fullmatch(core.strip()):
        return dates.normalise(core)
    core = _cut_trailing_time(core)
    return dates.parse_shape(core) if core else None


def _cut_trailing_time(text: str) -> str:
    """``_TRAIL.sub("", text, count=1)``, found without trying every position of a long line: a match
    runs to the end of the text and holds few non-space characters, so it cannot begin before the last
    _TRAIL_SOLID of them."""
    start, solid = 0, 0
    for i in range(len(text) - 1, -1, -1):
        if not text[i].isspace():
            solid += 1
            if solid == _TRAIL_SOLID:
                start = i
                break
    match = _TRAIL.search(text, start)
    if match is None:  # cannot happen: the pattern matches the empty end of any text
        return text
    return text[: match.start()] + text[match.end() :]


def dateline(lines: list[Line]) -> str | None:
    """The date of the first date-only line among the first lines.

    The line stays in the text: it is a temporal expression of the article like any other.
    """
    for line in lines[:HEAD_LINES]:
        date = date_of_line(line.text)
        if date:
            return date
    return None


def date_in_head(text: str) -> str | None:
    """A dateline in the first characters: at the start of a line, or after a cue word or weekday.

    A date in the middle of a sentence is when something happened, not when it was published, so it
    is not taken.
    """
    head = text[:HEAD_CHARS]
    candidates: list[tuple[int, int, str]] = []
    for pattern in dates._shape_patterns():
        for match in pattern.finditer(head):
            if match.start() and head[match.start() - 1].isalnum():
                continue
            iso = dates.from_match(match)
            if not iso:
                continue
            line_start = head.rfind("\n", 0, match.start()) + 1
            before = head[line_start : match.start()]
            cued = bool(_CUE_ONLY.search(before))
            at_start = bool(_LEAD_ONLY.fullmatch(before))
            if not (at_start or _CUE_BEFORE.search(before)):
                continue
            if len(iso) < 10 and not cued:  # month-only dates need an explicit "Published" cue
                continue
            candidates.append((match.start(), -len(iso), iso))
    return min(candidates)[2] if candidates else None


def take_outlet_lines(lines: list[Line]) -> tuple[str | None, list[Line]]:
    """Remove lines that name the outlet (desk bylines, the outlet's newsletter prompt) near the ends."""
    found: str | None = None
    kept: list[Line] = []
    last = len(lines) - TAIL_LINES
    for index, line in enumerate(lines):
        if index < HEAD_LINES or index >= last:
            outlet = _outlet_of(line.text)
            if outlet:
                found = found or outlet
                continue
        kept.append(line)
    return found, kept


def _outlet_of(text: str) -> str | None:
    if len(text) > rules().max_line_length:
        return None
    for pattern in rules().outlet_lines:
        match = pattern.fullmatch(text.strip())
        if match:
            outlet = match.group("outlet").strip(" .,:;!|-–—")
            return outlet or None
    return None


def looks_like_headline(text: str) -> bool:
    """Short, no closing full stop, has letters: the shape of a headline rather than a paragraph."""
    text = text.strip()
    return (
        0 < len(text) <= _HEADLINE_MAX_CHARS
        and len(text.split()) <= _HEADLINE_MAX_WORDS
        and not text.endswith((".", ":", ",", ";"))
        and any(ch.isalpha() for ch in text)
    )


def headline(lines: list[Line]) -> str | None:
    """The first line when it looks like a headline."""
    if lines and looks_like_headline(lines[0].text):
        return " ".join(lines[0].text.split())
    return None
