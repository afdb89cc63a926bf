"""Readers: folders, files, globs, rows with mappings, and every kind of bad input reported by name."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newsgraph.model import RawDocument, SourceError
from newsgraph.sources import iter_raw, parse_mapping

FAKES_MAPPING = {"text": "article_content", "title": "article_title", "published": "date", "id": "unit_id"}


def read(paths, mapping=None) -> tuple[list[RawDocument], list[SourceError]]:
    items = list(iter_raw([str(p) for p in paths], mapping))
    docs = [i for i in items if isinstance(i, RawDocument)]
    errors = [i for i in items if isinstance(i, SourceError)]
    return docs, errors


def test_folder_is_walked_recursively_sorted_with_relative_keys(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed story.")
    (tmp_path / "a.md").write_text("# Title\n\nBody.")
    (tmp_path / "c.htm").write_text("<p>Hi</p>")
    docs, errors = read([tmp_path])
    assert errors == []
    assert [(d.key, d.fmt) for d in docs] == [("a.md", "md"), ("b/z.txt", "txt"), ("c.htm", "html")]
    assert all(isinstance(d.data, bytes) for d in docs)
    assert docs[1].source == os.path.abspath(tmp_path / "b" / "z.txt")


def test_hidden_files_and_folders_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("no")
    (tmp_path / ".hidden.txt").write_text("no")
    (tmp_path / "seen.txt").write_text("yes")
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["seen.txt"] and errors == []


def test_unsupported_files_are_skipped_in_folders_but_reported_when_named(tmp_path: Path) -> None:
    (tmp_path / "photo.xyz").write_bytes(b"\x00\x01")
    (tmp_path / "ok.txt").write_text("fine")
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["ok.txt"] and errors == []
    docs, errors = read([tmp_path / "photo.xyz"])
    assert docs == [] and [e.reason for e in errors] == ["unsupported file type .xyz"]


def test_directly_named_file_is_keyed_by_its_name(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "story.txt").write_text("Text.")
    docs, _ = read([tmp_path / "sub" / "story.txt"])
    assert [d.key for d in docs] == ["story.txt"]


def test_glob_keys_are_relative_to_the_fixed_part_of_the_pattern(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "one.txt").write_text("1")
    (tmp_path / "two.txt").write_text("2")
    (tmp_path / "skip.csv").write_text("text\nhello\n")
    docs, errors = read([f"{tmp_path}/**/*.txt"])
    assert sorted(d.key for d in docs) == ["two.txt", "x/one.txt"] and errors == []
    docs, errors = read([f"{tmp_path}/*.nothing"])
    assert docs == [] and errors[0].reason == "no supported files match"


def test_missing_path_is_reported(tmp_path: Path) -> None:
    _, errors = read([tmp_path / "nope"])
    assert errors[0].reason == "no such file or directory"


def test_sidecar_meta_json_becomes_metadata_and_is_not_a_document(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Story text.")
    (tmp_path / "a.txt.meta.json").write_text(
        json.dumps({"title": "T", "published": "2017-04-05", "outlet": "O", "url": "", "extra": "x"})
    )
    (tmp_path / "b.json").write_text(json.dumps({"id": "b1", "text": "Row text."}))
    docs, errors = read([tmp_path])
    assert errors == []
    assert [d.key for d in docs] == ["a.txt", "b1"]
    assert docs[0].meta == {"title": "T", "published": "2017-04-05", "outlet": "O"}


def test_broken_sidecar_is_reported_and_document_still_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Story text.")
    (tmp_path / "a.txt.meta.json").write_text("{not json")
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["a.txt"] and docs[0].meta == {}
    assert errors[0].key == "a.txt.meta.json" and "invalid sidecar" in errors[0].reason


def test_empty_file_is_reported_and_batch_continues(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.txt").write_text("Fine.")
    (tmp_path / "c.csv").write_bytes(b"")
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["b.txt"]
    assert [(e.key, e.reason) for e in errors] == [("a.txt", "empty file"), ("c.csv", "empty file")]


def test_binary_file_with_txt_extension_is_reported(tmp_path: Path) -> None:
    (tmp_path / "img.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    docs, errors = read([tmp_path])
    assert docs == [] and errors[0].reason == "binary content (PNG image)"


def test_utf16_file_with_nul_bytes_is_not_mistaken_for_binary(tmp_path: Path) -> None:
    (tmp_path / "u.txt").write_bytes("Aleppo news".encode("utf-16"))
    docs, errors = read([tmp_path])
    assert len(docs) == 1 and errors == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    try:
        _, errors = read([tmp_path])
    finally:
        path.chmod(0o644)
    assert errors[0].reason.startswith("unreadable file")


def test_broken_symlink_is_reported_as_unreadable(tmp_path: Path) -> None:
    (tmp_path / "gone.txt").symlink_to(tmp_path / "missing.txt")
    (tmp_path / "ok.txt").write_text("ok")
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["ok.txt"]
    assert [(e.key, e.reason) for e in errors] == [("gone.txt", "unreadable file: No such file or directory")]


def test_symlink_loop_is_not_followed_twice(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("A.")
    (tmp_path / "d" / "loop").symlink_to(tmp_path / "d", target_is_directory=True)
    (tmp_path / "again").symlink_to(tmp_path / "d", target_is_directory=True)
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["again/a.txt"] and errors == []


def test_jsonl_rows_use_id_field_as_key_and_meta_only_non_empty(tmp_path: Path) -> None:
    lines = [
        {"id": 7, "title": "T", "text": "Body.", "published": "2017-04-05", "url": ""},
        {"title": "No id", "text": "Body two."},
    ]
    (tmp_path / "rows.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n\n")
    docs, errors = read([tmp_path])
    assert errors == []
    assert [(d.key, d.fmt, d.data) for d in docs] == [
        ("7", "jsonl", "Body."),
        ("rows.jsonl#2", "jsonl", "Body two."),
    ]
    assert docs[0].meta == {"title": "T", "published": "2017-04-05"}


def test_malformed_jsonl_line_is_reported_with_its_number_and_batch_continues(tmp_path: Path) -> None:
    (tmp_path / "rows.jsonl").write_text(
        '{"id": "1", "text": "a"}\n{"id": "2", "text": "b"}\n{"id": 3, \n[1]\n'
    )
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["1", "2"]
    assert errors[0].reason.startswith("line 3: invalid JSON:")
    assert errors[1].reason == "line 4: not a JSON object"


def test_json_file_may_be_object_list_or_documents_wrapper(tmp_path: Path) -> None:
    (tmp_path / "one.json").write_text(json.dumps({"text": "Single."}))
    (tmp_path / "list.json").write_text(json.dumps([{"id": "x", "text": "A"}, "oops", {"text": ""}]))
    (tmp_path / "wrap.json").write_text(json.dumps({"documents": [{"id": "w", "text": "W"}]}))
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["x", "one.json", "w"]
    assert [e.reason for e in errors] == ["row 2: not a JSON object", "row 3: no text in field 'text'"]


def test_csv_mapping_bom_multiline_and_large_fields(tmp_path: Path) -> None:
    big = "word " * 40000  # beyond csv's default 128 KB field limit
    content = (
        "unit_id,article_title,article_content,source,date\r\n"
        '1,"Title, one","Line one\r\nline two ""quoted""",X,4/5/2017\r\n'
        f'2,Big,"{big}",Y,\r\n'
    )
    (tmp_path / "f.csv").write_bytes(b"\xef\xbb\xbf" + content.encode("utf-8"))
    docs, errors = read([tmp_path], FAKES_MAPPING)
    assert errors == []
    assert [d.key for d in docs] == ["1", "2"]
    assert docs[0].data == 'Line one\nline two "quoted"'
    assert docs[0].meta == {"title": "Title, one", "published": "4/5/2017"}
    assert len(docs[1].data) == len(big)


