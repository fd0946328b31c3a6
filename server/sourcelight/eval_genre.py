"""Genre accuracy on the shared development labels (eval/genre/horne2017.genre.jsonl).

The texts are read from corpus/horne2017/articles.jsonl at run time; nothing of them is stored here.
The corpus has no URL or page metadata, so this measures the text side of the classifier (plus the
headline and dateline rules). Then, out of domain, how many of the FakeHealth health news stories
(eval/fakehealth/dev.jsonl, all reports) are wrongly called satire or opinion.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

from .genre import LABELS

CORE = ("report", "analysis", "opinion")


def load_dev(shared_path: Path, limit: int | None = None) -> list[dict]:
    """[{"id", "title", "text", "genre", "unsure"}] for the labelled articles, in corpus order."""
    shared_path = Path(shared_path)
    labels = {}
    with open(shared_path / "eval" / "genre" / "horne2017.genre.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                labels[row["id"]] = row
    articles = []
    with open(shared_path / "corpus" / "horne2017" / "articles.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            gold = labels.get(row["id"])
            if gold is None:
                continue
            articles.append({"id": row["id"], "title": row.get("title") or "", "text": row["text"],
                             "genre": gold["genre"], "unsure": bool(gold.get("unsure"))})
            if limit is not None and len(articles) >= limit:
                break
    return articles


def load_fakehealth(shared_path: Path, limit: int | None = None) -> list[dict]:
    """[{"id", "title", "text", "url"}] of the FakeHealth health news stories (eval/fakehealth/dev.jsonl), in
    file order. All are news reports: an out-of-domain check of how often the text model wrongly says satire or
    opinion, never training data."""
    articles = []
    with open(Path(shared_path) / "eval" / "fakehealth" / "dev.jsonl", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                row = json.loads(line)
                articles.append({"id": row["id"], "title": row.get("title") or "", "text": row["text"],
                                 "url": row.get("url") or None})
                if limit is not None and len(articles) >= limit:
                    break
    return articles


def figures(gold: list[str], predicted: list[str]) -> dict:
    """Accuracy (all, and over report/analysis/opinion), confusion, per-class precision/recall."""
    pairs = list(zip(gold, predicted))
    core = [(g, p) for g, p in pairs if g in CORE]
    confusion = {g: {p: 0 for p in LABELS} for g in LABELS}
    for g, p in pairs:
        confusion[g][p] += 1
    per_class = {}
    for label in LABELS:
        tp = confusion[label][label]
        predicted_n = sum(confusion[g][label] for g in LABELS)
        gold_n = sum(confusion[label].values())
        per_class[label] = {"precision": round(tp / predicted_n, 3) if predicted_n else None,
                            "recall": round(tp / gold_n, 3) if gold_n else None,
                            "gold": gold_n, "predicted": predicted_n}
    return {
        "n": len(pairs),
        "accuracy": round(sum(g == p for g, p in pairs) / len(pairs), 3) if pairs else None,
        "core_n": len(core),
        "core_accuracy": round(sum(g == p for g, p in core) / len(core), 3) if core else None,
        "confusion": confusion,
        "per_class": per_class,
        "opinion_precision": per_class["opinion"]["precision"],
        "opinion_recall": per_class["opinion"]["recall"],
        "satire_recall": per_class["satire"]["recall"],
    }


def print_figures(result: dict, heading: str, out=print) -> None:
    fmt = lambda v: "  -  " if v is None else f"{v:.3f}"  # noqa: E731
    out(f"\n{heading}: n={result['n']}  accuracy {fmt(result['accuracy'])}  "
        f"report/analysis/opinion accuracy {fmt(result['core_accuracy'])} (n={result['core_n']})")
    out(f"  opinion P {fmt(result['opinion_precision'])} R {fmt(result['opinion_recall'])}   "
        f"satire R {fmt(result['satire_recall'])}")
    out("  gold \\ predicted " + "".join(f"{label[:8]:>9}" for label in LABELS))
    for gold in LABELS:
        row = result["confusion"][gold]
        if sum(row.values()):
            out(f"  {gold:<17}" + "".join(f"{row[p]:>9}" for p in LABELS))
    out("  class        precision  recall   gold  predicted")
    for label in LABELS:
        c = result["per_class"][label]
        if c["gold"] or c["predicted"]:
            out(f"  {label:<12} {fmt(c['precision']):>9} {fmt(c['recall']):>7} {c['gold']:>6} {c['predicted']:>10}")


def eval_genre(analyzer, shared_path: Path, *, limit: int | None = None, out=print) -> dict:
    """Run the analyzer over the labelled corpus and compare summary.genre.label with the labels."""
    articles = load_dev(shared_path, limit)
    started = time.perf_counter()
    predicted, sources = [], []
    for article in articles:
        genre = analyzer.analyze_text(article["text"], title=article["title"]).summary["genre"]
        predicted.append(genre["label"])
        sources.append(genre["from"])
    elapsed = time.perf_counter() - started
    gold = [a["genre"] for a in articles]
    sure = [i for i, a in enumerate(articles) if not a["unsure"]]
    result = {
        "all": figures(gold, predicted),
        "sure": figures([gold[i] for i in sure], [predicted[i] for i in sure]),
        "from_text": sum(1 for s in sources if s == "text"),
        "seconds": round(elapsed, 1),
    }
    out(f"Genre (Horne & Adali 2017 political news, {len(articles)} articles, {elapsed:.0f}s; "
        "no page metadata in this corpus, so text only)")
    print_figures(result["all"], "All labelled articles", out)
    print_figures(result["sure"], "Only labels not marked unsure", out)
    if (Path(shared_path) / "eval" / "fakehealth" / "dev.jsonl").exists():
        result["fakehealth"] = eval_fakehealth(analyzer, shared_path, limit=limit, out=out)
    return result


def eval_fakehealth(analyzer, shared_path: Path, *, limit: int | None = None, out=print) -> dict:
    """Out of domain: the share of FakeHealth health news stories (all reports) called satire or opinion, on the
    even rows (which scripts/fit_genre.py used to choose the decision settings) and the odd rows (the check)."""
    stories = load_fakehealth(shared_path, limit)
    started = time.perf_counter()
    labels = [analyzer.analyze_text(s["text"], url=s["url"], title=s["title"]).summary["genre"]["label"]
              for s in stories]
    elapsed = time.perf_counter() - started
    result = {"seconds": round(elapsed, 1)}
    for part, parity in (("even", 0), ("odd", 1)):
        chosen = [label for i, label in enumerate(labels) if i % 2 == parity]
        n = max(len(chosen), 1)
        result[part] = {"n": len(chosen), "false_satire": round(chosen.count("satire") / n, 3),
                        "false_opinion": round(chosen.count("opinion") / n, 3)}
    out(f"\nGenre false positives on FakeHealth health news stories (all reports; {len(stories)} stories, "
        f"{elapsed:.0f}s): satire even {result['even']['false_satire']:.3f} odd {result['odd']['false_satire']:.3f}; "
        f"opinion even {result['even']['false_opinion']:.3f} odd {result['odd']['false_opinion']:.3f} "
        "(the even rows chose the settings, the odd rows check them)")
    return result
