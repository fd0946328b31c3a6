"""The extension meets the server's limits (issue #12): a full queue (503 busy) is waited out as
Retry-After says, for as long as one analysis may run, and the article is then analysed; an analysis that runs out of the server's time
budget ends in an error card that says so and points to analysing a selection. Real server (its
queue and budget made small), real unpacked extension, Debian's Chromium."""
from __future__ import annotations

import threading
import time

import pytest
import requests

from .e2e_support import ServerProcess

pytestmark = pytest.mark.e2e

HOSTILE = "he said that " * 15_000  # ~195,000 characters the server works on for seconds
ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bridge reopens</title></head>
<body><article><h1>Bridge reopens after repairs</h1>
<p>The council said on Monday that the bridge would reopen next week after three months of repairs.
“We are confident the work is sound,” the mayor, Ana Ruiz, told reporters at City Hall.</p>
<p>Critics argue the repairs may have been rushed, and some residents say they were never consulted.
An engineer who inspected the bridge, speaking on condition of anonymity, said the cables were replaced.</p>
<p>{marker}</p></article></body></html>"""


@pytest.fixture(scope="module")
def small_server():
    # The budget is longer than three of the queue's 1-second Retry-After waits: the extension must
    # wait out an analysis by time, not by a count of tries.
    s = ServerProcess("limits", "--queue-size", "0", "--threads", "4", "--time-budget-s", "6")
    yield s
    s.stop()


def hold_the_queue(server) -> threading.Thread:
    """A long analysis from another client takes the only slot for ~6 s (then its budget ends it)."""
    thread = threading.Thread(target=lambda: requests.post(server.url + "/api/v1/analyze", json={"text": HOSTILE},
                                                           timeout=60), daemon=True)
    thread.start()
    time.sleep(0.5)
    return thread


def test_busy_server_is_waited_out_then_the_article_is_analysed(ext, small_server, site, page, panel):
    ext.set_storage({"serverUrl": small_server.url})
    page.goto(site.add_page("busy.html", ARTICLE.format(marker="Busy test.")))
    holder = hold_the_queue(small_server)
    probe = requests.post(small_server.url + "/api/v1/analyze", json={"text": "A probe said so."}, timeout=10)
    assert probe.status_code == 503 and probe.json()["error"]["code"] == "busy"  # the queue is full now
    started = time.monotonic()
    ext.analyse(page, wait_for="done")
    assert time.monotonic() - started >= 4  # it waited for the slot (held ~6 s) rather than failing
    assert panel.count(".error") == 0
    holder.join(30)
    log = small_server.log_path.read_text(errors="replace")
    assert " 503 " in log  # the extension's first try was refused busy, the retry served


def test_analysis_over_the_time_budget_ends_in_an_error_card_that_says_so(ext, small_server, site, page, panel):
    ext.set_storage({"serverUrl": small_server.url})
    paragraphs = "".join(f"<p>{'he said that ' * 700}</p>" for _ in range(20))  # ~182,000 characters
    page.goto(site.add_page("too-long.html", f"<!doctype html><html lang='en'><body><article>{paragraphs}"
                                             "</article></body></html>"))
    ext.analyse(page, wait_for="error")
    status = panel.text(".status")
    assert "took too long to analyse" in status, status
    assert "time_budget_exceeded" in status and "Analyse selected text" in status
