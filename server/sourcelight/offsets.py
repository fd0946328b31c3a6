"""Offset units: Python code points inside, UTF-16 code units (JavaScript's) across the API.

All conversion lives here so nothing else has to think about surrogate pairs.
"""
from __future__ import annotations

import re
from functools import lru_cache
from bisect import bisect_right

UNITS = ("utf16", "codepoints")
ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
# A surrogate code point in a Python str is always unpaired: JSON's escaped pairs decode to one
# astral character. Browsers send them when a page cuts an emoji in half ("\ud83d" in JSON).
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# Longest run of punctuation, symbols, emoji or underscores (no letter, digit or space) read as it is.
MAX_SYMBOL_RUN = 100
SYMBOL_RUN = re.compile(r"(?<![^\w\s]|_)(?:[^\w\s]|_){%d,}" % (MAX_SYMBOL_RUN + 1))


class OffsetMap:
    """Converts code-point offsets of one text to another unit, in O(log n) per offset."""

    def __init__(self, text: str, unit: str = "utf16"):
        if unit not in UNITS:
            raise ValueError(f"unknown offset unit {unit!r}")
        self.unit = unit
        # Code-point positions of characters outside the BMP: each takes two UTF-16 units.
        self._astral = [m.start() for m in ASTRAL.finditer(text)] if unit == "utf16" and not text.isascii() else []

    def to_unit(self, codepoint_offset: int) -> int:
        if not self._astral:
            return codepoint_offset
        return codepoint_offset + bisect_right(self._astral, codepoint_offset - 1)

    def from_unit(self, unit_offset: int) -> int:
        """Inverse of to_unit; an offset inside a surrogate pair snaps to the character's start."""
        if not self._astral:
            return unit_offset
        lo, hi = 0, unit_offset
        while lo < hi:  # smallest code point c with to_unit(c) >= unit_offset
            mid = (lo + hi) // 2
            if self.to_unit(mid) < unit_offset:
                lo = mid + 1
            else:
                hi = mid
        return lo if self.to_unit(lo) == unit_offset else lo - 1


def utf16_len(text: str) -> int:
    return len(text) if text.isascii() else len(text) + sum(1 for _ in ASTRAL.finditer(text))


def utf16_slice(text: str, start: int, end: int) -> str:
    """text[start:end] with UTF-16 offsets, as JavaScript's String.prototype.slice would do it."""
    encoded = text.encode("utf-16-le", "surrogatepass")
    return encoded[2 * start : 2 * end].decode("utf-16-le", "surrogatepass")


def has_lone_surrogates(text: str) -> bool:
    return not text.isascii() and LONE_SURROGATE.search(text) is not None


def model_text(text: str) -> str:
    """The text the model reads: `text` with two kinds of non-prose neutralised, character for
    character, so every code-point offset into it is an offset into `text` (and the UTF-16 map is
    still built from `text` itself).

    - Lone surrogates are not Unicode characters and spaCy cannot hash them: each becomes U+FFFD.
    - Datelines and photo credits (rules/non_prose.jsonl) become spaces: they are not claims and
      name no source ("(CNN)Voters said" must not make "CNN)Voters" an organisation).
    - A run of more than MAX_SYMBOL_RUN punctuation/symbol/emoji/underscore characters with no
      letter, digit or space is not prose, and spaCy's tokenizer peels such a run one character at a time,
      re-scanning the rest each time: 8,000 quote marks take 6 s, 50,000 over three minutes. Such a
      run is read as a run of hyphens (one punctuation token).
    """
    if not text.isascii():
        text = LONE_SURROGATE.sub("\ufffd", text)
    text = SYMBOL_RUN.sub(lambda match: "-" * len(match.group()), text)
    for pattern, needs in _non_prose():
        if any(word in text for word in needs):  # a substring test is far cheaper than the pattern
            text = pattern.sub(_blank, text)
    return text


def _blank(match) -> str:
    """Spaces for a dateline or photo credit, newlines kept, so offsets stay the same."""
    return "".join(c if c in "\r\n" else " " for c in match.group())


@lru_cache(maxsize=1)
def _non_prose() -> tuple:
    """Datelines ("(CNN)", "WASHINGTON (Reuters) -") and photo credits ("REUTERS/Jane Doe/File
    Photo"): rules/non_prose.jsonl. They are blanked for the model, so no source is read from them."""
    from .rules import load_rules
    return tuple((re.compile(rule["pattern"]), tuple(rule["needs"])) for rule in load_rules("non_prose"))
