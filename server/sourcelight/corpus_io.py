"""Corpus files for `sourcelight batch` and `sourcelight report`: readers, the resumable output,
the flat table.

In: JSONL (one {"id", "text", …} object a line), CSV or Parquet with the columns id, text and
optionally url, title, outlet, date. Out: JSONL, one API response a line with the article's id
and metadata in front; `--table` adds a Parquet file of one flat row per article (TABLE_COLUMNS).
A record that cannot be read becomes a Problem (where, kind, message), never an exception: the
run reports it and goes on.
"""
from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Iterator

META_FIELDS = ("url", "title", "outlet", "date")
FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet",
           ".pq": "parquet"}


class InputError(Exception):
    """The input as a whole cannot be read (missing file, no `text` column, unknown format)."""


@dataclass
class Article:
    key: str        # the id as a string: what resuming and the report match on
    id: object      # the id as given (a JSON or Parquet value), written back unchanged
    where: str      # "line 3" / "row 3": how a message names it
    position: int   # line or row number, for ordering messages
    text: str
    meta: dict = field(default_factory=dict)  # url, title, outlet, date: strings, only those given


@dataclass
class Problem:
    where: str
    position: int
    kind: str       # short, for the tally: "not valid JSON", "not in English", …
    message: str    # the whole reason, for the per-article line
    key: str | None = None


def article_key(value) -> str:
    """Ids are matched as strings: 7 in a JSONL and "7" in a CSV are the same article."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def detect_format(path: str, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    fmt = FORMATS.get(os.path.splitext(path)[1].lower())
    if fmt is None:
        raise InputError(f"cannot tell the format of {path} from its name; use --input-format jsonl|csv|parquet")
    return fmt


def _meta_value(value) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _article(raw: dict, position: int, where: str, max_chars: int, default_id) -> Article | Problem:
    text = raw.get("text")
    if not isinstance(text, str):
        return Problem(where, position, "no text", "needs a string `text`")
    ident = raw.get("id")
    if ident is None or ident == "":
        ident = default_id
    if isinstance(ident, (dt.date, dt.datetime)):
        ident = ident.isoformat()
    if len(text) > max_chars:
        return Problem(where, position, "text too long", f"text has {len(text)} characters; the limit is {max_chars}",
                       article_key(ident))
    meta = {name: value for name in META_FIELDS if (value := _meta_value(raw.get(name))) is not None}
    return Article(article_key(ident), ident, where, position, text, meta)


def read_articles(path: str, fmt: str, max_chars: int) -> Iterator[Article | Problem]:
    """Every record of the input in order. Raises InputError before the first one when the file
    as a whole is unusable; a bad record is yielded as a Problem."""
    readers = {"jsonl": _read_jsonl, "csv": _read_csv, "parquet": _read_parquet}
    if fmt not in readers:
        raise InputError(f"unknown input format {fmt!r} (jsonl, csv or parquet)")
    if not os.path.isfile(path):
        raise InputError(f"cannot read {path}: no such file")
    records = readers[fmt](path, max_chars)
    first = next(records, None)  # a missing `text` column or a file that is not Parquet fails here, at once
    return itertools.chain([first], records) if first is not None else iter(())


def _read_jsonl(path: str, max_chars: int):
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                item = json.loads(line)
            except (ValueError, RecursionError):
                yield Problem(where, number, "not valid JSON", "not valid JSON")
                continue
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                yield Problem(where, number, "no text", "needs an object with a string `text`")
                continue
            yield _article(item, number, where, max_chars, number)


def _read_csv(path: str, max_chars: int):
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # articles are longer than csv's 128 kB default
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames is None or "text" not in reader.fieldnames:
            raise InputError(f"{path} has no `text` column (columns: {', '.join(reader.fieldnames or []) or 'none'})")
        number = 0
        while True:
            number += 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                yield Problem(f"row {number}", number, "not valid CSV", f"not valid CSV: {err}")
                continue
            yield _article(row, number, f"row {number}", max_chars, number)


def _read_parquet(path: str, max_chars: int):
    import pyarrow.parquet as pq
    try:
        source = pq.ParquetFile(path)
    except Exception as err:  # noqa: BLE001 — pyarrow raises several kinds for a file that is not Parquet
        raise InputError(f"cannot read {path} as Parquet: {err}") from None
    names = source.schema_arrow.names
    if "text" not in names:
        raise InputError(f"{path} has no `text` column (columns: {', '.join(names)})")
    columns = [name for name in ("id", "text", *META_FIELDS) if name in names]
    number = 0
    for batch in source.iter_batches(batch_size=256, columns=columns):
        for row in batch.to_pylist():
            number += 1
            yield _article(row, number, f"row {number}", max_chars, number)


def count_records(path: str, fmt: str) -> int | None:
    """How many records the input holds (for the progress bar); None when that costs a full parse."""
    if fmt == "jsonl":
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    if fmt == "parquet":
        import pyarrow.parquet as pq
        return pq.ParquetFile(path).metadata.num_rows
    return None


# --- the output: resumable JSONL --------------------------------------------------------------------
def prepare_output(path: str, fresh: bool = False) -> tuple[set[str], str | None]:
    """Keys of the articles OUT already holds (empty when `fresh` or when there is no OUT), and a
    note when an incomplete last line (a run stopped mid-write) was cut off so appending is safe."""
    if fresh or not os.path.exists(path):
        with open(path, "w", encoding="utf-8"):
            pass
        return set(), None
    note = None
    with open(path, "rb+") as handle:
        size = handle.seek(0, os.SEEK_END)
        if size:
            handle.seek(size - 1)
            if handle.read(1) != b"\n":
                keep = _end_of_last_full_line(handle, size)
                handle.truncate(keep)
                note = f"cut an incomplete last line ({size - keep} bytes) from {path}"
    done = set()
    for response in iter_responses(path):
        if "id" in response:
            done.add(article_key(response["id"]))
    return done, note


def _end_of_last_full_line(handle, size: int) -> int:
    position, chunk = size, 1 << 16
    while position > 0:
        start = max(0, position - chunk)
        handle.seek(start)
        block = handle.read(position - start)
        cut = block.rfind(b"\n")
        if cut != -1:
            return start + cut + 1
        position = start
    return 0


def iter_responses(path: str) -> Iterator[dict]:
    """The responses of an OUT.jsonl (lines that are not JSON objects are passed over)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if not line.strip():
                continue
            try:
                response = json.loads(line)
            except ValueError:
                continue
            if isinstance(response, dict) and isinstance(response.get("summary"), dict):
                yield response


