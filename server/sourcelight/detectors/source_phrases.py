"""How a source phrase reads: its name part, the role it names, the clauses hung on it. Lookups
on the parse that source_types.py decides with (kept apart so the typer reads as its rules)."""
from __future__ import annotations

from spacy.tokens import Span

from .common import EntityIndex
from .source_context import part_of_speech, proper_name

OTHER_THAN_NAMED = {"other", "another", "second", "third", "fellow", "new", "next", "same"}


def named_member(span: Span, entities: EntityIndex) -> Span | None:
    """An organisation named inside a group phrase, as a conjunct or after 'including'/'such as'/'like'."""
    root = span.root
    for ent in entities.within(span):
        if ent.label_ != "ORG" or ent.root.i == root.i or ent.root.dep_ == "poss":
            continue  # ("DeVos’s group, the Great Lakes Education Project": the owner is no member)
        token = ent.root
        for _ in range(4):
            if token.dep_ == "conj" and token.head.i == root.i:
                return ent
            if token.dep_ == "pobj" and token.head.lower_ in ("including", "like", "as") and token.head.head.i == root.i:
                return ent
            if token.head.i == token.i:
                break
            token = token.head
    return None


def name_part(span: Span) -> Span:
    """The span without the clause set off by a comma after its head: "Con Edison, which maintains
    4,300 miles of gas mains," is Con Edison (one voice with its other mentions); of two
    coordinated names, the first."""
    root = span.root
    start = span.start
    # "both Roscosmos and NASA": the first of two coordinated names, as for people.
    while start < root.i and span.doc[start].lower_ in ("both", "either", "neither"):
        start += 1
    for token in span:
        if token.head.i == root.i and token.i > root.i and token.dep_ == "cc":
            return span.doc[start:token.i]
        if token.head.i == root.i and token.i > root.i and token.dep_ in ("relcl", "appos", "acl") \
                and token.left_edge.i > span.start and span.doc[token.left_edge.i - 1].text == ",":
            return span.doc[start:token.left_edge.i - 1]
    return span.doc[start:span.end]


def name_after_titles(span: Span) -> Span | None:
    """The person's name closing a run of coordinated titles ("fact checker and staff writer David
    Emery"): a conjunct of a common-noun head that is a person's name with a title of its own before
    it. A plain pair of speakers ("the senator and John Smith") has no such title."""
    root = span.root
    if part_of_speech(root) != "NOUN":
        return None
    last = span.end - 1 - int(span[-1].is_punct)  # the name closes the span
    for conj in root.children:
        if conj.dep_ != "conj" or conj.ent_type_ != "PERSON" or conj.right_edge.i < last:
            continue
        if any(t.dep_ == "compound" and t.pos_ == "NOUN" and t.is_lower for t in conj.lefts):
            name = [t for t in conj.subtree if t.ent_type_ == "PERSON"]
            return span.doc[name[0].i:name[-1].i + 1]
    return None


def antecedent_phrase(pronoun) -> Span | None:
    """'Republicans, who have questioned ...' → 'Republicans'."""
    head = pronoun.head.head
    doc = pronoun.doc
    start = head.left_edge.i
    end = pronoun.head.left_edge.i
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return doc[start:end] if end > start and end <= pronoun.i else None


SHARE_WORDS = {"percent", "%", "voters", "respondents", "americans", "people", "adults", "likely", "registered"}


def is_share_of_people(span: Span) -> bool:
    """'Twelve percent', '31 percent', 'Nearly eight of 10 voters', 'a majority of respondents'; read
    in the phrase itself, not a clause on it ("the Coalition, which represents 20 million Americans")."""
    core = [t for t in span if not in_clause_on(t, span.root)]
    words = [t.lower_ for t in core]
    has_number = any(t.like_num or t.ent_type_ in ("PERCENT", "CARDINAL") for t in core)
    return (has_number and any(w in SHARE_WORDS or w.endswith("%") for w in words)) or (
        span.root.lower_ in ("majority", "plurality", "share", "half", "third", "quarter") and "of" in words)


def in_clause_on(token, root) -> bool:
    """Is the token inside a relative clause, participle or apposition hung on the root?"""
    while token.i != root.i and token.head.i != token.i:
        if token.dep_ in ("relcl", "acl", "appos"):
            return True
        token = token.head
    return False


def capitalised_in(token, words) -> bool:
    return token.lower_ in words and not token.is_lower


def has_name(span: Span) -> bool:
    """The span names someone: its head is a proper noun, or a name stands beside it in apposition."""
    root = span.root
    if part_of_speech(root) == "PROPN" or root.ent_type_ in ("PERSON", "ORG", "GPE", "FAC"):
        return True
    # A person's name in front of a lower-case head only says whose ("Clinton campaign officials").
    return any((t.ent_type_ == "PERSON" or part_of_speech(t) == "PROPN") and t.dep_ in ("compound", "appos", "flat")
               and t.head.i == root.i and (t.dep_ == "appos" or t.ent_type_ == "PERSON" and not root.is_lower)
               for t in span)


def appositive_person(span: Span) -> Span | None:
    """The person's name set beside the span's head in apposition ("Her deputy, *Tom Ruiz*,")."""
    root = span.root
    # ... or beside the object of the head's preposition, closing the span: "An attorney for
    # Novak, *Jane Ellison*,".
    heads = {root.i} | {obj.i for prep in root.children if prep.dep_ == "prep"
                        for obj in prep.children if obj.dep_ == "pobj"}
    for token in span:
        closes = all(t.is_punct or t.is_space for t in span.doc[token.i + 1:span.end])
        if token.dep_ == "appos" and (token.head.i == root.i or token.head.i in heads and closes) \
                and token.ent_type_ == "PERSON":
            start = token.i
            while start - 1 >= span.start and span.doc[start - 1].ent_type_ == "PERSON" \
                    and span.doc[start - 1].dep_ in ("compound", "flat"):
                start -= 1
            return span.doc[start:token.i + 1]
    return None


def works_for_named_body(root) -> bool:
    """"reporter *for USA Today*", "analyst *at Lazard*": the role's preposition takes an organisation."""
    return any(prep.dep_ == "prep" and prep.lower_ in ("for", "at", "with") and obj.dep_ == "pobj"
               and (obj.ent_type_ in ("ORG", "FAC") or obj.pos_ == "PROPN" and obj.text.isupper())
               for prep in root.children for obj in prep.children)


def definite_role(root) -> bool:
    """"the writer", "The mother of …": the definite article and no word setting it apart from a
    role holder named elsewhere ("the other writer", "the second mother")."""
    lefts = list(root.lefts)
    return any(t.dep_ == "det" and t.lower_ == "the" for t in lefts) \
        and not any(t.lower_ in OTHER_THAN_NAMED for t in lefts)


def root_in_name(span: Span) -> bool:
    """The head belongs to a proper name (not just modified by one): "Merck", "the Red Cross"."""
    proper = proper_name(span)
    # ... or closes a longer organisation name the model found ("Channel 1 TV").
    return proper is not None and proper.start <= span.root.i < proper.end \
        or span.root.ent_type_ == "ORG" and span.root.ent_iob_ == "I"


def has_person(span: Span) -> bool:
    return part_of_speech(span.root) == "PROPN"


def anonymous_note(marker: str | None, reason: str | None) -> str:
    if reason:
        return f"The article says why: “{reason.strip()}”."
    if marker:
        return f"It is {marker}, and the article does not say why it is unnamed."
    return "The article does not say why it is unnamed."
