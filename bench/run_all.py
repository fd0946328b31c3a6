"""`make bench`: every speed table over the real-article corpus, one script after another.

    python bench/run_all.py --corpus ../shared/corpus/horne2017/articles.jsonl [--only per_article ...]

Prints the tables (Markdown) and keeps a copy in bench/results/ (gitignored). Never asserts:
the figures are for reading, and for docs/performance.md. Takes about 6–8 minutes on a 2-core
machine (cluster_throughput adds about 2); the scripts run one at a time so they do not compete for the cores.
"""
from __future__ import annotations

import subprocess
import sys
import time

import common

SCRIPTS = ("per_article", "concurrency", "cold_start", "batch_throughput", "cluster_throughput", "length", "hardening")


def main() -> int:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--only", action="append", choices=SCRIPTS, help="run only these scripts (repeatable)")
    args = p.parse_args()
    articles = common.load_corpus(args.corpus)  # a clear message, and early, if the corpus is missing
    info = common.machine()
    revision = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True, text=True,
                              cwd=common.ROOT).stdout.strip() or "?"
    header = (f"# Sourcelight benchmarks\n\nMachine: {info['cpus']} CPUs ({info['cpu']}), {info['ram']} RAM, "
              f"{info['os']}; Python {info['python']}, spaCy {info['spacy']}, model {args.model}.\n"
              f"Source: {revision}. Corpus: {args.corpus.name}, {len(articles)} articles, "
              f"{sum(common.words(a['text']) for a in articles):,} words.")
    print(header, flush=True)
    output = [header]
    started = time.perf_counter()
    failed = []
    for name in args.only or SCRIPTS:
        step = time.perf_counter()
        result = subprocess.run([sys.executable, str(common.ROOT / "bench" / f"{name}.py"), "--corpus", str(args.corpus),
                                 "--model", args.model], stdout=subprocess.PIPE, text=True, cwd=common.ROOT)
        print(result.stdout, end="", flush=True)
        output.append(result.stdout)
        if result.returncode != 0:
            failed.append(name)
            print(f"\n(bench/{name}.py failed with exit code {result.returncode}; see the error above)", flush=True)
        print(f"\n({name}: {time.perf_counter() - step:.0f}s)", flush=True)
    footer = f"\nTotal: {time.perf_counter() - started:.0f}s" + (f"; failed: {', '.join(failed)}" if failed else "")
    print(footer)
    output.append(footer)
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    report = common.RESULTS / time.strftime("bench-%Y%m%d-%H%M%S.md")
    report.write_text("\n".join(output) + "\n", encoding="utf-8")
    print(f"(saved to {report.relative_to(common.ROOT)})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
