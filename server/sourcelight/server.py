"""Production serving with gunicorn: one worker process (the model is loaded once, before forking)
and a pool of threads. Unlike servers that buffer the whole body first, gunicorn hands the body
to the app as a stream, so the size limits are enforced before it is read."""
from __future__ import annotations

import sys

from gunicorn.app.base import BaseApplication

from . import __version__


class SourcelightServer(BaseApplication):
    def __init__(self, app, settings, on_ready=None):
        self.application, self.settings, self.on_ready = app, settings, on_ready
        super().__init__()

    def load_config(self):
        host = f"[{self.settings.host}]" if ":" in self.settings.host else self.settings.host
        options = {
            "bind": f"{host}:{self.settings.port}",
            "workers": 1,
            "worker_class": "gthread",
            "threads": max(1, self.settings.threads),
            "preload_app": True,
            "timeout": 120,
            "graceful_timeout": 10,
            "keepalive": 5,
            "limit_request_line": 8190,
            "limit_request_fields": 100,
            "accesslog": None,  # the app logs each request with its id and time
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "sourcelight",
            "when_ready": self._when_ready,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def _when_ready(self, arbiter):
        port = arbiter.LISTENERS[0].sock.getsockname()[1] if arbiter.LISTENERS else self.settings.port
        if self.on_ready:
            self.on_ready(port)

    def load(self):
        return self.application


def serve(app, settings, on_ready=None) -> None:
    sys.argv = [sys.argv[0]]  # gunicorn would otherwise parse our command line
    SourcelightServer(app, settings, on_ready).run()


__all__ = ["serve", "__version__"]
