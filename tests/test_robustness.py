"""Robustness: no input crashes the server or corrupts an offset, and the speed-ups change nothing.

- every article of the real-article corpus analyses, with exact offsets in both units (when the
  shared folder is present: SOURCELIGHT_SHARED, or ../shared next to the repository);
- arbitrary Unicode (lone surrogates included) and arbitrary JSON through the API: never a 5xx,
  offsets always round-trip in UTF-16 units and in code points;
- malformed requests get a clear 4xx, degenerate texts a valid empty analysis;
- the fast paths (memoised lemmatizer, bisected coverage and link overlap, astral scan, the
  model's view of non-prose runs) agree with the plain computations they replace.
"""
from __future__ import annotations

import json
import os
import random
from bisect import bisect_right
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sourcelight.analysis import _attributed_share, _credit_links
from sourcelight.detectors.common import EntityIndex
from sourcelight.ranges import RangeIndex
from sourcelight.offsets import MAX_SYMBOL_RUN, OffsetMap, model_text, utf16_len, utf16_slice
from sourcelight.serialize import to_api

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
ANALYZE = "/api/v1/analyze"
UNITS = ("utf16", "codepoints")


def shared_folder() -> Path:
    return Path(os.environ.get("SOURCELIGHT_SHARED") or ROOT.parent / "shared")


CORPUS = shared_folder() / "corpus" / "horne2017" / "articles.jsonl"
needs_corpus = pytest.mark.skipif(
    not CORPUS.exists(),
    reason=f"real-article corpus not found at {CORPUS} (set SOURCELIGHT_SHARED to the shared folder; "
           "CI and user clones have none)")


def corpus_articles() -> list[dict]:
    with CORPUS.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


# --- what every response must satisfy --------------------------------------------------------------
def check_response(body: dict, text: str, unit: str) -> None:
    """Offsets slice the request text to each span's text in `unit`; every reference resolves."""
    length = utf16_len(text) if unit == "utf16" else len(text)
    if "meta" in body:
        assert body["meta"]["offsets"] == unit
    span_ids = set()
    for span in body["spans"]:
        assert span["id"] not in span_ids
        span_ids.add(span["id"])
        assert 0 <= span["start"] <= span["end"] <= length, span
        piece = utf16_slice(text, span["start"], span["end"]) if unit == "utf16" else text[span["start"]:span["end"]]
        assert piece == span["text"], (span, piece)
        assert isinstance(span["why"], str) and span["why"]
    attribution_ids = {a["id"] for a in body["attributions"]}
    source_ids = {s["id"] for s in body["sources"]}
    for attribution in body["attributions"]:
        for role in ("source", "cue", "content"):
            assert attribution[role] is None or attribution[role] in span_ids
        assert attribution["entity"] is None or attribution["entity"] in source_ids
        sentence = attribution["sentence"]
        assert 0 <= sentence["start"] <= sentence["end"] <= length
    for source in body["sources"]:
        assert set(source["mentions"]) <= span_ids
        assert set(source["attributions"]) <= attribution_ids
    summary = body["summary"]
    assert summary["grade"] in {"strong", "mixed", "weak", "insufficient"}
    assert summary["score"] is None or 0 <= summary["score"] <= 100


def as_sent(text: str) -> str:
    """The text as the server receives it. JSON cannot tell a high and a low surrogate drawn as two
    separate code points from the one character they pair into ("\\ud83d\\udc00" is 🐀), so a
    generated text that puts them side by side arrives one code point shorter; a browser's string
    never makes that distinction."""
    return json.loads(json.dumps(text))


def post(client, payload, **kwargs):
    data = payload if isinstance(payload, (str, bytes)) else json.dumps(payload)
    return client.post(ANALYZE, data=data, content_type=kwargs.pop("content_type", "application/json"), **kwargs)


def assert_client_error(response, status: int | None = None, code: str | None = None):
    assert 400 <= response.status_code < 500, (response.status_code, response.get_data(as_text=True)[:300])
    if status is not None:
        assert response.status_code == status
    error = response.get_json()["error"]
    assert error["message"] and error["request_id"]
    if code is not None:
        assert error["code"] == code
    return error


