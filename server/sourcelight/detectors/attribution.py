"""Attributions: who (source) says what (content), with which cue, read off the dependency parse.

Every word that could be a cue is turned into a *candidate* (candidates.py): its subject (or the agent of a
passive, or the possessor of a noun such as "Obama's announcement") is the source; its clausal
complement, object, prepositional object or the direct quote beside it is the content. The cue
lexicon then decides which candidates are attributions (see cues.py): reporting, belief and
evidence verbs written by hand, plus cues learned from the PolNeAR training split, each kept
with how often it was a cue there. Attributions framed by a phrase or a layout ("according to
X", "In the latest poll, …", transcript speaker tags) are frames.py's. Quote paragraphs that follow a quoted speaker with no new cue go to that speaker.
Where quotations stand relative to a cue is quote_index.py's business.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from itertools import accumulate

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..ranges import RangeIndex
from ..rules import load_rules, word_set
from .candidates import Candidate, find_candidates
from .common import doc_text, guarded, make_span, reads_as_a_title, strip_edge_punct, trim_span
from .content_end import load_content_end_model, rest_features, sentence_rest
from .cue_model import candidate_features, candidate_vector, lexicon_says, load_cue_model
from .cues import CueLexicon, CueVerdict
from .frames import FrameRules, can_hold_a_view, source_nouns
from .quote_index import QuoteIndex, closes_sentence, is_quote_span, quoted_token_ids

GROUP = "sourcing_attribution"
# Between a cue and the next part of the quotation it interrupts: the rest of the cue's sentence
# ("said on Monday." / "she told the council,").
CUE_SENTENCE_REST = re.compile(r"(?:(?!'')[^\n\"“”]){0,200}?[.!?,][ \t\u00a0]+")
INTERRUPTING_GLUE = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*")
# How the rest of a sentence hangs on an interrupting cue when it goes on with the content.
CONTINUING_DEPS = {"conj", "advcl", "cc", "punct", "dobj", "ccomp"}
CONTINUING_WORDS = {"and", "but", "until", "for"}
QUOTE_MARKS = set("\"“”'‘’")


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
        self.content_end = load_content_end_model()

    def cue_verdict(self, candidate: Candidate) -> CueVerdict | None:
        """Is this candidate an attribution cue? The lexicon (cues.py) judges first; the learned
        model (cue_model.py) weighs that verdict with the rest of the evidence and decides: it
        keeps most lexicon cues, drops those the context is against, finds cues where the lexicon
        is silent and, surer, where the counted table said no. (A model fitted the older way only
        fills the lexicon's silences and vetoes a lexicon cue it finds very unlikely.)"""
        lexicon = self.lexicon
        verdict = lexicon.judge(candidate)
        if self.model is None or lexicon.hard_no(candidate):
            return verdict
        hand_kind = lexicon.hand_kind(candidate)
        if verdict is not None and hand_kind == "evidence":
            return verdict  # "A CT scan showed …": political news has few, health news lives on them
        counted = lexicon.counted(candidate)
        says = None
        if self.model.weighs_lexicon:
            says = lexicon_says(verdict is not None, counted)
        features = candidate_features(candidate, hand_kind, source_nouns(), says)
        p = self.model.probability(features, candidate_vector(candidate, self.model.parts))
        if verdict is not None:
            keep = p >= (self.model.threshold if self.model.weighs_lexicon else self.model.veto_threshold)
            return verdict if keep else None
        # Where the training counts for this word and use already said no ("plans to": a cue 33
        # times in 102), the model must be surer to find the exceptions.
        if p < (self.model.override_threshold if counted else self.model.threshold):
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


class _Finder(FrameRules):
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
            verdict = self.detector.cue_verdict(candidate)
            if verdict is None:
                continue
            if verdict.stance_only and not can_hold_a_view(candidate.source):
                continue  # "the strikes ..., offering both": things do not take positions
            source = candidate.source
            if source is not None and not candidate.agentless:
                # Leave out of the source any clause that is another attribution's cue.
                source = _without(source, self.used_cue_tokens | {candidate.head.i})
            self._add(source, candidate.cue, candidate.content, candidate.head, rule=verdict.rule,
                      why_cue=verdict.why, agentless=candidate.agentless, relation=candidate.relation)
        self._in_a_poll(ins)
        self._colon_credits()
        self._drop_nested()
        self.records.sort(key=_anchor)  # in text order: later steps resolve "he", "the outlet" backwards
        self._quote_continuations()
        self._sentence_continuations()
        self._contents_to_sentence_end()
        self._follow_on_quotes()

    # --- one level of reporting ------------------------------------------------------------------
    def _drop_nested(self) -> None:
        """'He said he plans to use the $18 million he says he raised', 'Clinton says she admired
        what she calls a war of words': what a source is reported to have said is that source's
        account, as the words inside a quotation are, so a cue inside another attribution's
        content is not an attribution of the article's own. (PolNeAR's annotators mark 6 such
        nested attributions in 2,192 on dev.) A transcript line's speaker tag is left out: its
        content is a whole answer, in which speakers do cite others."""
        text = doc_text(self.doc)
        records = self.records
        cue_starts = {r["cue"][0] for r in records if r.get("cue")}
        dropped: set[int] = set()
        outers = []
        for n, record in enumerate(records):
            cue, content = record.get("cue"), record.get("content")
            if not cue or not content or record["rule"] == "speaker_tag" or text[cue[0]:cue[1]] == ":":
                continue
            # "went on to say that …", "responded saying …": the content opens with another cue, and
            # the two are one report, told best by the second verb.
            opening = text[content[0]:content[0] + 4]
            if content[0] in cue_starts or opening == "to " and content[0] + 3 in cue_starts:
                dropped.add(n)
            else:
                outers.append((content[0], content[1], n))
        outers.sort()
        starts = [start for start, _, _ in outers]
        max_end = list(accumulate((end for _, end, _ in outers), max))
        for n in sorted(range(len(records)), key=lambda n: _anchor(records[n])):
            cue = records[n].get("cue")
            if cue is None or n in dropped:
                continue
            k = bisect_right(starts, cue[0]) - 1
            while k >= 0 and max_end[k] >= cue[1]:  # ends only fall further back: stop when none reaches
                _, end, m = outers[k]
                if m != n and m not in dropped and end >= cue[1]:
                    dropped.add(n)
                    break
                k -= 1
        if not dropped:
            return
        gone = [r for n, r in enumerate(records) if n in dropped]
        self.records = [r for n, r in enumerate(records) if n not in dropped]
        roles = ("source", "cue", "content", "content_more")
        kept = {r[role] for r in self.records for role in roles if r.get(role)}
        spans = {r[role] for r in gone for role in roles if r.get(role)} - kept
        self.spans = [s for s in self.spans if (s.start_char, s.end_char, s.label_) not in spans]

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

    def _sentence_continuations(self) -> None:
        """'Lenox was a juggernaut, Mr. Clarke said, until it went bankrupt.': a cue set between
        commas in the middle of its content's sentence interrupts one statement; the rest of the
        sentence after it is the same content (kept as `content_more`, as annotators join both)."""
        doc = self.doc
        text = doc_text(doc)
        taken = RangeIndex((r[role][0], r[role][1]) for r in self.records for role in ("source", "content")
                           if r.get(role))
        for record in self.records:
            content, cue, source = record.get("content"), record.get("cue"), record.get("source")
            if not content or not cue or record.get("content_more") or record.get("cue_head") is None:
                continue
            group_start = min(cue[0], source[0]) if source else cue[0]
            if content[1] > group_start or "," not in text[content[1] - 2:group_start]:
                continue
            if text[content[1]:group_start].strip(" \t\u00a0,\"”'’"):
                continue  # something else stands between the content and its speaker
            head = doc[record["cue_head"]]
            sentence = head.sent
            if content[0] < sentence.start_char:
                continue
            group_end = max(cue[1], source[1]) if source else cue[1]
            rest = self._after_cue_modifiers(head, group_end, sentence)
            if rest is None or not self._continues_content(head, content, rest, sentence):
                continue
            start, end = strip_edge_punct(doc, *trim_span(doc, rest, sentence.end, strip_punct=False))
            start, end = trim_span(doc, *strip_edge_punct(doc, start, end), strip_punct=False)
            if end - start < 2 or any(i in self.used_cue_tokens for i in range(start, end)):
                continue
            rest_span = doc[start:end]
            if taken.overlaps(rest_span.start_char, rest_span.end_char):
                continue
            span = make_span(doc, rest_span.start_char, rest_span.end_char, "content",
                             "What the source is reported to have said: the sentence goes on after the cue.",
                             rule="content_continued")
            if span is not None:
                self.spans.append(span)
                record["content_more"] = (span.start_char, span.end_char, "content")

    @staticmethod
    def _continues_content(head: Token, content: tuple, rest: int, sentence: Span) -> bool:
        """Whether the words after the cue go on with the content: they hang on the content's clause
        or are coordinated with the cue ("…, he said, and …"), never a phrase about the speaker or
        the cue ('said Smith, who …', 'said, on his first day …'); a quotation goes on only with
        more quoted words."""
        doc = head.doc
        words = doc[rest:sentence.end]
        opening_quote = words[0].is_quote and words[0].text not in "”’"
        if not (opening_quote or words[0].lower_ in CONTINUING_WORDS):
            return False  # 'said, noting …', 'said on Thursday, two days after …': not the content
        quoted_content = content[2] == "quote" or doc_text(doc)[content[0]] in QUOTE_MARKS
        if quoted_content and not any(token.is_quote for token in words):
            return False
        for token in words:
            if token.head.i >= rest and token.head.i < sentence.end and token.head.i != token.i:
                continue  # inside the rest
            on_cue = token.head.i == head.i
            in_content = content[0] <= token.head.idx < content[1]
            # The parser may make the cue hang on the rest's clause ("Though …, he said, replacing
            # Clinton would be …": said → be).
            cue_hangs_on_it = token.head.i == token.i and head.head.i == token.i
            if not (in_content or cue_hangs_on_it or on_cue and token.dep_ in CONTINUING_DEPS):
                return False
        return True

    @staticmethod
    def _after_cue_modifiers(head: Token, group_end: int, sentence: Span) -> int | None:
        """The first token after the comma that closes the cue's own words ("said in a June
        report,"), or None when the cue's words run on without a verb-free comma."""
        doc = head.doc
        i = head.i + 1
        while i < sentence.end and doc[i].idx < group_end:
            i += 1
        while i < sentence.end and doc[i].text != ",":
            token = doc[i]
            if token.pos_ in ("VERB", "AUX") or head not in token.ancestors:
                return None  # a clause of its own, or words that are not the cue's
            i += 1
        return i + 1 if i + 1 < sentence.end else None

    def _contents_to_sentence_end(self) -> None:
        """A content the parse stopped before its sentence's end runs on to it when the learned
        content-end model (content_end.py) reads the rest as more of what was said."""
        model = self.detector.content_end
        if model is None:
            return
        others = [(r[role][0], r[role][1]) for r in self.records for role in ("source", "cue") if r.get(role)]
        replaced = {}
        for record in self.records:
            content, cue = record.get("content"), record.get("cue")
            if not content or not cue or content[2] != "content" or record.get("content_more"):
                continue
            if record.get("relation") == "pro":
                continue  # "said so in the earlier poll": "so" is all that was said
            found = sentence_rest(self.doc, content, cue, others)
            if found is None:
                continue
            span, rest = found
            p = model.probability(rest_features(span, rest))
            if p < model.threshold:
                continue
            extended = make_span(self.doc, content[0], rest.end_char, "content",
                                 "What the source is reported to have said: the rest of the sentence goes on with it "
                                 f"(learned content boundary, p = {p:.2f}).", rule=record["rule"])
            if extended is not None:
                replaced[content] = extended
                record["content"] = (extended.start_char, extended.end_char, "content")
        if replaced:
            self.spans = [replaced.get((s.start_char, s.end_char, s.label_), s) for s in self.spans]

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
            if reads_as_a_title(quote.text):
                continue  # "'All Bets Are Off.'": a quoted subheading, not more of the speaker's words
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
             why_cue: str, agentless: bool = False, relation: str | None = None) -> None:
        doc = self.doc
        content = _with_closing_quote(content)
        cue, content = _with_joining_word(cue, content, anchor)
        direct = any(self.quotes[n].label_ == "quote" for n in self.quotes.touching(content.start, content.end))
        content_label = "quote" if direct and is_quote_span(content, self.quotes) else "content"
        source_span = None
        if source is not None:
            source = _without_symbols(source)
        if source is not None and not agentless:
            source = _with_closing_delimiter(source)
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
            "relation": relation,  # how the content hangs on the cue (candidates.Candidate.relation)
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


