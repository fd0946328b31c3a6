"""Turns a processed Doc into one Analysis: spans, attributions, grouped sources and the summary.

Offsets here are Python code points; serialize.py converts them for the API.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from spacy.attrs import IS_PUNCT, IS_SPACE
from spacy.tokens import Doc

from .detectors.common import NAMED_TYPES, SPAN_GROUPS, TEXT_KEY, DetectorError
from .genre import classify_genre
from .ranges import RangeIndex
from .readability import readability
from .scoring import score_article
from .detectors.publisher import host_from_url
from .evidence import find_evidence_cues
from .secondhand import find_firsthand, mark_secondhand
from .voices import Voice, group_voices


@dataclass
class Mark:
    """One span shown to the reader."""
    start: int
    end: int
    label: str
    why: str
    source_type: str | None = None
    attribution: int | None = None  # index into Analysis.attributions
    rule: str | None = None

    @property
    def key(self):
        return (self.start, self.end, self.label)


@dataclass
class Attribution:
    source: Mark | None
    cue: Mark | None
    content: Mark | None
    source_type: str | None
    direct_quote: bool
    sentence: tuple[int, int]
    entity: int | None = None  # index into Analysis.sources
    refers_to: str | None = None
    anonymity_reason: bool | None = None
    inferred: str | None = None
    agentless: bool = False
    secondhand: str | None = None  # the outlet a quote was taken from, with no link to it
    content_more: Mark | None = None  # the quotation's second part, after an interrupting cue


@dataclass
class Source:
    name: str
    source_type: str
    mentions: list[Mark] = field(default_factory=list)
    attributions: list[int] = field(default_factory=list)


@dataclass
class Analysis:
    text: str
    marks: list[Mark]
    attributions: list[Attribution]
    sources: list[Voice]
    summary: dict
    evidence: dict = field(default_factory=dict)  # family -> EvidenceCue list (release, conflicts, …, firsthand)


def build_analysis(doc: Doc, *, links=None, url=None, title=None, page=None) -> Analysis:
    if doc.user_data.get("sourcing_errors"):
        raise DetectorError("; ".join(doc.user_data["sourcing_errors"]))
    text = doc.user_data.pop(TEXT_KEY, None) or doc.text  # built once by the detectors (doc_text)
    marks: dict[tuple, Mark] = {}

    def mark_for(span) -> Mark:
        key = (span.start_char, span.end_char, span.label_)
        if key not in marks:
            marks[key] = Mark(span.start_char, span.end_char, span.label_, span._.why or "",
                              span._.source_type, None, span._.rule)
        return marks[key]

    for group in SPAN_GROUPS:
        for span in doc.spans.get(group, []):
            mark_for(span)

    attributions: list[Attribution] = []
    sources: dict[str, Source] = {}
    source_order: dict[str, int] = {}  # entity key -> index into the sources list
    mentioned: dict[str, set[int]] = {}  # entity key -> ids of the marks already in its mentions
    for index, record in enumerate(doc._.attributions or []):
        roles = {}
        for role in ("source", "cue", "content", "content_more"):
            offsets = record.get(role)
            roles[role] = marks.get((offsets[0], offsets[1], offsets[2])) if offsets else None
            if roles[role] is not None and roles[role].attribution is None:
                roles[role].attribution = index
        attribution = Attribution(
            source=roles["source"], cue=roles["cue"], content=roles["content"],
            source_type=record.get("source_type"), direct_quote=bool(record.get("direct_quote")),
            sentence=tuple(record["sentence"]), refers_to=record.get("refers_to"),
            anonymity_reason=record.get("anonymity_reason"), inferred=record.get("inferred"),
            agentless=bool(record.get("agentless")), content_more=roles["content_more"],
        )
        entity_key = record.get("entity")
        if entity_key:
            if entity_key not in sources:
                sources[entity_key] = Source(record.get("entity_name") or entity_key, attribution.source_type or "vague")
                source_order[entity_key] = len(source_order)
                mentioned[entity_key] = set()
            entry = sources[entity_key]
            attribution.entity = source_order[entity_key]
            entry.attributions.append(index)
            # Marks are unique per (start, end, label), so identity is equality here.
            if attribution.source is not None and id(attribution.source) not in mentioned[entity_key]:
                mentioned[entity_key].add(id(attribution.source))
                entry.mentions.append(attribution.source)
        attributions.append(attribution)

    all_sentences = [(s.start_char, s.end_char) for s in doc.sents]  # doc.sents is walked once
    voices = group_voices(list(sources.values()), attributions, doc, text, title, sentences=all_sentences)
    mark_secondhand(attributions, text, links, url)
    linked = _credit_links(marks.values(), links or [])
    source_links = _off_site(links or [], url)
    _drop_linked_claims(marks, source_links)
    words = _word_count(doc)
    sentences = [(start, end) for start, end in all_sentences if start < end and not text[start:end].isspace()]
    counts = _counts(attributions, marks.values())  # after grouping: "the drugmaker" counts as named
    summary = {
        "counts": counts,
        "attributed_sentence_share": _attributed_share(sentences, attributions, source_links),
        "distinct_named_sources": sum(1 for v in voices if v.source_type in NAMED_TYPES),
        "readability": readability(text, words),
        "words": words,
        "sentences": len(sentences),
        "linked_sources": linked,
    }
    evidence = find_evidence_cues(text)
    evidence["firsthand"] = find_firsthand(text, url)
    summary["evidence"] = {family: len(cues) for family, cues in evidence.items()}
    summary["genre"] = classify_genre(doc, summary, page=page, url=url, title=title)
    summary.update(score_article(summary, attributions, voices, evidence))
    return Analysis(text, sorted(marks.values(), key=lambda m: (m.start, -m.end, m.label)),
                    attributions, voices, _ordered_summary(summary), evidence)


def _word_count(doc: Doc) -> int:
    """Tokens that are neither punctuation nor whitespace, counted on the Doc's arrays."""
    if len(doc) == 0:
        return 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    return int((flags.sum(axis=1) == 0).sum())


