"""Page text and server text are rendered as text, never as HTML; permissions stay minimal."""
from __future__ import annotations

import html
import json

import pytest

from .e2e_support import EXTENSION, extension_text

pytestmark = pytest.mark.e2e

MARKUP = "<img src=x onerror=alert(1)>"
SOURCE_MARKUP = f"The report titled {MARKUP}<b>Alpha</b>"
PARAGRAPHS = [
    f"{SOURCE_MARKUP} showed that the coalition base was struck twice on Monday night, "
    "and that the second strike hit a fuel depot near the river.",
    f"“The page showed {MARKUP} where the minister’s photo should be,” said John Smith, "
    "a spokesman for the ministry, adding that the website was repaired within the hour.",
    "Reuters reported that engineers restored the ministry’s servers late on Tuesday, "
    "while local residents described long queues at the fuel stations across the province.",
    "Critics argue that the government was slow to respond, and opponents warn that further "
    "outages could follow if the attacks continue through the winter months.",
]
XSS_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    f"<title>{html.escape(MARKUP)} Ministry site defaced | Example News</title></head><body>"
    "<article>"
    + "".join(f"<p>{html.escape(p)}</p>" for p in PARAGRAPHS)
    + "</article></body></html>"
)


def test_markup_in_the_article_and_in_why_renders_as_text(ext, server, site, page, panel, chromium):
    url = site.add_page("xss.html", XSS_PAGE)
    page.goto(url)
    ext.analyse(page)

    answer = server.analyze(extension_text(chromium, url))
    marked = [s for s in answer["spans"] if MARKUP in s["why"]]
    assert marked, "the engine no longer echoes article text in `why`; this test needs another way to get markup"

    # Keyboard to the span whose `why` carries markup: the tooltip shows it literally.
    order = sorted((s for s in answer["spans"] if s["label"] != "content"), key=lambda s: (s["start"], -s["end"]))
    for _ in range(order.index(marked[0]) + 1):
        page.keyboard.press("Alt+Shift+N")
    assert marked[0]["why"] in panel.text(".tooltip")
    assert any(MARKUP in name for name in panel.texts(".who .name"))

    page.wait_for_timeout(300)  # an <img src=x> would have failed to load and fired onerror by now
    assert page.dialogs == []
    assert panel.count("img, b, script") == 0
    assert page.evaluate("document.querySelectorAll('img, b').length") == 0

    # The popup shows the last result's title (from the page) as text too.
    popup = chromium.new_page()
    dialogs = []
    popup.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    popup.goto(ext.url("popup/popup.html"))
    popup.wait_for_selector("#last:not([hidden])")
    assert MARKUP in popup.text_content("#last-title")
    assert popup.locator("img, b").count() == 0
    popup.wait_for_timeout(300)
    assert dialogs == []
    popup.close()


def test_manifest_permissions_are_minimal():
    manifest = json.loads((EXTENSION / "manifest.json").read_text())
    assert sorted(manifest["permissions"]) == ["activeTab", "scripting", "storage"]
    assert manifest["host_permissions"] == ["http://127.0.0.1/*", "http://localhost/*"]
    # Other sites only on request, one site at a time, for auto-analyse.
    assert manifest["optional_host_permissions"] == ["*://*/*"]
    assert "content_scripts" not in manifest and "web_accessible_resources" not in manifest
    assert "externally_connectable" not in manifest
    csp = manifest["content_security_policy"]["extension_pages"]
    assert "script-src 'self'" in csp and "unsafe" not in csp


def test_no_html_sinks_in_extension_code():
    """textContent only: no innerHTML/outerHTML/insertAdjacentHTML/document.write/eval in our code."""
    sinks = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"]
    for path in EXTENSION.rglob("*.js"):
        if "vendor" in path.parts:
            continue  # Readability parses only the cloned, inert document
        source = path.read_text()
        assert not [s for s in sinks if s in source], path
