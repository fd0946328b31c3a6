"""The PolNeAR scorer: alignment and role matching behave as documented (and can fail)."""
from __future__ import annotations

from sourcelight.evaluation import AttributionScores, align, detokenize, gold_attributions, score_article

TEXT = "Smith said the plan failed. Jones told reporters it worked."


def gold():
    article = {"attributions": [
        {"source": [[{"start": 0, "end": 5}]], "cue": [[{"start": 6, "end": 10}]], "content": [[{"start": 11, "end": 26}]]},
        {"source": [[{"start": 28, "end": 33}]], "cue": [[{"start": 34, "end": 38}]],
         "content": [[{"start": 48, "end": 50}, {"start": 51, "end": 58}]]},
    ]}
    return gold_attributions(article)


def test_fragments_are_joined_first_to_last():
    assert gold()[1]["content"] == (48, 58)


def test_perfect_prediction_scores_one():
    scores = AttributionScores()
    score_article(gold(), gold(), TEXT, scores)
    assert scores.prf() == (1.0, 1.0, 1.0)
    for role in ("source", "cue", "content"):
        assert scores.roles[role].prf(exact=True) == (1.0, 1.0, 1.0)


def test_overlap_without_exact_boundaries():
    predicted = [{"source": (0, 3), "cue": (6, 10), "content": (11, 20)}]
    scores = AttributionScores()
    score_article(predicted, gold(), TEXT, scores)
    assert scores.roles["source"].tp_overlap == 1 and scores.roles["source"].tp_exact == 0
    assert scores.matched == 1
    assert scores.prf()[1] == 0.5  # one of two gold attributions found


def test_wrong_source_fails_the_attribution():
    predicted = [{"source": (28, 33), "cue": (6, 10), "content": (11, 20)}]
    scores = AttributionScores()
    score_article(predicted, gold(), TEXT, scores)
    assert scores.matched == 0


def test_alignment_is_one_to_one():
    predicted = [{"source": None, "cue": (6, 10), "content": None}, {"source": None, "cue": (6, 10), "content": None}]
    assert len(align(predicted, gold())) == 1


def test_detokenize_ptb():
    assert detokenize("He said `` no '' -LRB- twice -RRB- , and left .") == "He said “no” (twice), and left."
