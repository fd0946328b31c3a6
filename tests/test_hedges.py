"""Hedges, speculation and weasel wording — and the look-alikes that are not."""
from __future__ import annotations

import pytest

from helpers_analysis import labels

POSITIVES = [
    ("The minister reportedly resigned on Friday.", "reportedly"),
    ("The suspect allegedly fled the country in a stolen car.", "allegedly"),
    ("This has sparked rumors within the Pentagon about a power struggle.", "rumors"),
    ("The strikes may serve as a double-edged sword for the campaign.", "may"),
    ("It is believed that the group has left the city.", "It is believed"),
    ("The policy is widely regarded as a failure.", "widely regarded"),
    ("Some experts think the project is too expensive.", "Some experts"),
    ("Many people doubt the official figures.", "Many people"),
    ("The ruling could have been avoided entirely.", "could"),
    ("The data suggests a slowdown in hiring.", "suggests"),
]


@pytest.mark.parametrize("text,hedge", POSITIVES)
def test_finds_hedge(analyse, text, hedge):
    found = labels(analyse(text), "hedge")
    assert any(hedge.lower() in h.lower() for h in found), found


NEGATIVES = [
    "The law was signed in May 2020 by the governor.",
    "Players may not touch the ball with their hands.",
    "A visitor may park in the lot behind the museum.",
    "He could not attend the meeting because of the storm.",
    "Several people were injured in the crash on Route 9.",
    "The council approved the budget on Tuesday night.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_hedge(analyse, text):
    assert labels(analyse(text), "hedge") == []


@pytest.mark.parametrize("text,flagged", [
    ("There are claims that the vote was rigged in several counties.", True),
    ("His claim that the vote was rigged has been rejected by the courts.", False),
])
def test_unowned_claims(analyse, text, flagged):
    assert any("claim" in h for h in labels(analyse(text), "hedge")) is flagged


@pytest.mark.parametrize("rules_name", ["hedges", "claims"])
def test_anchored_matcher_finds_what_the_whole_doc_matcher_finds(nlp, rules_name):
    # AnchoredMatcher skips sentences that cannot match; it must never lose a match.
    from sourcelight.detectors.common import rule_matcher

    matcher, _rules = rule_matcher(nlp, rules_name)
    doc = nlp("The weather was fine. It is widely believed that the mayor may resign. Critics say the plan, "
              "which faced mounting criticism, is so-called reform. Nothing here. Some experts say it came under "
              "scrutiny; everyone knows it. There are reports that the claim that he lied is clearly unconfirmed.")
    whole = sorted(matcher.matcher(doc))
    assert len(whole) >= 4
    assert sorted(matcher(doc)) == whole
    assert not matcher(nlp("The weather was fine. The bus left at noon."))
