"""The toolbar popup (server status, Analyse, auto-analyse per site, last grade) and the options
page (server address, categories), used through their own UI."""
from __future__ import annotations

import pytest

from .e2e_support import by_category, free_port, wait_state

pytestmark = pytest.mark.e2e


def open_popup(ext, chromium, page):
    """The action popup's page, opened as a small window over `page`'s window: it then acts on
    `page` exactly as the toolbar popup does (the active tab of the last focused normal window)."""
    page.bring_to_front()
    with chromium.expect_page() as info:
        ext.sw.evaluate("(url) => chrome.windows.create({url, type: 'popup', width: 320, height: 420})",
                        ext.url("popup/popup.html"))
    popup = info.value
    popup.wait_for_load_state()
    return popup


def test_popup_status_analyse_and_last_grade(ext, server, site, page, chromium, artifacts):
    page.goto(site.page_url("seed-article.html"))
    popup = open_popup(ext, chromium, page)
    popup.wait_for_selector("#server.ok")
    assert f"Server running at {server.url}" in popup.text_content("#server")
    assert popup.text_content("#site") == "127.0.0.1"
    popup.screenshot(path=str(artifacts / "popup.png"))
    with popup.expect_event("close"):
        popup.click("#analyse")  # the popup closes itself once analysis has started
    wait_state(page, "done")
    assert by_category(page)

    popup = open_popup(ext, chromium, page)
    popup.wait_for_selector("#last:not([hidden])")
    stored = ext.storage()["lastResult"]
    assert popup.text_content("#last-grade") == stored["grade"]
    assert popup.text_content("#last-score").startswith(f"{stored['score']}/100")
    assert "Coalition strikes ISIS positions" in popup.text_content("#last-title")
    popup.close()


def test_popup_says_when_server_is_down(ext, site, page, chromium):
    ext.set_storage({"serverUrl": f"http://127.0.0.1:{free_port()}"})
    page.goto(site.page_url("seed-article.html"))
    popup = open_popup(ext, chromium, page)
    popup.wait_for_selector("#server.down")
    text = popup.text_content("#server")
    assert "not running" in text and "make run" in text and "sourcelight serve" in text
    popup.close()


def test_auto_analyse_per_site(ext, site, page, chromium):
    page.goto(site.page_url("seed-article.html"))
    popup = open_popup(ext, chromium, page)
    popup.check("#auto")
    popup.wait_for_function("() => true")
    page.wait_for_timeout(300)
    assert ext.storage()["autoSites"] == ["http://127.0.0.1"]
    registered = ext.sw.evaluate("() => chrome.scripting.getRegisteredContentScripts()")
    assert [r["matches"] for r in registered] == [["http://127.0.0.1/*"]]
    popup.close()

    auto_page = chromium.new_page()
    auto_page.goto(site.page_url("seed-article.html"))
    wait_state(auto_page, "done")  # nobody clicked Analyse
    assert "Sources within the coalition" in by_category(auto_page)["source-anonymous"]
    auto_page.close()

    popup = open_popup(ext, chromium, page)
    assert popup.is_checked("#auto")
    popup.uncheck("#auto")
    page.wait_for_timeout(300)
    assert ext.storage()["autoSites"] == []
    assert ext.sw.evaluate("() => chrome.scripting.getRegisteredContentScripts()") == []
    popup.close()


def test_options_server_address_and_categories(ext, server, site, page, chromium, artifacts):
    options = chromium.new_page()
    options.goto(ext.url("options/options.html"))
    options.wait_for_function("() => document.querySelector('#server-url').value !== ''")
    assert options.input_value("#server-url") == server.url

    options.fill("#server-url", "http://example.com:8765")
    options.click("#server-form button[type=submit]")
    assert "only reach this computer" in options.text_content("#server-message")
    assert ext.storage()["serverUrl"] == server.url

    options.fill("#server-url", server.url.replace("127.0.0.1", "localhost") + "/")
    options.click("#server-form button[type=submit]")
    options.wait_for_selector("#server-message.ok >> text=Server running")
    assert ext.storage()["serverUrl"] == server.url.replace("127.0.0.1", "localhost")

    assert options.is_checked('input[data-category="source-vague"]')
    assert not options.is_checked('input[data-category="content"]')  # off by default
    options.uncheck('input[data-category="source-vague"]')
    options.wait_for_timeout(200)
    assert ext.storage()["categories"] == {"source-vague": False}
    options.screenshot(path=str(artifacts / "options.png"), full_page=True)
    options.close()

    page.goto(site.page_url("seed-article.html"))
    ext.analyse(page)
    painted = by_category(page)
    assert "source-vague" not in painted and "source-anonymous" in painted
