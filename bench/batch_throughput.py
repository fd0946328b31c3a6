"""`sourcelight batch` against the plain model's `nlp.pipe` on the same texts.

Both with one process and spaCy's batch size 16 (batch's default). The plain pipe is timed in
this process after the model is loaded; `sourcelight batch` runs as the command a user types, and
its own articles/s line (timed after its model is loaded, like the plain pipe) is compared, with
the whole command's wall time alongside. The input JSONL is written to the system temp folder.
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

BATCH_SIZE = 16


def plain_pipe(texts: list[str], model: str) -> float:
    import spacy
    nlp = spacy.load(model)
    nlp(common.WARM_UP_TEXT)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=BATCH_SIZE):
        pass
    return time.perf_counter() - started


def sourcelight_batch(articles: list[dict], model: str, processes: int = 1) -> dict:
    with tempfile.TemporaryDirectory(prefix="sourcelight-bench-") as folder:
        source, target = Path(folder) / "in.jsonl", Path(folder) / "out.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for article in articles:
                handle.write(json.dumps({"id": article.get("id"), "text": article["text"]}, ensure_ascii=False) + "\n")
        started = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "sourcelight", "batch", str(source), str(target),
                                 "--no-progress", "--batch-size", str(BATCH_SIZE), "--processes", str(processes)],
                                capture_output=True, text=True, cwd=common.ROOT, timeout=1800,
                                env={**os.environ, "SOURCELIGHT_MODEL": model})
        wall = time.perf_counter() - started
        written = sum(1 for _ in target.open(encoding="utf-8")) if target.exists() else 0
    # "… N analysed, M skipped (reasons), F failed, A already in OUT; 12.3s, 4.56 articles/s → OUT"
    match = re.search(r"(\d+) analysed, (\d+) skipped.*?; ([\d.]+)s, ", result.stderr)
    if result.returncode != 0 or not match:
        raise RuntimeError(f"sourcelight batch failed ({result.returncode}): {result.stderr[-2000:]}")
    return {"analysed": int(match.group(1)), "skipped": int(match.group(2)), "seconds": float(match.group(3)),
            "wall": wall, "written": written}


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--sample", type=int, default=2, help="use every Nth article (default 2: half the corpus, "
                   "which keeps `make bench` under 10 minutes)")
    args = p.parse_args()
    articles = common.load_corpus(args.corpus)[::args.sample]
    texts = [a["text"] for a in articles]
    total_words = sum(common.words(t) for t in texts)
    print(f"\n## Batch throughput ({len(texts)} articles, {total_words:,} words, batch size {BATCH_SIZE}, "
          f"one process, model {args.model})", flush=True)
    pipe_seconds = plain_pipe(texts, args.model)
    batch = sourcelight_batch(articles, args.model)
    pipe_rate, batch_rate = len(texts) / pipe_seconds, batch["analysed"] / batch["seconds"]
    common.table("sourcelight batch vs plain nlp.pipe", ["", "articles", "seconds", "articles/s", "words/s", "vs nlp.pipe"], [
        ["plain nlp.pipe (after model load)", len(texts), pipe_seconds, pipe_rate, total_words / pipe_seconds, 1.0],
        ["sourcelight batch (its own timer, after model load)", batch["analysed"], batch["seconds"], batch_rate,
         total_words / batch["seconds"], batch_rate / pipe_rate],
        ["sourcelight batch (whole command, incl. start-up)", batch["analysed"], batch["wall"],
         batch["analysed"] / batch["wall"], total_words / batch["wall"], batch["analysed"] / batch["wall"] / pipe_rate],
    ], note=f"Target: batch ≥ 0.9× nlp.pipe. {batch['skipped']} lines skipped; {batch['written']} responses "
            "written (each a full API response: spans, attributions, sources, summary).")
    common.save("batch", {"pipe_seconds": pipe_seconds, "batch": batch, "articles": len(texts)})


if __name__ == "__main__":
    main()
