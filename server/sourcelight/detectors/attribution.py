"""Attributions: who (source) says what (content), with which cue, read off the dependency parse.

Cues are reporting, belief and evidence verbs (rules/cues.jsonl), "according to", agentless
passives ("were described as") and sourcing phrases ("based on interviews with", "citing").
The source is the cue's subject (or the agent of a passive, or the antecedent of "who"); the
content is its clausal complement, its object, or the direct quote next to it. Quote paragraphs
that follow a quoted speaker with no new cue are credited to that speaker.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..rules import load_rules, lookup, word_set
from .common import guarded, make_span, trim_span

GROUP = "sourcing_attribution"
SUBJECT_DEPS = {"nsubj", "csubj"}
CLAUSE_DEPS = {"ccomp", "xcomp"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
# How far (in tokens) a quote may sit from its cue and still be the cue's content.
QUOTE_REACH = 4


@Language.factory("sourcing_attribution")
def create_attribution_detector(nlp: Language, name: str):
    return guarded("sourcing_attribution")(AttributionDetector())


class AttributionDetector:
    def __init__(self):
        self.cues = lookup("cues", "lemma")
        self.phrases = load_rules("cue_phrases")
        self.passive_cues = word_set("cues", "lemma", passive=True) | word_set("passive_cues", "lemma")
        self.prep_content = {rule["lemma"]: set(rule["preps"]) for rule in load_rules("cue_preps")}

    def __call__(self, doc: Doc) -> Doc:
        finder = _Finder(self, doc)
        finder.run()
        doc.spans[GROUP] = finder.spans
        doc._.attributions = finder.records
        return doc


class _Finder:
    """One pass over one Doc; keeps the spans and records it has made."""

    def __init__(self, detector: AttributionDetector, doc: Doc):
        self.detector, self.doc = detector, doc
        self.quotes = [q for q in doc.spans.get("sourcing_quotes", [])]
        self.spans: list[Span] = []
        self.records: list[dict] = []
        self.used_cue_tokens: set[int] = set()

    # --- driver ---------------------------------------------------------------------------
    def run(self) -> None:
        for sent in self.doc.sents:
            for token in sent:
                if token.i in self.used_cue_tokens:
                    continue
                if token.lower_ == "according" and self._according_to(token):
                    continue
                if self._sourcing_phrase(token):
                    continue
                if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
                    self._verb_cue(token)
        self._follow_on_quotes()

    # --- verbs ----------------------------------------------------------------------------
    def _verb_cue(self, verb: Token) -> None:
        lemma = verb.lemma_.lower()
        rule = self.detector.cues.get(lemma)
        if _is_passive(verb):
            if rule is not None or lemma in self.detector.passive_cues:
                self._passive_cue(verb, rule or {"kind": "speech", "lemma": lemma})
            return
        if rule is None:
            return
        content = self._content_of(verb, rule)
        if content is None:
            return
        subject = _subject_of(verb)
        if subject is None:
            return  # an active cue with no subject at all ("To say that...") names no source
        source = _noun_phrase(subject, verb, skip=self.used_cue_tokens)
        if source is None:
            return
        cue = self._cue_span(verb)
        self._add(source, cue, content, verb, rule=f"verb:{rule['kind']}",
                  why_cue=f"“{cue.text}” is a {rule['kind']} cue: it reports what the source says or thinks.")

    def _passive_cue(self, verb: Token, rule: dict) -> None:
        lemma = verb.lemma_.lower()
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        agent_np = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        content = self._passive_content(verb)
        if agent_np is not None:
            if content is None:
                return
            source = _noun_phrase(agent_np, verb, cut_preps=("as",))
            cue = self._cue_span(verb)
            self._add(source, cue, content, verb, rule="passive_agent",
                      why_cue=f"“{cue.text}” reports a view, credited to the agent of the passive.")
        elif lemma in self.detector.passive_cues and content is not None:
            # "were described as", "is believed to": a view with nobody standing behind it.
            group = _verb_group(verb)
            cue = self._cue_span(verb)
            self._add(group, cue, content, verb, rule="agentless_passive", agentless=True,
                      why_cue=f"“{cue.text}” reports a view without saying whose it is.")

    def _passive_content(self, verb: Token) -> Span | None:
        for child in verb.children:
            if child.dep_ in CLAUSE_DEPS or child.dep_ == "oprd":
                return self._subtree(child)
            if child.dep_ == "prep" and child.lower_ == "as":
                return self._subtree(child)
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is not None and subject.lower_ not in RELATIVE_PRONOUNS:
            return self._subtree(subject)
        if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
            return _noun_phrase(verb.head, verb)
        return None

    def _content_of(self, verb: Token, rule: dict) -> Span | None:
        kind, lemma = rule["kind"], verb.lemma_.lower()
        children = list(verb.children)
        clause = next((c for c in children if c.dep_ in CLAUSE_DEPS), None)
        quote = self._adjacent_quote(verb)
        if clause is not None and not (clause.dep_ == "xcomp" and kind == "evidence"):
            return self._with_quotes(self._subtree(clause))
        if quote is not None:
            return quote
        preps = self.detector.prep_content.get(lemma)
        if preps:
            for child in children:
                if child.dep_ == "prep" and child.lower_ in preps:
                    pobj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
                    if pobj is not None:
                        return self._with_quotes(self._subtree(pobj))
        obj = next((c for c in children if c.dep_ in ("dobj", "oprd")), None)
        if obj is not None and rule.get("object_content", kind != "belief"):
            if obj.lower_ in RELATIVE_PRONOUNS or obj.pos_ == "PRON" and kind == "evidence":
                return None
            return self._with_quotes(self._subtree(obj))
        # Parenthetical cue: "The economy, he said, is in trouble." / "..., he added."
        if verb.dep_ in ("parataxis", "ccomp", "advcl") and verb.i > verb.head.i and verb.head.pos_ in ("VERB", "AUX"):
            head = verb.head
            start, end = trim_span(self.doc, head.left_edge.i, verb.left_edge.i)
            if end > start:
                return self._with_quotes(self.doc[start:end])
        return None

    # --- "according to", "based on interviews with", "citing" ---------------------------------
    def _according_to(self, according: Token) -> bool:
        to = self.doc[according.i + 1] if according.i + 1 < len(self.doc) else None
        if to is None or to.lower_ != "to":
            return False
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None)
        if pobj is None:
            pobj = next((c for c in according.children if c.dep_ == "pobj"), None)
        if pobj is None:
            return False
        source = _noun_phrase(pobj, None)
        cue = self.doc[according.i:to.i + 1]
        sent = according.sent
        phrase_start, phrase_end = according.i, max(pobj.right_edge.i, to.i) + 1
        # The content is the rest of the sentence, on whichever side of the phrase it sits.
        left = trim_span(self.doc, sent.start, phrase_start)
        right = trim_span(self.doc, phrase_end, sent.end)
        start, end = right if (right[1] - right[0]) >= (left[1] - left[0]) else left
        if end <= start or source is None:
            return False
        self._add(source, cue, self._with_quotes(self.doc[start:end]), according, rule="according_to",
                  why_cue="“according to” credits the claim to a source.")
        self.used_cue_tokens.update({according.i, to.i})
        return True

    def _sourcing_phrase(self, token: Token) -> bool:
        """'based on (interviews with) X', 'citing X': X is a source the article leans on."""
        for phrase in self.detector.phrases:
            words = phrase["words"]
            end = token.i + len(words)
            if end > len(self.doc) or [t.lower_ for t in self.doc[token.i:end]] != words:
                continue
            anchor = self.doc[end - 1]
            objects = [c for c in anchor.children if c.dep_ in ("pobj", "dobj")]
            if not objects and phrase.get("object_after"):
                objects = [self.doc[end]] if end < len(self.doc) and self.doc[end].pos_ in ("NOUN", "PROPN") else []
            if not objects:
                continue
            obj = objects[0]
            if obj.lower_ in ("interviews", "interview", "conversations", "talks") :
                inner = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "with"), None)
                obj = next((c for c in inner.children if c.dep_ == "pobj"), obj) if inner else obj
            holder = token.head if token.dep_ in ("acl", "advcl", "prep") else token.head
            content = _noun_phrase(holder, token) if holder.pos_ in ("NOUN", "PROPN") else None
            if content is None:
                content = self.doc[token.sent.start:token.i]
                s, e = trim_span(self.doc, content.start, content.end)
                if e <= s:
                    continue
                content = self.doc[s:e]
            cue = self.doc[token.i:end]
            for conjunct in [obj, *_conjuncts(obj)]:
                source = _noun_phrase(conjunct, None, drop_conjuncts=True)
                if source is not None:
                    self._add(source, cue, content, token, rule=f"phrase:{phrase['id']}",
                              why_cue=f"“{cue.text}” names what the reporting rests on.")
            self.used_cue_tokens.update(range(token.i, end))
            return True
        return False

    # --- quotes ---------------------------------------------------------------------------
    def _adjacent_quote(self, verb: Token) -> Span | None:
        """A quote right before '(, ) X said' or right after 'X said:' in the same paragraph."""
        group_start, group_end = verb.i, verb.i + 1
        subject = _subject_of(verb)
        if subject is not None:
            group_start = min(group_start, subject.left_edge.i)
            group_end = max(group_end, subject.right_edge.i + 1)
        for quote in self.quotes:
            if quote.label_ != "quote":
                continue
            gap_before = group_start - quote.end
            gap_after = quote.start - group_end
            if 0 <= gap_before <= QUOTE_REACH and _only_punct_or_cue(self.doc[quote.end:group_start]):
                return quote
            if 0 <= gap_after <= QUOTE_REACH and _only_punct_or_cue(self.doc[group_end:quote.start]):
                return quote
        return None

    def _with_quotes(self, span: Span) -> Span:
        """Widen content to the whole quotation it is part of (quotes run over sentences)."""
        start, end = span.start, span.end
        for quote in self.quotes:
            if quote.start < end and start < quote.end:
                start, end = min(start, quote.start), max(end, quote.end)
        return self.doc[start:end]

    def _follow_on_quotes(self) -> None:
        """A paragraph that is only a quotation continues the last quoted speaker."""
        covered = [(r["content"][0], r["content"][1]) for r in self.records if r.get("content")]
        text = self.doc.text
        for quote in self.quotes:
            if quote.label_ != "quote" or any(s < quote.end_char and quote.start_char < e for s, e in covered):
                continue
            line_start = text.rfind("\n", 0, quote.start_char) + 1
            if text[line_start:quote.start_char].strip():
                continue  # not at the start of a paragraph
            previous = self._last_record_before(line_start)
            if previous is None or previous.get("source") is None or previous.get("agentless"):
                continue
            prev_para_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
            if _anchor(previous) < prev_para_start and not previous.get("direct_quote"):
                continue
            content = make_span(self.doc, quote.start_char, quote.end_char, "quote",
                                "Direct quotation continuing the previous paragraph's speaker.", rule="follow_on")
            if content is None:
                continue
            self.spans.append(content)
            self.records.append({
                "source": previous["source"], "cue": None,
                "content": (content.start_char, content.end_char, "quote"),
                "direct_quote": True, "sentence": (content.start_char, content.end_char),
                "rule": "follow_on_quote", "inferred": "follow_on",
                "follows": self.records.index(previous), "source_head": previous.get("source_head"),
            })

    def _last_record_before(self, position: int) -> dict | None:
        best = None
        for record in self.records:
            if _anchor(record) < position and (best is None or _anchor(record) >= _anchor(best)):
                best = record
        return best

    # --- building -------------------------------------------------------------------------
    def _cue_span(self, verb: Token) -> Span:
        """The cue verb with its auxiliaries, negation and particle ('has said', 'called for')."""
        start = verb.i
        for child in verb.lefts:
            if child.dep_ in ("aux", "auxpass", "neg") and child.i >= verb.i - 3:
                start = min(start, child.i)
        end = verb.i + 1
        for child in verb.rights:
            if child.dep_ == "prt" and child.i == end:
                end += 1
        return self.doc[start:end]

    def _subtree(self, token: Token) -> Span:
        start, end = trim_span(self.doc, token.left_edge.i, token.right_edge.i + 1, strip_punct=False)
        start, end = _strip_edge_punct(self.doc, start, end)
        return self.doc[start:end] if end > start else self.doc[token.i:token.i + 1]

    def _add(self, source: Span | None, cue: Span, content: Span, anchor: Token, *, rule: str,
             why_cue: str, agentless: bool = False) -> None:
        doc = self.doc
        direct = any(q.label_ == "quote" and q.start < content.end and content.start < q.end
                     for q in self.quotes)
        content_label = "quote" if direct and _is_quote_span(content, self.quotes) else "content"
        source_span = None
        if source is not None:
            source_span = make_span(doc, source.start_char, source.end_char, "source",
                                    "Source of the attribution.", rule=rule)
        cue_span = make_span(doc, cue.start_char, cue.end_char, "cue", why_cue, rule=rule)
        content_why = ("Direct quotation credited to the source." if content_label == "quote"
                       else "What the source is reported to have said, thought or shown.")
        content_span = make_span(doc, content.start_char, content.end_char, content_label, content_why, rule=rule)
        if cue_span is None or content_span is None:
            return
        for span in (source_span, cue_span, content_span):
            if span is not None:
                self.spans.append(span)
        sent = anchor.sent
        self.records.append({
            "source": (source_span.start_char, source_span.end_char, "source") if source_span else None,
            "cue": (cue_span.start_char, cue_span.end_char, "cue"),
            "content": (content_span.start_char, content_span.end_char, content_label),
            "direct_quote": direct,
            "sentence": (min(sent.start_char, content_span.start_char), max(sent.end_char, content_span.end_char)),
            "rule": rule,
            "cue_lemma": anchor.lemma_.lower(),
            "agentless": agentless,
            "source_head": source.root.idx if source is not None and not agentless else None,
        })
        self.used_cue_tokens.update(range(cue.start, cue.end))


# --- parse helpers (module level: they need no state) ---------------------------------------
def _anchor(record: dict) -> int:
    """Where an attribution sits in the text: its cue, or its content when it has no cue."""
    return (record.get("cue") or record["content"])[0]



def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    # Reduced relative: "a move described as ...", "though framed as ..."
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl") and not any(
        c.dep_ in ("aux", "nsubj") for c in verb.children)


def _subject_of(verb: Token) -> Token | None:
    """The cue's own subject, or the one it shares with the verb it is coordinated with."""
    seen = 0
    while verb is not None and seen < 4:
        for child in verb.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                    return verb.head  # "allies who question ...": the antecedent
                return child
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb, seen = verb.head, seen + 1
            continue
        return None
    return None


