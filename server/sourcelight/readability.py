"""Readability figures from textstat: how hard the article is to read, and how long it takes."""
from __future__ import annotations

import importlib
import inspect
import math
import pkgutil

import pyphen
import textstat

# pyphen (textstat's syllable counter) remembers the hyphenation of every word it has seen, for
# the process's life: a server fed new words grew ~1 MB per article. Past this many words the
# memory is emptied (the common words come back within an article or two).
MAX_HYPHENATED_WORDS = 50_000
WORDS_PER_MINUTE = 238  # average silent reading speed for non-fiction (Brysbaert 2019)


def _text_caches() -> list:
    """textstat's per-text memo caches (lru_cache, 128 texts each, with their word lists).

    A server never asks about the same text twice (it has its own cache of answers), so these
    only hold memory: up to 128 articles' texts, punctuation-free copies and word lists, several
    MB each for the longest accepted texts. They are emptied after each article. The syllable
    dictionary and other per-language tables (first parameter not `text`) are kept.
    """
    import textstat.backend as backend
    caches = []
    for info in pkgutil.walk_packages(backend.__path__, backend.__name__ + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if getattr(value, "__module__", None) != info.name or not callable(getattr(value, "cache_clear", None)):
                continue
            try:
                first = next(iter(inspect.signature(value).parameters), None)
            except (TypeError, ValueError):
                continue
            if first == "text":
                caches.append(value)
    return caches


TEXT_CACHES = _text_caches()


def warm_up() -> None:
    """textstat loads its syllable dictionary on first use (~1 s): pay that at start-up."""
    textstat.flesch_reading_ease("The model is warm. Readers wait for nothing.")
    _forget_texts()


def readability(text: str, words: int) -> dict:
    if words == 0:
        return {"flesch_reading_ease": None, "grade_level": None, "reading_minutes": 0}
    result = {
        "flesch_reading_ease": round(float(textstat.flesch_reading_ease(text)), 1),
        "grade_level": round(float(textstat.flesch_kincaid_grade(text)), 1),
        "reading_minutes": max(1, math.ceil(words / WORDS_PER_MINUTE)),
    }
    _forget_texts()  # after both figures: they share the word and syllable counts
    return result


def _forget_texts() -> None:
    for cache in TEXT_CACHES:
        cache.cache_clear()
    for dictionary in getattr(pyphen, "hdcache", {}).values():
        words = getattr(dictionary, "cache", None)
        if isinstance(words, dict) and len(words) > MAX_HYPHENATED_WORDS:
            words.clear()