def _credit_links(marks, links) -> int:
    """Sources the article links to are easier to check; say so in their tooltip."""
    if not links:
        return 0
    linked_ranges = RangeIndex((link["start"], link["end"]) for link in links)
    linked = 0
    for mark in marks:
        if mark.label == "source" and linked_ranges.overlaps(mark.start, mark.end):
            mark.why = f"{mark.why} The article links to it."
            linked += 1
    return linked


def _off_site(links, url) -> list:
    """Links that leave the page's own site: a link to the outlet's topic page sources nothing."""
    host = host_from_url(url)
    if not host:
        return list(links)
    site = host.removeprefix("www.")
    return [link for link in links if (host_from_url(link.get("href")) or "").removeprefix("www.") != site]


def _drop_linked_claims(marks: dict, links) -> None:
    """A sentence that links to where its claim comes from is attributed, not unsourced."""
    if not links:
        return
    linked_ranges = RangeIndex((link["start"], link["end"]) for link in links)
    for key in [k for k, m in marks.items() if m.label == "unattributed" and linked_ranges.overlaps(m.start, m.end)]:
        del marks[key]


def _counts(attributions, marks) -> dict:
    by_type = {}
    for a in attributions:
        by_type[a.source_type] = by_type.get(a.source_type, 0) + 1
    labels = {}
    for m in marks:
        labels[m.label] = labels.get(m.label, 0) + 1
    return {
        "attributions": len(attributions),
        "named": sum(by_type.get(t, 0) for t in NAMED_TYPES),
        "official": by_type.get("official", 0),
        "document": by_type.get("document", 0),
        "anonymous": by_type.get("anonymous", 0),
        "vague": by_type.get("vague", 0),
        "self": by_type.get("self", 0),
        "unknown": by_type.get(None, 0),
        "direct_quotes": labels.get("quote", 0),
        "hedges": labels.get("hedge", 0),
        "unattributed_claims": labels.get("unattributed", 0),
    }


def _attributed_share(sentences, attributions, links=()) -> float:
    """Share of the sentences that overlap some attribution's sentence range or hold a link.

    `sentences` are (start_char, end_char) in text order and do not overlap, so the sentences an
    attribution touches form one run of indices, found by bisection; the runs are then merged.
    """
    if not sentences:
        return 0.0
    starts = [start for start, _ in sentences]
    ends = [end for _, end in sentences]
    runs = []
    ranges = [a.sentence for a in attributions] + [(link["start"], link["end"]) for link in links]
    for range_start, range_end in ranges:
        first = bisect_right(ends, range_start)     # first sentence ending after the range starts
        stop = bisect_left(starts, range_end)       # first sentence starting at or after its end
        if first < stop:
            runs.append((first, stop))
    covered, reach = 0, 0
    for first, stop in sorted(runs):
        first = max(first, reach)
        if stop > first:
            covered += stop - first
            reach = stop
    return round(covered / len(sentences), 2)


def _ordered_summary(summary: dict) -> dict:
    order = ("score", "grade", "headline", "genre", "reasons", "limits", "counts", "attributed_sentence_share",
             "distinct_named_sources", "readability", "words", "sentences")
    return {key: summary[key] for key in order if key in summary} | {
        k: v for k, v in summary.items() if k not in order}
