"""The days a stored TimeML value can mean ('2016-W05', '2016-SU', '201'): one reading for the store, which
keeps each event's first and last day for SQL filters and ordering, and for every query that compares dates."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache

DateRange = tuple[dt.date, dt.date]

_SEASONS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11)}  # WI: December to February of the next year


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


@lru_cache(maxsize=1 << 16)  # a store holds few distinct values, read again for every event that has one
def date_range(value: str | None) -> DateRange | None:
    """First and last day a stored TimeML value can mean: '2016' -> 1 Jan..31 Dec 2016; None if unknown."""
    if not value:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            day = dt.date.fromisoformat(value)
            return day, day
        if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
            monday = dt.date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return monday, monday + dt.timedelta(days=6)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
            year, month = int(m[1]), int(m[2])
            return dt.date(year, month, 1), _month_end(year, month)
        if m := re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", value):
            year = int(m[1])
            if m[2] == "WI":
                return dt.date(year, 12, 1), _month_end(year + 1, 2)
            first, last = _SEASONS[m[2]]
            return dt.date(year, first, 1), _month_end(year, last)
        if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
            year, q = int(m[1]), int(m[2])
            return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
        if re.fullmatch(r"\d{4}", value):
            return dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)
        if re.fullmatch(r"\d{3}", value):
            return dt.date(int(value) * 10, 1, 1), dt.date(int(value) * 10 + 9, 12, 31)
    except ValueError:
        return None
    return None


def day_bounds(value: str | None) -> tuple[str | None, str | None]:
    """date_range as ISO strings, as the store keeps them (None, None when the value means no days)."""
    span = date_range(value)
    return (None, None) if span is None else (span[0].isoformat(), span[1].isoformat())