def _noun_phrase(head: Token, cue: Token | None, drop_conjuncts: bool = False,
                 skip: set[int] = frozenset(), cut_preps: tuple[str, ...] = ()) -> Span | None:
    """The phrase a noun heads, without clauses that hold the cue, run past it, or are another
    attribution's cue ("The report, based on interviews with ..., indicated")."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        cut = child.dep_ in ("relcl", "acl") and (cue is None or child.i <= cue.i <= child.right_edge.i
                                                   or child.i > (cue.i if cue is not None else -1))
        if drop_conjuncts and child.dep_ in ("cc", "conj"):
            cut = True
        if child.dep_ == "prep" and child.lower_ in cut_preps:
            cut = True
        if skip and any(t.i in skip for t in child.subtree):
            cut = True
        if cut or (cue is not None and child.left_edge.i <= cue.i <= child.right_edge.i):
            end = min(end, child.left_edge.i)
    if cue is not None and start <= cue.i < end:
        end = cue.i if cue.i > head.i else end
        if cue.i < head.i:
            start = cue.i + 1
    start, end = trim_span(doc, start, end)
    start, end = _strip_edge_punct(doc, start, end)
    if end <= start:
        return None
    return doc[start:end]


def _conjuncts(token: Token) -> list[Token]:
    return [c for c in token.subtree if c.dep_ == "conj" and c.head.i in {token.i, *[x.i for x in token.conjuncts]}]


def _verb_group(verb: Token) -> Span:
    """'were described as', 'has been interpreted': the words that make the agentless passive."""
    doc = verb.doc
    start = min([verb.i] + [c.i for c in verb.lefts if c.dep_ in ("aux", "auxpass", "neg")])
    end = verb.i + 1
    if end < len(doc) and doc[end].lower_ in ("as", "to") and doc[end].head.i == verb.i:
        end += 1
    return doc[start:end]


def _only_punct_or_cue(span: Span) -> bool:
    return all(t.is_punct or t.is_space for t in span)


def _strip_edge_punct(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop commas/dashes at the edges, but keep quote marks that belong to the content."""
    while start < end and doc[start].is_punct and not doc[start].is_quote and doc[start].text not in "($":
        start += 1
    while end > start and doc[end - 1].is_punct and not doc[end - 1].is_quote and doc[end - 1].text not in ")%":
        end -= 1
    return start, end


def _is_quote_span(content: Span, quotes) -> bool:
    """Content that is (almost) all quotation: it is shown as a direct quote."""
    inside = 0
    for q in quotes:
        if q.label_ == "quote":
            inside += max(0, min(q.end, content.end) - max(q.start, content.start))
    return inside >= 0.6 * len(content)
