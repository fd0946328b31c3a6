"""Who speaks: a cue candidate's subject, and the phrase that names the source. The parser does
not always hang the speaker where a subject belongs ('“…,” Tulsa police Chief Chuck Jordan said',
'About 4 in 10 say', a participle cue inside the clause it reports): these recover it.
Used by candidates.py; frames.py reads the noun phrase too.
"""
from __future__ import annotations

from spacy.tokens import Span, Token

from .common import strip_edge_punct, trim_span
from .quote_index import QUOTE_BEFORE_GLUE, QuoteIndex


SUBJECT_DEPS = {"nsubj", "csubj"}


RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}


def subject_of(verb: Token) -> Token | None:
    """The cue's own subject, or the one it shares with the verb it is coordinated with.

    Of two subjects (a parse error, as in '“… One of the brightest members,” Rep. Cummings
    said'), the one nearest the verb is the speaker."""
    closed_in = closed_in_subject(verb) or compound_name(verb)
    if closed_in is not None:
        return closed_in
    deps = SUBJECT_DEPS
    for _ in range(4):
        subjects = [child for child in verb.children if child.dep_ in deps]
        if subjects:
            return min(subjects, key=lambda child: abs(child.i - verb.i))
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head  # "a statement saying …", "voters saying …": the noun does the saying
        if _main_verb_read_as_participle(verb) and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head  # "The leader, Ana Ruiz, condemned the attack, saying …"
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head.i != verb.i:
            if verb.dep_ == "xcomp" and _impersonal_frame(verb.head):
                return None  # "it would be safe to say that …": the writer's own voice, no one else's
            verb = reporting_verb_taking_back(verb) or verb.head
            continue
        if verb.dep_ == "pcomp":
            # "began by saying …", "After saying …, she was escorted out", "named no date, aside from
            # saying …": the gerund's speaker is the subject of the clause its phrase hangs on,
            # whatever that clause's voice.
            host = _clause_above(verb.head)
            if host is None:
                return None
            verb, deps = host, SUBJECT_DEPS | {"nsubjpass"}
            continue
        return None
    return None


def compound_name(verb: Token) -> Token | None:
    """ "But Lee claims that …" read as one noun, "Lee claims": for a verb the tagger took for a
    plural noun, the name it took for a modifier of that noun is the subject."""
    if verb.tag_ != "NNS" or verb.dep_ not in ("ROOT", "ccomp", "conj") or any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None  # a noun that is itself a subject or an object ("the Lee claims … were denied") is one
    names = [c for c in verb.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < verb.i]
    if not names or any(c.dep_ in ("det", "poss") for c in names[-1].children):
        return None
    return names[-1]


def closed_in_subject(verb: Token) -> Token | None:
    """ "a fraction of the $40 million strategists say it takes": a relative clause with no
    "that", whose subject the parser closed into the noun phrase before it, hanging the verb on
    the sentence as "dep" or as a conjunct with no "and". The plural noun right before a plural
    verb that has no subject of its own is its subject."""
    if verb.tag_ != "VBP" or verb.i == 0 or verb.dep_ not in ("dep", "conj") or verb.head.i > verb.i:
        return None
    before = verb.doc[verb.i - 1]
    if before.tag_ != "NNS" or before.dep_ not in ("pobj", "dobj", "attr") or before.head.i == verb.i:
        return None
    if any(c.dep_ in SUBJECT_DEPS for c in verb.children):
        return None
    if any(c.dep_ in SUBJECT_DEPS and c.left_edge.i <= before.i <= c.right_edge.i for c in verb.head.children):
        return None  # "sources familiar with the talks say": the noun ends a longer subject
    if verb.dep_ == "conj" and any(c.dep_ == "cc" for c in verb.head.children if c.i < verb.i):
        return None  # "… the costs and say": a true second clause
    return before


def _clause_above(preposition: Token) -> Token | None:
    """The verb a prepositional phrase ("after …", "aside from …") modifies, past an adverb."""
    token = preposition
    for _ in range(2):
        if token.head.i == token.i:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
        if token.pos_ not in ("ADV", "ADP"):
            return None
    return None


