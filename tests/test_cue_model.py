"""The learned cue model (detectors/cue_model.py): scoring, explanations, and its place after the lexicon."""
from __future__ import annotations

import math

import numpy as np
import pytest

from helpers_analysis import find_attribution
from sourcelight.detectors.cue_model import MODEL_PATH, CueModel, load_cue_model


def tiny_model(weights: dict, bias: float = -2.0, threshold: float = 0.5) -> CueModel:
    return CueModel({"weights": weights, "bias": bias, "threshold": threshold,
                     "dense": [0.0] * 96, "dense_mean": [0.0] * 96, "dense_scale": [1.0] * 96})


def test_score_is_the_logistic_of_the_summed_weights():
    model = tiny_model({"lemma=pound": 3.0, "rel=ccomp": 0.5, "src=PROPN": -0.25})
    p, strongest = model.score(["lemma=pound", "rel=ccomp", "src=PROPN", "unknown=feature"], None)
    assert p == pytest.approx(1 / (1 + math.exp(-(-2.0 + 3.0 + 0.5 - 0.25))))
    assert [name for name, _ in strongest] == ["lemma=pound", "rel=ccomp"]  # only what pushed it up, strongest first
    assert model.explain(strongest) == "the word “pound”; content as ccomp"


def test_dense_part_uses_the_standardised_vector():
    data = {"weights": {}, "bias": 0.0, "threshold": 0.5, "dense": [1.0] + [0.0] * 95,
            "dense_mean": [2.0] * 96, "dense_scale": [0.5] * 96}
    model = CueModel(data)
    vector = np.full(96, 2.0, dtype=np.float32)
    vector[0] = 3.0  # (3 - 2) / 0.5 = 2 standard units
    p, _ = model.score([], vector)
    assert p == pytest.approx(1 / (1 + math.exp(-2.0)))
    assert model.score([], np.zeros(10, dtype=np.float32))[0] == pytest.approx(0.5)  # wrong width: ignored


def test_candidate_vector_reads_cue_source_and_content_rows(analyzer):
    from sourcelight.detectors.candidates import find_candidates
    from sourcelight.detectors.cue_model import DENSE_PARTS, candidate_vector, context_vector

    doc = analyzer.nlp("The minister said that the talks had failed.")
    candidate = next(c for c in find_candidates(doc) if c.head.text == "said")
    vector = candidate_vector(candidate, DENSE_PARTS)
    assert vector.shape == (96 * 3,)
    assert np.array_equal(vector[:96], context_vector(candidate.head))
    assert np.array_equal(vector[96:192], context_vector(candidate.source.root))  # "minister"
    assert np.array_equal(vector[192:], context_vector(candidate.content.root))  # "failed"
    assert np.array_equal(candidate_vector(candidate, ("head",)), vector[:96])


def test_switch_off_for_ablations(monkeypatch):
    monkeypatch.setenv("SOURCELIGHT_CUE_MODEL", "off")
    assert load_cue_model() is None
    monkeypatch.delenv("SOURCELIGHT_CUE_MODEL")
    assert (load_cue_model() is not None) == MODEL_PATH.exists()


def test_shipped_model_is_small_data_with_provenance():
    import json
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert MODEL_PATH.stat().st_size < 10 * 1024 * 1024
    assert "training-split" in data["provenance"] and "No dev data" in data["provenance"]
    assert 0.3 <= data["threshold"] <= data["override_threshold"] < 1.0
    assert len(data["dense"]) == len(data["dense_mean"]) == 96 * len(data["dense_parts"])
    assert 0.0 <= data["veto_threshold"] < data["threshold"]
    # Fitted on the features candidate_features makes now (a stale file would miss whole families).
    families = {name.partition("=")[0] for name in data["weights"]}
    assert {"lemma", "rel", "src", "head", "content_lemma", "sent_pos", "prev"} <= families
    if data["weighs_lexicon"]:
        assert data["weights"]["lexicon=accepts"] > data["weights"]["lexicon=is silent"]


