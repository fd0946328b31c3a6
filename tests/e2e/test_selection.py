"""#9 item 2, "Analyse selected text": a context-menu item and a keyboard command. Playwright cannot
click a context menu or press a browser-level shortcut, so the tests call the very handlers the
service worker registers for them (contextMenus.onClicked, commands.onCommand) and check that the
menu item and the command are registered. Real server, real extension, Debian's Chromium."""
from __future__ import annotations

import pytest

from .e2e_support import HOST, wait_state

pytestmark = pytest.mark.e2e

# Too short for "Analyse this page" (under 30 words), so only the selection can be analysed.
SHORT_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bridge</title></head>
<body><div class="wrap"><p id="passage">Officials said on Monday that the bridge would reopen next week.
Critics say the repairs were <em>rushed</em>, according to a report by the
<a href="https://example.org/review">city auditor</a>.</p><p>Share this.</p></div></body></html>"""

# Every painted range, and whether it lies inside one of the elements with the ids given.
PAINTED_IN_JS = """(ids) => { const boxes = ids.map((id) => document.getElementById(id)); const out = [];
  for (const [name, h] of CSS.highlights) for (const r of h)
    out.push({name, text: r.toString(), inside: boxes.some((b) => b.contains(r.commonAncestorContainer))});
  return out; }"""

SELECT_JS = """([first, last]) => { const r = document.createRange();
  r.setStart(document.getElementById(first), 0);
  const end = document.getElementById(last); r.setEnd(end, end.childNodes.length);
  const s = getSelection(); s.removeAllRanges(); s.addRange(r); return s.toString(); }"""

HANDLER_JS = """async ([url, how]) => {
  const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
  if (how === 'menu') return onMenuClicked({menuItemId: SourcelightConst.SELECTION_MENU_ID, frameId: 0,
                                            selectionText: 'ignored', editable: false}, tab);
  return onCommand(SourcelightConst.SELECTION_COMMAND, tab);
}"""


def squash(text: str) -> str:
    return " ".join(text.split())


def category(span: dict) -> str:
    return f"source-{span['source_type']}" if span["label"] == "source" else span["label"]


def test_menu_item_and_command_are_registered(ext):
    # contextMenus.update succeeds only for an item that exists (a made-up id is refused).
    update = """(id) => new Promise((resolve) => chrome.contextMenus.update(id, {},
        () => resolve(chrome.runtime.lastError ? chrome.runtime.lastError.message : 'ok')))"""
    assert ext.sw.evaluate(update, "sourcelight-analyse-selection") == "ok"
    assert ext.sw.evaluate(update, "no-such-item") != "ok"
    commands = {c["name"]: c for c in ext.sw.evaluate("() => chrome.commands.getAll()")}
    assert commands["analyse-selection"]["description"] == "Analyse selected text"
    assert commands["analyse-selection"]["shortcut"] == "Alt+Shift+S"
    assert "contextMenus" in ext.sw.evaluate("() => chrome.runtime.getManifest().permissions")


def test_menu_analyses_only_the_selection_on_a_page_too_short_to_analyse(ext, server, site, page, panel, artifacts):
    url = site.add_page("short-passage.html", SHORT_PAGE)
    page.goto(url)
    ext.analyse(page, wait_for="error")  # the page itself: too little text
    assert "Too little text to analyse" in panel.text(".status")

    selected = page.evaluate(SELECT_JS, ["passage", "passage"])
    ext.record_requests()
    assert ext.sw.evaluate(HANDLER_JS, [url, "menu"]) == {"ok": True}
    wait_state(page, "done")
    sent = ext.sent_requests()
    ext.stop_recording()
    assert len(sent) == 1
    assert sent[0]["text"] == squash(selected)  # only the selection's text
    link = sent[0]["links"][0]
    assert sent[0]["text"][link["start"]:link["end"]] == "city auditor"
    assert link["href"] == "https://example.org/review"

    answer = server.analyze(sent[0])
    expected = sorted((category(s), squash(s["text"])) for s in answer["spans"] if s["label"] != "content")
    found = page.evaluate(PAINTED_IN_JS, ["passage"])
    assert sorted((h["name"].removeprefix("sourcelight-"), squash(h["text"])) for h in found) == expected
    assert found and all(h["inside"] for h in found)
    assert "Officials" in {h["text"] for h in found}
    assert "selected words" in panel.text(".elapsed")
    page.screenshot(path=str(artifacts / "selection-panel.png"))


def test_command_analyses_a_passage_of_a_long_article(ext, server, site, page, panel):
    page.goto(site.page_url("seed-article.html"))
    # The reader selects two paragraphs of the seed article (ids added here to address them).
    page.evaluate("""() => { const ps = [...document.querySelectorAll('article p')];
        ps.find((p) => p.textContent.startsWith('This report comes')).id = 'first';
        ps.find((p) => p.textContent.startsWith('Prior to the December')).id = 'last'; }""")
    selected = page.evaluate(SELECT_JS, ["first", "last"])
    ext.record_requests()
    assert ext.sw.evaluate(HANDLER_JS, [page.url, "command"]) == {"ok": True}
    wait_state(page, "done")
    sent = ext.sent_requests()
    ext.stop_recording()
    assert len(sent) == 1
    text = sent[0]["text"]
    assert text.startswith("This report comes amid") and text.endswith("operational capacity.")
    assert "\n\n" in text and squash(text) == squash(selected)
    found = page.evaluate(PAINTED_IN_JS, ["first", "last"])
    assert found and all(h["inside"] for h in found)
    assert "Sources within the coalition" in {h["text"] for h in found}
    answer = server.analyze(sent[0])
    assert len(found) == len([s for s in answer["spans"] if s["label"] != "content"])


def test_nothing_selected_is_said(ext, site, page, panel):
    page.goto(site.page_url("seed-article.html"))
    page.evaluate("getSelection().removeAllRanges()")
    assert ext.sw.evaluate(HANDLER_JS, [page.url, "menu"]) == {"ok": True}
    wait_state(page, "error")
    assert "No text is selected" in panel.text(".status")
    assert page.evaluate(f"document.querySelectorAll('{HOST}').length") == 1
    assert page.evaluate("CSS.highlights.size") == 0
