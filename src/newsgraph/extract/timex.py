"""Temporal expressions: find dates in a parsed article and normalise them TimeML-style.

Values keep their real precision (``2016``, ``2016-11``, ``2016-12-09``, ``2024-W52``, ``2014-SU``,
``2013-Q1``, ``201`` for the 2010s) and are never padded. Relative expressions are resolved against the
publication date (``anchor``); weekdays and year-less months use the tense of the governing verb.
Our own patterns find the candidates (spaCy's DATE entities over- and under-extend); spaCy's entities
are only a fallback, and dateparser only normalises leftovers that look absolute.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc, Span

from newsgraph.extract.firstchar import guarded
from newsgraph.extract.nlp import doc_cache, doc_ents, doc_sents, doc_text
from newsgraph.model import Timex

_DATA = Path(__file__).resolve().parent.parent / "data" / "timex_lexicon.yaml"

_PRECISIONS = (
    (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "day"),
    (re.compile(r"^\d{4}-W\d{2}$"), "week"),
    (re.compile(r"^\d{4}-\d{2}$"), "month"),
    (re.compile(r"^\d{4}-(SP|SU|FA|WI)$"), "season"),
    (re.compile(r"^\d{4}-Q[1-4]$"), "quarter"),
    (re.compile(r"^\d{4}$"), "year"),
    (re.compile(r"^\d{3}$"), "decade"),
)


def precision_of(value: str) -> str:
    """Precision name of a TimeML value ('day', 'week', 'month', 'season', 'quarter', 'year', 'decade')."""
    for pattern, name in _PRECISIONS:
        if pattern.match(value):
            return name
    raise ValueError(f"not a TimeML date value: {value!r}")


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """The word lists, read once from the package data file."""
    with _DATA.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _alt(words: Any) -> str:
    """Regex alternation, longest first so 'sept' wins over 'sep'."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


# ---------------------------------------------------------------- anchor and calendar helpers


@dataclass(frozen=True)
class _Anchor:
    year: int | None
    month: int | None = None
    day: int | None = None

    @property
    def date(self) -> dt.date | None:
        if self.year and self.month and self.day:
            return dt.date(self.year, self.month, self.day)
        return None


def _parse_anchor(anchor: str | None) -> _Anchor:
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", anchor or "")
    if not m:
        return _Anchor(None)
    y, mo, d = (int(g) if g else None for g in m.groups())
    return _Anchor(y, mo, d)


def _day(d: dt.date) -> str:
    return d.isoformat()


