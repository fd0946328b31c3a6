"""Secondhand quotes: words the article took from another outlet's interview or broadcast.

"…, he told CNN", "in an interview with Fox News", "speaking on NBC's Today show": the reader
cannot check the quote against what was actually said unless the article links to it. An
attribution is secondhand when its sentence credits a known news outlet (rules/outlets.jsonl,
or a name ending in "TV", "News", "Radio"…) by one of the phrasings in rules/secondhand.jsonl,
and no link in that sentence leads to the original.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .ranges import RangeIndex
from .rules import load_rules, word_set


@lru_cache(maxsize=1)
def _rules():
    patterns = [re.compile(rule["pattern"]) for rule in load_rules("secondhand")]
    outlets = {rule["name"].lower(): rule["name"] for rule in load_rules("outlets")}
    suffixes = word_set("outlet_words", "term", role="suffix")
    return patterns, outlets, suffixes


def outlet_named(phrase: str) -> str | None:
    """The outlet a captured name stands for ("CNN's State of the Union" → CNN), if it is one."""
    _, outlets, suffixes = _rules()
    words = re.sub(r"[’']s\b.*$", "", re.sub(r"^The\s+", "", phrase)).split()
    for end in range(len(words), 0, -1):  # longest known name first
        candidate = " ".join(words[:end]).strip(".,")
        if candidate.lower() in outlets:
            return outlets[candidate.lower()]
        if end > 1 and candidate.split()[-1].lower() in suffixes:
            return candidate
    return None


def mark_secondhand(attributions, text: str, links) -> None:
    """Set `attribution.secondhand` to the outlet's name for quotes taken from another outlet."""
    patterns, _, _ = _rules()
    linked = RangeIndex((link["start"], link["end"]) for link in links or [])
    by_sentence: dict[tuple[int, int], str | None] = {}
    for attribution in attributions:
        start, end = attribution.sentence
        if (start, end) not in by_sentence:
            by_sentence[(start, end)] = None
            if not linked.overlaps(start, end):
                sentence = text[start:end]
                for pattern in patterns:
                    match = pattern.search(sentence)
                    outlet = outlet_named(match.group("outlet")) if match else None
                    if outlet:
                        by_sentence[(start, end)] = outlet
                        break
        attribution.secondhand = by_sentence[(start, end)]
