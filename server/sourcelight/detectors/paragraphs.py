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

import numpy as np
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .common import doc_text


DATELINE = re.compile(r"(?:^|\n)[ \t]*[A-Z][A-Z .'’\-]{2,40}(?:,[ \t]*[A-Z][A-Za-z. ]{1,20})?"
                      r"(?:[ \t]*\([A-Za-z ]{1,20}\))?[ \t]*[—–-]{1,2}[ \t]*(?=\S)")


LINE_BREAK = re.compile(r"\n")
MAX_RUN_TOKENS = 200
SENTENCE_END = frozenset(".!?…")
SENTENCE_END_MARK = re.compile(r"[.!?…]")
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


def _line_break_starts(doc: Doc, text: str, columns: np.ndarray) -> list[int]:
    """Tokens that open a line: the token after one whose text or trailing space holds a line
    break (found from the text's own line breaks, not by visiting every token)."""
    breaks = [m.start() for m in LINE_BREAK.finditer(text)]
    if not breaks:
        return []
    owners = np.unique(np.searchsorted(columns[:, 0], breaks, side="right") - 1)
    following = owners[(owners >= 0) & (owners < len(doc) - 1)] + 1
    return [int(i) for i in following if not columns[i, 2]]


def _may_run_long(text: str, columns: np.ndarray, starts: list[int]) -> bool:
    """Whether some run of tokens could exceed MAX_RUN_TOKENS with no sentence end or line break
    (almost never in prose: then the exact token-by-token pass is skipped)."""
    if len(columns) <= MAX_RUN_TOKENS:
        return False
    ends = columns[:, 0] + columns[:, 1]  # each token's end offset
    marks = [m.start() for m in SENTENCE_END_MARK.finditer(text)]
    owners = np.searchsorted(columns[:, 0], marks, side="right") - 1
    closing = owners[ends[owners] - 1 == np.asarray(marks)] + 1 if marks else owners
    cuts = np.unique(np.concatenate([[0, len(columns)], closing, np.asarray(starts, dtype=np.int64)]))
    return bool(np.diff(cuts).max() > MAX_RUN_TOKENS)


@Language.component("sourcing_paragraphs")
def mark_paragraph_starts(doc: Doc) -> Doc:
    text = doc_text(doc)
    columns = doc.to_array([IDX, LENGTH, IS_SPACE]).astype(np.int64)
    starts = _line_break_starts(doc, text, columns)
    for match in DATELINE.finditer(text):
        after = doc.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if after is not None and len(after) and after[0].i > 0:
            starts.append(after[0].i)
    if _may_run_long(text, columns, starts):
        starts += over_long_run_breaks(doc, starts)
    if starts:
        # Written as one column: each `token.is_sent_start = True` re-checks the whole Doc for a
        # parse, which made long articles cost quadratic time.
        column = doc.to_array([SENT_START])
        column[starts] = 1
        doc.from_array([SENT_START], column)
    return doc
