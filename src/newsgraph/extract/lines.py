"""Each line of clean text is a paragraph or headline: a sentence never runs across a line break."""

from __future__ import annotations

import re

import numpy as np
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc

_NEWLINE = re.compile("\n")


@Language.component("newsgraph_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """The token after one whose text or trailing space holds a newline starts a sentence.

    Found from the newlines' character offsets, not by visiting every token: a few lines per article,
    hundreds of tokens.
    """
    text = doc.text
    newlines = [m.start() for m in _NEWLINE.finditer(text)]
    if not newlines:
        return doc
    starts = doc.to_array(IDX)  # each token's text and trailing space run from its start to the next's
    holders = np.searchsorted(starts, np.asarray(newlines), side="right") - 1
    for i in sorted(set(holders.tolist())):
        if 0 <= i < len(doc) - 1:
            doc[i + 1].is_sent_start = True
    return doc


def add_line_breaks(nlp: Language) -> None:
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsgraph_line_breaks", before="parser")
    else:
        nlp.add_pipe("newsgraph_line_breaks", first=True)
