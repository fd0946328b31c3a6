"""Attributions: who (source) says what (content), with which cue, read off the dependency parse.

Every word that could be a cue is turned into a *candidate* (candidates.py): its subject (or the agent of a
passive, or the possessor of a noun such as "Obama's announcement") is the source; its clausal
complement, object, prepositional object or the direct quote beside it is the content. The cue
lexicon then decides which candidates are attributions (see cues.py): reporting, belief and
evidence verbs written by hand, plus cues learned from the PolNeAR training split, each kept
with how often it was a cue there. "According to X" and "based on interviews with X" are read
directly. Quote paragraphs that follow a quoted speaker with no new cue go to that speaker.
Where quotations stand relative to a cue is quote_index.py's business.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..ranges import RangeIndex
from ..rules import load_rules, word_set
from .common import doc_text, guarded, make_span, trim_span
from .candidates import Candidate, find_candidates, noun_phrase, strip_edge_punct
from .cue_model import candidate_features, context_vector, load_cue_model
from .cues import CueLexicon, CueVerdict
from .quote_index import QuoteIndex, closes_sentence, is_quote_span, quoted_token_ids, with_quotes

GROUP = "sourcing_attribution"
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
        self.poll_nouns = word_set("poll_frames", "lemma")
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
        ins = []  # "in" outside quotes: "In the latest poll, …" is read once the candidates are known
        for token in self.doc:
            if token.i in quoted or token.i in self.used_cue_tokens:
                continue
            lower = token.lower_
            if lower == "according":
                self._according_to(token)
            else:
                if lower == "in":
                    ins.append(token)
                self._sourcing_phrase(token)
        # A transcript line ('"PENCE: Well, …') already has its speaker: no other cue's content takes in the tag.
        tags = RangeIndex((r["source"][0], r["cue"][1]) for r in self.records if r["rule"] == "speaker_tag")
        for candidate in find_candidates(self.doc, skip=self.used_cue_tokens):
            if tags and tags.overlaps(candidate.content.start_char, candidate.content.end_char):
                continue
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
        self._in_a_poll(ins)
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
        source = noun_phrase(pobj, None)
        cue = self.doc[according.i:to.i + 1]
        sent = according.sent
        phrase_start, phrase_end = according.i, max(pobj.right_edge.i, to.i) + 1
        # The content is the rest of the sentence, on whichever side of the phrase it sits.
        left = trim_span(self.doc, sent.start, phrase_start)
        right = trim_span(self.doc, phrase_end, sent.end)
        start, end = right if (right[1] - right[0]) >= (left[1] - left[0]) else left
        if end <= start or source is None:
            return False
        self._add(source, cue, with_quotes(self.doc[start:end], self.quotes), according, rule="according_to",
                  why_cue="“according to” credits the claim to a source.")
        return True

    def _in_a_poll(self, ins: list[Token]) -> None:
        """'In the latest Reuters/Ipsos poll, Trump leads by two points': the finding is the poll's.
        Only a poll or survey: on PolNeAR's training split "in a/the … poll" framed an attribution 30
        times in 55, "in the polls" 10 in 80, "in a … report" never. A clause whose verb is already a cue keeps that cue."""
        cue_heads = {record["cue_head"] for record in self.records if record.get("cue_head") is not None}
        for token in ins:
            if token.dep_ != "prep" or token.i in self.used_cue_tokens:
                continue
            head, pobj = token.head, next((c for c in token.children if c.dep_ == "pobj"), None)
            # Singular only: "in the polls" is mostly an idiom ("mired in single digits in the polls").
            if pobj is None or pobj.tag_ != "NN" or pobj.lemma_.lower() not in self.detector.poll_nouns \
                    or head.pos_ not in ("VERB", "AUX"):
                continue
            if head.i in cue_heads or any(t.i in cue_heads for t in head.subtree if t.dep_ in ("ccomp", "conj")):
                continue
            source = noun_phrase(pobj, None)
            start, end = trim_span(self.doc, head.left_edge.i, head.right_edge.i + 1)
            before, after = (start, token.i), (pobj.right_edge.i + 1, end)
            start, end = strip_edge_punct(self.doc, *trim_span(self.doc, *max(before, after, key=lambda r: r[1] - r[0])))
            if source is None or end - start < 3:
                continue
            self._add(source, self.doc[token.i:token.i + 1], self.doc[start:end], token, rule="in_a_poll",
                      why_cue="“in” frames the finding as the poll's or survey's.")

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
            content = noun_phrase(holder, token) if holder.pos_ in ("NOUN", "PROPN") else None
            if content is None:
                s, e = trim_span(self.doc, token.sent.start, token.i)
                if e <= s:
                    continue
                content = self.doc[s:e]
            cue = self.doc[token.i:end]
            for conjunct in [obj, *obj.conjuncts]:
                source = noun_phrase(conjunct, None, drop_conjuncts=True)
                # "discounts based on need", "drawing on home equity": not a source the reporting rests on.
                if source is not None and _can_hold_a_view(source):
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
            if source is None or cue is None or content is None or not self._names_a_speaker(source):
                continue
            self._add(source, cue, with_quotes(content, self.quotes), source[0], rule="speaker_tag",
                      why_cue=f"Speaker tag: the line gives the words of {tag}.")

    def _names_a_speaker(self, tag: Span) -> bool:
        """A tag names a speaker when it holds a name or a capitalised tag, or ends in a source noun
        ("Poll: …", "Insiders: …"). A headline's opening word is often tagged NOUN ("Sanders: …"),
        so a capitalised word the parser reads as a name elsewhere in the article counts too."""
        if any(t.pos_ == "PROPN" or t.is_upper for t in tag):
            return True
        if tag[-1].lower_ in _SOURCE_NOUNS() or tag[-1].lemma_.lower() in _SOURCE_NOUNS():
            return True
        words = {t.text for t in tag if t.is_title}
        return any(t.text in words and t.i not in range(tag.start, tag.end)
                   and (t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG")) for t in self.doc)

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
                        and not closes_sentence(quote) and not covered.overlaps(quote.start_char, quote.end_char)):
                    self._add_content_more(record, quote, "the same speaker's words before the cue.")
                continue
            if content[1] > cue[0]:
                continue
            first = self.doc.char_span(content[0], content[1], alignment_mode="expand")
            if first is None or closes_sentence(first):
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
        content_label = "quote" if direct and is_quote_span(content, self.quotes) else "content"
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
            "cue_head": anchor.i,
            "agentless": agentless,
            "source_head": source.root.idx if source is not None and not agentless else None,
        })
        self.used_cue_tokens.update(range(cue.start, cue.end))


# --- candidates ---------------------------------------------------------------------------------


# --- parse helpers --------------------------------------------------------------------------------
def _anchor(record: dict) -> int:
    """Where an attribution sits in the text: its cue, or its content when it has no cue."""
    return (record.get("cue") or record["content"])[0]


def _without(span: Span, tokens: set[int]) -> Span | None:
    """The span cut short before the first of its head's right-hand clauses holding these tokens."""
    root = span.root
    end = span.end
    for child in root.rights:
        if child.i < span.end and any(t.i in tokens for t in child.subtree):
            end = min(end, child.left_edge.i)
    start, end = strip_edge_punct(span.doc, *trim_span(span.doc, span.start, end))
    return span.doc[start:end] if end > start else span


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


