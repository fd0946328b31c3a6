"""Fit the text side of the genre classifier and write server/sourcelight/rules/genre_model.json.

    .venv/bin/python -m pip install -e '.[fit]'          # scikit-learn, for fitting only
    .venv/bin/python scripts/fit_genre.py --shared ../shared [--cache /tmp/genre_features.json]

Reads the Horne & Adali 2017 texts and the genre labels from the shared folder at run time (nothing
of them is written into the repository), analyses every article with the real pipeline, computes
the features of sourcelight.genre, and fits a multinomial logistic regression on standardised,
clipped square roots of the features for three classes: report (analysis folded in: 12 examples are too few to learn,
and an analysis reads like a report), opinion and satire ("other", 4 examples, is left out; short
fragments become "other" by rule). Prints 5-fold cross-validated figures and an even/odd two-split
check (fit on one half, score the other, both ways), each through the full decision (headline and
dateline rules first, then the model), then fits on everything and writes coefficients, the
standardisation and a provenance note. Deterministic: fixed seed, fixed folds.
"""
from __future__ import annotations

import argparse
import datetime
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))

from sourcelight import genre  # noqa: E402
from sourcelight.eval_genre import figures, load_dev, print_figures  # noqa: E402

CLASSES = ("report", "opinion", "satire")
FOLD = {"analysis": "report"}  # "other" is not trained on


def extract(articles: list[dict], cache: Path | None) -> tuple[np.ndarray, list[dict]]:
    """Feature rows and the rule decision (or None) of every article, from the real pipeline."""
    if cache and cache.exists():
        stored = json.loads(cache.read_text())
        if stored.get("features") == list(genre.FEATURE_NAMES) and len(stored["rows"]) == len(articles):
            print(f"features read from {cache}")
            return np.array(stored["rows"], dtype=float), stored["rules"]
    from sourcelight import pipeline
    from sourcelight.pipeline import Analyzer

    captured = {}
    original = pipeline.build_analysis

    def capturing(doc, **kwargs):
        analysis = original(doc, **kwargs)
        n = len(doc)
        opening = doc[:min(n, 80)].text if n else ""
        captured["values"] = genre.features(doc, analysis.summary, title=kwargs.get("title"), opening=opening)
        matches = genre.rule_matches(None, None, kwargs.get("title"), opening)
        if matches:
            rule = max(matches, key=lambda m: m[0]["confidence"])[0]
            captured["rule"] = {"label": rule["label"], "id": rule["id"]}
        elif analysis.summary["words"] < genre.MIN_WORDS:
            captured["rule"] = {"label": "other", "id": "fragment"}
        else:
            captured["rule"] = None
        return analysis

    pipeline.build_analysis = capturing
    analyzer = Analyzer()
    rows, rules = [], []
    started = time.perf_counter()
    for i, article in enumerate(articles):
        analyzer.analyze_text(article["text"], title=article["title"])
        rows.append([captured["values"][name] for name in genre.FEATURE_NAMES])
        rules.append(captured["rule"])
        if (i + 1) % 50 == 0:
            print(f"  analysed {i + 1}/{len(articles)} ({time.perf_counter() - started:.0f}s)", flush=True)
    pipeline.build_analysis = original
    if cache:
        cache.write_text(json.dumps({"features": list(genre.FEATURE_NAMES), "rows": rows, "rules": rules}))
    return np.array(rows, dtype=float), rules


def fit(x: np.ndarray, y: list[str], c: float, seed: int, satire_min: float = 0.0) -> dict:
    from sklearn.linear_model import LogisticRegression

    x = np.sqrt(np.maximum(x, 0.0))  # rates are skewed; every feature is >= 0
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = np.clip((x - mean) / scale, -genre.Z_CLIP, genre.Z_CLIP)
    model = LogisticRegression(C=c, max_iter=5000, random_state=seed, class_weight="balanced")
    model.fit(z, y)
    order = [list(model.classes_).index(label) for label in CLASSES]
    return {"classes": list(CLASSES), "features": list(genre.FEATURE_NAMES),
            "mean": mean.tolist(), "scale": scale.tolist(),
            "coef": model.coef_[order].tolist(), "intercept": model.intercept_[order].tolist(),
            "transform": "sqrt", "min_probability": {"satire": satire_min}}


def predict(model: dict, x: np.ndarray) -> list[str]:
    """The run-time decision of sourcelight.genre, row by row (so the figures are what users get)."""
    loaded = genre.prepare_model(model)
    labels = []
    for row in x:
        probabilities, _ = genre.score(dict(zip(genre.FEATURE_NAMES, row)), loaded)
        labels.append(genre.pick(probabilities, loaded)[0])
    return labels


def decide(model: dict, x: np.ndarray, rules: list) -> list[str]:
    """The full text-side decision: a headline/dateline/fragment rule if one fires, else the model."""
    by_model = predict(model, x)
    return [rule["label"] if rule else label for rule, label in zip(rules, by_model)]


def rounded(model: dict, digits: int = 4) -> dict:
    def r(value):
        if isinstance(value, list):
            return [r(v) for v in value]
        return round(float(value), digits) if isinstance(value, float) else value
    return {k: r(v) for k, v in model.items()}


