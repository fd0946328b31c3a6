"""The learned cue model: a logistic regression over a cue candidate's parse features.

Every candidate the hard refusals leave (cues.hard_no: no content, speech not yet made) is
scored: the probability that it is an attribution cue, from features any candidate has — its
word, how its content hangs on it, what kind of source it has (a person, a pronoun, an
organisation), whether the content is a quotation, what the lexicon and the counted table
(cues.py) say of it — and the context vectors spaCy's tok2vec already computed (96 numbers each)
for the cue word, the source's head and the content's head, so an unseen verb used like "said"
looks like "said", and "the ad … asking" differs from "Clinton … asking". The lexicon's verdict
is the strongest single feature, not the last word: the model keeps most of its cues, drops
those the rest of the evidence is against, and finds cues where the lexicon is silent ("pounded",
"is bearish on"); a word and use the counted table refused on evidence ("plans to": a cue 33
times in 102) needs a surer score.

The weights are data (rules/cue_model.json), fitted by scripts/train_attribution.py on the
PolNeAR *training* split only; applying them is a dot product in plain Python/numpy, so the
server needs no scikit-learn. Every decision is explained: its `why` names the probability and
the features that pushed it up most. An older model file (cue word's vector alone, no lexicon
feature) still loads: it then only fills the lexicon's silences and vetoes what it finds very
unlikely.
"""
from __future__ import annotations

import json
import math
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

RULES = Path(__file__).resolve().parents[1] / "rules"
MODEL_PATH = RULES / "cue_model.json"
# SOURCELIGHT_CUE_MODEL=off runs the rules alone (for ablations); a path loads other weights.
ENV = "SOURCELIGHT_CUE_MODEL"

READABLE = {
    "rel": "content as {}",
    "kind_rel": "{}",
    "src": "source {}",
    "src_ent": "source entity {}",
    "src_lex": "source noun of kind {}",
    "lemma": "the word “{}”",
    "lemma_rel": "“{}”",
    "quote": "content is a quotation",
    "mark": "content opens with “{}”",
    "hand": "hand lexicon: {}",
    "dep": "cue word's role {}",
    "tag": "cue word tagged {}",
    "content_len": "content of {} words",
    "content_root": "content headed by a {}",
    "kind": "a {} cue",
    "src_len": "source of {} words",
    "head": "hangs on “{}”",
    "content_lemma": "content headed by “{}”",
    "sent_pos": "word-group {} of its sentence",
    "prev": "after “{}”",
    "lexicon": "the lexicon {}",
}
# Words before a cue kept as themselves ("has", "not", ","); any other word counts by its tag.
PREV_KEPT_POS = {"ADP", "PART", "AUX", "ADV"}


def _content_bucket(n: int) -> str:
    return "1-2" if n <= 2 else "3-6" if n <= 6 else "7-15" if n <= 15 else "16+"


def _sentence_start(token) -> int:
    """token.sent.start without building the sentence Span (only how far back it starts matters)."""
    doc, i = token.doc, token.i
    while i > 0 and not doc[i].is_sent_start:
        i -= 1
    return i


def lexicon_says(accepts: bool, counted: bool) -> str:
    """The lexicon's verdict as the model reads it: it accepts the cue, the counted table refuses
    this word and use on evidence, or it says nothing."""
    return "accepts" if accepts else "refuses on evidence" if counted else "is silent"


def candidate_features(candidate, hand_kind: str | None, source_kinds: dict[str, str],
                       lexicon_says: str | None = None) -> list[str]:
    """Sparse features of one candidate (see attribution.Candidate), as strings. `lexicon_says`
    ("accepts", "refuses on evidence", "is silent") is what the rules decided, for a model that
    weighs it rather than deferring to it."""
    head, content, source = candidate.head, candidate.content, candidate.source
    lemma, kind, relation = candidate.lemma, candidate.kind, candidate.relation
    rel_family = relation.split(":")[0]
    features = [
        f"lemma={lemma}", f"kind={kind}", f"rel={relation}", f"kind_rel={kind}|{relation}",
        f"lemma_rel={lemma}|{rel_family}", f"tag={head.tag_}", f"dep={head.dep_}",
        f"content_len={_content_bucket(len(content))}", f"hand={hand_kind or 'none'}",
        f"hand_rel={hand_kind or 'none'}|{rel_family}",
    ]
    if any(c.dep_ == "neg" for c in head.children):
        features.append("neg")
    doc = head.doc
    first_token, last_token = doc[content.start], doc[content.end - 1]  # content is never empty
    if first_token.is_quote or last_token.is_quote:
        features.append("quote")
    first = first_token.lower_
    if first in ("that", "if", "whether", "to", "as", "about", "for", "of", "on"):
        features.append(f"mark={first}")
    content_root = content.root  # Span.root walks the span: once
    features.append(f"content_root={content_root.pos_}")
    # What the cue word hangs on ("wants to *say*", "*said* … adding"), what the content is about,
    # how early in its sentence the cue comes and what stands just before it: on the training
    # split these lift the held-out candidate cue F1 from 0.780 to 0.792.
    features.append(f"head={head.head.lemma_.lower()}|{head.dep_}")
    features.append(f"content_lemma={content_root.lemma_.lower()}")
    features.append(f"sent_pos={min(3, (head.i - _sentence_start(head)) // 5)}")
    if head.i > 0:
        before = doc[head.i - 1]
        features.append(f"prev={before.lower_ if before.is_punct or before.pos_ in PREV_KEPT_POS else before.pos_}")
    if source is None or candidate.agentless:
        features.append("src=none")
    else:
        root = source.root
        if root.pos_ == "PRON":
            features.append(f"src=pron:{root.lower_}")
        else:
            features.append(f"src={root.pos_}")
        if root.ent_type_:
            features.append(f"src_ent={root.ent_type_}")
        noun_kind = source_kinds.get(root.lemma_.lower()) or source_kinds.get(root.lower_)
        if noun_kind:
            features.append(f"src_lex={noun_kind}")
        features.append(f"src_len={_content_bucket(len(source))}")
    if lexicon_says:
        features.append(f"lexicon={lexicon_says}")
    return features


