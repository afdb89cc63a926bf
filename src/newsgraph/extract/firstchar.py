"""A regex that finds the same matches faster: a lookahead for the characters a match can begin with;
and the literal text every match of a pattern holds, to skip texts without it.

Python's re engine tries a pattern like ``\\b(?:january|february|...)`` at every position of the text;
with a leading class lookahead (``(?=[jfmasond...])``, compiled with the same flags, so case folding is the
same) most positions fail at once. The lookahead is zero-width and captures nothing, so every match,
group and span is what the plain pattern gives. Patterns whose first character cannot be worked out
(one that can match the empty string, a backreference, ``.``, a negated class first) are left as they are.
"""

from __future__ import annotations

import re
from re import _constants as c  # the parser's opcodes: the stdlib's own, stable across 3.11+
from re import _parser

_CATEGORY = {c.CATEGORY_DIGIT: r"\d", c.CATEGORY_NOT_DIGIT: r"\D", c.CATEGORY_WORD: r"\w",
             c.CATEGORY_NOT_WORD: r"\W", c.CATEGORY_SPACE: r"\s", c.CATEGORY_NOT_SPACE: r"\S"}
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)


class _Unknown(Exception):
    pass


def _char(code: int) -> str:
    return f"\\U{code:08x}"


def _first(items) -> tuple[list[str], bool]:
    """Class items a match of this sequence can begin with, and whether the sequence can match empty."""
    out: list[str] = []
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op == c.LITERAL:
            return out + [_char(av)], False
        if op == c.IN:
            for iop, iav in av:
                if iop == c.LITERAL:
                    out.append(_char(iav))
                elif iop == c.RANGE:
                    out.append(f"{_char(iav[0])}-{_char(iav[1])}")
                elif iop == c.CATEGORY and iav in _CATEGORY:
                    out.append(_CATEGORY[iav])
                else:
                    raise _Unknown(iop)
            return out, False
        if op == c.SUBPATTERN:
            sub, empty = _first(av[-1])
            out += sub
            if not empty:
                return out, False
            continue
        if op == c.BRANCH:
            empty_any = False
            for branch in av[1]:
                sub, empty = _first(branch)
                out += sub
                empty_any = empty_any or empty
            if not empty_any:
                return out, False
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            low, _high, sub_items = av
            sub, empty = _first(sub_items)
            out += sub
            if low > 0 and not empty:
                return out, False
            continue
        raise _Unknown(op)  # ANY, NOT_LITERAL, GROUPREF, conditional groups...
    return out, True


def first_char_class(pattern: str, flags: int = 0) -> str | None:
    """``[...]`` holding every character a non-empty match of ``pattern`` can begin with, or None."""
    try:
        items, empty = _first(_parser.parse(pattern, flags))
    except (_Unknown, re.error):
        return None
    if empty or not items:
        return None
    return "[" + "".join(items) + "]"


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``pattern`` compiled with a leading lookahead for its first character, when one can be found."""
    if pattern.startswith("(?") and pattern[2:3].isalpha():  # leading inline flags must stay first
        return re.compile(pattern, flags)
    cls = first_char_class(pattern, flags)
    return re.compile(pattern if cls is None else f"(?={cls}){pattern}", flags)


def required_literal(pattern: str, flags: int = 0) -> str | None:
    """The longest run of literal characters that every match of ``pattern`` holds, or None when there is
    none to be sure of (alternatives or groups only, case-insensitive or verbose flags).

    Only the pattern's top-level sequence is read: each literal there is matched exactly once by every
    match, in that order, with nothing between consecutive ones. A text without the run has no match.
    """
    try:
        parsed = _parser.parse(pattern, flags)
    except re.error:
        return None
    if parsed.state.flags & (re.IGNORECASE | re.VERBOSE):
        return None
    best: list[str] = []
    run: list[str] = []
    for op, av in parsed:
        if op == c.LITERAL:
            run.append(chr(av))
            if len(run) > len(best):
                best = list(run)
        else:
            run = []
    return "".join(best) or None
