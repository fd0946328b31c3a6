"""Quote detection: every way articles write quotation marks, and unbalanced ones."""
from __future__ import annotations

import pytest

from sourcelight.detectors.quotes import find_quotes, is_speech


def quoted(text):
    return [(text[s:e], closed) for s, e, closed in find_quotes(text)]


@pytest.mark.parametrize("text,expected", [
    ("He said “we will win the vote” on Monday.", ["“we will win the vote”"]),
    ('She said "the plan is dead" and left.', ['"the plan is dead"']),
    ("He said ``we will be back soon'' twice.", ["``we will be back soon''"]),
    ("''This isn't tax reform,'' said Douglas.", ["''This isn't tax reform,''"]),
    ("« Nous gagnerons » a-t-il dit.", ["« Nous gagnerons »"]),
    ('Two quotes: "one is here" and "two is there".', ['"one is here"', '"two is there"']),
])
def test_closed_quotes(text, expected):
    assert [q for q, closed in quoted(text)] == expected
    assert all(closed for _, closed in quoted(text))


def test_multi_paragraph_quote_reopened_each_paragraph():
    text = "“The first paragraph of the quote goes on.\n\n“And the second one ends here,” he said."
    found = quoted(text)
    # The next paragraph reopens the quote: this one ends at its paragraph's end, as known as a mark.
    assert found[0] == ("“The first paragraph of the quote goes on.", True)
    assert found[1] == ("“And the second one ends here,”", True)



def test_quote_running_on_into_the_next_paragraph_says_so(nlp):
    doc = nlp("“The first paragraph of the quote goes on.\n\n“And the second one ends here,” he said.")
    first = doc.spans["sourcing_quotes"][0]
    assert first.text == "“The first paragraph of the quote goes on."
    assert "next paragraph" in first._.why


@pytest.mark.parametrize("text", ["The crowd waited.\n\n‘We will win the vote on Sunday.’\n\nIt was cold.",
                                  "The crowd waited.\n\n“We will win the vote on Sunday.”\n\nIt was cold."])
def test_a_quote_closed_by_its_mark_does_not_say_it_runs_on(nlp, text):
    doc = nlp(text)
    assert "next paragraph" not in doc.spans["sourcing_quotes"][0]._.why

@pytest.mark.parametrize("text", [
    "He said “this never closes and the paragraph ends",
    'Odd "number of "quote marks" here',
    "”Closing first then “opening",
    '""""', "“”“”“", "'' '' ''", "\"", "",
])
def test_unbalanced_marks_never_crash_and_stay_in_paragraph(text):
    for start, end, _closed in find_quotes(text):
        assert 0 <= start < end <= len(text)
        assert "\n" not in text[start:end]


def test_unclosed_quote_runs_to_paragraph_end_only():
    text = "He said “we will win\n\nThe next paragraph is plain."
    assert quoted(text) == [("“we will win", False)]


@pytest.mark.parametrize("text,speech", [
    ("“we will win the vote”", True),
    ("“It is over.”", True),
    ("“experts”", False),
    ("“strong leader,”", True),
    ("“Tracy”", False),
])
def test_speech_or_scare_quote(text, speech):
    assert is_speech(text) is speech


def test_scare_quotes_are_partial_in_the_analysis(analyse):
    result = analyse("The so-called “experts” gathered in the hall on Monday.")
    assert [s["label"] for s in result["spans"] if "experts" in s["text"]] == ["partial_quote"]
    assert result["attributions"] == []


@pytest.mark.parametrize("text,expected", [
    ("‘We will win,’ he said. ‘This is it.’", ["‘We will win,’", "‘This is it.’"]),
    ("He called it ‘a disgrace’ and left.", ["‘a disgrace’"]),
    ("‘The players’ union is strong,’ said Jones.", ["‘The players’ union is strong,’"]),
    ("'We won't stop,' she said.", ["'We won't stop,'"]),
    ("It is the players’ money and don’t forget it.", []),
    ("He said “she called it ‘a joke’ today” then left.", ["“she called it ‘a joke’ today”"]),
])
def test_single_quotes_british_style(text, expected):
    assert [q for q, _ in quoted(text)] == expected


def test_closing_mark_typed_where_a_quote_opens():
    # Reader round-ups are often typed by hand: '”Fortunately, …”' at a paragraph's start opens.
    text = ("“It might be in your benefit to stop.” ― Ariana Huichapa.\n\n”Fortunately, Mr. Trump is "
            "transparent. Unfortunately, many will follow him.” ― Beck Pimentel")
    assert quoted(text) == [("“It might be in your benefit to stop.”", True),
                            ("”Fortunately, Mr. Trump is transparent. Unfortunately, many will follow him.”", True)]


def test_closing_mark_after_a_word_still_closes():
    assert quoted("He wrote “we won” and left.") == [("“we won”", True)]