def _with_closing_delimiter(span: Span) -> Span:
    """'Sen. Lindsey Graham (R-S.C.)', 'Brian Fallon, the campaign’s press secretary,': a source
    that opens a parenthesis or an apposition keeps the mark that closes it."""
    doc = span.doc
    if span.end >= len(doc):
        return span
    after = doc[span.end].text
    opened = sum(t.text == "(" for t in span) > sum(t.text == ")" for t in span)
    if (after == ")" and opened) or (after in (",", "--", "—") and any(t.text == after for t in span[1:])):
        return doc[span.start:span.end + 1]
    return span


OPENING_QUOTES, CLOSING_QUOTES, EITHER_QUOTE = frozenset({"“", "``"}), frozenset({"”", "''"}), frozenset({'"'})


def _with_joining_word(cue: Span, content: Span, head: Token) -> tuple[Span, Span]:
    """'critical *of* the plan', 'warned *of* a recession', 'called *on* Congress to act': the
    preposition right after the cue that leads into what was said is part of the cue, as
    annotators mark it; the content starts after it."""
    doc = cue.doc
    if cue.end >= len(doc) or cue.end > head.i + 3:
        return cue, content
    word = doc[cue.end]
    # Only a preposition whose object the content is: "said in a statement", "wrote on Facebook"
    # set the scene. Left alone, as measured on both PolNeAR splits: an infinitive's "to" ("vowed
    # to quit": annotators keep it in the content), an agent's "by" and "said of" (marked both ways).
    if word.dep_ != "prep" or word.head.i != head.i or content.start not in (word.i, word.i + 1):
        return cue, content
    cue = doc[cue.start:word.i + 1]
    if content.start == word.i and len(content) > 1:
        content = doc[word.i + 1:content.end]
    return cue, content


