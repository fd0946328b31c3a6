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


@lru_cache(maxsize=2)
def _patterns(ignore_case: bool = False) -> dict[str, tuple[re.Pattern, list[tuple[str, str]]]]:
    """One alternation per family (a named group per rule), so the text is scanned once a family.
    The rules are written in lower case and run on the lower-cased text: ten times faster than
    case-insensitive matching."""
    rules: dict[str, list] = {family: [] for family in FAMILIES}
    for rule in load_rules("evidence"):
        rules[rule["family"]].append(rule)
    compiled = {}
    for family, members in rules.items():
        alternation = "|".join(f"(?P<r{i}>{rule['pattern']})" for i, rule in enumerate(members))
        compiled[family] = (re.compile(alternation, re.I if ignore_case else 0),
                            [(rule["id"], rule["label"]) for rule in members])
    return compiled


def find_evidence_cues(text: str) -> dict[str, list[EvidenceCue]]:
    """Every match of every family, in text order."""
    found: dict[str, list[EvidenceCue]] = {}
    lowered = text.lower()
    same_offsets = len(lowered) == len(text)  # a few characters ("İ") lower-case to two
    for family, (pattern, rules) in _patterns(ignore_case=not same_offsets).items():
        cues = []
        for match in pattern.finditer(lowered if same_offsets else text):
            rule, label = rules[int(match.lastgroup[1:])]
            cues.append(EvidenceCue(family, rule, label, match.start(), match.end(), text[match.start():match.end()]))
        found[family] = cues
    return found
