"""What an article says about the evidence behind it, read from the wording.

Four families of phrases (rules/evidence.jsonl), each a sign of how the reporting treats its
sources: it leans on a **news release** (the issuer's own words; a statement from a named
official is an on-the-record source and is not counted here); it names **who
paid** or other conflicts of interest; it states the **limits of the evidence** (observational,
small, in mice, cannot prove cause); it uses **promotional words** (breakthrough, miracle) that
overstate what a source shows. HealthNewsReview's criteria ask for exactly these, and on the
FakeHealth development stories each tracks the experts' stars beyond article length
(docs/scoring.md).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .rules import load_rules

FAMILIES = ("news_release", "conflicts", "caveats", "hype")


@dataclass(frozen=True)
class EvidenceCue:
    family: str
    rule: str
    label: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _patterns() -> dict[str, list[tuple[str, str, re.Pattern]]]:
    families: dict[str, list] = {family: [] for family in FAMILIES}
    for rule in load_rules("evidence"):
        families[rule["family"]].append((rule["id"], rule["label"], re.compile(rule["pattern"], re.I)))
    return families


def find_evidence_cues(text: str) -> dict[str, list[EvidenceCue]]:
    """Every match of every family, in text order (one pass of each pattern over the text)."""
    found: dict[str, list[EvidenceCue]] = {}
    for family, patterns in _patterns().items():
        cues = [EvidenceCue(family, rule, label, m.start(), m.end(), m.group(0))
                for rule, label, pattern in patterns for m in pattern.finditer(text)]
        found[family] = sorted(cues, key=lambda c: c.start)
    return found
