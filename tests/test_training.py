"""The cue model's training rows (scripts/train_attribution.py), read the way the detector reads."""
from __future__ import annotations

import sys
from pathlib import Path

from sourcelight.detectors.candidates import find_candidates
from sourcelight.detectors.cues import CueLexicon

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from train_attribution import inside_reported_content  # noqa: E402


def test_a_candidate_inside_another_ones_content_is_not_a_training_row(nlp):
    # The detector keeps one level of reporting, so the model is never taught on "says" here.
    doc = nlp("He said he plans to use the $18 million he says he raised for his campaign.")
    nested = inside_reported_content(list(find_candidates(doc)), CueLexicon())
    assert "says" in {doc[i].text for i in nested}
    assert "said" not in {doc[i].text for i in nested}


def test_side_by_side_candidates_are_both_training_rows(nlp):
    doc = nlp("The mayor said the bridge would reopen in May. Engineers say the repairs are nearly done.")
    nested = {doc[i].text for i in inside_reported_content(list(find_candidates(doc)), CueLexicon())}
    assert not nested & {"said", "say"}
    assert "reopen" in nested  # a verb of the mayor's own words is no row either
