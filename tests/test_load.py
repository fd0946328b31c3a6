"""A bounded load test on loopback: 16 concurrent clients for 30 s against a real `sourcelight serve`.

Each client keeps a connection open and sends, back to back, distinct article-like texts (the seed
article's sentences in a client-specific order, so the cache rarely answers), repeats, and the odd
bad request. Asserted: no dropped connection and no 5xx but the queue's back-pressure (503 `busy`
with Retry-After, which the client honours, as the extension does), every client served, every
answer well-formed with exact offsets, and the server still healthy afterwards. Timings are
printed, never asserted.
"""
from __future__ import annotations

import random
import threading
import time
from pathlib import Path

import pytest
import requests

from sourcelight.offsets import utf16_slice
from support import ServerProcess

CLIENTS = 16
DURATION_S = 30
FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.slow


def article_like(sentences: list[str], rng: random.Random) -> str:
    picked = rng.sample(sentences, k=min(len(sentences), rng.randint(3, 12)))
    paragraphs = [" ".join(picked[i:i + 3]) for i in range(0, len(picked), 3)]
    return "\n\n".join(paragraphs) + ("\n\n" + "🎉 ok" if rng.random() < 0.2 else "")


def test_sixteen_clients_for_thirty_seconds():
    sentences = [s.strip() for s in (FIXTURES / "seed-article.txt").read_text(encoding="utf-8").splitlines() if s.strip()]
    server = ServerProcess()
    statuses: dict[int, int] = {}
    served: dict[int, int] = {}
    problems: list[str] = []
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.monotonic() + DURATION_S

    def client(number: int) -> None:
        rng = random.Random(number)
        session = requests.Session()
        previous = None
        while time.monotonic() < deadline:
            roll = rng.random()
            if roll < 0.1:
                payload, expect_ok = {"text": 42}, False          # a bad request now and then
            elif roll < 0.25 and previous:
                payload, expect_ok = {"text": previous}, True      # a repeat (cache)
            else:
                previous = article_like(sentences, rng)
                payload, expect_ok = {"text": previous, "offsets": rng.choice(["utf16", "codepoints"])}, True
            started = time.perf_counter()
            try:
                response = session.post(server.url + "/api/v1/analyze", json=payload, timeout=120)
            except requests.RequestException as error:
                with lock:
                    problems.append(f"client {number}: {type(error).__name__}: {error}")
                return
            elapsed = time.perf_counter() - started
            with lock:
                statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
                served[number] = served.get(number, 0) + (response.status_code == 200)
                latencies.append(elapsed)
            if response.status_code == 503 and response.json()["error"]["code"] == "busy":
                if not response.headers.get("Retry-After", "").isdigit():
                    with lock:
                        problems.append(f"client {number}: 503 busy without Retry-After")
                time.sleep(int(response.headers.get("Retry-After", "1")))
                continue
            if response.status_code != (200 if expect_ok else 400):
                with lock:
                    problems.append(f"client {number}: {response.status_code} {response.text[:200]}")
                continue
            if expect_ok:
                body, text = response.json(), payload["text"]
                unit = payload.get("offsets", "utf16")
                for span in body["spans"]:
                    piece = utf16_slice(text, span["start"], span["end"]) if unit == "utf16" else \
                        text[span["start"]:span["end"]]
                    if piece != span["text"]:
                        with lock:
                            problems.append(f"client {number}: offsets {span} do not slice {piece!r}")
                        break

    try:
        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION_S + 180)
        assert not any(thread.is_alive() for thread in threads), "a client is still waiting for an answer"
        health = requests.get(server.url + "/api/v1/health", timeout=10)
        assert health.status_code == 200 and health.json()["status"] == "ok"
        assert server.proc.poll() is None, "the server exited"
    finally:
        log = server.log()
        server.stop()
    total = sum(statuses.values())
    ordered = sorted(latencies)
    print(f"\n{total} requests in {DURATION_S}s from {CLIENTS} clients: {statuses}; "
          f"p50 {ordered[len(ordered) // 2] * 1000:.0f} ms, p95 {ordered[int(len(ordered) * 0.95)] * 1000:.0f} ms")
    assert not problems, "\n".join(problems[:20])
    assert not any(status >= 500 and status != 503 for status in statuses)
    assert all(served.get(n, 0) >= 1 for n in range(CLIENTS)), served  # nobody starved
    assert "Traceback" not in log
