"""Each line of clean text is a paragraph or headline: a sentence never runs across a line break."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("newsgraph_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    for tok in doc[1:]:
        if "\n" in doc[tok.i - 1].text or "\n" in doc[tok.i - 1].whitespace_:
            tok.is_sent_start = True
    return doc


def add_line_breaks(nlp: Language) -> None:
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsgraph_line_breaks", before="parser")
    else:
        nlp.add_pipe("newsgraph_line_breaks", first=True)
