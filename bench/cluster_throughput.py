"""Corpus runs on Dask: `sourcelight batch --cluster local:1` and `local:2` against plain `nlp.pipe`.

The plain pipe (the model alone, batch size 16) is timed in this process after the model is
loaded. Each `sourcelight batch` runs as the command a researcher types, into a fresh OUT in the
system temp folder; its own closing line gives the articles/s of the analysis (timed once the
workers are up with the model loaded), and its "ready" line the start-up (the cluster and the
model in each worker). On 2 cores the target is 2 workers ≥ 1.6× one worker.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import common
from batch_throughput import BATCH_SIZE, plain_pipe


def run_batch(source: Path, target: Path, model: str, *extra: str) -> dict:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "sourcelight", "batch", str(source), str(target), "--no-progress",
                             "--fresh", "--batch-size", str(BATCH_SIZE), *extra],
                            capture_output=True, text=True, cwd=common.ROOT, timeout=3600,
                            env={**os.environ, "SOURCELIGHT_MODEL": model})
    wall = time.perf_counter() - started
    ready = re.search(r"ready \((\d+) workers?, model loaded\) in ([\d.]+)s", result.stderr)
    done = re.search(r"(\d+) analysed, (\d+) skipped.*?; ([\d.]+)s, ", result.stderr)
    if result.returncode != 0 or not ready or not done:
        raise RuntimeError(f"sourcelight batch {' '.join(extra)} failed ({result.returncode}): {result.stderr[-2000:]}")
    return {"workers": int(ready.group(1)), "startup": float(ready.group(2)), "analysed": int(done.group(1)),
            "skipped": int(done.group(2)), "seconds": float(done.group(3)), "wall": wall}


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--sample", type=int, default=2, help="use every Nth article (default 2: half the corpus)")
    args = p.parse_args()
    articles = common.load_corpus(args.corpus)[::args.sample]
    texts = [a["text"] for a in articles]
    total_words = sum(common.words(t) for t in texts)
    print(f"\n## Corpus runs on Dask ({len(texts)} articles, {total_words:,} words, partitions of 8, "
          f"nlp.pipe batch size {BATCH_SIZE}, model {args.model})", flush=True)
    pipe_seconds = plain_pipe(texts, args.model)
    pipe_rate = len(texts) / pipe_seconds
    runs = {}
    with tempfile.TemporaryDirectory(prefix="sourcelight-bench-") as folder:
        source = Path(folder) / "in.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for article in articles:
                handle.write(json.dumps({"id": article.get("id"), "title": article.get("title"), "text": article["text"]},
                                        ensure_ascii=False) + "\n")
        for label, extra in (("one process (no Dask)", ()), ("Dask, 1 worker (local:1)", ("--cluster", "local:1")),
                             ("Dask, 2 workers (local:2)", ("--cluster", "local:2"))):
            runs[label] = run_batch(source, Path(folder) / "out.jsonl", args.model, *extra)
    one = runs["Dask, 1 worker (local:1)"]
    rows = [["plain nlp.pipe, one process (after model load)", len(texts), "–", pipe_seconds, pipe_rate, "–", 1.0, "–"]]
    for label, run in runs.items():
        rate = run["analysed"] / run["seconds"]
        rows.append([f"sourcelight batch, {label}", run["analysed"], run["startup"], run["seconds"], rate,
                     run["analysed"] / run["wall"], rate / pipe_rate, rate / (one["analysed"] / one["seconds"])])
    common.table("Articles/s: Dask workers against plain nlp.pipe",
                 ["", "articles", "start-up s", "analysis s", "articles/s", "articles/s incl. start-up",
                  "vs nlp.pipe", "vs 1 worker"], rows,
                 note="Target on 2 cores: 2 workers ≥ 1.6× one worker. Start-up: the cluster's processes and the model "
                      "in each worker, before the first partition; `articles/s` is timed after it, like the plain pipe. "
                      "Each response is a full API response with the language check, written to OUT as partitions finish.")
    common.save("cluster", {"pipe_seconds": pipe_seconds, "articles": len(texts), "runs": runs})


if __name__ == "__main__":
    main()
