"""A readable terminal report of one analysis: grade, score and its reasons, sources, flagged sentences."""
from __future__ import annotations

import textwrap

COLOURS = {"source": "1;36", "cue": "33", "quote": "32", "content": "0", "hedge": "35",
           "unattributed": "1;31", "strong": "1;32", "mixed": "1;33", "weak": "1;31", "insufficient": "2"}
MARKERS = {"source": ("[", "]"), "cue": ("<", ">"), "hedge": ("{", "}")}
WIDTH = 100


class Painter:
    def __init__(self, colour: bool):
        self.colour = colour

    def __call__(self, text: str, style: str) -> str:
        code = COLOURS.get(style)
        return f"\033[{code}m{text}\033[0m" if self.colour and code else text


def render_report(result: dict, *, colour: bool = False, name: str | None = None) -> str:
    paint = Painter(colour)
    text = result.get("_text", "")
    summary = result["summary"]
    spans = {s["id"]: s for s in result["spans"]}
    lines = []
    title = f"Sourcelight report{f' — {name}' if name else ''}"
    lines += [title, "=" * len(title)]
    score = summary.get("score")
    grade = summary["grade"]
    lines.append(f"Grade: {paint(grade.upper(), grade)}" + (f"   Score: {score}/100" if score is not None else ""))
    genre = summary.get("genre") or {}
    if genre.get("label") in ("opinion", "analysis", "satire"):
        signal = f" ({genre['signals'][0].rstrip('.')})" if genre.get("signals") else ""
        lines.append(f"Genre: {genre['label']}{signal}")
    lines.append(summary.get("headline", ""))
    lines.append("")
    lines.append("Why this score")
    for r in summary.get("reasons", []):
        sign = f"{r['effect']:+d}" if r["effect"] else " 0"
        lines.append(textwrap.fill(f"{sign:>4}  {r['text']}", WIDTH, subsequent_indent=" " * 6))
    c = summary["counts"]
    lines += ["", "Counts",
              f"  attributions {c['attributions']}  named {c['named']}  official {c['official']}  "
              f"document {c['document']}  anonymous {c['anonymous']}  vague {c['vague']}",
              f"  direct quotes {c['direct_quotes']}  hedges {c['hedges']}  unattributed claims {c['unattributed_claims']}",
              f"  attributed sentences {round(summary['attributed_sentence_share'] * 100)}%   "
              f"distinct named sources {summary['distinct_named_sources']}"]
    rd = summary.get("readability") or {}
    if rd.get("flesch_reading_ease") is not None:
        lines.append(f"  readability: Flesch {rd['flesch_reading_ease']}, grade level {rd['grade_level']}, "
                     f"{rd['reading_minutes']} min read; {summary['words']} words, {summary['sentences']} sentences")

    lines += ["", "Who says what"]
    if not result["sources"]:
        lines.append("  (no sources found)")
    for source in result["sources"]:
        cues = []
        for at_id in source["attributions"]:
            at = next(a for a in result["attributions"] if a["id"] == at_id)
            if at["cue"]:
                cues.append(spans[at["cue"]]["text"])
        label = source["source_type"].replace("_", " ")
        role = {"subject": ", subject of the story", "independent": ", independent"}.get(source.get("role"), "")
        also = f" [also: {'; '.join(source['aliases'][:3])}]" if source.get("aliases") else ""
        lines.append(f"  {paint(source['name'], 'source')} ({label}{role}){also}: " + (", ".join(dict.fromkeys(cues)) or "-"))

    lines += ["", "Flagged sentences   [source]  <cue>  {hedge}"]
    flagged = _flagged_sentences(result, text)
    if not flagged:
        lines.append("  (none)")
    for start, end, tags in flagged:
        marked = _mark(text, start, end, result["spans"], paint)
        prefix = ",".join(tags)
        lines.append(textwrap.fill(f"- ({prefix}) {marked}", WIDTH * (3 if colour else 1), subsequent_indent="  "))
    if summary.get("limits"):
        lines += ["", textwrap.fill(summary["limits"], WIDTH)]
    meta = result.get("meta", {})
    lines += ["", f"model {meta.get('model', '?')}, {meta.get('elapsed_ms', '?')} ms"]
    return "\n".join(lines)


def _flagged_sentences(result: dict, text: str):
    """Sentences holding an anonymous/vague source, a hedge or an unattributed claim."""
    spans = {s["id"]: s for s in result["spans"]}
    flagged: dict[tuple[int, int], list[str]] = {}
    for at in result["attributions"]:
        if at["source_type"] in ("anonymous", "vague") and at["source"]:
            key = (at["sentence"]["start"], at["sentence"]["end"])
            flagged.setdefault(key, []).append(at["source_type"])
    for span in result["spans"]:
        if span["label"] in ("hedge", "unattributed"):
            key = _sentence_of(span, result, text)
            flagged.setdefault(key, []).append(span["label"])
    del spans
    return [(s, e, sorted(set(tags))) for (s, e), tags in sorted(flagged.items())]


def _sentence_of(span: dict, result: dict, text: str) -> tuple[int, int]:
    if span["label"] == "unattributed":
        return span["start"], span["end"]
    start = max(text.rfind(". ", 0, span["start"]) + 2, text.rfind("\n", 0, span["start"]) + 1, 0)
    ends = [i for i in (text.find(". ", span["end"]), text.find("\n", span["end"])) if i != -1]
    end = min(ends) + 1 if ends else len(text)
    return start, end


def _mark(text: str, start: int, end: int, spans: list[dict], paint) -> str:
    inserts: list[tuple[int, int, str]] = []
    for s in spans:
        if s["label"] in MARKERS and start <= s["start"] and s["end"] <= end:
            left, right = MARKERS[s["label"]]
            inserts.append((s["start"], 1, paint(left, s["label"])))
            inserts.append((s["end"], 0, paint(right, s["label"])))
    out, cursor = [], start
    for position, _, marker in sorted(inserts, key=lambda x: (x[0], x[1])):
        out.append(text[cursor:position])
        out.append(marker)
        cursor = position
    out.append(text[cursor:end])
    return " ".join("".join(out).split())