# --- the real-article corpus -------------------------------------------------------------------------
@pytest.mark.slow
@needs_corpus
def test_every_corpus_article_analyses_with_exact_offsets(analyzer):
    """All 326 articles: no error, and every offset slices the article exactly, in both units."""
    articles = corpus_articles()
    assert len(articles) > 300
    failures = []
    for article in articles:
        text = article["text"]
        try:
            analysis = analyzer.analyze_text(text)
            bodies = {unit: to_api(analysis, unit) for unit in UNITS}
            for unit, body in bodies.items():
                check_response(body, text, unit)
            # The two units describe the same spans.
            for cp, u16 in zip(bodies["codepoints"]["spans"], bodies["utf16"]["spans"]):
                assert (u16["start"], u16["end"]) == (utf16_len(text[:cp["start"]]), utf16_len(text[:cp["end"]]))
            json.dumps(bodies["utf16"], ensure_ascii=False).encode("utf-8")
        except Exception as error:  # noqa: BLE001 — collect every failing article, then report them all
            failures.append(f"{article.get('id')}: {type(error).__name__}: {str(error)[:200]}")
    assert not failures, f"{len(failures)} of {len(articles)} articles failed:\n" + "\n".join(failures[:20])


# --- arbitrary text through the API ----------------------------------------------------------------
# Pieces of news prose and of everything that has broken text tools: quote styles, emoji (flags,
# skin tones, ZWJ sequences), CJK, RTL, combining marks, zero-width characters, CRLF, lone
# surrogates, and runs long enough to trip the tokenizer.
FRAGMENTS = [
    "The minister said", " that the plan failed.", " according to Reuters", ", officials said.", " Critics argue",
    " it may be", " reportedly ", " 12% ", " $4 million ", " sources familiar with the matter ", " he added. ",
    "“", "”", "\"", "'", "‘", "’", "«", "»", "„", "``", "''", " ", "  ", "\n", "\n\n", "\r\n", "\t", ":", " — ",
    "🎉", "🇺🇸", "👍🏽", "👩‍👩‍👧", "𝐓𝐡𝐞", "東京（共同）", "報告", "الجزيرة", "שלום", "e\u0301", "\u200b", "\u200d", "\ufeff",
    "\u2028", "\u00a0", "\ud83d", "\udc00", "“" * (MAX_SYMBOL_RUN + 5), "!" * (MAX_SYMBOL_RUN + 1), "_" * 150,
    "Mr.", " Dr. ", "WALLACE: ", " ― Pamela Padilla",
]
news_like = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=40).map("".join)
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)  # surrogates too
ROBUST = settings(max_examples=150, deadline=None,
                  suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@ROBUST
@given(text=st.one_of(news_like, any_text))
def test_any_text_gets_a_valid_analysis_in_both_units(client, text):
    for unit in UNITS:
        response = post(client, {"text": text, "offsets": unit})
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        body = json.loads(response.get_data())  # exactly what a client parses (surrogates arrive escaped)
        check_response(body, as_sent(text), unit)


@ROBUST
@given(text=news_like, data=st.data())
def test_any_links_are_used_or_refused_cleanly(client, text, data):
    unit = data.draw(st.sampled_from(UNITS))
    length = utf16_len(text) if unit == "utf16" else len(text)
    bound = st.integers(min_value=-3, max_value=length + 3)
    links = data.draw(st.lists(st.fixed_dictionaries({"start": bound, "end": bound, "href": st.text(max_size=20)}),
                               max_size=6))
    response = post(client, {"text": text, "offsets": unit, "links": links})
    valid = all(0 <= link["start"] <= link["end"] <= length for link in links)
    if valid:
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        check_response(json.loads(response.get_data()), as_sent(text), unit)
    else:
        assert_client_error(response, 400, "bad_value")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)
request_bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"text": json_values}, optional={
        "offsets": json_values | st.sampled_from(UNITS), "links": json_values, "url": json_values,
        "title": json_values}),
)


