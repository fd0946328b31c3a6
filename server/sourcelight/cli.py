"""Command line: `sourcelight serve | analyze | batch | report | eval`."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time

from . import __version__
from .evaluation import SECTIONS
from .config import Settings, StartupError, whole_number

log = logging.getLogger("sourcelight")


def _number(key: str):
    """An argparse type for a whole-number setting, with the same limits and wording as its
    environment variable (argparse prints "argument --port: must be …" and exits with 2)."""
    def parse(raw: str) -> int:
        try:
            return whole_number(key, raw)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None
    parse.__name__ = key
    return parse


def _settings_args(parser: argparse.ArgumentParser, server: bool = False) -> None:
    if server:
        parser.add_argument("--host", help="address to bind (loopback only; env SOURCELIGHT_HOST)")
        parser.add_argument("--port", type=_number("port"), help="port (env SOURCELIGHT_PORT, default 8765)")
        parser.add_argument("--threads", type=_number("threads"),
                            help="request threads, at least queue size + 2 (env SOURCELIGHT_THREADS, default 32)")
        parser.add_argument("--queue-size", type=_number("queue_size"),
                            help="analyses that may wait while one runs; more get 503 busy "
                                 "(env SOURCELIGHT_QUEUE_SIZE, default 16)")
        parser.add_argument("--time-budget-s", type=_number("time_budget_s"),
                            help="seconds one analysis may take before it is stopped with 503 "
                                 "(env SOURCELIGHT_TIME_BUDGET_S, default 30)")
        parser.add_argument("--max-body-bytes", type=_number("max_body_bytes"),
                            help="largest request body (env SOURCELIGHT_MAX_BODY_BYTES)")
        parser.add_argument("--allowed-extension-ids",
                            help="comma-separated extension ids allowed as Origin (env SOURCELIGHT_ALLOWED_EXTENSION_IDS)")
    parser.add_argument("--model", help="installed spaCy English pipeline (env SOURCELIGHT_MODEL)")
    parser.add_argument("--max-text-chars", type=_number("max_text_chars"),
                        help="longest text analysed (env SOURCELIGHT_MAX_TEXT_CHARS)")


def _settings_from(args) -> Settings:
    keys = ("host", "port", "threads", "queue_size", "time_budget_s", "max_body_bytes", "allowed_extension_ids",
            "model", "max_text_chars")
    return Settings.load({k: getattr(args, k, None) for k in keys})


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sourcelight", description="See how a news article is sourced.")
    parser.add_argument("--version", action="version", version=f"sourcelight {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug detail")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the local server the browser extension talks to")
    _settings_args(serve, server=True)

    analyze = sub.add_parser("analyze", help="analyse one article (a file, or - for stdin)")
    analyze.add_argument("file")
    analyze.add_argument("--json", action="store_true", help="print the API response as JSON")
    analyze.add_argument("--offsets", choices=("utf16", "codepoints"), default="codepoints",
                         help="offset unit in --json output (default codepoints)")
    analyze.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    _settings_args(analyze)

    batch = sub.add_parser("batch", help="analyse a corpus (JSONL, CSV or Parquet) into a JSONL of responses; "
                           "resumable, on one process or a Dask cluster (docs/research.md)")
    batch.add_argument("input", help="JSONL, CSV or Parquet with id, text and optionally url, title, outlet, date")
    batch.add_argument("output", help="JSONL of responses; ids already in it are skipped (resume)")
    batch.add_argument("--processes", type=int, default=1,
                       help="worker processes (default 1: this process); N > 1 means --cluster local:N")
    batch.add_argument("--cluster", help="local, local:N (a LocalCluster of N worker processes), a scheduler "
                       "address (tcp://host:8786) or a scheduler file (.json)")
    batch.add_argument("--partition-size", type=int, default=8, help="articles sent to a worker at a time (default 8)")
    batch.add_argument("--batch-size", type=int, default=16, help="texts per nlp.pipe batch within a partition")
    batch.add_argument("--input-format", choices=("jsonl", "csv", "parquet"),
                       help="the input's format (default: from its extension)")
    batch.add_argument("--table", metavar="OUT.parquet", help="also write one flat row per article of OUTPUT")
    batch.add_argument("--fresh", action="store_true", help="start OUTPUT afresh instead of resuming it")
    batch.add_argument("--offsets", choices=("utf16", "codepoints"), default="utf16")
    batch.add_argument("--no-progress", action="store_true")
    _settings_args(batch)

    report = sub.add_parser("report", help="an HTML page of plots and tables over a batch's output")
    report.add_argument("input", help="the JSONL written by `sourcelight batch`")
    report.add_argument("--html", required=True, metavar="REPORT.html", help="where to write the page")
    report.add_argument("--by", choices=("outlet", "date"), help="compare groups: by outlet or by date period")
    report.add_argument("--period", choices=("year", "month", "week", "day"), default="month",
                        help="with --by date: the length of a period (default month)")
    report.add_argument("--title", help="the page's title")

    ev = sub.add_parser("eval", help="accuracy tables against the shared development data")
    ev.add_argument("--shared", default="../shared", help="path to the shared data folder")
    ev.add_argument("--only", choices=SECTIONS, action="append", help="run only this section (repeatable)")
    ev.add_argument("--limit", type=int, help="score only the first N articles/sentences (quick checks)")
    ev.add_argument("--errors", type=int, default=0, help="print N example errors per table")
    _settings_args(ev)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    quiet = args.command in ("analyze", "batch", "eval", "report") and not args.verbose
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING if quiet else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    command = {"serve": cmd_serve, "analyze": cmd_analyze, "batch": cmd_batch, "eval": cmd_eval,
               "report": cmd_report}[args.command]
    try:
        return command(args, _settings_from(args))
    except StartupError as err:  # a bad setting, a missing model, a busy port: one line, no traceback
        print(f"sourcelight: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `sourcelight analyze a.txt | head`: the reader left; not an error
        sys.stderr.close()
        return 0


def cmd_serve(args, settings: Settings) -> int:
    from .security import host_is_loopback
    from .startup import check_model, check_port

    if not host_is_loopback(settings.host):
        print(f"sourcelight: refusing to bind {settings.host}: the server listens on loopback only "
              "(127.0.0.1, ::1 or localhost).", file=sys.stderr)
        return 2
    if settings.threads < settings.queue_size + 2:
        print(f"sourcelight: threads ({settings.threads}) must be at least queue size ({settings.queue_size}) + 2, "
              "so that health checks and cached answers always find a free thread.", file=sys.stderr)
        return 2
    started = time.perf_counter()
    # Before the model loads (seconds): a wrong model name or a busy port ends here at once.
    check_model(settings.model)
    check_port(settings.host, settings.port)
    from .app import create_app
    from .server import serve

    app = create_app({k: getattr(settings, k) for k in (
        "host", "port", "model", "max_body_bytes", "max_text_chars", "allowed_extension_ids", "threads",
        "queue_size", "time_budget_s", "idle_timeout_s")})
    analyzer = app.extensions["sourcelight.analyzer"]

    def announce(port: int) -> None:
        host = f"[{settings.host}]" if ":" in settings.host else settings.host
        print(f"Sourcelight {__version__} listening on http://{host}:{port}  (model {analyzer.model}, "
              f"ready in {time.perf_counter() - started:.1f}s)", flush=True)
        print("Load the extension: chrome://extensions → Developer mode → Load unpacked → the extension/ "
              "folder of this repository (Firefox: about:debugging → Load Temporary Add-on → "
              "extension/manifest.json). Press Ctrl+C to stop.", flush=True)

    serve(app, settings, on_ready=announce)
    return 0


def _read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        return handle.read()


def analyze_to_response(analyzer, text: str, unit: str) -> dict:
    from .serialize import to_api
    started = time.perf_counter()
    body = to_api(analyzer.analyze_text(text), unit)
    body["meta"] = {"model": analyzer.model, "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
                    "offsets": unit}
    return body


def _refuse_language(language, as_json: bool) -> int:
    """A text the English model cannot judge: the API's message on stderr (with --json, the API's
    error body on stdout too); exit status 1."""
    if as_json:
        print(json.dumps({"error": language.error("text")}, ensure_ascii=False, indent=1))
    print(f"sourcelight: {language.message('text')}", file=sys.stderr)
    return 1


def cmd_analyze(args, settings: Settings) -> int:
    from .language import identify as identify_language
    from .pipeline import Analyzer
    from .report import render_report

    try:
        text = _read_text(args.file)
    except OSError as err:
        print(f"sourcelight: cannot read {args.file}: {err.strerror}", file=sys.stderr)
        return 1
    if len(text) > settings.max_text_chars:
        print(f"sourcelight: {args.file} has {len(text)} characters; the limit is {settings.max_text_chars} "
              "(raise it with --max-text-chars).", file=sys.stderr)
        return 1
    language = identify_language(text)  # before the model loads: a refusal takes milliseconds
    if not language.supported:
        return _refuse_language(language, args.json)
    analyzer = Analyzer(settings.model, cache_size=0, max_text_chars=settings.max_text_chars)
    unit = args.offsets if args.json else "codepoints"
    result = analyze_to_response(analyzer, text, unit)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        colour = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        result["_text"] = text
        print(render_report(result, colour=colour, name=None if args.file == "-" else os.path.basename(args.file)))
    return 0


def cmd_batch(args, settings: Settings) -> int:
    from .batch import run_batch
    return run_batch(args.input, args.output, settings=settings, processes=args.processes, cluster=args.cluster,
                     batch_size=args.batch_size, partition_size=args.partition_size, unit=args.offsets,
                     progress=not args.no_progress, input_format=args.input_format, table=args.table,
                     fresh=args.fresh)


def cmd_report(args, settings: Settings) -> int:
    from .corpus_report import write_report
    return write_report(args.input, args.html, by=args.by, period=args.period, title=args.title)


def cmd_eval(args, settings: Settings) -> int:
    from .evaluation import run_evaluation
    return run_evaluation(args.shared, settings=settings, only=args.only, limit=args.limit, errors=args.errors)
