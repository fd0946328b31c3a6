"""One JSON error shape for every failure: {"error": {"code", "message", "field"?, …, "request_id"?}}."""
from __future__ import annotations

import logging

from flask import Flask, g, jsonify
from werkzeug.exceptions import HTTPException

log = logging.getLogger("sourcelight")

# Codes for the HTTP errors Werkzeug raises on its own (routing, limits, methods).
HTTP_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "body_too_large",
    415: "unsupported_media_type",
    500: "internal_error",
}


class APIError(Exception):
    """`extra`: members the error adds to the body (`language` for unsupported_language)."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None, extra: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.extra = extra or {}
        self.headers = headers or {}  # response headers (Retry-After on 503)


def error_response(status: int, code: str, message: str, field: str | None = None, extra: dict | None = None):
    body = {"code": code, "message": message}
    if field:
        body["field"] = field
    body.update(extra or {})
    request_id = g.get("request_id") if g else None
    if request_id:
        body["request_id"] = request_id
    response = jsonify({"error": body})
    response.status_code = status
    return response


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(APIError)
    def _api_error(err: APIError):
        response = error_response(err.status, err.code, err.message, err.field, err.extra)
        response.headers.update(err.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        status = err.code or 500
        message = {
            404: "No such endpoint. Use POST /api/v1/analyze or GET /api/v1/health.",
            405: "Method not allowed on this endpoint.",
            413: "Request body is too large.",
        }.get(status, err.description or err.name)
        response = error_response(status, HTTP_CODES.get(status, "http_error"), message)
        if status == 405 and getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        # Full traceback goes to the log under the request id; the client gets only the id.
        log.exception("unhandled error in request %s", g.get("request_id", "-"))
        return error_response(500, "internal_error",
                              "Unexpected server error; it has been logged with this request id.")
