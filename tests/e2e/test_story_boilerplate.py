"""Story only (issue #9 items 1 and 5), one made-up page per kind of page furniture, in Chromium
with the real extension and the real server. Each page (tests/e2e/pages/story/) is a short news
story with one pattern around or inside it; the test reads the request the service worker sends
(a spy on its fetch: the request still reaches the real server) and what is painted.

Also: word counts for scripts written without spaces (Intl.Segmenter)."""
from __future__ import annotations

from pathlib import Path

import pytest

from .e2e_support import EXTENSION, EXTRACT_SCRIPTS, HOST, highlights

pytestmark = pytest.mark.e2e

STORY_PAGES = Path(__file__).resolve().parent / "pages" / "story"


def analyse_fixture(ext, site, page, name: str, wait_for: str = "done") -> dict | None:
    """Opens pages/story/<name>.html, analyses it like the popup's button; the request sent (or None)."""
    url = site.add_page(f"story-{name}.html", (STORY_PAGES / f"{name}.html").read_text(encoding="utf-8"))
    ext.record_requests()
    try:
        page.goto(url)
        ext.analyse(page, wait_for=wait_for)
        if wait_for is None:  # any end: a grade, an error card or a notice
            page.wait_for_function(
                "(host) => { const h = document.querySelector(host); return h && ['done', 'error', 'notice'].includes(h.getAttribute('data-state')); }",
                arg=HOST, timeout=60_000)
        bodies = [b for b in ext.sent_requests() if "text" in b]
    finally:
        ext.stop_recording()
    assert len(bodies) <= 1, bodies
    return bodies[0] if bodies else None


def painted_text(page) -> str:
    return " | ".join(h["text"] for h in highlights(page))


def assert_absent(text: str, *phrases: str) -> None:
    for phrase in phrases:
        assert phrase not in text, f"{phrase!r} was sent as story text:\n{text}"


def test_captions_and_credits_are_sent_apart_not_as_text(ext, site, page):
    sent = analyse_fixture(ext, site, page, "caption-credit")
    assert_absent(sent["text"], "Workers inspect", "officials say the damage", "Photograph:", "Getty", "Credit:")
    assert "Repairs to the north harbour wall began on Monday" in sent["text"]
    assert sent["captions"] == [
        {"kind": "caption", "text": "Workers inspect the cracked harbour wall on Tuesday, officials say the damage is worse than feared."},
        {"kind": "credit", "text": "Photograph: Jane Doe/Getty Images"},
        {"kind": "credit", "text": "Credit: Getty"},
    ]
    assert "officials" not in painted_text(page)


def test_related_links_and_their_labels_are_dropped(ext, site, page):
    sent = analyse_fixture(ext, site, page, "related-list")
    assert_absent(sent["text"], "Related:", "Cycle paths", "Read more", "Fares frozen", "More from Transport",
                  "Parking charges", "Bridge closure")
    assert "The department said it had surveyed 2,300 residents" in sent["text"]
    assert sent["links"] == []


def test_most_read_and_more_from_boxes_inside_the_article_are_dropped(ext, site, page):
    """A "more from" box of five linked headlines does not make a short article a list of links."""
    sent = analyse_fixture(ext, site, page, "most-read")
    assert_absent(sent["text"], "Most read", "Man rescued", "Police warn", "Council tax", "More from Weather",
                  "Heatwave warning", "Forecasters explain", "Our guide")
    assert sent["text"].count("\n\n") == 3  # the four story paragraphs, nothing else


def test_share_row_and_comment_count_are_dropped(ext, site, page):
    sent = analyse_fixture(ext, site, page, "share-row")
    assert_absent(sent["text"], "Share", "Facebook", "Email", "128 comments", "Reddit")
    assert sent["text"].startswith("The central library will stay open on Sundays")


def test_newsletter_and_subscription_boxes_are_dropped(ext, site, page):
    sent = analyse_fixture(ext, site, page, "newsletter")
    assert_absent(sent["text"], "Sign up", "newsletter", "inbox", "Subscribe", "Experts say")
    assert "Waiting times for cancer diagnosis did not improve" in sent["text"]


def test_sponsored_boxes_inside_the_body_are_not_analysed(ext, site, page):
    """The ad's "experts say … sources confirm" must not become the article's vague and anonymous
    sources: a box labelled Sponsored, one with aria-label Advertisement, one classed sponsored."""
    sent = analyse_fixture(ext, site, page, "sponsored")
    assert_absent(sent["text"], "Sponsored", "Experts say", "Sources confirm", "Insiders say", "Doctors reportedly")
    painted = painted_text(page)
    assert_absent(painted, "Experts", "Sources confirm", "Insiders", "reportedly")
    assert "Laura Bennett" in painted  # the story's own source is still found


