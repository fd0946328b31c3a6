"""Emoji, CJK, combining marks and odd whitespace before a source: the highlight covers exactly
that source's characters (UTF-16 offsets from the server map onto the live DOM)."""
from __future__ import annotations

import pytest

from .e2e_support import by_category, extension_text, highlights

pytestmark = pytest.mark.e2e

UNICODE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Strikes near the border</title></head><body>
<nav><a href="/">Home</a> 🎉 <a href="/world">World</a></nav>
<article>
<p>The sign said 中文新闻报道 and «和平» in bright letters 🎉👨‍👩‍👧👍🏽. Reuters reported that the base was hit on Monday, and that the fuel depot burned through the night.</p>
<p>Cafe\u0301 owners near the base posted 😀😀 on social media, and 東京 residents shared photos 📸 of the smoke. Sources within the coalition have confirmed the strikes, but gave no numbers.</p>
<p>𝒜 mathematician 🧮 living nearby counted the planes.     However,
\tinsiders   familiar with the <em>administration’s</em>
   deliberations have revealed that the decision was made without the president.</p>
<p>Critics argue that the strikes were poorly planned, and opponents warn that the region could be drawn into a wider war if the attacks continue.</p>
</article></body></html>"""


def squash(text: str) -> str:
    return " ".join(text.split())


def test_highlights_cover_exactly_the_source_after_emoji_and_cjk(ext, server, site, page, chromium):
    url = site.add_page("unicode.html", UNICODE_PAGE)
    page.goto(url)
    ext.analyse(page)
    painted = by_category(page)
    # Same text node as the emoji and CJK before it: exact characters, nothing more or less.
    assert "Reuters" in painted.get("source-named_outlet", []), painted
    assert "Sources within the coalition" in painted.get("source-anonymous", []), painted
    # Across an inline element and runs of spaces, tabs and newlines.
    anonymous = [squash(t) for t in painted["source-anonymous"]]
    assert "insiders familiar with the administration’s deliberations" in anonymous, anonymous

    # Every span the server returned for this text is painted on exactly its characters.
    answer = server.analyze(extension_text(chromium, url))
    text = extension_text(chromium, url)["text"]
    for span in answer["spans"]:
        assert text[utf16_slice(text, span["start"], span["end"])] == span["text"]
    expected = sorted((s["label"] if s["label"] != "source" else "source-" + s["source_type"], squash(s["text"]))
                      for s in answer["spans"] if s["label"] != "content")
    got = sorted((h["name"].removeprefix("sourcelight-"), squash(h["text"])) for h in highlights(page))
    assert got == expected
    assert all(not h["outside"] for h in highlights(page))


def utf16_slice(text: str, start: int, end: int) -> slice:
    """Python str indices for a UTF-16 [start, end) (the API's default unit)."""
    units = 0
    py_start = py_end = None
    for i, ch in enumerate(text + "\0"):
        if units == start and py_start is None:
            py_start = i
        if units == end:
            py_end = i
            break
        units += 2 if ord(ch) > 0xFFFF else 1
    return slice(py_start, py_end)
