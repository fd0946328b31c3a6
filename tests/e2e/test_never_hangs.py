"""#12 item 5, the extension never hangs: the page changing the article while the server works,
a page that tries to take over the panel's host or hide the highlights with its own CSS, and the
server's worker killed mid-analysis. Real server, real unpacked extension, Debian's Chromium."""
from __future__ import annotations

import base64
import os
import signal
import time
from pathlib import Path

import pytest

from .e2e_support import (
    FIXTURES,
    HOST,
    ServerProcess,
    by_category,
    wait_state,
)

pytestmark = pytest.mark.e2e

SEED_HTML = (FIXTURES / "seed-article.html").read_text(encoding="utf-8")
# Long enough for the server to work for about a second: time for the page (or the test) to act.
REPEATS = 6
WAIT_MS = 30_000

FIRST_PARAGRAPH_JS = "[...document.querySelectorAll('article p')].find((p) => p.textContent.startsWith('On December 20'))"
# Every painted range, with whether its nodes are still in the page.
PAINTED_JS = """() => { const out = []; for (const [name, h] of CSS.highlights) for (const r of h)
  out.push({name, text: r.toString(), connected: r.startContainer.isConnected && r.endContainer.isConnected});
  return out; }"""


def long_seed_page(repeats: int = REPEATS, head: str = "", marker: str = "") -> str:
    """The seed article with its body paragraphs repeated (same header, sidebar and comments)."""
    start = SEED_HTML.index("<p>On December 20")
    end = SEED_HTML.index('<p class="share">')
    html = SEED_HTML[:start] + SEED_HTML[start:end] * repeats + SEED_HTML[end:]
    # A marker paragraph keeps each test's text (and so the server's cache entry) its own.
    html = html.replace('<p class="share">', f"<p>{marker}</p><p class=\"share\">", 1) if marker else html
    return html.replace("</head>", head + "</head>", 1)


def squash(text: str) -> str:
    return " ".join(text.split())


def category(span: dict) -> str:
    return f"source-{span['source_type']}" if span["label"] == "source" else span["label"]


def expected_paint(answer: dict) -> list[tuple[str, str]]:
    return sorted((category(s), squash(s["text"])) for s in answer["spans"] if s["label"] != "content")


def painted(page) -> list[tuple[str, str]]:
    return sorted((h["name"].removeprefix("sourcelight-"), squash(h["text"])) for h in page.evaluate(PAINTED_JS))


def test_text_changed_mid_analysis_is_read_and_analysed_again(ext, server, site, page, panel):
    """The page shortens the article's text while the server works (this threw IndexSizeError and
    left the panel on its progress bar): the extension reads the article again and asks once more."""
    page.goto(site.add_page("text-changes.html", long_seed_page(marker="Text changes once.")))
    ext.record_requests()
    ext.analyse(page, wait_for="working")
    page.evaluate(f"""() => {{ const p = {FIRST_PARAGRAPH_JS};
        const texts = [...p.childNodes].filter((n) => n.nodeType === 3);
        texts[0].data = 'On Dec 20, ';
        texts[1].data = ' reported strikes. According to the outlet, the attack came from a base in ';
    }}""")
    wait_state(page, "done", timeout=WAIT_MS)
    sent = ext.sent_requests()
    ext.stop_recording()
    assert len(sent) == 2, [r["text"][:60] for r in sent]
    assert "reported a series of missile strikes" in sent[0]["text"]
    assert "On Dec 20, Al Hadath TV reported strikes." in sent[1]["text"]
    # Every finding of the second answer is painted, over the page's current text.
    assert painted(page) == expected_paint(server.analyze(sent[1]))
    assert all(h["connected"] for h in page.evaluate(PAINTED_JS))
    assert panel.count(".warn.changed") == 0


def test_text_that_keeps_changing_is_painted_where_it_still_matches(ext, server, site, page, panel):
    """A paragraph the page re-renders every 40 ms: after one more try, what still matches is painted
    and the panel says how many findings could not be placed."""
    page.goto(site.add_page("text-keeps-changing.html", long_seed_page(marker="Text keeps changing.")))
    ext.record_requests()
    ext.analyse(page, wait_for="working")
    # One word changed elsewhere makes the second read a new text, so the server works on it again
    # (a cached answer comes back within one 40 ms tick, and the paragraph might not have been
    # re-rendered in between): the re-render then always lands while the second answer is awaited.
    paragraph = page.evaluate(f"""() => {{ const p = {FIRST_PARAGRAPH_JS};
        setInterval(() => p.replaceChildren(...[...p.childNodes].map((n) => n.cloneNode(true))), 40);
        const marker = [...document.querySelectorAll('p')].find((m) => m.textContent === 'Text keeps changing.');
        marker.textContent = 'Text keeps changing, and changed.';
        return p.textContent; }}""")
    wait_state(page, "done", timeout=WAIT_MS)
    sent = ext.sent_requests()
    ext.stop_recording()
    assert len(sent) == 2
    text = sent[1]["text"]
    assert "Text keeps changing, and changed." in text  # a new text: not a cached answer
    start = text.index(squash(paragraph))
    end = start + len(squash(paragraph))
    answer = server.analyze(sent[1])
    lost = [s for s in answer["spans"] if s["start"] < end and s["end"] > start]
    assert lost
    assert panel.text(".warn.changed").startswith(f"{len(lost)} finding(s) could not be placed")
    # Everything else is painted, exactly; nothing of the re-rendered paragraph is.
    kept = [s for s in answer["spans"] if s not in lost]
    assert painted(page) == expected_paint({"spans": kept})
    assert all(h["connected"] for h in page.evaluate(PAINTED_JS))


