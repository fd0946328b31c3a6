"""The HTTP API through Flask's test client: the contract's shapes and every error status."""
from __future__ import annotations

import json

import pytest
from sourcelight.scoring import weights

ANALYZE = "/api/v1/analyze"
EXTENSION = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"


def post(client, body, **kwargs):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    headers = kwargs.pop("headers", {})
    return client.post(ANALYZE, data=data, content_type=kwargs.pop("content_type", "application/json"),
                       headers=headers, **kwargs)


def assert_error(response, status: int, code: str, field: str | None = None):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert "Traceback" not in response.get_data(as_text=True)
    if field:
        assert error["field"] == field
    return error


def test_health(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["api_version"] == 1
    assert body["model"].startswith("en_core_web_sm")
    assert body["version"]


def test_analyze_shape(client, seed_text):
    response = post(client, {"text": seed_text, "url": "https://example.com/a", "title": "T"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["api_version"] == 1
    assert set(body) >= {"spans", "attributions", "sources", "summary", "meta"}
    ids = {s["id"] for s in body["spans"]}
    for span in body["spans"]:
        assert seed_text[span["start"]:span["end"]] == span["text"]  # seed text is all BMP
        assert span["label"] in {"source", "cue", "quote", "content", "hedge", "unattributed"}
        assert span["why"]
    for at in body["attributions"]:
        for role in ("source", "cue", "content"):
            assert at[role] is None or at[role] in ids
    summary = body["summary"]
    assert summary["grade"] in {"strong", "mixed", "weak", "insufficient"}
    assert all({"effect", "text"} <= set(r) for r in summary["reasons"])
    assert {"flesch_reading_ease", "grade_level", "reading_minutes"} <= set(summary["readability"])
    assert set(body["meta"]) == {"model", "elapsed_ms", "offsets"} and body["meta"]["elapsed_ms"] >= 0


def test_repeat_request_is_cached_and_says_nothing_about_it(client, analyzer, caplog):
    """The repeat comes from the cache (the analyzer's own counter and the debug log say so) with the
    very same bytes: another extension cannot tell from a response whether that text was analysed."""
    body = {"text": "The mayor said the bridge would reopen on Monday after repairs, officials said."}
    hits = analyzer.cache_hits
    with caplog.at_level("DEBUG", logger="sourcelight"):
        first, second = post(client, body), post(client, body)
    assert analyzer.cache_hits == hits + 1
    assert first.get_data() == second.get_data()
    assert "cached" not in second.get_json()["meta"]
    assert second.headers["X-Request-Id"] + " answered from the cache in " in caplog.text


def test_score_reasons_sum_to_score(client, seed_text):
    summary = post(client, {"text": seed_text}).get_json()["summary"]
    total = weights()["base"] + sum(r["effect"] for r in summary["reasons"])
    assert summary["score"] == max(0, min(100, total))


@pytest.mark.parametrize("body,status,code,field", [
    ("{not json", 400, "bad_json", None),
    ("", 400, "bad_json", None),
    ("[1, 2]", 400, "wrong_type", None),
    ({"title": "no text"}, 400, "missing_field", "text"),
    ({"text": 42}, 400, "wrong_type", "text"),
    ({"text": None}, 400, "wrong_type", "text"),
    ({"text": "ok", "offsets": "bytes"}, 400, "bad_value", "offsets"),
    ({"text": "ok", "url": 5}, 400, "wrong_type", "url"),
    ({"text": "ok", "links": "x"}, 400, "wrong_type", "links"),
    ({"text": "ok", "links": [{"start": 0, "end": 99, "href": "h"}]}, 400, "bad_value", "links"),
    ({"text": "ok", "links": [{"start": 10**30, "end": 10**31}]}, 400, "bad_value", "links"),
    ({"text": "ok", "links": [{"start": True, "end": 1}]}, 400, "wrong_type", "links"),
])
def test_bad_requests(client, body, status, code, field):
    assert_error(post(client, body), status, code, field)


def test_deeply_nested_json(client):
    assert_error(post(client, "[" * 100_000 + "]" * 100_000), 400, "bad_json")


def test_wrong_content_type(client):
    assert_error(post(client, '{"text": "hi"}', content_type="text/plain"), 415, "unsupported_media_type")


def test_unknown_path_and_method(client):
    assert_error(client.get("/api/v1/nope"), 404, "not_found")
    assert_error(client.get("/"), 404, "not_found")
    response = client.get(ANALYZE)
    assert_error(response, 405, "method_not_allowed")
    assert "POST" in response.headers["Allow"]


def test_text_too_long(analyzer):
    from sourcelight.app import create_app
    small = create_app({"max_text_chars": 100}, analyzer=analyzer).test_client()
    assert_error(post(small, {"text": "word " * 50}), 413, "text_too_long", "text")


def test_body_too_large_is_refused_before_reading(analyzer):
    from sourcelight.app import create_app
    small = create_app({"max_body_bytes": 1000}, analyzer=analyzer).test_client()
    assert_error(post(small, {"text": "x" * 5000}), 413, "body_too_large")


def test_web_origin_refused_before_analysis(client, analyzer, monkeypatch):
    calls = []
    monkeypatch.setattr(analyzer, "analyze_text", lambda *a, **k: calls.append(1))
    for origin in ("https://evil.example", "http://localhost:8000", "null", "chrome-extension://x/../evil"):
        assert_error(post(client, {"text": "hi"}, headers={"Origin": origin}), 403, "origin_not_allowed", "Origin")
    assert calls == []


def test_extension_origin_allowed_with_cors(client):
    response = post(client, {"text": "The mayor said so."}, headers={"Origin": EXTENSION})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == EXTENSION
    preflight = client.options(ANALYZE, headers={"Origin": EXTENSION, "Access-Control-Request-Method": "POST",
                                                 "Access-Control-Request-Headers": "content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == EXTENSION
    web = client.options(ANALYZE, headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"})
    assert web.status_code == 403


def test_fixed_extension_ids(analyzer):
    from sourcelight.app import create_app
    client = create_app({"allowed_extension_ids": "goodid"}, analyzer=analyzer).test_client()
    assert post(client, {"text": "hi"}, headers={"Origin": "chrome-extension://goodid"}).status_code == 200
    assert post(client, {"text": "hi"}, headers={"Origin": "moz-extension://goodid"}).status_code == 200
    assert_error(post(client, {"text": "hi"}, headers={"Origin": "chrome-extension://otherid"}), 403, "origin_not_allowed")


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8765", "192.168.1.5:8765", "localhost.evil.com"])
def test_non_loopback_host_refused(client, host):
    assert_error(client.get("/api/v1/health", headers={"Host": host}), 403, "host_not_allowed", "Host")


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:8765", "[::1]:8765", "localhost:1"])
def test_loopback_host_allowed(client, host):
    assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200


def test_unexpected_failure_is_500_with_request_id(client, analyzer, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise RuntimeError("secret internal detail")
    monkeypatch.setattr(analyzer, "analyze_text", explode)
    response = post(client, {"text": "A fresh text that is not cached."})
    error = assert_error(response, 500, "internal_error")
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert "secret internal detail" not in response.get_data(as_text=True)
    assert "secret internal detail" in caplog.text


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\"\"\"\"", "“”“", "!!! ??? ...", "''"])
def test_degenerate_text_gives_valid_empty_analysis(client, text):
    response = post(client, {"text": text})
    assert response.status_code == 200
    body = response.get_json()
    assert body["summary"]["grade"] == "insufficient"
    for span in body["spans"]:
        assert text[span["start"]:span["end"]] == span["text"]
