"""Firefox smoke test: the same extension folder loads in Debian's firefox-esr and analyses the
seed page with the real server (puppeteer-core over WebDriver BiDi, see firefox_smoke.mjs)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from .e2e_support import ARTIFACTS, EXTENSION, FIREFOX, ROOT
from .test_never_hangs import hiding_css, long_seed_page

pytestmark = pytest.mark.e2e

CONSTANTS = "common/constants.js"
DEFAULT_URL_LINE = 'const DEFAULT_SERVER_URL = "http://127.0.0.1:8765";'
DEFAULT_SITES_LINE = "      autoSites: [],"


def extension_copy_for(tmp_path, server_url: str):
    """The extension with two defaults changed (server address; the fixture site on the
    auto-analyse list), because Firefox automation cannot reach the options page."""
    copy = tmp_path / "extension"
    shutil.copytree(EXTENSION, copy)
    constants = (copy / CONSTANTS).read_text()
    assert DEFAULT_URL_LINE in constants and DEFAULT_SITES_LINE in constants
    constants = constants.replace(DEFAULT_URL_LINE, f'const DEFAULT_SERVER_URL = "{server_url}";')
    constants = constants.replace(DEFAULT_SITES_LINE, '      autoSites: ["http://127.0.0.1"],')
    (copy / CONSTANTS).write_text(constants)
    return copy


def test_firefox_loads_the_extension_and_analyses_the_seed_page(server, site, tmp_path, artifacts):
    if not os.path.exists(FIREFOX):
        pytest.fail(f"{FIREFOX} is missing: run scripts/install-browsers.sh (make test does)")
    hiding = site.add_page("firefox-hiding-css.html", long_seed_page(1, head=hiding_css()))
    env = dict(os.environ, FIREFOX=FIREFOX, EXTENSION=str(extension_copy_for(tmp_path, server.url)),
               PAGE_URL=site.page_url("seed-article.html"), SCREENSHOT=str(ARTIFACTS / "firefox-seed.png"),
               HIDING_URL=hiding)
    run = subprocess.run(["node", str(ROOT / "tests" / "e2e" / "firefox_smoke.mjs")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=240)
    lines = [line for line in run.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no result from firefox_smoke.mjs\nstdout:\n{run.stdout[-2000:]}\nstderr:\n{run.stderr[-2000:]}"
    seen = json.loads(lines[-1])
    (artifacts / "firefox-smoke.json").write_text(json.dumps(seen, indent=2, ensure_ascii=False))
    assert "error" not in seen, seen["error"]
    assert seen["firefox"].startswith("firefox/")
    assert seen["state"] == "done"
    assert seen["shadow_root_visible_to_page"] is False
    painted = {(name.removeprefix("sourcelight-"), text) for name, text in seen["highlights"]}
    assert ("source-anonymous", "Sources within the coalition") in painted
    assert ("source-vague", "critics") in painted
    assert ("source-named_outlet", "Al Hadath TV") in painted
    # The page's own !important ::highlight() rules do not hide the colours (user stylesheet).
    assert seen["hidden_page_colour"] == "255,179,179"
    # "Analyse selected text": the selection's text and its map to the page, in Firefox's engine.
    assert seen["selection"] == {"paragraphs": 2, "same_text": True,
                                 "range_text": "Sources within the coalition", "range_inside": True}
