"""Keyboard navigation, tooltips on keyboard focus, legend toggles, who-says-what, collapse, Esc."""
from __future__ import annotations

import pytest

from .e2e_support import by_category, extension_text

pytestmark = pytest.mark.e2e

FOCUS_JS = """() => { const h = CSS.highlights.get('sourcelight-focus');
  if (!h) return null; const [r] = h; const b = r.getBoundingClientRect();
  return {text: r.toString(), top: b.top, bottom: b.bottom}; }"""


@pytest.fixture
def analysed(ext, site, page):
    page.goto(site.page_url("seed-article.html"))
    ext.analyse(page)
    return page


@pytest.fixture
def answer(server, chromium, site):
    return server.analyze(extension_text(chromium, site.page_url("seed-article.html")))


def in_order(answer, hidden=("content",)):
    spans = [s for s in answer["spans"] if s["label"] not in hidden]
    return sorted(spans, key=lambda s: (s["start"], -s["end"]))


def test_next_and_previous_finding_from_the_keyboard(analysed, panel, answer):
    page = analysed
    order = in_order(answer)
    page.keyboard.press("Alt+Shift+N")
    focus = page.evaluate(FOCUS_JS)
    assert focus["text"] == order[0]["text"]
    assert panel.visible(".tooltip")
    assert order[0]["why"] in panel.text(".tooltip")

    page.keyboard.press("Alt+Shift+N")
    assert page.evaluate(FOCUS_JS)["text"] == order[1]["text"]
    assert order[1]["why"] in panel.text(".tooltip")

    page.keyboard.press("Alt+Shift+P")
    assert page.evaluate(FOCUS_JS)["text"] == order[0]["text"]
    page.keyboard.press("Alt+Shift+P")  # wraps to the last finding, scrolled into view
    focus = page.evaluate(FOCUS_JS)
    assert focus["text"] == order[-1]["text"]
    assert 0 <= focus["top"] and focus["bottom"] <= page.viewport_size["height"]
    assert order[-1]["why"] in panel.text(".tooltip")
    # The panel's own buttons do the same.
    panel.click("button.next")
    assert page.evaluate(FOCUS_JS)["text"] == order[0]["text"]

    # Esc: first the tooltip goes, then the panel and every highlight.
    page.keyboard.press("Escape")
    assert not panel.visible(".tooltip")
    assert panel.visible(".panel")
    page.keyboard.press("Escape")
    assert page.evaluate("document.querySelector('[data-sourcelight]')") is None
    assert page.evaluate("CSS.highlights.size") == 0


def test_legend_toggles_a_category(analysed, panel):
    page = analysed
    assert "source-anonymous" in by_category(page)
    panel.click('input[data-category="source-anonymous"]')
    assert "source-anonymous" not in by_category(page)
    assert "source-vague" in by_category(page)
    panel.click('input[data-category="source-anonymous"]')
    assert "Sources within the coalition" in by_category(page)["source-anonymous"]
    # "What the source said" is listed but starts switched off.
    assert "content" not in by_category(page)
    panel.click('input[data-category="content"]')
    assert by_category(page)["content"]


def test_who_says_what_scrolls_to_each_mention(analysed, panel, answer):
    page = analysed
    spans = {s["id"]: s for s in answer["spans"]}
    index, source = next((i, s) for i, s in enumerate(answer["sources"]) if len(s["mentions"]) >= 2)
    mentions = sorted((spans[m] for m in source["mentions"]), key=lambda s: s["start"])
    seen = []
    for _ in mentions:
        panel.click(".who button.source", index)
        focus = page.evaluate(FOCUS_JS)
        assert 0 <= focus["top"] and focus["bottom"] <= page.viewport_size["height"]
        seen.append(focus["text"])
    assert sorted(seen) == sorted(m["text"] for m in mentions)


COLON_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bridge to reopen</title></head>
<body><article><h1>Bridge to reopen before winter</h1>
<p>The old bridge over the river closed in March after engineers found cracks in two of its piers.</p>
<p>Mayor Ana Ruiz said: “We will rebuild the bridge before winter, whatever it costs the city.”</p>
<p>Work on the new piers began on Monday, and the crews expect to finish the deck by October.</p>
</article></body></html>"""


def test_who_says_what_shows_one_colon_after_a_cue_that_keeps_its_own(ext, site, page, panel):
    page.goto(site.add_page("colon.html", COLON_PAGE))
    ext.analyse(page)
    claims = panel.text(".who-says-what")
    assert "said: “We will rebuild" in claims, claims
    assert "::" not in claims


def test_panel_collapses_and_expands(analysed, panel):
    assert panel.visible(".body")
    panel.click("header button.collapse")
    assert not panel.visible(".body")
    assert panel.prop("button.badge", "this.getAttribute('aria-expanded')") == "false"
    assert panel.visible(".badge-grade")  # the grade stays in sight, in the badge
    panel.click("button.badge")
    assert panel.visible(".body")
    panel.click('header button[aria-label^="Close"]')
    assert analysed.evaluate("CSS.highlights.size") == 0
