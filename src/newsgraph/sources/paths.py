"""Which files to read: folders (walked), single files and globs, with the key each document gets.

Keys must be stable and human: the path relative to the folder the user named. Hidden files, files we
cannot read and symlink loops are common in real folders and must not stop a batch.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterator
from dataclasses import dataclass

from newsgraph.model import SourceError

FORMATS = {
    ".txt": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".rss": "feed",  # saved feeds; an .xml file is read as a feed when its content is one
    ".atom": "feed",
    ".xml": "feed",
    ".warc": "warc",
    ".warc.gz": "warc",
}
WHOLE_FILE_FORMATS = {"txt", "md", "html"}
# Archives are refused, not unpacked: their members have no stable key, may nest, may be bombs, and may
# name paths outside the folder; unpacking with the usual tools first gives each article its own key.
ARCHIVES = {".zip", ".gz", ".tgz", ".tar", ".bz2", ".tbz2", ".xz", ".txz", ".7z", ".rar", ".zst"}
ARCHIVE_REASON = "archive not read ({ext}): unpack it and ingest the folder"
SIDECAR_SUFFIX = ".meta.json"


@dataclass
class Target:
    """A file to read, and the key (relative path) its document(s) are named by."""

    path: str
    key: str
    fmt: str


def extension(path: str) -> str:
    if path.lower().endswith(".warc.gz"):
        return ".warc.gz"
    return os.path.splitext(path)[1].lower()


def sidecar_of(path: str) -> str | None:
    """The file a `<file>.meta.json` sidecar describes, when that file exists; else None."""
    if not path.lower().endswith(SIDECAR_SUFFIX):
        return None
    base = path[: -len(SIDECAR_SUFFIX)]
    if FORMATS.get(extension(base)) in WHOLE_FILE_FORMATS and os.path.isfile(base):
        return base
    return None


def expand(paths: list[str]) -> Iterator[Target | SourceError]:
    """Targets for every path (folder, file or glob), in a stable order; errors for what cannot be."""
    seen_dirs: set[tuple[int, int]] = set()
    for path in paths:
        path = os.fspath(path)
        if glob.has_magic(path):
            yield from _expand_glob(path, seen_dirs)
        elif os.path.isdir(path):
            yield from _walk(path, path, seen_dirs)
        elif os.path.lexists(path):
            fmt = FORMATS.get(extension(path))
            if extension(path) in ARCHIVES:
                yield _archive(path, shown(os.path.basename(path)))
            elif fmt is None:
                ext = extension(path) or "(none)"
                yield SourceError(shown(os.path.basename(path)), _abs(path), f"unsupported file type {ext}")
            else:
                yield Target(path, shown(os.path.basename(path)), fmt)
        else:
            yield SourceError(shown(os.path.basename(path) or path), _abs(path), "no such file or directory")


def _expand_glob(pattern: str, seen_dirs: set[tuple[int, int]]) -> Iterator[Target | SourceError]:
    """Glob matches are treated like a folder's content: keys relative to the pattern's fixed part."""
    parts = pattern.replace(os.sep, "/").split("/")
    base = "/".join(_takewhile_plain(parts)) or "."
    found = False
    for match in sorted(glob.glob(pattern, recursive=True)):
        if os.path.isdir(match):
            found = True
            yield from _walk(base, match, seen_dirs)
            continue
        fmt = FORMATS.get(extension(match))
        if extension(match) in ARCHIVES:
            found = True
            yield _archive(match, _rel(match, base))
        if fmt is None or sidecar_of(match):
            continue
        found = True
        yield Target(match, _rel(match, base), fmt)
    if not found:
        yield SourceError(shown(pattern), shown(pattern), "no supported files match")


def _takewhile_plain(parts: list[str]) -> list[str]:
    out: list[str] = []
    for part in parts[:-1]:
        if glob.has_magic(part):
            break
        out.append(part)
    return out


def _walk(root: str, folder: str, seen_dirs: set[tuple[int, int]]) -> Iterator[Target | SourceError]:
    """Supported files under folder, sorted, hidden ones skipped, each directory entered once."""
    try:
        info = os.stat(folder)
    except OSError as exc:
        yield SourceError(_rel(folder, root), _abs(folder), f"unreadable folder: {exc.strerror or exc}")
        return
    ident = (info.st_dev, info.st_ino)
    if ident in seen_dirs:  # a symlink loop, or a second link to a folder already read
        return
    seen_dirs.add(ident)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield SourceError(_rel(folder, root), _abs(folder), f"unreadable folder: {exc.strerror or exc}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk(root, entry.path, seen_dirs)
            continue
        if extension(entry.name) in ARCHIVES:  # reported, not skipped: the articles may be inside
            yield _archive(entry.path, _rel(entry.path, root))
            continue
        fmt = FORMATS.get(extension(entry.name))
        if fmt is None or sidecar_of(entry.path):
            continue
        yield Target(entry.path, _rel(entry.path, root), fmt)


def _archive(path: str, key: str) -> SourceError:
    lower, ext = path.lower(), extension(path)
    if os.path.splitext(lower[: -len(ext)])[1] == ".tar":
        ext = ".tar" + ext
    return SourceError(key, _abs(path), ARCHIVE_REASON.format(ext=ext))


def shown(name: str) -> str:
    """A file name as text that can be stored and printed: bytes that are not UTF-8 (kept by Python as
    surrogate escapes) become \\xNN, so one oddly named file cannot fail a database write."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _rel(path: str, root: str) -> str:
    rel = os.path.relpath(path, root)
    return shown(rel.replace(os.sep, "/"))


def _abs(path: str) -> str:
    return shown(os.path.abspath(path))
