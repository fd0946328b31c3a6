"""Hostile input and a long life, against a real `sourcelight serve` (issue #12).

1. Hostile families at 25k, 50k, 100k and 200k characters: status, seconds and the worker's peak
   RSS (VmHWM, reset before each family). Every answer must come within the time budget (30 s by
   default) or be the 503 that says it ran out.
2. Memory over a long life: REQUESTS requests of 20,000 characters of words never seen before
   (random letters): the worker's RSS after the first 100 and at the end.

    python bench/hardening.py [--requests 1000]
"""
from __future__ import annotations

import json
import random
import string
import time

import common

FAMILIES = {
    "no punctuation": "the minister explained plans for new roads ",
    "clauses": "officials say, ",
    "repeated cues": "he said that ",
    "quote storm": '"yes" he said "no" ',
    "hyphen chain": "a-",
}
SIZES = (25_000, 50_000, 100_000, 200_000)


def hostile(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def random_words(rng: random.Random, chars: int) -> str:
    words, size = [], 0
    while size < chars:
        word = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 11)))
        words.append(word)
        size += len(word) + 1
    return " ".join(words)[:chars - 1] + "."


def reset_peak(pid: int) -> None:
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass


def hostile_table(server: common.Server) -> str:
    rows = []
    for family, unit in FAMILIES.items():
        reset_peak(server.worker_pid)
        cells = [family]
        for size in SIZES:
            client = common.Client(server.port)
            started = time.perf_counter()
            status, body = client.analyze(hostile(unit, size))
            seconds = time.perf_counter() - started
            client.close()
            code = "" if status == 200 else " " + json.loads(body)["error"]["code"]
            cells.append(f"{seconds:.1f} s ({status}{code})")
        cells.append(f"{common.proc_status(server.worker_pid).get('VmHWM', float('nan')):.0f}")
        rows.append(cells)
        print(f"  {family}: {cells[1:]}", flush=True)
    return common.table("Hostile texts: time (status) per length; worker peak RSS (MB)",
                        ["family", *[f"{size // 1000}k chars" for size in SIZES], "peak RSS"], rows)


def memory_table(server: common.Server, requests: int) -> str:
    rng = random.Random(12)
    client = common.Client(server.port)
    marks = {}
    started = time.perf_counter()
    for n in range(1, requests + 1):
        status, _ = client.analyze(random_words(rng, 20_000))
        if status != 200:
            raise RuntimeError(f"request {n}: {status}")
        if n in (1, 100) or n == requests or n % 250 == 0:
            marks[n] = common.rss_mb(server.worker_pid)
            print(f"  after {n}: worker RSS {marks[n]:.0f} MB", flush=True)
    client.close()
    after_100 = marks.get(100, marks[min(marks)])
    rows = [[n, f"{rss:.0f}", f"{(rss / after_100 - 1) * 100:+.1f}%"] for n, rss in sorted(marks.items())]
    note = (f"{requests} requests in {time.perf_counter() - started:.0f} s; growth after the first 100: "
            f"{(marks[requests] / after_100 - 1) * 100:+.1f}% (target ≤ 10%).")
    return common.table("Worker RSS with 20,000 characters of never-seen words per request",
                        ["requests", "RSS (MB)", "vs after 100"], rows, note)


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--requests", type=int, default=1000)
    args = p.parse_args()
    server = common.Server(args.model)
    try:
        hostile_table(server)  # each table prints itself
        memory_table(server, args.requests)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