@ROBUST
@given(body=request_bodies)
def test_any_json_body_gets_an_answer_not_a_crash(client, body):
    response = post(client, json.dumps(body))  # NaN/Infinity included: Python's JSON reads them
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:500]
    if response.status_code == 200:
        check_response(json.loads(response.get_data()), body["text"],
                       body.get("offsets", "utf16"))
    else:
        assert_client_error(response)


@ROBUST
@given(data=st.binary(max_size=200))
def test_any_bytes_get_an_answer_not_a_crash(client, data):
    response = post(client, data)
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:500]


# --- malformed requests (beyond the cases in test_api.py) -----------------------------------------
@pytest.mark.parametrize("raw,code", [
    (b"\xff\xfe\x00{", "bad_json"),                                            # not UTF-8
    ('{"text": "hi", "links": [{"start": ' + "9" * 5000 + ', "end": 1}]}', "bad_json"),  # 5,000-digit number
    ('{"text": NaN}', "wrong_type"),
    ('{"text": "hi", "offsets": 1e999}', "bad_value"),                          # Infinity
    ('{"text": "hi", "offsets": null}', "bad_value"),
    ('{"a": ' * 50_000 + "1" + "}" * 50_000, "bad_json"),                      # nested objects
    (json.dumps({"text": "hi", "links": [[[[[[]]]]]]}), "wrong_type"),
    (json.dumps({"text": ["a", "list"]}), "wrong_type"),
    (json.dumps({"text": {"nested": "object"}}), "wrong_type"),
    (json.dumps({"text": True}), "wrong_type"),
    (json.dumps({"text": 1.5}), "wrong_type"),
    (json.dumps({"text": "hi", "title": ["x"]}), "wrong_type"),
    (json.dumps({"text": "hi", "url": "u" * 5000}), "wrong_type"),
    (json.dumps({"text": "hi", "links": [5]}), "wrong_type"),
    (json.dumps({"text": "hi", "links": [{"start": 0, "end": 1, "href": 7}]}), "wrong_type"),
    (json.dumps({"text": "hi", "links": [{"start": 0.0, "end": 1}]}), "wrong_type"),
    (json.dumps({"text": "hi", "links": [{"start": "0", "end": "1"}]}), "wrong_type"),
    (json.dumps({"text": "hi", "links": [{"start": -1, "end": 1}]}), "bad_value"),
    (json.dumps({"text": "hi", "links": [{"start": 2, "end": 1}]}), "bad_value"),
    (json.dumps({"text": "hi", "links": [{"start": 0, "end": 1}] * 5001}), "wrong_type"),
    ("null", "wrong_type"),
    ('"just a string"', "wrong_type"),
    ("12345678901234567890", "wrong_type"),
])
def test_malformed_requests_get_a_clear_400(client, raw, code):
    assert_client_error(post(client, raw), 400, code)


def test_unknown_fields_and_duplicate_keys_are_harmless(client):
    response = post(client, '{"text": "ignored", "text": "The mayor said so.", "colour": [1, {"x": null}]}')
    assert response.status_code == 200
    check_response(response.get_json(), "The mayor said so.", "utf16")


def test_text_limit_is_exact(analyzer):
    from sourcelight.app import create_app
    small = create_app({"max_text_chars": 1000}, analyzer=analyzer).test_client()
    at_limit = ("The mayor said the bridge would reopen. " * 30)[:1000]
    assert post(small, {"text": at_limit}).status_code == 200
    assert_client_error(post(small, {"text": at_limit + "x"}), 413, "text_too_long")
    # The limit counts code points, whatever the offset unit: 1,000 emoji are 2,000 UTF-16 units.
    assert post(small, {"text": "😀" * 1000, "offsets": "utf16"}).status_code == 200


