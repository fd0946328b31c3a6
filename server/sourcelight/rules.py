"""Word lists and patterns live in rules/*.jsonl (one JSON object a line, each with an `id`).

Code asks for a list by name; the files are read once per process.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import srsly


@lru_cache(maxsize=None)
def load_rules(name: str) -> tuple[dict, ...]:
    path = resources.files("sourcelight") / "rules" / f"{name}.jsonl"
    with resources.as_file(path) as real_path:
        return tuple(srsly.read_jsonl(real_path))


@lru_cache(maxsize=None)
def word_set(name: str, key: str = "term", **where) -> frozenset[str]:
    """The lower-cased `key` values of the rules in `name` whose fields match `where`."""
    return frozenset(
        str(rule[key]).lower()
        for rule in load_rules(name)
        if all(rule.get(k) == v for k, v in where.items())
    )


@lru_cache(maxsize=None)
def lookup(name: str, key: str = "term") -> dict[str, dict]:
    """The rules of `name` indexed by their lower-cased `key`."""
    return {str(rule[key]).lower(): rule for rule in load_rules(name)}
