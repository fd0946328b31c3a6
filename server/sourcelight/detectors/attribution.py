"""Attributions: who (source) says what (content), with which cue, read off the dependency parse.

Every word that could be a cue is turned into a *candidate*: its subject (or the agent of a
passive, or the possessor of a noun such as "Obama's announcement") is the source; its clausal
complement, object, prepositional object or the direct quote beside it is the content. The cue
lexicon then decides which candidates are attributions (see cues.py): reporting, belief and
evidence verbs written by hand, plus cues learned from the PolNeAR training split, each kept
with how often it was a cue there. "According to X" and "based on interviews with X" are read
directly. Quote paragraphs that follow a quoted speaker with no new cue go to that speaker.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from heapq import heapify, heappop, heappush

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..ranges import RangeIndex
from ..rules import load_rules, word_set
from .common import doc_text, guarded, make_span, trim_span
from .cue_model import candidate_features, context_vector, load_cue_model
from .cues import CueLexicon, CueVerdict

GROUP = "sourcing_attribution"
SUBJECT_DEPS = {"nsubj", "csubj"}
CLAUSE_DEPS = {"ccomp", "xcomp"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
COPULAS = {"be", "seem", "feel", "remain", "become", "appear", "sound", "look", "grow", "get"}
# "WALLACE: If I may ..." — a transcript or interview speaker tag at the start of a line.
# A transcript quoted paragraph by paragraph opens each line with a quote mark: '"WALLACE: …'.
SPEAKER_TAG = re.compile(r"^[ \t]*[\"“]?(?P<tag>(?:[A-Z][\w.'’\-]*)(?:[ \t]+(?:[A-Z][\w.'’\-]*|of|the|de|van|von)){0,4}):[ \t]+(?P<body>\S[^\n]*)$",
                         re.M)
# '“…” ― Pamela Padilla': a quotation credited with a dash, as in reader roundups and epigraphs.
DASH_CREDIT = re.compile(r"[ \t\u00a0]*(?:[―—–]|--)[ \t\u00a0]*(?P<name>@\w+|[A-Z][\w.'’\-]+(?:[ \t\u00a0]+[A-Z][\w.'’\-]+){0,3})")
# Between a cue and the next part of the quotation it interrupts: the rest of the cue's sentence
# ("said on Monday." / "she told the council,").
CUE_SENTENCE_REST = re.compile(r"(?:(?!'')[^\n\"“”]){0,200}?[.!?,][ \t\u00a0]+")
INTERRUPTING_GLUE = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*")
# How far (in tokens) a quote may sit from its cue and still be the cue's content.
QUOTE_REACH = 4
# What may stand between them: '“…,” she said' / 'she said: “…”' — never a full stop.
QUOTE_BEFORE_GLUE = {",", "—", "–", "-"}
QUOTE_AFTER_GLUE = {",", ":", "—", "–"}


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


def _SOURCE_NOUNS() -> dict[str, str]:
    """Head nouns of sources (officials, critics, reports, campaigns ...), from rules/source_lexicon."""
    if not _source_nouns:
        _source_nouns.update({r["term"]: r["type"] for r in load_rules("source_lexicon")})
        _source_nouns.update({r["term"]: "person" for r in load_rules("human_nouns")})
    return _source_nouns


_source_nouns: dict[str, str] = {}


@Language.factory("sourcing_attribution")
def create_attribution_detector(nlp: Language, name: str):
    return guarded("sourcing_attribution")(AttributionDetector())


class AttributionDetector:
    def __init__(self):
        self.lexicon = CueLexicon()
        self.phrases = load_rules("cue_phrases")
        self.phrase_openers = {phrase["words"][0] for phrase in self.phrases}
        self.not_speakers = word_set("not_speaker_tags", "term")
        self.model = load_cue_model()

    def vetoed(self, candidate: Candidate) -> bool:
        """A candidate the lexicon accepts but the learned model finds very unlikely (p < veto_threshold)."""
        if self.model is None or not self.model.veto_threshold:
            return False
        hand_kind = self.lexicon.hand_kind(candidate)
        if hand_kind == "evidence":
            return False  # "A CT scan showed …": political news has few, health news lives on them
        features = candidate_features(candidate, hand_kind, _SOURCE_NOUNS())
        return self.model.probability(features, context_vector(candidate.head)) < self.model.veto_threshold

    def learned_verdict(self, candidate: Candidate) -> CueVerdict | None:
        """The learned cue model's verdict on a candidate the lexicon says nothing for (cue_model.py)."""
        if self.model is None or self.lexicon.hard_no(candidate):
            return None
        hand_kind = self.lexicon.hand_kind(candidate)
        features = candidate_features(candidate, hand_kind, _SOURCE_NOUNS())
        p = self.model.probability(features, context_vector(candidate.head))
        # Where the training counts for this word and use already said no ("plans to": a cue 33
        # times in 102), the model must be surer to find the exceptions.
        if p < (self.model.override_threshold if self.lexicon.counted(candidate) else self.model.threshold):
            return None
        reasons = self.model.explain(self.model.strongest(features))
        why = (f"“{candidate.cue.text}” reads as a cue to the learned cue model (p = {p:.2f}"
               + (f"; most telling: {reasons}" if reasons else "") + "); it reports the source's words or position.")
        return CueVerdict(f"cue_model:{candidate.lemma}.{candidate.kind}.{candidate.relation}", why,
                          stance_only=hand_kind is None)

    def __call__(self, doc: Doc) -> Doc:
        finder = _Finder(self, doc)
        finder.run()
        doc.spans[GROUP] = finder.spans
        doc._.attributions = finder.records
        return doc


