"""The API response: ids for spans/attributions/sources and offsets in the requested unit."""
from __future__ import annotations

from . import API_MINOR_VERSION, API_VERSION
from .analysis import Analysis
from .offsets import OffsetMap


def to_api(analysis: Analysis, unit: str = "utf16") -> dict:
    """The response body without `meta` (the caller adds timing and cache facts)."""
    offsets = OffsetMap(analysis.text, unit)
    span_ids = {}
    spans = []
    for number, mark in enumerate(analysis.marks, start=1):
        span_ids[id(mark)] = f"sp{number}"
        item = {
            "id": f"sp{number}",
            "start": offsets.to_unit(mark.start),
            "end": offsets.to_unit(mark.end),
            "text": analysis.text[mark.start:mark.end],
            "label": mark.label,
            "why": mark.why,
        }
        if mark.source_type:
            item["source_type"] = mark.source_type
        if mark.attribution is not None:
            item["attribution"] = f"at{mark.attribution + 1}"
        spans.append(item)

    def ref(mark):
        return span_ids.get(id(mark)) if mark is not None else None

    attributions = []
    for number, a in enumerate(analysis.attributions, start=1):
        item = {
            "id": f"at{number}",
            "source": ref(a.source),
            "cue": ref(a.cue),
            "content": ref(a.content),
            "source_type": a.source_type,
            "entity": f"en{a.entity + 1}" if a.entity is not None else None,
            "direct_quote": a.direct_quote,
            "sentence": {"start": offsets.to_unit(a.sentence[0]), "end": offsets.to_unit(a.sentence[1])},
        }
        if a.content_more is not None:
            item["content_more"] = ref(a.content_more)
        if a.refers_to:
            item["refers_to"] = a.refers_to
        if a.source_type == "anonymous":
            item["anonymity_reason_given"] = bool(a.anonymity_reason)
        if a.inferred:
            item["inferred"] = a.inferred
        if a.agentless:
            item["agentless"] = True
        attributions.append(item)

    sources = []
    for number, voice in enumerate(analysis.sources, start=1):
        item = {
            "id": f"en{number}",
            "name": voice.name,
            "source_type": voice.source_type,
            "mentions": [span_ids[id(m)] for m in voice.mentions if id(m) in span_ids],
            "attributions": [f"at{i + 1}" for i in voice.attributions],
            "role": voice.role,
        }
        if voice.role_why:
            item["role_why"] = voice.role_why
        if voice.aliases:
            item["aliases"] = voice.aliases
        sources.append(item)
    return {"api_version": API_VERSION, "api_minor_version": API_MINOR_VERSION, "spans": spans, "attributions": attributions,
            "sources": sources, "summary": analysis.summary}
