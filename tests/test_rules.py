"""The rule files are data: each must load, have unique ids, and use known kinds."""
from __future__ import annotations

from importlib import resources

import pytest
import srsly
from spacy.matcher import Matcher

from sourcelight.detectors.common import SOURCE_TYPES

RULE_FILES = sorted(p.name[:-6] for p in (resources.files("sourcelight") / "rules").iterdir()
                    if p.name.endswith(".jsonl"))


@pytest.mark.parametrize("name", RULE_FILES)
def test_rule_file_has_unique_ids(name):
    rows = list(srsly.read_jsonl(resources.files("sourcelight") / "rules" / f"{name}.jsonl"))
    if name != "cues_learned":
        assert rows, f"{name} is empty"
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids)), f"duplicate ids in {name}"


@pytest.mark.parametrize("name", ["hedges", "claims"])
def test_token_patterns_are_valid(nlp, name):
    matcher = Matcher(nlp.vocab, validate=True)
    for row in srsly.read_jsonl(resources.files("sourcelight") / "rules" / f"{name}.jsonl"):
        matcher.add(row["id"], [row["pattern"]])
        assert row["why"].endswith(".")


def test_cue_kinds_and_learned_counts():
    for row in srsly.read_jsonl(resources.files("sourcelight") / "rules" / "cues.jsonl"):
        assert row["kind"] in {"speech", "belief", "evidence"}
    for row in srsly.read_jsonl(resources.files("sourcelight") / "rules" / "cues_learned.jsonl"):
        assert 0 <= row["cue_count"] <= row["count"]
        assert abs(row["precision"] - row["cue_count"] / row["count"]) < 0.001


def test_source_lexicon_types():
    allowed = set(SOURCE_TYPES) | {"anonymous_plural", "organization", "person", "quantity"}
    for row in srsly.read_jsonl(resources.files("sourcelight") / "rules" / "source_lexicon.jsonl"):
        assert row["type"] in allowed