def quoted_token_ids(doc: Doc) -> set[int]:
    """Tokens inside closed direct quotations: words there belong to the quoted speaker.

    A quote whose closing mark is missing is not trusted this far: it may run past its end."""
    unclosed = set(doc.user_data.get("sourcing_unclosed_quotes", ()))
    return {i for q in doc.spans.get("sourcing_quotes", []) if q.label_ == "quote" and (q.start, q.end) not in unclosed
            for i in range(q.start + 1, q.end - 1)}


class QuoteIndex(list):
    """The article's quote spans, in detector order, with lookups by token.

    Every cue candidate asks which quotes touch its content, stand beside it or contain its
    subject; scanning all quotes for each would make a long article cost quadratic time.
    """

    def __init__(self, quotes):
        super().__init__(quotes)
        self._covering = defaultdict(list)   # token index -> quotes (by position here) covering it
        self._ending = defaultdict(list)     # token index -> quotes ending there
        self._starting = defaultdict(list)   # token index -> quotes starting there
        self._strictly_inside = set()        # tokens between a quote's first and last token
        for n, quote in enumerate(self):
            for i in range(quote.start, quote.end):
                self._covering[i].append(n)
            self._ending[quote.end].append(n)
            self._starting[quote.start].append(n)
            self._strictly_inside.update(range(quote.start + 1, quote.end - 1))

    def touching(self, start: int, end: int) -> list[int]:
        """Positions of the quotes overlapping tokens [start, end), in order."""
        if start >= end:  # an empty range: keep the plain comparison's answer
            return [n for n, q in enumerate(self) if q.start < end and start < q.end]
        return sorted({n for i in range(start, end) for n in self._covering.get(i, ())})

    def ending_in(self, first: int, last: int) -> list[int]:
        return [n for i in range(first, last + 1) for n in self._ending.get(i, ())]

    def starting_in(self, first: int, last: int) -> list[int]:
        return [n for i in range(first, last + 1) for n in self._starting.get(i, ())]

    def strictly_inside(self, i: int) -> bool:
        return i in self._strictly_inside


def find_candidates(doc: Doc, skip: set[int] = frozenset()):
    """Every cue candidate in the Doc, in text order (shared by the detector and the cue learner)."""
    quotes = QuoteIndex(q for q in doc.spans.get("sourcing_quotes", []) if q.label_ == "quote")
    quoted = quoted_token_ids(doc)
    for token in doc:
        if token.i in quoted or token.i in skip:
            continue
        candidate = None
        if token.pos_ in ("VERB", "AUX") or token.tag_.startswith("VB"):
            candidate = _verb_candidate(token, quotes)
        elif token.pos_ == "ADJ" and token.dep_ == "acomp":
            candidate = _adjective_candidate(token, quotes)
        elif token.pos_ == "NOUN":
            candidate = _noun_candidate(token, quotes)
        if candidate is not None:
            yield candidate