def _week(d: dt.date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"


def _month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _add_months(y: int, m: int, n: int) -> tuple[int, int]:
    total = y * 12 + (m - 1) + n
    return total // 12, total % 12 + 1


def _valid_day(y: int, m: int, d: int) -> str | None:
    try:
        return _day(dt.date(y, m, d))
    except ValueError:
        return None


# ---------------------------------------------------------------- tense


def _tense(doc: Doc, start: int, end: int) -> str:
    """'past' or 'future' from the verb governing the expression; news defaults to past."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return "past"
    tok = span.root
    for _ in range(6):
        if tok.pos_ in ("VERB", "AUX") or tok.head is tok:
            break
        tok = tok.head
    future = set(lexicon()["future_markers"])
    verb = tok
    for _ in range(3):  # 'plans to meet on Tuesday': look through xcomp chains too
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in future for a in auxes):
            return "future"
        if verb.tag_ == "VB" and any(a.lower_ == "to" for a in auxes) and verb.head.lemma_ in future:
            return "future"
        if verb.tag_ in ("VBD", "VBN") or any(a.lemma_ == "have" for a in auxes):
            return "past"
        if verb.tag_ == "VBG" and any(a.lower_ in ("is", "are", "am", "'s", "'re") for a in auxes):
            return "future"
        if verb.dep_ not in ("xcomp", "ccomp") or verb.head is verb:
            break
        verb = verb.head
    if verb.lemma_ in future and verb.tag_ in ("VBZ", "VBP"):
        return "future"
    return "past"


# ---------------------------------------------------------------- patterns


@dataclass
class _Ctx:
    doc: Doc
    anchor: _Anchor
    reference: dt.date | None  # narrative reference time: the last day-precision date resolved
    ref_value: str | None = None  # the last absolute value resolved at any precision ('2016-10', '2014')
    used: str | None = None  # what the current expression was resolved against, when not the anchor

    def tense(self, start: int, end: int) -> str:
        return _tense(self.doc, start, end)


Handler = Callable[[re.Match[str], _Ctx], str | None]


@dataclass
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: Handler
    group: str | None = None  # the group whose span is the expression; whole match when None


def _month_no(word: str) -> int:
    return int(lexicon()["months"][word.lower().rstrip(".")])


def _num(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    value = lexicon()["numbers"].get(re.sub(r"\s+", " ", word.lower()))
    return int(value) if value is not None else None


def _month_ok(m: re.Match[str], need_context: bool = False) -> bool:
    """Month words must be capitalised; abbreviations alone ('Jan', 'Mar') need a dot or a number."""
    word = m.group("mon")
    if not word[0].isupper():
        return False
    if need_context and word.lower() in lexicon()["ambiguous_months"]:
        after = m.string[m.end("mon") : m.end("mon") + 1]
        return after == "." and len(word) <= 4
    return True


def _resolve_year(ctx: _Ctx, month: int, day: int | None, start: int, end: int) -> int | None:
    """Year for a year-less date: nearest before the anchor in the past tense, after it in the future."""
    a = ctx.anchor
    if a.year is None:
        return None
    if a.month is None:
        return a.year
    here = (month, day or 0)
    now = (a.month, a.day or 0) if day else (a.month, 0)
    if ctx.tense(start, end) == "future":
        return a.year if here >= now else a.year + 1
    return a.year if here <= now else a.year - 1


def _h_full(m: re.Match[str], ctx: _Ctx) -> str | None:
    if "mon" in m.groupdict() and not _month_ok(m):
        return None
    month = int(m.group("m")) if "m" in m.groupdict() else _month_no(m.group("mon"))
    return _valid_day(int(m.group("y")), month, int(m.group("d")))


def _h_day_month(m: re.Match[str], ctx: _Ctx) -> str | None:
    if not _month_ok(m):
        return None
    month, day = _month_no(m.group("mon")), int(m.group("d"))
    year = _resolve_year(ctx, month, day, m.start(), m.end())
    return _valid_day(year, month, day) if year else None


def _h_month_year(m: re.Match[str], ctx: _Ctx) -> str | None:
    if not _month_ok(m):
        return None
    return _month(int(m.group("y")), _month_no(m.group("mon")))


def _h_month(m: re.Match[str], ctx: _Ctx) -> str | None:
    if not _month_ok(m, need_context=True):
        return None
    month = _month_no(m.group("mon"))
    year = _resolve_year(ctx, month, None, m.start("mon"), m.end("mon"))
    return _month(year, month) if year else None


def _h_season(m: re.Match[str], ctx: _Ctx) -> str | None:
    code = lexicon()["seasons"][m.group("s").lower()]
    if m.group("y"):
        return f"{m.group('y')}-{code}"
    if ctx.anchor.year is None:
        return None
    rel = (m.group("rel") or "this").lower()
    offset = lexicon()["relative_words"].get(rel, 0)
    return f"{ctx.anchor.year + offset}-{code}"


def _h_quarter(m: re.Match[str], ctx: _Ctx) -> str | None:
    gd = m.groupdict()
    q = int(gd["qn"]) if gd.get("qn") else int(lexicon()["quarters"][m.group("q").lower()])
    if gd.get("y"):
        return f"{m.group('y')}-Q{q}"
    a = ctx.anchor
    if a.year is None or a.month is None:
        return None
    current = (a.month - 1) // 3 + 1
    if gd.get("q") and m.group("q").lower() == "last":  # 'last quarter' = the previous one
        y, q = (a.year, current - 1) if current > 1 else (a.year - 1, 4)
        return f"{y}-Q{q}"
    return f"{a.year if q <= current else a.year - 1}-Q{q}"


def _h_decade(m: re.Match[str], ctx: _Ctx) -> str | None:
    return m.group("dec")


def _h_year(m: re.Match[str], ctx: _Ctx) -> str | None:
    return m.group("y")


def _h_relday(m: re.Match[str], ctx: _Ctx) -> str | None:
    d = ctx.anchor.date
    offset = lexicon()["relative_days"][re.sub(r"\s+", " ", m.group("w").lower())]
    return _day(d + dt.timedelta(days=offset)) if d else None


def _h_weekday(m: re.Match[str], ctx: _Ctx) -> str | None:
    d = ctx.anchor.date
    if d is None or not m.group("wd")[0].isupper():
        return None
    wd = lexicon()["weekdays"][m.group("wd").lower()]
    rel = (m.group("rel") or "").lower()
    if rel in ("next", "coming", "later"):
        tense = "future"
    elif rel in ("last", "past", "earlier"):
        tense = "past"
    else:
        tense = ctx.tense(m.start("wd"), m.end("wd"))
    if tense == "future":
        delta = (wd - d.weekday()) % 7
        if delta == 0 and rel in ("next", "coming"):
            delta = 7
        return _day(d + dt.timedelta(days=delta))
    delta = (d.weekday() - wd) % 7
    if delta == 0 and rel in ("last", "past"):
        delta = 7
    return _day(d - dt.timedelta(days=delta))


def _shift(ctx: _Ctx, unit: str, n: int) -> str | None:
    """The anchor moved n units, at that unit's precision."""
    a = ctx.anchor
    if unit in ("week", "weekend", "day"):
        if a.date is None:
            return None
        if unit == "day":
            return _day(a.date + dt.timedelta(days=n))
        return _week(a.date + dt.timedelta(weeks=n))
    if unit == "month":
        if a.year is None or a.month is None:
            return None
        return _month(*_add_months(a.year, a.month, n))
    if unit == "year":
        return f"{a.year + n:04d}" if a.year is not None else None
    if unit == "decade":
        return f"{(a.year // 10 + n):03d}" if a.year is not None else None
    return None


def _h_relunit(m: re.Match[str], ctx: _Ctx) -> str | None:
    rel = re.sub(r"\s+", " ", m.group("rel").lower())
    before = m.string[max(0, m.start() - 4) : m.start()].lower()
    if before.endswith("the ") and rel in ("past", "last", "previous"):
        return None  # 'over the past year' is a duration
    return _shift(ctx, m.group("u").lower(), int(lexicon()["relative_words"][rel]))


def _h_ago(m: re.Match[str], ctx: _Ctx) -> str | None:
    n = _num(m.group("n"))
    unit = lexicon()["units"][m.group("u").lower()]
    return _shift(ctx, unit, -n) if n is not None else None


def _h_offset(m: re.Match[str], ctx: _Ctx) -> str | None:
    """'a day after' dates what follows 'after' (the reference time minus the offset); 'two days later',
    'three weeks later' date their own clause (the reference time plus the offset), to the day."""
    n = _num(m.group("n"))
    unit = lexicon()["units"][m.group("u").lower()]
    ref = ctx.reference or ctx.anchor.date
    if n is None or ref is None or unit not in ("day", "week", "month", "year"):
        return None
    if ctx.reference is not None:
        ctx.used = _day(ctx.reference)
    sign = -1 if m.group("dir").lower() in ("after", "earlier") else 1
    if unit in ("month", "year"):
        months = n * (12 if unit == "year" else 1) * sign
        y, mo = _add_months(ref.year, ref.month, months)
        return _month(y, mo) if unit == "month" else f"{y:04d}"
    return _day(ref + dt.timedelta(days=n * (7 if unit == "week" else 1) * sign))


def _h_anchored(m: re.Match[str], ctx: _Ctx) -> str | None:
    """'the next day', 'the following week', 'the day before', 'that same day': the narrative's
    reference time moved (or not) by one unit. Without a reference there is nothing to move."""
    gd = m.groupdict()
    unit = (gd.get("u") or gd.get("u2") or "day").lower()
    unit = {"morning": "day", "afternoon": "day", "evening": "day", "night": "day"}.get(unit, unit)
    word = (gd.get("w") or gd.get("w2") or "").lower()
    step = {"next": 1, "following": 1, "after": 1, "previous": -1, "preceding": -1, "before": -1}.get(word, 0)
    ref_day, ref_value = ctx.reference, ctx.ref_value
    if unit in ("day", "week"):
        if ref_day is None:
            return None
        ctx.used = _day(ref_day)
        if unit == "day":
            return _day(ref_day + dt.timedelta(days=step))
        return _week(ref_day + dt.timedelta(weeks=step))
    if ref_value is None:
        return None
    ref = _parse_anchor(ref_value)
    ctx.used = ref_value
    if unit == "month" and ref.month is not None and ref.year is not None:
        return _month(*_add_months(ref.year, ref.month, step))
    if unit == "year" and ref.year is not None:
        return f"{ref.year + step:04d}"
    return None


def _h_numeric(m: re.Match[str], ctx: _Ctx) -> str | None:
    """4/5/2017 (slashes: US month/day unless impossible), 23.10.2017 and 23-10-2017 (day first)."""
    a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
    if m.group("sep") == "/":
        return _valid_day(y, a, b) if a <= 12 else _valid_day(y, b, a)
    return _valid_day(y, b, a) if b <= 12 else _valid_day(y, a, b)


def _h_range_end(m: re.Match[str], ctx: _Ctx) -> str | None:
    """The second day of 'May 1-3' / '7-9 June' / 'May 1-3, 2018', in the first one's month and year."""
    if not _month_ok(m):
        return None
    month, day = _month_no(m.group("mon")), int(m.group("d2"))
    year = int(m.group("y")) if m.group("y") else _resolve_year(ctx, month, day, m.start(), m.end())
    return _valid_day(year, month, day) if year else None


def _h_range_start(m: re.Match[str], ctx: _Ctx) -> str | None:
    """The first day of a day range; the year is the range's own when it gives one."""
    if not _month_ok(m):
        return None
    month, day = _month_no(m.group("mon")), int(m.group("d"))
    year = int(m.group("y")) if m.group("y") else _resolve_year(ctx, month, day, m.start(), m.end())
    return _valid_day(year, month, day) if year else None


def _h_weekend(m: re.Match[str], ctx: _Ctx) -> str | None:
    """'over the weekend' / 'last weekend': the week of the Saturday before the anchor (after it for
    'this/next weekend' in the future tense)."""
    d = ctx.anchor.date
    if d is None:
        return None
    rel = (m.group("rel") or "").lower()
    future = rel in ("next", "coming") or (rel == "this" and ctx.tense(m.start(), m.end()) == "future")
    if future:
        sat = d + dt.timedelta(days=(5 - d.weekday()) % 7)
    else:
        sat = d - dt.timedelta(days=(d.weekday() - 5) % 7)
        if rel in ("last", "past") and sat == d:
            sat -= dt.timedelta(weeks=1)
    return _week(sat)


def _h_year_part(m: re.Match[str], ctx: _Ctx) -> str | None:
    """'mid-2016', 'early 2015', 'the end of 2013': the year, at year precision."""
    return m.group("y")


_SEASON_MONTHS = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}


