"""Text as a list of lines that remember where they came from.

Cleaning drops lines and trims their ends; every kept piece is a verbatim slice of the body text, so
joining them gives the clean text *and* the offset map back to the source for free.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PIECE = re.compile(r"\S+(?: \S+)*")  # words separated by single spaces: kept verbatim


@dataclass
class Line:
    """One non-empty line: its stripped text and the offset of its first character in the body."""

    text: str
    start: int

    def cut(self, begin: int, end: int) -> Line:
        """The part text[begin:end], with its offset kept right."""
        return Line(self.text[begin:end], self.start + begin)

    def strip(self) -> Line:
        stripped = self.text.strip()
        if not stripped:
            return Line("", self.start)
        begin = self.text.index(stripped[0])
        return self.cut(begin, begin + len(stripped))


def split_lines(body: str) -> list[Line]:
    """Non-empty, stripped lines of body with their offsets."""
    lines = []
    pos = 0
    for raw in body.split("\n"):
        line = Line(raw, pos).strip()
        if line.text:
            lines.append(line)
        pos += len(raw) + 1
    return lines


def assemble(lines: list[Line]) -> tuple[str, list[tuple[int, int, int]]]:
    """Join lines with \\n, collapsing inner whitespace runs; return text and (clean, source, length) runs."""
    parts: list[str] = []
    runs: list[tuple[int, int, int]] = []
    pos = 0
    for index, line in enumerate(lines):
        if index:
            parts.append("\n")
            pos += 1
        for piece_index, match in enumerate(_PIECE.finditer(line.text)):
            if piece_index:
                parts.append(" ")
                pos += 1
            piece = match.group()
            parts.append(piece)
            runs.append((pos, line.start + match.start(), len(piece)))
            pos += len(piece)
    return "".join(parts), runs


def compose(
    first: list[tuple[int, int, int]], second: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Chain two run maps (a->b, b->c) into a->c, keeping only the parts both maps cover."""
    out: list[tuple[int, int, int]] = []
    for a_start, b_start, length in first:
        for b2_start, c_start, length2 in second:
            lo = max(b_start, b2_start)
            hi = min(b_start + length, b2_start + length2)
            if lo < hi:
                out.append((a_start + lo - b_start, c_start + lo - b2_start, hi - lo))
    return sorted(out)
