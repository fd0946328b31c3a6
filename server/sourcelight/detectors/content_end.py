"""Where a reported content ends: at the parser's clause, or at the end of its sentence.

The clause the parse gives a cue often stops short of what the annotators read as said ("she felt
the 13th | Amendment was worth examining", "rated 32% of claims as false | compared to 11% of …",
"released an ad | this week showing Trump …"), and as often rightly stops before the writer's own
words (", but analysts agreed …", " and has since left the network"). Neither always extending nor
never extending is right (on the PolNeAR training split each is exact about as often as the other),
so a small logistic regression decides from the words that follow the content: the first two (a
function word as itself, any other by its part of speech), how the first hangs (on the content, on
the rest, on what comes before), how long the rest is, whether it holds a verb of its own, a comma
or a quotation. Only a content after its cue, not a quotation, with no other attribution's source
or cue in the rest of the sentence, is considered, and not when the rest opens with "but" (a
contrast is the writer's unless the clause's own rule, candidates._continued_by_conjunct, took it
in).

The weights are data (rules/content_end_model.json), fitted by scripts/train_content_end.py on the
PolNeAR *training* split only; applying them is a sum of weights. SOURCELIGHT_CONTENT_END=off
keeps the parser's clause (for ablations and for making the training rows); a path loads other
weights.
"""
from __future__ import annotations

import json
import math
import os
from functools import lru_cache
from pathlib import Path

from spacy.tokens import Doc, Span

from .common import doc_text

RULES = Path(__file__).resolve().parents[1] / "rules"
MODEL_PATH = RULES / "content_end_model.json"
ENV = "SOURCELIGHT_CONTENT_END"
# Words kept as themselves in the features; any other word counts by its part of speech.
FUNCTION_POS = {"PUNCT", "CCONJ", "ADP", "SCONJ", "PART", "DET", "PRON", "AUX"}
QUOTE_OPENERS = "\"“'‘`"
CONTRASTS = {"but", "yet"}


def sentence_rest(doc: Doc, content: tuple, cue: tuple, others: list[tuple[int, int]]) -> tuple[Span, Span] | None:
    """(content, rest of its sentence) for a content that may run on, else None. `content` and `cue`
    are (start_char, end_char, …); `others` are the character ranges of every attribution's
    source and cue (the rest must hold none)."""
    if content[0] < cue[1] or doc_text(doc)[content[0]] in QUOTE_OPENERS:
        return None
    span = doc.char_span(content[0], content[1], alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    sentence = doc[span.end - 1].sent
    words = [t for t in doc[span.end:sentence.end] if not (t.is_punct or t.is_space)]
    if not words or words[0].lower_ in CONTRASTS:
        return None  # "…, but that was not the case": the writer's contrast (see candidates._continued_by_conjunct)
    end_char = words[-1].idx + len(words[-1].text)
    if end_char <= content[1] or any(start < end_char and content[1] < end for start, end in others):
        return None
    rest = doc[span.end:words[-1].i + 1]
    if _governs_cue(doc, cue, rest):
        return None  # "Emails saying the vote had moved *went out on Monday*": the sentence the cue sits in
    return span, rest


def _governs_cue(doc: Doc, cue: tuple, rest: Span) -> bool:
    """Is the cue a noun or a participle inside a noun phrase of the rest's clause ("a letter urging
    …" the subject of "has reached", "whose praise of …" of "has cooled")? Then the rest is the
    sentence the attribution sits in, not more of what was said. (A relative clause is left to the
    model: in "voters who believed the mayor would win …" the parser often hangs the content's verb
    above the voters.)"""
    cue_span = doc.char_span(cue[0], cue[1], alignment_mode="expand")
    if cue_span is None or len(cue_span) == 0:
        return False
    below = cue_span.root
    if below.dep_ != "acl" and below.pos_ not in ("NOUN", "PROPN"):
        return False
    for ancestor in below.ancestors:
        if rest.start <= ancestor.i < rest.end:
            return below.pos_ in ("NOUN", "PROPN", "PRON")
        below = ancestor
    return False


def _word(token) -> str:
    return token.lower_ if token.pos_ in FUNCTION_POS or token.is_punct else token.pos_


def _bucket(n: int) -> str:
    return "1-2" if n <= 2 else "3-6" if n <= 6 else "7-15" if n <= 15 else "16+"


def rest_features(content: Span, rest: Span) -> list[str]:
    """Sparse features of the words after a content, up to its sentence's end."""
    first = rest[0]
    second = _word(rest[1]) if len(rest) > 1 else "END"
    hangs = ("content" if content.start <= first.head.i < content.end
             else "rest" if first.head.i >= content.end else "before")
    features = [f"first={_word(first)}", f"first_dep={first.dep_}", f"first_pos={first.pos_}",
                f"first_head_in={hangs}", f"second={second}", f"first_pair={_word(first)}|{second}",
                f"rest_len={_bucket(len(rest))}", f"last={_word(content[-1])}",
                f"content_len={_bucket(len(content))}", f"content_root={content.root.dep_}|{content.root.pos_}"]
    if any(t.pos_ in ("VERB", "AUX") and t.dep_ not in ("aux", "auxpass") for t in rest):
        features.append("rest_verb")
    if any(t.text == "," for t in rest):
        features.append("rest_comma")
    if any(t.is_quote for t in rest):
        features.append("rest_quote")
    if any(t.head.i != t.i and (t.head.i < content.start or t.head.i >= rest.end) for t in rest):
        features.append("rest_hangs_outside")
    if any(content.start <= t.head.i < content.end for t in rest):
        features.append("rest_hangs_on_content")
    return features


class ContentEndModel:
    def __init__(self, data: dict):
        self.weights: dict[str, float] = data["weights"]
        self.bias: float = data["bias"]
        self.threshold: float = data["threshold"]
        self.provenance: str = data.get("provenance", "")

    def probability(self, features: list[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in features)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@lru_cache(maxsize=4)
def _load(path: str) -> ContentEndModel | None:
    file = Path(path)
    if not file.exists():
        return None
    return ContentEndModel(json.loads(file.read_text(encoding="utf-8")))


def load_content_end_model() -> ContentEndModel | None:
    """The fitted model, or None when switched off (SOURCELIGHT_CONTENT_END=off) or not fitted."""
    setting = os.environ.get(ENV, "").strip()
    if setting.lower() in ("off", "0", "none"):
        return None
    return _load(setting or str(MODEL_PATH))
