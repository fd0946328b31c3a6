"""HTTP routes: POST /api/v1/analyze and GET /api/v1/health (contract: docs/api.md)."""
from __future__ import annotations

import logging
import time

from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import ClientDisconnected

try:  # errors gunicorn raises from the body stream while the app reads it (InvalidChunkSize, …)
    from gunicorn.http.errors import ParseException as _ServerParseError
except ImportError:  # pragma: no cover - gunicorn is a dependency; other WSGI servers still work
    class _ServerParseError(Exception):
        pass

from . import API_MINOR_VERSION, API_VERSION, __version__
from .budget import Budget, Stopped
from .errors import APIError
from .language import identify as identify_language
from .offsets import UNITS, OffsetMap, has_lone_surrogates
from .serialize import to_api

log = logging.getLogger("sourcelight")
bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_LINKS = 5000
OPTIONAL_STRINGS = {"url": 4096, "title": 2000}
# `page`: what the page declares about itself; (type, longest string) per field.
PAGE_FIELDS = {"lang": (str, 35), "types": (list, 100), "section": (str, 200), "labels": (list, 100),
               "site_name": (str, 200)}
PAGE_LIST_ITEMS = 20
BODY_READ_PIECE = 64 * 1024
# Broken framing (gunicorn's ParseException subclasses), a client gone mid-body (gunicorn's
# NoMoreData is an OSError; so are resets and socket timeouts), Werkzeug's own disconnect error.
BODY_READ_ERRORS = (_ServerParseError, OSError, ClientDisconnected)


def _analyzer():
    return current_app.extensions["sourcelight.analyzer"]


def _settings():
    return current_app.extensions["sourcelight.settings"]


@bp.get("/health")
def health():
    return jsonify({"status": "ok", "api_version": API_VERSION, "api_minor_version": API_MINOR_VERSION, "model": _analyzer().model, "version": __version__})


@bp.post("/analyze")
def analyze():
    started = time.perf_counter()
    payload = _read_payload()
    text, unit = payload["text"], payload["offsets"]
    links = _links_in_codepoints(payload.get("links"), text, unit)
    analyzer = _analyzer()
    page = _page_metadata(payload.get("page"))
    # Language (issue #9): a text the English model cannot judge is refused before any analysis,
    # 422 unsupported_language naming the language; the text's own evidence outweighs page.lang.
    language = identify_language(text, (page or {}).get("lang"))
    if not language.supported:
        raise language.api_error()
    key = analyzer.cache_key({"text": text, "unit": unit, "links": links, "page": page,
                              "url": payload.get("url"), "title": payload.get("title")})
    body = analyzer.cache_get(key)  # the whole response as JSON bytes, `meta` included
    if body is not None:
        # The repeat gets the very bytes of the first answer (its `elapsed_ms` too): nothing in a
        # response says whether it came from the cache, so a caller cannot learn what was analysed
        # before. Hits are logged at debug level only.
        log.debug("%s answered from the cache in %.1fms", g.get("request_id", "-"),
                  (time.perf_counter() - started) * 1000)
    else:
        analysis = _analyze_within_budget(analyzer, text, links=links, url=payload.get("url"),
                                          title=payload.get("title"), page=page)
        # Span texts may hold the caller's unpaired surrogates, which UTF-8 cannot carry: those
        # bodies go out with \uXXXX escapes (valid JSON that parses back to the very same string).
        body = _json_bytes(to_api(analysis, unit), escape=has_lone_surrogates(text))
        meta = {"model": analyzer.model, "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
                "offsets": unit}
        # `meta` is spliced in as the body's last member (output byte-identical to jsonify).
        body = body[:-1] + b',"meta":' + _json_bytes(meta) + b"}\n"
        analyzer.cache_put(key, body)
    return current_app.response_class(body, mimetype="application/json")


def _analyze_within_budget(analyzer, text: str, **context):
    """Analyse through the bounded queue, within the time budget, for as long as the client waits.

    503 `busy` (with Retry-After) when the queue is full; 503 `time_budget_exceeded` when the
    analysis ran out of time (it is stopped, not left running). A client that has gone (waitress
    notices the closed connection) has its analysis abandoned at the next step.
    """
    settings, queue = _settings(), current_app.extensions["sourcelight.queue"]
    client_gone = request.environ.get("waitress.client_disconnected")
    budget = Budget(settings.time_budget_s, client_gone)
    with queue.admit():
        try:
            analysis = analyzer.analyze_text(text, budget=budget, **context)
        except Stopped as stop:
            log.warning("%s analysis stopped after %.1fs: %s (%d characters)", g.get("request_id", "-"),
                        stop.seconds, stop.reason, len(text))
            if stop.reason == "client_gone":
                raise APIError(503, "client_gone", "The client closed the connection; the analysis was abandoned.")
            raise APIError(503, "time_budget_exceeded",
                           f"The analysis did not finish within the server's time budget of {settings.time_budget_s:g} s "
                           "and was stopped; analyse a shorter passage.",
                           headers={"Retry-After": str(queue.retry_after())}) from None
        queue.record(time.monotonic() - budget.started)
    return analysis


def _json_bytes(value, escape: bool = False) -> bytes:
    """Compact JSON as Flask's jsonify writes it (key order kept), as UTF-8."""
    return current_app.json.dumps(value, separators=(",", ":"), ensure_ascii=escape).encode("utf-8")


