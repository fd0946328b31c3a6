"""The learned content boundary (detectors/content_end.py): which contents may run on to their
sentence's end, what the model reads there, and its place in the detector."""
from __future__ import annotations

import json

import pytest

from helpers_analysis import find_attribution
from sourcelight.detectors.content_end import MODEL_PATH, ContentEndModel, rest_features, sentence_rest


def _record_parts(doc, cue_word: str):
    record = next(r for r in doc._.attributions if doc[r["cue_head"]].text == cue_word)
    others = [(r[role][0], r[role][1]) for r in doc._.attributions for role in ("source", "cue") if r.get(role)]
    return record, others


def test_a_content_the_parse_cut_short_runs_on_to_the_sentence_end(analyse):
    # The parser gives "makes" only "this clear"; the rest of the sentence is the same statement.
    result = analyse("The director makes this clear in her stunning new documentary about the prisons.")
    found = find_attribution(result, cue="makes")
    assert found is not None
    assert found["content_text"] == "this clear in her stunning new documentary about the prisons"
    content = next(s for s in result["spans"] if s["text"] == found["content_text"])
    assert "learned content boundary, p = " in content["why"]


def test_a_writers_contrast_is_never_offered_to_the_model(nlp):
    doc = nlp("The lawyer said that Mr. Clarke had the backing of the judge, but that was not the case.")
    record, others = _record_parts(doc, "said")
    assert sentence_rest(doc, record["content"], record["cue"], others) is None


def test_a_rest_holding_another_attribution_is_not_offered(nlp):
    doc = nlp("The mayor announced the plan on Monday, while critics warned that it would fail.")
    record, others = _record_parts(doc, "announced")
    assert sentence_rest(doc, record["content"], record["cue"], others) is None
    # Without the other attribution's words in the way, the same content would be offered.
    assert sentence_rest(doc, record["content"], record["cue"], [(record["cue"][0], record["cue"][1])]) is not None


def test_the_features_read_the_words_after_the_content(nlp):
    doc = nlp("The director makes this clear in her stunning new documentary about the prisons.")
    clause, rest = doc[3:5], doc[5:len(doc) - 1]  # "this clear" | "in her stunning … prisons"
    features = rest_features(clause, rest)
    # Function words stand as themselves, other words by their part of speech.
    assert {"first=in", "second=her", "first_pair=in|her", "first_head_in=before", "rest_len=7-15"} <= set(features)
    assert "rest_verb" not in features and "rest_comma" not in features


def test_the_model_file_is_fitted_on_training_data_only():
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    assert "training-split" in data["provenance"] and "No dev data used" in data["provenance"]
    model = ContentEndModel(data)
    assert 0.0 < model.threshold < 1.0 and len(model.weights) > 50
    assert model.probability([]) == pytest.approx(1 / (1 + pow(2.718281828459045, -data["bias"])), rel=1e-6)