# --- degenerate texts: a valid, empty analysis --------------------------------------------------------
@pytest.mark.parametrize("text", [
    "«»„“”‘’‚‛‹›「」『』", "``''``''", '"' * 500, "“" * 20_000, "=" * 20_000, "_" * 20_000, "😀" * 2_000,
    "—…–·•!?¿¡", ". " * 2_000, "\u00a0\u2003\u3000\u2028\u2029", "\u200b\u200d\ufeff" * 100, "\x00\x01\x7f\x1b",
    "\n" * 5_000, "\r" * 100, "\r\n" * 1_000, "\ud83d", "\udc00\ud800", "e\u0301" * 50,
])
def test_degenerate_text_gets_a_valid_empty_analysis(client, text):
    for unit in UNITS:
        response = post(client, {"text": text, "offsets": unit})
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        body = json.loads(response.get_data())
        assert body["summary"]["grade"] == "insufficient"
        assert body["summary"]["score"] is None
        check_response(body, text, unit)


def test_lone_surrogates_round_trip_as_json_escapes(client):
    """A page that cuts an emoji in half: the article still analyses, and spans keep its exact text."""
    text = "“The bridge \ud83d will reopen on Monday,” the mayor said in a statement."
    for unit in UNITS:
        response = post(client, {"text": text, "offsets": unit})
        assert response.status_code == 200
        raw = response.get_data()
        assert raw.isascii() and b"\\ud83d" in raw  # escaped: valid JSON, exact string when parsed
        body = json.loads(raw)
        assert any("\ud83d" in span["text"] for span in body["spans"] if span["label"] == "quote")
        check_response(body, text, unit)


# --- the fast paths agree with the plain computations -------------------------------------------------
def test_memoised_lemmatizer_gives_spacys_lemmas(analyzer):
    """Byte-identical Docs from spaCy's own rule lemmatizer and Sourcelight's memoised one."""
    import spacy
    from sourcelight.config import DEFAULT_MODEL
    from sourcelight.pipeline import MemoisedRuleLemmatizer

    texts = [(FIXTURES / "seed-article.txt").read_text(encoding="utf-8"),
             "The officials were saying that the plans had been described as failures; she'd've known.",
             "Running, ran, runs: better, best, worse. Mice, geese, data, criteria, analyses, men's, children’s."]
    if CORPUS.exists():
        texts += [a["text"] for a in corpus_articles()[::25]]
    plain = spacy.load(DEFAULT_MODEL)
    before_lemmatizer = [name for name in plain.pipe_names if name not in ("lemmatizer", "ner")]

    def up_to_lemmatizer(text):
        doc = plain.make_doc(text)
        for name in before_lemmatizer:
            doc = plain.get_pipe(name)(doc)
        return doc

    expected = [plain.get_pipe("lemmatizer")(up_to_lemmatizer(t)).to_bytes() for t in texts]
    memoised = MemoisedRuleLemmatizer(plain.get_pipe("lemmatizer"))
    for _ in range(2):  # cold memo, then warm
        assert [memoised(up_to_lemmatizer(t)).to_bytes() for t in texts] == expected
    assert type(analyzer.nlp.get_pipe("lemmatizer")) is MemoisedRuleLemmatizer


def _naive_share(sentences, attributions) -> float:
    if not sentences:
        return 0.0
    covered = {i for a in attributions for i, (start, end) in enumerate(sentences)
               if start < a.sentence[1] and a.sentence[0] < end}
    return round(len(covered) / len(sentences), 2)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_attributed_share_matches_the_pairwise_count(data):
    bounds = sorted(data.draw(st.lists(st.integers(0, 60), unique=True, max_size=12)))
    sentences = list(zip(bounds, bounds[1:]))
    # Range ends drawn from the sentence boundaries too: the comparisons there are strict.
    point = st.one_of(st.sampled_from(bounds), st.integers(0, 64)) if bounds else st.integers(0, 64)
    ranges = data.draw(st.lists(st.tuples(point, point), max_size=8))
    attributions = [SimpleNamespace(sentence=(min(r), max(r))) for r in ranges]
    assert _attributed_share(sentences, attributions) == _naive_share(sentences, attributions)


@settings(max_examples=300, deadline=None)
@given(marks=st.lists(st.tuples(st.integers(0, 20), st.integers(0, 5), st.sampled_from(["source", "cue"])),
                      max_size=12),
       links=st.lists(st.tuples(st.integers(0, 24), st.integers(0, 5)), max_size=8))
