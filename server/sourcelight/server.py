"""Production serving: gunicorn's master loads the model once and keeps one worker process alive
(a dead worker is replaced by a fresh fork in ~0.1 s); the worker serves with waitress, which reads
whole requests on its event loop before a thread sees them (see waitress_worker.py)."""
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
            "worker_class": "sourcelight.waitress_worker.WaitressWorker",
            "preload_app": True,
            "timeout": 120,  # the worker's event loop reports every second, analyses or not
            "graceful_timeout": 10,
            "accesslog": None,  # the app logs each request with its id and time
            "errorlog": "-",
            "loglevel": "warning",
            "proc_name": "sourcelight",
            "when_ready": self._when_ready,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def waitress_options(self) -> dict:
        """waitress's settings for the worker (https://docs.pylonsproject.org/projects/waitress/)."""
        return {
            "threads": max(1, self.settings.threads),
            # Over it: 413 before reading on. It counts chunked framing too, hence the slack; the
            # app's own check of the body is exact.
            "max_request_body_size": 2 * self.settings.max_body_bytes,
            "max_request_header_size": 64 * 1024,
            "channel_timeout": self.settings.idle_timeout_s,  # idle or stalled connections are closed
            "connection_limit": 256,
            "cleanup_interval": 5,
            # Lets an analysis notice that its client has gone (environ["waitress.client_disconnected"]).
            "channel_request_lookahead": 1,
            "asyncore_use_poll": True,
            "expose_tracebacks": False,
            "ident": "sourcelight",
        }

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
