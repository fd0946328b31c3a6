"""Offsets round-trip exactly in UTF-16 code units (JavaScript) and in code points (Python)."""
from __future__ import annotations

import json

import pytest

from sourcelight.offsets import OffsetMap, utf16_len, utf16_slice

HARD_TEXTS = {
    "emoji": "🎉🇺🇸 Officials said on Monday 👍🏽 that the plan, which critics argue is flawed, would pass.",
    "cjk": "東京（共同）— The ministry said the 報告 was accurate, according to 読売新聞 and Reuters.",
    "rtl": "The spokesman, quoting الجزيرة, said: “We will respond.” Sources said שלום was the reply.",
    "combining": "Cafe\u0301 owner José said the e\u0301clair recipe was stolen, according to police.",
    "zero_width": "The\u200b senator\u200d said\ufeff the vote\u2060 was rigged, some critics claim.",
    "crlf": "The mayor said the road was closed.\r\n\r\n“It will reopen,” he added.\r\nCritics say it won't.",
    "astral_math": "𝐓𝐡𝐞 report, 𝔰𝔞𝔦𝔡 analysts, shows growth 𝟓% — officials said so.",
}


def _check_roundtrip(body: dict, text: str, unit: str):
    for span in body["spans"]:
        if unit == "utf16":
            assert utf16_slice(text, span["start"], span["end"]) == span["text"]
        else:
            assert text[span["start"]:span["end"]] == span["text"]
    for at in body["attributions"]:
        assert 0 <= at["sentence"]["start"] <= at["sentence"]["end"] <= (
            utf16_len(text) if unit == "utf16" else len(text))


@pytest.mark.parametrize("name", sorted(HARD_TEXTS))
@pytest.mark.parametrize("unit", ["utf16", "codepoints"])
def test_roundtrip_through_api(client, name, unit):
    text = HARD_TEXTS[name]
    response = client.post("/api/v1/analyze", data=json.dumps({"text": text, "offsets": unit}),
                           content_type="application/json")
    assert response.status_code == 200
    body = response.get_json()
    assert body["meta"]["offsets"] == unit
    assert body["spans"], f"expected findings in {name!r}"
    _check_roundtrip(body, text, unit)


def test_default_unit_is_utf16(client):
    text = HARD_TEXTS["emoji"]
    body = client.post("/api/v1/analyze", data=json.dumps({"text": text}), content_type="application/json").get_json()
    said = next(s for s in body["spans"] if s["text"] == "said")
    assert said["start"] == text.index("said") + 3  # 🎉 and each regional-indicator flag letter are 2 units


def test_links_are_read_in_the_request_unit(client):
    text = "🎉 Al Hadath TV reported the strikes, and the outlet said more would follow soon."
    start16 = utf16_len(text[:text.index("Al Hadath")])
    link = {"start": start16, "end": start16 + len("Al Hadath TV"), "href": "https://alhadath.net"}
    body = client.post("/api/v1/analyze", data=json.dumps({"text": text, "links": [link]}),
                       content_type="application/json").get_json()
    source = next(s for s in body["spans"] if s["label"] == "source" and "Hadath" in s["text"])
    assert "links to it" in source["why"]


@pytest.mark.parametrize("text", list(HARD_TEXTS.values()) + ["", "a", "😀", "😀a😀", "\ud800x"])
def test_offset_map_inverse(text):
    offsets = OffsetMap(text, "utf16")
    for cp in range(len(text) + 1):
        unit = offsets.to_unit(cp)
        assert unit == utf16_len(text[:cp])
        assert offsets.from_unit(unit) == cp
    assert OffsetMap(text, "codepoints").to_unit(len(text)) == len(text)
