"""Per article: the plain model's `nlp(text)` against Sourcelight's full analysis, in process and
over HTTP; where Sourcelight's time goes; the server's memory over the corpus; a cached repeat.

In process, the plain model (spacy.load of the same package, nothing of Sourcelight's) and the
analysis (Analyzer.analyze_text + serialize.to_api) run alternately on each article, once each,
as a server meets an article: once. That pass runs in PASSES fresh processes and each article
keeps its faster time on each side. A single timing is at the mercy of a garbage collection or
the hypervisor (one article measured 2.0x once and 1.25x in repeats), and repeating a text in
the same process flatters the plain model (spaCy's lemmatizer caches what it has seen; measured
~9% on a long article), so fresh processes it is. Over HTTP, one keep-alive client sends every
article once to a fresh `sourcelight serve` (a repeat would be answered from the server's cache).
"""
from __future__ import annotations

import json
import subprocess
import sys
import time

import common

PASSES = 2


def loaded(model: str):
    import spacy
    from sourcelight.pipeline import Analyzer
    plain = spacy.load(model)
    plain(common.WARM_UP_TEXT)
    return plain, Analyzer(model, cache_size=0)


def in_process(articles, plain, analyzer, flip: bool = False) -> list[dict]:
    from sourcelight.serialize import to_api

    rows = []
    for index, article in enumerate(articles):
        text = article["text"]
        timings = {}
        order = ("raw", "analysis") if (index % 2 == 0) != flip else ("analysis", "raw")
        for step in order:
            started = time.perf_counter()
            if step == "raw":
                plain(text)
            else:
                to_api(analyzer.analyze_text(text), "utf16")
            timings[step] = time.perf_counter() - started
        rows.append({"id": article.get("id", index), "words": common.words(text), **timings})
    return rows


