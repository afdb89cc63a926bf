"""HTML pages to main text and metadata.

A saved news page is mostly navigation, ads and scripts; trafilatura finds the article body. Its
metadata (title, author, date, site name) sits in <meta> tags and JSON-LD, read here with lxml so that
only what the page *declares* is taken (no guessing from URLs or body text).
"""

from __future__ import annotations

import html as htmllib
import json
import logging
import re
from typing import Any

import lxml.html
from lxml import etree

from newsgraph.clean import dates

log = logging.getLogger(__name__)

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DROP_TAGS = "script style noscript template nav footer header aside form iframe svg button select".split()
_BLOCK_TAGS = set(
    "p div br li h1 h2 h3 h4 h5 h6 tr td th blockquote pre section article figcaption dd dt title table"
    " ul ol".split()
)
_ARTICLE_TYPES = set(
    "article newsarticle reportagenewsarticle analysisnewsarticle blogposting opinionnewsarticle"
    " backgroundnewsarticle webpage report".split()
)

_META_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("og:title", "twitter:title", "dc.title", "headline"),
    "author": ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"),
    "published": ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
                  "publishdate", "publish-date", "publish_date", "date", "dc.date", "dc.date.issued",
                  "dcterms.created", "sailthru.date", "parsely-pub-date", "original-publish-date"),
    "outlet": ("og:site_name", "application-name", "publisher", "dc.publisher"),
    "url": ("og:url",),
}  # fmt: skip


def parse(html: str) -> lxml.html.HtmlElement | None:
    """lxml tree of an HTML string, or None when there is nothing to parse."""
    html = _XML_DECL.sub("", html, count=1)
    if not html.strip():
        return None
    try:
        return lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None


def main_text(html: str) -> str:
    """The article body, one paragraph a line; trafilatura first, plain lxml text if it finds nothing,
    and the page's text with its tags stripped when parsers give up (libxml2 drops what is nested deeper
    than its limit, so a page of 10,000 nested tags would otherwise lose its article)."""
    text = _trafilatura_text(html)
    if text and text.strip():
        return text
    return _lxml_text(html) or _flat_text(html)


_FLAT_DROP = re.compile(r"<(head|title|script|style|noscript|template|svg)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_FLAT_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|tr|td|th|blockquote|pre|section|article|table|ul|ol)\b[^>]*>",
                         re.I)
_FLAT_TAG = re.compile(r"<[^>]*>")


def _flat_text(html: str) -> str:
    """Visible text without a parser: scripts, styles and comments dropped, a line per block tag."""
    html = _FLAT_DROP.sub(" ", html)
    html = _FLAT_BLOCK.sub("\n", html)
    text = htmllib.unescape(_FLAT_TAG.sub("", html))
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def _trafilatura_text(html: str) -> str | None:
    try:
        import trafilatura
    except ImportError as exc:  # e.g. lxml without lxml_html_clean: still read the page
        log.warning("trafilatura unavailable (%s); using plain HTML text", exc)
        return None
    try:
        return trafilatura.extract(
            html,
            include_comments=False,
            favor_recall=True,
            include_tables=True,
            include_images=False,
            include_links=False,
            output_format="txt",
            with_metadata=False,
            deduplicate=False,
        )
    except Exception as exc:  # noqa: BLE001 - a parser failure on one page must not stop the batch
        log.warning("trafilatura failed: %s", exc)
        return None