def test_html_replaced_mid_analysis_is_read_and_analysed_again(ext, server, site, page, panel):
    """The page replaces the article's HTML while the server works (every range sat on a detached
    node and nothing was painted, with no warning): read again, asked again, painted."""
    url = site.add_page("html-replaced.html", long_seed_page(marker="HTML replaced."))
    page.goto(url)
    ext.record_requests()
    ext.analyse(page, wait_for="working")
    page.evaluate("() => { const a = document.querySelector('article'); a.innerHTML = a.innerHTML; }")
    wait_state(page, "done", timeout=WAIT_MS)
    sent = ext.sent_requests()
    ext.stop_recording()
    assert len(sent) == 2 and sent[0]["text"] == sent[1]["text"]
    found = page.evaluate(PAINTED_JS)
    assert found and all(h["connected"] for h in found)
    assert painted(page) == expected_paint(server.analyze(sent[1]))
    assert "Sources within the coalition" in by_category(page)["source-anonymous"]
    assert panel.count(".warn.changed") == 0


def test_background_script_stopped_mid_analysis_is_an_error_card(ext, chromium, site, page, panel):
    """The browser stops the service worker while it waits for the server: the content script's
    message is rejected, which used to leave the panel on its progress bar. Now: an error card."""
    page.goto(site.add_page("worker-stopped.html", long_seed_page(marker="Service worker stopped.")))
    ext.analyse(page, wait_for="working")
    cdp = chromium.browser.new_browser_cdp_session()
    workers = [t for t in cdp.send("Target.getTargets")["targetInfos"]
               if t["type"] == "service_worker" and ext.id in t["url"]]
    assert len(workers) == 1
    cdp.send("Target.closeTarget", {"targetId": workers[0]["targetId"]})
    wait_state(page, "error", timeout=5_000)
    assert "Sourcelight stopped because of an error" in panel.text(".status")
    assert panel.count("button.retry") == 1
    # "Try again" wakes a new service worker and finishes the analysis.
    panel.click("button.retry")
    wait_state(page, "done", timeout=WAIT_MS)
    assert by_category(page)
    assert ext.sw.evaluate("chrome.runtime.id") == ext.id  # the same target, running again


# A hostile page: it defines the old host element name, records every attachShadow call in its
# world, tries to attach a shadow root to every element added to <html>, and hides divs.
HOSTILE_HEAD = """<script>
window.__seen = [];
customElements.define('sourcelight-overlay', class extends HTMLElement {
  constructor() { super(); window.__seen.push('constructed'); this.attachShadow({mode: 'open'}); }
});
customElements.define('sourcelight-panel', class extends HTMLDivElement {
  constructor() { super(); window.__seen.push('constructed div'); }
}, {extends: 'div'});
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { window.__seen.push('attachShadow ' + this.localName); return attach.call(this, init); };
new MutationObserver((records) => { for (const r of records) for (const n of r.addedNodes) {
  if (n.nodeType !== 1 || n.localName === 'body') continue;
  try { attach.call(n, {mode: 'open'}); window.__seen.push('pre-attached ' + n.localName); }
  catch (e) { window.__seen.push('refused ' + n.localName); }
}}).observe(document.documentElement, {childList: true});
</script>
<style>html > div, div[data-sourcelight] { display: none !important; visibility: hidden !important; opacity: 0 !important; }</style>
"""


def test_page_cannot_take_over_or_hide_the_panel(ext, site, page, panel, artifacts):
    page.goto(site.add_page("hostile-host.html", long_seed_page(1, head=HOSTILE_HEAD)))
    ext.analyse(page, wait_for="done")
    seen = page.evaluate("window.__seen")
    # The page's hooks never got the host: no custom element built, no shadow root of its own.
    assert "refused div" in seen, seen  # it tried, after the panel's closed root was attached
    assert not [s for s in seen if s.startswith(("constructed", "pre-attached"))], seen
    assert page.evaluate(f"document.querySelector('{HOST}').shadowRoot") is None
    assert panel.root_type() == "closed"
    assert panel.visible(".grade") and panel.text(".grade")
    assert by_category(page)
    page.screenshot(path=str(artifacts / "hostile-host.png"))


def hiding_css() -> str:
    """The page's own ::highlight() rules for every Sourcelight highlight, all !important."""
    names = ["source-named_person", "source-named_organization", "source-named_outlet", "source-official",
             "source-document", "source-anonymous", "source-vague", "source-other", "cue", "quote",
             "partial_quote", "content", "hedge", "unattributed", "focus"]
    return "<style>" + "".join(
        f"::highlight(sourcelight-{n}) {{ background-color: transparent !important; text-decoration: none !important; }}"
        for n in names) + "</style>"


