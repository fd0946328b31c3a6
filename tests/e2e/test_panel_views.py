"""#9 item 4, a panel that does not hide the story: it opens as a small badge with the grade
(click to expand), can be expanded or docked to the side (the page makes room), and the reader's
choice is remembered across page loads. Real server, real extension, Debian's Chromium; the
screenshots are in artifacts/ (views-*.png)."""
from __future__ import annotations

import pytest

from .e2e_support import HOST, free_port, wait_state

pytestmark = pytest.mark.e2e

SEED = "seed-article.html"
# Boxes of the article's paragraphs and headline, in viewport coordinates (the page is at the top).
TEXT_BOXES_JS = """() => Array.from(document.querySelectorAll('article h1, article p')).map((e) => {
  const r = e.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"""
RECT = "(() => { const r = this.getBoundingClientRect(); return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })()"
MARGIN_JS = "getComputedStyle(document.documentElement).marginRight"


def overlaps(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def view(page) -> str:
    return page.evaluate(f"document.querySelector('{HOST}').getAttribute('data-view')")


def stored_view(ext) -> str | None:
    return ext.storage().get("panelView")


def test_opens_as_a_badge_with_the_grade_and_covers_no_text(ext, site, page, panel, artifacts):
    ext.sw.evaluate("() => chrome.storage.local.remove('panelView')")  # a new reader: the default
    page.goto(site.page_url(SEED))
    boxes = page.evaluate(TEXT_BOXES_JS)
    ext.analyse(page)
    assert view(page) == "badge"
    assert panel.visible("button.badge") and not panel.visible(".panel")
    grade = panel.text(".badge-grade")
    assert grade in {"strong", "mixed", "weak"}
    assert panel.text(".badge-score").isdigit()
    badge = panel.prop("button.badge", RECT)
    assert badge["right"] - badge["left"] < 260 and badge["bottom"] - badge["top"] < 40
    assert not [b for b in boxes if overlaps(b, badge)]
    assert page.evaluate(TEXT_BOXES_JS) == boxes  # the page's layout is untouched
    assert page.evaluate("CSS.highlights.size") > 0
    page.screenshot(path=str(artifacts / "views-badge.png"))

    panel.click("button.badge")  # the reader expands it: shown and remembered
    assert view(page) == "expanded" and panel.visible(".panel") and not panel.visible("button.badge")
    assert panel.text(".panel .grade") == grade
    assert stored_view(ext) == "expanded"
    page.screenshot(path=str(artifacts / "views-expanded.png"))


def test_docked_panel_takes_a_column_and_the_choice_persists(ext, site, page, panel, artifacts):
    page.goto(site.page_url(SEED))
    ext.analyse(page)
    assert view(page) == "expanded"
    panel.click("header button.dock")
    assert view(page) == "docked"
    assert stored_view(ext) == "docked"
    page.wait_for_function(f"{MARGIN_JS} === '360px'")
    width = page.evaluate("document.documentElement.clientWidth")
    dock = panel.prop(".panel", RECT)
    assert dock["left"] == width - 360 and dock["top"] == 0 and dock["bottom"] == page.viewport_size["height"]
    boxes = page.evaluate(TEXT_BOXES_JS)
    assert boxes and all(b["right"] <= dock["left"] for b in boxes), boxes
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.screenshot(path=str(artifacts / "views-docked.png"))

    # A new page load opens docked at once, with the page's room made again.
    page.reload()
    assert page.evaluate(MARGIN_JS) == "0px"
    ext.analyse(page)
    assert view(page) == "docked"
    page.wait_for_function(f"{MARGIN_JS} === '360px'")
    assert all(b["right"] <= dock["left"] for b in page.evaluate(TEXT_BOXES_JS))

    # Floating again gives the page its width back; closing a docked panel does too.
    panel.click("header button.dock")
    assert view(page) == "expanded" and stored_view(ext) == "expanded"
    page.wait_for_function(f"{MARGIN_JS} === '0px'")
    panel.click("header button.dock")
    page.wait_for_function(f"{MARGIN_JS} === '360px'")
    panel.click('header button[aria-label^="Close"]')
    page.wait_for_function(f"{MARGIN_JS} === '0px'")
    assert page.evaluate(f"document.querySelector('{HOST}')") is None
    assert stored_view(ext) == "docked"  # closing is not a choice of view


def test_collapsed_choice_persists_and_an_error_still_shows(ext, site, page, panel):
    page.goto(site.page_url(SEED))
    ext.analyse(page)
    panel.click("header button.collapse")
    assert view(page) == "badge" and stored_view(ext) == "badge"
    page.reload()
    ext.analyse(page)
    assert view(page) == "badge" and panel.visible("button.badge")

    # An error must be read: it opens the panel, without changing the reader's choice.
    ext.set_storage({"serverUrl": f"http://127.0.0.1:{free_port()}"})
    page.reload()
    ext.analyse(page, wait_for="error")
    assert view(page) == "expanded" and panel.visible(".error")
    assert "server is not running" in panel.text(".status")
    assert stored_view(ext) == "badge"
    panel.click("header button.collapse")
    assert panel.text("button.badge").endswith("!")
    wait_state(page, "error")
