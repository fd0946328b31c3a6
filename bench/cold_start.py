"""Cold start: from `sourcelight serve` starting to its first answered analysis, and its memory then.

Three fresh server processes; the import and model load happen before the port opens, so the
time is spent waiting for the first successful POST /api/v1/analyze.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import common

RUNS = 3


STEPS = r"""
import json, sys, time
marks = {"interpreter up": time.time()}
import spacy, flask, gunicorn  # noqa: E401
marks["import spacy, flask, gunicorn"] = time.time()
from sourcelight.pipeline import load_pipeline
marks["import sourcelight"] = time.time()
nlp = load_pipeline(sys.argv[1])
marks["load model + detectors"] = time.time()
from sourcelight.readability import warm_up
warm_up()
marks["textstat warm-up (syllable dictionary)"] = time.time()
from sourcelight.analysis import build_analysis
build_analysis(nlp("The mayor said the bridge would reopen. Critics disagree."))
marks["first analysis"] = time.time()
print(json.dumps(marks))
"""


def steps(model: str) -> list[list]:
    """The start-up steps one by one, in a fresh interpreter (wall clock, so process start counts)."""
    launched = time.time()
    result = subprocess.run([sys.executable, "-c", STEPS, model], capture_output=True, text=True, cwd=common.ROOT,
                            timeout=300, check=True)
    marks = json.loads(result.stdout.strip().splitlines()[-1])
    rows, previous = [], launched
    for label, moment in marks.items():
        rows.append([label, moment - previous])
        previous = moment
    rows.append(["total", previous - launched])
    return rows


def main() -> None:
    args = common.parser(__doc__.splitlines()[0]).parse_args()
    print(f"\n## Cold start ({RUNS} runs, model {args.model})", flush=True)
    rows = []
    for run in range(1, RUNS + 1):
        server = common.Server(args.model)
        memory = server.memory()
        server.stop()
        rows.append([run, server.cold_start_s, memory["master_rss"], memory["worker_rss"]])
    rows.append(["median", common.median([r[1] for r in rows]), common.median([r[2] for r in rows]),
                 common.median([r[3] for r in rows])])
    common.table("Process start → first analysis answered", ["run", "seconds", "master RSS MB", "worker RSS MB"],
                 rows, note="The master loads the model once (preload) and forks the single worker; the worker "
                            "shares the model's pages copy-on-write.")
    breakdown = steps(args.model)
    common.table("Where start-up goes (the same steps in one fresh interpreter)", ["step", "seconds"], breakdown,
                 note="The server adds gunicorn's start and a warm-up analysis before it opens the port.")
    common.save("cold_start", {"runs": rows, "steps": breakdown})


if __name__ == "__main__":
    main()