def context_vector(token) -> np.ndarray | None:
    """The tok2vec row of the cue word, when the Doc still has it (pieces of very long texts do not)."""
    tensor = token.doc.tensor
    if tensor is None or getattr(tensor, "shape", (0,))[0] != len(token.doc) or tensor.ndim != 2:
        return None
    return np.asarray(tensor[token.i], dtype=np.float32)


# Which words' context rows a model reads, in order: the cue word, the source's head word (zeros
# when there is no source), the content's head word. What the source and the content look like in
# context ("the ad", "what he called") tells a cue from a look-alike as much as the verb does.
DENSE_PARTS = ("head", "source", "content")


def candidate_vector(candidate, parts: tuple[str, ...]) -> np.ndarray | None:
    """The context rows of the candidate's words named in `parts`, side by side."""
    head = context_vector(candidate.head)
    if head is None or parts == ("head",):
        return head
    rows = []
    for part in parts:
        if part == "head":
            rows.append(head)
        elif part == "source":
            has_source = candidate.source is not None and not candidate.agentless
            rows.append(context_vector(candidate.source.root) if has_source else np.zeros_like(head))
        else:
            rows.append(context_vector(candidate.content.root))
    return np.concatenate(rows)


class CueModel:
    def __init__(self, data: dict):
        self.weights: dict[str, float] = data["weights"]
        self.dense = np.asarray(data["dense"], dtype=np.float32)
        self.dense_mean = np.asarray(data["dense_mean"], dtype=np.float32)
        self.dense_scale = np.asarray(data["dense_scale"], dtype=np.float32)
        self.bias: float = data["bias"]
        self._folded = self.dense / self.dense_scale
        self._offset = float(self.dense_mean @ self._folded)
        self.threshold: float = data["threshold"]
        # For a word and use the counted table (cues_learned.jsonl) has refused on enough evidence.
        self.override_threshold: float = data.get("override_threshold", data["threshold"])
        # Below this, even a candidate the lexicon accepts is dropped (0: the model never vetoes).
        self.veto_threshold: float = data.get("veto_threshold", 0.0)
        self.provenance: str = data.get("provenance", "")
        self.parts: tuple[str, ...] = tuple(data.get("dense_parts", ["head"]))
        # A model fitted with the lexicon's verdict as a feature decides every candidate itself;
        # one fitted without it only fills the lexicon's silences (and vetoes).
        self.weighs_lexicon: bool = bool(data.get("weighs_lexicon", False))

    def score(self, features: list[str], vector: np.ndarray | None) -> tuple[float, list[tuple[str, float]]]:
        """Probability of a cue, and the sparse features that pushed it up most."""
        p = self.probability(features, vector)
        return p, self.strongest(features)

    def probability(self, features: list[str], vector: np.ndarray | None) -> float:
        weights = self.weights
        z = self.bias + sum(weights.get(f, 0.0) for f in features)
        if vector is not None and vector.shape == self.dense.shape:
            # (vector - mean) / scale · dense, with the constant part folded into one number
            z += float(vector @ self._folded) - self._offset
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def strongest(self, features: list[str]) -> list[tuple[str, float]]:
        # The lexicon's verdict is context, not a reason: the why names what the words show.
        positive = [(f, self.weights[f]) for f in features
                    if self.weights.get(f, 0.0) > 0 and not f.startswith("lexicon=")]
        return sorted(positive, key=lambda c: -c[1])[:3]

    @staticmethod
    def explain(features: list[tuple[str, float]]) -> str:
        parts = []
        for feature, _ in features:
            name, _, value = feature.partition("=")
            template = READABLE.get(name)
            parts.append(template.format(value.replace("|", ", ")) if template else feature)
        return "; ".join(parts)


@lru_cache(maxsize=4)
def _load(path: str) -> CueModel | None:
    file = Path(path)
    if not file.exists():
        return None
    return CueModel(json.loads(file.read_text(encoding="utf-8")))


def load_cue_model() -> CueModel | None:
    """The fitted model, or None when switched off (SOURCELIGHT_CUE_MODEL=off) or not fitted."""
    setting = os.environ.get(ENV, "").strip()
    if setting.lower() in ("off", "0", "none"):
        return None
    return _load(setting or str(MODEL_PATH))
