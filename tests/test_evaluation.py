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


def _span(text: str, phrase: str) -> list:
    start = text.index(phrase)
    return [[{"start": start, "end": start + len(phrase), "text": phrase}]]


def test_eval_command_runs_every_section_on_a_small_shared_folder(tmp_path, capsys):
    """`sourcelight eval` end to end on a made-up folder laid out like ../shared/eval:
    every section (attributions, source types, weasel sentences, seed) runs and prints its table."""
    import csv
    import json

    from sourcelight.config import Settings
    from sourcelight.evaluation import run_evaluation

    text = ("Maria Lopez, the mayor, said the bridge would reopen in May. "
            "Sources familiar with the talks said the deal was close. Critics say the plan is too costly.")
    attributions = [
        {"id": "E1", "source": _span(text, "Maria Lopez, the mayor"), "cue": _span(text, "said"),
         "content": _span(text, "the bridge would reopen in May")},
        {"id": "E2", "source": _span(text, "Sources familiar with the talks"),
         "cue": [[{"start": text.index("said the deal"), "end": text.index("said the deal") + 4}]],
         "content": _span(text, "the deal was close")},
        {"id": "E3", "source": _span(text, "Critics"), "cue": _span(text, "say"),
         "content": _span(text, "the plan is too costly")},
    ]
    polnear = tmp_path / "eval" / "polnear"
    polnear.mkdir(parents=True)
    (polnear / "dev.jsonl").write_text(json.dumps(
        {"id": "a1", "annotator": "x", "text": text, "attributions": attributions}) + "\n")
    labels = [("E1", "Maria Lopez, the mayor", "named_person"), ("E2", "Sources familiar with the talks", "anonymous"),
              ("E3", "Critics", "vague")]
    (polnear / "source-types.dev.jsonl").write_text("".join(json.dumps(
        {"article_id": "a1", "annotator": "x", "attribution_id": i, "start": text.index(s), "end": text.index(s) + len(s),
         "source_text": s, "source_type": t, "anonymity_reason_given": False if t == "anonymous" else None}) + "\n"
        for i, s, t in labels))
    weasel = tmp_path / "eval" / "wiki-weasel"
    weasel.mkdir()
    with open(weasel / "train.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        writer.writerow(["Some experts believe the tower is the oldest in Europe.", 1])
        writer.writerow(["The tower was completed in 1887 by a local builder.", 0])

    # Made-up health stories with made-up star ratings, and made-up articles with genre labels.
    good = ("A small trial of a new asthma inhaler, funded by Brellan Labs, found fewer attacks over a year. "
            "Dr. Ona Reyes, a lung specialist at Hillcrest Hospital who was not involved in the study, said the "
            "trial was too small to show rare side effects. The study could not prove the inhaler works for "
            "children, the researchers cautioned. Dr. Ian Moss of Lakeview University said older inhalers cost less. "
            "\"We need longer trials,\" Reyes told us in a telephone interview. Brellan paid for the study.")
    poor = ("Brellan Labs announced a breakthrough inhaler on Monday in a news release. The company said the "
            "inhaler is a miracle for people with asthma. \"This is revolutionary,\" said Brellan chief executive "
            "Tom Hale. The company said sales would begin next month. Hale said demand would be strong. "
            "The company said the inhaler was the most promising product in its history. Brellan said the "
            "inhaler would be sold in every state by the end of the year and that doctors were eager to use it. "
            "Hale said the company would spend heavily on advertising.")
    fakehealth = tmp_path / "eval" / "fakehealth"
    fakehealth.mkdir()
    (fakehealth / "dev.jsonl").write_text("".join(
        json.dumps({"id": f"fh{i}", "title": "Inhaler news", "text": t, "outlet": "example.com",
                    "url": "https://example.com/a", "rating": r}) + "\n"
        for i, (t, r) in enumerate([(good, 5), (poor, 1), (good, 4), (poor, 2)])))
    genre = tmp_path / "eval" / "genre"
    genre.mkdir()
    corpus = tmp_path / "corpus" / "horne2017"
    corpus.mkdir(parents=True)
    (corpus / "articles.jsonl").write_text("".join(
        json.dumps({"id": i, "title": "Bridge", "text": t}) + "\n" for i, t in (("g1", good), ("g2", poor))))
    (genre / "horne2017.genre.jsonl").write_text("".join(
        json.dumps({"id": i, "genre": "report", "unsure": False}) + "\n" for i in ("g1", "g2")))

    assert run_evaluation(str(tmp_path), settings=Settings.load()) == 0
    out = capsys.readouterr().out
    assert "Validity — FakeHealth dev: score against expert stars (4 stories" in out
    assert "score, all stories" in out and "mean stars by grade" in out
    assert "PolNeAR dev — attributions (1 articles, 3 gold" in out
    assert "source types on the hand-labelled gold source spans (3 spans)" in out
    assert "accuracy 1.000" in out  # a named person, an anonymous and a vague source: all plain cases
    assert "Wikipedia weasel/hedge sentences (2 sentences, 1 uncertain)" in out
    assert "Seed article: 20 required findings matched, 0 problems" in out
    assert "Genre" in out


def test_eval_says_which_sections_it_skips_when_their_data_is_missing(tmp_path, capsys):
    from sourcelight.config import Settings
    from sourcelight.evaluation import run_evaluation
    (tmp_path / "eval").mkdir()
    assert run_evaluation(str(tmp_path), settings=Settings.load(), only=["validity", "genre"]) == 0
    out = capsys.readouterr().out
    assert "skipped validity: no " in out and "skipped genre: no " in out


def test_follow_on_quote_is_scored_as_more_of_the_earlier_attribution():
    from sourcelight.evaluation import predicted_attributions

    spans = [{"id": "s1", "start": 0, "end": 5}, {"id": "c1", "start": 6, "end": 10},
             {"id": "q1", "start": 11, "end": 30}, {"id": "q2", "start": 32, "end": 60},
             {"id": "s2", "start": 70, "end": 75}, {"id": "q3", "start": 80, "end": 90}]
    response = {"spans": spans, "attributions": [
        {"source": "s1", "cue": "c1", "content": "q1"},
        {"source": "s1", "cue": None, "content": "q2", "inferred": "follow_on"},
        # no earlier attribution of this source: kept, with no source of its own
        {"source": "s2", "cue": None, "content": "q3", "inferred": "follow_on"},
    ]}
    predicted = predicted_attributions(response)
    assert len(predicted) == 2
    assert predicted[0]["content"] == (11, 60) and predicted[0]["cue"] == (6, 10)
    assert predicted[1]["source"] is None and predicted[1]["content"] == (80, 90)
