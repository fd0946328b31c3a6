"""Helpers for the real-browser tests: the real Sourcelight server, a local site serving the
fixture pages, and Debian's Chromium with the unpacked extension (driven by Playwright).

Nothing here downloads a browser: /usr/bin/chromium and /usr/bin/firefox-esr come from
scripts/install-browsers.sh (run by `make test`).
"""
from __future__ import annotations

import contextlib
import functools
import http.server
import json
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

import support
from support import free_port  # noqa: F401  (used by the tests)

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
FIXTURES = ROOT / "tests" / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = "/usr/bin/chromium"
FIREFOX = "/usr/bin/firefox-esr"
# Closed network: no background traffic, no updates, no sync.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ANALYSIS_TIMEOUT_MS = 60_000
# The panel's host: a plain <div> marked with this attribute (overlay.js HOST_ATTRIBUTE).
HOST_ATTRIBUTE = "data-sourcelight"
HOST = f"[{HOST_ATTRIBUTE}]"


class ServerProcess(support.ServerProcess):
    """The shared server helper, with its log kept in artifacts/ under a name."""

    def __init__(self, name: str, *extra: str):
        ARTIFACTS.mkdir(exist_ok=True)
        super().__init__(*extra, log_path=ARTIFACTS / f"server-{name}.log")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Site:
    """A local web site (another free port) serving tests/fixtures plus pages written by tests."""

    def __init__(self, root: Path):
        self.root = root
        shutil.copytree(FIXTURES, root, dirs_exist_ok=True)
        handler = functools.partial(QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def add_page(self, name: str, html: str) -> str:
        (self.root / name).write_text(html, encoding="utf-8")
        return f"{self.url}/{name}"

    def page_url(self, name: str) -> str:
        return f"{self.url}/{name}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


class Extension:
    """Talks to the extension's service worker: settings, triggering analysis like the popup does."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.sw = ctx.service_workers[0] if ctx.service_workers else ctx.wait_for_event("serviceworker")
        self.id = self.sw.url.split("/")[2]

    def reset(self, server_url: str) -> None:
        # The same storage the options page edits. The panel opens expanded (the reader's choice
        # remembered), so the tests can read and click it; test_panel_views.py starts from the
        # default view, the badge.
        self.sw.evaluate(
            "async (url) => { await chrome.storage.local.clear();"
            " await chrome.storage.local.set({serverUrl: url, panelView: 'expanded'}); }",
            server_url,
        )

    def storage(self) -> dict:
        return self.sw.evaluate("() => chrome.storage.local.get(null)")

    def set_storage(self, values: dict) -> None:
        self.sw.evaluate("(v) => chrome.storage.local.set(v)", values)

    def analyse(self, page, wait_for: str | None = "done") -> None:
        """What the popup's Analyse button does (ANALYSE_TAB in the service worker), for `page`."""
        reply = self.sw.evaluate(
            """async (url) => {
                const tabs = await chrome.tabs.query({});
                const tab = tabs.find((t) => t.url === url);
                if (!tab) return {ok: false, error: 'no tab for ' + url};
                return analyseTab(tab.id);
            }""",
            page.url,
        )
        assert reply.get("ok"), reply
        if wait_for:
            wait_state(page, wait_for)

    def url(self, path: str) -> str:
        return f"chrome-extension://{self.id}/{path}"

    # A spy, not a stand-in: the service worker's fetch still goes to the real server; the spy
    # only keeps a copy of each request body so a test can see what the extension sent.
    def record_requests(self) -> None:
        self.sw.evaluate(
            """() => { if (!globalThis.__sourcelightSpy) {
                const spy = {fetch: globalThis.fetch, bodies: []};
                globalThis.__sourcelightSpy = spy;
                globalThis.fetch = function (input, init) {
                  if (init && typeof init.body === 'string') spy.bodies.push(init.body);
                  return spy.fetch.call(this, input, init); };
              }
              globalThis.__sourcelightSpy.bodies = []; }"""
        )

    def sent_requests(self) -> list[dict]:
        """Bodies the service worker POSTed since record_requests() (empty if it was restarted)."""
        bodies = self.sw.evaluate("() => globalThis.__sourcelightSpy ? globalThis.__sourcelightSpy.bodies : []")
        return [json.loads(b) for b in bodies]

    def stop_recording(self) -> None:
        self.sw.evaluate(
            "() => { const spy = globalThis.__sourcelightSpy; if (spy) { globalThis.fetch = spy.fetch; delete globalThis.__sourcelightSpy; } }"
        )


def wait_state(page, state: str, timeout: int = ANALYSIS_TIMEOUT_MS) -> None:
    page.wait_for_function(
        "([host, state]) => { const h = document.querySelector(host); return h && h.getAttribute('data-state') === state; }",
        arg=[HOST, state],
        timeout=timeout,
    )


class ClosedShadow:
    """Reads and clicks inside the panel's CLOSED shadow root through the DevTools protocol
    (DOM.getDocument with pierce), which page scripts and Playwright locators cannot reach."""

    def __init__(self, page):
        self.page = page
        self.cdp = page.context.new_cdp_session(page)

    def _root(self) -> dict | None:
        doc = self.cdp.send("DOM.getDocument", {"depth": -1, "pierce": True})["root"]
        stack = [doc]
        while stack:
            node = stack.pop()
            if HOST_ATTRIBUTE in node.get("attributes", [])[::2]:
                return node["shadowRoots"][0] if node.get("shadowRoots") else None
            stack.extend(node.get("children", []))
            stack.extend(node.get("shadowRoots", []))
        return None

    def root_type(self) -> str | None:
        root = self._root()
        return root and root.get("shadowRootType")

    def _nodes(self, selector: str) -> list[int]:
        root = self._root()
        if not root:
            return []
        return self.cdp.send("DOM.querySelectorAll", {"nodeId": root["nodeId"], "selector": selector})["nodeIds"]

    def _call(self, node_id: int, fn: str):
        obj = self.cdp.send("DOM.resolveNode", {"nodeId": node_id})["object"]
        res = self.cdp.send("Runtime.callFunctionOn", {"objectId": obj["objectId"], "functionDeclaration": fn, "returnByValue": True})
        return res["result"].get("value")

    def count(self, selector: str) -> int:
        return len(self._nodes(selector))

    def texts(self, selector: str) -> list[str]:
        return [self._call(n, "function () { return this.textContent; }") for n in self._nodes(selector)]

    def text(self, selector: str = ".panel") -> str:
        found = self.texts(selector)
        return found[0] if found else ""

    def prop(self, selector: str, expr: str):
        nodes = self._nodes(selector)
        assert nodes, f"nothing matches {selector!r} in the panel"
        return self._call(nodes[0], f"function () {{ return {expr}; }}")

    def visible(self, selector: str) -> bool:
        nodes = self._nodes(selector)
        return bool(nodes) and self._call(
            nodes[0], "function () { const r = this.getBoundingClientRect(); return !this.closest('[hidden]') && r.width > 0 && r.height > 0; }"
        )

    def click(self, selector: str, index: int = 0) -> None:
        """A real mouse click at the element's centre (a user gesture, like a reader's)."""
        nodes = self._nodes(selector)
        assert len(nodes) > index, f"nothing matches {selector!r} in the panel"
        self._call(nodes[index], "function () { this.scrollIntoView({block: 'nearest'}); }")
        box = self._call(nodes[index], "function () { const r = this.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }")
        self.page.mouse.click(box[0] + box[2] / 2, box[1] + box[3] / 2)


# Main-world helpers: the highlight registry is per document, so the page can list what is painted.
HIGHLIGHTS_JS = """() => {
  const out = [];
  for (const [name, h] of CSS.highlights) {
    for (const r of h) {
      const box = r.getBoundingClientRect();
      const first = r.getClientRects()[0] || box;
      const el = r.commonAncestorContainer.nodeType === 1 ? r.commonAncestorContainer : r.commonAncestorContainer.parentElement;
      out.push({name, text: r.toString(), x: box.x, y: box.y, w: box.width, h: box.height,
        x1: first.x, y1: first.y, w1: first.width, h1: first.height,
        inArticle: !!el.closest('article'),
        outside: !!el.closest('aside, .ad, .comments, header, footer, nav, .share')});
    }
  }
  return out;
}"""


def highlights(page) -> list[dict]:
    return page.evaluate(HIGHLIGHTS_JS)


def by_category(page) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for h in highlights(page):
        out.setdefault(h["name"].removeprefix("sourcelight-"), []).append(h["text"])
    return out


EXTRACT_SCRIPTS = ["vendor/Readability.js", "common/constants.js", "content/story-rules.js", "content/extract.js"]


def extension_text(ctx, url: str) -> dict:
    """The request the extension sends for `url`, computed by the extension's own extract.js in
    a separate tab's main world, so the test can ask the server the very same question."""
    p = ctx.new_page()
    try:
        p.goto(url)
        for f in EXTRACT_SCRIPTS:
            p.add_script_tag(path=str(EXTENSION / f))
        # The same body as main.js's requestBody(): `page` only when the page declared anything.
        return p.evaluate(
            "() => { const a = SourcelightExtract.extractArticle(document);"
            " const body = {text: a.text, title: a.title, url: a.url, links: a.links, offsets: 'utf16'};"
            " if (a.page && Object.keys(a.page).length) body.page = a.page;"
            " if (a.captions && a.captions.length) body.captions = a.captions;"
            " return body; }"
        )
    finally:
        p.close()


def save_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False))