def _with_closing_quote(span: Span) -> Span:
    """'that Trump’s statement was “true.”': content that ends inside a quotation it opened keeps
    the mark that closes it (and the full stop or comma before that mark), as annotators do;
    the parser hangs both on the reporting verb."""
    doc = span.doc
    open_quotes = 0
    for token in span:
        text = token.text
        if text in OPENING_QUOTES:
            open_quotes += 1
        elif text in CLOSING_QUOTES:
            open_quotes = max(0, open_quotes - 1)
        elif text in EITHER_QUOTE:
            open_quotes = 0 if open_quotes else 1
    if not open_quotes:
        return span
    end = span.end
    while end < len(doc) and end - span.end < 2 and doc[end].text in (".", ",", "!", "?"):
        end += 1
    if end < len(doc) and (doc[end].text in CLOSING_QUOTES or doc[end].text in EITHER_QUOTE):
        return doc[span.start:end + 1]
    return span


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
            run = "".join(t.text for t in doc[start:i + 1])
            if any(ch.isalpha() for ch in run) and all(not ("a" <= ch.lower() <= "z") for ch in run):
                start = i + 1  # (not "86%" of "86% of Democrats say": no letters at all)
    while start < end and (bare(doc[start]) or doc[start].is_space):
        start += 1
    return doc[start:end] if end > start else None


