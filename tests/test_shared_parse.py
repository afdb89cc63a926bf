"""What extraction builds once per document or per name gives the answers it gave when built every time."""

from __future__ import annotations

from newsgraph.extract.gazcache import MemoGazetteer
from newsgraph.extract.gazetteer import load_gazetteer
from newsgraph.extract.nlp import doc_cache, doc_ents, doc_sents, parsed_once


def test_remembered_gazetteer_answers_are_the_gazetteers_own_and_the_callers_to_change():
    gaz = load_gazetteer()
    memo = MemoGazetteer(gaz)
    for name in ("Aleppo", "Deir ez-Zor", "Raqqah", "Washington", "Nowhereville Xq"):
        for fuzzy in (True, False):
            assert memo.lookup_ranked(name, fuzzy) == gaz.lookup_ranked(name, fuzzy)
            assert memo.lookup(name, fuzzy) == gaz.lookup(name, fuzzy)
    first = memo.lookup_ranked("Aleppo")
    first.clear()  # a caller's own list: the next answer is whole
    assert memo.lookup_ranked("Aleppo") == gaz.lookup_ranked("Aleppo")
    assert len(memo) == len(gaz)
    assert memo.country("SY") == gaz.country("SY")


def test_a_full_memo_starts_afresh_and_still_answers():
    gaz = load_gazetteer()
    memo = MemoGazetteer(gaz, size=2)
    names = ["Aleppo", "Homs", "Idlib", "Hama"]
    for name in names:
        memo.lookup(name)
    assert len(memo._ranked) <= 2
    assert [memo.lookup(n) for n in names] == [gaz.lookup(n) for n in names]


def test_sentences_and_entities_are_shared_only_while_one_document_is_extracted(extractor):
    doc = extractor.nlp("Syrian forces shelled Aleppo on Monday.\nTurkey condemned the attack in Ankara.")
    outside = doc_sents(doc)
    assert outside is not doc_sents(doc)  # built afresh each time outside parsed_once
    with parsed_once(doc):
        assert doc_sents(doc) is doc_sents(doc)
        assert doc_ents(doc) is doc_ents(doc)
        assert [s.text for s in doc_sents(doc)] == [s.text for s in outside]
        assert [(e.start, e.end, e.label_) for e in doc_ents(doc)] == [(e.start, e.end, e.label_) for e in doc.ents]
    assert doc_cache(doc) is None  # the Doc leaves as it came


def test_the_line_break_component_starts_a_sentence_after_every_newline(extractor):
    doc = extractor.nlp("Headline without a stop\nThe army said it advanced\n\nA third line")
    starts = [s[0].text for s in doc.sents]
    assert starts == ["Headline", "The", "A"]
