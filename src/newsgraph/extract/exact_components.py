"""Cheaper stand-ins for two rule components of a spaCy pipeline, with exactly the same annotations.

In en_core_web_sm the attribute ruler (179 patterns run through the token Matcher) and the rule lemmatizer
(Python per token) cost a fifth of the whole pipeline's time, more than the tagger and parser together.
Both are pure functions of a few token attributes, so a table lookup gives the same result:

- the attribute ruler's patterns are indexed by the value of one of their token attributes and checked
  only where that value occurs; matches are applied in the ruler's own order, with spaCy's own
  set_token_attrs, so later rules win exactly as they do in spaCy;
- a lemma depends only on the word, its POS and its morphology, so each such triple is lemmatized once by
  the stock lemmatizer and remembered.

Patterns or lemmatizers outside what is reproduced here (operators, other attributes, other languages'
lemmatizers) keep the stock component: `use_exact_components` replaces only what it can reproduce.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from typing import Any

import numpy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

# token attributes a pattern may test, as the Matcher reads them: hashes, IS_SPACE as 0/1
_ATTRS = {"ORTH": ORTH, "LOWER": LOWER, "NORM": NORM, "TAG": TAG, "DEP": DEP, "IS_SPACE": IS_SPACE}
_SETTABLE = {POS, TAG, DEP, LEMMA, MORPH}  # token attributes a rule may set here
_MEMO_LIMIT = 1_000_000  # (word, POS, morphology) lemmas kept before the memo starts again

Check = tuple[int, str, Any]  # (column, "eq" | "in" | "not_in", value or frozenset)


class Unsupported(ValueError):
    """A pattern this table cannot reproduce: the stock component stays."""


def _value(vocab, key: str, value: Any) -> int:
    if key == "IS_SPACE":
        if not isinstance(value, bool):
            raise Unsupported(f"IS_SPACE {value!r}")
        return int(value)
    if not isinstance(value, str):
        raise Unsupported(f"{key} {value!r}")
    return vocab.strings.add(value)


def _token_checks(vocab, spec: dict, columns: dict[str, int]) -> list[Check]:
    checks: list[Check] = []
    for key, cond in spec.items():
        if key not in _ATTRS:
            raise Unsupported(f"attribute {key}")
        col = columns.setdefault(key, len(columns))
        if isinstance(cond, dict):
            if set(cond) - {"IN", "NOT_IN", "REGEX"} or (key == "IS_SPACE" and "REGEX" in cond):
                raise Unsupported(f"{key} {cond!r}")
            for op, values in cond.items():
                if op == "REGEX":
                    checks.append((col, "regex", _Regex(vocab, values)))
                else:
                    checks.append((col, op.lower(), frozenset(_value(vocab, key, v) for v in values)))
        else:
            checks.append((col, "eq", _value(vocab, key, cond)))
    return checks


class _Regex:
    """The Matcher's REGEX predicate (re.search on the attribute's string), remembered per value."""

    def __init__(self, vocab, pattern: str):
        self.strings, self.pattern, self.seen = vocab.strings, re.compile(pattern), {}

    def __call__(self, value: int) -> bool:
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = bool(self.pattern.search(self.strings[value]))
        return found


def _holds(checks: list[Check], row: tuple[int, ...]) -> bool:
    for col, op, want in checks:
        got = row[col]
        if op == "eq":
            if got != want:
                return False
        elif op == "in":
            if got not in want:
                return False
        elif op == "regex":
            if not want(got):
                return False
        elif got in want:
            return False
    return True


class TableAttributeRuler:
    """spaCy's AttributeRuler over token attribute tables instead of the Matcher.

    Which one-token rules hold for a token depends only on the attributes they test, so they are found
    once per distinct combination; rules over several tokens are looked for where their first token's
    value occurs. Each token then gets the attributes of the rules that hit it, in the ruler's order (a
    later rule wins, as in spaCy), written back in one from_array.
    """

    def __init__(self, ruler: AttributeRuler):
        self.vocab = ruler.vocab
        # normalized by spaCy itself: attribute ids, hashes, MORPH registered in the morphology table
        self.attrs: list[dict[int, int]] = ruler.attrs
        if any(set(a) - _SETTABLE for a in self.attrs):
            raise Unsupported("sets attributes other than POS, TAG, DEP, LEMMA and MORPH")
        columns: dict[str, int] = {}
        # (rule id, checks per token, the token it sets) of one-token and of longer patterns
        self.single: list[tuple[int, list[list[Check]], int]] = []
        self.multi: list[tuple[int, list[list[Check]], int]] = []
        # (column, value) an equality of the pattern's first token asks for -> patterns, else anywhere
        single_index: dict[tuple[int, int], list[int]] = {}
        multi_index: dict[tuple[int, int], list[int]] = {}
        self.single_anywhere: list[int] = []
        self.multi_anywhere: list[int] = []
        for rule_id, pattern in enumerate(ruler.patterns):
            target = ruler.indices[rule_id]
            for tokens in pattern["patterns"]:
                if not tokens or any("OP" in t for t in tokens):
                    raise Unsupported("operators or empty patterns")
                if not -len(tokens) <= target < len(tokens):
                    raise Unsupported(f"index {target} outside a {len(tokens)}-token pattern")
                checks = [_token_checks(self.vocab, t, columns) for t in tokens]
                first = next(((col, want) for col, op, want in checks[0] if op == "eq"), None)
                if len(checks) == 1:
                    patterns, index, anywhere = self.single, single_index, self.single_anywhere
                else:
                    patterns, index, anywhere = self.multi, multi_index, self.multi_anywhere
                n = len(patterns)
                patterns.append((rule_id, checks, target % len(tokens)))
                if first is None:
                    anywhere.append(n)
                else:
                    index.setdefault(first, []).append(n)
        self.columns = [_ATTRS[k] for k in sorted(columns, key=columns.__getitem__)]
        self.single_index = _by_column(single_index)
        self.multi_index = _by_column(multi_index)
        self.written = sorted({attr for a in self.attrs for attr in a})
        # a row of tested attributes -> (its one-token rules, what they write, multi-token rules it starts)
        self.hits: dict[tuple[int, ...], tuple[tuple[int, ...], tuple[tuple[int, int], ...], tuple[int, ...]]] = {}

    def _row_hits(self, row: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """The one-token rules that hold for a token with these attributes, and the rules over several
        tokens whose first token they satisfy."""
        found = []
        for index, anywhere, patterns in ((self.single_index, self.single_anywhere, self.single),
                                          (self.multi_index, self.multi_anywhere, self.multi)):
            candidates = list(anywhere)
            for col, table in index:
                candidates.extend(table.get(row[col], ()))
            found.append(tuple(c for c in sorted(candidates) if _holds(patterns[c][1][0], row)))
        singles, multis = found
        return tuple(self.single[c][0] for c in singles), multis

    def _writes(self, rule_ids: Iterable[int]) -> tuple[tuple[int, int], ...]:
        """What the rules, applied in order, leave on a token: (column in self.written, value)."""
        final: dict[int, int] = {}
        for rule_id in sorted(rule_ids):
            final.update(self.attrs[rule_id])
        return tuple((self.written.index(attr), value) for attr, value in final.items())

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        rows = [tuple(r) for r in doc.to_array(self.columns).reshape(n, -1).tolist()]
        memo = self.hits
        per_token = []
        more: dict[int, list[int]] = {}  # token -> rules over several tokens that set it
        for i, row in enumerate(rows):
            known = memo.get(row)
            if known is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                singles, multis = self._row_hits(row)
                known = memo[row] = (singles, self._writes(singles), multis)
            per_token.append(known)
            for c in known[2]:
                rule_id, checks, target = self.multi[c]
                if i + len(checks) <= n and all(_holds(checks[k], rows[i + k]) for k in range(1, len(checks))):
                    more.setdefault(i + target, []).append(rule_id)
        values = doc.to_array(self.written).reshape(n, -1)
        out = values.tolist()
        for i, (singles, writes, _) in enumerate(per_token):
            if i in more:
                writes = self._writes(singles + tuple(more[i]))
            target = out[i]
            for col, value in writes:
                target[col] = value
        doc.from_array(self.written, numpy.asarray(out, dtype=numpy.uint64).reshape(values.shape))
        return doc


def _by_column(index: dict[tuple[int, int], list[int]]) -> list[tuple[int, dict[int, list[int]]]]:
    return [(col, {v: found for (c, v), found in index.items() if c == col}) for col in sorted({c for c, _ in index})]


class MemoLemmatizer:
    """A rule or lookup lemmatizer that lemmatizes each (word, POS, morphology) once."""

    def __init__(self, lemmatizer: Lemmatizer):
        self.stock = _indexed(lemmatizer)
        self.lemmatize = getattr(self.stock, f"{self.stock.mode}_lemmatize")
        self.overwrite = lemmatizer.overwrite
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        if not self.stock._validated:
            self.stock._validate_tables()
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        strings, memo, lemmatize = self.vocab.strings, self.memo, self.lemmatize
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            value = memo.get(key)
            if value is None:
                if len(memo) >= _MEMO_LIMIT:
                    memo.clear()
                value = memo[key] = strings.add(lemmatize(doc[i])[0])
            lemmas[i] = value
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc

    @property
    def vocab(self):
        return self.stock.vocab


def _indexed(lemmatizer: Lemmatizer) -> Lemmatizer:
    """A copy of the lemmatizer whose lemma index holds sets: the stock one holds lists, which rule
    lemmatization scans for every candidate form (150 µs a new word); it only ever tests membership."""
    copied = copy.copy(lemmatizer)
    copied.cache = {}
    lookups = Lookups()
    for name in lemmatizer.lookups.tables:
        table = lemmatizer.lookups.get_table(name)
        if name == "lemma_index":
            lookups.add_table(name, {pos: frozenset(forms) for pos, forms in table.items()})
        else:
            lookups.set_table(name, table)
    copied.lookups = lookups
    return copied


_EXACT: dict[str, Callable[[Any], Callable[[Doc], Doc]]] = {
    "attribute_ruler": TableAttributeRuler,
    "lemmatizer": MemoLemmatizer,
}


def _reproducible(name: str, component: Any) -> bool:
    if name == "lemmatizer":  # other languages' lemmatizers read more of the token than word, POS, morphology
        return type(component) in (Lemmatizer, EnglishLemmatizer) and component.mode in ("rule", "lookup")
    return type(component) is AttributeRuler


@Language.factory("newsgraph_exact")
def make_exact(nlp: Language, name: str, replaces: str) -> Callable[[Doc], Doc]:
    return _EXACT[replaces](nlp.get_pipe(replaces))


def use_exact_components(nlp: Language) -> list[str]:
    """Put the table attribute ruler and the memo lemmatizer in place of the stock components they
    reproduce (the stock ones are disabled, not removed); returns the names replaced."""
    replaced = []
    for name, component in list(nlp.pipeline):
        if name not in _EXACT or not _reproducible(name, component):
            continue
        try:
            nlp.add_pipe("newsgraph_exact", name=f"{name}_exact", after=name, config={"replaces": name})
        except Unsupported:
            continue
        nlp.disable_pipe(name)
        replaced.append(name)
    return replaced