def test_text_the_reader_cannot_see_is_not_sent(ext, site, page):
    sent = analyse_fixture(ext, site, page, "hidden-text")
    assert_absent(sent["text"], "Anonymous sources", "Critics claim", "Officials privately", "People familiar",
                  "Some say", "widely believed", "Insiders say", "Rumours suggest", "Observers note")
    assert "Anglers' groups, who brought the first complaint" in sent["text"]


def test_hover_cards_are_dropped_and_the_name_stays(ext, site, page):
    sent = analyse_fixture(ext, site, page, "hovercard")
    assert_absent(sent["text"], "state senator since 2015", "criticised over expenses", "governor race",
                  "mayor since 2019", "insiders claim", "budget doomed")
    assert "State senator Ruth Okafor said on Wednesday" in sent["text"]
    assert "Mayor Dan Pruitt of the larger town said" in sent["text"]


def test_pull_quotes_are_sent_once(ext, site, page):
    sent = analyse_fixture(ext, site, page, "pull-quote")
    assert sent["text"].count("could not in good conscience keep objects") == 1
    assert sent["text"].count("called the return a step towards healing") == 1
    assert "The museum said it would publish the provenance research" in sent["text"]


def test_embedded_tweet_and_quoted_letter_stay(ext, site, page):
    sent = analyse_fixture(ext, site, page, "tweet")
    text = sent["text"]
    assert text.count("We have a deal. 6% this year, 4% next, and no more split shifts.") == 1
    assert "Maria Costa (@mariacosta_union)" in text
    assert "I want to thank the union's negotiators for their patience." in text
    # In the order the page shows them: the tweet after the line that introduces it.
    assert text.index("on social media shortly after 2 a.m.:") < text.index("We have a deal.") < text.index("The company confirmed")
    assert "https://twitter.com/mariacosta_union/status/1234567890" in [link["href"] for link in sent["links"]]


def test_lists_that_are_part_of_the_story_stay(ext, site, page):
    """And links inside a paragraph stay, whatever their class ("related", "keywords") or wrapper."""
    sent = analyse_fixture(ext, site, page, "story-list")
    for item in ["give tenants four months' notice", "limit rent increases to once a year, as set out in the text of the bill",
                 "register every property", "fix serious damp and mould", "38 percent of members",
                 "22 percent said", "only 9 percent said",
                 "Tenants' groups, led by Generation Rent, welcomed the bill but said the database should be open"]:
        assert item in sent["text"], item
    assert [link["href"] for link in sent["links"]] == [
        "https://www.legislation.example/bill/42", "https://renters.example/", "https://news.example/database"]


def test_a_home_page_of_links_is_called_that_not_graded(ext, site, page, panel):
    sent = analyse_fixture(ext, site, page, "home", wait_for="error")
    assert sent is None  # nothing goes to the server
    card = panel.text()
    assert "This page is not an article" in card, card
    assert "It is a list of links to other articles (8 linked headlines" in card, card
    assert page.evaluate("CSS.highlights.size") == 0


def test_japanese_words_are_counted_by_segmenter_and_the_page_is_sent(ext, site, page):
    sent = analyse_fixture(ext, site, page, "japanese", wait_for=None)
    assert sent is not None and "市は十日、中央図書館を" in sent["text"]  # not refused as "too little text"


WORDS_JS = "(texts) => texts.map((t) => SourcelightExtract.countWords(t))"


def test_word_counts_for_scripts_without_spaces(page):
    page.set_content("<p>x</p>")
    for f in EXTRACT_SCRIPTS:
        page.add_script_tag(path=str(EXTENSION / f))
    counts = page.evaluate(WORDS_JS, [
        "The council voted 9 to 4 on Thursday.",
        "市は十日、中央図書館を来月から日曜日も開館すると発表した。",
        "市政府十日宣布,中央图书馆下个月起星期日也开放。",
        "ห้องสมุดกลางจะเปิดให้บริการในวันอาทิตย์",
        "Tokyo 東京都 announced 発表した today.",
    ])
    assert counts[0] == 8
    assert counts[1] >= 12 and counts[2] >= 10 and counts[3] >= 5, counts  # one "word" each by spaces
    assert counts[4] >= 6, counts