@pytest.fixture()
def with_model(analyzer):
    """Swap the attribution detector's model for a made-up one, and put the real one back."""
    from sourcelight.detectors.attribution import AttributionDetector

    pipe = analyzer.nlp.get_pipe("sourcing_attribution")  # guarded(): the detector is in the closure
    detector = next(cell.cell_contents for cell in pipe.__closure__ if isinstance(cell.cell_contents, AttributionDetector))
    saved = detector.model

    def use(model):
        detector.model = model
    yield use
    detector.model = saved


def test_model_adds_a_cue_the_lexicon_lacks_and_says_why(analyse, with_model):
    text = "The senator lambasted the governor for the delays in the budget."
    with_model(None)
    assert find_attribution(analyse(text), cue="lambasted") is None  # the rules alone do not know the word
    with_model(tiny_model({"lemma=lambast": 5.0}))
    found = find_attribution(analyse(text), cue="lambasted")
    assert found is not None and "senator" in found["source_text"] and "governor" in found["content_text"]
    result = analyse(text)
    cue = next(s for s in result["spans"] if s["id"] == found["cue"])
    assert "learned cue model" in cue["why"] and "p = 0.95" in cue["why"] and "“lambast”" in cue["why"]


def test_model_never_overrules_the_hard_refusals(analyse, with_model):
    # Speech that has not happened ("wants to tell") stays out whatever the model says.
    with_model(tiny_model({"lemma=tell": 10.0, "lemma=want": 10.0}, bias=5.0))
    result = analyse("The mayor wants to tell residents that the water is safe.")
    assert find_attribution(result, cue="tell") is None


def test_model_below_threshold_adds_nothing(analyse, with_model):
    with_model(tiny_model({"lemma=lambast": 1.0}))  # p = 0.27 < 0.5
    assert find_attribution(analyse("The senator lambasted the governor for the delays."), cue="lambasted") is None


def test_model_vetoes_a_lexicon_cue_it_finds_very_unlikely(analyse, with_model):
    text = "The minister said that the talks had failed after midnight."
    vetoing = tiny_model({"lemma=say": -6.0})
    vetoing.veto_threshold = 0.3  # p = 0.0003
    with_model(vetoing)
    assert find_attribution(analyse(text), cue="said") is None
    vetoing.veto_threshold = 0.0  # no veto: the lexicon's cue stands
    assert find_attribution(analyse(text), cue="said") is not None


def weighing_model(weights: dict, threshold: float = 0.5) -> CueModel:
    model = tiny_model(weights, bias=0.0, threshold=threshold)
    model.weighs_lexicon = True
    return model


def test_a_model_that_weighs_the_lexicon_decides_both_ways(analyse, with_model):
    said = "The minister said that the talks had failed after midnight."
    lambasted = "The senator lambasted the governor for the delays in the budget."
    # The lexicon's acceptance is one feature among others: strong enough alone …
    with_model(weighing_model({"lexicon=accepts": 2.0, "lexicon=is silent": -2.0}))
    assert find_attribution(analyse(said), cue="said") is not None
    assert find_attribution(analyse(lambasted), cue="lambasted") is None
    # … outweighed by the rest of the evidence (here one made-up weight) …
    with_model(weighing_model({"lexicon=accepts": 2.0, "lemma=say": -4.0}))
    assert find_attribution(analyse(said), cue="said") is None
    # … and a silent lexicon does not stop a cue the model is sure of, with a why that leaves the lexicon out.
    with_model(weighing_model({"lexicon=is silent": 0.5, "lemma=lambast": 4.0}))
    found = find_attribution(analyse(lambasted), cue="lambasted")
    assert found is not None
    cue = next(s for s in analyse(lambasted)["spans"] if s["id"] == found["cue"])
    assert "“lambast”" in cue["why"] and "lexicon" not in cue["why"]


def test_evidence_verbs_are_never_vetoed(analyse, with_model):
    # "A CT scan showed …": the model learned political news, where such evidence cues are rare.
    vetoing = tiny_model({"lemma=show": -6.0})
    vetoing.veto_threshold = 0.3
    with_model(vetoing)
    found = find_attribution(analyse("A CT scan showed that the tumor had shrunk by half."), cue="showed")
    assert found is not None and found["source_type"] == "document"