def _impersonal_frame(head: Token) -> bool:
    """ "it is fair to say", "it would be safe to say", "it is worth noting": a copula with an
    adjective and the placeholder "it" for a subject."""
    return (head.lemma_ == "be" and any(c.dep_ == "acomp" for c in head.children)
            and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in head.children))


def stranded_subject(verb: Token) -> Token | None:
    """The subject the parser hung elsewhere, for a finite verb that needs one: "About 4 in *10*
    say …" (the number taken for a modifier of the verb), "*Majorities* of Democrats … going to
    the polls Tuesday say …" (the verb hung on another as "dep"). A name the parser read as the
    end of a prepositional phrase ("the editorial board of the Washington Post Trump said") is
    left alone: the entity recogniser joins it to the phrase, and the reader would see an outlet."""
    if verb.tag_ not in ("VBD", "VBZ", "VBP"):
        return None
    doc = verb.doc
    before = doc[verb.i - 1] if verb.i > 0 else None
    if before is None or before.is_punct:
        return None
    if before.head.i == verb.i and before.dep_ in ("nummod", "npadvmod") and before.pos_ in ("NUM", "NOUN"):
        return before
    if verb.dep_ == "dep" and verb.head.i < verb.i:
        return next((c for c in verb.head.children if c.dep_ in SUBJECT_DEPS and c.i < verb.i), None)
    return None


def reporting_verb_taking_back(verb: Token) -> Token | None:
    """The reporting verb a coordinated or participle cue belongs with when the parser hung it
    inside that verb's reported clause. "Trump said he would order a review and warned against
    hackers": "warned" (past, like "said"; not "would order") is Trump's. "Analysts said
    factors have contributed, citing its location": the comma'd participle is the analysts'."""
    head = verb.head
    if head.dep_ != "ccomp" or head.head.i == head.i or not any(c.dep_ in SUBJECT_DEPS for c in head.children):
        return None
    reporting = head.head
    if not reporting.tag_.startswith("VB") or not any(c.dep_ in SUBJECT_DEPS for c in reporting.children):
        return None
    if verb.dep_ == "conj":
        # "he'd battled … and called it": a clause with its own auxiliary keeps it to itself.
        own_form = head.tag_ != verb.tag_ or any(c.dep_ == "aux" and c.lemma_ != "do" for c in head.children)
        return reporting if verb.tag_ == reporting.tag_ and own_form else None
    if verb.dep_ == "advcl" and verb.tag_ == "VBG" and verb.i > head.i:
        before = verb.doc[verb.left_edge.i - 1] if verb.left_edge.i > 0 else None
        return reporting if before is not None and before.text == "," else None
    return None


# "“…,” Tulsa police Chief Chuck Jordan said": how many words a speaker's name and title may take.
MAX_SPEAKER_TOKENS = 8


NAME_POS = {"PROPN", "NOUN", "DET", "ADJ", "PART", "NUM", "PUNCT"}


def name_after_quote(verb: Token, quotes: QuoteIndex) -> tuple[Span, Span] | None:
    """'“…,” Tulsa police Chief Chuck Jordan said': the parser does not always make the name
    between a closing quote and the verb the verb's subject (here it read "Tulsa" as a verb).
    A short run of name words there, with a proper name in it, is the speaker of the quote."""
    doc = verb.doc
    near = quotes.ending_in(verb.i - MAX_SPEAKER_TOKENS - 1, verb.i - 1)
    for quote in (quotes[n] for n in near):
        start = quote.end
        while start < verb.i and (doc[start].text in QUOTE_BEFORE_GLUE or doc[start].is_space):
            start += 1
        name = doc[start:verb.i]
        if not 1 <= len(name) <= MAX_SPEAKER_TOKENS or any(t.is_quote or t.is_space for t in name):
            continue
        if all(t.pos_ in NAME_POS or t.ent_type_ for t in name) and any(
                t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG") for t in name):
            return quote, name
    return None


def inverted_subject(verb: Token) -> Token | None:
    """'…,” said James Acton, a physicist': the speaker after the verb, which the parser may
    have read as an object."""
    for child in verb.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "nsubj", "appos", "oprd") and child.pos_ in ("PROPN", "NOUN", "PRON"):
            return child
    return None