def _lxml_text(html: str) -> str:
    """All visible text, a line per block element."""
    tree = parse(html)
    if tree is None:
        return ""
    for element in tree.xpath("//" + " | //".join(_DROP_TAGS)):
        element.drop_tree()
    for element in tree.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
            element.text = "\n" + (element.text or "")
    body = tree.find(".//body")
    text = (body if body is not None else tree).text_content()
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def metadata(html: str) -> dict[str, str]:
    """title, author, published (ISO), outlet, url as the page declares them; only found keys."""
    tree = parse(html)
    if tree is None:
        return {}
    found: dict[str, str] = {}
    metas: dict[str, str] = {}
    for meta in tree.iter("meta"):
        name = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if name and content and name not in metas:
            metas[name] = htmllib.unescape(content)
    for key, names in _META_KEYS.items():
        for name in names:
            if metas.get(name):
                found[key] = metas[name]
                break
    for key, value in _json_ld(tree).items():
        found.setdefault(key, value)
    if "title" not in found:
        title = tree.findtext(".//title")
        if title and title.strip():
            found["title"] = title
    if "published" not in found:
        for time in tree.iter("time"):
            if time.get("datetime"):
                found["published"] = time.get("datetime", "")
                break
    if "url" not in found:
        for link in tree.iter("link"):
            if (link.get("rel") or "").lower() == "canonical" and link.get("href"):
                found["url"] = link.get("href", "")
                break
    out = {k: " ".join(v.split()) for k, v in found.items() if v and v.strip()}
    if "published" in out:
        iso = dates.normalise(out["published"])
        if iso:
            out["published"] = iso
        else:
            del out["published"]
    if "title" in out and "outlet" in out:
        out["title"] = _strip_site_suffix(out["title"], out["outlet"])
    return out


def _strip_site_suffix(title: str, outlet: str) -> str:
    """'Headline | The Outlet' -> 'Headline'."""
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        if title.endswith(sep + outlet):
            return title[: -len(sep + outlet)].strip() or title
    return title


def _json_ld(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """headline / datePublished / author / publisher of the first article object in JSON-LD."""
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        for obj in _walk(data):
            kind = obj.get("@type")
            kinds = {k.lower() for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str)}
            if not kinds & _ARTICLE_TYPES:
                continue
            out = {
                "title": _name(obj.get("headline")),
                "published": _name(obj.get("datePublished")),
                "author": _name(obj.get("author")),
                "outlet": _name(obj.get("publisher")),
                "url": _name(obj.get("url")),
            }
            return {k: v for k, v in out.items() if v}
    return {}


def _walk(data: Any) -> list[dict[str, Any]]:
    """Every dict in a JSON-LD value (top level, lists and @graph)."""
    found: list[dict[str, Any]] = []
    stack = [data]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            found.append(item)
            if isinstance(item.get("@graph"), list):
                stack.extend(item["@graph"])
    return found


def _name(value: Any) -> str | None:
    """A JSON-LD value as text: strings as they are, objects by name, lists joined."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


_WORD = re.compile(r"\S+")
_MARKUP = ("<", ">", "&")  # in a page's text these are written as entities, so verbatim they are markup


def _find_text(source: str, text: str, pos: int) -> int:
    """Where text next occurs in source after pos as page text, not inside a tag; -1 if it does not."""
    if any(c in text for c in _MARKUP):
        return -1
    at = source.find(text, pos)
    while at >= 0 and source.rfind("<", 0, at) > source.rfind(">", 0, at):  # inside <...>
        at = source.find(text, at + 1)
    return at


def locate(body: str, source: str) -> list[tuple[int, int, int]]:
    """Best-effort runs (body offset, source offset, length) for body lines found verbatim in source.

    A line that is not there verbatim (the extractor joined a paragraph wrapped over several source lines,
    or collapsed its spaces) is located word by word, so its words still point into the page.
    """
    runs: list[tuple[int, int, int]] = []
    pos = max(0, source.lower().find("<body"))  # not the copy of the headline in <title>
    line_start = 0
    for line in body.split("\n"):
        text = line.strip()
        if text:
            begin = line_start + line.index(text)
            at = _find_text(source, text, pos)
            if at >= 0:
                runs.append((begin, at, len(text)))
                pos = at + len(text)
            else:
                for word in _WORD.finditer(line):
                    at = _find_text(source, word.group(), pos)
                    if at >= 0:
                        runs.append((line_start + word.start(), at, len(word.group())))
                        pos = at + len(word.group())
        line_start += len(line) + 1
    return runs