class _Finder:
    """One pass over one Doc; keeps the spans and records it has made."""

    def __init__(self, detector: AttributionDetector, doc: Doc):
        self.detector, self.doc = detector, doc
        self.quotes = QuoteIndex(doc.spans.get("sourcing_quotes", []))
        self.spans: list[Span] = []
        self.records: list[dict] = []
        self.used_cue_tokens: set[int] = set()

    def run(self) -> None:
        self._speaker_tags()
        self._dash_credits()
        quoted = quoted_token_ids(self.doc)
        for token in self.doc:
            if token.i in quoted or token.i in self.used_cue_tokens:
                continue
            if token.lower_ == "according":
                self._according_to(token)
            else:
                self._sourcing_phrase(token)
        for candidate in find_candidates(self.doc, skip=self.used_cue_tokens):
            verdict = self.detector.lexicon.judge(candidate)
            if verdict is not None and self.detector.vetoed(candidate):
                continue
            verdict = verdict or self.detector.learned_verdict(candidate)
            if verdict is None:
                continue
            if verdict.stance_only and not _can_hold_a_view(candidate.source):
                continue  # "the strikes ..., offering both": things do not take positions
            source = candidate.source
            if source is not None and not candidate.agentless:
                # Leave out of the source any clause that is another attribution's cue.
                source = _without(source, self.used_cue_tokens | {candidate.head.i})
            self._add(source, candidate.cue, candidate.content, candidate.head, rule=verdict.rule,
                      why_cue=verdict.why, agentless=candidate.agentless)
        self.records.sort(key=_anchor)  # in text order: later steps resolve "he", "the outlet" backwards
        self._quote_continuations()
        self._follow_on_quotes()

    # --- "according to", "based on interviews with" ------------------------------------------
    def _according_to(self, according: Token) -> bool:
        to = self.doc[according.i + 1] if according.i + 1 < len(self.doc) else None
        if to is None or to.lower_ != "to":
            return False
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) or next(
            (c for c in according.children if c.dep_ == "pobj"), None)
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
        self._add(source, cue, _with_quotes(self.doc[start:end], self.quotes), according, rule="according_to",
                  why_cue="“according to” credits the claim to a source.")
        return True

    def _sourcing_phrase(self, token: Token) -> bool:
        """'based on (interviews with) X': X is a source the reporting rests on."""
        if token.lower_ not in self.detector.phrase_openers:
            return False
        for phrase in self.detector.phrases:
            words = phrase["words"]
            end = token.i + len(words)
            if end > len(self.doc) or [t.lower_ for t in self.doc[token.i:end]] != words:
                continue
            anchor = self.doc[end - 1]
            objects = [c for c in anchor.children if c.dep_ in ("pobj", "dobj")]
            if not objects and phrase.get("object_after") and end < len(self.doc) and self.doc[end].pos_ in ("NOUN", "PROPN"):
                objects = [self.doc[end]]
            if not objects:
                continue
            obj = objects[0]
            if obj.lemma_.lower() in ("interview", "conversation", "talk", "discussion"):
                inner = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "with"), None)
                obj = next((c for c in inner.children if c.dep_ == "pobj"), obj) if inner else obj
            holder = token.head
            content = _noun_phrase(holder, token) if holder.pos_ in ("NOUN", "PROPN") else None
            if content is None:
                s, e = trim_span(self.doc, token.sent.start, token.i)
                if e <= s:
                    continue
                content = self.doc[s:e]
            cue = self.doc[token.i:end]
            for conjunct in [obj, *obj.conjuncts]:
                source = _noun_phrase(conjunct, None, drop_conjuncts=True)
                if source is not None:
                    self._add(source, cue, content, token, rule=f"phrase:{phrase['id']}",
                              why_cue=f"“{cue.text}” names what the reporting rests on.")
            return True
        return False

    # --- transcripts and credits ---------------------------------------------------------------
    def _speaker_tags(self) -> None:
        """'MS. CLINTON: We will ...': the tag is the speaker, the line is what they said."""
        text = doc_text(self.doc)
        for match in SPEAKER_TAG.finditer(text):
            tag, body = match.group("tag"), match.group("body")
            if tag.lower() in self.detector.not_speakers or len(body.split()) < 3:
                continue
            source = self.doc.char_span(match.start("tag"), match.end("tag"), alignment_mode="expand")
            cue = self.doc.char_span(match.end("tag"), match.end("tag") + 1, alignment_mode="expand")
            content = self.doc.char_span(match.start("body"), match.end("body"), alignment_mode="expand")
            if source is None or cue is None or content is None or not any(t.pos_ == "PROPN" or t.is_upper for t in source):
                continue
            self._add(source, cue, _with_quotes(content, self.quotes), source[0], rule="speaker_tag",
                      why_cue=f"Speaker tag: the line gives the words of {tag}.")

    def _dash_credits(self) -> None:
        text = doc_text(self.doc)
        for quote in self.quotes:
            if quote.label_ != "quote":
                continue
            # The tokenizer may glue the dash to the closing mark ("”―"): start at the dash then.
            last = quote[-1]
            dash_at = next((last.idx + k for k, ch in enumerate(last.text) if ch in "―—–" and k > 0), None)
            match = DASH_CREDIT.match(text, dash_at if dash_at is not None else quote.end_char)
            if not match:
                continue
            name = self.doc.char_span(match.start("name"), match.end("name"), alignment_mode="expand")
            dash = self.doc.char_span(match.start(), match.start("name"), alignment_mode="expand")
            if name is None or dash is None:
                continue
            cue_tokens = [t for t in dash if not t.is_space]
            if not cue_tokens:
                continue
            self._add(name, self.doc[cue_tokens[0].i:cue_tokens[-1].i + 1], quote, name[0], rule="dash_credit",
                      why_cue="The dash credits the quotation to the name after it.")

    # --- a quotation interrupted by its cue ----------------------------------------------------
    def _quote_continuations(self) -> None:
        """'“We will rebuild,” she said on Monday. “We owe it to them.”': a quotation the cue
        interrupts goes on in the next sentence of the same paragraph. The second fragment is the
        same statement: it is kept as the attribution's `content_more`, as annotators join both."""
        covered = RangeIndex((r["content"][0], r["content"][1]) for r in self.records if r.get("content"))
        text = doc_text(self.doc)
        quotes = sorted((q.start_char, n) for n, q in enumerate(self.quotes) if q.label_ == "quote")
        ends = sorted((q.end_char, n) for n, q in enumerate(self.quotes) if q.label_ == "quote")
        for record in self.records:
            content, cue = record.get("content"), record.get("cue")
            if not content or not cue or content[2] != "quote" or record.get("content_more"):
                continue
            if content[0] >= cue[1]:
                # '“Now that I can speak freely,” he told the host, “it was hard.”': the part
                # before the speaker, glued to it by a comma, is the same sentence.
                group_start = min(cue[0], record["source"][0]) if record.get("source") else cue[0]
                at = bisect_left(ends, (group_start + 1, -1)) - 1
                quote = self.quotes[ends[at][1]] if at >= 0 else None
                if (quote is not None and INTERRUPTING_GLUE.fullmatch(text[quote.end_char:group_start])
                        and not _closes_sentence(quote) and not covered.overlaps(quote.start_char, quote.end_char)):
                    self._add_content_more(record, quote, "the same speaker's words before the cue.")
                continue
            if content[1] > cue[0]:
                continue
            first = self.doc.char_span(content[0], content[1], alignment_mode="expand")
            if first is None or _closes_sentence(first):
                continue  # '“… government.” He also said …': the first quote was a whole sentence
            at = bisect_left(quotes, (cue[1], -1))
            quote = self.quotes[quotes[at][1]] if at < len(quotes) else None
            # Only the rest of the cue's sentence ("said in an interview.") may stand between.
            if quote is None or not CUE_SENTENCE_REST.fullmatch(text[cue[1]:quote.start_char]):
                continue
            if covered.overlaps(quote.start_char, quote.end_char):
                continue
            self._add_content_more(record, quote, "the same speaker goes on after the cue.")

    def _add_content_more(self, record: dict, quote: Span, why: str) -> None:
        span = make_span(self.doc, quote.start_char, quote.end_char, "quote", f"Direct quotation: {why}",
                         rule="quote_continued")
        if span is not None:
            self.spans.append(span)
            record["content_more"] = (span.start_char, span.end_char, "quote")

    # --- follow-on quote paragraphs -----------------------------------------------------------
    def _follow_on_quotes(self) -> None:
        """A paragraph that is only a quotation continues the last quoted speaker."""
        covered = RangeIndex((r["content"][0], r["content"][1]) for r in self.records if r.get("content"))
        # (anchor, position) of every record, sorted: the last record before a point, by bisection.
        anchors = sorted((_anchor(record), n) for n, record in enumerate(self.records))
        text = doc_text(self.doc)
        for quote in self.quotes:
            if quote.label_ != "quote" or covered.overlaps(quote.start_char, quote.end_char):
                continue
            line_start = text.rfind("\n", 0, quote.start_char) + 1
            if text[line_start:quote.start_char].strip():
                continue  # not at the start of a paragraph
            before = bisect_left(anchors, (line_start, -1))  # records anchored before the paragraph
            previous_n = anchors[before - 1][1] if before else None
            previous = self.records[previous_n] if previous_n is not None else None
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
                "follows": previous_n, "source_head": previous.get("source_head"),
            })
            insort(anchors, (content.start_char, len(self.records) - 1))

    # --- building -----------------------------------------------------------------------------
    def _add(self, source: Span | None, cue: Span, content: Span, anchor: Token, *, rule: str,
             why_cue: str, agentless: bool = False) -> None:
        doc = self.doc
        direct = any(self.quotes[n].label_ == "quote" for n in self.quotes.touching(content.start, content.end))
        content_label = "quote" if direct and _is_quote_span(content, self.quotes) else "content"
        source_span = None
        if source is not None:
            source = _without_symbols(source)
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


