"""Paragraph breaks and datelines are sentence breaks.

Runs before the parser: a line break ends a sentence, so a headline, a time stamp ("12:15 p.m.")
or a speaker tag never merges with the sentence after it and becomes part of its subject. A
dateline ("TORONTO –", "WASHINGTON (AP) —") is cut off from its paragraph's first sentence too.
"""
from __future__ import annotations

import re

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .common import doc_text


DATELINE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Z .'’\-]{2,40}(?:,[ \t]*[A-Z][A-Za-z. ]{1,20})?"
                      r"(?:[ \t]*\([A-Za-z ]{1,20}\))?[ \t]*[—–-]{1,2}[ \t]*(?=\S)")


@Language.component("sourcing_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    starts = [token.i + 1 for token in doc[:-1]
              if ("\n" in token.text or "\n" in token.whitespace_) and not doc[token.i + 1].is_space]
    for match in DATELINE.finditer(doc_text(doc)):
        after = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if after is not None and len(after) and after[0].i > 0:
            starts.append(after[0].i)
    if starts:
        # Written as one column: each `token.is_sent_start = True` re-checks the whole Doc for a
        # parse, which made long articles cost quadratic time.
        column = doc.to_array([SENT_START])
        column[starts] = 1
        doc.from_array([SENT_START], column)
    return doc
