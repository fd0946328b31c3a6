"""Where quotes come from: this outlet's own interviews, or another outlet's.

- **Secondhand**: "…, he told CNN", "in an interview with Fox News", "speaking on NBC's Today
  show" in an article published elsewhere: the reader cannot check the quote against what was
  actually said unless the article links to it. An attribution is secondhand when its sentence
  credits a news outlet other than the publisher (rules/outlets.jsonl, or a name ending in "TV",
  "News", "Radio"…) by one of the phrasings in rules/secondhand.jsonl, and no link in that
  sentence leads to the original.
- **Firsthand**: "told Reuters Health" on reuters.com, "said in a telephone interview", "told
  us": the reporter spoke to the source. On the FakeHealth development stories such original
  reporting tracks the experts' stars beyond article length (docs/scoring.md).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .detectors.publisher import host_from_url, outlet_is_publisher
from .evidence import EvidenceCue
from .ranges import RangeIndex
from .rules import load_rules, word_set


@lru_cache(maxsize=1)
def _rules():
    credits = [re.compile(rule["pattern"]) for rule in load_rules("secondhand") if rule["kind"] == "credits_outlet"]
    firsthand = [re.compile(rule["pattern"], re.I) for rule in load_rules("secondhand") if rule["kind"] == "firsthand"]
    outlets = {rule["name"].lower(): rule["name"] for rule in load_rules("outlets")}
    suffixes = word_set("outlet_words", "term", role="suffix")
    return credits, firsthand, outlets, suffixes


def outlet_named(phrase: str) -> str | None:
    """The outlet a captured name stands for ("CNN's State of the Union" → CNN), if it is one."""
    _, _, outlets, suffixes = _rules()
    words = re.sub(r"[’']s\b.*$", "", re.sub(r"^The\s+", "", phrase)).split()
    for end in range(len(words), 0, -1):  # longest known name first
        candidate = " ".join(words[:end]).strip(".,")
        if candidate.lower() in outlets:
            return outlets[candidate.lower()]
        if end > 1 and candidate.split()[-1].lower() in suffixes:
            return candidate
    return None


def _credited_outlet(sentence: str, host: str | None) -> tuple[str, bool] | None:
    """(outlet, is the publisher) for the first outlet the sentence credits a quote to."""
    credits, _, _, _ = _rules()
    for pattern in credits:
        for match in pattern.finditer(sentence):
            phrase = match.group("outlet")
            outlet = outlet_named(phrase)
            own = outlet_is_publisher(outlet or phrase, host) or (outlet is not None and outlet_is_publisher(phrase, host))
            if outlet or own:
                return (outlet or phrase), own
    return None


def mark_secondhand(attributions, text: str, links, url: str | None = None) -> None:
    """Set `attribution.secondhand` to the outlet's name for quotes taken from another outlet."""
    host = host_from_url(url)
    linked = RangeIndex((link["start"], link["end"]) for link in links or [])
    by_sentence: dict[tuple[int, int], str | None] = {}
    for attribution in attributions:
        start, end = attribution.sentence
        if (start, end) not in by_sentence:
            credited = None if linked.overlaps(start, end) else _credited_outlet(text[start:end], host)
            by_sentence[(start, end)] = credited[0] if credited and not credited[1] else None
        attribution.secondhand = by_sentence[(start, end)]


def find_firsthand(text: str, url: str | None = None) -> list[EvidenceCue]:
    """Phrases showing the reporter spoke to a source: "told Reuters Health" (on reuters.com),
    "said in a telephone interview", "told us"."""
    credits, firsthand, _, _ = _rules()
    host = host_from_url(url)
    found = {}
    if host:
        for pattern in credits:
            for match in pattern.finditer(text):
                if outlet_is_publisher(match.group("outlet"), host) or outlet_is_publisher(
                        outlet_named(match.group("outlet")) or "", host):
                    found.setdefault(match.start(), ("firsthand_own_outlet", match))
    for rule, pattern in zip(("interview", "told_us", "interview_lead"), firsthand):
        for match in pattern.finditer(text):
            found.setdefault(match.start(), (f"firsthand_{rule}", match))
    return [EvidenceCue("firsthand", rule, "the reporter spoke to the source", m.start(), m.end(),
                        " ".join(m.group(0).split())) for _, (rule, m) in sorted(found.items())]