def test_link_credit_matches_the_pairwise_check(marks, links):
    def fresh():
        return [SimpleNamespace(start=s, end=s + n, label=label, why="W.") for s, n, label in marks]
    link_dicts = [{"start": s, "end": s + n} for s, n in links]
    fast, naive = fresh(), fresh()
    count = _credit_links(fast, link_dicts)
    expected = 0
    for mark in naive:
        if mark.label == "source" and any(link["start"] < mark.end and mark.start < link["end"] for link in link_dicts):
            mark.why += " The article links to it."
            expected += 1
    assert count == expected
    assert [m.why for m in fast] == [m.why for m in naive]


@settings(max_examples=300, deadline=None)
@given(ranges=st.lists(st.tuples(st.integers(0, 30), st.integers(0, 8)), max_size=10),
       query=st.tuples(st.integers(0, 34), st.integers(0, 8)))
def test_range_index_matches_the_pairwise_check(ranges, query):
    pairs = [(s, s + n) for s, n in ranges]
    start, end = query[0], query[0] + query[1]
    assert RangeIndex(pairs).overlaps(start, end) == any(s < end and start < e for s, e in pairs)


def test_entity_index_matches_spacys_entity_properties(analyzer):
    text = ("Sarah Chen, a spokeswoman for Acme Corp., said on Tuesday that 40 workers in Ohio were hurt. "
            "Officials at the World Health Organization and Reuters reported it. She told NBC News in "
            "Paris that Mark Twain and Marie Curie would never have agreed, and 12 percent of voters did.")
    doc = analyzer.nlp(text)
    index = EntityIndex(doc)
    assert index.ents == doc.ents and len(doc.ents) >= 8
    for start in range(len(doc)):
        for end in range(start + 1, min(len(doc), start + 25) + 1):
            assert index.within(doc[start:end]) == list(doc[start:end].ents)
    for char in range(len(text) + 1):
        people = [e for e in doc.ents if e.start_char < char and e.label_ == "PERSON"]
        assert index.last_before(char, "PERSON") == (people[-1] if people else None)


@pytest.mark.parametrize("text", [
    "WASHINGTON — The senator said so.\n\nA new paragraph.\nAnother line\n\n\n  indented. \n",
    "\n\nLeading blank lines.\r\n\r\nCRLF paragraphs.\n",
    "No newline at all.",
    "",
])
def test_paragraph_starts_match_setting_each_token(analyzer, text):
    from sourcelight.detectors.paragraphs import DATELINE, mark_paragraph_starts
    fast = mark_paragraph_starts(analyzer.nlp.make_doc(text))
    plain = analyzer.nlp.make_doc(text)
    for token in plain[:-1]:
        if ("\n" in token.text or "\n" in token.whitespace_) and not plain[token.i + 1].is_space:
            plain[token.i + 1].is_sent_start = True
    for match in DATELINE.finditer(text):
        after = plain.char_span(match.end(), match.end() + 1, alignment_mode="expand")
        if after is not None and len(after) and after[0].i > 0:
            after[0].is_sent_start = True
    assert [t.is_sent_start for t in fast] == [t.is_sent_start for t in plain]


def _naive_with_quotes(span, quotes):
    start, end = span.start, span.end
    for quote in quotes:
        if quote.label_ == "quote" and quote.start < end and start < quote.end:
            start, end = min(start, quote.start), max(end, quote.end)
    return start, end


