"""The Flask application factory."""
from __future__ import annotations

import logging
import time
import uuid

from flask import Flask, g, request
from flask_cors import CORS

from . import language
from .admission import AnalysisQueue
from .config import Settings
from .errors import register_error_handlers
from .security import check_request

log = logging.getLogger("sourcelight")
EXTENSION_ORIGINS = r"^(chrome-extension|moz-extension)://.*$"


def create_app(config: dict | None = None, analyzer=None) -> Flask:
    """Build the app. `config` overrides settings; `analyzer` lets tests share one loaded model."""
    settings = Settings.load(config)
    app = Flask(__name__)
    # Werkzeug refuses a declared Content-Length past this; api._read_body enforces it while reading.
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    if analyzer is None:
        from .pipeline import Analyzer
        analyzer = Analyzer(settings.model, cache_size=settings.cache_size, max_text_chars=settings.max_text_chars)
    app.extensions["sourcelight.settings"] = settings
    app.extensions["sourcelight.analyzer"] = analyzer
    app.extensions["sourcelight.queue"] = AnalysisQueue(settings.queue_size)
    language.warm_up()  # the language identifier's model, loaded before the first request needs it

    CORS(app, resources={r"/api/*": {"origins": EXTENSION_ORIGINS}}, methods=["GET", "POST", "OPTIONS"],
         allow_headers=["Content-Type"], max_age=600)

    @app.before_request
    def _start():
        g.request_id = uuid.uuid4().hex[:12]
        g.started = time.perf_counter()
        check_request(settings)  # Host and Origin, before any body is read

    @app.after_request
    def _finish(response):
        response.headers["X-Request-Id"] = g.get("request_id", "-")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "no-store"
        elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
        log.info("%s %s %s %s %.1fms", g.get("request_id", "-"), request.method, request.path,
                 response.status_code, elapsed)
        return response

    from .api import bp
    app.register_blueprint(bp)
    register_error_handlers(app)
    return app
