"""Test helpers shared by the API, CLI, robustness and browser tests: a real `sourcelight serve`."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_TIMEOUT_S = 90


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ServerProcess:
    """`python -m sourcelight serve` on a free loopback port; its output goes to `log_path`."""

    def __init__(self, *extra_args: str, env: dict | None = None, log_path: Path | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        if log_path is None:
            handle, name = tempfile.mkstemp(prefix="sourcelight-server-", suffix=".log")
            os.close(handle)
            log_path = Path(name)
        self.log_path = log_path
        self._log = log_path.open("w")
        command = [sys.executable, "-m", "sourcelight", "serve", "--host", "127.0.0.1", "--port", str(self.port),
                   *extra_args]
        self.proc = subprocess.Popen(command, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                     env={**os.environ, **(env or {})})
        try:
            self.health = self._wait_for_health()
        except Exception:
            self.stop()
            raise

    def _wait_for_health(self) -> dict:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sourcelight serve exited with {self.proc.returncode}:\n{self.log()}")
            with contextlib.suppress(requests.RequestException):
                response = requests.get(self.url + "/api/v1/health", timeout=2)
                if response.ok:
                    return response.json()
            time.sleep(0.25)
        raise RuntimeError(f"sourcelight serve not healthy after {SERVER_START_TIMEOUT_S}s:\n{self.log()}")

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def analyze(self, payload: dict) -> dict:
        response = requests.post(self.url + "/api/v1/analyze", json=payload, timeout=120)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log.close()
