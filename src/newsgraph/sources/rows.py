"""Documents stored as rows: JSON Lines, CSV and JSON files, with a user mapping of field names.

Data sets name their columns in many ways (article_content, unit_id ...), so our field names map onto
theirs. One bad row is reported with its row or line number and the rest of the file is still read.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from newsgraph.clean.decode import DecodeError, decode, normalise_text, stream_encoding
from newsgraph.model import RawDocument, SourceError
from newsgraph.settings import Limits
from newsgraph.sources.files import META_FIELDS, read_bytes, scalar
from newsgraph.sources.paths import Target, shown

Item = RawDocument | SourceError

FIELDS = ("id", "title", "text", "published", "url", "outlet", "author")

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


def check_mapping(mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Our field -> their column, defaults filled in; ValueError for unknown fields."""
    mapping = dict(mapping or {})
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)} in mapping; known: {', '.join(FIELDS)}")
    for field, column in mapping.items():
        if not isinstance(column, str) or not column.strip():
            raise ValueError(f"empty column name for field '{field}' in mapping")
    return {field: mapping.get(field, field).strip() for field in FIELDS}


def read_rows(target: Target, mapping: dict[str, str], explicit: set[str],
              limits: Limits | None = None) -> Iterator[Item]:
    """Every row of a JSONL / CSV / JSON file as a document or an error (a row's text over the document
    size limit is refused by itself)."""
    limits = limits or Limits()
    for item in _rows(target, mapping, explicit, limits):
        if isinstance(item, RawDocument) and len(item.data) * 4 > limits.max_document_size:
            size = len(str(item.data).encode("utf-8"))
            if size > limits.max_document_size:
                item = SourceError(item.key, item.source, limits.refusal("max_document_size", "row text", size))
        yield item


STREAM_OVER = 64 * 2**20  # CSV and JSON Lines files larger than this are read a row at a time
_HEAD = 2**20  # bytes a streamed file's encoding is judged from


def _rows(target: Target, mapping: dict[str, str], explicit: set[str], limits: Limits,
          stream_over: int = STREAM_OVER) -> Iterator[Item]:
    source = shown(os.path.abspath(target.path))
    if target.fmt in ("csv", "jsonl"):
        try:
            size = os.stat(target.path).st_size
        except OSError:
            size = 0  # read_bytes names the reason
        if stream_over < size <= limits.max_file_size:
            yield from _streamed(target, source, mapping, explicit)
            return
    data = read_bytes(target.path, limits, "max_file_size", "file of rows")
    if isinstance(data, str):
        yield SourceError(target.key, source, data)
        return
    if not data.strip():
        yield SourceError(target.key, source, "empty file")
        return
    try:  # parsed first, its strings normalised after: U+2028 or NEL in a value is no record break (see decode)
        text = decode(data, normalise=False)
    except DecodeError as exc:
        yield SourceError(target.key, source, str(exc))
        return
    if target.fmt == "jsonl":
        yield from _jsonl(_LINE_END.split(text), target, source, mapping)
    elif target.fmt == "csv":
        yield from _csv(io.StringIO(text, newline=""), target, source, mapping, explicit)
    else:
        yield from _json(text, target, source, mapping)


def _streamed(target: Target, source: str, mapping: dict[str, str], explicit: set[str]) -> Iterator[Item]:
    """A large CSV or JSON Lines file decoded and parsed as it is read: memory holds a row, not the file."""
    try:
        handle = open(target.path, "rb")  # noqa: SIM115 - closed below, after the last row
    except OSError as exc:
        yield SourceError(target.key, source, f"unreadable file: {exc.strerror or exc}")
        return
    with handle:
        head = handle.read(_HEAD)
        if not head.strip():
            yield SourceError(target.key, source, "empty file")
            return
        try:
            encoding, skip, errors = stream_encoding(head)
        except DecodeError as exc:
            yield SourceError(target.key, source, str(exc))
            return
        handle.seek(skip)
        # newline="" splits lines at \r\n, \r and \n only, as _LINE_END does, and keeps them for csv
        text = io.TextIOWrapper(handle, encoding=encoding, errors=errors, newline="")
        try:
            if target.fmt == "jsonl":
                yield from _jsonl((line.rstrip("\r\n") for line in text), target, source, mapping)
            else:
                yield from _csv(text, target, source, mapping, explicit)
        except (UnicodeDecodeError, OSError) as exc:
            yield SourceError(target.key, source, f"stopped reading: {exc}")


# Raw CR and LF cannot occur inside a JSON string (or an unquoted CSV cell), so they end records; U+2028
# and NEL can, and do not.
_LINE_END = re.compile("\r\n|\r|\n")