def cross_validate(x, gold, train_y, trainable, rules, c, seed, satire_min, folds=5):
    from sklearn.model_selection import StratifiedKFold

    predicted = [None] * len(gold)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    strata = [g if g in ("report", "opinion", "satire") else "report" for g in gold]
    for train, test in splitter.split(x, strata):
        train = [i for i in train if trainable[i]]
        model = rounded(fit(x[train], [train_y[i] for i in train], c, seed, satire_min))
        for i, label in zip(test, decide(model, x[test], [rules[i] for i in test])):
            predicted[i] = label
    return predicted


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, default=None, help="read/write the extracted features here")
    parser.add_argument("--out", type=Path, default=ROOT / "server" / "sourcelight" / "rules" / "genre_model.json")
    parser.add_argument("--C", dest="c", type=float, default=0.1, help="inverse regularisation strength")
    parser.add_argument("--satire-min", type=float, default=0.6,
                        help="say satire only at this probability or more (a real report called satire is the worst error)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--grid", action="store_true", help="also print CV figures for a range of C")
    parser.add_argument("--dry-run", action="store_true", help="do not write the model")
    args = parser.parse_args(argv)

    articles = load_dev(args.shared)
    gold = [a["genre"] for a in articles]
    sure = [not a["unsure"] for a in articles]
    x, rules = extract(articles, args.cache)
    train_y = [FOLD.get(g, g) for g in gold]
    trainable = [g in CLASSES for g in train_y]
    print(f"{len(articles)} articles; trained on {sum(trainable)} ({', '.join(CLASSES)}; analysis folded into "
          f"report); rules fire on {sum(1 for r in rules if r)}")

    if args.grid:
        for c, smin in ((0.03, 0.6), (0.1, 0.0), (0.1, 0.5), (0.1, 0.6), (0.1, 0.7), (0.3, 0.6), (1.0, 0.6)):
            res = figures(gold, cross_validate(x, gold, train_y, trainable, rules, c, args.seed, smin))
            print(f"  C={c:<5} satire-min {smin:<4} CV accuracy {res['accuracy']:.3f}  core {res['core_accuracy']:.3f}  "
                  f"opinion P {res['opinion_precision']} R {res['opinion_recall']}  satire R {res['satire_recall']}")

    cv = cross_validate(x, gold, train_y, trainable, rules, args.c, args.seed, args.satire_min)
    cv_all = figures(gold, cv)
    print_figures(cv_all, f"5-fold cross-validation (C={args.c}, satire-min {args.satire_min}, seed {args.seed})")
    cv_sure = figures([g for g, s in zip(gold, sure) if s], [p for p, s in zip(cv, sure) if s])
    print_figures(cv_sure, "5-fold cross-validation, labels not marked unsure")

    halves = {}
    for name, fit_rows in (("fit even, score odd", range(0, len(gold), 2)), ("fit odd, score even", range(1, len(gold), 2))):
        fit_rows = [i for i in fit_rows if trainable[i]]
        score_rows = [i for i in range(len(gold)) if i % 2 != fit_rows[0] % 2]
        model = rounded(fit(x[fit_rows], [train_y[i] for i in fit_rows], args.c, args.seed, args.satire_min))
        pred = decide(model, x[score_rows], [rules[i] for i in score_rows])
        halves[name] = figures([gold[i] for i in score_rows], pred)
        print_figures(halves[name], f"Two-split check: {name}")

    final = rounded(fit(x[[i for i in range(len(gold)) if trainable[i]]],
                        [train_y[i] for i in range(len(gold)) if trainable[i]], args.c, args.seed, args.satire_min))
    full = figures(gold, decide(final, x, rules))
    print_figures(full, "Fitted on all, scored on all (optimistic)")
    weights = np.array(final["coef"])
    print("\nLargest coefficients (standardised features):")
    for row, label in enumerate(CLASSES):
        top = np.argsort(-np.abs(weights[row]))[:6]
        print(f"  {label:<8} " + ", ".join(f"{genre.FEATURE_NAMES[i]} {weights[row, i]:+.2f}" for i in top))

    def brief(res):
        return {"accuracy": res["accuracy"], "core_accuracy": res["core_accuracy"],
                "opinion_precision": res["opinion_precision"], "opinion_recall": res["opinion_recall"],
                "satire_recall": res["satire_recall"]}

    final["provenance"] = {
        "fitted_by": "scripts/fit_genre.py",
        "date": datetime.date.today().isoformat(),
        "data": "Horne & Adali 2017 political news (326 articles, shared/corpus/horne2017) with the genre labels "
                "in shared/eval/genre/horne2017.genre.jsonl; no text of them is stored here",
        "classes": "report (analysis folded in), opinion, satire; 'other' not trained on",
        "model": f"multinomial logistic regression, C={args.c}, class_weight=balanced, on square roots of the "
                 f"features, standardised and clipped to +-{genre.Z_CLIP}; satire only at p >= {args.satire_min}",
        "cv_5fold": brief(cv_all),
        "cv_5fold_sure_only": brief(cv_sure),
        "two_split": {k: brief(v) for k, v in halves.items()},
        "seed": args.seed,
    }
    if not args.dry_run:
        args.out.write_text(json.dumps(final, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
