"""Growth with length: time per 1,000 words and memory at 1k, 10k and 30k words.

Each text is real articles joined by blank lines and cut after the N-th word. Each size runs in a
fresh process (so one size's peak memory does not hide the next): the plain model's nlp(text)
and Sourcelight's analysis, each timed, with the peak RSS each adds over the loaded process.
spaCy's max_length and the server's text limit are shown beside the sizes.
"""
from __future__ import annotations

import json
import subprocess
import sys

import common

SIZES = (1_000, 10_000, 30_000)

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[4])
import common
import spacy
from sourcelight.config import Settings
from sourcelight.pipeline import Analyzer
from sourcelight.serialize import to_api

corpus, model, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = common.text_of_words(common.load_corpus(__import__("pathlib").Path(corpus)), size)
plain = spacy.load(model)
analyzer = Analyzer(model, cache_size=0)
plain(common.WARM_UP_TEXT)
out = {"words": common.words(text), "chars": len(text), "plain_max_length": plain.max_length,
       "sourcelight_max_length": analyzer.nlp.max_length, "max_text_chars": Settings.load().max_text_chars}

common.reset_peak_rss()
base = common.proc_status()
started = time.perf_counter()
doc = plain(text)
out["raw_s"] = time.perf_counter() - started
out["raw_peak_mb"] = common.proc_status()["VmHWM"] - base["VmRSS"]
del doc

common.reset_peak_rss()
base = common.proc_status()
started = time.perf_counter()
body = to_api(analyzer.analyze_text(text), "utf16")
out["analysis_s"] = time.perf_counter() - started
out["analysis_peak_mb"] = common.proc_status()["VmHWM"] - base["VmRSS"]
out["spans"] = len(body["spans"])
print(json.dumps(out))
"""


def measure(corpus, model: str, size: int) -> dict:
    result = subprocess.run([sys.executable, "-c", CHILD, str(corpus), model, str(size), str(common.ROOT / "bench")],
                            capture_output=True, text=True, cwd=common.ROOT, timeout=1200)
    if result.returncode != 0:
        raise RuntimeError(f"size {size} failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    args = common.parser(__doc__.splitlines()[0]).parse_args()
    common.load_corpus(args.corpus)  # fail early with a clear message
    print(f"\n## Growth with length (model {args.model})", flush=True)
    results = [measure(args.corpus, args.model, size) for size in SIZES]
    rows = []
    for r in results:
        per_k = 1000 / r["words"]
        rows.append([f"{r['words']:,} words", f"{r['chars']:,}", common.ms(r["raw_s"]) * per_k,
                     common.ms(r["analysis_s"]) * per_k, r["analysis_s"] / r["raw_s"],
                     r["raw_peak_mb"], r["analysis_peak_mb"], r["spans"]])
    common.table("Time per 1,000 words and peak memory added, by text length",
                 ["text", "chars", "raw ms/1k words", "analysis ms/1k words", "analysis/raw",
                  "raw peak +MB", "analysis peak +MB", "spans"], rows,
                 note=f"Limits: the server refuses text over {results[0]['max_text_chars']:,} characters "
                      f"(413 text_too_long, before any analysis); Sourcelight sets spaCy's max_length to "
                      f"{results[0]['sourcelight_max_length']:,} (the plain model's is "
                      f"{results[0]['plain_max_length']:,}), so every accepted text fits. Peak memory is "
                      "the rise in peak RSS over the loaded process while that one text is processed.")
    common.save("length", results)


if __name__ == "__main__":
    main()