def response_line(article: Article, body: dict, model: str, unit: str, ascii_only: bool = False) -> str:
    """One OUT line: id and the article's metadata, then the API response."""
    line = {"id": article.id, **article.meta, **body, "meta": {"model": model, "offsets": unit}}
    return json.dumps(line, ensure_ascii=ascii_only)


# --- the table --------------------------------------------------------------------------------------
COUNT_FIELDS = ("attributions", "named", "official", "document", "anonymous", "vague", "self", "unknown",
                "direct_quotes", "hedges", "unattributed_claims")
SHARE_TYPES = ("named", "official", "document", "anonymous", "vague")
# (column, Arrow type name, what it holds) — docs/research.md lists the same.
TABLE_COLUMNS = (
    [("id", "string", "the article's id, as a string"),
     ("url", "string", "from the input, if given"), ("title", "string", "from the input, if given"),
     ("outlet", "string", "from the input, if given"), ("date", "string", "from the input, if given (as written)"),
     ("score", "int64", "0–100; null when the grade is insufficient"),
     ("grade", "string", "strong, mixed, weak or insufficient"),
     ("genre", "string", "report, analysis, opinion, satire or other (summary.genre.label)"),
     ("genre_confidence", "double", "summary.genre.confidence"),
     ("words", "int64", "words in the text"), ("sentences", "int64", "sentences in the text")]
    + [(name, "int64", f"summary.counts.{name}") for name in COUNT_FIELDS]
    + [(f"{name}_share", "double", f"{name} attributions / all attributions; null with no attributions")
       for name in SHARE_TYPES]
    + [("attributed_sentence_share", "double", "share of sentences with an attribution"),
       ("distinct_named_sources", "int64", "named voices"),
       ("voices", "int64", "sources grouped into voices (the response's `sources`)"),
       ("linked_sources", "int64", "sources the article links to"),
       ("flesch_reading_ease", "double", "readability"), ("grade_level", "double", "readability"),
       ("reading_minutes", "int64", "readability"),
       ("reason_codes", "list<string>", "codes of the score's reasons"),
       ("model", "string", "the spaCy model that read it")]
)


def flatten(response: dict) -> dict:
    """One table row from one OUT line."""
    summary = response["summary"]
    counts = summary.get("counts") or {}
    readability = summary.get("readability") or {}
    genre = summary.get("genre") or {}
    total = counts.get("attributions") or 0
    row = {"id": article_key(response.get("id")), **{name: response.get(name) for name in META_FIELDS},
           "score": summary.get("score"), "grade": summary.get("grade"), "genre": genre.get("label"),
           "genre_confidence": genre.get("confidence"), "words": summary.get("words"),
           "sentences": summary.get("sentences")}
    row.update({name: counts.get(name) for name in COUNT_FIELDS})
    row.update({f"{name}_share": (round(counts.get(name, 0) / total, 4) if total else None) for name in SHARE_TYPES})
    row.update({"attributed_sentence_share": summary.get("attributed_sentence_share"),
                "distinct_named_sources": summary.get("distinct_named_sources"),
                "voices": len(response.get("sources") or []), "linked_sources": summary.get("linked_sources"),
                "flesch_reading_ease": readability.get("flesch_reading_ease"),
                "grade_level": readability.get("grade_level"), "reading_minutes": readability.get("reading_minutes"),
                "reason_codes": [r.get("code") for r in summary.get("reasons") or []],
                "model": (response.get("meta") or {}).get("model")})
    return row


def _arrow_schema():
    import pyarrow as pa
    types = {"string": pa.string(), "int64": pa.int64(), "double": pa.float64(), "list<string>": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind, _ in TABLE_COLUMNS])


def write_table(jsonl_path: str, table_path: str, rows_per_group: int = 10_000) -> int:
    """The Parquet table of every response in `jsonl_path` (written to a temporary name, then
    renamed: a stopped run never leaves half a table). Returns the number of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    schema = _arrow_schema()
    partial = f"{table_path}.partial"
    written = 0
    with pq.ParquetWriter(partial, schema) as writer:
        rows: list[dict] = []
        for response in iter_responses(jsonl_path):
            rows.append(flatten(response))
            if len(rows) >= rows_per_group:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                written += len(rows)
                rows = []
        if rows or not written:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            written += len(rows)
    os.replace(partial, table_path)
    return written
