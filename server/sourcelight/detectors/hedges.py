"""Hedges, speculation and weasel wording: "reportedly", "may", "rumors", "it is believed", "some say".

Hedging is not simply bad: acknowledging uncertainty is honest. The scoring weighs how much of
the article rests on it; this detector only finds it. Patterns live in rules/hedges.jsonl.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.util import filter_spans

from ..rules import word_set
from .common import guarded, make_span, rule_matcher

GROUP = "sourcing_hedges"


def _is_human(token: Token) -> bool:
    """People and groups of people ("experts", "Republicans"): what weasel quantifiers leave unnamed."""
    return token.lemma_.lower() in word_set("human_nouns", "term") or token.lower_ in word_set("human_nouns", "term") \
        or token.ent_type_ == "NORP"


if not Token.has_extension("human"):
    Token.set_extension("human", getter=_is_human)


@Language.factory("sourcing_hedges")
def create_hedge_detector(nlp: Language, name: str):
    return guarded("sourcing_hedges")(HedgeDetector(nlp))


class HedgeDetector:
    def __init__(self, nlp: Language):
        self.matcher, self.rules = rule_matcher(nlp, "hedges")

    def __call__(self, doc: Doc) -> Doc:
        found = []
        for match_id, start, end in self.matcher(doc):
            rule = self.rules[doc.vocab.strings[match_id]]
            if _is_past_ability(doc, start, rule) or _is_generic_modal(doc[start], rule) or \
                    (rule.get("skip_if_owned") and _is_owned(doc[start:end])):
                continue
            span = make_span(doc, doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), "hedge",
                             rule["why"], rule=rule["id"])
            if span is not None:
                found.append(span)
        doc.spans[GROUP] = filter_spans(found)  # the longest match wins where patterns overlap
        return doc


GENERIC_DETERMINERS = {"a", "an", "any", "each", "every", "no"}


def _is_generic_modal(modal, rule: dict) -> bool:
    """'Players may not have an assistant', 'a constable may arrest': a modal with a generic
    subject states what is allowed or possible in general — a rule, not speculation."""
    if not rule["id"].startswith("modal_"):
        return False
    following = modal.doc[modal.i + 1] if modal.i + 1 < len(modal.doc) else None
    if following is not None and following.lower_ == "have":
        return False  # "may have been": a guess about what happened, whatever the subject
    subject = next((c for c in modal.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return False
    if subject.lower_ in ("you", "one", "anyone", "everyone", "users", "players"):
        return True
    determiners = {c.lower_ for c in subject.children if c.dep_ == "det"}
    if determiners & GENERIC_DETERMINERS:
        return True
    bare_plural = subject.tag_ == "NNS" and not determiners and not any(c.dep_ == "poss" for c in subject.children)
    return bare_plural


def _is_owned(span) -> bool:
    """'his claim that', 'the claim by the ministry that': the claim has an owner after all."""
    noun = next((t for t in span if t.pos_ == "NOUN"), None)
    return noun is not None and any(c.dep_ == "poss" or (c.dep_ == "prep" and c.lower_ == "by") for c in noun.children)


def _is_past_ability(doc: Doc, start: int, rule: dict) -> bool:
    """'could not attend' reports a past inability, not a possibility."""
    if rule["id"] != "modal_could":
        return False
    following = doc[start + 1] if start + 1 < len(doc) else None
    return following is not None and following.dep_ == "neg"
