"""Whole-file documents (.txt, .md, .html) and their metadata sidecars.

A sidecar states what the text may not: `article.txt.meta.json`, `article.txt.meta.yaml` or
`article.meta.yaml` next to `article.txt`, with any of `title, published, url, outlet, author` (`date` is
taken for `published`). Its date is metadata; `published_from: user` marks it as the user's own statement.

Bytes are passed on undecoded: clean owns decoding. Only what makes a file unusable as a document at
all (unreadable, not a regular file, over the size limit, empty, binary) is reported here, so a batch can
list its failures by name. Sizes are checked with os.stat before reading, and reading stops one byte past
the limit, so no file is ever held in memory beyond it.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from typing import Any

import yaml

from newsgraph.clean.decode import DecodeError, binary_kind, decode, storable
from newsgraph.model import RawDocument, SourceError
from newsgraph.settings import Limits
from newsgraph.sources.paths import SIDECAR_SUFFIX, Target, shown

META_FIELDS = ("title", "published", "url", "outlet", "author")
PUBLISHED_FROM = ("user", "metadata")  # what a sidecar may say about where its date comes from
_YAML_SUFFIXES = (".meta.yaml", ".meta.yml")


def sidecar_paths(path: str) -> list[str]:
    """Where the sidecar of a whole file may be, in order of preference."""
    stem = os.path.splitext(path)[0]
    return [path + SIDECAR_SUFFIX, *(path + s for s in _YAML_SUFFIXES), *(stem + s for s in _YAML_SUFFIXES)]


def read_bytes(path: str, limits: Limits | None = None, limit: str = "max_document_size",
               what: str = "file") -> bytes | str:
    """File content, or the reason it cannot be read (the size limit is checked before reading)."""
    limits = limits or Limits()
    most = getattr(limits, limit)
    try:
        info = os.stat(path)  # follows symlinks: a loop or a dangling link fails here
        if stat.S_ISDIR(info.st_mode):
            return "unreadable file: is a directory"
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return f"not a regular file ({_kind(info.st_mode)})"
        if info.st_size > most:
            return limits.refusal(limit, what, info.st_size)
        with open(path, "rb") as handle:
            data = handle.read(most + 1)  # it may have grown since stat
    except OSError as exc:
        return f"unreadable file: {exc.strerror or exc}"
    if len(data) > most:
        return limits.refusal(limit, what, len(data))
    return data


def _kind(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"))
    return next((name for test, name in kinds if test(mode)), "special file")


def read_whole_file(target: Target, limits: Limits | None = None) -> Iterator[RawDocument | SourceError]:
    """One document for the file (plus an error if its sidecar is broken)."""
    source = shown(os.path.abspath(target.path))
    data = read_bytes(target.path, limits)
    if isinstance(data, str):
        yield SourceError(target.key, source, data)
        return
    if not data:
        yield SourceError(target.key, source, "empty file")
        return
    kind = binary_kind(data)
    if kind:
        yield SourceError(target.key, source, kind)
        return
    side = next((p for p in sidecar_paths(target.path) if os.path.isfile(p)), target.path + SIDECAR_SUFFIX)
    meta, problem = read_sidecar(side)
    if problem:
        name = os.path.basename(side)
        yield SourceError(shown(os.path.join(os.path.dirname(target.key), name).replace(os.sep, "/")),
                          shown(os.path.abspath(side)), problem)
    yield RawDocument(key=target.key, source=source, data=data, fmt=target.fmt, meta=meta)


def read_sidecar(path: str) -> tuple[dict[str, Any], str | None]:
    """The metadata fields of a sidecar (empty when there is none) and a problem, if any."""
    if not os.path.isfile(path):
        return {}, None
    data = read_bytes(path)
    if isinstance(data, str):
        return {}, data
    is_yaml = path.lower().endswith(_YAML_SUFFIXES)
    try:
        content = decode(data)
        obj = yaml.safe_load(content) if is_yaml else json.loads(content or "null")
    except RecursionError:
        return {}, "invalid sidecar: nested too deeply"
    except (DecodeError, ValueError, yaml.YAMLError) as exc:
        return {}, f"invalid sidecar: {' '.join(str(exc).split())}"
    if not isinstance(obj, dict):
        return {}, f"invalid sidecar: not a {'YAML mapping' if is_yaml else 'JSON object'}"
    if obj.get("published") in (None, "") and obj.get("date") not in (None, ""):
        obj = {**obj, "published": obj["date"]}
    meta = {k: scalar(obj.get(k)) for k in META_FIELDS if scalar(obj.get(k))}
    said = str(scalar(obj.get("published_from")) or "").lower()
    if "published" in meta and said in PUBLISHED_FROM:
        meta["published_from"] = said
    return meta, None


def scalar(value: Any) -> str | None:
    """A metadata value as text: strings stripped, numbers as written, {"name": ...} by name."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        return scalar(value.get("name"))
    if isinstance(value, list):
        parts = [s for s in (scalar(v) for v in value) if s]
        return ", ".join(parts) or None
    text = storable(str(value)).strip()
    return text or None
