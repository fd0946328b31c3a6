"""Clear messages when the server is not running, refuses the request (413), or the text is too short."""
from __future__ import annotations

import pytest

from .e2e_support import ServerProcess, free_port

pytestmark = pytest.mark.e2e

SHORT_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Brief</title></head>
<body><article><h1>Brief</h1><p>Officials said the road is closed.</p></article></body></html>"""


@pytest.fixture(scope="module")
def small_server():
    """A second real server that accepts at most 500 characters of text."""
    s = ServerProcess("small", "--max-text-chars", "500")
    yield s
    s.stop()


def test_server_not_running_says_how_to_start_it(ext, site, page, panel, artifacts):
    dead = f"http://127.0.0.1:{free_port()}"  # nothing listens here
    ext.set_storage({"serverUrl": dead})
    page.goto(site.page_url("seed-article.html"))
    ext.analyse(page, wait_for="error")
    text = panel.text(".status")
    assert "server is not running" in text
    assert dead in text
    assert "make run" in text and "sourcelight serve" in text
    assert panel.count("button.retry") == 1
    assert page.evaluate("CSS.highlights.size") == 0
    page.screenshot(path=str(artifacts / "server-down.png"))


def test_refused_413_is_explained(ext, small_server, site, page, panel):
    ext.set_storage({"serverUrl": small_server.url})
    page.goto(site.page_url("seed-article.html"))
    ext.analyse(page, wait_for="error")
    text = panel.text(".status")
    assert "too long" in text
    assert "HTTP 413" in text and "text_too_long" in text
    assert "--max-text-chars" in text
    assert page.evaluate("CSS.highlights.size") == 0


def test_too_little_text(ext, site, page, panel):
    url = site.add_page("short.html", SHORT_PAGE)
    page.goto(url)
    ext.analyse(page, wait_for="error")
    assert "Too little text to analyse" in panel.text(".status")
