"""Hostile and broken input: one generated corpus of everything analysts' scrapes contain.

Every bad input gets a specific reason (in the ingest summary and in `newsgraph failures`), every good
document of the same batch is stored, and limits refuse oversized input before reading it.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import tarfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsgraph.cli import main
from tests.conftest import store_url

HUGE = 200 * 2**20  # the 200 MB single-line file


def news(topic: str) -> str:
    """A short, distinct news text (distinct texts: identical ones would be stored once as duplicates)."""
    return (f"Officials said on Monday that talks about {topic} would resume in Geneva next week.\n"
            f"The United Nations envoy met both delegations to discuss {topic} on Sunday.\n")


GOOD_TEXTS = {  # file name -> bytes: all decode to a usable article
    "plain.txt": news("the ceasefire").encode(),
    "utf16-bom.txt": news("prisoner exchanges").encode("utf-16"),  # BOM + UTF-16 LE
    "arabic-cp1256.txt": ("قال مسؤولون إن القوات قصفت مدينة حلب يوم الاثنين.\n"
                          "وأضافوا أن المحادثات ستستأنف في جنيف الأسبوع المقبل.\n").encode("cp1256"),
    "invalid-utf8.txt": news("the café in Köln").encode()[:40] + b"\xff" + news("the café in Köln").encode()[40:],
    "nul-bytes.txt": news("aid convoys").encode().replace(b"Monday", b"Mon\x00day", 1) + b"\x00",
    "script.html": (b"<html><head><title>Talks</title><script>var leaked='SCRIPTTEXT';</script>"
                    b"<style>p{color:red}</style></head><body><article><p>" + news("border crossings").encode()
                    + b"</p><script>document.write('SCRIPTTEXT')</script><p><a href=\"javascript:alert(1)\">"
                    b"More</a> on the talks.</p></article></body></html>"),
    "nested.html": (b"<html><body>" + b"<div>" * 10_000 + b"<p>" + news("nested pages").encode() + b"</p>"
                    + b"</div>" * 10_000 + b"</body></html>"),
    "sub/inner.txt": news("a folder entered once").encode(),
}
ODD_NAMES = ["with space.txt", "ünïcødé-名前.txt", "new\nline.txt", "-dash.txt", "--help.txt"]
BYTES_NAME = b"latin1-\xe9.txt"  # not UTF-8: Python keeps it as a surrogate escape

CSV_ROWS = [
    ["id", "title", "text"],
    ["c1", "Good row", news("grain exports")],
    ["c2", "Too few cells"],  # ragged: no text column
    ["c3", "Too many cells", news("fuel prices"), "extra", "cells"],  # ragged: extras ignored
    ["c4", "Embedded", "Line one of the story.\nLine two, with a NUL\x00 byte, about water supplies.\n"],
    [],  # blank row: skipped
]
JSONL_LINES = [
    json.dumps({"id": "j1", "text": news("school reopenings")}),
    '{"id": "j2", "text": "unterminated',
    "[1, 2, 3]",
    json.dumps({"id": "j4", "title": "no text here"}),
    json.dumps({"id": "j5", "text": news("power cuts")}),
    '{"id": "j6\\ud800", "title": "lone \\udc00 surrogates", "text": "Talks on \\ud83d fuel resumed in Geneva."}',
    '{"id": "j7\\udfff"}',
]

# key -> the reason its failure must give (a prefix, or the whole reason)
EXPECTED_FAILURES = {
    "binary/photo.txt": "binary content (PNG image)",
    "binary/blob.html": "binary content",
    "binary/data.jsonl": "binary content (zip archive)",
    "binary/report.md": "binary content (PDF document)",
    "empty.txt": "empty file",
    "empty.csv": "empty file",
    "huge.txt": "file too large (200 MB; limit 10 MB; raise with --max-document-size or "
                "NEWSGRAPH_MAX_DOCUMENT_SIZE)",
    "long-line.txt": "line 1 too long (2,097,152 characters; limit 1,000,000; raise with --max-line-length or "
                     "NEWSGRAPH_MAX_LINE_LENGTH)",
    "archives/articles.zip": "archive not read (.zip): unpack it and ingest the folder",
    "archives/articles.tar.gz": "archive not read (.tar.gz): unpack it and ingest the folder",
    "archives/article.txt.gz": "archive not read (.gz): unpack it and ingest the folder",
    "loops/loop1.txt": "unreadable file: Too many levels of symbolic links",
    "loops/loop2.txt": "unreadable file: Too many levels of symbolic links",
    "loops/gone.txt": "unreadable file: No such file or directory",
    "pipe.txt": "not a regular file (named pipe)",
    "c2": "row 2: no text in column 'text'",
    "broken.jsonl#2": "line 2: invalid JSON",
    "broken.jsonl#3": "line 3: not a JSON object",
    "j4": "line 4: no text in field 'text'",
    "j7\ufffd": "line 7: no text in field 'text'",
    "deep.json": "invalid JSON: nested too deeply",
    "deep-meta.txt.meta.yaml": "invalid sidecar: nested too deeply",
}
GOOD_KEYS = {*GOOD_TEXTS, *ODD_NAMES, "latin1-\\xe9.txt", "c1", "c3", "c4", "j1", "j5", "j6\ufffd", "deep-meta.txt"}


def _zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inside.txt", news("zipped articles"))
    return buf.getvalue()


def write_corpus(root: Path) -> Path:
    """Every kind of hostile input next to good documents, generated on disk (nothing checked in)."""
    for name, data in GOOD_TEXTS.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    (root / "sub" / "loop").symlink_to(root / "sub", target_is_directory=True)  # a folder loop: entered once
    for i, name in enumerate(ODD_NAMES):
        (root / name).write_text(news(f"odd file name number {i}"))
    with open(os.path.join(os.fsencode(root), BYTES_NAME), "wb") as handle:
        handle.write(news("a file name in Latin-1").encode())

    (root / "binary").mkdir()
    (root / "binary" / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (root / "binary" / "blob.html").write_bytes(bytes((i * 7919) % 256 for i in range(4096)))
    (root / "binary" / "data.jsonl").write_bytes(_zip_bytes())
    (root / "binary" / "report.md").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nstream\n"
                                                + bytes(range(256)) * 8)
    (root / "empty.txt").write_bytes(b"")
    (root / "empty.csv").write_bytes(b"")
    with open(root / "huge.txt", "wb") as handle:  # one line, written a MB at a time
        chunk = b"word " * (2**20 // 5) + b"w" * (2**20 % 5)
        for _ in range(HUGE // len(chunk)):
            handle.write(chunk)
    (root / "long-line.txt").write_bytes(b"x" * (2 * 2**20))

    (root / "archives").mkdir()
    (root / "archives" / "articles.zip").write_bytes(_zip_bytes())
    with tarfile.open(root / "archives" / "articles.tar.gz", "w:gz") as tar:
        tar.add(root / "plain.txt", arcname="plain.txt")
    (root / "archives" / "article.txt.gz").write_bytes(gzip.compress(news("gzipped articles").encode()))

    (root / "loops").mkdir()
    (root / "loops" / "loop1.txt").symlink_to(root / "loops" / "loop2.txt")
    (root / "loops" / "loop2.txt").symlink_to(root / "loops" / "loop1.txt")
    (root / "loops" / "gone.txt").symlink_to(root / "loops" / "missing.txt")
    os.mkfifo(root / "pipe.txt")  # reading it would block for ever

    with open(root / "ragged.csv", "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(CSV_ROWS)
    (root / "broken.jsonl").write_text("\n".join(JSONL_LINES) + "\n")
    (root / "deep.json").write_text("[" * 100_000 + "]" * 100_000)  # past Python's recursion limit
    (root / "deep-meta.txt").write_text(news("a sidecar nested too deeply"))
    (root / "deep-meta.txt.meta.yaml").write_text("title: " + "[" * 100_000 + "]" * 100_000)
    return root


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = write_corpus(tmp_path_factory.mktemp("hostile"))
    yield root
    (root / "huge.txt").unlink()  # do not leave 200 MB behind in pytest's kept temp folders


def test_every_bad_input_gets_its_reason_and_every_good_document_is_stored(corpus, tmp_path):
    db = store_url(tmp_path, "h")
    result = CliRunner().invoke(main, ["ingest", str(corpus), "--db", db, "--quiet"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"read {len(GOOD_KEYS) + len(EXPECTED_FAILURES)}: added {len(GOOD_KEYS)}, "
                                    f"duplicates 0, unchanged 0, failed {len(EXPECTED_FAILURES)}\n"), result.output
    for key, reason in EXPECTED_FAILURES.items():
        assert f"  failed {key}: {reason}" in result.output, (key, result.output)
    assert "  failed new\\nline.txt" not in result.output  # odd names are stored, printed on one line

    listed = CliRunner().invoke(main, ["failures", "--db", db, "--format", "json"])
    assert listed.exit_code == 0, listed.output
    failures = {f["key"]: f for f in json.loads(listed.output)}
    assert set(failures) == set(EXPECTED_FAILURES)
    for key, reason in EXPECTED_FAILURES.items():
        assert failures[key]["reason"].startswith(reason), failures[key]
        assert failures[key]["source"].startswith(str(corpus)) and failures[key]["at"]

    from newsgraph.store.db import Store

    store = Store(db)
    with store.engine.connect() as conn:
        from sqlalchemy import text

        docs = {r.key: r.text for r in conn.execute(text("SELECT key, text FROM documents"))}
    store.close()
    assert set(docs) == GOOD_KEYS
    assert "SCRIPTTEXT" not in docs["script.html"] and "javascript" not in docs["script.html"]
    assert "nested pages" in docs["nested.html"]
    assert "حلب" in docs["arabic-cp1256.txt"]
    assert "café in Köln" in docs["invalid-utf8.txt"] and "\ufffd" in docs["invalid-utf8.txt"]
    assert "\x00" not in docs["nul-bytes.txt"] + docs["c4"] and "Monday" in docs["nul-bytes.txt"]
    assert "prisoner exchanges" in docs["utf16-bom.txt"]
    assert "Line two" in docs["c4"]
    assert docs["j6\ufffd"] == "Talks on \ufffd fuel resumed in Geneva."  # lone surrogates cannot be stored


def test_failures_are_listed_once_however_often_the_batch_is_run_again(corpus, tmp_path):
    db = store_url(tmp_path, "again")
    runner = CliRunner()
    for _ in range(2):
        assert runner.invoke(main, ["ingest", str(corpus / "broken.jsonl"), str(corpus / "empty.txt"),
                                    "--db", db, "--quiet"]).exit_code == 0
    listed = runner.invoke(main, ["failures", "--db", db])
    assert listed.exit_code == 0
    lines = listed.output.splitlines()
    assert lines[-1] == "5 failures"
    assert sum("broken.jsonl#2: line 2: invalid JSON" in line for line in lines) == 1


def test_a_fixed_file_leaves_the_failures_list(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "late.txt").write_bytes(b"")
    db = store_url(tmp_path, "fix")
    runner = CliRunner()
    runner.invoke(main, ["ingest", str(folder), "--db", db, "--quiet"])
    assert "late.txt: empty file" in runner.invoke(main, ["failures", "--db", db]).output
    (folder / "late.txt").write_text(news("a file written late"))
    result = runner.invoke(main, ["ingest", str(folder), "--db", db, "--quiet"])
    assert "added 1" in result.output
    assert runner.invoke(main, ["failures", "--db", db]).output == "no failures\n"


def test_oversized_file_is_refused_by_its_size_without_being_read(corpus):
    from newsgraph.sources import iter_raw

    assert (corpus / "huge.txt").stat().st_size == HUGE
    tracemalloc.start()
    try:
        items = list(iter_raw([str(corpus / "huge.txt")]))
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [i.reason for i in items] == [EXPECTED_FAILURES["huge.txt"]]
    assert peak < 2**20  # nothing near the file's 200 MB was allocated


def test_limits_are_configurable_by_option_and_environment(tmp_path, monkeypatch):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(news("limits"))
    size, longest = len(news("limits").encode()), max(len(line) for line in news("limits").splitlines())
    assert size > 100 and longest > 50
    (folder / "rows.jsonl").write_text(json.dumps({"id": "r1", "text": news("row limits") * 3}) + "\n")
    runner = CliRunner()
    result = runner.invoke(main, ["ingest", str(folder), "--db", store_url(tmp_path, "l"), "--quiet",
                                  "--max-document-size", "100", "--max-line-length", "50"])
    assert result.exit_code == 0, result.output
    assert (f"failed a.txt: file too large ({size} bytes; limit 100 bytes; raise with --max-document-size or "
            "NEWSGRAPH_MAX_DOCUMENT_SIZE)") in result.output
    assert "failed r1: row text too large" in result.output
    monkeypatch.setenv("NEWSGRAPH_MAX_LINE_LENGTH", "50")
    result = runner.invoke(main, ["ingest", str(folder), "--db", store_url(tmp_path, "l2"), "--quiet"])
    assert f"failed a.txt: line 1 too long ({longest} characters; limit 50; raise with --max-line-length" \
        in result.output
    monkeypatch.setenv("NEWSGRAPH_MAX_FILE_SIZE", "100")
    result = runner.invoke(main, ["ingest", str(folder), "--db", store_url(tmp_path, "l3"), "--quiet"])
    assert "failed rows.jsonl: file of rows too large" in result.output and "--max-file-size" in result.output
    monkeypatch.setenv("NEWSGRAPH_MAX_FILE_SIZE", "lots")
    result = runner.invoke(main, ["ingest", str(folder), "--db", store_url(tmp_path, "l4"), "--quiet"])
    assert result.exit_code != 0 and "NEWSGRAPH_MAX_FILE_SIZE: bad size 'lots'" in result.output
    result = runner.invoke(main, ["ingest", str(folder), "--db", store_url(tmp_path, "l5"),
                                  "--max-document-size", "-3"])
    assert result.exit_code == 2 and "bad size '-3'" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported_and_the_batch_goes_on(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locked.txt").write_text(news("locked files"))
    (folder / "open.txt").write_text(news("open files"))
    (folder / "locked.txt").chmod(0)
    try:
        result = CliRunner().invoke(main, ["ingest", str(folder), "--db", store_url(tmp_path, "u"), "--quiet"])
    finally:
        (folder / "locked.txt").chmod(0o644)
    assert "added 1" in result.output and "failed locked.txt: unreadable file: Permission denied" in result.output


def test_failures_print_an_odd_file_name_on_one_line(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "two\nlines.txt").write_bytes(b"")
    db = store_url(tmp_path, "odd")
    runner = CliRunner()
    assert "  failed two\\nlines.txt: empty file\n" in runner.invoke(main, ["ingest", str(folder), "--db", db,
                                                                          "--quiet"]).output
    lines = runner.invoke(main, ["failures", "--db", db]).output.splitlines()
    assert len(lines) == 3 and lines[0].endswith("  two\\nlines.txt: empty file") and lines[2] == "1 failure"
    listed = json.loads(runner.invoke(main, ["failures", "--db", db, "--format", "json"]).output)
    assert [f["key"] for f in listed] == ["two\nlines.txt"]  # stored as named; escaped only for display
