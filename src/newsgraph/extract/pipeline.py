"""One spaCy pipeline over many documents (nlp.pipe); each Doc becomes an Extraction of plain data."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc

from newsgraph.extract.dictionary import ActorDictionary
from newsgraph.extract.entities import add_actor_ruler, collect_mentions
from newsgraph.extract.events import EventExtractor
from newsgraph.extract.gazetteer import load_gazetteer
from newsgraph.extract.lines import add_line_breaks
from newsgraph.extract.nlp import load_model
from newsgraph.extract.places import resolve_places
from newsgraph.extract.relations import RelationExtractor
from newsgraph.extract.timex import find_timexes
from newsgraph.model import Document, Extraction
from newsgraph.settings import Settings


class Extractor:
    """Holds the loaded model, dictionary and gazetteer; safe to build once per process."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or Settings()
        self.dictionary = ActorDictionary.load(self.settings.actor_dirs)
        self.nlp = load_model(self.settings.model)
        add_line_breaks(self.nlp)
        add_actor_ruler(self.nlp, self.dictionary)
        self.gazetteer = load_gazetteer()
        self.events = EventExtractor()
        self.relations = RelationExtractor(self.dictionary)

    def _is_place(self, name: str) -> bool:
        """A well-known place by that exact name: a region, province or country, or a sizeable town.

        Small towns are not enough: many surnames are also the name of a village somewhere.
        """
        return any(e.population >= 30000 or not e.feature.startswith("P")
                   for e in self.gazetteer.lookup(name, fuzzy=False))

    def extract_many(self, documents: Iterable[Document], batch_size: int | None = None) -> Iterator[Extraction]:
        docs = list(documents) if not isinstance(documents, list) else documents
        texts = (d.text for d in docs)
        for document, doc in zip(docs, self.nlp.pipe(texts, batch_size=batch_size or self.settings.batch_size),
                                 strict=True):
            yield self.from_doc(document, doc)

    def extract(self, document: Document) -> Extraction:
        return self.from_doc(document, self.nlp(document.text))

    def from_doc(self, document: Document, doc: Doc) -> Extraction:
        sentences = [(s.start_char, s.end_char) for s in doc.sents]
        sentence_index = {}
        for i, s in enumerate(doc.sents):
            for tok in s:
                sentence_index[tok.i] = i
        mentions = collect_mentions(doc, sentence_index, self.dictionary, self._is_place)
        timexes = find_timexes(doc, document.published)
        places = resolve_places(doc, self.gazetteer)
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
