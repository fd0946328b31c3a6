"""Many open tabs at once: 1, 4 and 16 concurrent HTTP clients on distinct texts (no cache hits).

One fresh `sourcelight serve`. The corpus is dealt round-robin into one share per level, so the
levels see similar mixes of article lengths and no text is ever sent twice. Each client holds a
keep-alive connection and sends its next article as soon as the last one is answered.
"""
from __future__ import annotations

import json
import threading
import time

import common

LEVELS = (1, 4, 16)


def run_level(port: int, clients: int, texts: list[str]) -> dict:
    queue = list(enumerate(texts))
    lock = threading.Lock()
    latencies, errors, server_ms = [], [], []

    def worker():
        client = common.Client(port)
        try:
            while True:
                with lock:
                    if not queue:
                        return
                    _, text = queue.pop(0)
                started = time.perf_counter()
                try:
                    status, body = client.analyze(text)
                except OSError as error:
                    errors.append(type(error).__name__)
                    client = common.Client(port)
                    continue
                elapsed = time.perf_counter() - started
                if status != 200:
                    errors.append(status)
                    continue
                meta = json.loads(body)["meta"]
                # No text is sent twice, so nothing may come from the cache. `meta` has no cache flag; a
                # cached answer repeats the first one's `elapsed_ms` and so arrives sooner than that.
                if elapsed * 1000 < meta["elapsed_ms"]:
                    errors.append("unexpected cache hit")
                latencies.append(elapsed)
                server_ms.append(meta["elapsed_ms"])
        finally:
            client.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {"clients": clients, "requests": len(latencies) + len(errors), "ok": len(latencies), "wall": wall,
            "errors": errors, "latencies": latencies, "server_ms": server_ms,
            "words": sum(common.words(t) for t in texts)}


def main() -> None:
    args = common.parser(__doc__.splitlines()[0]).parse_args()
    articles = common.load_corpus(args.corpus)
    shares = [[a["text"] for a in articles[i::len(LEVELS)]] for i in range(len(LEVELS))]
    print(f"\n## Concurrent clients ({len(articles)} articles dealt into {len(LEVELS)} shares of "
          f"~{len(shares[0])}, model {args.model})", flush=True)
    server = common.Server(args.model)
    results = []
    try:
        for clients, texts in zip(LEVELS, shares):
            results.append(run_level(server.port, clients, texts))
        memory = server.memory()
        health = common.Client(server.port).request("GET", "/api/v1/health")[0]
    finally:
        server.stop()
    rows = []
    for r in results:
        lat = r["latencies"]
        rows.append([r["clients"], r["requests"], r["ok"] / r["wall"], r["words"] / r["wall"],
                     common.ms(common.median(lat)), common.ms(common.percentile(lat, 95)), common.ms(max(lat)),
                     common.median(r["server_ms"]), len(r["errors"])])
    common.table("Concurrent HTTP clients, distinct texts",
                 ["clients", "requests", "req/s", "words/s", "p50 ms", "p95 ms", "max ms", "server p50 ms", "errors"],
                 rows, note=f"Errors counted: non-200 answers, connection failures, cache hits (target 0). "
                            f"/api/v1/health afterwards: {health}. Worker RSS after all levels: "
                            f"{memory['worker_rss']:.0f} MB. One model, one worker: analyses run one at a "
                            "time, so more clients add queueing (latency), not throughput.")
    common.save("concurrency", [{k: v for k, v in r.items()} for r in results])


if __name__ == "__main__":
    main()
