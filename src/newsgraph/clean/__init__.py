"""Raw documents to clean documents: decoded text, main text only, metadata, offset map.

from newsgraph.clean import clean, CleanError
document = clean(raw)  # raises CleanError(reason) when nothing usable is left
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from newsgraph.clean import boilerplate, dates, html, metadata
from newsgraph.clean.decode import DecodeError, decode, normalise_text
from newsgraph.clean.lines import Line, assemble, compose, split_lines
from newsgraph.model import Document, RawDocument
from newsgraph.settings import Limits

__all__ = ["CleanError", "clean"]

_HTML_FORMATS = {"html", "htm"}
_LOOKS_HTML = re.compile(r"<(?:html|body|p|div|br|article|span|a\s)\b[^>]*>", re.IGNORECASE)
_MD_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*)+")


class CleanError(ValueError):
    """A document with no usable text; the message is the reason."""

    @property
    def reason(self) -> str:
        return str(self.args[0]) if self.args else "unknown"


def clean(raw: RawDocument, limits: Limits | None = None) -> Document:
    """Decode, extract the main text, drop boilerplate and find title / outlet / date.

    A line longer than limits.max_line_length (checked on the decoded text, before any parsing) is a
    CleanError: such 'documents' are data dumps or minified blobs, and parsing them costs without end.
    """
    source = _source_text(raw)
    _check_lines(source, limits or Limits())
    is_html = raw.fmt in _HTML_FORMATS or (
        raw.fmt not in {"txt", "md"} and len(_LOOKS_HTML.findall(source[:5000])) >= 2
    )
    found_meta: dict[str, Any] = {}
    if is_html:
        found_meta = html.metadata(source)
        body = normalise_text(html.main_text(source))
        body_map = html.locate(body, source)
    else:
        body, body_map = source, [(0, 0, len(source))]

    lines = split_lines(body)
    if raw.fmt == "md":
        lines = [_strip_markdown(line) for line in lines]
    text_date = metadata.dateline(lines)
    text_date = text_date or metadata.date_in_head(body)
    text_outlet, lines = metadata.take_outlet_lines(lines)
    lines = boilerplate.remove_boilerplate(lines)
    text, runs = assemble(lines)
    if not text.strip():
        raise CleanError("no text after cleaning")

    meta = {**found_meta, **{k: v for k, v in raw.meta.items() if v not in (None, "")}}
    published, published_from = _published(meta, text_date)
    return Document(
        key=raw.key,
        source=raw.source,
        text=text,
        title=_text(meta.get("title")) or metadata.headline(lines),
        outlet=_text(meta.get("outlet")) or text_outlet,
        author=_text(meta.get("author")),
        url=_text(meta.get("url")),
        published=published,
        published_from=published_from,
        language="en",
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        offset_map=runs if body_map == [(0, 0, len(source))] else compose(runs, body_map),
    )


def _check_lines(text: str, limits: Limits) -> None:
    most = limits.max_line_length
    if len(text) <= most:
        return
    start = 0
    for number, end in enumerate((m.start() for m in re.finditer("\n", text)), 1):
        if end - start > most:
            raise CleanError(limits.refusal("max_line_length", f"line {number}", end - start))
        start = end + 1
    if len(text) - start > most:
        raise CleanError(limits.refusal("max_line_length", f"line {text.count(chr(10), 0, start) + 1}",
                                        len(text) - start))


def _source_text(raw: RawDocument) -> str:
    """The decoded source text that offsets refer to."""
    if isinstance(raw.data, bytes):
        try:
            return decode(raw.data)
        except DecodeError as exc:
            raise CleanError(str(exc)) from None
    return normalise_text(raw.data)


def _published(meta: dict[str, Any], text_date: str | None) -> tuple[str | None, str | None]:
    """Metadata beats the text; the text beats nothing."""
    if meta.get("published") not in (None, ""):
        iso = dates.normalise(meta["published"])
        if iso:
            return iso, str(meta.get("published_from") or "metadata")
    if text_date:
        return text_date, "text"
    return None, None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None


def _strip_markdown(line: Line) -> Line:
    """Heading and quote markers are layout, not words."""
    match = _MD_PREFIX.match(line.text)
    return line.cut(match.end(), len(line.text)) if match else line