# --- candidates ---------------------------------------------------------------------------------
def _verb_candidate(verb: Token, quotes) -> Candidate | None:
    if _is_passive(verb):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        agent_np = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent else None
        relation, content = _passive_content(verb, quotes)
        if content is None:
            return None
        if agent_np is not None:
            return Candidate(verb, "passive", relation, _cue_span(verb), content,
                             _noun_phrase(agent_np, verb, cut_preps=("as",)))
        # "were described as", "is believed to": a view with nobody standing behind it.
        return Candidate(verb, "passive", relation, _cue_span(verb), content, _verb_group(verb), agentless=True)
    subject = _subject_of(verb)
    if subject is not None and subject.i < verb.i and _inside(subject, quotes) and not _inside(verb, quotes):
        subject = None  # a parse that takes a word of the quote for the speaker
    if subject is None:
        subject = _inverted_subject(verb)
        quote = _adjacent_quote(verb, subject, quotes) if subject is not None else None
        if quote is None or quote.end > verb.i:
            speaker = _name_after_quote(verb, quotes)
            if speaker is not None:
                return Candidate(verb, "verb", "quote", _cue_span(verb), *speaker)
            return None  # an active cue with no subject ("To say that ...") names no source
        return Candidate(verb, "verb", "quote", _cue_span(verb), quote, _noun_phrase(subject, verb))
    relation, content = _active_content(verb, subject, quotes)
    if content is None:
        return None
    source = _source_phrase(subject, verb)
    if source is None:
        return None
    cue = _cue_span(verb)
    if relation.startswith("prep:") and cue.end < len(verb.doc) and verb.doc[cue.end].lower_ == relation[5:]:
        cue = verb.doc[cue.start:cue.end + 1]  # "called for", "warned of"
    return Candidate(verb, "verb", relation, cue, content, source)


