"""Readers: folders, files, globs, CSV / JSON / JSONL rows, feeds, URLs, WARC -> RawDocument or SourceError.

    from newsgraph.sources import iter_raw
    for item in iter_raw(["corpus/"], mapping={"text": "article_content"}):
        ...  # RawDocument, or SourceError(key, source, reason) for what could not be read

Live sources (feed or article URLs, saved feeds, `url_lists` files) also yield Unchanged for what the
fetch cache of `live` shows was stored before and has not changed. Only they open network connections.
Nothing here parses language; bytes of whole files are decoded by newsgraph.clean.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from newsgraph.model import RawDocument, SourceError, Unchanged
from newsgraph.settings import Limits
from newsgraph.sources.files import read_whole_file
from newsgraph.sources.paths import WHOLE_FILE_FORMATS, expand, shown
from newsgraph.sources.rows import FIELDS, check_mapping, read_rows
from newsgraph.sources.urls import is_url, read_url_list

if TYPE_CHECKING:
    from newsgraph.sources.live import LiveSources

Item = RawDocument | SourceError | Unchanged

__all__ = ["FIELDS", "iter_raw", "parse_mapping"]


def iter_raw(
    paths: list[str] | str,
    mapping: Mapping[str, str] | None = None,
    live: LiveSources | None = None,
    url_lists: list[str] | tuple[str, ...] = (),
    limits: Limits | None = None,
) -> Iterator[Item]:
    """Every document under paths (files, folders, globs, URLs) and in url_lists, in a stable order;
    one bad file, row or URL yields a SourceError.

    live carries the fetcher settings and the fetch cache (a store's, to skip what is stored); without
    it, one that lasts this call is made when a URL or feed needs it.
    limits (default: the settings' Limits) bounds the size of what is read.
    Raises ValueError at once (before reading anything) for a mapping naming an unknown field.
    """
    if isinstance(paths, str | os.PathLike):
        paths = [os.fspath(paths)]
    columns = check_mapping(mapping)
    explicit = set(mapping or {})
    return _iter([os.fspath(p) for p in paths], columns, explicit, live, list(url_lists), limits or Limits())


def _iter(paths: list[str], columns: dict[str, str], explicit: set[str], live: LiveSources | None,
          url_lists: list[str], limits: Limits) -> Iterator[Item]:
    own: list[LiveSources] = []

    def sources() -> LiveSources:
        if live is not None:
            return live
        if not own:
            from newsgraph.sources.live import LiveSources

            own.append(LiveSources())
        return own[0]

    try:
        for target in expand([p for p in paths if not is_url(p)]):
            if isinstance(target, SourceError):
                yield target
                continue
            try:
                if target.fmt in WHOLE_FILE_FORMATS:
                    yield from read_whole_file(target, limits)
                elif target.fmt == "feed":
                    yield from sources().read_feed_file(target)
                elif target.fmt == "warc":
                    from newsgraph.sources.warc import read_warc

                    yield from read_warc(target)
                else:
                    yield from read_rows(target, columns, explicit, limits)
            except Exception as exc:  # noqa: BLE001 - a reader bug on one hostile file must not stop the batch
                yield SourceError(target.key, shown(os.path.abspath(target.path)),
                                  f"reading failed: {exc.__class__.__name__}: {' '.join(str(exc).split())[:300]}")
        urls: list[str] = [p.strip() for p in paths if is_url(p)]
        for path in url_lists:
            for line in read_url_list(path):
                if isinstance(line, SourceError):
                    yield line
                else:
                    urls.append(line)
        for url in urls:
            yield from sources().read_url(url)
    finally:
        for made in own:
            made.close()


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
