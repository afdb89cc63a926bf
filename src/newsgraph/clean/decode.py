"""Bytes to clean Unicode text.

Scraped news arrives in every encoding (UTF-8, UTF-16 with BOM, cp1252, cp1256 Arabic ...). Everything
downstream counts characters, so decoding happens once, here, and also normalises newlines, control
characters and Unicode composition so that offsets mean the same thing everywhere.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import charset_normalizer

# Longest BOM first: the UTF-32 LE BOM starts with the UTF-16 LE one.
_BOMS: list[tuple[bytes, str]] = [
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]

# When charset-normalizer finds several equally plausible single-byte code pages (it often ranks
# cp1250 above cp1252 for Western text), prefer the ones news sites actually used.
_PREFERRED = ["cp1252", "latin_1", "cp1256", "cp1251", "cp1253", "cp1255", "cp1254", "iso8859_6", "cp1250"]
_CHAOS_SLACK = 0.02

# Control characters other than \n and \t (C0, DEL, C1) and stray BOMs / noncharacters.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n|[\r\x85\u2028\u2029\x0b\x0c]")
# Lone surrogates: JSON may spell them ("\\ud800"), but no database can store them as text.
_SURROGATES = re.compile("[\ud800-\udfff]")

_SAMPLE = 8192
_BINARY_SHARE = 0.01  # more NULs than this share of the first bytes: not text ...
_STRAY_NULS = 8  # ... unless there are only this few, as in a short scraped text with a stray NUL


# What binary content most often is, by its first bytes: named in the reason a file is refused.
_MAGIC: list[tuple[bytes, str]] = [
    (b"PK\x03\x04", "zip archive"), (b"PK\x05\x06", "zip archive"), (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"), (b"\xfd7zXZ\x00", "xz archive"), (b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (b"Rar!", "rar archive"), (b"%PDF", "PDF document"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"), (b"\x7fELF", "executable"), (b"MZ", "executable"), (b"SQLite format 3", "SQLite database"),
    (b"\xd0\xcf\x11\xe0", "MS Office document"),
]


def binary_kind(data: bytes) -> str | None:
    """'binary content (zip archive)' for data that is not text, naming the kind when known; else None."""
    for magic, kind in _MAGIC:
        if data.startswith(magic) and (len(magic) >= 4 or looks_binary(data)):
            return f"binary content ({kind})"
    if data.startswith(b"ustar", 257):
        return "binary content (tar archive)"
    return "binary content" if looks_binary(data) else None


class DecodeError(ValueError):
    """Bytes that are not text (binary) or that no known encoding explains."""


def bom_encoding(data: bytes) -> str | None:
    """The encoding named by a byte order mark at the start of data, if any."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 text without a BOM: NULs on (almost) every other byte of ASCII-heavy text."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def looks_binary(data: bytes) -> bool:
    """True for NUL-heavy data that no BOM or UTF-16 pattern explains (images, archives ...).

    A stray NUL in a long scraped text is dropped by normalise_text instead.
    """
    if bom_encoding(data):
        return False
    sample = data[:_SAMPLE]
    nuls = sample.count(0)
    if not nuls or _utf16_without_bom(sample) is not None:
        return False
    controls = sum(1 for byte in sample if byte < 9 or 13 < byte < 32)
    return nuls > max(_BINARY_SHARE * len(sample), _STRAY_NULS) or controls > 10 * _BINARY_SHARE * len(sample)


def storable(text: str) -> str:
    """Text without lone surrogates (each becomes U+FFFD), so it can be encoded and stored."""
    return _SURROGATES.sub("\ufffd", text)


def normalise_text(text: str) -> str:
    """Newlines to \\n, control characters dropped (except \\n and \\t), lone surrogates replaced,
    NFC composition."""
    text = _NEWLINES.sub("\n", text)
    text = storable(_CONTROL.sub("", text))
    return unicodedata.normalize("NFC", text)


def _guess(data: bytes) -> str:
    """Decode non-UTF-8 bytes with the most plausible encoding charset-normalizer offers."""
    return data.decode(_guess_encoding(data))


def _guess_encoding(data: bytes) -> str:
    """The most plausible encoding charset-normalizer offers for non-UTF-8 bytes, news sites' first."""
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        raise DecodeError("undecodable bytes: no known encoding fits")
    least = min(m.chaos for m in matches)
    plausible = [m for m in matches if m.chaos <= least + _CHAOS_SLACK]
    for name in _PREFERRED:
        for match in plausible:
            if name in match.could_be_from_charset:
                try:
                    data.decode(name)
                except UnicodeDecodeError:
                    continue
                return name
    return plausible[0].encoding


def decode(data: bytes, normalise: bool = True) -> str:
    """Bytes to normalised text; raises DecodeError for binary or undecodable data.

    normalise=False leaves newlines and control characters as they are, for JSON, whose strings may hold
    U+2028 or NEL: turned into newlines before parsing they would split a JSON Lines record in two.
    """
    finish = normalise_text if normalise else (lambda text: text)
    if not data:
        return ""
    encoding = bom_encoding(data)
    if encoding:
        try:
            text = data[_bom_len(data) :].decode(encoding)
        except UnicodeDecodeError as exc:
            raise DecodeError(f"undecodable bytes: invalid {encoding} ({exc.reason})") from None
        return finish(text)
    kind = binary_kind(data)
    if kind:
        raise DecodeError(kind)
    utf16 = _utf16_without_bom(data[:_SAMPLE]) if b"\x00" in data[:_SAMPLE] else None
    try:
        text = data.decode(utf16 or "utf-8")
    except UnicodeDecodeError:
        text = _mostly_utf8(data) or _guess(data)
    return finish(text)


def stream_encoding(head: bytes) -> tuple[str, int, str]:
    """How to decode a file too large to read whole, from its first bytes, as decode() would: (encoding,
    BOM length to skip, error handling). Raises DecodeError for binary data.

    UTF-8 that turns out to hold corrupt bytes past the head keeps them as U+FFFD (decode() would too for a
    few; a file that changes encoding midway is not recognised); other encodings come from the head."""
    encoding = bom_encoding(head)
    if encoding:
        return encoding, _bom_len(head), "strict"
    kind = binary_kind(head)
    if kind:
        raise DecodeError(kind)
    utf16 = _utf16_without_bom(head[:_SAMPLE]) if b"\x00" in head[:_SAMPLE] else None
    if utf16:
        return utf16, 0, "strict"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)  # a character cut at the end is fine
        return "utf-8", 0, "replace"
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(head) is not None:
        return "utf-8", 0, "replace"
    return _guess_encoding(head), 0, "strict"


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few corrupt bytes (a truncated scrape, a bad copy): decoded as UTF-8, each bad
    sequence shown as U+FFFD, rather than read whole as a legacy code page and garbled throughout."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count("\ufffd".encode())
    wide = sum(1 for c in text if ord(c) > 127) - text.count("\ufffd")
    return text if wide >= 2 * bad else None


def _bom_len(data: bytes) -> int:
    for bom, _name in _BOMS:
        if data.startswith(bom):
            return len(bom)
    return 0