def _active_content(verb: Token, subject: Token, quotes) -> tuple[str, Span | None]:
    doc = verb.doc
    children = list(verb.children)
    for dep in ("ccomp", "xcomp"):
        clause = next((c for c in children if c.dep_ == dep), None)
        if clause is not None:
            content = _subtree(clause)
            # "urged his supporters to vote", "called on Trump to apologise": the object is who
            # the infinitive is about, part of what was said.
            obj = next((c for c in children if c.dep_ == "dobj" and c.i < clause.i), None) if dep == "xcomp" else None
            if obj is not None and obj.lower_ not in RELATIVE_PRONOUNS:
                content = doc[obj.left_edge.i:content.end]
            return dep, _with_quotes(content, quotes)
    # "said Friday": a date the parser took for an object is when, not what.
    obj = next((c for c in children if c.dep_ in ("dobj", "oprd") and c.ent_type_ not in ("DATE", "TIME")), None)
    announced = _quote_after_colon(verb, obj, quotes)
    if announced is not None:
        return "quote", announced
    quote = _adjacent_quote(verb, subject, quotes)
    # A quote just before '…,” she told CNN' is what was said (CNN is the listener); after the
    # cue ('scolded him: “…”'), the verb's own object comes first.
    if quote is not None and (quote.end <= verb.i or obj is None or quote.start < obj.i < quote.end - 1):
        # A quote that closes its own sentence ('“… our government.” He also described the
        # showdown as ominous') is not this verb's content when the verb has content of its own.
        if not (quote.end <= verb.i and _closes_sentence(quote) and (obj is not None or _prep_object(verb))):
            return "quote", quote
    if obj is not None and obj.lower_ not in RELATIVE_PRONOUNS | {"what", "whatever"}:
        # "called him a liar" (object + predicate) reports a view; "called his mother" does not.
        predicate = next((c for c in children if c.dep_ in ("oprd", "ccomp") or (c.dep_ == "prep" and c.lower_ == "as")), None)
        if predicate is not None and predicate is not obj:
            start, end = min(obj.left_edge.i, predicate.left_edge.i), max(obj.right_edge.i, predicate.right_edge.i) + 1
            return "dobj+oprd", _with_quotes(doc[start:end], quotes)
        reported = _reported_after_object(verb, obj)
        if reported is not None:
            return "dobj", _with_quotes(_subtree(reported), quotes)
        return "dobj", _with_quotes(_subtree(obj), quotes)
    prep = _prep_object(verb)
    if prep is not None:
        return f"prep:{prep[0].lower_}", _with_quotes(_subtree(prep[1]), quotes)
    # Parenthetical cue: "The economy, he said, is in trouble." / "..., he added." /
    # "Hawaii, as one adviser pointed out, rarely gets two hurricanes."
    as_clause = verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)
    if verb.dep_ == "parataxis" or as_clause or (verb.dep_ in ("ccomp", "advcl") and verb.i > verb.head.i
                                                 and verb.head.pos_ in ("VERB", "AUX")):
        head = verb.head
        start, end = trim_span(doc, head.left_edge.i, head.right_edge.i + 1)
        if verb.i > head.i:
            end = min(end, verb.left_edge.i)
        start, end = _strip_edge_punct(doc, *trim_span(doc, start, end))
        if end > start:
            return "paren", _with_quotes(doc[start:end], quotes)
    # "..., experts say." — the cue closes the sentence; what comes before is what they say.
    left = subject.left_edge.i if subject.i < verb.i else verb.i
    sent = verb.sent
    if left > sent.start and doc[left - 1].text in (",", "—", "–") and all(
            t.is_punct or t.is_space or t.dep_ in ("npadvmod", "advmod") or t.ent_type_ in ("DATE", "TIME")
            for t in doc[verb.i + 1:sent.end] if t.head.i == verb.i or t.is_punct):
        start, end = _strip_edge_punct(doc, *trim_span(doc, sent.start, left - 1))
        if end - start >= 3:
            return "paren", _with_quotes(doc[start:end], quotes)
    return "none", None