def _h_season_bare(m: re.Match[str], ctx: _Ctx) -> str | None:
    """'in the spring' with no year: the latest one begun by the anchor in the past tense, the current or
    next one in the future. Winter carries the year of its December."""
    code = lexicon()["seasons"][m.group("s").lower()]
    a = ctx.anchor
    if a.year is None or a.month is None:
        return None
    first = _SEASON_MONTHS[code]
    if ctx.tense(m.start("s"), m.end("s")) == "future":
        if code == "WI":
            year = a.year - 1 if a.month <= 2 else a.year
        else:
            year = a.year if a.month < first + 3 else a.year + 1
    elif code == "WI":
        year = a.year if a.month == 12 else a.year - 1
    else:
        year = a.year if a.month >= first else a.year - 1
    return f"{year}-{code}"


def _h_quarter_bare(m: re.Match[str], ctx: _Ctx) -> str | None:
    """'Q1' without a year: the latest such quarter begun by the anchor."""
    a = ctx.anchor
    if a.year is None or a.month is None:
        return None
    q = int(m.group("qn"))
    return f"{a.year if q <= (a.month - 1) // 3 + 1 else a.year - 1}-Q{q}"


def _h_short_decade(m: re.Match[str], ctx: _Ctx) -> str | None:
    """The '90s: the latest such decade before the anchor (the 1990s)."""
    tens = int(m.group("dd")) // 10
    year = ctx.anchor.year
    if year is None:
        return None
    century = year // 100 * 100
    start = century + tens * 10
    return f"{(start if start <= year else start - 100) // 10:03d}"


