"""Fit the text side of the genre classifier and write server/sourcelight/rules/genre_model.json.

    .venv/bin/python -m pip install -e '.[fit]'          # scikit-learn, for fitting only
    .venv/bin/python scripts/fit_genre.py --shared ../shared [--cache /tmp/genre_features.json]
        [--fakehealth-cache /tmp/genre_fakehealth.json]

Reads the Horne & Adali 2017 texts and the genre labels from the shared folder at run time (nothing
of them is written into the repository), analyses every article with the real pipeline, computes
the features of sourcelight.genre, and fits a multinomial logistic regression on quantile-normalised
features (each feature mapped through its training quantiles to a normal score) for three classes:
report (analysis folded in: 12 examples are too few to learn, and an analysis reads like a report),
opinion and satire ("other", 4 examples, is left out; short fragments become "other" by rule).

Out of domain, the FakeHealth health news stories (eval/fakehealth/dev.jsonl, all reports, never
trained on) are analysed the same way, with their URL and headline. The decision has three settings
chosen by 5-fold cross-validation *inside the training data only*: the regularisation C, an offset
added to opinion's log-probability (negative: opinion must win by a margin) and the minimum
probability for satire. Only settings whose model (fitted on the same training rows) calls at most
MAX_FALSE_SATIRE of the FakeHealth *even* rows satire and MAX_FALSE_OPINION opinion are allowed;
among them opinion recall counts up to 0.85, then the articles labelled right, with a false opinion
and a false satire counted as two errors. Prints nested 5-fold cross-validated figures (settings
chosen on each training fold) and an even/odd two-split check (settings chosen and model fitted on
one half, the other scored, both ways), each through the full decision (headline and dateline rules
first, then the model), with the FakeHealth false satire and false opinion rates on the even rows
and on the odd rows (the check); then chooses on everything, fits on everything and writes
coefficients, the quantiles and a provenance note. Deterministic: fixed seed, fixed folds.
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
from sourcelight.eval_genre import figures, load_dev, load_fakehealth, print_figures  # noqa: E402
from sourcelight.genre import LABELS  # noqa: E402

CLASSES = ("report", "opinion", "satire")
FOLD = {"analysis": "report"}  # "other" is not trained on


def extract(articles: list[dict], cache: Path | None) -> tuple[np.ndarray, list[dict]]:
    """Feature rows and the rule decision (or None) of every article, from the real pipeline.

    Articles with a "url" are analysed with it, and the URL-path rules see it, as at run time. A cache
    holding more features than genre.FEATURE_NAMES (an earlier feature set) is read by name."""
    ids = [a["id"] for a in articles]
    if cache and cache.exists():
        stored = json.loads(cache.read_text())
        names = stored.get("features") or []
        if set(genre.FEATURE_NAMES) <= set(names) and stored.get("ids") == ids and "openings" in stored:
            print(f"features read from {cache}")
            columns = [names.index(name) for name in genre.FEATURE_NAMES]
            rules = [rule_decision(a, opening, words) for a, opening, words in
                     zip(articles, stored["openings"], stored["words"])]  # the rule files may have changed
            return np.array(stored["rows"], dtype=float)[:, columns], rules
    from sourcelight import pipeline
    from sourcelight.pipeline import Analyzer

    captured = {}
    original = pipeline.build_analysis

    def capturing(doc, **kwargs):
        analysis = original(doc, **kwargs)
        n = len(doc)
        opening = doc[:min(n, 80)].text if n else ""
        captured["values"] = genre.features(doc, analysis.summary, title=kwargs.get("title"))
        captured["opening"], captured["words"] = opening, int(analysis.summary["words"])
        return analysis

    # The shipped model may be for other features: the genre step itself is not needed here.
    from sourcelight import analysis as analysis_module
    original_classify = analysis_module.classify_genre
    analysis_module.classify_genre = lambda *args, **kwargs: {"label": "other", "confidence": 0.0, "from": "text",
                                                              "signals": []}
    pipeline.build_analysis = capturing
    analyzer = Analyzer()
    rows, openings, words = [], [], []
    started = time.perf_counter()
    try:
        for i, article in enumerate(articles):
            analyzer.analyze_text(article["text"], title=article["title"], url=article.get("url"))
            rows.append([captured["values"][name] for name in genre.FEATURE_NAMES])
            openings.append(captured["opening"])
            words.append(captured["words"])
            if (i + 1) % 50 == 0:
                print(f"  analysed {i + 1}/{len(articles)} ({time.perf_counter() - started:.0f}s)", flush=True)
    finally:
        pipeline.build_analysis = original
        analysis_module.classify_genre = original_classify
    if cache:  # the openings are kept (in the cache only) so that the rules can be applied again
        cache.write_text(json.dumps({"features": list(genre.FEATURE_NAMES), "ids": ids, "rows": rows,
                                     "openings": openings, "words": words}))
    rules = [rule_decision(a, opening, n) for a, opening, n in zip(articles, openings, words)]
    return np.array(rows, dtype=float), rules


def rule_decision(article: dict, opening: str, words: int) -> dict | None:
    """The page/headline/dateline rule that decides an article without page metadata, or the fragment rule."""
    matches = genre.rule_matches(None, article.get("url"), article["title"], opening)
    if matches:
        rule = max(matches, key=lambda m: (m[2] == "page", m[0]["confidence"]))[0]
        return {"label": rule["label"], "id": rule["id"]}
    if words < genre.MIN_WORDS:
        return {"label": "other", "id": "fragment"}
    return None


C_GRID = (0.1, 0.3, 1.0)
OPINION_OFFSETS = tuple(round(v, 3) for v in np.arange(-2.0, 1.01, 0.125))
SATIRE_MINS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98)
KNOTS = 21  # quantiles per feature
MIN_OPINION_RECALL = 0.85
# Out of domain: on the FakeHealth news stories (all reports) used for choosing (the even rows), the text
# decision may call at most this share satire / opinion. The odd rows are the check.
MAX_FALSE_SATIRE = 0.02
MAX_FALSE_OPINION = 0.03


def quantile_map(column: np.ndarray) -> tuple[list[float], list[float]]:
    """Increasing knots (training quantiles of one feature) and the normal score at each; tied
    quantiles (a feature that is often 0) share the mean of their scores."""
    from scipy.stats import norm

    qs = np.quantile(column, np.linspace(0.0, 1.0, KNOTS))
    scores = norm.ppf(np.linspace(0.02, 0.98, KNOTS))
    knots, inverse = np.unique(qs, return_inverse=True)
    levels = [float(scores[inverse == t].mean()) for t in range(len(knots))]
    return knots.tolist(), levels


def fit(x: np.ndarray, y: list[str], c: float, seed: int, opinion_offset: float = 0.0,
        satire_min: float = 0.0) -> dict:
    from sklearn.linear_model import LogisticRegression

    maps = [quantile_map(x[:, j]) for j in range(x.shape[1])]
    z = np.column_stack([np.interp(x[:, j], k, v) if len(k) > 1 else np.zeros(len(x))
                         for j, (k, v) in enumerate(maps)])
    model = LogisticRegression(C=c, max_iter=5000, random_state=seed, class_weight="balanced")
    model.fit(z, y)
    order = [list(model.classes_).index(label) for label in CLASSES]
    return {"classes": list(CLASSES), "features": list(genre.FEATURE_NAMES),
            "transform": "quantile", "knots": [k for k, _ in maps], "levels": [v for _, v in maps],
            "coef": model.coef_[order].tolist(), "intercept": model.intercept_[order].tolist(),
            "offsets": {"opinion": opinion_offset}, "min_probability": {"satire": satire_min}, "C": c}


def probabilities(model: dict, x: np.ndarray) -> np.ndarray:
    loaded = genre.prepare_model(model)
    return np.array([[genre.score(dict(zip(genre.FEATURE_NAMES, row)), loaded)[0][c] for c in CLASSES] for row in x])


def fast_decide(p: np.ndarray, rules: list, opinion_offset: float, satire_min: float) -> list[str]:
    """genre.pick on precomputed probabilities (for the settings search; the figures use genre.pick itself)."""
    key = np.log(np.maximum(p, 1e-300))
    key[:, CLASSES.index("opinion")] += opinion_offset
    labels = []
    for row, k, rule in zip(p, key, rules):
        if rule:
            labels.append(rule["label"])
            continue
        order = np.argsort(-k, kind="stable")
        chosen = next((CLASSES[i] for i in order if CLASSES[i] != "satire" or row[i] >= satire_min),
                      CLASSES[order[0]])
        labels.append(chosen)
    return labels


def objective(gold: list[str], predicted: list[str]) -> tuple[float, float]:
    """(opinion recall up to MIN_OPINION_RECALL, right answers minus false opinions and false satires): settings
    that reach the recall floor are compared by right answers; below it, the higher recall wins."""
    right = sum(g == p for g, p in zip(gold, predicted))
    false_op = sum(p == "opinion" and g != "opinion" for g, p in zip(gold, predicted))
    false_sat = sum(p == "satire" and g != "satire" for g, p in zip(gold, predicted))
    gold_op = sum(g == "opinion" for g in gold)
    recall = sum(g == p == "opinion" for g, p in zip(gold, predicted)) / gold_op if gold_op else 1.0
    return min(round(recall, 6), MIN_OPINION_RECALL), right - false_op - false_sat


def false_rates(predicted: list[str]) -> dict:
    """Shares of texts called satire and opinion (on texts that are all reports: the false-positive rates)."""
    n = max(len(predicted), 1)
    return {"n": len(predicted), "false_satire": round(sum(p == "satire" for p in predicted) / n, 4),
            "false_opinion": round(sum(p == "opinion" for p in predicted) / n, 4)}


def choose(x, gold, train_y, trainable, rules, rows, seed, check=None, folds=5) -> dict:
    """C, opinion offset and satire minimum by cross-validation on `rows` only; with `check` (features and
    rules of out-of-domain reports), only settings whose model, fitted on all `rows`, calls at most
    MAX_FALSE_SATIRE of them satire and MAX_FALSE_OPINION opinion (else the least excess)."""
    from sklearn.model_selection import StratifiedKFold

    rows = np.asarray(rows)
    strata = [gold[i] if gold[i] in CLASSES else "report" for i in rows]
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    best = None
    for c in C_GRID:
        p = np.zeros((len(rows), len(CLASSES)))
        for inner_train, inner_test in splitter.split(rows, strata):
            fit_rows = [i for i in rows[inner_train] if trainable[i]]
            model = rounded(fit(x[fit_rows], [train_y[i] for i in fit_rows], c, seed))
            p[inner_test] = probabilities(model, x[rows[inner_test]])
        if check is not None:
            fit_rows = [i for i in rows if trainable[i]]
            p_check = probabilities(rounded(fit(x[fit_rows], [train_y[i] for i in fit_rows], c, seed)), check[0])
        for offset in OPINION_OFFSETS:
            for satire_min in SATIRE_MINS:
                excess = 0.0
                if check is not None:
                    rates = false_rates(fast_decide(p_check, check[1], offset, satire_min))
                    excess = (max(0.0, rates["false_satire"] - MAX_FALSE_SATIRE)
                              + max(0.0, rates["false_opinion"] - MAX_FALSE_OPINION))
                pred = fast_decide(p, [rules[i] for i in rows], offset, satire_min)
                key = (-round(excess, 6),) + objective([gold[i] for i in rows], pred)
                if best is None or key > best[0]:
                    best = (key, {"C": c, "opinion_offset": offset, "satire_min": satire_min})
    return best[1]


def fit_chosen(x, gold, train_y, trainable, rules, rows, seed, check=None) -> dict:
    settings = choose(x, gold, train_y, trainable, rules, rows, seed, check)
    fit_rows = [i for i in rows if trainable[i]]
    return rounded(fit(x[fit_rows], [train_y[i] for i in fit_rows], settings["C"], seed,
                       settings["opinion_offset"], settings["satire_min"]))


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


def cross_validate(x, gold, train_y, trainable, rules, seed, check=None, folds=5):
    """Nested: each outer training fold chooses its own settings by an inner cross-validation."""
    from sklearn.model_selection import StratifiedKFold

    predicted = [None] * len(gold)
    chosen, models = [], []
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    strata = [g if g in CLASSES else "report" for g in gold]
    for train, test in splitter.split(x, strata):
        model = fit_chosen(x, gold, train_y, trainable, rules, list(train), seed, check)
        chosen.append({"C": model["C"], "opinion_offset": model["offsets"]["opinion"],
                       "satire_min": model["min_probability"]["satire"]})
        models.append(model)
        for i, label in zip(test, decide(model, x[test], [rules[i] for i in test])):
            predicted[i] = label
    return predicted, chosen, models


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cache", type=Path, default=None, help="read/write the extracted features here")
    parser.add_argument("--fakehealth-cache", type=Path, default=None,
                        help="read/write the extracted features of the FakeHealth stories here")
    parser.add_argument("--out", type=Path, default=ROOT / "server" / "sourcelight" / "rules" / "genre_model.json")
    parser.add_argument("--seed", type=int, default=0)
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
    stories = load_fakehealth(args.shared)
    xf, rules_f = extract(stories, args.fakehealth_cache)
    even = [i for i in range(len(stories)) if i % 2 == 0]
    odd = [i for i in range(len(stories)) if i % 2 == 1]
    check = (xf[even], [rules_f[i] for i in even])  # used in choosing the settings
    print(f"{len(stories)} FakeHealth news stories (out of domain, all reports): {len(even)} even rows constrain "
          f"the settings (satire <= {MAX_FALSE_SATIRE:.0%}, opinion <= {MAX_FALSE_OPINION:.0%}), {len(odd)} odd "
          f"rows check them; rules fire on {sum(1 for r in rules_f if r)}")

    def on_fakehealth(model: dict) -> dict:
        predicted = decide(model, xf, rules_f)
        return {"even": false_rates([predicted[i] for i in even]), "odd": false_rates([predicted[i] for i in odd])}

    def show(rates: dict, heading: str) -> None:
        print(f"  FakeHealth ({heading}): false satire even {rates['even']['false_satire']:.3f} odd "
              f"{rates['odd']['false_satire']:.3f}; false opinion even {rates['even']['false_opinion']:.3f} odd "
              f"{rates['odd']['false_opinion']:.3f}")

    def confusion(res):
        return {g: [res["confusion"][g][p] for p in LABELS] for g in LABELS if sum(res["confusion"][g].values())}

    cv, chosen, fold_models = cross_validate(x, gold, train_y, trainable, rules, args.seed, check)
    cv_all = figures(gold, cv)
    print_figures(cv_all, f"Nested 5-fold cross-validation (seed {args.seed})")
    print("  settings chosen per fold: " + "; ".join(
        f"C {c['C']} opinion {c['opinion_offset']:+.2f} satire {c['satire_min']}" for c in chosen))
    fold_rates = [on_fakehealth(m) for m in fold_models]
    cv_fakehealth = {part: {k: round(float(np.mean([r[part][k] for r in fold_rates])), 4)
                            for k in ("false_satire", "false_opinion")} for part in ("even", "odd")}
    show(cv_fakehealth, "mean of the 5 fold models")
    cv_sure = figures([g for g, s in zip(gold, sure) if s], [p for p, s in zip(cv, sure) if s])
    print_figures(cv_sure, "Nested 5-fold cross-validation, labels not marked unsure")

    halves, halves_fakehealth = {}, {}
    for name, parity in (("fit even, score odd", 0), ("fit odd, score even", 1)):
        fit_rows = [i for i in range(len(gold)) if i % 2 == parity]
        score_rows = [i for i in range(len(gold)) if i % 2 != parity]
        model = fit_chosen(x, gold, train_y, trainable, rules, fit_rows, args.seed, check)
        pred = decide(model, x[score_rows], [rules[i] for i in score_rows])
        halves[name] = figures([gold[i] for i in score_rows], pred)
        print_figures(halves[name], f"Two-split check: {name} (C {model['C']}, opinion "
                                    f"{model['offsets']['opinion']:+.2f}, satire {model['min_probability']['satire']})")
        halves_fakehealth[name] = on_fakehealth(model)
        show(halves_fakehealth[name], name)

    final = fit_chosen(x, gold, train_y, trainable, rules, list(range(len(gold))), args.seed, check)
    full = figures(gold, decide(final, x, rules))
    print_figures(full, f"Fitted on all, scored on all (optimistic; C {final['C']}, opinion "
                        f"{final['offsets']['opinion']:+.2f}, satire {final['min_probability']['satire']})")
    final_fakehealth = on_fakehealth(final)
    show(final_fakehealth, "the fitted model; even rows chose its settings, odd rows are the check")
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
        "out_of_domain_check": f"FakeHealth health news stories (shared/eval/fakehealth/dev.jsonl, {len(stories)}, "
                               "all reports; not trained on): even rows constrain the settings, odd rows check",
        "classes": "report (analysis folded in), opinion, satire; 'other' not trained on",
        "model": f"multinomial logistic regression, C={final['C']}, class_weight=balanced, on features mapped "
                 f"through their {KNOTS} training quantiles to normal scores",
        "decision": f"opinion log-probability offset {final['offsets']['opinion']:+.2f}, satire only at p >= "
                    f"{final['min_probability']['satire']}; C, offset and satire minimum chosen by 5-fold CV on the "
                    f"training data (grid C {list(C_GRID)}, offsets {OPINION_OFFSETS[0]}..{OPINION_OFFSETS[-1]}, "
                    f"satire {list(SATIRE_MINS)}) among settings that call at most {MAX_FALSE_SATIRE:.0%} of the "
                    f"FakeHealth even rows satire and {MAX_FALSE_OPINION:.0%} opinion: most right answers with "
                    f"false opinion and false satire counted twice, at opinion recall >= {MIN_OPINION_RECALL}",
        "cv_5fold_nested": dict(brief(cv_all), confusion=confusion(cv_all), chosen=chosen,
                                fakehealth_mean_of_fold_models=cv_fakehealth),
        "cv_5fold_nested_sure_only": brief(cv_sure),
        "two_split": {k: dict(brief(v), confusion=confusion(v), fakehealth=halves_fakehealth[k])
                      for k, v in halves.items()},
        "full_dev_optimistic": dict(brief(full), confusion=confusion(full)),
        "fakehealth_false_positive_rates": final_fakehealth,
        "confusion_columns": list(LABELS),
        "seed": args.seed,
    }
    if not args.dry_run:
        args.out.write_text(json.dumps(final, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