def _passive_content(verb: Token, quotes) -> tuple[str, Span | None]:
    for child in verb.children:
        if child.dep_ in CLAUSE_DEPS or child.dep_ == "oprd":
            return child.dep_, _with_quotes(_subtree(child), quotes)
        if child.dep_ == "prep" and child.lower_ == "as":
            return "prep:as", _subtree(child)
    # "interpreted by some as a political maneuver": the parser may hang "as" on the agent.
    for agent in (c for c in verb.children if c.dep_ == "agent"):
        for token in agent.subtree:
            if token.dep_ == "prep" and token.lower_ == "as":
                return "prep:as", _subtree(token)
    subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    if subject is not None and subject.lower_ not in RELATIVE_PRONOUNS:
        return "nsubjpass", _subtree(subject)
    if verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
        return "acl", _noun_phrase(verb.head, verb)
    return "none", None


def _adjective_candidate(adjective: Token, quotes) -> Candidate | None:
    """'he is ready to move on', 'Mr. McKinley is bearish on the future of student loans'."""
    copula = adjective.head
    if copula.lemma_.lower() not in COPULAS:
        return None
    subject = _subject_of(copula)
    if subject is None:
        return None
    children = list(adjective.children)
    relation, content = "none", None
    for dep in ("ccomp", "xcomp"):
        clause = next((c for c in children if c.dep_ == dep), None)
        if clause is not None:
            relation, content = dep, _with_quotes(_subtree(clause), quotes)
            break
    if content is None:
        prep = _prep_object(adjective)
        if prep is None:
            return None
        relation, content = f"prep:{prep[0].lower_}", _subtree(prep[1])
    source = _source_phrase(subject, copula)
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
            relation, content = "clause", _with_quotes(_subtree(child), quotes)
            break
    if content is None:
        prep = _prep_object(noun)
        if prep is None:
            return None
        relation, content = f"prep:{prep[0].lower_}", _with_quotes(_subtree(prep[1]), quotes)
    source = _noun_phrase(owner, noun)
    if source is None:
        return None
    return Candidate(noun, "noun", relation, noun.doc[noun.i:noun.i + 1], content, source)


# --- parse helpers --------------------------------------------------------------------------------
def _anchor(record: dict) -> int:
    """Where an attribution sits in the text: its cue, or its content when it has no cue."""
    return (record.get("cue") or record["content"])[0]


@lru_cache(maxsize=1)
def _object_preps() -> frozenset[tuple[str, str]]:
    """(verb, preposition) pairs learned from the training split (scripts/learn_object_preps.py)."""
    return frozenset((rule["lemma"], rule["prep"]) for rule in load_rules("object_preps"))


def _reported_after_object(verb: Token, obj: Token) -> Token | None:
    """'accused *Republicans* of placing …', 'praised Trump for speaking out': for these verbs
    what is reported follows the preposition; the object is whom it is about."""
    lemma = verb.lemma_.lower()
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.i > obj.i and (lemma, prep.lower_) in _object_preps():
            target = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
            if target is not None:
                return target
    return None


def _prep_object(head: Token) -> tuple[Token, Token] | None:
    for child in head.children:
        if child.dep_ == "prep" and child.i > head.i:
            obj = next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
            if obj is not None:
                return child, obj
    return None


def _is_passive(verb: Token) -> bool:
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    # Reduced relative: "a move described as ...", "though framed as ..."
    return verb.tag_ == "VBN" and verb.dep_ in ("acl", "advcl") and not any(
        c.dep_ in ("aux", "nsubj") for c in verb.children)


def _subject_of(verb: Token) -> Token | None:
    """The cue's own subject, or the one it shares with the verb it is coordinated with.

    Of two subjects (a parse error, as in '“… One of the brightest members,” Rep. Cummings
    said'), the one nearest the verb is the speaker."""
    for _ in range(4):
        subjects = [child for child in verb.children if child.dep_ in SUBJECT_DEPS]
        if subjects:
            return min(subjects, key=lambda child: abs(child.i - verb.i))
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return verb.head
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            verb = verb.head
            continue
        if verb.dep_ == "pcomp" and verb.head.head is not verb.head:  # "began by saying ..."
            verb = verb.head.head
            continue
        return None
    return None


