"""The corpus report (#11 item 4) in the real Chromium: opened from disk with every network
request refused, its plots drawn, its tables linked by article id; a screenshot is kept."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

import made_up_corpus
from .e2e_support import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.e2e

PLOTS = ["scores", "scores-by-group", "grades", "source-types", "rates", "voices"]


@pytest.fixture(scope="module")
def batch_output(tmp_path_factory):
    """The made-up corpus analysed by `sourcelight batch` (one process), as a researcher would."""
    folder = tmp_path_factory.mktemp("report")
    source = made_up_corpus.write_jsonl(folder / "in.jsonl", made_up_corpus.articles(36))
    out = folder / "out.jsonl"
    result = subprocess.run([sys.executable, "-m", "sourcelight", "batch", str(source), str(out), "--no-progress"],
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    return out


def report(out, *args):
    page = out.parent / f"report{'-'.join(args)}.html"
    result = subprocess.run([sys.executable, "-m", "sourcelight", "report", str(out), "--html", str(page), *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert f"36 articles → {page}" in result.stderr
    return page


def test_report_renders_offline_in_chromium(batch_output, playwright_instance, artifacts):
    page_path = report(batch_output, "--by", "outlet")
    html = page_path.read_text(encoding="utf-8")
    assert "<script src=" not in html and "<link " not in html  # nothing to fetch: plotly.js is inline

    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        fetched, errors = [], []
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else (fetched.append(route.request.url), route.abort()))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(page_path.as_uri())
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 6", timeout=30_000)
        assert fetched == [] and errors == []

        drawn = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('figure.plot')].map(f => {
            const plot = f.querySelector('.js-plotly-plot');
            const box = plot.getBoundingClientRect();
            // bars and histogram bins actually drawn (Plotly keeps zero-length ones as empty paths)
            const bars = [...plot.querySelectorAll('.point path')].filter(p => {
                const b = p.getBBox(); return b.width > 0.5 && b.height > 0.5; }).length;
            return [f.dataset.plot, {traces: plot.data.length, bars,
                                     boxes: plot.querySelectorAll('.boxlayer path').length,
                                     ticks: [...plot.querySelectorAll('.ytick text')].map(t => t.textContent),
                                     width: box.width, height: box.height}];
        }))""")
        assert list(drawn) == PLOTS
        assert all(d["width"] > 600 and d["height"] > 150 for d in drawn.values()), drawn
        assert drawn["scores"]["traces"] == 3 and drawn["scores"]["bars"] >= 5  # histogram bars, by grade
        assert drawn["scores-by-group"]["boxes"] >= 3
        outlets = ["Valley Courier", "Northern Ledger", "Metro Daily Wire"]
        for name in ("grades", "source-types", "rates"):
            assert sorted(set(drawn[name]["ticks"])) == sorted(outlets), (name, drawn[name]["ticks"])
            assert drawn[name]["bars"] >= {"grades": 3, "source-types": 12, "rates": 6}[name], (name, drawn[name])
        assert drawn["voices"]["bars"] >= 10 and "Mara Lindqvist" in drawn["voices"]["ticks"]

        meta = json.loads(page.text_content("#report-meta"))
        assert meta["articles"] == 36 and meta["by"] == "outlet" and meta["plots"] == PLOTS
        rows = page.eval_on_selector_all("table.articles tbody tr", "rows => rows.map(r => r.id)")
        assert sorted(rows) == sorted(f"a-{a['id']}" for a in made_up_corpus.articles(36))
        # A voice's "cited in" link goes to that article's row.
        link = page.locator("table.voices a").first
        target = link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == target
        assert page.evaluate("document.querySelector(':target').tagName") == "TR"
        assert page.evaluate("getComputedStyle(document.querySelector(':target')).backgroundColor") == "rgb(255, 243, 196)"

        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(artifacts / "corpus-report.png"), full_page=True)
        page.screenshot(path=str(artifacts / "corpus-report-top.png"))
    finally:
        browser.close()


def test_report_by_date_groups_by_period(batch_output):
    page_path = report(batch_output, "--by", "date", "--period", "month")
    html = page_path.read_text(encoding="utf-8")
    meta = json.loads(html.split('<script type="application/json" id="report-meta">')[1].split("</script>")[0])
    assert meta["groups"] == ["2026-01", "2026-02", "2026-03", "2026-04"] and meta["period"] == "month"
    assert html.count('<tr id="a-') == 36
