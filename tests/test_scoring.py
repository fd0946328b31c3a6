"""The score: explained by its reasons, graded, and ordered the way a careful reader would order articles."""
from __future__ import annotations

STRONG = """The city council voted 7-2 on Tuesday to approve the new budget, according to the council's published minutes.
"This budget protects every library branch," said Mayor Ana Ruiz in a statement after the vote.
Council member Tom Becker, who voted against it, said the plan relied on optimistic revenue forecasts.
A report by the state auditor found that the city's reserves had fallen by 12 percent since 2019.
"We cannot keep spending reserves," Becker told reporters outside City Hall.
The auditor's office said it would review the budget again in the spring.
Ruiz said she expected the forecasts to hold, citing figures from the county treasurer.
The treasurer, Lisa Park, confirmed that the figures had been updated in March."""

WEAK = """Critics say the new budget is a disaster waiting to happen for the whole city.
Sources close to the council have revealed that the mayor ignored warnings from staff.
Some observers believe the plan will collapse within a year.
The budget has faced mounting criticism and has drawn widespread outrage from residents.
Insiders familiar with the talks claim the numbers were changed at the last minute.
It is rumored that several members may resign before the spring.
Many experts doubt the revenue forecasts will hold.
The plan has also come under scrutiny from unnamed groups across the region."""


def test_reasons_explain_the_score(analyse):
    for text in (STRONG, WEAK):
        summary = analyse(text)["summary"]
        assert summary["score"] == max(0, min(100, 50 + sum(r["effect"] for r in summary["reasons"])))
        assert all(r["text"].endswith(".") and r["code"] for r in summary["reasons"])


def test_named_sourcing_scores_above_anonymous_and_vague(analyse):
    strong, weak = analyse(STRONG)["summary"], analyse(WEAK)["summary"]
    assert strong["score"] > weak["score"] + 25
    assert strong["grade"] in ("strong", "mixed")
    assert weak["grade"] == "weak"
    assert weak["counts"]["anonymous"] >= 2 and weak["counts"]["vague"] >= 3


def test_too_little_text_is_insufficient(analyse):
    summary = analyse("Officials said the road is closed.")["summary"]
    assert summary["grade"] == "insufficient" and summary["score"] is None
    assert summary["reasons"][0]["code"] == "insufficient_text"


def test_readability(analyse):
    readability = analyse(STRONG)["summary"]["readability"]
    assert 0 < readability["flesch_reading_ease"] < 100
    assert readability["grade_level"] > 0
    assert readability["reading_minutes"] >= 1
