"""The table attribute ruler and the memo lemmatizer annotate exactly as the spaCy components they replace."""

from __future__ import annotations

import csv
import itertools

import numpy
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, TAG

from newsgraph.clean import clean
from newsgraph.extract.exact_components import use_exact_components
from newsgraph.extract.nlp import load_model
from newsgraph.model import RawDocument
from tests.conftest import SHARED

COLUMNS = [ORTH, POS, TAG, MORPH, LEMMA, DEP, HEAD]
ODD_TEXTS = [
    "",
    "   ",
    "\n\n",
    "He didn't go, they can't and we won't; she ain't n't.",
    "The PMU's fighters -- and Hashd al-Shaabi's -- weren't there.\n\nU.S.-led strikes hit 3 sites.",
    "Don't! DON'T? Dont. I'm, you're, we'd've gone.",
    "  Leading  spaces\tand\ttabs\n  and   more  ",
    "Syria's government said on Monday it had retaken al-Bab; Ankara denied it.",
]


def _texts(n_fakes: int) -> list[str]:
    texts = [clean(RawDocument(p.name, str(p), p.read_bytes(), "txt")).text
             for p in sorted((SHARED / "data" / "seeds").glob("*.txt"))]
    with open(SHARED / "data" / "corpora" / "fa-kes" / "FA-KES-Dataset.csv", encoding="utf-8",
              errors="replace") as fh:
        texts += [row["article_content"] for row in itertools.islice(csv.DictReader(fh), n_fakes)]
    return texts + ODD_TEXTS


def _annotations(nlp, texts: list[str]) -> list[numpy.ndarray]:
    return [doc.to_array(COLUMNS) for doc in nlp.pipe(texts, batch_size=16)]


@pytest.fixture(scope="module")
def pipelines():
    stock, exact = load_model(), load_model()
    return stock, exact, use_exact_components(exact)


def test_the_model_s_attribute_ruler_and_lemmatizer_are_replaced(pipelines):
    stock, exact, replaced = pipelines
    assert replaced == ["attribute_ruler", "lemmatizer"]
    assert "attribute_ruler" in stock.pipe_names and "attribute_ruler" not in exact.pipe_names
    assert exact.pipe_names.index("attribute_ruler_exact") == stock.pipe_names.index("attribute_ruler")


def test_every_token_gets_the_stock_pos_tag_morphology_lemma_and_dependency(pipelines):
    stock, exact, _ = pipelines
    texts = _texts(60)
    ours, theirs = _annotations(exact, texts), _annotations(stock, texts)
    tokens = 0
    for text, a, b in zip(texts, ours, theirs, strict=True):
        assert numpy.array_equal(a, b), text[:80]
        tokens += len(a)
    assert tokens > 20_000
    # and a second pass over the same texts, now answered from the memos, is still the same
    assert all(numpy.array_equal(a, b) for a, b in zip(_annotations(exact, texts[:20]), theirs[:20], strict=False))


def _ruler_pipeline(patterns: list[dict]):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp


RULES = [
    {"patterns": [[{"LOWER": "the"}]], "attrs": {"POS": "DET", "LEMMA": "the"}},
    {"patterns": [[{"ORTH": "The"}]], "attrs": {"POS": "PRON"}},  # later: wins over the rule above
    {"patterns": [[{"LOWER": {"IN": ["cat", "dog"]}}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
    {"patterns": [[{"LOWER": {"REGEX": "^ca"}}, {"LOWER": "sat"}]], "attrs": {"LEMMA": "CAT-SAT"}, "index": 0},
    {"patterns": [[{"LOWER": "sat"}, {"LOWER": {"NOT_IN": ["on", "by"]}}]], "attrs": {"TAG": "VBD"}, "index": -1},
    {"patterns": [[{"IS_SPACE": True}]], "attrs": {"POS": "SPACE"}},
    {"patterns": [[{"LOWER": {"NOT_IN": ["the"]}, "IS_SPACE": False}]], "attrs": {"MORPH": "Foo=Bar"}},
    {"patterns": [[{"LOWER": "dog"}], [{"LOWER": "mat"}]], "attrs": {"POS": "PROPN", "MORPH": "_"}},
]


def test_rule_order_several_patterns_and_token_targets_follow_spacy():
    texts = ["The cat sat on the mat.", "the dog sat down  near THE cat", "Cat sat sat sat.", "cab sat by me\n"]
    stock = _ruler_pipeline(RULES)
    exact = _ruler_pipeline(RULES)
    assert use_exact_components(exact) == ["attribute_ruler"]
    for a, b in zip(_annotations(exact, texts), _annotations(stock, texts), strict=True):
        assert numpy.array_equal(a, b)
    doc = exact("The cat sat down")
    assert [t.pos_ for t in doc][:2] == ["PRON", "NOUN"] and doc[0].lemma_ == "the"
    assert doc[1].lemma_ == "CAT-SAT" and doc[3].tag_ == "VBD" and str(doc[1].morph) == "Foo=Bar"


def test_patterns_it_cannot_reproduce_keep_the_stock_ruler():
    nlp = _ruler_pipeline([{"patterns": [[{"LOWER": "a", "OP": "+"}]], "attrs": {"POS": "DET"}}])
    assert use_exact_components(nlp) == []
    assert nlp.pipe_names == ["attribute_ruler"]
    nlp = _ruler_pipeline([{"patterns": [[{"LENGTH": 3}]], "attrs": {"POS": "DET"}}])
    assert use_exact_components(nlp) == []
