"""Paragraph breaks and datelines are sentence breaks.

Runs before the parser: a line break ends a sentence, so a headline, a time stamp ("12:15 p.m.")
or a speaker tag never merges with the sentence after it and becomes part of its subject. A
dateline ("TORONTO –", "WASHINGTON (AP) —") is cut off from its paragraph's first sentence too.

A run of more than MAX_RUN_TOKENS tokens with no sentence-ending mark is cut as well (at a comma,
semicolon or dash where one is near): news prose never has one (the longest in 326 real articles
is 118 tokens), but a hostile page can send 200,000 characters as one "sentence", and every
per-sentence step (the parser's tree building, each cue's look at its sentence) would then cost
time quadratic in the text's length.
"""
from __future__ import annotations

import re

from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .common import doc_text


DATELINE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Z .'’\-]{2,40}(?:,[ \t]*[A-Z][A-Za-z. ]{1,20})?"
                      r"(?:[ \t]*\([A-Za-z ]{1,20}\))?[ \t]*[—–-]{1,2}[ \t]*(?=\S)")


MAX_RUN_TOKENS = 200
SENTENCE_END = frozenset(".!?…")
SOFT_BREAKS = frozenset(",;:—–-")
SOFT_BREAK_REACH = 60  # how far back from the cap a comma or dash is looked for


def over_long_run_breaks(doc: Doc, starts: list[int]) -> list[int]:
    """Token indices that cut every run of > MAX_RUN_TOKENS tokens without a sentence end (one pass)."""
    preset = set(starts)
    breaks, run_start, soft = [], 0, None
    for token in doc:
        i = token.i
        if i in preset:
            run_start, soft = i, None
        if i - run_start >= MAX_RUN_TOKENS:
            cut = soft if soft is not None and i - soft < SOFT_BREAK_REACH and soft > run_start else i
            breaks.append(cut)
            run_start, soft = cut, None
        text = token.text
        if text and (text[-1] in SENTENCE_END or "\n" in token.whitespace_):
            run_start, soft = i + 1, None
        elif text in SOFT_BREAKS:
            soft = i + 1
    return [i for i in breaks if 0 < i < len(doc)]


@Language.component("sourcing_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    starts = [token.i + 1 for token in doc[:-1]
              if ("\n" in token.text or "\n" in token.whitespace_) and not doc[token.i + 1].is_space]
    for match in DATELINE.finditer(doc_text(doc)):
        after = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if after is not None and len(after) and after[0].i > 0:
            starts.append(after[0].i)
    starts += over_long_run_breaks(doc, starts)
    if starts:
        # Written as one column: each `token.is_sent_start = True` re-checks the whole Doc for a
        # parse, which made long articles cost quadratic time.
        column = doc.to_array([SENT_START])
        column[starts] = 1
        doc.from_array([SENT_START], column)
    return doc
