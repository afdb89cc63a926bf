"""Publication dates as ISO strings at their real precision.

News gives dates as "14 December, 2016", "Friday, December 27, 2024", "Wed 05 Apr 2017", "4/5/2017"
or "2017-04-05T10:00:00Z". The export contract says never pad an unknown day, and dateparser pads,
so common shapes are parsed here with their precision; dateparser (English only) is the fallback and
its reported period sets the precision.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\.?,?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_MON = rf"(?P<month>{MONTH})"
_NUM_SEP = r"[-./]"

# Each shape: a regex with named groups year / month / day (month as a name or a number).
SHAPES: list[str] = [
    rf"{_DAY}(?:\s+of)?\s*[-\s]\s*{_MON},?\s*[-\s]\s*{_YEAR}",  # 14 December, 2016 / 05 Apr 2017
    rf"{_MON}\s+{_DAY},?\s+{_YEAR}",  # December 27, 2024 / April 29 2017
    rf"{_MON}\s+(?P<day>[0-3]?\d){_YEAR}(?!\d)",  # Jul 282016: punctuation lost in scraping
    rf"{_YEAR}-(?P<nmonth>[01]?\d)-(?P<nday>[0-3]?\d)(?![\d])",  # 2016-12-14 (time may follow)
    rf"(?P<a>[0-3]?\d)(?P<sep>{_NUM_SEP})(?P<b>[0-3]?\d)(?P=sep){_YEAR}(?!\d)",  # 4/5/2017, 23.10.2017
    rf"{_MON},?\s+{_YEAR}",  # December 2016
    rf"{_YEAR}-(?P<nmonth2>[01]\d)(?![\d-])",  # 2016-12
]
DATE = "|".join(f"(?:{shape})" for shape in SHAPES)


@cache
def _shape_patterns() -> list[re.Pattern[str]]:
    return [re.compile(shape, re.IGNORECASE) for shape in SHAPES]


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """ISO string at the given precision, or None for an impossible date."""
    try:
        dt.date(year, month or 1, day or 1)
    except ValueError:
        return None
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def from_match(match: re.Match[str]) -> str | None:
    """ISO date from a match of one of SHAPES (named groups)."""
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    year = int(groups["year"])
    if "nmonth" in groups:
        return _iso(year, int(groups["nmonth"]), int(groups["nday"]))
    if "nmonth2" in groups:
        return _iso(year, int(groups["nmonth2"]))
    if "a" in groups:
        a, b = int(groups["a"]), int(groups["b"])
        # Slashes are US month/day unless that is impossible; dots and dashes are day.month.
        if groups["sep"] == "/":
            return _iso(year, a, b) if a <= 12 else _iso(year, b, a)
        return _iso(year, b, a) if b <= 12 else _iso(year, a, b)
    month = _MONTHS[groups["month"][:3].lower()]
    day = int(groups["day"]) if "day" in groups else None
    return _iso(year, month, day)


def parse_shape(text: str) -> str | None:
    """ISO date when text is exactly one of the known shapes (surrounding words not allowed)."""
    text = text.strip()
    for pattern in _shape_patterns():
        match = pattern.fullmatch(text)
        if match:
            return from_match(match)
    return None


# A time after the date ("..., 10:45", "... at 9.30 GMT"): after a space or comma, and not the "02.01" of a
# dotted date "02.01.2000", which the shapes read day first (stripped, dateparser read it month first).
_TRAILING_TIME = re.compile(r"[\s,]+(?:at\s+)?\d{1,2}(?::\d\d|\.\d\d(?![.\d])).*$")
_ISO_PREFIX = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d\d)(?:-(?P<day>\d\d))?)?(?=$|[T\s])")
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")


def normalise(value: object) -> str | None:
    """A metadata date (row field, HTML meta, sidecar) as ISO at its real precision, or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value).strip()
    if not text:
        return None
    if _YEAR_ONLY.fullmatch(text):
        return text
    iso = _ISO_PREFIX.match(text)
    if iso:
        month = iso.group("month")
        day = iso.group("day")
        return _iso(int(iso.group("year")), int(month) if month else None, int(day) if day else None)
    cleaned = re.sub(rf"^\s*{WEEKDAY}\s*", "", text, flags=re.IGNORECASE)
    cleaned = _TRAILING_TIME.sub("", cleaned)
    found = parse_shape(cleaned)
    if found:
        return found
    if not re.search(r"\d{4}", text):  # "2 days ago", "Apr 5": nothing to anchor them on
        return None
    return _dateparser(text)


def _dateparser(text: str) -> str | None:
    """Fallback for unusual shapes; English only, precision from dateparser's period."""
    from dateparser.date import DateDataParser

    parser = DateDataParser(languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"})
    try:
        data = parser.get_date_data(text)
    except (ValueError, OverflowError):
        return None
    if data is None or data.date_obj is None:
        return None
    date = data.date_obj
    period = data.period or "day"
    if period == "year":
        return _iso(date.year)
    if period == "month":
        return _iso(date.year, date.month)
    return _iso(date.year, date.month, date.day)
