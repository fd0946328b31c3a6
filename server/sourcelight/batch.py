"""`sourcelight batch IN.jsonl OUT.jsonl`: many articles through nlp.pipe, one API response per line.

A malformed line (bad JSON, no text, text too long) or a text not in English is reported on stderr
and skipped; the run goes on.
"""
from __future__ import annotations

import json
import sys
import time

from tqdm import tqdm

from .analysis import build_analysis
from .language import identify as identify_language
from .offsets import has_lone_surrogates, model_text
from .pipeline import Analyzer
from .serialize import to_api


def _read_items(path: str, max_chars: int, problems: list):
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except (ValueError, RecursionError):
                problems.append((number, "not valid JSON"))
                continue
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                problems.append((number, "needs an object with a string `text`"))
                continue
            if len(item["text"]) > max_chars:
                problems.append((number, f"text has {len(item['text'])} characters; the limit is {max_chars}"))
                continue
            language = identify_language(item["text"])
            if not language.supported:  # the English model cannot judge it (language.py)
                problems.append((number, language.message("text")))
                continue
            text = item["text"]
            readable = model_text(text)  # same code points; see offsets.model_text
            context = {"line": number, "id": item.get("id", number)}
            if readable != text:
                context["text"] = text
            yield readable, context


def run_batch(input_path: str, output_path: str, *, settings, processes: int = 1, batch_size: int = 16,
              unit: str = "utf16", progress: bool = True) -> int:
    try:
        with open(input_path, encoding="utf-8", errors="replace") as handle:
            total = sum(1 for line in handle if line.strip())
    except OSError as err:
        print(f"sourcelight: cannot read {input_path}: {err.strerror}", file=sys.stderr)
        return 1
    analyzer = Analyzer(settings.model, cache_size=0, max_text_chars=settings.max_text_chars)
    nlp = analyzer.nlp
    problems: list[tuple[int, str]] = []
    written = 0
    started = time.perf_counter()
    # The bar counts input lines (analysed or skipped), so it ends at 100% either way.
    bar = tqdm(total=total, unit="line", disable=not progress, file=sys.stderr)
    with open(output_path, "w", encoding="utf-8") as out:
        items = _read_items(input_path, settings.max_text_chars, problems)
        for doc, context in nlp.pipe(items, as_tuples=True, n_process=max(1, processes), batch_size=batch_size):
            try:
                analysis = build_analysis(doc)
                if "text" in context:
                    analysis.text = context["text"]  # spans are sliced from the line's own text
                body = to_api(analysis, unit)
            except Exception as error:  # noqa: BLE001 — one bad article must not end the run
                problems.append((context["line"], f"analysis failed: {error}"))
            else:
                body = {"id": context["id"], **body, "meta": {"model": analyzer.model, "offsets": unit}}
                # Unpaired surrogates (kept from the input) cannot be written as UTF-8: escape them.
                out.write(json.dumps(body, ensure_ascii=has_lone_surrogates(analysis.text)) + "\n")
                written += 1
            bar.update(written + len(problems) - bar.n)
    bar.update(total - bar.n)
    bar.close()
    for line, message in sorted(problems):
        print(f"sourcelight batch: line {line} skipped: {message}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(f"sourcelight batch: {written} analysed, {len(problems)} skipped, "
          f"{elapsed:.1f}s ({written / elapsed if elapsed else 0:.2f} articles/s) → {output_path}", file=sys.stderr)
    return 0 if written or not total else 1
