"""Fit the score's weights on expert ratings; write server/sourcelight/rules/score_weights.json.

    .venv/bin/python scripts/fit_weights.py --shared ../shared [--cache /tmp/fh.spacy] [--dry-run]

Data: FakeHealth's development stories (eval/fakehealth/dev.jsonl), each rated 0–5 stars by
HealthNewsReview's reviewers. Model: a linear model of the stars on the reasons' features
(scoring.score_features), standardised, with a small ridge penalty and the sign of each weight
fixed by what the reason means (more independent voices can only help, a news release can only
hurt): a reason the data contradicts gets weight 0 instead of a sign a reader could not follow.
Weights are then turned into points (POINTS_PER_SD points for one standard deviation of the
fitted part of the score) and rounded. Reasons that these stories hardly contain (anonymous and
vague sources, unsourced claims, secondhand quotes, links) keep the standards' weights already in
the file, marked `"fitted": false`; the base is set so that the development stories average 50.

Before the final fit on all rows the script fits on the even rows and scores the odd rows, and the
other way round, and prints both: a weight that helps one half only is not kept.
Needs the `fit` extra (scikit-learn brings scipy; scipy alone is enough here).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import lsq_linear

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "server"))

from sourcelight.validity import load_rated, outlet_of, print_metrics_row, validity_metrics  # noqa: E402

WEIGHTS = ROOT / "server" / "sourcelight" / "rules" / "score_weights.json"
# The direction each fitted reason may push the score: what the reason means, not what fits.
SIGNS = {"coverage": 1, "accountable": 1, "direct_quotes": 1, "voices": 1, "independent": 1, "one_voice": -1,
         "interested_only": -1, "news_release": -1, "conflicts": 1, "caveats": 1, "hype": -1, "firsthand": 1}
RIDGE = 5.0
POINTS_PER_SD = 24.0  # chosen with the cap (15) by the two held-out halves: 12–24 × 12–15 tried
# Reasons about something an article does or lacks (a release, a caveat) count from zero, so they
# appear only when present; the others count from the typical story (their centre).
FROM_ZERO = {"independent", "one_voice", "interested_only", "news_release", "conflicts", "caveats", "hype", "firsthand"}


def features_of(rows, cache: Path | None):
    from spacy.tokens import DocBin

    from sourcelight.analysis import build_analysis
    from sourcelight.pipeline import Analyzer
    from sourcelight.scoring import article_features

    analyzer = Analyzer(cache_size=0, max_text_chars=10**7)
    if cache and cache.exists():
        docs = list(DocBin().from_disk(cache).get_docs(analyzer.nlp.vocab))
        if len(docs) != len(rows):
            sys.exit(f"{cache} holds {len(docs)} documents for {len(rows)} stories; delete it to rebuild")
    else:
        started = time.perf_counter()
        docs = [analyzer.parse(row["text"], url=row.get("url")) for row in rows]
        print(f"parsed {len(rows)} stories in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        if cache:
            store = DocBin(store_user_data=True)
            for doc in docs:
                store.add(doc)
            store.to_disk(cache)
    result = []
    for row, doc in zip(rows, docs):
        analysis = build_analysis(doc, url=row.get("url"), title=row.get("title"))
        result.append((article_features(analysis), analysis))
    return result


class SignedRidge:
    """Stars ≈ intercept + Σ beta·z over standardised features, each beta held to its sign."""

    def __init__(self, names):
        self.names = names

    def fit(self, X, y):
        self.mean, self.sd = X.mean(0), X.std(0) + 1e-9
        Z = (X - self.mean) / self.sd
        k = len(self.names)
        A = np.vstack([np.c_[np.ones(len(Z)), Z], np.c_[np.zeros((k, 1)), np.sqrt(RIDGE) * np.eye(k)]])
        b = np.r_[y, np.zeros(k)]
        low = [-np.inf] + [0 if SIGNS[n] > 0 else -np.inf for n in self.names]
        high = [np.inf] + [np.inf if SIGNS[n] > 0 else 0 for n in self.names]
        solution = lsq_linear(A, b, bounds=(low, high)).x
        self.intercept, self.beta = solution[0], solution[1:]
        return self

    def predict(self, X):
        return self.intercept + ((X - self.mean) / self.sd) @ self.beta

    def per_unit(self):
        """Stars per unit of each raw feature."""
        return self.beta / self.sd


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default="../shared", type=Path)
    parser.add_argument("--cache", type=Path, help="DocBin file for the parsed stories (written if missing)")
    parser.add_argument("--dry-run", action="store_true", help="print the fit, leave the weights file alone")
    parser.add_argument("--points-per-sd", type=float, default=POINTS_PER_SD,
                        help=f"points for one SD of the fitted part of the score (default {POINTS_PER_SD})")
    parser.add_argument("--max-effect", type=int, help="cap on any one reason's points (default: the file's)")
    args = parser.parse_args(argv)

    from sourcelight.scoring import score_article

    rows = load_rated(args.shared)
    features, analysed = zip(*features_of(rows, args.cache))
    stars = np.array([r["rating"] for r in rows], float)
    words = np.array([len(r["text"].split()) for r in rows], float)
    outlets = [outlet_of(r) for r in rows]
    current = json.loads(WEIGHTS.read_text(encoding="utf-8"))
    if args.max_effect:
        current["max_effect"] = args.max_effect
    fitted = [name for name in current["reasons"] if name in SIGNS]
    fixed = [name for name in current["reasons"] if name not in SIGNS]
    X = np.array([[f[name] for name in fitted] for f in features], float)

    def points_model(model, train):
        scale = args.points_per_sd / max(1e-9, np.std(model.predict(X[train])))
        return model.per_unit() * scale

    def weights_file(per_point, train) -> dict:
        """The weights as the scorer reads them, the base making the training stories average 50."""
        spec = json.loads(json.dumps(current))
        centres = np.where([name in FROM_ZERO for name in fitted], 0.0, X[train].mean(0))
        for name, points, centre in zip(fitted, per_point, centres):
            spec["reasons"][name] = {"weight": round(float(points), 1), "centre": round(float(centre), 2), "fitted": True}
        spec["reasons"] = {name: spec["reasons"][name] for name in fitted + fixed}
        spec["base"] = 0
        raw = np.array([production_score(i, spec, clamp=False) for i in range(len(rows))[train]])
        spec["base"] = int(round(50 - raw.mean()))
        return spec

    def production_score(i, spec, clamp=True):
        """The score exactly as the server computes it (rounded reasons, genre, caps, clamping)."""
        analysis = analysed[i]
        summary = dict(analysis.summary)
        result = score_article(summary, analysis.attributions, analysis.sources, analysis.evidence, model=spec)
        if result["score"] is None:
            return 50.0
        return float(result["score"]) if clamp else float(spec["base"] + sum(r["effect"] for r in result["reasons"]))

    print(f"{'':<26}{'rho':>8}{'in outlet':>10}{'len-part':>10}{'AUC':>9}{'n':>6}")
    for name, train, test in (("fit even → score odd", slice(0, None, 2), slice(1, None, 2)),
                              ("fit odd → score even", slice(1, None, 2), slice(0, None, 2))):
        model = SignedRidge(fitted).fit(X[train], stars[train])
        spec = weights_file(points_model(model, train), train)
        test_rows = list(range(len(rows)))[test]
        scores = np.array([production_score(i, spec) for i in test_rows])
        print_metrics_row(name, validity_metrics(scores, stars[test], words[test], [outlets[i] for i in test_rows]))
    model = SignedRidge(fitted).fit(X, stars)
    per_point = points_model(model, slice(None))
    final = weights_file(per_point, slice(None))
    scores = np.array([production_score(i, final) for i in range(len(rows))])
    print_metrics_row("fit all → score all", validity_metrics(scores, stars, words, outlets))
    centres = [final["reasons"][name]["centre"] for name in fitted]
    base = final["base"]
    print(f"\n{'reason':<18}{'stars/SD':>9}{'points/unit':>12}{'centre':>8}")
    for name, beta, points, centre in zip(fitted, model.beta, per_point, centres):
        print(f"{name:<18}{beta:>9.3f}{points:>12.1f}{centre:>8.2f}")
    for name in fixed:
        print(f"{name:<18}{'fixed':>9}{current['reasons'][name]['weight']:>12.1f}{0:>8.2f}")
    print(f"base {round(base)}")
    if args.dry_run:
        return 0
    current = final
    current["provenance"] = (f"scripts/fit_weights.py on {len(rows)} FakeHealth dev stories "
                             f"({time.strftime('%Y-%m-%d')}); sign-constrained ridge (lambda {RIDGE}), "
                             f"{args.points_per_sd:g} points per SD of the fitted part, at most {current['max_effect']} per reason; unfitted weights from newsroom standards")
    WEIGHTS.write_text(json.dumps(current, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {WEIGHTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
