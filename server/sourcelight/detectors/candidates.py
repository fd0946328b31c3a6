"""Cue candidates read off the dependency parse: every verb, passive, adjective or possessed
noun that could be an attribution cue, with the source (its subject, agent or possessor) and the
content (its clause, object, prepositional object or the quotation beside it) the parse gives it.
Which candidates are attributions is decided elsewhere (cues.py, cue_model.py, attribution.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from ..rules import load_rules
from .common import strip_edge_punct, trim_span
from .quote_index import (QuoteIndex, adjacent_quote, closes_sentence, inside_quote, quote_after_colon,
                          quoted_token_ids, with_quotes)
from .frames import source_nouns
from .subjects import (RELATIVE_PRONOUNS, appositive_speaker, inverted_subject, name_after_quote, noun_phrase,
                       compound_name, reporting_verb_taking_back, source_phrase, stranded_subject,
                       subject_of)


CLAUSE_DEPS = {"ccomp", "xcomp"}


# Verbs whose subject is part of the view they report ("Trump seems to have …"): no one is named
# as holding it.
RAISING_VERBS = {"seem", "appear"}


COPULAS = {"be", "seem", "feel", "remain", "become", "appear", "sound", "look", "grow", "get"}


@dataclass
class Candidate:
    """A word that may be an attribution cue, with the source and content the parse gives it."""
    head: Token
    kind: str          # verb | passive | adjective | noun
    relation: str      # how the content hangs on the cue: ccomp, xcomp, quote, dobj, prep:for, paren, acl
    cue: Span
    content: Span
    source: Span | None
    agentless: bool = False

    @property
    def lemma(self) -> str:
        return self.head.lemma_.lower()


def find_candidates(doc: Doc, skip: set[int] = frozenset()):
    """Every cue candidate in the Doc, in text order (shared by the detector and the cue learner)."""
    quotes = QuoteIndex(q for q in doc.spans.get("sourcing_quotes", []) if q.label_ == "quote")
    quoted = quoted_token_ids(doc)
    for token in doc:
        if token.i in quoted or token.i in skip or token.dep_ in ("aux", "auxpass"):
            continue  # an auxiliary ("has" in "has tried") is part of its verb's cue, never one itself
        candidate = None
        if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB") or _verb_tagged_noun(token):
            candidate = _verb_candidate(token, quotes)
        elif token.pos_ == "ADJ" and token.dep_ == "acomp":
            candidate = _adjective_candidate(token, quotes)
        elif token.pos_ == "NOUN":
            candidate = _noun_candidate(token, quotes)
        if candidate is not None:
            yield candidate


def _verb_tagged_noun(token: Token) -> bool:
    """'But Lee claims that he should be …': a verb in -s the tagger took for a plural noun, though
    the parser gave it a subject and a clause of its own."""
    if token.tag_ != "NNS":
        return False
    deps = {child.dep_ for child in token.children}
    if "ccomp" not in deps:
        return False
    # The name before it hung on it as a compound ("Lee claims" read as one noun): no article or
    # possessive before, which a noun would have ("the Lee claims").
    return "nsubj" in deps or (compound_name(token) is not None and not deps & {"det", "poss", "amod"})


def _verb_candidate(verb: Token, quotes) -> Candidate | None:
    if _is_passive(verb):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        agent_np = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        relation, content = _passive_content(verb, quotes, has_agent=agent_np is not None)
        if content is None:
            return None
        if agent_np is not None:
            return Candidate(verb, "passive", relation, _cue_span(verb), content,
                             noun_phrase(agent_np, verb, cut_preps=("as",)))
        # "were described as", "is believed to": a view with nobody standing behind it.
        cue = _cue_span(verb)
        if content.start == cue.end + 1 and verb.doc[cue.end].dep_ == "prep":
            cue = verb.doc[cue.start:cue.end + 1]  # "was accused of"
        return Candidate(verb, "passive", relation, cue, _with_subject_in_front(verb, content, "nsubjpass"),
                         _verb_group(verb), agentless=True)
    subject = subject_of(verb)
    if subject is not None and inside_quote(subject, quotes) and not inside_quote(verb, quotes):
        subject = None  # a parse that takes a word of the quote, before or after the cue, for the speaker
    if subject is None:
        subject = inverted_subject(verb)
        quote = adjacent_quote(verb, subject, quotes) if subject is not None else None
        if quote is None or quote.end > verb.i:
            speaker = name_after_quote(verb, quotes)
            if speaker is not None:
                return Candidate(verb, "verb", "quote", _cue_span(verb), *speaker)
            subject = stranded_subject(verb)
            if subject is None:
                return None  # an active cue with no subject ("To say that ...") names no source
        else:
            return Candidate(verb, "verb", "quote", _cue_span(verb), quote, noun_phrase(subject, verb))
    relation, content = _active_content(verb, subject, quotes)
    if content is None:
        return None
    source = appositive_speaker(subject, verb, source_nouns())
    if source is not None and content.end <= subject.left_edge.i:
        # What the parser took for the speaker's words is the rest of what was said.
        start, end = strip_edge_punct(verb.doc, *trim_span(verb.doc, content.start, source.start))
        content = verb.doc[start:end] if end > start else content
    elif source is None:
        source = source_phrase(subject, verb)
    if source is None:
        return None
    if verb.lemma_ in RAISING_VERBS:
        content = _with_subject_in_front(verb, content, "nsubj")
    cue = _cue_span(verb)
    if relation.startswith("prep:") and cue.end < len(verb.doc) and verb.doc[cue.end].lower_ == relation[5:]:
        cue = verb.doc[cue.start:cue.end + 1]  # "called for", "warned of"
    if relation == "paren:as-it" and verb.doc[cue.end].lower_ == "it":
        cue = verb.doc[cue.start:cue.end + 1]  # "as Professor Foner put it"
    if cue.end < len(verb.doc) and verb.doc[cue.end].text == ":" and content.start > cue.end:
        cue = verb.doc[cue.start:cue.end + 1]  # 'said: “…”': the colon announces the words
    return Candidate(verb, "verb", relation, cue, content, source)


def _pro_form(verb: Token) -> Span | None:
    """'Mook said as much in an interview', 'half said so in the earlier poll': "so" and "as much"
    stand for what was said (the annotators' content), not the preposition after them."""
    doc = verb.doc
    for child in verb.rights:
        if child.dep_ != "advmod":
            continue
        if child.lower_ == "so" and child.i == verb.i + 1:
            return doc[child.i:child.i + 1]
        if child.lower_ == "much" and child.i == verb.i + 2 and doc[verb.i + 1].lower_ == "as":
            return doc[verb.i + 1:child.i + 1]
    return None


def _paragraph_after_colon(verb: Token) -> Span | None:
    """'In a wide-ranging interview, President Obama also said:' and then a list: a colon that ends
    the cue's paragraph announces the paragraph after it (unquoted; a quoted one is
    quote_after_colon's), never the words before the cue."""
    doc = verb.doc
    colon = verb.i + 1
    while colon < len(doc) and doc[colon].dep_ in ("prt", "advmod"):
        colon += 1
    if colon + 2 >= len(doc) or doc[colon].text != ":" or not (doc[colon + 1].is_space and "\n" in doc[colon + 1].text):
        return None
    start = colon + 2
    end = next((t.i for t in doc[start:] if t.is_space and "\n" in t.text), len(doc))
    start, end = strip_edge_punct(doc, *trim_span(doc, start, end))
    return doc[start:end] if end - start > 3 else None


def _with_subject_in_front(verb: Token, content: Span, dep: str) -> Span:
    """'North Korea is not thought to be capable of …', 'Melania seems to have vanished': with no one
    named behind the view, what is thought is the whole clause, its subject included (as the
    annotators read it: on both PolNeAR splits this matches their content far more often)."""
    subject = next((c for c in verb.children if c.dep_ == dep), None)
    if subject is None or subject.i > verb.i or content.start <= verb.i:
        return content
    return verb.doc[subject.left_edge.i:content.end]


def _active_content(verb: Token, subject: Token, quotes) -> tuple[str, Span | None]:
    doc = verb.doc
    children = list(verb.children)
    # 'Asked about the debate, Bobby said: “I feel …”': a colon right after the verb announces the
    # words, whatever clause the parser hung on the verb before it.
    announced = quote_after_colon(verb, None, quotes)
    if announced is not None:
        return "quote", announced
    listed = _paragraph_after_colon(verb)
    if listed is not None:
        return "colon", listed
    # Of two clauses, one each side ("Writing for a panel that agreed Pence won, Barabak noted that
    # …"; "In his book, ''Make Your Kid a Millionaire,'' McKinley suggested looking at …"), the
    # parser's left one is usually a misreading: what follows the verb is what was said.
    clauses = [c for c in children if c.dep_ in CLAUSE_DEPS]
    after = [c for c in clauses if c.i > verb.i]
    if after and len(after) < len(clauses):
        clauses = after
    for dep in ("ccomp", "xcomp"):
        clause = next((c for c in clauses if c.dep_ == dep), None)
        if clause is not None:
            content = _without_retaken(_subtree(clause), clause, verb)
            if dep == "ccomp":
                content = _continued_by_conjunct(verb, content)
            # "urged his supporters to vote", "called on Trump to apologise": the object is who
            # the infinitive is about, part of what was said.
            obj = next((c for c in children if c.dep_ == "dobj" and c.i < clause.i), None) if dep == "xcomp" else None
            if obj is None and dep == "xcomp":
                # "called on Trump to stop …": the one called on is named after a preposition.
                prep = next((c for c in children if c.dep_ == "prep" and verb.i < c.i < clause.i), None)
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None) if prep is not None else None
            if obj is not None and obj.lower_ not in RELATIVE_PRONOUNS:
                content = doc[obj.left_edge.i:content.end]
            return dep, with_quotes(content, quotes)
    for_clause = _for_to_clause(verb)
    if for_clause is not None:
        return "prep:for", with_quotes(for_clause, quotes)
    # "said Friday": a date the parser took for an object is when, not what.
    obj = next((c for c in children if c.dep_ in ("dobj", "oprd") and c.ent_type_ not in ("DATE", "TIME")), None)
    says_it = _says_it_as(verb)
    if says_it:
        obj = None  # "as Professor Foner put it, …": "it" stands for the words around the clause
    # "asked workers if they planned to attend": the object is whom; the question is what.
    question = next((c for c in children if c.dep_ == "advcl" and obj is not None and c.i > obj.i
                     and any(m.dep_ == "mark" and m.lower_ in ("if", "whether") for m in c.children)), None)
    if question is not None:
        return "ccomp", with_quotes(_subtree(question), quotes)
    announced = quote_after_colon(verb, obj, quotes)
    if announced is not None:
        return "quote", announced
    quote = adjacent_quote(verb, subject, quotes)
    # A quote just before '…,” she told CNN' is what was said (CNN is the listener); after the
    # cue ('scolded him: “…”'), the verb's own object comes first.
    if quote is not None and (quote.end <= verb.i or obj is None or quote.start < obj.i < quote.end - 1):
        # A quote that closes its own sentence ('“… our government.” He also described the
        # showdown as ominous') is not this verb's content when the verb has content of its own.
        if not (quote.end <= verb.i and closes_sentence(quote) and (obj is not None or _prep_object(verb))):
            return "quote", quote
    if obj is not None and obj.lower_ not in RELATIVE_PRONOUNS | {"what", "whatever"}:
        # "called him a liar" (object + predicate) reports a view; "called his mother" does not.
        predicate = next((c for c in children if c.dep_ in ("oprd", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as")), None)
        if predicate is not None and predicate is not obj:
            start, end = min(obj.left_edge.i, predicate.left_edge.i), max(obj.right_edge.i, predicate.right_edge.i) + 1
            return "dobj+oprd", with_quotes(doc[start:end], quotes)
        reported = _reported_after_object(verb, obj)
        if reported is not None:
            # "accused Republicans of placing …": the annotators' content is the whole of it,
            # object and preposition included (exact matches on both PolNeAR splits).
            return "dobj", with_quotes(doc[obj.left_edge.i:_subtree(reported).end], quotes)
        return "dobj", with_quotes(_subtree(obj), quotes)
    if obj is not None:
        # "what she called a “rant”", "which Tim Cook called ''total political crap''": the
        # predicate is the view; the relative word only points back.
        predicate = next((c for c in children if c.dep_ == "oprd" and c.i > verb.i), None)
        if predicate is not None:
            return "dobj+oprd", with_quotes(_subtree(predicate), quotes)
    stand_in = _pro_form(verb)
    if stand_in is not None:
        return "pro", stand_in
    prep = None if says_it else _prep_object(verb)  # "as Tom Ridge put it *in his memoir*"
    if prep is not None:
        content = _subtree(prep[1])
        # "pointed to the vote *as a warning sign*": the predicate the verb gives its object.
        as_phrase = next((c for c in children if c.dep_ == "prep" and c.lower_ == "as" and c.i >= content.end), None)
        if as_phrase is not None:
            content = doc[content.start:_subtree(as_phrase).end]
        return f"prep:{prep[0].lower_}", with_quotes(content, quotes)
    # Parenthetical cue: "The economy, he said, is in trouble." / "..., he added." /
    # "Hawaii, as one adviser pointed out, rarely gets two hurricanes."
    as_clause = verb.dep_ == "advcl" and _opens_with_as(verb)
    if verb.dep_ == "parataxis" or as_clause or (verb.dep_ in ("ccomp", "advcl") and verb.i > verb.head.i
                                                 and verb.head.pos_ in ("VERB", "AUX")):
        head = verb.head
        start, end = trim_span(doc, head.left_edge.i, head.right_edge.i + 1)
        if verb.i > head.i:
            end = min(end, verb.left_edge.i)
        elif as_clause and (verb.left_edge.i <= start or _only_linking_words(doc, start, verb.left_edge.i)):
            # "As Foner put it: “…”", "But, as the committee has pointed out, it would …": the
            # words after the clause (a linking "But," before it is the writer's, not the source's).
            start = verb.right_edge.i + 1
        start, end = strip_edge_punct(doc, *trim_span(doc, start, end))
        if end > start:
            # "as Foner put it" is a cue only in this construction: its own relation says so.
            return "paren:as-it" if says_it else "paren", with_quotes(doc[start:end], quotes)
    # "..., experts say." — the cue closes the sentence; what comes before is what they say.
    left = subject.left_edge.i if subject.i < verb.i else verb.i
    sent = verb.sent
    if left > sent.start and doc[left - 1].text in (",", "—", "–") and all(
            t.is_punct or t.is_space or t.dep_ in ("npadvmod", "advmod") or t.ent_type_ in ("DATE", "TIME")
            for t in doc[verb.i + 1:sent.end] if t.head.i == verb.i or t.is_punct):
        start, end = strip_edge_punct(doc, *trim_span(doc, sent.start, left - 1))
        if end - start >= 3:
            return "paren", with_quotes(doc[start:end], quotes)
    return "none", None


# "said it would depress revenue, but *would* eventually add …": a modal carries the report on.
REPORTED_MODALS = frozenset({"would", "could", "might", "should", "will", "can", "may", "must"})


def _continued_by_conjunct(verb: Token, content: Span) -> Span:
    """The reported clause with the clause the parser coordinated with the cue after it: "said
    the answers came in a letter, and the answers weren't fully researched"; "said it would
    depress revenue, but would eventually add …". PolNeAR's annotators read both as what was
    said. A conjunct that reports something of its own ("and added that …") stays out."""
    doc = verb.doc
    for conj in verb.rights:
        if conj.dep_ != "conj" or conj.i < content.end:
            continue
        if any(t.dep_ not in ("cc", "punct") and not t.is_space for t in doc[content.end:conj.left_edge.i]):
            return content
        joins = {t.lower_ for t in doc[content.end:conj.left_edge.i] if t.dep_ == "cc"}
        if not joins or not joins <= {"and", "but"} or any(c.dep_ in ("ccomp", "xcomp") for c in conj.children):
            return content
        # "…, but that wasn't the case", "and she accused …": the writer's contrast, or a new act
        # of the speaker's, so a clause of its own continues the report only after a plain "and".
        subjects = [c for c in conj.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        own_clause = joins == {"and"} and subjects and subjects[0].pos_ != "PRON"
        modal = any(c.dep_ == "aux" and c.lower_ in REPORTED_MODALS for c in conj.lefts)
        if not (own_clause or modal and not subjects):
            return content
        start, end = strip_edge_punct(doc, *trim_span(doc, content.start, conj.right_edge.i + 1))
        return doc[start:end]
    return content


def _for_to_clause(verb: Token) -> Span | None:
    """'called for the United States to step up its efforts': the parser reads "for X to do" as a
    clause of its own hung on the verb, with "for" as its marker. What was called for is "the
    United States to step up …", as after any "called for"."""
    doc = verb.doc
    for clause in verb.rights:
        if clause.dep_ != "advcl":
            continue
        mark = clause.left_edge
        if mark.lower_ != "for" or mark.dep_ != "mark" or mark.head.i != clause.i \
                or not any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children):
            continue
        if all(t.dep_ in ("advmod", "prt", "neg") for t in doc[verb.i + 1:mark.i]) and mark.i + 1 < clause.i:
            start, end = strip_edge_punct(doc, *trim_span(doc, mark.i + 1, clause.right_edge.i + 1))
            return doc[start:end] if end > start else None
    return None


def _only_linking_words(doc, start: int, end: int) -> bool:
    """Whether doc[start:end] holds only conjunctions, linking adverbs and punctuation ("But,",
    "And yet,", "Still,")."""
    return all(t.is_punct or t.is_space or t.pos_ in ("CCONJ", "ADV") for t in doc[start:end])


def _opens_with_as(verb: Token) -> bool:
    return any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)


def _says_it_as(verb: Token) -> bool:
    """'as Professor Foner put it': an as-clause whose object is only "it"."""
    return _opens_with_as(verb) and any(c.dep_ == "dobj" and c.lower_ == "it" for c in verb.children)


def _passive_content(verb: Token, quotes, has_agent: bool = True) -> tuple[str, Span | None]:
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS or child.dep_ == "oprd":
            return child.dep_, with_quotes(_subtree(child), quotes)
        if child.dep_ == "prep" and child.lower_ == "as":
            return "prep:as", _subtree(child)
    # "interpreted by some as a political maneuver": the parser may hang "as" on the agent.
    for agent in (c for c in verb.children if c.dep_ == "agent"):
        for token in agent.subtree:
            if token.dep_ == "prep" and token.lower_ == "as":
                return "prep:as", _subtree(token)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if not has_agent and subject is not None:
        # "have been accused of abusing civilians", "were blamed for the closure": with no accuser
        # named, the charge follows the preposition (as in the active "accused them of …").
        charge = _reported_after_object(verb, subject, after=verb)
        if charge is not None:
            return "nsubjpass", with_quotes(_subtree(charge), quotes)
    if subject is not None and subject.lower_ not in RELATIVE_PRONOUNS:
        return "nsubjpass", _subtree(subject)
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return "acl", noun_phrase(verb.head, verb)
    return "none", None


def _adjective_candidate(adjective: Token, quotes) -> Candidate | None:
    """'he is ready to move on', 'Mr. McKinley is bearish on the future of student loans'."""
    copula = adjective.head
    if copula.lemma_.lower() not in COPULAS:
        return None
    subject = subject_of(copula)
    if subject is None:
        return None
    children = list(adjective.children)
    relation, content = "none", None
    for dep in ("ccomp", "xcomp"):
        clause = next((c for c in children if c.dep_ == dep), None)
        if clause is not None:
            relation, content = dep, with_quotes(_subtree(clause), quotes)
            break
    if content is None:
        prep = _prep_object(adjective)
        if prep is None:
            return None
        relation, content = f"prep:{prep[0].lower_}", _subtree(prep[1])
    source = source_phrase(subject, copula)
    if source is None:
        return None
    start = min([copula.i] + [c.i for c in copula.lefts if c.dep_ in ("aux", "neg")])
    cue = adjective.doc[start:adjective.i + 1] if adjective.i - start <= 4 else adjective.doc[adjective.i:adjective.i + 1]
    return Candidate(adjective, "adjective", relation, cue, content, source)


def _noun_candidate(noun: Token, quotes) -> Candidate | None:
    """'Obama's announcement of ...', 'Trump's claim that ...': the possessor is the source."""
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        return None
    relation, content = "none", None
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and child.i > noun.i and any(
                c.dep_ == "mark" or c.dep_ == "aux" for c in child.children):
            relation, content = "clause", with_quotes(_subtree(child), quotes)
            break
    if content is None:
        prep = _prep_object(noun)
        if prep is None:
            return None
        relation, content = f"prep:{prep[0].lower_}", with_quotes(_subtree(prep[1]), quotes)
    source = noun_phrase(owner, noun)
    if source is None:
        return None
    return Candidate(noun, "noun", relation, noun.doc[noun.i:noun.i + 1], content, source)


@lru_cache(maxsize=1)
def _object_preps() -> frozenset[tuple[str, str]]:
    """(verb, preposition) pairs learned from the training split (scripts/learn_object_preps.py)."""
    return frozenset((rule["lemma"], rule["prep"]) for rule in load_rules("object_preps"))


def _reported_after_object(verb: Token, obj: Token, after: Token | None = None) -> Token | None:
    """'accused Republicans *of placing …*', 'praised Trump *for speaking out*': for these verbs
    the report goes on past the object, through the preposition. The object of that preposition,
    or None."""
    lemma = verb.lemma_.lower()
    after = after if after is not None else obj
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.i > after.i and (lemma, prep.lower_) in _object_preps():
            target = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            if target is not None:
                return target
    return None


# Prepositions that usually say to whom, where or when something was said ("spoke to reporters
# about her race", "promised at a rally to end …"): what was said follows another preposition.
SETTING_PREPS = frozenset({"to", "with", "at", "in", "during", "from", "after", "before", "since", "until",
                           "through", "via", "near", "outside", "inside", "within", "throughout"})


def _prep_object(head: Token) -> tuple[Token, Token] | None:
    """The preposition and object that carry what was said: never a date ("said in December"),
    and a setting preposition only when no other preposition follows."""
    found = []
    for child in head.children:
        if child.dep_ == "prep" and child.i > head.i:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None and obj.ent_type_ not in ("DATE", "TIME"):
                found.append((child, obj))
    # "pointed to Britain's decision … as an example": a preposition the lexicon knows the verb
    # reports through (rules/cue_preps.jsonl) comes first, even a setting one.
    lemma = head.lemma_.lower()
    reports_through = cue_preps().get(lemma, frozenset())
    return next((pair for pair in found if pair[0].lower_ in reports_through),
                next((pair for pair in found if pair[0].lower_ not in SETTING_PREPS), found[0] if found else None))


@lru_cache(maxsize=1)
def cue_preps() -> dict[str, frozenset[str]]:
    """Verb lemma -> the prepositions it reports through ("point" -> "to"), rules/cue_preps.jsonl;
    the lexicon (cues.py) reads the same table."""
    return {rule["lemma"]: frozenset(rule["preps"]) for rule in load_rules("cue_preps")}


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    # Reduced relative: "a move described as ...", "though framed as ..."
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl") and not any(
        c.dep_ in ("aux", "nsubj") for c in verb.children)


def _without_retaken(content: Span, clause: Token, verb: Token) -> Span:
    """The reported clause cut before a conjunct or participle that is the reporting verb's own
    ("said he would order a review | and warned against hackers")."""
    doc = content.doc
    for child in clause.rights:
        taken_by = reporting_verb_taking_back(child) if child.dep_ in ("conj", "advcl") else None
        if taken_by is not None and taken_by.i == verb.i:
            cut = child.left_edge.i
            while cut > content.start and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct or doc[cut - 1].is_space):
                cut -= 1
            start, end = strip_edge_punct(doc, *trim_span(doc, content.start, cut))
            return doc[start:end] if end > start else content
    return content


