"""`sourcelight batch IN OUT`: a corpus through the analysis, one API response per line of OUT.

IN is JSONL, CSV or Parquet (corpus_io.py). The articles go in partitions to a runner
(cluster.py): this process, or a Dask cluster's workers, through the same partition function
(partition.py). Lines are appended to OUT as partitions finish, so a rerun of the same command
skips every id OUT already holds and analyses only what is missing (`--fresh` starts over).

A malformed record, a text too long or not in English is reported and skipped, an article whose
analysis raised is reported as failed; the run goes on. The last line on stderr counts what was
analysed, skipped, failed (with the reasons) and already done.
"""
from __future__ import annotations

import itertools
import sys
import time
from collections import Counter

from tqdm import tqdm

from . import corpus_io
from .cluster import ClusterError, make_runner, parse_spec
from .corpus_io import Article, InputError, Problem
from .partition import RunOptions


class Tally:
    def __init__(self):
        self.analysed = 0
        self.already = 0
        self.problems: list[tuple[int, str, str, str]] = []  # (position, where, status, message)
        self.reasons = {"skipped": Counter(), "failed": Counter()}

    def problem(self, position: int, where: str, status: str, kind: str, message: str) -> None:
        self.problems.append((position, where, status, message))
        self.reasons[status][kind] += 1

    def count(self, status: str) -> int:
        return sum(self.reasons[status].values())

    @property
    def seen(self) -> int:
        return self.analysed + self.already + len(self.problems)

    def summary(self, output_path: str, elapsed: float) -> str:
        def part(status: str) -> str:
            reasons = self.reasons[status]
            detail = ", ".join(f"{n} {kind}" for kind, n in sorted(reasons.items(), key=lambda item: (-item[1], item[0])))
            return f"{self.count(status)} {status}" + (f" ({detail})" if detail else "")
        rate = self.analysed / elapsed if elapsed > 0 else 0.0
        return (f"sourcelight batch: {self.analysed} analysed, {part('skipped')}, {part('failed')}, "
                f"{self.already} already in {output_path}; {elapsed:.1f}s, {rate:.2f} articles/s → {output_path}")


def _partitions(records, done: set[str], tally: Tally, size: int, bar):
    """Articles not yet in OUT, in partitions of `size`; read problems, duplicates and ids already
    done are tallied here and never sent."""
    seen: dict[str, str] = {}
    partition: list[Article] = []
    for record in records:
        if isinstance(record, Problem):
            tally.problem(record.position, record.where, "skipped", record.kind, record.message)
            bar.update(1)
            continue
        if record.key in seen:
            tally.problem(record.position, record.where, "skipped", "duplicate id",
                          f"duplicate id {record.key!r} (first on {seen[record.key]})")
            bar.update(1)
            continue
        seen[record.key] = record.where
        if record.key in done:
            tally.already += 1
            bar.update(1)
            continue
        partition.append(record)
        if len(partition) >= size:
            yield partition
            partition = []
    if partition:
        yield partition


def run_batch(input_path: str, output_path: str, *, settings, processes: int = 1, cluster: str | None = None,
              batch_size: int = 16, partition_size: int = 8, unit: str = "utf16", progress: bool = True,
              input_format: str | None = None, table: str | None = None, fresh: bool = False) -> int:
    def say(message: str) -> None:
        print(f"sourcelight batch: {message}", file=sys.stderr, flush=True)

    try:
        parse_spec(cluster, processes)  # a --cluster that cannot be used ends the run before anything is read
    except ClusterError as err:
        print(f"sourcelight: {err}", file=sys.stderr)
        return 2
    try:
        fmt = corpus_io.detect_format(input_path, input_format)
        records = corpus_io.read_articles(input_path, fmt, settings.max_text_chars)
        total = corpus_io.count_records(input_path, fmt)
    except (InputError, OSError) as err:
        print(f"sourcelight: {err}", file=sys.stderr)
        return 1
    try:
        done, note = corpus_io.prepare_output(output_path, fresh)
    except OSError as err:
        print(f"sourcelight: cannot write {output_path}: {err.strerror or err}", file=sys.stderr)
        return 1
    if note:
        say(note)
    if done:
        say(f"resuming: {len(done)} articles already in {output_path} are not analysed again")

    tally = Tally()
    bar = tqdm(total=total, unit="article", disable=not progress, file=sys.stderr)
    partitions = _partitions(records, done, tally, max(1, partition_size), bar)
    try:
        first = next(partitions, None)  # nothing left to analyse (a finished run resumed): no model, no cluster
    except InputError as err:
        bar.close()
        print(f"sourcelight: {err}", file=sys.stderr)
        return 1
    options = RunOptions(settings.model, settings.max_text_chars, unit, batch_size)
    started = time.perf_counter()
    runner = None
    if first is not None:
        try:
            runner = make_runner(cluster, processes, options)
        except ClusterError as err:
            bar.close()
            print(f"sourcelight: {err}", file=sys.stderr)
            return 2
        bar.clear()
        say(f"{runner.description} ready ({runner.workers} worker{'s' if runner.workers != 1 else ''}, "
            f"model loaded) in {time.perf_counter() - started:.1f}s")
        bar.refresh()
    started = time.perf_counter()
    try:
        with open(output_path, "a", encoding="utf-8") as out:
            for articles, outcomes in (runner.map(itertools.chain([first], partitions)) if runner else ()):
                for outcome in outcomes:
                    if outcome.status == "ok":
                        out.write(outcome.line + "\n")
                        tally.analysed += 1
                    else:
                        tally.problem(outcome.position, outcome.where, outcome.status, outcome.kind, outcome.message)
                out.flush()  # a run stopped now keeps every finished partition
                bar.update(len(outcomes))
        elapsed = time.perf_counter() - started
    except InputError as err:
        print(f"sourcelight: {err}", file=sys.stderr)
        return 1
    finally:
        bar.close()
        if runner is not None:
            runner.close()
    for _, where, status, message in sorted(tally.problems):
        print(f"sourcelight batch: {where} {status}: {message}", file=sys.stderr)
    if table:
        rows = corpus_io.write_table(output_path, table)
        say(f"table of {rows} articles → {table}")
    print(tally.summary(output_path, elapsed), file=sys.stderr)
    return 0 if tally.analysed or tally.already or not tally.seen else 1
