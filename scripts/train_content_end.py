#!/usr/bin/env python3
"""Fit the learned content-end model (detectors/content_end.py) on the PolNeAR *training* split only.

Every article is analysed by the detector as it runs, with the content-end step switched off
(SOURCELIGHT_CONTENT_END=off). Every attribution whose content may run on to its sentence's end
(content_end.sentence_rest: after its cue, no quotation, no other source or cue in the way) is
one row: the features of the rest of the sentence (content_end.rest_features), labelled by which
ending the annotators chose, as far as they chose either — the row counts only when exactly one
of "the parser's clause" and "to the sentence's end" matches the aligned gold content exactly.
A logistic regression (scikit-learn, only here) is fitted; its threshold is the one that gains
most exact contents on a held-out part of the training split (the first --holdout articles, left
out of a separate fit). The final weights are refitted on all training articles (or, with
--exclude-holdout, on all but the held-out ones, to score the training sample honestly) and
written as JSON to rules/content_end_model.json.

    .venv/bin/pip install -e '.[fit]'
    .venv/bin/python scripts/train_content_end.py --shared ../shared
"""
from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

os.environ["SOURCELIGHT_CONTENT_END"] = "off"  # rows are read off the parser's clauses

from sourcelight.detectors.content_end import MODEL_PATH, rest_features, sentence_rest
from sourcelight.evaluation import _exact, align, gold_attributions
from sourcelight.pipeline import Analyzer
from training_split import add_split_arguments, training_articles, write_model

MIN_FEATURE_COUNT = 3


def record_roles(record: dict) -> dict:
    """A detector record as the evaluation reads an attribution (content joined with its second part)."""
    item = {role: (record[role][0], record[role][1]) if record.get(role) else None
            for role in ("source", "cue", "content")}
    more = record.get("content_more")
    if more and item["content"]:
        item["content"] = (min(item["content"][0], more[0]), max(item["content"][1], more[1]))
    if record.get("agentless"):
        item["source"] = None
    return item


def extract(articles, cache: Path | None):
    if cache and cache.exists():
        return pickle.loads(cache.read_bytes())
    analyzer = Analyzer(cache_size=0, max_text_chars=10**7)
    rows = []  # (article number, features, gold prefers the sentence's end)
    started = time.perf_counter()
    for number, article in enumerate(articles):
        text = article["text"]
        doc = analyzer.parse(text)
        records = doc._.attributions or []
        predicted = [record_roles(r) for r in records]
        gold = gold_attributions(article)
        pairs = dict(align(predicted, gold))
        others = [(r[role][0], r[role][1]) for r in records for role in ("source", "cue") if r.get(role)]
        for index, record in enumerate(records):
            content, cue = record.get("content"), record.get("cue")
            if not content or not cue or content[2] != "content" or record.get("content_more") or index not in pairs:
                continue
            found = sentence_rest(doc, content, cue, others)
            if found is None:
                continue
            span, rest = found
            wanted = gold[pairs[index]]["content"]
            clause = _exact((content[0], content[1]), wanted, text)
            sentence = _exact((content[0], rest.end_char), wanted, text)
            if clause != sentence:
                rows.append((number, rest_features(span, rest), sentence))
        if (number + 1) % 100 == 0:
            print(f"{number + 1}/{len(articles)} articles, {len(rows)} rows, {time.perf_counter() - started:.0f}s",
                  file=sys.stderr)
    if cache:
        cache.write_bytes(pickle.dumps(rows))
    return rows


def fit(rows, c: float):
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = {}
    for _, features, _ in rows:
        for f in features:
            counts[f] = counts.get(f, 0) + 1
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform([{f: 1 for f in features if counts[f] >= MIN_FEATURE_COUNT}
                                       for _, features, _ in rows])
    model = LogisticRegression(C=c, max_iter=3000).fit(matrix, [label for _, _, label in rows])
    return model, vectorizer


def best_threshold(model, vectorizer, rows) -> tuple[int, float]:
    """The threshold that gains most exact contents on `rows` (a row extended gains one when the
    gold wanted the sentence's end, loses one when it wanted the clause)."""
    probabilities = model.predict_proba(vectorizer.transform([{f: 1 for f in r[1]} for r in rows]))[:, 1]
    best = (-len(rows), 1.0)
    for step in range(8, 19):
        threshold = step / 20
        gain = sum((1 if label else -1) for (_, _, label), p in zip(rows, probabilities) if p >= threshold)
        best = max(best, (gain, threshold))
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_split_arguments(parser)
    parser.add_argument("--cache", type=Path, help="pickle of extracted rows (re-fits skip the analysis)")
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    started = time.perf_counter()
    articles = training_articles(args.shared)
    rows = extract(articles, args.cache)
    held = [r for r in rows if r[0] < args.holdout]
    rest = [r for r in rows if r[0] >= args.holdout]
    model, vectorizer = fit(rest, args.c)
    gain, threshold = best_threshold(model, vectorizer, held)
    always = sum(1 if label else -1 for _, _, label in held)
    print(f"held-out ({len(held)} rows): exact contents gained {gain:+d} at threshold {threshold:.2f} "
          f"(always extending: {always:+d})", file=sys.stderr)
    final = rest if args.exclude_holdout else rows
    model, vectorizer = fit(final, args.c)
    weights = {name: round(float(w), 4) for name, w in zip(vectorizer.feature_names_, model.coef_[0]) if abs(w) >= 1e-3}
    data = {
        "provenance": (f"scripts/train_content_end.py: logistic regression (C={args.c}) fitted on "
                       f"{len({r[0] for r in final})} PolNeAR training-split articles ({len(final)} contents whose "
                       f"annotated end is either the parser's clause or the sentence's end); threshold chosen on "
                       f"the first {args.holdout} training articles (held out from a separate fit). No dev data used."),
        "threshold": threshold,
        "bias": round(float(model.intercept_[0]), 4),
        "weights": dict(sorted(weights.items())),
    }
    write_model(args.out, data, f"{len(weights)} weights", started)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