@lru_cache(maxsize=1)
def _rules() -> list[_Rule]:
    lx = lexicon()
    mon = rf"(?P<mon>{_alt(lx['months'])})"
    wd_names = [*lx["weekdays"], "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"]
    wdp = rf"(?:(?:{_alt(wd_names)})\.?,?\s+)?"
    wd = rf"(?P<wd>{_alt(lx['weekdays'])})"
    mods = _alt(lx["month_modifiers"])
    preps = _alt(lx["temporal_prepositions"])
    season = rf"(?P<s>{_alt(lx['seasons'])})"
    nums = rf"(?P<n>\d+|{_alt(lx['numbers'])})"
    units = r"(?P<u>days?|weeks?|months?|years?)"
    rel = _alt(lx["relative_words"])
    d = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
    y = r"(?P<y>(?:1[89]|20)\d\d)"
    flags = re.IGNORECASE

    def r(name: str, pattern: str, handler: Handler, group: str | None = None) -> _Rule:
        return _Rule(name, guarded(pattern, flags), handler, group)  # same matches, found faster

    day2 = r"[0-3]?\d(?:st|nd|rd|th)?"
    bc = r"(?!\s*(?:BC|BCE|B\.C\.))"
    part_of = r"(?:early|late|mid)[\s-]+|the\s+(?:end|beginning|start|middle|first\s+half|second\s+half)\s+of\s+"
    return [
        r("iso", r"\b(?P<y>\d{4})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b", _h_full),
        r("numeric", r"\b(?P<a>[0-3]?\d)(?P<sep>[./-])(?P<b>[0-3]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)\b", _h_numeric),
        # day ranges: 'May 1-3, 2018', '7-9 June': one expression per day, the year of the range
        r("md_range", rf"\b(?P<first>{mon}\.?\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?)\s*[-–]\s*{day2}(?:,?\s+{y})?\b",
          _h_range_start, "first"),
        r("md_range_end", rf"\b{mon}\.?\s+{day2}\s*[-–]\s*(?P<last>(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:,?\s+{y})?)\b",
          _h_range_end, "last"),
        r("dm_range", rf"\b(?P<first>(?P<d>[0-3]?\d)(?:st|nd|rd|th)?)\s*[-–]\s*{day2}\s+(?:of\s+)?{mon}(?:,?\s+{y})?\b",
          _h_range_start, "first"),
        r("dm_range_end",
          rf"\b{day2}\s*[-–]\s*(?P<last>(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{mon}(?:,?\s+{y})?)\b",
          _h_range_end, "last"),
        r("dmy", rf"\b{wdp}{d}\s+(?:of\s+)?{mon}\.?,?\s+{y}\b", _h_full),
        r("mdy", rf"\b{wdp}{mon}\.?\s+{d},?\s+{y}\b", _h_full),
        r("dm", rf"\b{wdp}{d}\s+(?:of\s+)?{mon}\b", _h_day_month),
        r("md", rf"\b{wdp}{mon}\.?\s+{d}\b(?![,.]?\d)", _h_day_month),
        r("my", rf"\b(?:(?:{mods})[\s-]*)?{mon}\.?,?\s+(?:of\s+)?{y}\b", _h_month_year),
        r("modm", rf"\b(?:{mods})[\s-]*{mon}\b", _h_month),
        r("m", rf"\b(?:{preps})\s+{mon}\b", _h_month, "mon"),
        r("season", rf"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]*)?{season}\s+(?:of\s+)?{y}\b", _h_season),
        r("season_rel", rf"\b(?P<rel>last|this|next|past|coming)\s+{season}\b(?P<y>)", _h_season),
        r("season_bare", rf"\b(?:in|during|since|until|by|through|over|throughout)\s+(?P<sp>the\s+{season})\b",
          _h_season_bare, "sp"),
        r("quarter", rf"\b(?:the\s+)?(?P<q>{_alt(lx['quarters'])})[\s-]+quarter(?:\s+(?:of\s+)?{y})?",
          _h_quarter),
        r("quarter_q", rf"\bQ(?P<qn>[1-4])\s*{y}\b", _h_quarter),
        r("quarter_yq", rf"\b{y}\s*Q(?P<qn>[1-4])\b", _h_quarter),
        r("quarter_bare", r"\bQ(?P<qn>[1-4])\b", _h_quarter_bare),
        r("decade", r"\b(?:the\s+)?(?:(?:early|late|mid)[\s-]*)?(?P<dec>(?:1[89]|20)\d)0s\b", _h_decade),
        r("short_decade", r"\bthe\s+['’](?P<dd>\d0)s\b", _h_short_decade),
        r("year_part", rf"\b(?:{part_of}){y}\b{bc}(?![-/]\d)", _h_year_part),
        r("year", rf"\b(?:{preps})\s+(?:the\s+(?:year\s+)?)?{y}\b{bc}(?![-/]\d)", _h_year, "y"),
        r("range", rf"\b(?:between|from)\s+\d{{4}}\s+(?:and|to|-|–)\s+{y}\b{bc}", _h_year, "y"),
        r("year_range", rf"\b(?P<y>(?:1[89]|20)\d\d)\s*[-–]\s*(?:1[89]|20)\d\d\b{bc}", _h_year, "y"),
        r("year_range_end", rf"\b(?:1[89]|20)\d\d\s*[-–]\s*(?P<y>(?:1[89]|20)\d\d)\b{bc}", _h_year, "y"),
        r("relday", rf"\b(?P<w>{_alt(lx['relative_days'])})\b", _h_relday),
        r("weekend", r"\b(?:(?P<rel>last|this|next|past|coming)\s+|(?:over|during|at|on)\s+the\s+)weekend\b",
          _h_weekend),
        # expressions anchored on the narrative's reference time, not on the publication date
        r("anchored", r"\bthe\s+(?P<w>next|following|previous|preceding)\s+"
          r"(?P<u>day|morning|afternoon|evening|night|week|month|year)\b", _h_anchored),
        r("anchored_before", r"\bthe\s+(?P<u2>day|week|month|year)\s+(?P<w2>before|after)\b", _h_anchored),
        r("same", r"\b(?:(?:later|earlier)\s+)?(?:that|the\s+same|that\s+same)\s+"
          r"(?P<u>day|morning|afternoon|evening|night|week|month|year)\b", _h_anchored),
        r("weekday", rf"\b(?:(?P<rel>last|next|this|earlier|later|coming|past)\s+(?:on\s+)?)?{wd}"
          r"(?:\s+(?:morning|afternoon|evening|night))?\b", _h_weekday),
        r("relunit", rf"\b(?P<rel>{rel})\s+(?P<u>week|month|year|weekend|decade)\b", _h_relunit),
        r("ago", rf"\b{nums}\s+{units}\s+ago\b", _h_ago),
        r("offset", rf"\b{nums}\s+{units}\s+(?P<dir>after|before|later|earlier)\b", _h_offset),
    ]


