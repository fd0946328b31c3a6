"""Paragraph breaks are sentence breaks.

Runs before the parser: a line break ends a sentence, so a headline, a dateline ("12:15 p.m.")
or a speaker tag never merges with the sentence after it and becomes part of its subject.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


@Language.component("sourcing_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            following = doc[token.i + 1]
            if not following.is_space:
                following.is_sent_start = True
    return doc
