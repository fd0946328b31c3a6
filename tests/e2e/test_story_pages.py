"""Story only (issue #9 items 1 and 5) on real saved news pages: the 30 English pages of
shared/eval/pages/readability, loaded in Chromium with the real extension and analysed by the real
server, one page after another in one browser.

Which part of each page is the story is written down in story_marks.json (selectors and text
hashes, no publisher text). For every page: no highlight may be painted outside the marked story,
and the text sent must keep at least 98% of the marked story's words. Word F1, the share of
highlights outside the story and the time from the click to the finished panel are printed and
written to artifacts/story-pages.{json,md}. The pages are read from the shared folder at run time
(SOURCELIGHT_SHARED, else ../shared beside the repository) and served from a local server; every
request to another host is blocked, as the saved pages still point at their sites' assets.
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import statistics
import threading
import time
from pathlib import Path

import pytest

from .e2e_support import EXTENSION, EXTRACT_SCRIPTS, HOST, ROOT, ClosedShadow, QuietHandler, save_json

HERE = Path(__file__).resolve().parent
SHARED = Path(os.environ.get("SOURCELIGHT_SHARED") or ROOT.parent / "shared")
PAGES = SHARED / "eval" / "pages" / "readability"
MARKS = {name: m for name, m in json.loads((HERE / "story_marks.json").read_text(encoding="utf-8")).items()
         if not name.startswith("_")}
SCORE_JS = (HERE / "story_score.js").read_text(encoding="utf-8")
NOT_ENGLISH = ["aktualne", "folha", "heise", "la-nacion", "lemonde-1", "liberation-1", "nytimes-5", "yahoo-4"]
MIN_RECALL = 0.98
# Generous: the target is a 0.5 s median on a quiet machine; this only catches a broken path.
MAX_MEDIAN_CLICK_TO_PANEL_S = 3.0
FINAL_STATES = ("done", "error", "notice")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not PAGES.is_dir(), reason=f"the saved news pages are not at {PAGES}: set SOURCELIGHT_SHARED "
                       "to the shared folder (or put it at ../shared beside the repository) to run the story tests"),
]


class Utf8Handler(QuietHandler):
    # The saved pages carry no charset of their own; their sites sent UTF-8.
    extensions_map = {**QuietHandler.extensions_map, ".html": "text/html; charset=utf-8"}


@pytest.fixture(scope="module")
def pages_site():
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Utf8Handler, directory=str(PAGES)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def open_local(chromium, base: str, name: str):
    """A tab on the saved page with every request to another host blocked."""
    page = chromium.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
    page.goto(f"{base}/{name}/source.html", wait_until="load", timeout=30_000)
    return page


def wait_final(page) -> str:
    page.wait_for_function(
        "([host, states]) => { const h = document.querySelector(host); return h && states.includes(h.getAttribute('data-state')); }",
        arg=[HOST, list(FINAL_STATES)], timeout=60_000, polling=10)
    return page.evaluate("(host) => document.querySelector(host).getAttribute('data-state')", HOST)


def test_story_only_on_saved_english_pages(ext, server, chromium, pages_site, artifacts):
    rows, problems = [], []
    ext.record_requests()
    try:
        for name, marks in MARKS.items():
            page = open_local(chromium, pages_site, name)
            try:
                started = time.perf_counter()
                ext.analyse(page, wait_for=None)
                state = wait_final(page)
                click_to_panel = time.perf_counter() - started
                bodies = [b for b in ext.sent_requests() if "text" in b]
                sent = bodies[-1] if bodies else {"text": ""}
                score = page.evaluate(SCORE_JS, {**marks, "sent": sent["text"]})
            finally:
                page.close()
            ext.record_requests()  # next page: a fresh list of request bodies
            row = {"page": name, "state": state, "story_words": score["storyWords"], "sent_words": score["sentWords"],
                   "recall": round(score["recall"], 4), "precision": round(score["precision"], 4), "f1": round(score["f1"], 4),
                   "painted": score["painted"], "outside": len(score["outside"]),
                   "outside_share": round(len(score["outside"]) / score["painted"], 4) if score["painted"] else 0.0,
                   "captions": len(sent.get("captions") or []), "click_to_panel_s": round(click_to_panel, 3)}
            rows.append(row)
            if abs(score["storyWords"] - marks["words"]) > 0.01 * marks["words"]:
                problems.append(f"{name}: the marked story has {score['storyWords']} words, story_marks.json says "
                                f"{marks['words']}: the page and its marks no longer agree")
            if state != "done":
                problems.append(f"{name}: the panel ended in state {state!r}, not 'done'")
            if score["outside"]:
                problems.append(f"{name}: {len(score['outside'])} highlights outside the story, e.g. {score['outside'][:3]}")
            if score["recall"] < MIN_RECALL:
                problems.append(f"{name}: the text sent keeps {score['recall']:.3f} of the story's words "
                                f"(< {MIN_RECALL}); missing e.g. {score['missing'][:12]}")
    finally:
        ext.stop_recording()

    painted = sum(r["painted"] for r in rows)
    outside = sum(r["outside"] for r in rows)
    summary = {
        "pages": len(rows),
        "highlights": painted,
        "highlights_outside_story": outside,
        "share_outside_story": round(outside / painted, 4) if painted else 0.0,
        "median_word_f1": round(statistics.median(r["f1"] for r in rows), 4),
        "min_recall": min(r["recall"] for r in rows),
        "median_click_to_panel_s": round(statistics.median(r["click_to_panel_s"] for r in rows), 3),
        "max_click_to_panel_s": max(r["click_to_panel_s"] for r in rows),
    }
    table = ["| page | story words | sent words | recall | precision | F1 | highlights | outside | captions | click→panel s |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    table += [f"| {r['page']} | {r['story_words']} | {r['sent_words']} | {r['recall']:.3f} | {r['precision']:.3f} | "
              f"{r['f1']:.3f} | {r['painted']} | {r['outside']} | {r['captions']} | {r['click_to_panel_s']:.2f} |" for r in rows]
    table.append(f"\n{summary}")
    print("\n" + "\n".join(table))
    save_json(artifacts / "story-pages.json", {"summary": summary, "pages": rows})
    (artifacts / "story-pages.md").write_text("\n".join(table) + "\n", encoding="utf-8")

    assert not problems, "\n".join(problems)
    assert summary["median_click_to_panel_s"] <= MAX_MEDIAN_CLICK_TO_PANEL_S, summary


def test_pages_not_in_english_are_read_and_the_home_page_is_not_an_article(chromium, pages_site):
    """The eight saved pages not in English go through the same extraction without error; one of
    them (NYT en Español) is the site's home page, a list of teasers, and is called that; the
    Japanese page's words are counted by Intl.Segmenter, not by spaces."""
    found = {}
    for name in NOT_ENGLISH:
        page = open_local(chromium, pages_site, name)
        try:
            for f in EXTRACT_SCRIPTS:
                page.add_script_tag(path=str(EXTENSION / f))
            found[name] = page.evaluate(
                "() => { const a = SourcelightExtract.extractArticle(document);"
                " return a && {words: a.words, spaced: (a.text.match(/\\S+/g) || []).length, notArticle: a.notArticle || ''}; }")
        finally:
            page.close()
    assert all(found[n] and found[n]["words"] >= 100 for n in NOT_ENGLISH if n != "nytimes-5"), found
    assert found["nytimes-5"]["notArticle"].startswith("It is a list of links to other articles"), found["nytimes-5"]
    assert not any(found[n]["notArticle"] for n in NOT_ENGLISH if n != "nytimes-5"), found
    assert found["yahoo-4"]["words"] > 10 * found["yahoo-4"]["spaced"], found["yahoo-4"]


