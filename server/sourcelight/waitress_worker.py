"""A gunicorn worker that serves with waitress.

gunicorn gives the process model: the model is loaded once in the master (preload) and a worker
that dies (killed, out of memory) is replaced by a fork of it in ~0.1 s. waitress gives the front:
its event loop reads each request whole (headers and body, up to the size limit) before a thread
sees it, and closes connections idle past `channel_timeout`. With gunicorn's own threaded worker a
thread read the request itself, so eight clients sending a byte every few seconds, or forty idle
ones, held every thread and `/health` timed out behind them.

waitress's own error answers (broken chunked framing, a body over the limit, headers too large)
come in the API's JSON error shape here, like every answer of the app.
"""
from __future__ import annotations

import json
import logging
import os
import uuid

from gunicorn.workers.base import Worker
from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import create_server
from waitress.task import ErrorTask

# waitress's error statuses, as the API's error codes (errors.HTTP_CODES has the app's own).
WAITRESS_CODES = {400: "bad_request", 413: "body_too_large", 431: "headers_too_large", 500: "internal_error"}
log = logging.getLogger("sourcelight")
LOOP_SECONDS = 1.0  # how often the loop wakes to tell the master it is alive


class JSONErrorTask(ErrorTask):
    def execute(self):
        error = self.request.error
        request_id = uuid.uuid4().hex[:12]
        message = f"{error.reason}: {error.body}".strip().rstrip(".") + "."
        log.warning("%s request refused by the HTTP front: %s %s", request_id, error.code, message)
        body = json.dumps({"error": {"code": WAITRESS_CODES.get(error.code, "http_error"), "message": message,
                                     "request_id": request_id}}, ensure_ascii=False).encode("utf-8")
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend([("Content-Type", "application/json"), ("Cache-Control", "no-store"),
                                      ("X-Content-Type-Options", "nosniff"), ("X-Request-Id", request_id)])
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JSONErrorChannel(HTTPChannel):
    error_task_class = JSONErrorTask


class WaitressWorker(Worker):
    """Runs waitress on the sockets gunicorn's master opened; options come from the gunicorn
    application object (`SourcelightServer.waitress_options()`)."""

    def run(self):
        options = self.app.waitress_options()
        server = create_server(self.wsgi, sockets=[listener.sock for listener in self.sockets], **options)
        servers = list(getattr(server, "map", {}).values()) if not hasattr(server, "channel_class") else [server]
        for each in servers:
            if hasattr(each, "channel_class"):
                each.channel_class = JSONErrorChannel
        socket_map = server.map if hasattr(server, "map") else server._map
        try:
            while self.alive:
                self.notify()
                if self.ppid != os.getppid():
                    self.log.info("Parent changed, shutting down: %s", self)
                    break
                wasyncore.loop(timeout=LOOP_SECONDS, map=socket_map, use_poll=True, count=1)
        finally:
            # Requests in progress get the graceful timeout to finish; queued ones are dropped.
            server.task_dispatcher.shutdown(timeout=self.cfg.graceful_timeout)
            wasyncore.close_all(socket_map)