# "“…,” Tulsa police Chief Chuck Jordan said": how many words a speaker's name and title may take.
MAX_SPEAKER_TOKENS = 8
NAME_POS = {"PROPN", "NOUN", "DET", "ADJ", "PART", "NUM", "PUNCT"}


def _name_after_quote(verb: Token, quotes: QuoteIndex) -> tuple[Span, Span] | None:
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


def _inverted_subject(verb: Token) -> Token | None:
    """'…,” said James Acton, a physicist': the speaker after the verb, which the parser may
    have read as an object."""
    for child in verb.rights:
        if child.dep_ in ("dobj", "attr", "npadvmod", "nsubj", "appos", "oprd") and child.pos_ in ("PROPN", "NOUN", "PRON"):
            return child
    return None


def _source_phrase(subject: Token, verb: Token) -> Span | None:
    """The source's words. For "allies who question ...", the antecedent through the pronoun
    ("some lawmakers and foreign allies who"): the reader sees who, the pronoun stays attached."""
    if subject.lower_ in RELATIVE_PRONOUNS and subject.head.dep_ == "relcl" and subject.dep_ in SUBJECT_DEPS:
        antecedent = subject.head.head
        phrase = _noun_phrase(antecedent, verb)
        if phrase is not None and phrase.end <= subject.i:
            return subject.doc[phrase.start:subject.i + 1]
        return subject.doc[subject.i:subject.i + 1]
    return _noun_phrase(subject, verb)


def _subtree(token: Token) -> Span:
    doc = token.doc
    start, end = trim_span(doc, token.left_edge.i, token.right_edge.i + 1, strip_punct=False)
    start, end = _strip_edge_punct(doc, start, end)
    return doc[start:end] if end > start else doc[token.i:token.i + 1]


def _cue_span(verb: Token) -> Span:
    """The cue verb with its auxiliaries, negation and particle ('has said', 'called for')."""
    doc = verb.doc
    start = verb.i
    for child in verb.lefts:
        if child.dep_ in ("aux", "auxpass", "neg") and child.i >= verb.i - 3:
            start = min(start, child.i)
    end = verb.i + 1
    for child in verb.rights:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    return doc[start:end]


def _noun_phrase(head: Token, cue: Token | None, drop_conjuncts: bool = False,
                 cut_preps: tuple[str, ...] = ()) -> Span | None:
    """The phrase a noun heads, without clauses that hold the cue or run past it."""
    doc = head.doc
    start, end = head.left_edge.i, head.right_edge.i + 1
    for child in head.rights:
        cut = child.dep_ in ("relcl", "acl") and (cue is None or child.i <= cue.i <= child.right_edge.i
                                                   or child.i > cue.i)
        if drop_conjuncts and child.dep_ in ("cc", "conj"):
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
    start, end = _strip_edge_punct(doc, start, end)
    if end <= start:
        return None
    return doc[start:end]


def _without(span: Span, tokens: set[int]) -> Span | None:
    """The span cut short before the first of its head's right-hand clauses holding these tokens."""
    root = span.root
    end = span.end
    for child in root.rights:
        if child.i < span.end and any(t.i in tokens for t in child.subtree):
            end = min(end, child.left_edge.i)
    start, end = _strip_edge_punct(span.doc, *trim_span(span.doc, span.start, end))
    return span.doc[start:end] if end > start else span


def _verb_group(verb: Token) -> Span:
    """'were described as', 'has been interpreted': the words that make the agentless passive."""
    doc = verb.doc
    start = min([verb.i] + [c.i for c in verb.lefts if c.dep_ in ("aux", "auxpass", "neg")])
    end = verb.i + 1
    if end < len(doc) and doc[end].lower_ in ("as", "to") and doc[end].head.i == verb.i:
        end += 1
    return doc[start:end]


def _adjacent_quote(verb: Token, subject: Token | None, quotes: QuoteIndex) -> Span | None:
    """A quote right before '(, ) X said' or right after 'X said:' in the same paragraph."""
    group_start, group_end = verb.i, verb.i + 1
    if subject is not None:
        group_start = min(group_start, subject.left_edge.i)
        group_end = max(group_end, subject.right_edge.i + 1)
    doc = verb.doc
    near = sorted(set(quotes.ending_in(group_start - QUOTE_REACH, group_start)
                      + quotes.starting_in(group_end, group_end + QUOTE_REACH)))
    for quote in (quotes[n] for n in near):
        gap_before = group_start - quote.end
        gap_after = quote.start - group_end
        if 0 <= gap_before <= QUOTE_REACH and _only(doc[quote.end:group_start], QUOTE_BEFORE_GLUE):
            return quote
        if 0 <= gap_after <= QUOTE_REACH and _only(doc[group_end:quote.start], QUOTE_AFTER_GLUE):
            return quote
    return None


