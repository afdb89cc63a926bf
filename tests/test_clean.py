"""Cleaning: decoding, HTML extraction, boilerplate and repeats, metadata, offsets."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from newsgraph.clean import CleanError, clean
from newsgraph.clean.boilerplate import remove_boilerplate
from newsgraph.clean.dates import normalise
from newsgraph.clean.decode import DecodeError, decode
from newsgraph.clean.lines import split_lines
from newsgraph.clean.metadata import date_in_head, date_of_line
from newsgraph.model import RawDocument
from newsgraph.sources import iter_raw

ARABIC = "قال مسؤولون عراقيون إن وفدا سوريا عقد اجتماعات سرية مع قادة الفصائل في بغداد يوم الثلاثاء."
FRENCH = "Le président a déclaré que l’armée était prête — « café » à Zürich, naïve façade."
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "data" / "seeds"


def raw(data: bytes | str, fmt: str = "txt", **meta: str) -> RawDocument:
    return RawDocument(key="k", source="s", data=data, fmt=fmt, meta=meta)


def assert_offsets_point_back(doc, source: str) -> None:
    assert doc.offset_map, "expected an offset map"
    for clean_start, source_start, length in doc.offset_map:
        assert doc.text[clean_start : clean_start + length] == source[source_start : source_start + length]


# decoding


def test_cp1256_arabic_is_decoded() -> None:
    assert decode(ARABIC.encode("cp1256")) == ARABIC


def test_cp1252_is_preferred_over_other_western_code_pages() -> None:
    assert decode(FRENCH.encode("cp1252")) == FRENCH


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32", "utf-8-sig"])
def test_byte_order_marks_decide_the_encoding(encoding: str) -> None:
    data = ARABIC.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    assert decode(data) == ARABIC


def test_newlines_controls_and_composition_are_normalised() -> None:
    prose = b"Plain scraped prose. " * 20
    assert decode(prose + b"a\r\nb\rc\x00d\x07e\tf") == prose.decode() + "a\nb\ncde\tf"
    assert decode("Cafe\u0301".encode()) == "Café"


def test_binary_bytes_are_refused_with_a_reason() -> None:
    with pytest.raises(DecodeError, match="binary content"):
        decode(b"PK\x03\x04\x00\x00\x08\x00" * 20)
    with pytest.raises(CleanError, match="binary content"):
        clean(raw(b"\x00\x01\x02\x03garbage\x00"))


# boilerplate and repeats


def test_duplicated_headline_is_kept_once() -> None:
    text = "Militias meet in Baghdad\n\nMilitias meet in Baghdad\nLeaders of the militias met on Tuesday."
    doc = clean(raw(text.encode()))
    assert doc.text == "Militias meet in Baghdad\nLeaders of the militias met on Tuesday."
    assert doc.title == "Militias meet in Baghdad"


def test_caption_first_occurrence_is_kept_and_credit_variants_dropped() -> None:
    caption = "Fighters sit in a vehicle after a drone strike in Baghdad, Iraq January 4, 2024."
    text = (
        "Headline here\n"
        f"{caption}  (photo credit: REUTERS)\n"
        f"{caption}\n"
        "(photo credit: REUTERS)\n"
        "Body paragraph one.\n"
        f" {caption} (credit: REUTERS/AHMED SAAD)\n"
    )
    doc = clean(raw(text.encode()))
    assert doc.text == f"Headline here\n{caption}\nBody paragraph one."


def test_repeated_paragraph_keeps_first_occurrence_only() -> None:
    para = "The new Syrian leader met with an Iraqi delegation on Thursday, including the intelligence chief."
    lines = split_lines(f"Intro.\n{para}\nMiddle.\n{para}\nEnd.")
    assert [line.text for line in remove_boilerplate(lines)] == ["Intro.", para, "Middle.", "End."]


def test_scraped_widgets_and_reading_time_are_removed() -> None:
    text = (
        "Headline\n2 min read\nShare this article\nFollow us on Twitter\nReal sentence one.\n"
        "Facebook Twitter WhatsApp Email\nNo comments:\nPost a Comment\n"
        "Stay updated with the latest news!\nSubscribe to The Example Post Newsletter\n"
    )
    doc = clean(raw(text.encode()))
    assert doc.text == "Headline\nReal sentence one."
    assert doc.outlet == "The Example Post"


def test_long_paragraph_starting_like_a_widget_is_kept() -> None:
    para = (
        "Subscribers to the state broadcaster " + "watched the parliament session closely " * 6 + "on Monday."
    )
    doc = clean(raw(f"Headline\n{para}".encode()))
    assert para in doc.text


def test_desk_byline_names_the_outlet_and_is_removed() -> None:
    doc = clean(raw(b"Headline of story\n\nNews Desk - The Cradle \n\nThe delegation arrived on Thursday."))
    assert doc.outlet == "The Cradle"
    assert "News Desk" not in doc.text


def test_outlet_mentioned_in_prose_is_not_taken() -> None:
    doc = clean(raw(b"Headline\nIraqi officials told The New Arab on Tuesday that talks had begun."))
    assert doc.outlet is None


def test_document_with_only_boilerplate_raises_clean_error() -> None:
    with pytest.raises(CleanError, match="no text after cleaning"):
        clean(raw(b"2 min read\nShare this article\n\n(photo credit: AFP)\n"))
    with pytest.raises(CleanError):
        clean(raw("   \n\t\n", fmt="csv"))


# dates and metadata


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("14 December, 2016", "2016-12-14"),
        ("Friday, December 27, 2024", "2024-12-27"),
        ("December 27, 2024", "2024-12-27"),
        ("Wed 05 Apr 2017", "2017-04-05"),
        ("2016-12-14", "2016-12-14"),
        ("Date of publication 17 October 2016", "2016-10-17"),
        ("25 February, 2016", "2016-02-25"),
        ("Published: Thursday 01 September 2016 20:22 GMT", "2016-09-01"),
        ("December 2016", "2016-12"),
        ("Troops entered the city on 14 December 2016", None),
        ("2 min read", None),
    ],
)
def test_date_only_lines_are_recognised_at_their_precision(line: str, iso: str | None) -> None:
    assert date_of_line(line) == iso


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("4/5/2017", "2017-04-05"),  # US month/day
        ("25/12/2016", "2016-12-25"),  # impossible as month/day: day/month
        ("2017-04-05", "2017-04-05"),
        ("2017-04-05T10:00:00Z", "2017-04-05"),
        ("2017-04", "2017-04"),
        ("2017", "2017"),
        ("23.10.2017", "2017-10-23"),
        ("April 2017", "2017-04"),
        ("2 days ago", None),
        ("", None),
    ],
)
def test_metadata_dates_normalise_without_padding(value: str, iso: str | None) -> None:
    assert normalise(value) == iso


def test_dateline_at_start_of_run_on_text_is_found_but_not_a_date_mid_sentence() -> None:
    assert date_in_head("Date of publication 17 October 2016 At least 45 people were killed") == "2016-10-17"
    assert date_in_head("Strikes kill 32 Monitor AFP Monday 2 Feb 2015 Syrian jets") == "2015-02-02"
    assert date_in_head("Posted on April 19 2017 by Staff Six killed in Aleppo") == "2017-04-19"
    assert date_in_head("Troops said that on 5 March 2016 they entered the town.") is None
    assert date_in_head("December 2016 saw the heaviest fighting.") is None


def test_metadata_date_beats_text_date() -> None:
    doc = clean(raw("Wed 05 Apr 2017 Attack kills 70.", fmt="csv", published="4/6/2017"))
    assert (doc.published, doc.published_from) == ("2017-04-06", "metadata")
    doc = clean(raw("Wed 05 Apr 2017 Attack kills 70.", fmt="csv"))
    assert (doc.published, doc.published_from) == ("2017-04-05", "text")
    doc = clean(raw("Attack kills 70 in Idlib.", fmt="csv"))
    assert (doc.published, doc.published_from) == (None, None)


def test_date_line_gives_published_and_stays_in_the_text_as_a_temporal_expression() -> None:
    doc = clean(raw(b"Headline words\n14 December, 2016\nBody sentence here."))
    assert doc.text == "Headline words\n14 December, 2016\nBody sentence here."
    assert (doc.published, doc.published_from) == ("2016-12-14", "text")


def test_row_title_beats_first_line_and_paragraph_is_not_a_title() -> None:
    assert clean(raw("Some body text.", fmt="jsonl", title="Given")).title == "Given"
    assert clean(raw("A whole paragraph that ends with a full stop.", fmt="jsonl")).title is None


# html


def test_html_script_tags_are_dropped_and_meta_read() -> None:
    paras = "".join(
        f"<p>Paragraph {i}: Iraqi forces said on Tuesday they had retaken three more villages southwest of "
        "Mosul, completing another phase of the operation.</p>"
        for i in range(4)
    )
    page = (
        "<html><head><title>Forces retake villages | Example News</title>"
        '<meta property="og:site_name" content="Example News">'
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2016-12-14T08:00:00+03:00">'
        '<script>var leaked = "SCRIPT_TEXT";</script><style>p {color: red}</style></head>'
        f"<body><nav>Home World</nav><article><h1>Forces retake villages</h1>{paras}"
        '<script>alert("SCRIPT_TEXT")</script></article><footer>Copyright 2016</footer></body></html>'
    )
    doc = clean(raw(page.encode(), fmt="html"))
    assert "SCRIPT_TEXT" not in doc.text and "color" not in doc.text
    assert "Paragraph 3: Iraqi forces" in doc.text
    assert len(doc.text.split("\n")) >= 4  # paragraphs stay separate lines
    assert (doc.title, doc.outlet, doc.author) == ("Forces retake villages", "Example News", "Jane Doe")
    assert (doc.published, doc.published_from) == ("2016-12-14", "metadata")
    assert_offsets_point_back(doc, page)


def test_tiny_html_falls_back_to_plain_text() -> None:
    page = (
        b"<html><body><script>x()</script><p>Short note.</p><time datetime='2019-03'>x</time></body></html>"
    )
    doc = clean(raw(page, "html"))
    assert doc.text.startswith("Short note.")
    assert doc.published == "2019-03"


def test_html_in_a_csv_cell_is_extracted() -> None:
    doc = clean(raw("<div><p>First para.</p><p>Second para.</p></div>", fmt="csv"))
    assert doc.text == "First para.\nSecond para."


# document fields


def test_offsets_hash_and_whitespace_collapse() -> None:
    source = "Headline\r\n\r\nFirst  line\twith   gaps.\n\nSecond line.\n"
    doc = clean(raw(source.encode()))
    assert doc.text == "Headline\nFirst line with gaps.\nSecond line."
    assert doc.sha256 == hashlib.sha256(doc.text.encode()).hexdigest()
    assert doc.language == "en"
    assert_offsets_point_back(doc, decode(source.encode()))


def test_cp1252_and_utf16_files_clean_end_to_end(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(("Titre\n" + FRENCH).encode("cp1252"))
    (tmp_path / "b.txt").write_bytes(("Arabic\n" + ARABIC).encode("utf-16"))
    docs = [clean(item) for item in iter_raw([str(tmp_path)])]
    assert FRENCH in docs[0].text and ARABIC in docs[1].text


def test_sidecar_metadata_flows_into_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\n14 December, 2016\nBody.")
    (tmp_path / "a.txt.meta.json").write_text('{"published": "2017-04", "outlet": "Wire", "author": "A. B."}')
    [item] = list(iter_raw([str(tmp_path)]))
    doc = clean(item)
    assert (doc.published, doc.published_from, doc.outlet, doc.author) == (
        "2017-04",
        "metadata",
        "Wire",
        "A. B.",
    )
    assert doc.text == "Headline\n14 December, 2016\nBody."


# real scraped seeds


@pytest.mark.skipif(not SEEDS.exists(), reason="shared seeds not present")
def test_seed_articles_get_their_publication_dates_from_the_text() -> None:
    docs = {d.key[:3]: d for d in (clean(item) for item in iter_raw([str(SEEDS)]))}
    expected = {"000": "2016-12-14", "001": "2024-12-27", "002": "2016-02-25", "003": "2016-10-30"}
    for prefix, iso in expected.items():
        assert (docs[prefix].published, docs[prefix].published_from) == (iso, "text"), prefix
    assert docs["004"].published is None and docs["004"].published_from is None
    for doc in docs.values():
        assert "min read" not in doc.text and "Post a Comment" not in doc.text
        assert doc.title and doc.text.startswith(doc.title)
        lines = doc.text.split("\n")
        assert len(lines) == len(set(lines)), doc.key


def test_sidecar_stated_by_the_user_is_marked_user(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Headline\nThe delegation met on Thursday.")
    (tmp_path / "a.meta.yaml").write_text("published: 2024-12-27\npublished_from: user\n")
    [item] = list(iter_raw([str(tmp_path)]))
    doc = clean(item)
    assert (doc.published, doc.published_from) == ("2024-12-27", "user")


def test_a_trailing_time_is_cut_as_the_whole_line_search_would_cut_it() -> None:
    from newsgraph.clean.metadata import _TRAIL, _cut_trailing_time

    tails = ["", " ", " 10:45", ", at 9.30 GMT", " | 10:45:12 p.m. (UTC + 03:30) .", " at 1030 am EDT |",
             "\n", " 10:45 \n", " – 12:05:59 P.M. (WITA+08:00) |  \t ", "x", " 2016", " at  \n  12:00"]
    heads = ["Friday, December 27, 2024", "", "word " * 300, "9:30 " * 40, " " * 12 + "Posted",
             "Aleppo, Syria " + "\u00a0" * 8]
    for head in heads:  # (long runs of spaces make the plain search slow beyond measure)
        for tail in tails:
            for text in (head + tail, tail + head + tail, head + " " * 9 + tail):
                assert _cut_trailing_time(text) == _TRAIL.sub("", text, count=1), repr(text[-80:])
    assert _cut_trailing_time("Posted 5 May 2016 at 10:45 GMT") == "Posted 5 May 2016"
