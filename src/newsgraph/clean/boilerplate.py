"""Drop scraped boilerplate: widgets, credits and repeated lines.

Scrapers copy share buttons, newsletter prompts, reading-time badges and photo credits along with the
story, and often repeat the headline or a caption. Left in, they turn into fake sentences and duplicate
events. The patterns live in data/boilerplate.yaml so users can extend them without touching code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from newsgraph.clean.lines import Line

_NON_WORD = re.compile(r"[\W_]+")
# A shorter line that is this much of a longer one (as a prefix) counts as the same line.
_PREFIX_SHARE = 0.9
_PREFIX_MIN_CHARS = 40


@dataclass(frozen=True)
class Rules:
    max_line_length: int
    drop_lines: tuple[re.Pattern[str], ...]
    strip_inline: tuple[re.Pattern[str], ...]
    outlet_lines: tuple[re.Pattern[str], ...]


@cache
def rules() -> Rules:
    """The compiled patterns of data/boilerplate.yaml."""
    text = resources.files("newsgraph").joinpath("data/boilerplate.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)

    def compile_all(key: str, suffix: str = "") -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(f"(?:{e['pattern']}){suffix}", re.IGNORECASE) for e in data.get(key) or [])

    return Rules(
        max_line_length=int(data.get("max_line_length", 160)),
        drop_lines=compile_all("drop_lines"),
        strip_inline=compile_all("strip_inline", r"\s*$"),
        outlet_lines=compile_all("outlet_lines"),
    )


def strip_credits(line: Line) -> Line:
    """Cut photo credits and similar tails off a line (may leave it empty)."""
    changed = True
    while changed and line.text:
        changed = False
        for pattern in rules().strip_inline:
            match = pattern.search(line.text)
            if match and match.start() < len(line.text):
                line = line.cut(0, match.start()).strip()
                changed = True
    return line


def is_boilerplate(text: str) -> bool:
    """True when the whole line is a known widget / prompt."""
    stripped = text.strip()
    if len(stripped) > rules().max_line_length:
        return False
    return any(p.fullmatch(stripped) for p in rules().drop_lines)


def repeat_key(text: str) -> str:
    """What two lines must share to count as the same line: words, case-folded, credits cut."""
    return _words_key(strip_credits(Line(text, 0)).text)


def _words_key(text: str) -> str:
    """repeat_key of a line whose credits are cut already (strip_credits leaves nothing more to cut)."""
    return _NON_WORD.sub(" ", text.casefold()).strip()


def _repeats(key: str, seen: list[str], seen_set: set[str]) -> bool:
    if key in seen_set:
        return True
    if len(key) < _PREFIX_MIN_CHARS:
        return False
    for earlier in seen:
        short, long = (key, earlier) if len(key) <= len(earlier) else (earlier, key)
        if long.startswith(short) and len(short) >= _PREFIX_SHARE * len(long):
            return True
    return False


def remove_boilerplate(lines: list[Line]) -> list[Line]:
    """Cut credits, drop widget lines and every repeat of an earlier kept line (the first stays)."""
    kept: list[Line] = []
    seen: list[str] = []
    seen_set: set[str] = set()
    for line in lines:
        line = strip_credits(line)
        if not line.text or is_boilerplate(line.text):
            continue
        key = _words_key(line.text)  # strip_credits above: cutting again would find nothing
        if not key:  # punctuation only: nothing to say
            continue
        if _repeats(key, seen, seen_set):
            continue
        kept.append(line)
        seen.append(key)
        seen_set.add(key)
    return kept