# ---------------------------------------------------------------- candidates and resolution


@dataclass
class _Cand:
    start: int
    end: int
    rule: _Rule | None
    match: re.Match[str] | None
    spacy: Span | None = None


# What re.IGNORECASE matches with an ASCII letter besides its two cases, as that letter, so that a word a
# rule matches in a text is always in the text's folded lower case.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_DASHED = re.compile(r"\d(?:st|nd|rd|th)?\s*[-–]\s*\d", re.IGNORECASE)  # '1-3', '7th - 9th', '2014–2016'
_DASHED_RULES = frozenset({"iso", "md_range", "md_range_end", "dm_range", "dm_range_end", "year_range",
                           "year_range_end"})


@lru_cache(maxsize=1)
def _needed_words() -> dict[str, tuple[str, ...]]:
    """Rule name -> words (lower case) of which every match of the rule holds at least one: a text with none
    of them cannot match the rule, which is then not run over it. Read off the rules' patterns."""
    lx = lexicon()
    seasons = tuple(lx["seasons"])
    quarters = ("q1", "q2", "q3", "q4")
    needed = {
        "ago": ("ago",), "weekend": ("weekend",), "quarter": ("quarter",),
        "quarter_q": quarters, "quarter_yq": quarters, "quarter_bare": quarters,
        "season": seasons, "season_rel": seasons, "season_bare": seasons,
        "decade": ("0s",), "short_decade": ("0s",),
        "weekday": tuple(lx["weekdays"]),
        "relday": tuple({w.split()[-1] for w in lx["relative_days"]}),  # 'last night', 'the day before yesterday'
        "anchored": ("next", "following", "previous", "preceding"),
        "anchored_before": ("before", "after"),
    }
    for words in needed.values():
        if not all(w.isascii() and w == w.lower() and w.strip() == w for w in words):
            raise ValueError(f"timex lexicon: not a lower-case ASCII word among {words}")
    return needed


