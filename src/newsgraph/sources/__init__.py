"""Readers: folders, files, globs, CSV / JSON / JSONL rows -> RawDocument or SourceError.

    from newsgraph.sources import iter_raw
    for item in iter_raw(["corpus/"], mapping={"text": "article_content"}):
        ...  # RawDocument, or SourceError(key, source, reason) for what could not be read

Nothing here parses language; bytes of whole files are decoded by newsgraph.clean.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping

from newsgraph.model import RawDocument, SourceError
from newsgraph.settings import Limits
from newsgraph.sources.files import read_whole_file
from newsgraph.sources.paths import WHOLE_FILE_FORMATS, expand, shown
from newsgraph.sources.rows import FIELDS, check_mapping, read_rows

Item = RawDocument | SourceError

__all__ = ["FIELDS", "iter_raw", "parse_mapping"]


def iter_raw(paths: list[str] | str, mapping: Mapping[str, str] | None = None,
             limits: Limits | None = None) -> Iterator[Item]:
    """Every document under paths, in a stable order; one bad file or row yields a SourceError.

    limits (default: the settings' Limits) bounds the size of what is read.

    Raises ValueError at once (before reading anything) for a mapping naming an unknown field.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [os.fspath(paths)]
    columns = check_mapping(mapping)
    explicit = set(mapping or {})
    return _iter(list(paths), columns, explicit, limits or Limits())


def _iter(paths: list[str], columns: dict[str, str], explicit: set[str], limits: Limits) -> Iterator[Item]:
    for target in expand(paths):
        if isinstance(target, SourceError):
            yield target
            continue
        try:
            if target.fmt in WHOLE_FILE_FORMATS:
                yield from read_whole_file(target, limits)
            else:
                yield from read_rows(target, columns, explicit, limits)
        except Exception as exc:  # noqa: BLE001 - a reader bug on one hostile file must not stop the batch
            yield SourceError(target.key, shown(os.path.abspath(target.path)),
                              f"reading failed: {exc.__class__.__name__}: {' '.join(str(exc).split())[:300]}")


def parse_mapping(spec: str | None) -> dict[str, str]:
    """The CLI form 'text=article_content,title=article_title' as a mapping."""
    mapping: dict[str, str] = {}
    for part in (spec or "").split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise ValueError(f"bad mapping item {part.strip()!r}; expected field=column")
        mapping[field.strip()] = column.strip()
    return mapping