def _quote_after_colon(verb: Token, obj: Token | None, quotes: QuoteIndex) -> Span | None:
    """'He added: “…”', 'released the following statement: “…”': a colon closing the verb's
    clause announces the quotation after it, whatever quotation came before."""
    doc = verb.doc
    end = max(verb.i, obj.right_edge.i if obj is not None and obj.i > verb.i else verb.i) + 1
    while end < len(doc) and doc[end].dep_ == "prt":
        end += 1
    if end >= len(doc) or doc[end].text != ":":
        return None
    for n in quotes.starting_in(end + 1, end + 3):
        quote = quotes[n]
        if quote.label_ == "quote" and not any(t.is_space and "\n" in t.text for t in doc[end + 1:quote.start]):
            return quote
    return None


def _with_quotes(span: Span, quotes: QuoteIndex) -> Span:
    """Widen content to the whole quotation it is part of (quotes run over sentences).

    Quotes are taken in order; one that touches the content only once an earlier one has widened
    it is taken too, as a scan over every quote would."""
    start, end = span.start, span.end
    pending = quotes.touching(start, end)
    seen = set(pending)
    heapify(pending)
    while pending:
        n = heappop(pending)
        quote = quotes[n]
        if quote.label_ == "quote" and quote.start < end and start < quote.end:
            wider_start, wider_end = min(start, quote.start), max(end, quote.end)
            added = ((quotes.touching(wider_start, start) if wider_start < start else [])
                     + (quotes.touching(end, wider_end) if end < wider_end else []))
            for later in added:
                if later > n and later not in seen:
                    seen.add(later)
                    heappush(pending, later)
            start, end = wider_start, wider_end
    return span.doc[start:end]


ANIMATE_PRONOUNS = {"i", "we", "you", "he", "she", "they", "it", "who", "which", "that", "one", "someone",
                    "everyone", "others", "some", "many", "most", "both", "all", "each", "this", "these"}


def _can_hold_a_view(source: Span | None) -> bool:
    """A person, group, organisation, outlet or document — something that can say or show."""
    if source is None:
        return False
    root = source.root
    if root.lower_ in ANIMATE_PRONOUNS or root.pos_ == "PROPN" or root.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return root.lemma_.lower() in _SOURCE_NOUNS() or root.lower_ in _SOURCE_NOUNS()


def _without_symbols(span: Span) -> Span | None:
    """Drop edge tokens with no letter or digit (emoji, symbols, foreign punctuation) from a
    source: the parser sometimes attaches a preceding emoji or headline to the subject."""
    start, end = span.start, span.end
    doc = span.doc
    def bare(token):
        return not any(ch.isalnum() for ch in token.text)
    while start < end and (bare(doc[start]) or doc[start].is_space):
        start += 1
    while end > start and (bare(doc[end - 1]) or doc[end - 1].is_space):
        end -= 1
    # A run of non-Latin script glued to a Latin name by the tokenizer ("报道。🎉 Reuters").
    for i in range(start, end):
        if any(ch in "。！？；" for ch in doc[i].text) or bare(doc[i]) and i + 1 < end:
            if all(not ("a" <= ch.lower() <= "z") for t in doc[start:i + 1] for ch in t.text):
                start = i + 1
    while start < end and (bare(doc[start]) or doc[start].is_space):
        start += 1
    return doc[start:end] if end > start else None


def _closes_sentence(quote: Span) -> bool:
    """The quotation ends with its own full stop ('“… government.”'), not a comma ('“…,” she said').
    A question or exclamation mark may still lead into its speaker ('“Why now?” she asked them')."""
    last = quote[-2] if len(quote) >= 2 and quote[-1].is_quote else quote[-1]
    return last.text in (".", "…")


def _inside(token: Token, quotes: QuoteIndex) -> bool:
    return quotes.strictly_inside(token.i)


def _only(span: Span, glue: set[str]) -> bool:
    """Nothing but these punctuation marks (or spaces) between a quote and its cue."""
    return all(t.is_space or t.text in glue for t in span)


def _strip_edge_punct(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop commas/dashes at the edges, but keep quote marks that belong to the content."""
    while start < end and doc[start].is_punct and not doc[start].is_quote and doc[start].text not in "($":
        start += 1
    while end > start and doc[end - 1].is_punct and not doc[end - 1].is_quote and doc[end - 1].text not in ")%":
        end -= 1
    return start, end


def _is_quote_span(content: Span, quotes: QuoteIndex) -> bool:
    """Content that is (almost) all quotation: it is shown as a direct quote."""
    inside = 0
    for q in (quotes[n] for n in quotes.touching(content.start, content.end)):
        if q.label_ == "quote":
            inside += max(0, min(q.end, content.end) - max(q.start, content.start))
    return inside >= 0.6 * len(content)
