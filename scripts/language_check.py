"""How the language check (server/sourcelight/language.py) does on the shared data: prints, never asserts.

- false refusals: every English article of the corpus (horne2017) and of FakeHealth, whole and
  cut to its first 300, 600 and 1,200 characters (short texts are where detection errs);
- the saved real pages (eval/pages/readability): each page's text as the extension extracts it
  (its own extract.js in Debian's Chromium, like the e2e tests), with the language
  expected-metadata.json gives and the one the page declares; with --no-pages this is skipped;
- speed: the check on 20,000-character texts.

    .venv/bin/python scripts/language_check.py --shared ../shared
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import statistics
import sys
import threading
import time
from pathlib import Path

from sourcelight import language

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("corpus/horne2017/articles.jsonl", "eval/fakehealth/dev.jsonl")
PREFIXES = (300, 600, 1200)


def english_articles(shared: Path) -> dict[str, str]:
    texts = {}
    for name in CORPORA:
        with open(shared / name, encoding="utf-8") as handle:
            for line in handle:
                item = json.loads(line)
                texts[item["id"]] = item["text"]
    return texts


def false_refusals(texts: dict[str, str]) -> None:
    print(f"English articles: {len(texts)}")
    for cut in (None, *PREFIXES):
        refused = [(key, language.identify(text[:cut])) for key, text in texts.items()]
        refused = [(key, lang) for key, lang in refused if not lang.supported]
        label = "whole text" if cut is None else f"first {cut} characters"
        print(f"  {label:>24}: {len(refused)} refused" + "".join(
            f"\n      {key}: {lang.code} {lang.confidence:.3f}" for key, lang in refused[:10]))
    lowest = min((language.identify(t) for t in texts.values()), key=lambda lang: lang.confidence)
    print(f"  lowest English confidence on a whole text: {lowest.confidence:.4f}")


def extracted_pages(pages_dir: Path) -> dict[str, dict]:
    """{name: {text, page}} as the extension's extract.js sends them, read in Debian's Chromium."""
    sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "tests" / "e2e")]
    from e2e_support import CHROMIUM, CHROMIUM_ARGS, QuietHandler, extension_text
    from playwright.sync_api import sync_playwright

    handler = functools.partial(QuietHandler, directory=str(pages_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    found = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            ctx = browser.new_context()
            # The saved pages point at their sites' scripts and images: only the local copy is read.
            ctx.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base) else route.abort())
            for folder in sorted(d for d in pages_dir.iterdir() if (d / "source.html").exists()):
                found[folder.name] = extension_text(ctx, f"{base}/{folder.name}/source.html")
            browser.close()
    finally:
        httpd.shutdown()
    return found


def pages(pages_dir: Path) -> None:
    print(f"Saved pages ({pages_dir}):")
    for name, body in extracted_pages(pages_dir).items():
        expected = json.loads((pages_dir / name / "expected-metadata.json").read_text(encoding="utf-8")).get("lang")
        declared = (body.get("page") or {}).get("lang")
        lang = language.identify(body["text"], declared)
        verdict = "judged" if lang.supported else f"REFUSED: {lang.message()}"
        print(f"  {name:16} expected {str(expected):6} declared {str(declared):6} text {lang.code:4} "
              f"{lang.confidence:.3f} {len(body['text']):6} chars  {verdict}")


def speed(texts: dict[str, str]) -> None:
    long = [text[:20_000] for text in texts.values() if len(text) >= 20_000]
    language.warm_up()
    times = []
    for text in long * 5:
        started = time.perf_counter()
        language.identify(text)
        times.append((time.perf_counter() - started) * 1000)
    print(f"Speed on {len(long)} texts of 20,000 characters (x5): median {statistics.median(times):.2f} ms, "
          f"max {max(times):.2f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", type=Path)
    parser.add_argument("--no-pages", action="store_true", help="skip the saved pages (no Chromium needed)")
    args = parser.parse_args()
    texts = english_articles(args.shared)
    speed(texts)
    false_refusals(texts)
    if not args.no_pages:
        pages(args.shared / "eval" / "pages" / "readability")
    return 0


if __name__ == "__main__":
    sys.exit(main())
