"""`sourcelight eval`: accuracy against the shared development data, printed as tables.

- PolNeAR dev (attributions): precision/recall/F1 of source, cue and content spans, exact and
  overlap, after aligning predicted to gold attributions one-to-one; attribution-level F1 (every
  role the gold attribution has must overlap).
- PolNeAR source types (hand-labelled dev sample): accuracy and confusion matrix of the source-type
  classifier on the gold source spans (the rest of the pipeline run as usual), plus the end-to-end
  view: of the gold spans the pipeline found itself, how many got the right type.
- Wikipedia weasel sentences (CoNLL-2010): a sentence is predicted uncertain when the analysis puts
  a hedge span or a vague source in it; sentence-level precision/recall/F1.
- Validity (validity.py): how the score agrees with expert star ratings of health stories
  (FakeHealth): rho overall, within outlet and with length partialled out, AUC good vs poor, and
  each reason's own rho with the stars.
- Genre (eval_genre.py): the genre classifier against the corpus labels: accuracy, confusion
  table, opinion precision/recall, satire recall.
The data is read from the shared folder at run time; nothing of it is stored in the repository.
"""
from __future__ import annotations

import csv
import gzip
import json
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("source", "cue", "content")
SECTIONS = ("polnear", "source-types", "weasel", "validity", "genre", "seed")
TYPES = ("named_person", "named_organization", "named_outlet", "official", "document", "anonymous", "vague", "self")


# --- PolNeAR attribution scoring ----------------------------------------------------------------
@dataclass
class RoleTally:
    tp_exact: int = 0
    tp_overlap: int = 0
    predicted: int = 0
    gold: int = 0

    def prf(self, exact: bool) -> tuple[float, float, float]:
        tp = self.tp_exact if exact else self.tp_overlap
        p = tp / self.predicted if self.predicted else 0.0
        r = tp / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class AttributionScores:
    roles: dict = field(default_factory=lambda: {role: RoleTally() for role in ROLES})
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    def prf(self) -> tuple[float, float, float]:
        p = self.matched / self.predicted if self.predicted else 0.0
        r = self.matched / self.gold if self.gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def gold_attributions(article: dict) -> list[dict]:
    """Each gold attribution as {role: (start, end) or None}; fragments are joined first to last."""
    result = []
    for attribution in article["attributions"]:
        item = {}
        for role in ROLES:
            fragments = [f for span in attribution.get(role) or [] for f in span]
            item[role] = (min(f["start"] for f in fragments), max(f["end"] for f in fragments)) if fragments else None
        if item["cue"] or item["content"]:
            result.append(item)
    return result


def predicted_attributions(response: dict) -> list[dict]:
    spans = {s["id"]: s for s in response["spans"]}
    result = []
    for attribution in response["attributions"]:
        if attribution.get("inferred") == "follow_on" and _continue_earlier(result, attribution, spans):
            continue
        item = {"source_id": attribution["source"]}
        for role in ROLES:
            span = spans.get(attribution[role]) if attribution[role] else None
            item[role] = (span["start"], span["end"]) if span else None
        # A quotation interrupted by its cue ("“…,” she said. “…”") is one content in two parts:
        # joined first to last, as discontinuous gold spans are.
        more = spans.get(attribution.get("content_more"))
        if more and item["content"]:
            item["content"] = (min(item["content"][0], more["start"]), max(item["content"][1], more["end"]))
        # A follow-on quote with no earlier attribution to continue credits the earlier mention, and
        # an agentless passive ("were described as") stands in for a missing source: for span
        # scoring neither has a source of its own.
        if attribution.get("inferred") == "follow_on" or attribution.get("agentless"):
            item["source"] = None
        result.append(item)
    return result


def _continue_earlier(result: list[dict], follow_on: dict, spans: dict) -> bool:
    """A quote paragraph credited to the previous paragraph's speaker ('inferred: follow_on') is,
    in PolNeAR's annotation, more of that speaker's attribution: one content in several fragments
    (checked on the first 250 training articles: 50 of 65 such paragraphs lie in a gold content of
    several fragments, 10 in a single-fragment one, 5 in none). It is scored as such: the latest
    earlier attribution with the same source span takes it into its content, joined first to last
    as discontinuous gold contents are."""
    content = spans.get(follow_on["content"]) if follow_on.get("content") else None
    if content is None or follow_on.get("source") is None:
        return False
    earlier = [item for item in result if item.get("source_id") == follow_on["source"] and item["content"]
               and item["content"][0] < content["start"]]
    if not earlier:
        return False
    item = max(earlier, key=lambda i: i["content"][0])
    item["content"] = (min(item["content"][0], content["start"]), max(item["content"][1], content["end"]))
    return True