def test_csv_row_without_text_is_reported_and_batch_continues(tmp_path: Path) -> None:
    rows = ["unit_id,article_title,article_content"] + [f"{i},t{i},text {i}" for i in range(1, 17)]
    rows += ["17,t17,", "18,t18,text 18"]
    (tmp_path / "f.csv").write_text("\n".join(rows) + "\n")
    docs, errors = read([tmp_path], {"text": "article_content", "id": "unit_id"})
    assert len(docs) == 17
    assert [(e.key, e.reason) for e in errors] == [("17", "row 17: no text in column 'article_content'")]


def test_ragged_csv_rows_are_read_or_reported(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text("id,title,text\n1,short\n2,ok,Body two,extra,cells\n\n3,t,Three\n")
    docs, errors = read([tmp_path])
    assert [d.key for d in docs] == ["2", "3"]
    assert [e.reason for e in errors] == ["row 1: no text in column 'text'"]


def test_missing_mapped_column_is_reported_for_the_file(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_text("id,text\n1,hello\n")
    docs, errors = read([tmp_path], {"text": "article_content"})
    assert docs == [] and [e.reason for e in errors] == ["column 'article_content' not in header"]
    docs, errors = read([tmp_path], {"title": "headline"})
    assert docs == [] and [e.reason for e in errors] == ["column 'headline' not in header"]


def test_csv_in_cp1252_and_semicolon_separated_is_decoded(tmp_path: Path) -> None:
    (tmp_path / "f.csv").write_bytes("id;text\n1;Le président a déclaré — « non »\n".encode("cp1252"))
    docs, errors = read([tmp_path])
    assert errors == [] and docs[0].data == "Le président a déclaré — « non »"


def test_unknown_mapping_field_is_rejected_up_front() -> None:
    with pytest.raises(ValueError, match="unknown field"):
        iter_raw(["x"], {"body": "article_content"})


def test_cli_mapping_spec_is_parsed() -> None:
    assert parse_mapping("text=article_content, title=article_title") == {
        "text": "article_content",
        "title": "article_title",
    }
    with pytest.raises(ValueError):
        parse_mapping("text")


FAKES = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"


@pytest.mark.skipif(not FAKES.exists(), reason="shared FA-KES data not present")
def test_fakes_csv_reads_every_row_without_failures() -> None:
    docs, errors = read([FAKES], FAKES_MAPPING)
    assert errors == [] and len(docs) == 804
    assert all(d.data.strip() and d.meta.get("title") for d in docs)


def test_yaml_sidecar_next_to_the_file_or_its_stem(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Body of a.")
    (tmp_path / "a.txt.meta.yaml").write_text("published: 2017-04-05\noutlet: Wire\n")
    (tmp_path / "b.txt").write_text("Body of b.")
    (tmp_path / "b.meta.yml").write_text("date: 5 April 2017\ntitle: B\n")
    docs, errors = read([str(tmp_path)])
    assert not errors and [d.key for d in docs] == ["a.txt", "b.txt"]
    assert docs[0].meta == {"published": "2017-04-05", "outlet": "Wire"}
    assert docs[1].meta == {"published": "5 April 2017", "title": "B"}


def test_sidecar_may_say_the_date_is_the_users_own(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Body.")
    (tmp_path / "a.txt.meta.json").write_text('{"published": "2024-12-26", "published_from": "user"}')
    (tmp_path / "b.txt").write_text("Body.")
    (tmp_path / "b.txt.meta.json").write_text('{"published_from": "inferred"}')
    docs, _ = read([str(tmp_path)])
    assert docs[0].meta == {"published": "2024-12-26", "published_from": "user"}
    assert docs[1].meta == {}  # no date, nothing to qualify; only 'user' or 'metadata' are taken


def test_broken_yaml_sidecar_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Body.")
    (tmp_path / "a.meta.yaml").write_text("published: [unclosed\n")
    docs, errors = read([str(tmp_path)])
    assert [d.key for d in docs] == ["a.txt"] and docs[0].meta == {}
    assert errors[0].key == "a.meta.yaml" and "invalid sidecar" in errors[0].reason


def _both_ways(path: Path, fmt: str, mapping: dict[str, str] | None = None) -> tuple[list, list]:
    """The rows of a file read whole and read as a stream (as a file over STREAM_OVER is)."""
    from newsgraph.settings import Limits
    from newsgraph.sources.paths import Target
    from newsgraph.sources.rows import _rows, check_mapping

    target, mapped = Target(str(path), path.name, fmt), check_mapping(mapping)
    return (list(_rows(target, mapped, set(mapping or {}), Limits())),
            list(_rows(target, mapped, set(mapping or {}), Limits(), stream_over=0)))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1256"])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_streamed_file_of_rows_reads_as_the_whole_file_does(tmp_path: Path, encoding: str, newline: str) -> None:
    rows = [{"id": "a", "text": "قصفت الطائرات مدينة حلب يوم الاثنين", "title": "حلب"},
            {"id": "b", "text": "Two lines\u2028in one record, a NUL\x00 and a tab\tstay one row"},
            {"id": "c", "title": "no text"}]
    if encoding == "cp1256":
        rows[1]["text"] = "plain text, a NUL\x00 and a tab\tin one row"
    jsonl = tmp_path / "rows.jsonl"
    jsonl.write_bytes(newline.join([json.dumps(r, ensure_ascii=False) for r in rows] + ["{broken", ""])
                      .encode(encoding))
    whole, streamed = _both_ways(jsonl, "jsonl")
    assert streamed == whole and [type(x).__name__ for x in whole] == ["RawDocument", "RawDocument",
                                                                       "SourceError", "SourceError"]
    body = newline.join(['id;text;title', 'a;"قصفت الطائرات' + newline + 'مدينة حلب";حلب', "b;;x", "c;plain;t", ""])
    csv_file = tmp_path / "rows.csv"
    csv_file.write_bytes(body.encode(encoding))
    whole, streamed = _both_ways(csv_file, "csv")
    assert streamed == whole and [type(x).__name__ for x in whole] == ["RawDocument", "SourceError", "RawDocument"]


def test_fakes_csv_streamed_gives_the_same_804_rows() -> None:
    fakes = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv"
    whole, streamed = _both_ways(fakes, "csv", {"text": "article_content", "title": "article_title",
                                                "published": "date", "id": "unit_id"})
    assert len(whole) == 804 and streamed == whole


def test_a_jsonl_file_over_the_stream_size_is_read_in_flat_memory(tmp_path: Path) -> None:
    import tracemalloc

    from newsgraph.sources.rows import STREAM_OVER

    path = tmp_path / "big.jsonl"
    line = json.dumps({"id": "x", "text": "Syrian forces shelled rebel positions near Aleppo. " * 40}) + "\n"
    with path.open("w") as fh:
        fh.writelines(line.replace('"x"', f'"{i}"', 1) for i in range(STREAM_OVER // len(line) + 100))
    assert path.stat().st_size > STREAM_OVER
    tracemalloc.start()
    count = sum(isinstance(x, RawDocument) for x in iter_raw([str(path)]))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == STREAM_OVER // len(line) + 100
    assert peak < 16 * 2**20  # a few rows and the reader's buffers, not the 64 MB file
