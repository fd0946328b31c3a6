"""Unattributed claims: sentences asserting checkable facts or sweeping judgements that nobody in
the article stands behind — no attribution in the sentence, none carried over from the one before,
and for figures, no study, report or data cited in the two sentences before.

Two signals make a sentence a claim worth flagging (plain background is left alone):
sweeping judgements ("have garnered widespread support", "has come under scrutiny") from
rules/claims.jsonl, and specific figures (numbers, money, percentages) asserted as fact.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..ranges import RangeIndex
from .common import EntityIndex, doc_text, guarded, make_span, rule_matcher

GROUP = "sourcing_claims"
CARRY_OVER_OPENERS = {"also", "additionally", "moreover", "furthermore", "further", "similarly", "likewise"}
CARRY_OVER_PRONOUNS = {"he", "she", "they", "it"}
MIN_WORDS = 6
# After a sentence citing a study, report or data, the next sentences' figures are read as its findings.
DOCUMENT_CONTEXT = 2


@Language.factory("sourcing_claims")
def create_claim_detector(nlp: Language, name: str):
    return guarded("sourcing_claims")(ClaimDetector(nlp))


class ClaimDetector:
    def __init__(self, nlp: Language):
        self.matcher, self.rules = rule_matcher(nlp, "claims")

    def __call__(self, doc: Doc) -> Doc:
        attributed = RangeIndex(_attributed_ranges(doc))
        from_documents = RangeIndex(_attributed_ranges(doc, source_type="document"))
        hedged = RangeIndex((s.start_char, s.end_char) for s in doc.spans.get("sourcing_hedges", []))
        quotes = RangeIndex((q.start_char, q.end_char) for q in doc.spans.get("sourcing_quotes", []) if q.label_ == "quote")
        entities = EntityIndex(doc)
        text = doc_text(doc)
        signals = {}
        for match_id, start, end in self.matcher(doc):
            signals.setdefault(doc[start].sent.start, (doc.vocab.strings[match_id], doc[start:end]))
        found = []
        previous_attributed = False
        document_context = 0  # sentences left in which figures come from the study or report just cited
        for sent in doc.sents:
            is_attributed = _overlaps(sent, attributed)
            figures = [ent for ent in entities.within(sent) if _is_statistic(ent)]
            if document_context and sent.start not in signals:
                figures = []  # "The study followed 212 adults. Patients … reported 30 percent less …"
            if not is_attributed and self._is_claim(sent, signals, figures, hedged, quotes, previous_attributed):
                rule_id, why = self._why(sent, signals, figures)
                span = make_span(doc, sent.start_char, _end_without_space(text, sent), "unattributed", why, rule=rule_id)
                if span is not None:
                    found.append(span)
            previous_attributed = is_attributed
            document_context = DOCUMENT_CONTEXT if _overlaps(sent, from_documents) else max(0, document_context - 1)
        doc.spans[GROUP] = found
        return doc

    def _is_claim(self, sent: Span, signals, figures, hedged, quotes, previous_attributed: bool) -> bool:
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if len(words) < MIN_WORDS or sent.text.rstrip().endswith("?"):
            return False
        if not any(t.pos_ in ("VERB", "AUX") for t in sent):
            return False  # headlines, datelines, captions
        if _overlaps(sent, hedged) or _overlaps(sent, quotes):
            return False  # hedged sentences are flagged as hedges; quoted words have a speaker
        if previous_attributed and _carries_over(sent):
            return False
        if sent.start in signals:
            return True
        return bool(figures) and _asserted(sent)

    def _why(self, sent: Span, signals, figures) -> tuple[str, str]:
        if sent.start in signals:
            rule_id, matched = signals[sent.start]
            return rule_id, f"{self.rules[rule_id]['why'][:-1]} (“{matched.text}”)."
        figure = figures[0]
        return "figure", f"States a specific figure (“{figure.text}”) as fact with no source in or before the sentence."


def _attributed_ranges(doc: Doc, source_type: str | None = None) -> list[tuple[int, int]]:
    ranges = []
    for record in doc._.attributions or []:
        if source_type is not None and record.get("source_type") != source_type:
            continue
        for role in ("cue", "content", "source"):
            if record.get(role):
                ranges.append((record[role][0], record[role][1]))
    return ranges


def _overlaps(sent: Span, ranges: RangeIndex) -> bool:
    return ranges.overlaps(sent.start_char, sent.end_char)


def _carries_over(sent: Span) -> bool:
    """'It also found ...', 'He added ...': the previous sentence's source still speaks."""
    first = [t for t in sent if not t.is_punct][:3]
    return any(t.lower_ in CARRY_OVER_OPENERS for t in first) or (
        bool(first) and first[0].lower_ in CARRY_OVER_PRONOUNS)


SCALE_WORDS = {"hundred", "hundreds", "thousand", "thousands", "million", "millions", "billion", "billions",
               "trillion", "percent", "per", "%"}


def _is_statistic(ent: Span) -> bool:
    """A figure worth checking: money, a percentage, a quantity, or a count of at least 10 —
    not "one of", "two very public assassinations" or a list marker "(5)"."""
    if ent.label_ in ("MONEY", "PERCENT", "QUANTITY"):
        return True
    if ent.label_ != "CARDINAL":
        return False
    if any(t.lower_ in SCALE_WORDS for t in ent):
        return True
    digits = "".join(ch for ch in ent.text if ch.isdigit())
    return len(digits) >= 2 and not (ent.start > 0 and ent.doc[ent.start - 1].text == "(")


def _asserted(sent: Span) -> bool:
    """The sentence's figures are stated as fact by a finite verb in the past or perfect
    ("killed 12", "has risen 5%")."""
    root = sent.root
    return root.tag_ in ("VBD", "VBZ", "VBP", "VBN") and not any(c.dep_ == "neg" for c in root.children)


def _end_without_space(text: str, sent: Span) -> int:
    end = sent.end_char
    while end > sent.start_char and text[end - 1].isspace():
        end -= 1
    return end
