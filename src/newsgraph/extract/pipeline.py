"""One spaCy pipeline over many documents (nlp.pipe); each Doc becomes an Extraction of plain data."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from newsgraph.extract.dictionary import ActorDictionary
from newsgraph.extract.entities import add_actor_ruler, collect_mentions, named_countries
from newsgraph.extract.events import EventExtractor
from newsgraph.extract.exact_components import use_exact_components
from newsgraph.extract.furniture import furniture_sentences
from newsgraph.extract.gazcache import MemoGazetteer
from newsgraph.extract.gazetteer import load_gazetteer
from newsgraph.extract.lines import add_line_breaks
from newsgraph.extract.nlp import doc_ents, doc_sents, doc_text, load_model, parsed_once
from newsgraph.extract.places import resolve_places
from newsgraph.extract.relations import RelationExtractor
from newsgraph.extract.timex import find_timexes, infer_published
from newsgraph.model import Document, Extraction
from newsgraph.settings import Settings


class Extractor:
    """Holds the loaded model, dictionary and gazetteer; safe to build once per process."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.dictionary = ActorDictionary.load(self.settings.actor_dirs)
        self.nlp = load_model(self.settings.model)
        use_exact_components(self.nlp)  # the same annotations, a fifth of spaCy's time less
        add_line_breaks(self.nlp)
        add_actor_ruler(self.nlp, self.dictionary)
        self.gazetteer = MemoGazetteer(load_gazetteer())
        self.events = EventExtractor(sectors={a.id: a.sector for a in self.dictionary.actors.values()})
        self.relations = RelationExtractor(self.dictionary)
        # what is loaded now (model, dictionary, gazetteer: millions of objects) lives as long as the process:
        # kept out of the garbage collector's scans, which otherwise walk it again and again during a run
        gc.freeze()

    def _is_place(self, name: str, focus: frozenset[str] = frozenset(), surnames: frozenset[str] = frozenset()) -> bool:
        """A place by that exact name: a region, province or country, a sizeable town anywhere, or any
        town in a country the article is about ("Qardaha", "Kafr Batna" in an article on Syria).

        Small towns elsewhere are not enough: many surnames are also the name of a village somewhere; and a
        word the article uses as someone's surname is not a place.
        """
        small_ok = name not in surnames
        return any(e.population >= 30000 or not e.feature.startswith("P") or (small_ok and e.country in focus)
                   for e in self.gazetteer.lookup(name, fuzzy=False))

    def _place_test(self, doc: Doc):
        surnames = {ent[-1].text for ent in doc_ents(doc) if ent.label_ == "PERSON" and len(ent) > 1}
        frozen_focus = frozenset(named_countries(doc, self.dictionary))
        frozen_surnames = frozenset(surnames)
        return lambda name: self._is_place(name, frozen_focus, frozen_surnames)

    def extract_many(self, documents: Iterable[Document], batch_size: int | None = None) -> Iterator[Extraction]:
        docs = list(documents) if not isinstance(documents, list) else documents
        texts = (d.text for d in docs)
        for document, doc in zip(docs, self.nlp.pipe(texts, batch_size=batch_size or self.settings.batch_size),
                                 strict=True):
            yield self.from_doc(document, doc)

    def extract(self, document: Document) -> Extraction:
        return self.from_doc(document, self.nlp(document.text))

    def from_doc(self, document: Document, doc: Doc) -> Extraction:
        with parsed_once(doc):
            return self._from_doc(document, doc)

    def _from_doc(self, document: Document, doc: Doc) -> Extraction:
        sents = doc_sents(doc)
        sentences = [(s.start_char, s.end_char) for s in sents]
        sentence_index = {}
        for i, s in enumerate(sents):
            sentence_index.update(dict.fromkeys(range(s.start, s.end), i))
        furniture = furniture_sentences(doc_text(doc), sentences)
        mentions = [m for m in collect_mentions(doc, sentence_index, self.dictionary, self._place_test(doc))
                    if m.sentence not in furniture]
        if document.published is None:  # no date from metadata, the text's head or the user
            inferred = infer_published(doc, skip=[sentences[i] for i in furniture])
            if inferred:
                document.published, document.published_from = inferred, "inferred"
        timexes = _outside(find_timexes(doc, document.published), sentences, furniture)
        places = _outside(resolve_places(doc, self.gazetteer), sentences, furniture)
        events = self.events.extract(doc, mentions, timexes, places, document.published, sentence_index)
        relations = self.relations.extract(doc, mentions, sentence_index, document.published)
        return Extraction(
            document=document,
            sentences=sentences,
            mentions=mentions,
            timexes=timexes,
            places=places,
            events=events,
            relations=relations,
        )


def _outside(found: list, sentences: list[tuple[int, int]], furniture: set[int]) -> list:
    """Timexes or places that are not in page furniture."""
    if not furniture:
        return found
    spans = [sentences[i] for i in furniture]
    return [x for x in found if not any(s <= x.start < e for s, e in spans)]
