"""Web addresses as sources: telling them from paths, which schemes may be fetched, URL list files.

Only http and https are ever fetched: file://, ftp:// or data: URLs in a feed or a redirect would let a
remote page read local files or reach services that were never meant to be crawled.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from newsgraph.model import SourceError
from newsgraph.sources.files import read_bytes

FETCHED_SCHEMES = ("http", "https")
_URL_SHAPE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def is_url(text: str) -> bool:
    """True for anything written as scheme://..., fetchable or not (a path never looks like that)."""
    return bool(_URL_SHAPE.match(text.strip()))


def url_problem(url: str) -> str | None:
    """Why url cannot be fetched, or None when it can."""
    try:
        parts = urlsplit(url)
    except ValueError as exc:
        return f"invalid URL: {exc}"
    scheme = parts.scheme.lower()
    if scheme not in FETCHED_SCHEMES:
        return f"unsupported URL scheme '{scheme or '(none)'}': only http and https are fetched"
    if not parts.hostname:
        return "invalid URL: no host"
    return None


def host_of(url: str) -> str:
    """scheme://host:port, the unit of rate limits and robots.txt."""
    parts = urlsplit(url)
    port = parts.port
    default = 443 if parts.scheme.lower() == "https" else 80
    netloc = (parts.hostname or "").lower() + (f":{port}" if port and port != default else "")
    return f"{parts.scheme.lower()}://{netloc}"


def read_url_list(path: str) -> Iterator[str | SourceError]:
    """The URLs of a text file, one a line; blank lines and # comments skipped, other lines reported."""
    source = os.path.abspath(path)
    name = os.path.basename(path)
    data = read_bytes(path)
    if isinstance(data, str):
        yield SourceError(name, source, data)
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        yield SourceError(name, source, "URL list is not UTF-8 text")
        return
    found = False
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        problem = url_problem(line) if is_url(line) else "not a URL (expected http:// or https://...)"
        if problem:
            yield SourceError(f"{name}#{number}", source, f"line {number}: {problem}: {line[:200]}")
            continue
        found = True
        yield line
    if not found:
        yield SourceError(name, source, "no URLs in the list")