def _skipped(text: str) -> frozenset[str]:
    """The rules that cannot match anywhere in ``text``: the words each needs are absent."""
    folded = text.lower()
    if "\u0131" in folded or "\u017f" in folded:
        folded = folded.translate(_FOLD)
    skip = {name for name, words in _needed_words().items() if not any(w in folded for w in words)}
    if not _DASHED.search(text):
        skip |= _DASHED_RULES
    return frozenset(skip)


def _all_candidates(text: str) -> list[_Cand]:
    """Every match of every rule, in rule order, then text order."""
    skip = _skipped(text)
    out = []
    for rule in _rules():
        if rule.name in skip:
            continue
        for m in rule.pattern.finditer(text):
            s, e = m.span(rule.group) if rule.group else m.span()
            out.append(_Cand(s, e, rule, m))
    return out


def _regex_candidates(text: str, names: frozenset[str] | None = None, doc: Doc | None = None) -> Iterator[_Cand]:
    """Every match of every rule (of the rules named, when ``names`` is given). With the Doc of ``text``,
    the matches are found once per document (inside nlp.parsed_once) however often they are asked for."""
    shared = doc_cache(doc) if doc is not None else None
    if shared is None:
        found = _all_candidates(text)
    else:
        found = shared.get("timex_candidates")
        if found is None:
            found = shared["timex_candidates"] = _all_candidates(text)
    for c in found:
        if names is None or c.rule.name in names:
            yield c


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Non-overlapping candidates, longest first; patterns beat spaCy entities."""
    chosen: list[_Cand] = []
    order = sorted(cands, key=lambda c: (c.rule is None, -(c.end - c.start), c.start))
    for c in order:
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start)


_TEMPORAL_WORD = re.compile(
    r"\b(days?|weeks?|months?|years?|decades?|centur(y|ies)|recent|recently|ago|time|period)\b", re.I
)


def _dateparser_value(text: str, anchor: _Anchor) -> str | None:
    """Absolute leftovers through dateparser, asking for each precision so no part is invented.

    With an anchor the answer depends on the text and the anchor alone, so it is remembered (the same
    date phrases recur across the articles of a day); without one dateparser reads today's date."""
    if anchor.year:
        return _anchored_dateparser_value(text, anchor)
    return _parse_with_dateparser(text, anchor)