# The saved article pages not in English and the language the panel must name for each.
LANGUAGE_OF = {"aktualne": "Czech", "folha": "Portuguese", "heise": "German", "la-nacion": "Spanish",
               "lemonde-1": "French", "liberation-1": "French", "yahoo-4": "Japanese"}


def test_saved_pages_not_in_english_get_the_language_message_and_no_grade(ext, chromium, pages_site):
    """Issue #9 done-when: the real extension on each saved article page not in English ends in
    the calm "notice" state naming the page's language, with no grade and nothing painted."""
    problems = []
    for name, language in LANGUAGE_OF.items():
        page = open_local(chromium, pages_site, name)
        try:
            ext.analyse(page, wait_for=None)
            state = wait_final(page)
            status = page.evaluate(
                "(host) => { const h = document.querySelector(host); return h && h.getAttribute('data-state'); }", HOST)
            painted = page.evaluate("CSS.highlights.size")
            message = ClosedShadow(page).text(".status")
        finally:
            page.close()
        expected = f"this page looks {language}"
        if state != "notice" or status != "notice":
            problems.append(f"{name}: ended in state {state!r}, not 'notice'")
        if painted:
            problems.append(f"{name}: {painted} highlight kinds painted")
        if expected not in message:
            problems.append(f"{name}: the panel says {message[:160]!r}, not {expected!r}")
    assert not problems, "\n".join(problems)