def _naive_adjacent(group_start, group_end, quotes, doc):
    from sourcelight.detectors.quote_index import QUOTE_AFTER_GLUE, QUOTE_BEFORE_GLUE, QUOTE_REACH, only_glue
    for quote in quotes:
        if 0 <= group_start - quote.end <= QUOTE_REACH and only_glue(doc[quote.end:group_start], QUOTE_BEFORE_GLUE):
            return quote
        if 0 <= quote.start - group_end <= QUOTE_REACH and only_glue(doc[group_end:quote.start], QUOTE_AFTER_GLUE):
            return quote
    return None


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_quote_index_answers_as_a_scan_over_every_quote(analyzer, data):
    """Quotes may nest or overlap (a single-quoted phrase inside a double-quoted one, an unclosed
    quote running to the paragraph's end): the indexed lookups must still answer as the plain
    scans they replace, in the same order."""
    from spacy.tokens import Doc, Span

    from sourcelight.detectors.quote_index import QuoteIndex, adjacent_quote, inside_quote, is_quote_span, with_quotes

    words = data.draw(st.lists(st.sampled_from(["said", "x", ",", ":", "—", ".", "“", "”"]), min_size=1, max_size=30))
    doc = Doc(analyzer.nlp.vocab, words=words)
    n = len(doc)
    bounds = st.tuples(st.integers(0, n - 1), st.integers(1, n)).map(lambda b: (min(b), max(b[0] + 1, b[1])))
    quotes = [Span(doc, a, min(b, n), label=label) for (a, b), label in
              data.draw(st.lists(st.tuples(bounds, st.sampled_from(["quote", "partial_quote"])), max_size=6))]
    index = QuoteIndex(quotes)
    start, end = data.draw(bounds)
    span = doc[start:min(end, n)]
    widened = with_quotes(span, index)
    assert (widened.start, widened.end) == _naive_with_quotes(span, quotes)
    inside = 0
    for q in quotes:
        if q.label_ == "quote":
            inside += max(0, min(q.end, span.end) - max(q.start, span.start))
    assert is_quote_span(span, index) == (inside >= 0.6 * len(span))
    verb = doc[data.draw(st.integers(0, n - 1))]
    assert inside_quote(verb, index) == any(q.start < verb.i < q.end - 1 for q in quotes)
    found = adjacent_quote(verb, None, index)
    expected = _naive_adjacent(verb.i, verb.i + 1, quotes, doc)
    assert (found is None and expected is None) or (found is not None and expected is not None
                                                     and (found.start, found.end, found.label_) == (expected.start, expected.end, expected.label_))


def test_cost_per_word_does_not_grow_with_article_length(analyzer):
    """Detectors must not ask spaCy for whole-document properties (Doc.text, Doc.ents, Span.ents)
    once per sentence or source: that made a 30,000-word text take three times the model's time."""
    import time
    paragraph = ("Sarah Chen, a spokeswoman for Acme Corp., said on Tuesday that 40 workers were hurt. "
                 "\u201cWe are looking into it,\u201d she told reporters. Critics say the plant was unsafe, "
                 "according to officials who spoke on condition of anonymity. The company has garnered "
                 "widespread support. Mark Twain reportedly disagreed.\n\n")
    def seconds_per_paragraph(count):
        text = paragraph * count
        doc = analyzer.nlp.make_doc(text)
        for name, component in analyzer.nlp.pipeline:  # the model's share is linear: time the rest
            if name.startswith("sourcing_") and name != "sourcing_paragraphs":
                break
            doc = component(doc)
        started = time.process_time()
        for name, component in analyzer.nlp.pipeline:
            if name.startswith("sourcing_") and name != "sourcing_paragraphs":
                doc = component(doc)
        return (time.process_time() - started) / count
    seconds_per_paragraph(20)  # warm up
    small, large = seconds_per_paragraph(20), seconds_per_paragraph(400)
    assert large < 2.5 * small, (small, large)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(blacklist_categories=()), max_size=60))
def test_offset_map_matches_a_character_scan(text):
    astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF]
    offsets = OffsetMap(text, "utf16")
    for cp in range(len(text) + 1):
        assert offsets.to_unit(cp) == cp + bisect_right(astral, cp - 1) == utf16_len(text[:cp])
    assert utf16_len(text) == len(text.encode("utf-16-le", "surrogatepass")) // 2


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(news_like, st.text(alphabet=st.characters(blacklist_categories=()), max_size=200)))
def test_model_text_keeps_every_offset_and_leaves_prose_alone(text):
    readable = model_text(text)
    assert len(readable) == len(text)
    assert not any(0xD800 <= ord(c) <= 0xDFFF for c in readable)
    for original, seen in zip(text, readable):
        if original != seen:
            assert seen in "-\ufffd"
            assert seen == "-" or 0xD800 <= ord(original) <= 0xDFFF