@lru_cache(maxsize=4096)
def _anchored_dateparser_value(text: str, anchor: _Anchor) -> str | None:
    return _parse_with_dateparser(text, anchor)


def _parse_with_dateparser(text: str, anchor: _Anchor) -> str | None:
    import dateparser  # slow import, only needed for leftovers

    base = dt.datetime(anchor.year, anchor.month or 1, anchor.day or 1) if anchor.year else None
    tries = ((["day", "month", "year"], "%Y-%m-%d"), (["month", "year"], "%Y-%m"), (["year"], "%Y"))
    for parts, fmt in tries:
        settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first", "PREFER_DATES_FROM": "past",
                                    "REQUIRE_PARTS": parts, "STRICT_PARSING": False}
        if base:
            settings["RELATIVE_BASE"] = base
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
        if parsed:
            return parsed.strftime(fmt)
    return None


def _spacy_value(span: Span, anchor: _Anchor) -> tuple[bool, str | None]:
    """(keep, value) for a DATE entity none of our patterns covered."""
    text = span.text.strip()
    after = doc_text(span.doc)[span.end_char : span.end_char + 6]
    if re.search(r"\b(?:BC|BCE|B\.C\.)(?!\w)", text) or re.match(r"\s*(?:BC|BCE|B\.C\.)(?!\w)", after):
        return True, None  # not a calendar date of the news
    months = lexicon()["months"]
    absolute = re.search(r"\d{4}", text) or any(w.lower().rstrip(".") in months for w in text.split())
    if absolute and re.search(r"\d", text):
        value = _dateparser_value(text, anchor)
        if value and 1800 <= int(value[:4]) <= 2100:  # not a house number ('8024 Turtle Creek Cir.')
            return True, value
    # durations and vague expressions ('three years', 'recent weeks') are kept without a value
    return bool(_TEMPORAL_WORD.search(text)), None


def find_timexes(doc: Doc, anchor: str | None) -> list[Timex]:
    """Every temporal expression of the document, normalised against the publication date ``anchor``."""
    text = doc_text(doc)
    cands = list(_regex_candidates(text, doc=doc))
    for ent in doc_ents(doc):
        if ent.label_ == "DATE":
            stripped = ent.text.strip()
            s = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
            cands.append(_Cand(s, s + len(stripped), None, None, ent))
    ctx = _Ctx(doc, _parse_anchor(anchor), None)
    out: list[Timex] = []
    for c in _select(cands):
        ctx.used = None
        if c.rule is not None and c.match is not None:
            value = c.rule.handler(c.match, ctx)
            if value is None and c.rule.name in ("dm", "md", "modm", "m") and not _month_ok(c.match):
                continue  # 'may', 'march' as verbs
        else:
            keep, value = _spacy_value(c.spacy, ctx.anchor) if c.spacy is not None else (False, None)
            if not keep:
                continue
        precision = precision_of(value) if value else None
        if precision == "day":
            ctx.reference = dt.date.fromisoformat(value)
        if precision in ("day", "month", "year"):
            ctx.ref_value = value
        used = ctx.used or anchor
        out.append(Timex(text[c.start : c.end], c.start, c.end, value, used if value else anchor, precision))
    return out


