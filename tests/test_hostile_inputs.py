"""Hostile texts cost time linear in their length (issue #12): doubling a text at most about
doubles its analysis time, for every family of pathological input a page could send."""
from __future__ import annotations

import time

import pytest

pytestmark = pytest.mark.slow

# Each family repeats its unit to the wanted length: texts with no sentence end anywhere.
HOSTILE_FAMILIES = {
    "no punctuation": "the minister explained plans for new roads ",
    "one giant sentence of clauses": "officials say, ",
    "repeated cues": "he said that ",
    "quote storm": '"yes" he said "no" ',
    "hyphen chain": "a-",
}
SIZE = 8_000  # characters, then twice that
MAX_RATIO = 2.5
REPEATS = 3  # the fastest of three runs: timings on a shared machine are noisy upwards only


def hostile(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def fastest_seconds(analyzer, text: str) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        started = time.perf_counter()
        analyzer.analyze_text(text)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("family", sorted(HOSTILE_FAMILIES))
def test_doubling_a_hostile_text_at_most_about_doubles_its_time(analyzer, family):
    unit = HOSTILE_FAMILIES[family]
    analyzer.analyze_text(hostile(unit, 1000))  # warm whatever this family touches first
    small = fastest_seconds(analyzer, hostile(unit, SIZE))
    large = fastest_seconds(analyzer, hostile(unit, 2 * SIZE))
    print(f"\n{family}: {SIZE} chars {small:.2f}s, {2 * SIZE} chars {large:.2f}s, ratio {large / small:.2f}")
    assert large / small <= MAX_RATIO


def test_over_long_runs_are_cut_before_the_parser(analyzer):
    """No "sentence" the detectors see is longer than the cut, whatever the text."""
    from sourcelight.detectors.paragraphs import MAX_RUN_TOKENS
    doc = analyzer.parse(hostile("he said that ", 20_000))
    assert max(len(sentence) for sentence in doc.sents) <= MAX_RUN_TOKENS


def test_long_texts_parsed_in_pieces_give_the_same_analysis(analyzer, seed_text, monkeypatch):
    """Past MAX_PIECE_TOKENS the model runs on pieces cut at paragraph breaks: the findings are
    the ones the whole text gets (here with pieces of 1,000 tokens, so a 2,900-token text is cut in three or more)."""
    import sourcelight.pipeline as pipeline
    from sourcelight.serialize import to_api
    text = "\n\n".join([seed_text] * 4)
    keys = lambda response: [(s["start"], s["end"], s["label"]) for s in response["spans"]]  # noqa: E731
    whole = to_api(analyzer.analyze_text(text), "codepoints")
    monkeypatch.setattr(pipeline, "MAX_PIECE_TOKENS", 1_000)
    assert len(pipeline.piece_bounds(analyzer.nlp.make_doc(text), pipeline.MAX_PIECE_TOKENS)) >= 3
    in_pieces = to_api(analyzer.analyze_text(text), "codepoints")
    assert keys(in_pieces) == keys(whole)
    assert in_pieces["summary"] == whole["summary"]


def test_an_analysis_stopped_midway_leaves_the_model_sound(analyzer, seed_text):
    """A budget that runs out inside the memory zone, after the lemmatizer has met new words:
    the next analyses of the same text still work (no remembered lemma left pointing at strings
    the zone dropped) and find what they found before."""
    from sourcelight.budget import Budget, Stopped
    from sourcelight.serialize import to_api
    text = seed_text + "\n\nZyxwvut quorbled the flimberwicks, the snorgling official said."
    before = to_api(analyzer.analyze_text(text), "codepoints")
    steps = [name for name, _ in analyzer.nlp.pipeline]
    stop_at = steps.index("ner") + 1  # checked before each component: stop once the lemmatizer ran
    calls = {"n": 0}

    def gone_before_ner():
        calls["n"] += 1
        return calls["n"] >= stop_at

    with pytest.raises(Stopped):
        analyzer.analyze_text(text, budget=Budget(30, gone_before_ner))
    assert calls["n"] == stop_at
    lemmas = {token.text: token.lemma_ for token in analyzer.parse(text)}  # a stale hash: KeyError
    assert lemmas["quorbled"] == "quorble"
    for _ in range(2):
        assert to_api(analyzer.analyze_text(text), "codepoints") == before