def _subtree(token: Token) -> Span:
    doc = token.doc
    start, end = trim_span(doc, token.left_edge.i, token.right_edge.i + 1, strip_punct=False)
    start, end = strip_edge_punct(doc, start, end)
    return doc[start:end] if end > start else doc[token.i:token.i + 1]


def _cue_span(verb: Token) -> Span:
    """The cue verb with its auxiliaries, negation and particle ('has said', 'called for')."""
    doc = verb.doc
    start = verb.i
    for child in verb.lefts:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i >= verb.i - 3:
            start = min(start, child.i)
    # "also said", "has repeatedly denied": an adverb next to the verb (or its auxiliary) is part of the cue.
    while start > 0 and doc[start - 1].dep_ == "advmod" and doc[start - 1].head.i == verb.i \
            and doc[start - 1].tag_ == "RB":
        start -= 1
    end = verb.i + 1
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    return doc[start:end]


def _verb_group(verb: Token) -> Span:
    """'were described as', 'has been interpreted': the words that make the agentless passive."""
    doc = verb.doc
    start = min([verb.i] + [c.i for c in verb.lefts if c.dep_ in ("aux", "auxpass", "neg")])
    end = verb.i + 1
    if end < len(doc) and doc[end].lower_ in ("as", "to") and doc[end].head.i == verb.i:
        end += 1
    return doc[start:end]
