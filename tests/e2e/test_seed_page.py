"""The user's own example: the seed article, analysed by the real server through the extension
in Debian's Chromium. Also the screenshots (panel open; a tooltip shown)."""
from __future__ import annotations

import pytest

from .e2e_support import by_category, extension_text, highlights, save_json

pytestmark = pytest.mark.e2e

SEED = "seed-article.html"
# Boxes of everything in the article, in page coordinates: they must not move when highlighted.
ARTICLE_BOXES_JS = """() => Array.from(document.querySelectorAll('article > *')).map((e) => {
  const r = e.getBoundingClientRect();
  return [e.localName, r.x, r.y + scrollY, r.width, r.height];
})"""
# Text outside the article that reads like sourcing: none of it may be highlighted.
OUTSIDE_TEXTS = ["Officials say", "Critics say", "Sources: star striker", "analysts expect",
                 "Sources say", "according to my cousin", "Most read"]


def squash(text: str) -> str:
    return " ".join(text.split())


def category(span: dict) -> str:
    return f"source-{span['source_type']}" if span["label"] == "source" else span["label"]


def test_seed_article_is_highlighted_and_summarised(ext, server, site, page, panel, chromium, artifacts):
    url = site.page_url(SEED)
    page.goto(url)
    boxes_before = page.evaluate(ARTICLE_BOXES_JS)
    article_html_before = page.evaluate("document.querySelector('article').innerHTML")

    ext.analyse(page)

    # Sources highlighted by kind.
    painted = by_category(page)
    assert "Sources within the coalition" in painted.get("source-anonymous", []), painted
    assert "critics" in painted.get("source-vague", []), painted
    assert "Al Hadath TV" in painted.get("source-named_outlet", []), painted

    # Nothing outside the article: not the sidebar, the advertisement, "Most read" or the comments.
    found = highlights(page)
    assert found
    stray = [h for h in found if not h["inArticle"] or h["outside"]]
    assert not stray, stray
    assert not [t for t in OUTSIDE_TEXTS for h in found if t.lower() in h["text"].lower()]

    # No layout shift and no DOM change in the article.
    assert page.evaluate(ARTICLE_BOXES_JS) == boxes_before
    assert page.evaluate("document.querySelector('article').innerHTML") == article_html_before

    # The server's answer for the very text the extension sent: every span painted, exactly.
    request = extension_text(chromium, url)
    answer = server.analyze(request)
    save_json(artifacts / "seed-analysis.json", answer)
    expected = sorted((category(s), squash(s["text"])) for s in answer["spans"] if s["label"] != "content")
    got = sorted((h["name"].removeprefix("sourcelight-"), squash(h["text"])) for h in found)
    assert got == expected

    # The panel shows the grade, the score and every reason, in a closed shadow root.
    summary = answer["summary"]
    assert panel.root_type() == "closed"
    assert page.evaluate("document.querySelector('[data-sourcelight]').shadowRoot") is None
    assert panel.text(".grade") == summary["grade"]
    assert panel.text(".score").startswith(f"{summary['score']}/100")
    reasons = panel.texts(".reasons li")
    assert len(reasons) == len(summary["reasons"]) > 0
    for shown, reason in zip(reasons, summary["reasons"]):
        assert reason["text"] in shown
    text = panel.text()
    assert "Who says what" in text and "Readability" in text and "Analysed" in text
    names = panel.texts(".who .name")
    assert names == [s["name"] for s in answer["sources"]]
    page.screenshot(path=str(artifacts / "seed-panel.png"))
    panel.prop(".highlights", "this.scrollIntoView({block: 'start'})")  # the panel's own scroll
    page.screenshot(path=str(artifacts / "seed-panel-legend.png"))

    # Hovering a highlight shows its `why`.
    target = next(h for h in found if h["text"] == "Sources within the coalition")
    span = next(s for s in answer["spans"] if s["text"] == "Sources within the coalition")
    page.evaluate("(dy) => window.scrollBy(0, dy)", target["y1"] - 300)
    target = next(h for h in highlights(page) if h["text"] == "Sources within the coalition")
    page.mouse.move(target["x1"] + target["w1"] / 2, target["y1"] + target["h1"] / 2)
    page.wait_for_timeout(100)
    assert panel.visible(".tooltip")
    tip = panel.text(".tooltip")
    assert "Anonymous source" in tip and span["why"] in tip and "Sources within the coalition" in tip
    page.screenshot(path=str(artifacts / "seed-tooltip.png"))
    assert page.dialogs == []