def fresh_process(corpus, model: str, task: str, number: int = 0):
    """Run one measuring task in a new interpreter (cold caches, like a server meeting new text)."""
    result = subprocess.run([sys.executable, __file__, "--corpus", str(corpus), "--model", model, "--task", task,
                             "--pass-number", str(number)], capture_output=True, text=True, cwd=common.ROOT,
                            timeout=1800)
    if result.returncode != 0:
        raise RuntimeError(f"{task} failed: {result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def clear_textstat_caches() -> None:
    """textstat memoises by text; forget what it has seen so a second pass pays full price."""
    import importlib
    import pkgutil

    import textstat.backend as backend
    for info in pkgutil.walk_packages(backend.__path__, backend.__name__ + "."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if callable(getattr(value, "cache_clear", None)) and getattr(value, "__module__", "").startswith("textstat"):
                if value.__name__ not in ("get_cmudict", "get_pyphen", "get_lang_easy_words"):
                    value.cache_clear()


def breakdown(articles, plain, analyzer) -> dict[str, float]:
    """Time per stage of the Sourcelight pipeline, run component by component (a sample), with the
    plain model's nlp(text) on the same articles in the same pass as the yardstick."""
    from sourcelight.analysis import build_analysis
    from sourcelight.pipeline import DETECTORS
    from sourcelight.serialize import to_api

    clear_textstat_caches()
    nlp = analyzer.nlp
    ours = set(DETECTORS) | {"sourcing_paragraphs"}
    totals: dict[str, float] = {}

    def add(key, seconds):
        totals[key] = totals.get(key, 0.0) + seconds

    for article in articles:
        started = time.perf_counter()
        plain(article["text"])
        add("raw", time.perf_counter() - started)
        started = time.perf_counter()
        doc = nlp.make_doc(article["text"])
        add("tokenizer", time.perf_counter() - started)
        for name, component in nlp.pipeline:
            started = time.perf_counter()
            doc = component(doc)
            add(name if name in ours else f"model: {name}", time.perf_counter() - started)
        started = time.perf_counter()
        analysis = build_analysis(doc)
        add("build_analysis (incl. textstat)", time.perf_counter() - started)
        started = time.perf_counter()
        to_api(analysis, "utf16")
        add("serialize.to_api", time.perf_counter() - started)
    return totals


def over_http(articles, model: str) -> dict:
    server = common.Server(model)
    try:
        memory = {"after start": server.memory()}
        client = common.Client(server.port)
        rows, errors = [], 0
        warm_up = min(30, len(articles) // 4)
        for index, article in enumerate(articles):
            started = time.perf_counter()
            status, body = client.analyze(article["text"])
            elapsed = time.perf_counter() - started
            if status != 200:
                errors += 1
                continue
            server_ms = json.loads(body)["meta"]["elapsed_ms"]
            rows.append({"id": article.get("id", index), "http": elapsed, "server_ms": server_ms,
                         "bytes": len(body)})
            if index + 1 == warm_up:
                memory[f"after {warm_up} articles"] = server.memory()
        memory[f"after all {len(articles)}"] = server.memory()
        # Steady state: every other article again, made distinct (no cache hits) by a last line.
        second = articles[::2]
        for index, article in enumerate(second):
            status, _ = client.analyze(f"{article['text']}\n\nSecond pass {index}.")
            errors += status != 200
        memory[f"after {len(second)} more (2nd pass)"] = server.memory()
        cached = cached_repeat(client, articles)
        client.close()
        return {"rows": rows, "errors": errors, "memory": memory, "cached": cached,
                "cold_start_s": server.cold_start_s}
    finally:
        server.stop()


def cached_repeat(client, articles) -> list[dict]:
    """The same text again (the server answers from its cache): a median and the longest article."""
    by_length = sorted(articles, key=lambda a: len(a["text"]))
    picks = [("median-length article", by_length[len(by_length) // 2]), ("longest article", by_length[-1])]
    results = []
    for label, article in picks:
        client.analyze(article["text"])  # make sure it is cached (it may have been evicted)
        times = []
        for _ in range(20):
            started = time.perf_counter()
            status, body = client.analyze(article["text"])
            elapsed = time.perf_counter() - started
            # Only answers that really came from the cache count. `meta` has no cache flag (it would tell
            # other extensions what was read); a cached answer repeats the first one's `elapsed_ms`, the
            # server time of the analysis, and so arrives faster than that, which a new analysis cannot.
            if status == 200 and elapsed * 1000 < json.loads(body)["meta"]["elapsed_ms"]:
                times.append(elapsed)
        valid = times
        results.append({"label": label, "words": common.words(article["text"]), "bytes": len(body),
                        "median_ms": common.ms(common.median(valid)) if valid else float("nan"),
                        "p95_ms": common.ms(common.percentile(valid, 95)) if valid else float("nan"),
                        "cached": len(valid)})
    return results


def argparse_hidden():
    import argparse
    return argparse.SUPPRESS


def main() -> None:
    p = common.parser(__doc__.splitlines()[0])
    p.add_argument("--task", choices=("report", "pass", "breakdown"), default="report", help=argparse_hidden())
    p.add_argument("--pass-number", type=int, default=0, help=argparse_hidden())
    args = p.parse_args()
    articles = common.load_corpus(args.corpus)
    if args.task == "pass":
        print(json.dumps(in_process(articles, *loaded(args.model), flip=bool(args.pass_number % 2))))
        return
    if args.task == "breakdown":
        print(json.dumps(breakdown(articles[::6], *loaded(args.model))))
        return
    total_words = sum(common.words(a["text"]) for a in articles)
    print(f"\n## Per article ({len(articles)} articles, {total_words:,} words, model {args.model})", flush=True)

    passes = [fresh_process(args.corpus, args.model, "pass", n) for n in range(PASSES)]
    rows = []
    for timed in zip(*passes):
        rows.append({**timed[0], "raw": min(t["raw"] for t in timed), "analysis": min(t["analysis"] for t in timed)})
    http = over_http(articles, args.model)
    by_id = {r["id"]: r for r in http["rows"]}
    for row in rows:
        row.update({k: by_id[row["id"]][k] for k in ("http", "server_ms")} if row["id"] in by_id else {})

    ratios = [r["analysis"] / r["raw"] for r in rows]
    http_ratios = [r["http"] / r["raw"] for r in rows if "http" in r]
    overheads = [common.ms(r["http"]) - r["server_ms"] for r in rows if "http" in r]
    stats = []
    for key, label in (("raw", "raw nlp(text), plain model"), ("analysis", "analysis in process"),
                       ("http", "HTTP round trip")):
        values = [r[key] for r in rows if key in r]
        stats.append([label, common.ms(common.median(values)), common.ms(common.percentile(values, 95)),
                      common.ms(max(values)), sum(values), sum(r["words"] for r in rows if key in r) / sum(values)])
    common.table(f"Time per article (in process: each article's faster time over {PASSES} fresh processes; "
                 "HTTP: one run)", ["", "median ms", "p95 ms", "max ms", "total s", "words/s"], stats)
    common.table("Analysis / raw (per-article ratio)", ["ratio", "median", "p95", "target"], [
        ["analysis / raw", common.median(ratios), common.percentile(ratios, 95), "median ≤ 1.15, p95 ≤ 1.30"],
        ["HTTP (one run) / raw", common.median(http_ratios), common.percentile(http_ratios, 95), "–"],
        ["total analysis s / total raw s", sum(r["analysis"] for r in rows) / sum(r["raw"] for r in rows), "–", "–"],
    ], note=f"HTTP errors: {http['errors']}. Ratios are per article (each article's analysis time "
            "over its own raw time), then the median and nearest-rank p95 across articles. HTTP itself "
            f"(round trip minus the server's own elapsed_ms) adds {common.median(overheads):.1f} ms per "
            f"request at the median, {common.percentile(overheads, 95):.1f} ms at p95.")

    sample = articles[::6]
    totals = fresh_process(args.corpus, args.model, "breakdown")
    raw_sample = totals.pop("raw")
    model_time = sum(v for k, v in totals.items() if k.startswith("model: ") or k == "tokenizer")
    ordered = sorted(totals.items(), key=lambda kv: -kv[1])
    common.table(f"Where Sourcelight's time goes (every 6th article: {len(sample)} articles, each once)",
                 ["stage", "total s", "% of raw nlp(text)"],
                 [[k, v, f"{100 * v / raw_sample:.1f}"] for k, v in ordered] +
                 [["= model part (tokenizer + model components)", model_time, f"{100 * model_time / raw_sample:.1f}"],
                  ["= Sourcelight's own work (the rest)", sum(totals.values()) - model_time,
                   f"{100 * (sum(totals.values()) - model_time) / raw_sample:.1f}"],
                  ["(yardstick: plain model nlp(text), same articles)", raw_sample, "100.0"]],
                 note="The model part can be below the plain model's time: Sourcelight's lemmatizer gives "
                      "spaCy's lemmas with less work (see docs/performance.md).")

    memory = http["memory"]
    common.table("Server memory (MB; gunicorn master + one worker forked from it)",
                 ["when", "worker RSS", "worker PSS", "master RSS", "master PSS"],
                 [[when, m["worker_rss"], m["worker_pss"], m["master_rss"], m["master_pss"]]
                  for when, m in memory.items()])
    keys = list(memory)
    if len(keys) == 4:
        first = 100 * (memory[keys[2]]["worker_rss"] / memory[keys[1]]["worker_rss"] - 1)
        second = 100 * (memory[keys[3]]["worker_rss"] / memory[keys[2]]["worker_rss"] - 1)
        print(f"\nWorker RSS growth after warm-up: {first:+.1f}% over the rest of the corpus ({keys[1]} → "
              f"{keys[2]}), then {second:+.1f}% over the second pass (target ≤ 10%). The first pass also "
              "fills the bounded caches (responses, textstat, lemmas) and spaCy's vocabulary of new words.")

    common.table("Cached repeat request (same text again, one keep-alive client)",
                 ["text", "words", "response bytes", "median ms", "p95 ms", "cached answers"],
                 [[c["label"], c["words"], c["bytes"], c["median_ms"], c["p95_ms"], f"{c['cached']}/20"]
                  for c in http["cached"]],
                 note="Target < 5 ms. Cached answers: the repeats answered faster than the analysis's own "
                      "server time (`meta` carries no cache flag).")
    path = common.save("per_article", {"rows": rows, "breakdown": totals, "http": {k: v for k, v in http.items() if k != "rows"}})
    print(f"\n(per-article figures: {path.relative_to(common.ROOT)})")


if __name__ == "__main__":
    main()