COLOUR_JS = """async (b64) => {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  const bitmap = await createImageBitmap(new Blob([bytes], {type: 'image/png'}));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const px = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  const counts = new Map();
  for (let i = 0; i < px.length; i += 4) {
    const key = [px[i], px[i + 1], px[i + 2]].join(',');
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0].split(',').map(Number);
}"""


def dominant_colour(chromium, png: bytes) -> list[int]:
    """The most frequent colour of a screenshot, decoded by the browser (a blank tab)."""
    decoder = chromium.new_page()
    try:
        return decoder.evaluate(COLOUR_JS, base64.b64encode(png).decode())
    finally:
        decoder.close()


def test_page_css_cannot_hide_the_highlights(ext, site, page, chromium, artifacts):
    """Highlight colours are a USER stylesheet with !important: the page's !important ::highlight()
    rules lose to them."""
    page.goto(site.add_page("hiding-css.html", long_seed_page(1, head=hiding_css())))
    ext.analyse(page)
    box = page.evaluate("""() => { const h = CSS.highlights.get('sourcelight-source-anonymous');
        const r = [...h].find((r) => r.toString() === 'Sources within the coalition');
        r.startContainer.parentElement.scrollIntoView({block: 'center'});
        const b = r.getClientRects()[0]; return {x: b.x, y: b.y, width: b.width, height: b.height}; }""")
    png = page.screenshot(clip=box)
    (artifacts / "hiding-css-anonymous.png").write_bytes(png)
    assert dominant_colour(chromium, png) == [0xFF, 0xB3, 0xB3]  # the anonymous-source colour


def worker_pid(server: ServerProcess, other_than: int | None = None, timeout: float = 20) -> int:
    """The pid of the server's one worker process (a child of `sourcelight serve`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = Path(f"/proc/{server.proc.pid}/task/{server.proc.pid}/children").read_text().split()
        if len(children) == 1 and int(children[0]) != other_than:
            return int(children[0])
        time.sleep(0.05)
    raise AssertionError(f"no single worker process under {server.proc.pid}: {children}")


def fresh_worker(server: ServerProcess) -> int:
    """Replaces the idle worker, so the browser holds no kept-alive connection to the server: on a
    reused connection Chromium itself resends a request the server dropped, before the extension
    sees any error. Returns the new worker's pid."""
    idle = worker_pid(server)
    os.kill(idle, signal.SIGKILL)
    return worker_pid(server, other_than=idle)


def wait_for_requests(ext, count: int, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while len(ext.sent_requests()) < count:
        assert time.monotonic() < deadline, f"fewer than {count} requests sent"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def restartable_server():
    """A server of this module's own: its worker process is killed by the tests."""
    s = ServerProcess("worker-kill")
    yield s
    s.stop()


# The server's worker is killed this long after the request went out: mid-analysis.
KILL_AFTER_S = 0.4


def test_worker_killed_mid_analysis_is_retried_once(ext, restartable_server, site, page, panel):
    ext.set_storage({"serverUrl": restartable_server.url})
    page.goto(site.add_page("worker-killed-once.html", long_seed_page(marker="Worker killed once.")))
    first = fresh_worker(restartable_server)
    ext.record_requests()
    ext.analyse(page, wait_for="working")
    wait_for_requests(ext, 1)
    time.sleep(KILL_AFTER_S)
    os.kill(first, signal.SIGKILL)
    wait_state(page, "done", timeout=WAIT_MS)
    sent = ext.sent_requests()
    ext.stop_recording()
    assert len(sent) == 2 and sent[0] == sent[1]
    assert worker_pid(restartable_server) != first  # the answer came from the new worker
    assert "Sources within the coalition" in by_category(page)["source-anonymous"]
    assert panel.count(".error") == 0


def test_worker_killed_twice_is_a_server_error_not_server_down(ext, restartable_server, site, page, panel, artifacts):
    ext.set_storage({"serverUrl": restartable_server.url})
    page.goto(site.add_page("worker-killed-twice.html", long_seed_page(marker="Worker killed twice.")))
    first = fresh_worker(restartable_server)
    ext.record_requests()
    ext.analyse(page, wait_for="working")
    wait_for_requests(ext, 1)
    time.sleep(KILL_AFTER_S)
    os.kill(first, signal.SIGKILL)
    second = worker_pid(restartable_server, other_than=first)
    wait_for_requests(ext, 2)
    time.sleep(KILL_AFTER_S)
    os.kill(second, signal.SIGKILL)
    wait_state(page, "error", timeout=WAIT_MS)
    ext.stop_recording()
    text = panel.text(".status")
    assert "The server failed while analysing this article" in text
    assert restartable_server.url in text
    assert "not running" not in text and "make run" not in text
    assert panel.count("button.retry") == 1
    assert restartable_server.proc.poll() is None  # the server itself kept running
    page.screenshot(path=str(artifacts / "worker-killed-twice.png"))
