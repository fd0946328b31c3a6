"""How long one analysis may run, and whether anyone still waits for it.

The pipeline calls `check()` between model components and between pieces of a long text, so a
stopped analysis ends within one step (each step is linear in its piece: well under a few
seconds), not when the whole text is done.
"""
from __future__ import annotations

import time
from typing import Callable


class Stopped(Exception):
    """The analysis was stopped: `reason` is "time_budget" or "client_gone"."""

    def __init__(self, reason: str, seconds: float):
        super().__init__(reason)
        self.reason, self.seconds = reason, seconds


class Budget:
    def __init__(self, seconds: float, client_gone: Callable[[], bool] | None = None):
        self.seconds = seconds
        self.started = time.monotonic()
        self.deadline = self.started + seconds
        self._client_gone = client_gone

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        if self._client_gone is not None and self._client_gone():
            raise Stopped("client_gone", time.monotonic() - self.started)
        if time.monotonic() > self.deadline:
            raise Stopped("time_budget", time.monotonic() - self.started)