def _normalised(value: Any) -> Any:
    """Every string in a parsed JSON value through normalise_text, as decode does for other files."""
    if isinstance(value, str):
        return normalise_text(value)
    if isinstance(value, dict):
        return {_normalised(k): _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


def _loads(text: str) -> Any:
    """JSON allowing raw control characters in strings (scrapers write them); normalised afterwards."""
    return _normalised(json.loads(text, strict=False))


def _jsonl(lines: Iterable[str], target: Target, source: str, mapping: dict[str, str]) -> Iterator[Item]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where, fallback = f"line {number}", f"{target.key}#{number}"
        try:
            obj = _loads(line)
        except RecursionError:
            yield SourceError(fallback, source, f"{where}: invalid JSON: nested too deeply")
            continue
        except ValueError as exc:
            yield SourceError(fallback, source, f"{where}: invalid JSON: {exc}")
            continue
        yield _row(obj, mapping, where, fallback, source, "jsonl", "field")


def _json(text: str, target: Target, source: str, mapping: dict[str, str]) -> Iterator[Item]:
    try:
        obj = _loads(text)
    except RecursionError:
        yield SourceError(target.key, source, "invalid JSON: nested too deeply")
        return
    except ValueError as exc:
        yield SourceError(target.key, source, f"invalid JSON: {exc}")
        return
    if isinstance(obj, dict) and isinstance(obj.get("documents"), list):
        obj = obj["documents"]
    if isinstance(obj, dict):
        yield _row(obj, mapping, "object", target.key, source, "json", "field")
        return
    if not isinstance(obj, list):
        yield SourceError(target.key, source, "not a JSON object or list of objects")
        return
    for number, item in enumerate(obj, 1):
        yield _row(item, mapping, f"row {number}", f"{target.key}#{number}", source, "json", "field")


def _csv(
    lines: Iterable[str], target: Target, source: str, mapping: dict[str, str], explicit: set[str]
) -> Iterator[Item]:
    """lines: the file's lines with their line ends (a text stream opened with newline='')."""
    lines = (line.replace("\x00", "") for line in lines)  # csv refuses NUL; normalise_text drops it anyway
    first = next(lines, "")
    head = _LINE_END.split(first, 1)[0]
    delimiter = max(",;\t|", key=head.count) if head else ","
    reader = (_normalised(row) for row in csv.reader(itertools.chain([first], lines), delimiter=delimiter))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        yield SourceError(target.key, source, "empty file")
        return
    except csv.Error as exc:
        yield SourceError(target.key, source, f"header: {exc}")
        return
    columns = {field: _column(header, column) for field, column in mapping.items()}
    for field in ["text", *sorted(explicit)]:
        if columns.get(field) is None:
            yield SourceError(target.key, source, f"column '{mapping[field]}' not in header")
            return
    mapping = {field: column for field, column in columns.items() if column is not None}
    number = 0
    try:
        for number, row in enumerate(reader, 1):
            if not any(cell.strip() for cell in row):
                continue
            record = dict(zip(header, row, strict=False))
            yield _row(record, mapping, f"row {number}", f"{target.key}#{number}", source, "csv", "column")
    except csv.Error as exc:
        yield SourceError(f"{target.key}#{number + 1}", source, f"row {number + 1}: {exc}")


def _column(names: list[str], wanted: str) -> str | None:
    """The header name for a column: exact, else the one case-insensitive match."""
    if wanted in names:
        return wanted
    folded = [n for n in names if n.casefold() == wanted.casefold()]
    return folded[0] if len(folded) == 1 else None


def _row(
    obj: Any, mapping: Mapping[str, str], where: str, fallback: str, source: str, fmt: str, word: str
) -> RawDocument | SourceError:
    """A row object to a document; mapping gives the column of each of our fields."""
    if not isinstance(obj, dict):
        return SourceError(fallback, source, f"{where}: not a JSON object")
    if fmt != "csv":
        mapping = {f: c for f, c in ((f, _column(list(obj), c)) for f, c in mapping.items()) if c}
    ident = scalar(obj.get(mapping["id"])) if "id" in mapping else None
    key = ident or fallback
    column = mapping.get("text")
    text = obj.get(column) if column else None
    wanted = column or "text"
    if text is None or (isinstance(text, str) and not text.strip()):
        return SourceError(key, source, f"{where}: no text in {word} '{wanted}'")
    if not isinstance(text, str):
        return SourceError(key, source, f"{where}: {word} '{wanted}' is not text")
    meta = {}
    for field in META_FIELDS:
        value = scalar(obj.get(mapping[field])) if field in mapping else None
        if value:
            meta[field] = value
    return RawDocument(key=key, source=source, data=text, fmt=fmt, meta=meta)