def test_model_text_changes_nothing_in_real_prose():
    prose = (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")
    assert model_text(prose) == prose
    run = "“" * (MAX_SYMBOL_RUN + 1 + random.Random(5).randrange(50))
    assert model_text(f"She said {run} no.") == f"She said {'-' * len(run)} no."
    assert model_text("“" * MAX_SYMBOL_RUN) == "“" * MAX_SYMBOL_RUN


@pytest.mark.parametrize("prose", ["In the latest Reuters/Ipsos poll, Trump leads.", "An AP/NORC survey found it.",
                                   "A Reuters/Ipsos opinion poll released Monday showed it."])
def test_a_poll_named_after_an_agency_is_no_photo_credit(prose):
    assert model_text(prose) == prose
    assert model_text("REUTERS/Kevin Lamarque/File Photo shows the hall.").strip() == "shows the hall."


# --- the response cache -------------------------------------------------------------------------------
def test_cache_is_bounded_in_entries_and_bytes(analyzer, monkeypatch):
    from collections import OrderedDict
    monkeypatch.setattr(analyzer, "_cache", OrderedDict())
    monkeypatch.setattr(analyzer, "_cache_bytes", 0)
    monkeypatch.setattr(analyzer, "cache_size", 3)
    monkeypatch.setattr(analyzer, "cache_max_bytes", 100)
    for key in "abc":
        analyzer.cache_put(key, key.encode() * 40)
    assert analyzer.cache_get("a") is None  # 120 bytes > 100: the least recently used went
    assert analyzer.cache_get("b") == b"b" * 40 and analyzer.cache_get("c") == b"c" * 40
    analyzer.cache_put("huge", b"h" * 101)  # larger than the whole cache: not kept
    assert analyzer.cache_get("huge") is None
    analyzer.cache_put("b", b"B" * 10)  # replacing an entry replaces its size
    for key in "de":
        analyzer.cache_put(key, key.encode() * 10)
    assert len(analyzer._cache) == 3 and analyzer._cache_bytes == sum(len(v) for v in analyzer._cache.values())
    assert analyzer._cache_bytes <= 100


def test_cached_answer_is_the_first_answer(client, analyzer):
    text = "“We will not reopen the bridge,” the mayor said on Monday, according to a statement. 🎉"
    for unit in UNITS:
        hits = analyzer.cache_hits
        first, second = (post(client, {"text": text, "offsets": unit, "title": "cache"}) for _ in range(2))
        assert analyzer.cache_hits == hits + 1
        assert first.get_data() == second.get_data()  # `meta` included: no sign of the cache
        assert json.loads(second.get_data())["meta"]["offsets"] == unit


def test_textstat_keeps_no_article_text_but_gives_the_same_figures(analyzer):
    """Readability is computed by textstat as before, and its per-text caches are emptied after."""
    import textstat
    from sourcelight.readability import TEXT_CACHES, readability
    text = (FIXTURES / "seed-article.txt").read_text(encoding="utf-8")
    expected = (round(float(textstat.flesch_reading_ease(text)), 1), round(float(textstat.flesch_kincaid_grade(text)), 1))
    got = readability(text, 500)
    assert (got["flesch_reading_ease"], got["grade_level"]) == expected
    analyzer.analyze_text(text + " One more sentence, the mayor said.")
    assert len(TEXT_CACHES) > 5
    assert all(cache.cache_info().currsize == 0 for cache in TEXT_CACHES)


def test_surrogates_drawn_apart_arrive_as_the_one_character_they_pair_into(client):
    """Found by hypothesis: a text holding a high and a low surrogate side by side as two code
    points is sent by JSON as one character; offsets in code points follow what arrived."""
    text = "The minister said\ud83d\udc00The minister said"
    response = post(client, {"text": text, "offsets": "codepoints"})
    assert response.status_code == 200
    body = json.loads(response.get_data())
    check_response(body, as_sent(text), "codepoints")
    assert as_sent(text) == "The minister said🐀The minister said"