def _overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _exact(a, b, text: str) -> bool:
    if a is None or b is None:
        return False
    return _strip(a, text) == _strip(b, text)


def _strip(span, text):
    start, end = span
    while start < end and text[start] in " \t\r\n":
        start += 1
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return start, end


def align(predicted: list[dict], gold: list[dict]) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index), greedily by how many roles overlap (cue first)."""
    candidates = []
    for i, p in enumerate(predicted):
        for j, g in enumerate(gold):
            cue = _overlaps(p["cue"], g["cue"])
            content = _overlaps(p["content"], g["content"])
            if not (cue or content):
                continue
            source = _overlaps(p["source"], g["source"])
            candidates.append((2 * cue + content + source, i, j))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_p, used_g, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_p and j not in used_g:
            used_p.add(i)
            used_g.add(j)
            pairs.append((i, j))
    return pairs


def score_article(predicted: list[dict], gold: list[dict], text: str, scores: AttributionScores):
    scores.predicted += len(predicted)
    scores.gold += len(gold)
    for role in ROLES:
        scores.roles[role].predicted += sum(1 for p in predicted if p[role])
        scores.roles[role].gold += sum(1 for g in gold if g[role])
    pairs = align(predicted, gold)
    for i, j in pairs:
        p, g = predicted[i], gold[j]
        for role in ROLES:
            if _overlaps(p[role], g[role]):
                scores.roles[role].tp_overlap += 1
            if _exact(p[role], g[role], text):
                scores.roles[role].tp_exact += 1
        if all(_overlaps(p[role], g[role]) for role in ROLES if g[role]):
            scores.matched += 1
    return pairs


def load_jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def first_annotation_per_article(articles: list[dict]) -> list[dict]:
    seen, result = set(), []
    for article in articles:
        if article["id"] not in seen:
            seen.add(article["id"])
            result.append(article)
    return result


# --- runners --------------------------------------------------------------------------------------
def run_evaluation(shared: str, *, settings, only=None, limit=None, errors: int = 0) -> int:
    from .pipeline import Analyzer

    shared_path = Path(shared)
    if not (shared_path / "eval").is_dir():
        print(f"sourcelight eval: no eval/ folder under {shared_path.resolve()}; pass --shared PATH", file=sys.stderr)
        return 2
    only = set(only or SECTIONS)
    analyzer = Analyzer(settings.model, cache_size=0, max_text_chars=10**7)
    started = time.perf_counter()
    needs = {
        "polnear": [shared_path / "eval" / "polnear" / "dev.jsonl"],
        "source-types": [shared_path / "eval" / "polnear" / "source-types.dev.jsonl"],
        "weasel": [shared_path / "eval" / "wiki-weasel" / "train.csv"],
        "validity": [shared_path / "eval" / "fakehealth" / "dev.jsonl"],
        "genre": [shared_path / "eval" / "genre" / "horne2017.genre.jsonl",
                  shared_path / "corpus" / "horne2017" / "articles.jsonl"],
    }
    for section in [s for s in SECTIONS if s in only]:
        missing = [path for path in needs.get(section, []) if not path.exists()]
        if missing:
            print(f"\nskipped {section}: no {missing[0]}")
            continue
        if section == "polnear":
            eval_polnear(analyzer, needs["polnear"][0], limit=limit, errors=errors)
        elif section == "source-types":
            eval_source_types(analyzer, shared_path / "eval" / "polnear", limit=limit, errors=errors)
        elif section == "weasel":
            eval_weasel(analyzer, needs["weasel"][0], limit=limit, errors=errors)
        elif section == "validity":
            from .validity import eval_validity
            eval_validity(analyzer, shared_path, limit=limit)
        elif section == "genre":
            from .eval_genre import eval_genre
            eval_genre(analyzer, shared_path, limit=limit)
        elif section == "seed":
            eval_seed(analyzer, Path(__file__).resolve().parents[2] / "tests" / "fixtures")
    print(f"\n(evaluated in {time.perf_counter() - started:.0f}s with {analyzer.model})")
    return 0


def _response(analyzer, text: str) -> dict:
    from .serialize import to_api
    return to_api(analyzer.analyze_text(text), "codepoints")


def eval_polnear(analyzer, path: Path, *, limit=None, errors: int = 0, quiet: bool = False) -> AttributionScores:
    articles = first_annotation_per_article(load_jsonl(path))[:limit]
    scores = AttributionScores()
    misses, false_alarms = [], []
    for article in articles:
        text = article["text"]
        predicted = predicted_attributions(_response(analyzer, text))
        gold = gold_attributions(article)
        pairs = score_article(predicted, gold, text, scores)
        matched_g = {j for _, j in pairs}
        matched_p = {i for i, _ in pairs}
        misses += [(text, g) for j, g in enumerate(gold) if j not in matched_g]
        false_alarms += [(text, p) for i, p in enumerate(predicted) if i not in matched_p]
    if quiet:
        return scores
    print(f"\nPolNeAR dev — attributions ({len(articles)} articles, {scores.gold} gold, {scores.predicted} predicted)")
    print(f"{'role':<12}{'P exact':>9}{'R exact':>9}{'F1 exact':>10}{'P ovl':>9}{'R ovl':>9}{'F1 ovl':>9}")
    for role in ROLES:
        pe, re_, fe = scores.roles[role].prf(exact=True)
        po, ro, fo = scores.roles[role].prf(exact=False)
        print(f"{role:<12}{pe:9.3f}{re_:9.3f}{fe:10.3f}{po:9.3f}{ro:9.3f}{fo:9.3f}")
    p, r, f = scores.prf()
    print(f"{'attribution':<12}{'':28}{p:9.3f}{r:9.3f}{f:9.3f}   (all gold roles overlap)")
    if errors:
        _print_examples("missed gold attributions", misses, errors)
        _print_examples("predicted attributions with no gold match", false_alarms, errors)
    return scores


def _print_examples(title, items, n):
    import random
    print(f"\n  {title} (random {min(n, len(items))} of {len(items)}):")
    for text, item in random.Random(0).sample(items, min(n, len(items))):
        parts = [f"{role}={text[item[role][0]:item[role][1]][:70]!r}" for role in ROLES if item[role]]
        print("   - " + "  ".join(parts))


def eval_source_types(analyzer, folder: Path, *, limit=None, errors: int = 0) -> dict:
    from .detectors.source_types import type_gold_sources

    labels = load_jsonl(folder / "source-types.dev.jsonl")
    first_annotator = {}
    for row in labels:
        first_annotator.setdefault(row["article_id"], row["annotator"])
    labels = [r for r in labels if r["annotator"] == first_annotator[r["article_id"]]]
    articles = {}
    for article in load_jsonl(folder / "dev.jsonl"):
        articles.setdefault((article["id"], article["annotator"]), article)
    by_article = defaultdict(list)
    for row in labels:
        by_article[(row["article_id"], row["annotator"])].append(row)
    keys = list(by_article)[:limit]
    confusion = Counter()
    reason = Counter()
    end_to_end = Counter()
    wrong = []
    for key in keys:
        article = articles[key]
        text = article["text"]
        doc = analyzer.nlp(text)
        response = _response(analyzer, text)
        predicted_sources = [s for s in response["spans"] if s["label"] == "source"]
        typed = type_gold_sources(doc, article)  # gold attribution id -> (type, anonymity reason)
        for row in by_article[key]:
            gold_type = row["source_type"]
            predicted, reason_given = typed.get(row["attribution_id"], (None, None))
            confusion[(gold_type, predicted)] += 1
            if predicted != gold_type:
                wrong.append((row["source_text"], gold_type, predicted, text[max(0, row["start"] - 60):row["end"] + 60]))
            if gold_type == "anonymous" and predicted == "anonymous":
                reason[(bool(row["anonymity_reason_given"]), bool(reason_given))] += 1
            found = next((s for s in predicted_sources if s["start"] < row["end"] and row["start"] < s["end"]), None)
            end_to_end["found" if found else "not found"] += 1
            if found:
                end_to_end["right type" if found.get("source_type") == gold_type else "wrong type"] += 1
    total = sum(confusion.values())
    correct = sum(n for (g, p), n in confusion.items() if g == p)
    print(f"\nPolNeAR dev — source types on the hand-labelled gold source spans ({total} spans)")
    print(f"accuracy {correct / total:.3f}" if total else "no spans")
    present = [t for t in TYPES if any(g == t or p == t for (g, p) in confusion)]
    header = "gold \\ predicted"
    print(f"{header:<20}" + "".join(f"{t[:9]:>10}" for t in present) + f"{'none':>8}{'recall':>8}")
    for g in present:
        row_total = sum(n for (gg, _), n in confusion.items() if gg == g)
        cells = "".join(f"{confusion[(g, p)]:>10}" for p in present)
        recall = confusion[(g, g)] / row_total if row_total else 0.0
        print(f"{g:<20}{cells}{confusion[(g, None)]:>8}{recall:>8.2f}")
    precisions = []
    for p in present:
        col = sum(n for (_, pp), n in confusion.items() if pp == p)
        precisions.append(f"{(confusion[(p, p)] / col if col else 0):>10.2f}")
    print(f"{'precision':<20}" + "".join(precisions))
    if reason:
        agree = reason[(True, True)] + reason[(False, False)]
        print(f"anonymity reason given: {agree}/{sum(reason.values())} agree "
              f"(gold yes & found {reason[(True, True)]}, gold yes & missed {reason[(True, False)]}, "
              f"gold no & claimed {reason[(False, True)]})")
    found = end_to_end["found"]
    print(f"end to end: the pipeline itself found {found}/{total} of these source spans"
          f" ({found / total if total else 0:.2f}); {end_to_end['right type']} of those with the gold type"
          f" ({end_to_end['right type'] / found if found else 0:.2f})")
    if errors:
        print(f"\n  wrong types (first {min(errors, len(wrong))} of {len(wrong)}):")
        for source_text, gold_type, predicted, context in wrong[:errors]:
            print(f"   - {source_text[:50]!r}: gold {gold_type}, predicted {predicted} … {' '.join(context.split())[:150]!r}")
    return {"accuracy": correct / total if total else 0.0, "confusion": confusion}


PTB = [("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("-LCB-", "{"), ("-RCB-", "}"),
       ("``", "“"), ("''", "”")]


def detokenize(text: str) -> str:
    for token, char in PTB:
        text = text.replace(token, char)
    text = re.sub(r"\s+([.,;:!?%)\]”])", r"\1", text)
    text = re.sub(r"([(\[“$])\s+", r"\1", text)
    text = re.sub(r"\s+(n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return " ".join(text.split())


def eval_weasel(analyzer, path: Path, *, limit=None, errors: int = 0) -> tuple[float, float, float]:
    from .analysis import build_analysis

    with open(path, encoding="utf-8", newline="") as handle:
        rows = [(detokenize(r["text"]), int(r["label"])) for r in csv.DictReader(handle)]
    rows = rows[:limit]
    tally = Counter()
    halves = [Counter(), Counter()]
    wrong = []
    docs = analyzer.nlp.pipe((text for text, _ in rows), batch_size=64)
    for index, ((text, label), doc) in enumerate(zip(rows, docs)):
        analysis = build_analysis(doc)
        predicted = any(m.label == "hedge" for m in analysis.marks) or any(
            a.source_type == "vague" for a in analysis.attributions)
        outcome = ("tp" if label else "fp") if predicted else ("fn" if label else "tn")
        tally[outcome] += 1
        halves[index % 2][outcome] += 1
        if outcome in ("fp", "fn"):
            wrong.append((outcome, text))
    def prf(t):
        p = t["tp"] / (t["tp"] + t["fp"]) if t["tp"] + t["fp"] else 0.0
        r = t["tp"] / (t["tp"] + t["fn"]) if t["tp"] + t["fn"] else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)
    p, r, f = prf(tally)
    print(f"\nWikipedia weasel/hedge sentences ({len(rows)} sentences, {tally['tp'] + tally['fn']} uncertain)")
    print(f"{'':<12}{'P':>8}{'R':>8}{'F1':>8}")
    print(f"{'all':<12}{p:8.3f}{r:8.3f}{f:8.3f}")
    for name, half in zip(("even rows", "odd rows"), halves):
        hp, hr, hf = prf(half)
        print(f"{name:<12}{hp:8.3f}{hr:8.3f}{hf:8.3f}")
    if errors:
        import random
        sample = random.Random(0).sample(wrong, min(errors, len(wrong)))
        print(f"\n  errors (random {len(sample)} of {len(wrong)}):")
        for outcome, text in sample:
            print(f"   - {outcome}: {text[:160]!r}")
    return p, r, f


def eval_seed(analyzer, fixtures: Path) -> None:
    from .seedcheck import check_expected
    text_path, expected_path = fixtures / "seed-article.txt", fixtures / "seed-article.expected.json"
    if not text_path.exists():
        return
    text = text_path.read_text(encoding="utf-8")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    problems, found = check_expected(_response(analyzer, text), text, expected)
    print(f"\nSeed article: {found} required findings matched, {len(problems)} problems")
    for problem in problems:
        print(f"   - {problem}")
