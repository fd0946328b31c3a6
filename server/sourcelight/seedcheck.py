"""Checks an analysis against a hand-written expectations file (tests/fixtures/*.expected.json).

A finding matches an item when its span overlaps the item's text within the same sentence and
its type is one of those listed; `required` items must be found, `must_not_be_sources` never
labelled a source, and the summary must match. Used by the tests and by `sourcelight eval`.
"""
from __future__ import annotations

import re

SENTENCE_BREAK = re.compile(r"\n+|(?<=[.!?”])\s+(?=[A-Z“\"])")


def sentences(text: str) -> list[tuple[int, int]]:
    bounds, start = [], 0
    for match in SENTENCE_BREAK.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return [(s, e) for s, e in bounds if e > s]


def occurrences(text: str, needle: str, within: str | None = None) -> list[tuple[int, int]]:
    """(start, end) of each case-insensitive occurrence, limited to sentences containing `within`."""
    found = []
    lowered = text.lower()
    for s, e in sentences(text):
        if within and within.lower() not in lowered[s:e]:
            continue
        for match in re.finditer(re.escape(needle.lower()), lowered[s:e]):
            found.append((s + match.start(), s + match.end()))
    return found


def _overlap(span: dict, ranges) -> bool:
    return any(span["start"] < e and s < span["end"] for s, e in ranges)


def _get(summary: dict, dotted: str):
    value = summary
    for part in dotted.split("."):
        value = value[part]
    return value


def check_expected(response: dict, text: str, expected: dict) -> tuple[list[str], int]:
    spans = {s["id"]: s for s in response["spans"]}
    problems, found = [], 0
    for item in expected.get("attributions", []):
        where = occurrences(text, item["source"], item.get("sentence_contains"))
        cue_where = occurrences(text, item["cue"], item.get("sentence_contains")) if item.get("cue") else None
        match = None
        for at in response["attributions"]:
            source = spans.get(at["source"]) if at["source"] else None
            if source is None or not _overlap(source, where) or at["source_type"] not in item["source_type"]:
                continue
            if cue_where is not None:
                cue = spans.get(at["cue"]) if at["cue"] else None
                if cue is None or not _overlap(cue, cue_where):
                    continue
            match = at
            break
        if match:
            found += item.get("required", False)
        elif item.get("required"):
            typed = [spans[a["source"]]["source_type"] for a in response["attributions"]
                     if a["source"] and _overlap(spans[a["source"]], where)]
            problems.append(f"attribution not found: {item['source']!r} / {item.get('cue')!r} as "
                            f"{'/'.join(item['source_type'])}" + (f" (found as {typed})" if typed else ""))
    for item in expected.get("hedges", []):
        where = occurrences(text, item["text"], item.get("sentence_contains"))
        if any(s["label"] == "hedge" and _overlap(s, where) for s in response["spans"]):
            found += item.get("required", False)
        elif item.get("required"):
            problems.append(f"hedge not found: {item['text']!r}")
    for item in expected.get("unattributed_sentences", []):
        where = [b for b in sentences(text) if item["sentence_contains"].lower() in text[b[0]:b[1]].lower()]
        if any(s["label"] == "unattributed" and _overlap(s, where) for s in response["spans"]):
            found += item.get("required", False)
        elif item.get("required"):
            problems.append(f"unattributed sentence not flagged: {item['sentence_contains']!r}")
    for needle in expected.get("must_not_be_sources", []):
        where = occurrences(text, needle)
        wrong = [s["text"] for s in response["spans"] if s["label"] == "source" and _overlap(s, where)]
        if wrong:
            problems.append(f"{needle!r} is inside source spans {wrong}")
    summary = response["summary"]
    for key, rule in expected.get("summary", {}).items():
        value = _get(summary, key)
        if isinstance(rule, list):
            ok = value in rule
        else:
            ok = all([
                "eq" not in rule or value == rule["eq"],
                "min" not in rule or value >= rule["min"],
                "max" not in rule or value <= rule["max"],
            ])
        if not ok:
            problems.append(f"summary {key} = {value!r}, expected {rule}")
    return problems, found
