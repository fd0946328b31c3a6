"""Language (issue #9): a page not in English gets a calm message naming its language in the panel,
with no grade and no highlights. The Portuguese page declares pt-BR; the Spanish one wrongly
declares "en" and is still refused as Spanish (the text's own evidence wins). Both are made up
for these tests and go through the real server."""
from __future__ import annotations

from pathlib import Path

import pytest
import requests

from .e2e_support import extension_text

pytestmark = pytest.mark.e2e

PAGES = Path(__file__).resolve().parent / "pages"
PORTUGUESE = "portuguese-report.html"
SPANISH_DECLARED_ENGLISH = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>El mercado del puerto reabre sus puertas</title></head><body><article>
<h1>El mercado del puerto reabre sus puertas</h1>
<p>Después de dos años de obras, el mercado del puerto de San Telmo volvió a abrir el sábado con
cuarenta puestos nuevos. Según la concejala de comercio, Elena Ríos, la reforma costó más de lo previsto
porque hubo que reforzar los cimientos del edificio.</p>
<p>Los vendedores de pescado, que trabajaron durante la obra en carpas provisionales, dijeron estar
aliviados. «Por fin tenemos agua caliente y cámaras de frío que funcionan», contó uno de ellos. Algunos
vecinos, sin embargo, se quejan de que los precios de los alquileres subieron demasiado.</p>
</article></body></html>"""
MESSAGE = "Sourcelight reads English articles only (this page looks {})."


def check_refused(page, panel, language: str) -> None:
    status = panel.text(".status")
    assert MESSAGE.format(language) in status, status
    assert "No grade and no highlights" in status
    assert panel.count(".notice") == 1 and panel.count(".error") == 0
    assert not panel.visible(".grade")  # the header's grade chip stays hidden
    assert panel.count(".score") == 0 and panel.count(".highlights") == 0 and panel.count(".who") == 0
    assert panel.count("button.retry") == 0  # trying again would change nothing
    assert page.evaluate("CSS.highlights.size") == 0


def test_portuguese_page_gets_the_language_message_and_no_grade(ext, server, site, page, panel, chromium, artifacts):
    url = site.add_page(PORTUGUESE, (PAGES / PORTUGUESE).read_text(encoding="utf-8"))
    ext.record_requests()
    try:
        page.goto(url)
        ext.analyse(page, wait_for="notice")
        sent = [b for b in ext.sent_requests() if "text" in b]
    finally:
        ext.stop_recording()
    page.screenshot(path=str(artifacts / "language-portuguese.png"))
    check_refused(page, panel, "Portuguese")
    assert len(sent) == 1 and sent[0]["page"]["lang"] == "pt-BR"
    # The server's own answer to the very request the extension makes.
    answer = server_error(server, extension_text(chromium, url))
    assert answer["code"] == "unsupported_language" and answer["language"]["code"] == "pt"
    assert ext.storage().get("lastResult") is None  # no grade remembered for the popup


def test_spanish_text_declared_english_is_still_refused(ext, site, page, panel):
    page.goto(site.add_page("spanish-declared-en.html", SPANISH_DECLARED_ENGLISH))
    ext.analyse(page, wait_for="notice")
    check_refused(page, panel, "Spanish")


def test_english_page_is_still_graded_after_a_refusal(ext, site, page, panel):
    page.goto(site.add_page("spanish-again.html", SPANISH_DECLARED_ENGLISH))
    ext.analyse(page, wait_for="notice")
    page.goto(site.page_url("seed-article.html"))
    ext.analyse(page)
    assert panel.visible(".grade") and panel.count(".notice") == 0
    assert page.evaluate("CSS.highlights.size") > 0


def server_error(server, body: dict) -> dict:
    response = requests.post(server.url + "/api/v1/analyze", json=body, timeout=60)
    assert response.status_code == 422, response.text[:300]
    return response.json()["error"]
