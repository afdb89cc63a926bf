"""Whole-file documents (.txt, .md, .html) and their `<file>.meta.json` sidecars.

Bytes are passed on undecoded: clean owns decoding. Only what makes a file unusable as a document at
all (unreadable, empty, binary) is reported here, so a batch can list its failures by name.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from newsgraph.clean.decode import DecodeError, decode, looks_binary
from newsgraph.model import RawDocument, SourceError
from newsgraph.sources.paths import SIDECAR_SUFFIX, Target

META_FIELDS = ("title", "published", "url", "outlet", "author")


def read_bytes(path: str) -> bytes | str:
    """File content, or the reason it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except IsADirectoryError:
        return "unreadable file: is a directory"
    except OSError as exc:
        return f"unreadable file: {exc.strerror or exc}"


def read_whole_file(target: Target) -> Iterator[RawDocument | SourceError]:
    """One document for the file (plus an error if its sidecar is broken)."""
    source = os.path.abspath(target.path)
    data = read_bytes(target.path)
    if isinstance(data, str):
        yield SourceError(target.key, source, data)
        return
    if not data:
        yield SourceError(target.key, source, "empty file")
        return
    if looks_binary(data):
        yield SourceError(target.key, source, "binary content")
        return
    meta, problem = read_sidecar(target.path + SIDECAR_SUFFIX)
    if problem:
        yield SourceError(target.key + SIDECAR_SUFFIX, source + SIDECAR_SUFFIX, problem)
    yield RawDocument(key=target.key, source=source, data=data, fmt=target.fmt, meta=meta)


def read_sidecar(path: str) -> tuple[dict[str, Any], str | None]:
    """The metadata fields of a sidecar (empty when there is none) and a problem, if any."""
    if not os.path.isfile(path):
        return {}, None
    data = read_bytes(path)
    if isinstance(data, str):
        return {}, data
    try:
        obj = json.loads(decode(data) or "null")
    except (DecodeError, ValueError) as exc:
        return {}, f"invalid sidecar: {exc}"
    if not isinstance(obj, dict):
        return {}, "invalid sidecar: not a JSON object"
    return {k: scalar(obj.get(k)) for k in META_FIELDS if scalar(obj.get(k))}, None


def scalar(value: Any) -> str | None:
    """A metadata value as text: strings stripped, numbers as written, {"name": ...} by name."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        return scalar(value.get("name"))
    if isinstance(value, list):
        parts = [s for s in (scalar(v) for v in value) if s]
        return ", ".join(parts) or None
    text = str(value).strip()
    return text or None