def source_phrase(subject: Token, verb: Token) -> Span | None:
    """The source's words. For "allies who question ...", the antecedent through the pronoun
    ("some lawmakers and foreign allies who"): the reader sees who, the pronoun stays attached."""
    if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl" and subject.dep_ in SUBJECT_DEPS:
        antecedent = subject.head.head
        phrase = noun_phrase(antecedent, verb)
        if phrase is not None and phrase.end <= subject.i:
            return subject.doc[phrase.start:subject.i + 1]
        return subject.doc[subject.i:subject.i + 1]
    closed_in = closed_in_subject(verb)
    if closed_in is not None and closed_in.i == subject.i:
        # The closed-in subject of a relative clause with no "that": the words before it belong
        # to the noun phrase it was closed into ("the $9 million"), all but its own compounds.
        start = subject.i
        while start > 0 and subject.doc[start - 1].dep_ == "compound" and subject.doc[start - 1].head.i == subject.i:
            start -= 1
        return subject.doc[start:subject.i + 1]
    return noun_phrase(subject, verb)


def appositive_speaker(subject: Token, verb: Token, source_nouns) -> Span | None:
    """'… Moyo and Kasukuwere, who fled to the compound after the coup, the source, who said …,
    told Reuters': the parser takes the first name for the speaker and hangs the apposition that
    stands right before the verb on a word far back. A source noun ("the source", "a spokesman")
    set off by a comma just before the verb, inside the subject's words but not describing the
    subject ("Mr Smith, the mayor, said" names one speaker twice), is who speaks."""
    doc = verb.doc
    if verb.i < 2 or doc[verb.i - 1].text != ",":
        return None
    for token in subject.subtree:
        if (token.dep_ == "appos" and token.pos_ == "NOUN" and token.right_edge.i == verb.i - 2
                and token.lemma_.lower() in source_nouns and not _describes_the_subject(token, subject)):
            return noun_phrase(token, verb)
    return None


def _describes_the_subject(token: Token, subject: Token) -> bool:
    """Whether an apposition belongs to the subject's own words: it hangs on the subject, on
    another apposition ("Ayrault, the foreign minister of France, a permanent member of the
    Council") or on a noun of the subject's phrase ("the chief executive of Las Vegas Sands Corp,
    the world's biggest gambling company") — anywhere but at the end of a clause inside it
    ("Moyo, who fled after the coup, the source, … told"), where it cannot be a description."""
    head = token.head
    through_clause = False
    while head.i != subject.i:
        if head.dep_ == "appos" or head.head.i == head.i:
            return True
        through_clause = through_clause or head.dep_ in ("relcl", "acl")
        head = head.head
    return not through_clause


def _main_verb_read_as_participle(child: Token) -> bool:
    """ "The leader of the party, Ana Ruiz, condemned the attack, saying …": the sentence's verb,
    parsed as a participle on the noun (a passive participle seldom takes an object after a comma)."""
    return (child.dep_ == "acl" and child.tag_ in ("VBN", "VBD") and child.i > 0
            and child.doc[child.i - 1].text == "," and any(c.dep_ == "dobj" for c in child.children))


def noun_phrase(head: Token, cue: Token | None, drop_conjuncts: bool = False,
                 cut_preps: tuple[str, ...] = ()) -> Span | None:
    """The phrase a noun heads, without clauses that hold the cue or run past it."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        cut = child.dep_ in ("relcl", "acl") and (cue is None or child.i <= cue.i <= child.right_edge.i
                                                   or child.i > cue.i)
        if drop_conjuncts and child.dep_ in ("cc", "conj"):
            cut = True
        if _main_verb_read_as_participle(child):
            cut = True
        if child.dep_ == "prep" and child.lower_ in cut_preps:
            cut = True
        if cut or (cue is not None and child.left_edge.i <= cue.i <= child.right_edge.i):
            end = min(end, child.left_edge.i)
    if cue is not None and start <= cue.i < end:
        if cue.i > head.i:
            end = cue.i
        else:
            start = cue.i + 1
    start, end = trim_span(doc, start, end)
    start, end = strip_edge_punct(doc, start, end)
    if end <= start:
        return None
    return doc[start:end]
