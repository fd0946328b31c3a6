"""Small lookups over an API response, for the detector tables."""
from __future__ import annotations


def spans_by_id(result: dict) -> dict:
    return {s["id"]: s for s in result["spans"]}


def attributions(result: dict) -> list[dict]:
    """Each attribution with its source/cue/content texts filled in."""
    spans = spans_by_id(result)
    out = []
    for at in result["attributions"]:
        item = dict(at)
        for role in ("source", "cue", "content"):
            item[role + "_text"] = spans[at[role]]["text"] if at[role] else None
        out.append(item)
    return out


def find_attribution(result: dict, source: str | None = None, cue: str | None = None) -> dict | None:
    for at in attributions(result):
        if source is not None and (at["source_text"] is None or source.lower() not in at["source_text"].lower()):
            continue
        if cue is not None and (at["cue_text"] is None or cue.lower() not in at["cue_text"].lower()):
            continue
        return at
    return None


def attribution_with(result: dict, source: str | None = None, cue: str | None = None) -> dict:
    """The attribution with this source and cue, asserted to be there."""
    found = find_attribution(result, source=source, cue=cue)
    assert found is not None, attributions(result)
    return found


def source_typed(result: dict, source: str, expected: str) -> dict:
    """The attribution whose source contains `source`, asserted to be typed `expected`."""
    found = find_attribution(result, source=source)
    assert found is not None and found["source_type"] == expected, attributions(result)
    return found


def labels(result: dict, label: str) -> list[str]:
    return [s["text"] for s in result["spans"] if s["label"] == label]
