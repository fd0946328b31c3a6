"""Anonymous sourcing: unnamed people presented as knowing, and whether the article says why.

Newsroom standards (AP, Reuters, NYT) ask that anonymity be a last resort and that the story
say why it was granted ("because they were not authorized to speak publicly").
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from ..rules import load_rules

# How far around the source (in characters) the article's reason for anonymity is looked for.
REASON_WINDOW = 400


@lru_cache(maxsize=1)
def _patterns():
    rules = load_rules("anonymity")
    modifiers = frozenset(t for r in rules if r["kind"] == "modifier" for t in r["terms"])
    knowledge = [re.compile(r["pattern"], re.I) for r in rules if r["kind"] == "phrase"]
    reasons = [(r["id"], re.compile(r["pattern"], re.I)) for r in rules if r["kind"] == "reason"]
    return modifiers, knowledge, reasons


def anonymity_marker(span: Span, cue_region: str = "") -> str | None:
    """Why the span reads as an anonymous source, or None.

    `cue_region` is the text around the cue, where "privately" or "familiar with" may sit.
    """
    modifiers, knowledge, _ = _patterns()
    words = {t.lower_ for t in span}
    hit = words & modifiers
    if hit:
        return f"described as {sorted(hit)[0]}"
    # "people familiar with the matter", "officials briefed on the talks", "privately"
    for pattern in knowledge:
        match = pattern.search(span.text) or pattern.search(cue_region)
        if match:
            return f"described only as “{match.group(0).strip()}”"
    # "a senior official, who spoke on condition of anonymity because ..."
    for _, pattern in _patterns()[2]:
        if pattern.search(span.text):
            return "unnamed by agreement"
    return None


def reason_given(doc: Doc, text: str, start_char: int, end_char: int) -> str | None:
    """The article's stated reason for anonymity near the source (its sentence and the next).
    `text` is the Doc's text (common.doc_text)."""
    _, _, reasons = _patterns()
    window = text[max(0, start_char - 40): min(len(text), end_char + REASON_WINDOW)]
    sentence_end = _sentence_end_after(doc, end_char) if end_char < len(text) else None
    if sentence_end is not None:
        window = text[max(0, start_char - 40): sentence_end]
    for rule_id, pattern in reasons:
        match = pattern.search(window)
        if match:
            return match.group(0)
    return None


def blanket_reason(text: str) -> str | None:
    """A reason stated once for the article's unnamed sources ("officials who spoke on condition
    of anonymity because ...") also covers later mentions of such sources."""
    _, _, reasons = _patterns()
    for rule_id, pattern in reasons:
        if rule_id == "reason_condition":
            match = pattern.search(text)
            if match:
                return match.group(0)
    return None


def _sentence_end_after(doc: Doc, char: int) -> int | None:
    token = doc.char_span(char, char + 1, alignment_mode="expand")
    if token is None or len(token) == 0:
        return None
    sent = token[0].sent
    following = doc[sent.end].sent if sent.end < len(doc) else None
    # The reason is often in the sentence after: "..., a source said. The source was not authorized ..."
    return (following.end_char if following is not None and following.end_char - sent.end_char < REASON_WINDOW
            else sent.end_char)