# ---------------------------------------------------------------- publication date from the text

_FULL_DATE_RULES = frozenset({"iso", "numeric", "dmy", "mdy"})
# Lines that caption a photo: their dates say when the picture was taken, often long before the article.
_CAPTION = re.compile(
    r"\b(?:photo|photograph|picture|image|credit|getty|file)\b|\((?:reuters|afp|ap|epa|anadolu)\b|/(?:reuters|afp)\b",
    re.IGNORECASE,
)
_EARLIEST = dt.date(1900, 1, 1)
LEDE_SENTENCES = 3  # a dateline and the lede: where an article dates its own news


def infer_published(doc: Doc, today: dt.date | None = None, skip: list[tuple[int, int]] | None = None,
                    lede: int = LEDE_SENTENCES) -> str | None:
    """A publication date for an article that states none, or None: nothing is guessed.

    The latest full date (day, month and year) of the article's first ``lede`` sentences, where a
    dateline or the news of the day is dated ('Baku, Azerbaijan, April 5, 2018'; 'met for the first time
    on June 17, 2015'), when it is plausible as the date of the article: not in a photo caption (file
    pictures are older), not in the future tense, not after ``today``, and no date the text states in the
    past tense is later (an article that mentions 2018 was not written in 2016). Dates deeper in the text
    are what the story recalls ('the lower court's order of November 30, 2016'), not when it was written.
    A month or a year alone is never stretched to a day. Character spans in ``skip`` (page furniture:
    other stories' headlines and dates) are not read."""
    text = doc_text(doc)
    today = today or dt.date.today()
    sentences = doc_sents(doc)
    lede_end = sentences[min(lede, len(sentences)) - 1].end_char if sentences else 0
    ctx = _Ctx(doc, _Anchor(None), None)
    best: dt.date | None = None
    for c in _select(list(_regex_candidates(text, _FULL_DATE_RULES, doc))):
        assert c.rule is not None and c.match is not None
        if c.start >= lede_end or any(a <= c.start < b for a, b in skip or ()):
            continue
        value = c.rule.handler(c.match, ctx)
        if not value or precision_of(value) != "day":
            continue
        day = dt.date.fromisoformat(value)
        if not _EARLIEST <= day <= today:
            continue
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.end)
        if _CAPTION.search(text[line_start : line_end if line_end >= 0 else len(text)]):
            continue
        if _tense(doc, c.start, c.end) == "future" or _caption_like(doc, c.start):
            continue
        best = day if best is None or day > best else best
    if best is None:
        return None
    for t in find_timexes(doc, None):  # absolute dates only: nothing relative resolves without an anchor
        if t.value and t.value[:4].isdigit() and _later(t.value, best) and _tense(doc, t.start, t.end) != "future":
            return None
    return best.isoformat()


def _later(value: str, day: dt.date) -> bool:
    """``value`` (at its precision) begins after ``day``'s year, month or day."""
    precision = precision_of(value)
    if precision == "day":
        return dt.date.fromisoformat(value) > day
    if precision == "month":
        return value > day.isoformat()[:7]
    if precision in ("year", "season", "quarter"):
        return int(value[:4]) > day.year
    return False


def _caption_like(doc: Doc, start: int) -> bool:
    """A photo caption whose credit line was cleaned away: 'Members sit in a vehicle in Baghdad, Iraq
    January 4, 2024.' The date follows a place name directly, or the sentence is in the present tense."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    if span is None:
        return False
    first = span[0]
    if first.i > 0 and doc[first.i - 1].ent_type_ in ("GPE", "LOC") and doc[first.i - 1].tag_ == "NNP":
        return True
    sent = first.sent
    if any(t.tag_ in ("VBD", "VBN") for t in sent):
        return False
    return sent.root.tag_ in ("VBP", "VBZ")

