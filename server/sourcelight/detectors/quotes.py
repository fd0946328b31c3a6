"""Direct quotations: text between quote marks, however the article writes them.

Handles curly “…”, straight "…", PTB ``…'' and ''…'', guillemets, quotes that run over several
paragraphs (each reopened, closed only at the end, as newsrooms write them) and unbalanced quote
marks: a quote left open runs to the end of its paragraph, never further, and never crashes.
Single quotes (‘…’ and '…', the British style for speech) are read outside double quotes, telling
apostrophes ("don’t", "the players’ union") from closing marks.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .common import doc_text, guarded, make_span

GROUP = "sourcing_quotes"
OPENERS = {"“": "curly", "„": "curly", "«": "guillemet", "``": "ptb"}
CLOSERS = {"”": "curly", "»": "guillemet"}
AMBIGUOUS = {'"', "''"}  # open or close depending on state
# The last character of a quote closed by a mark (the closers above, or the single ’); a quote
# that runs on into the next paragraph ends on a word or a stop instead.
CLOSING_CHARS = set("".join(CLOSERS) + "".join(AMBIGUOUS) + "’")
# Two apostrophes (PTB/PolNeAR style) before single characters so `''` is one mark.
MARK = re.compile(r"``|''|[“”„«»\"]")
PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\r?\n")
# Quotes shorter than this, with no sentence inside, are scare quotes or titles, not speech.
MIN_SPEECH_WORDS = 4
MAX_QUOTE_CHARS = 6000


def find_quotes(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of each quotation, marks included, in text order. `closed`: where the
    quote ends is known — at its closing mark, or at its paragraph's end when the next paragraph
    reopens it (newsrooms close a quote of several paragraphs only in the last one)."""
    quotes: list[tuple[int, int, bool]] = []
    paragraphs = _paragraphs(text)
    carry_open = False  # previous paragraph ended inside a quote
    for index, (p_start, p_end) in enumerate(paragraphs):
        open_at = None
        for match in MARK.finditer(text, p_start, p_end):
            mark = match.group()
            if open_at is None:
                if mark in OPENERS or mark in AMBIGUOUS or _misturned_opener(text, match, p_start, p_end):
                    open_at = match.start()
                elif carry_open and not quotes_in(quotes, p_start):
                    # Continuation paragraph that dropped its opening mark: quote from paragraph start.
                    quotes.append((p_start, match.end(), True))
            else:
                if mark in CLOSERS or mark in AMBIGUOUS:
                    quotes.append((open_at, match.end(), True))
                    open_at = None
                else:  # a second opener while open: the first was never closed; restart here
                    open_at = match.start()
        carry_open = False
        if open_at is not None:
            next_start = paragraphs[index + 1][0] if index + 1 < len(paragraphs) else None
            continues = next_start is not None and MARK.match(text, next_start) and \
                MARK.match(text, next_start).group() in (set(OPENERS) | AMBIGUOUS)
            end = _rstrip(text, open_at, p_end)
            if end - open_at > 1:
                quotes.append((open_at, end, bool(continues)))  # run on: its end is the paragraph's
            carry_open = bool(continues)
    for p_start, p_end in paragraphs:
        quotes.extend(_single_quotes(text, p_start, p_end, quotes))
    quotes.sort()
    return [q for q in quotes if q[1] - q[0] <= MAX_QUOTE_CHARS]


def _misturned_opener(text: str, match: re.Match, p_start: int, p_end: int) -> bool:
    """'”Fortunately, Mr. Trump is …”': a closing mark typed where a quote opens (after a space or
    at a paragraph's start, right before a word) opens the quotation."""
    if match.group() not in CLOSERS or match.end() >= p_end or not text[match.end()].isalnum():
        return False
    return match.start() == p_start or text[match.start() - 1].isspace()


SINGLE_OPEN = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))[‘'](?=[\w“\"…])")


def _single_quotes(text: str, p_start: int, p_end: int, doubles) -> list[tuple[int, int, bool]]:
    """‘We will win,’ he said. — single-quoted speech in one paragraph, outside double quotes."""
    found = []
    position = p_start
    while True:
        match = SINGLE_OPEN.search(text, position, p_end)
        if match is None:
            return found
        start = match.start()
        if any(s <= start < e for s, e, _ in doubles):
            position = start + 1
            continue
        end = _single_close(text, start + 1, p_end, opener=text[start])
        if end is None:
            position = start + 1
            continue
        found.append((start, end, True))
        position = end


def _single_close(text: str, position: int, p_end: int, opener: str) -> int | None:
    closers = "’" if opener == "‘" else "'"
    for i in range(position, p_end):
        if text[i] not in closers:
            continue
        before = text[i - 1] if i > position else ""
        after = text[i + 1] if i + 1 < p_end else ""
        if after.isalnum():
            continue  # don’t, it's
        if before in "sS" and after == " " and not text[i + 2:i + 3].isupper():
            continue  # the players’ union
        if before.isspace():
            continue
        return i + 1
    return None


def quotes_in(quotes, position: int) -> bool:
    return bool(quotes) and quotes[-1][1] > position


def is_speech(text: str) -> bool:
    """Long enough, or a sentence of its own, to be reported speech rather than a scare quote."""
    inner = text.strip("“”„«»\"'` ")
    words = len(inner.split())
    return words >= MIN_SPEECH_WORDS or (words >= 2 and inner[-1:] in ".!?,")


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in PARAGRAPH_BREAK.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


@Language.factory("sourcing_quotes")
def create_quote_detector(nlp: Language, name: str):
    return guarded("sourcing_quotes")(detect_quotes)


def detect_quotes(doc: Doc) -> Doc:
    spans = []
    unclosed = []
    text = doc_text(doc)
    for start, end, closed in find_quotes(text):
        speech = is_speech(text[start:end])
        why = ("Direct quotation: the writer gives these exact words in quote marks." if speech
               else "Short phrase in quote marks (a partial quote or scare quote).")
        if not closed:
            why = "Direct quotation whose closing quote mark is missing; it is taken to run to the paragraph's end."
        elif speech and text[end - 1] not in CLOSING_CHARS:
            why = ("Direct quotation running on into the next paragraph, which reopens it (a quote of several "
                   "paragraphs is closed only in the last).")
        span = make_span(doc, start, end, "quote" if speech else "partial_quote", why,
                         rule="quote_marks" if closed else "unclosed_quote")
        if span is not None:
            spans.append(span)
            if not closed:
                unclosed.append((span.start, span.end))
    doc.spans[GROUP] = spans
    # Kept apart from the spans: custom attributes are shared by spans with the same offsets.
    doc.user_data["sourcing_unclosed_quotes"] = unclosed
    return doc
