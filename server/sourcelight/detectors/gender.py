"""Which named people a "he" or a "she" can stand for.

A pronoun's referent must agree with it: "she said" after "Bernie Sanders … Hillary Clinton"
is Clinton. What the article itself says about a person decides, most telling first:
- a title in front of the name: "Mr." / "Mrs.", "Ms.", "Miss";
- the first name, from a short list of common first names (rules/first_names.jsonl);
- failing both, a sentence opening "He" or "She" right after one the person is the subject of;
A surname mentioned alone ("Clinton said") takes what its full mentions say; a surname two people
share with different genders (Bill and Hillary Clinton) stays unknown. Unknown agrees with both.
"""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Span

from ..rules import load_rules

PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f", "herself": "f"}
TITLE_GENDER = {"mr": "m", "mr.": "m", "mrs": "f", "mrs.": "f", "ms": "f", "ms.": "f", "miss": "f"}


@lru_cache(maxsize=1)
def first_names() -> dict[str, str]:
    return {rule["term"]: rule["gender"] for rule in load_rules("first_names")}


class PersonGenders:
    """Genders of the article's PERSON entities, by full name and by surname."""

    def __init__(self, ents):
        votes: dict[str, set[str]] = {}
        pronoun_votes: dict[str, list[str]] = {}
        for ent in ents:
            if ent.label_ != "PERSON":
                continue
            gender = self._own(ent)
            if gender:
                votes.setdefault(ent[-1].lower_, set()).add(gender)
            elif ent.root.dep_ == "nsubj":
                following = _next_sentence_subject(ent)
                if following:
                    pronoun_votes.setdefault(ent[-1].lower_, []).append(following)
        self.by_surname = {surname: next(iter(found)) for surname, found in votes.items() if len(found) == 1}
        # "Kofi Annan said … . He added …": a named subject followed by a sentence opening "He"/"She",
        # for names the first two signals say nothing about; only when every such sentence agrees.
        for surname, found in pronoun_votes.items():
            if surname not in votes and len(set(found)) == 1 and len(found) >= 1:
                self.by_surname[surname] = found[0]

    @staticmethod
    def _own(ent: Span) -> str | None:
        doc = ent.doc
        before = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        if before in TITLE_GENDER:
            return TITLE_GENDER[before]
        if ent[0].lower_ in TITLE_GENDER:
            return TITLE_GENDER[ent[0].lower_]
        if len(ent) > 1:
            return first_names().get(ent[0].lower_)
        return None

    def of(self, ent: Span) -> str | None:
        return self._own(ent) or self.by_surname.get(ent[-1].lower_)

    def of_name(self, name: str) -> str | None:
        words = name.replace("’s", "").replace("'s", "").split()
        if not words:
            return None
        if len(words) > 1 and words[0].lower() in first_names():
            return first_names()[words[0].lower()]
        return self.by_surname.get(words[-1].lower())

    @staticmethod
    def agrees(pronoun: str, gender: str | None) -> bool:
        wanted = PRONOUN_GENDER.get(pronoun)
        return wanted is None or gender is None or gender == wanted


def _next_sentence_subject(ent: Span) -> str | None:
    """'m' or 'f' when the sentence after the one the name is the subject of opens with "He"/"She"."""
    sent = ent.sent
    doc = ent.doc
    if sent.end >= len(doc):
        return None
    opener = doc[sent.end]
    while opener.is_space and opener.i + 1 < len(doc):
        opener = doc[opener.i + 1]
    if opener.lower_ in ("he", "she") and opener.dep_ == "nsubj":
        return PRONOUN_GENDER[opener.lower_]
    return None
