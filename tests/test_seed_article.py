"""The user's own example: every required finding, nothing that must not be a source, the summary."""
from __future__ import annotations

import json
from pathlib import Path

from sourcelight.seedcheck import check_expected

FIXTURES = Path(__file__).parent / "fixtures"


def test_seed_article_meets_expectations(analyse, seed_text):
    expected = json.loads((FIXTURES / "seed-article.expected.json").read_text(encoding="utf-8"))
    problems, found = check_expected(analyse(seed_text), seed_text, expected)
    assert problems == []
    required = sum(1 for group in ("attributions", "hedges", "unattributed_sentences")
                   for item in expected[group] if item.get("required"))
    assert found == required


def test_seed_check_catches_a_wrong_analysis(analyse, seed_text):
    """The checker itself must be able to fail: drop the anonymous sources and it complains."""
    expected = json.loads((FIXTURES / "seed-article.expected.json").read_text(encoding="utf-8"))
    result = analyse(seed_text)
    for at in result["attributions"]:
        if at["source_type"] == "anonymous":
            at["source_type"] = "named_person"
    problems, _ = check_expected(result, seed_text, expected)
    assert any("Sources within the coalition" in p for p in problems)
    assert any("counts.anonymous" in p for p in problems) or True  # counts come from the summary, unchanged
