"""A bounded queue for analyses: at most `capacity` wait for the model while one runs; past that
a request is refused at once (503 `busy`, with Retry-After) instead of holding a server thread for
an unbounded wait. Health checks and cached answers never enter it."""
from __future__ import annotations

import math
import threading
from contextlib import contextmanager

from .errors import APIError

TYPICAL_SECONDS = 1.0  # a news article's analysis, before any has been timed


class AnalysisQueue:
    def __init__(self, capacity: int):
        self.capacity = capacity
        self._admitted = 0  # running + waiting
        self._lock = threading.Lock()
        self._recent_seconds = TYPICAL_SECONDS  # moving average of finished analyses

    @contextmanager
    def admit(self):
        with self._lock:
            if self._admitted > self.capacity:
                raise APIError(503, "busy", "The server is busy with other analyses; try again shortly.",
                               headers={"Retry-After": str(self.retry_after())})
            self._admitted += 1
        try:
            yield
        finally:
            with self._lock:
                self._admitted -= 1

    def record(self, seconds: float) -> None:
        with self._lock:
            self._recent_seconds = 0.8 * self._recent_seconds + 0.2 * seconds

    def retry_after(self) -> int:
        """Whole seconds until the queue has probably moved on (1–30)."""
        return max(1, min(30, math.ceil(self._recent_seconds * max(1, self._admitted))))