def _read_payload() -> dict:
    if request.mimetype != "application/json":
        raise APIError(415, "unsupported_media_type", "Send the request body as JSON (Content-Type: application/json).")
    settings = _settings()
    if request.content_length is not None and request.content_length > settings.max_body_bytes:
        raise APIError(413, "body_too_large",
                       f"Request body is {request.content_length} bytes; the limit is {settings.max_body_bytes}.")
    raw = _read_body(settings.max_body_bytes)
    try:
        payload = current_app.json.loads(raw)
    except (ValueError, RecursionError, UnicodeDecodeError):
        raise APIError(400, "bad_json", "The request body is not valid JSON.") from None
    if not isinstance(payload, dict):
        raise APIError(400, "wrong_type", "The request body must be a JSON object.")
    if "text" not in payload:
        raise APIError(400, "missing_field", "The field `text` is required.", "text")
    if not isinstance(payload["text"], str):
        raise APIError(400, "wrong_type", "`text` must be a string.", "text")
    if len(payload["text"]) > settings.max_text_chars:
        raise APIError(413, "text_too_long",
                       f"`text` has {len(payload['text'])} characters; the limit is {settings.max_text_chars}.", "text")
    for field, limit in OPTIONAL_STRINGS.items():
        value = payload.get(field)
        if value is not None and (not isinstance(value, str) or len(value) > limit):
            raise APIError(400, "wrong_type", f"`{field}` must be a string of at most {limit} characters.", field)
    unit = payload.get("offsets", "utf16")
    if unit not in UNITS:
        raise APIError(400, "bad_value", "`offsets` must be \"utf16\" or \"codepoints\".", "offsets")
    payload["offsets"] = unit
    return payload


def _read_body(limit: int) -> bytes:
    """The request body, read from the WSGI stream in bounded pieces: never more than `limit` + 1 bytes.

    A body over `limit` (chunked bodies included) is 413, never analysed cut short; a body shorter
    than its Content-Length (the client stopped sending) and broken chunked framing, which the
    server only notices while the app reads, are 400 `bad_request`.
    """
    environ = request.environ
    declared = request.content_length
    if declared is None and not environ.get("wsgi.input_terminated"):
        return b""  # no length and a server that does not end the stream: reading could block forever
    want = limit + 1 if declared is None else declared
    stream = environ["wsgi.input"]
    pieces, size = [], 0
    try:
        while size < want:
            piece = stream.read(min(BODY_READ_PIECE, want - size))
            if not piece:
                break
            pieces.append(piece)
            size += len(piece)
    except BODY_READ_ERRORS as err:
        log.warning("%s request body unreadable: %s: %s", g.get("request_id", "-"), type(err).__name__, err)
        raise APIError(400, "bad_request", "The request body could not be read: its framing is broken "
                       "or the connection ended early.") from None
    if size > limit:
        raise APIError(413, "body_too_large", f"Request body is over the limit of {limit} bytes.")
    if declared is not None and size < declared:
        log.warning("%s request body ended after %d of %d bytes", g.get("request_id", "-"), size, declared)
        raise APIError(400, "bad_request",
                       f"The request body ended after {size} of the {declared} bytes its Content-Length announced.")
    return b"".join(pieces)


def _page_metadata(page) -> dict | None:
    """What the page says about itself (language, JSON-LD types, section, labels): strings, bounded."""
    if page is None:
        return None
    if not isinstance(page, dict):
        raise APIError(400, "wrong_type", "`page` must be an object.", "page")
    result = {}
    for field, value in page.items():
        if field not in PAGE_FIELDS:
            continue  # unknown keys are ignored so that older servers accept newer extensions
        kind, limit = PAGE_FIELDS[field]
        if kind is str:
            if not isinstance(value, str) or len(value) > limit:
                raise APIError(400, "wrong_type", f"`page.{field}` must be a string of at most {limit} characters.",
                               f"page.{field}")
        elif not (isinstance(value, list) and len(value) <= PAGE_LIST_ITEMS
                  and all(isinstance(v, str) and len(v) <= limit for v in value)):
            raise APIError(400, "wrong_type", f"`page.{field}` must be a list of at most {PAGE_LIST_ITEMS} strings "
                           f"of at most {limit} characters.", f"page.{field}")
        result[field] = value
    return result


def _links_in_codepoints(links, text: str, unit: str) -> list[dict]:
    if links is None:
        return []
    if not isinstance(links, list) or len(links) > MAX_LINKS:
        raise APIError(400, "wrong_type", f"`links` must be a list of at most {MAX_LINKS} items.", "links")
    offsets = OffsetMap(text, unit)
    limit = offsets.to_unit(len(text))
    result = []
    for link in links:
        if not isinstance(link, dict):
            raise APIError(400, "wrong_type", "Each link must be an object with start, end and href.", "links")
        start, end, href = link.get("start"), link.get("end"), link.get("href", "")
        if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) or not isinstance(href, str):
            raise APIError(400, "wrong_type", "A link's start and end must be integers and href a string.", "links")
        if not 0 <= start <= end <= limit:
            raise APIError(400, "bad_value", "A link's offsets fall outside `text`.", "links")
        result.append({"start": offsets.from_unit(start), "end": offsets.from_unit(end), "href": href[:2048]})
    return result
