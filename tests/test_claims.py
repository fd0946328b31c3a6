"""Unattributed claims: checkable facts and sweeping judgements nobody stands behind."""
from __future__ import annotations

import pytest

from helpers_analysis import labels

POSITIVES = [
    "While his domestic policies have garnered widespread support, his foreign policy has faced mounting criticism.",
    "His personal involvement in the decision has also come under scrutiny.",
    "The new tax killed 4,000 jobs in the first year alone across the state.",
]


@pytest.mark.parametrize("text", POSITIVES)
def test_flags_unattributed_claim(analyse, text):
    assert len(labels(analyse(text), "unattributed")) == 1


NEGATIVES = [
    "The mayor said the repairs would cost $5 million and take a year.",
    "Critics say the plan has faced mounting criticism from all sides.",
    "The weather was pleasant on Tuesday afternoon in the city.",
    "The strikes may draw widespread criticism from allies next year.",
    "Did the new tax really kill 4,000 jobs in the first year?",
    "Budget.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_unattributed_claim(analyse, text):
    assert labels(analyse(text), "unattributed") == []


def test_carry_over_from_an_attributed_sentence(analyse):
    text = "The report said 12 people died in the fire. It also found that 40 were injured."
    assert labels(analyse(text), "unattributed") == []


@pytest.mark.parametrize("text", [
    "We put together five sets of questions for the candidates this week.",
    "(5) It was a marriage of convenience for both of the families involved.",
    "It was one of the files given to the newspaper by its reporters last year.",
])
def test_small_counts_are_not_statistics(analyse, text):
    assert labels(analyse(text), "unattributed") == []
