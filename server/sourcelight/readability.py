"""Readability figures from textstat: how hard the article is to read, and how long it takes."""
from __future__ import annotations

import math

import textstat

WORDS_PER_MINUTE = 238  # average silent reading speed for non-fiction (Brysbaert 2019)


def warm_up() -> None:
    """textstat loads its syllable dictionary on first use (~1 s): pay that at start-up."""
    textstat.flesch_reading_ease("The model is warm. Readers wait for nothing.")


def readability(text: str, words: int) -> dict:
    if words == 0:
        return {"flesch_reading_ease": None, "grade_level": None, "reading_minutes": 0}
    return {
        "flesch_reading_ease": round(float(textstat.flesch_reading_ease(text)), 1),
        "grade_level": round(float(textstat.flesch_kincaid_grade(text)), 1),
        "reading_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
    }
