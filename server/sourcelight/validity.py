"""Does the score mean something? Agreement with outside judgements of the same articles.

FakeHealth (eval/fakehealth/dev.jsonl): HealthNewsReview's expert star ratings of health stories.
- Spearman's rho between the score and the stars, overall;
- within outlet: the mean of per-outlet rhos weighted by stories, over outlets with at least
  MIN_OUTLET_STORIES stories (outlets differ in house style and length);
- with length partialled out: the correlation of the ranks' residuals after a linear fit on the
  rank of the word count (a score that grows with length must not pass for quality);
- AUC of good (≥ 4 stars) against poor (≤ 2 stars) stories, overall and per half of the rows;
- per reason: its feature's rho with the stars (what each named reason carries on its own).
Genre (eval/genre, the corpus articles) is scored by eval_genre.py; this module prints the
FakeHealth side and is shared with scripts/fit_weights.py so both measure the same way.
"""
from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import rankdata, spearmanr

MIN_OUTLET_STORIES = 8
GOOD, POOR = 4, 2


def outlet_of(row: dict) -> str:
    """'www.nytimes.com:80' and 'nytimes.com' are one outlet; blog subdomains stay their own."""
    host = (row.get("outlet") or "").lower().split(":")[0]
    return host.removeprefix("www.")


def auc(scores, stars) -> float:
    """Probability that a good story outscores a poor one (ties count half)."""
    scores, stars = np.asarray(scores, float), np.asarray(stars, float)
    good, poor = scores[stars >= GOOD], scores[stars <= POOR]
    if not len(good) or not len(poor):
        return float("nan")
    ranks = rankdata(np.concatenate([good, poor]))
    return float((ranks[:len(good)].sum() - len(good) * (len(good) + 1) / 2) / (len(good) * len(poor)))


def partial_rho(scores, stars, words) -> float:
    """Spearman's rho of score and stars with the word count partialled out (on ranks)."""
    control = rankdata(words)
    design = np.c_[np.ones_like(control), control]

    def residual(values):
        ranks = rankdata(values)
        return ranks - design @ np.linalg.lstsq(design, ranks, rcond=None)[0]
    a, b = residual(scores), residual(stars)
    return float(np.corrcoef(a, b)[0, 1]) if a.std() and b.std() else float("nan")


def within_outlet_rho(scores, stars, outlets) -> tuple[float, int]:
    groups = defaultdict(list)
    for i, outlet in enumerate(outlets):
        groups[outlet].append(i)
    total, weight, used = 0.0, 0, 0
    scores, stars = np.asarray(scores, float), np.asarray(stars, float)
    for members in groups.values():
        if len(members) < MIN_OUTLET_STORIES or len(set(stars[members])) < 2 or len(set(scores[members])) < 2:
            continue
        total += rho(scores[members], stars[members]) * len(members)
        weight += len(members)
        used += 1
    return (total / weight if weight else float("nan")), used


def rho(a, b) -> float:
    """Spearman's rho, or nan when either side is constant (no ranking to agree with)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(spearmanr(a, b)[0]) if len(a) > 1 and a.std() and b.std() else float("nan")


def validity_metrics(scores, stars, words, outlets) -> dict:
    scores = np.asarray(scores, float)
    return {
        "n": len(scores),
        "rho": rho(scores, stars),
        "rho_within_outlet": within_outlet_rho(scores, stars, outlets)[0],
        "outlets": within_outlet_rho(scores, stars, outlets)[1],
        "rho_length_partialled": partial_rho(scores, stars, words),
        "auc_good_vs_poor": auc(scores, stars),
    }


def load_rated(shared: Path, limit=None) -> list[dict]:
    path = Path(shared) / "eval" / "fakehealth" / "dev.jsonl"
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()][:limit]


def analyse_rated(analyzer, rows: list[dict]):
    """(analysis, features) per story: the analysis as the API would give it for the story's page."""
    from .scoring import article_features
    for row in rows:
        analysis = analyzer.analyze_text(row["text"], url=row.get("url"), title=row.get("title"))
        yield analysis, article_features(analysis)


def print_metrics_row(label: str, m: dict) -> None:
    print(f"{label:<26}{m['rho']:>8.3f}{m['rho_within_outlet']:>10.3f}{m['rho_length_partialled']:>10.3f}"
          f"{m['auc_good_vs_poor']:>9.3f}{m['n']:>6}")


def eval_validity(analyzer, shared: Path, *, limit=None) -> dict:
    rows = load_rated(shared, limit)
    scores, features = [], []
    for analysis, feats in analyse_rated(analyzer, rows):
        score = analysis.summary.get("score")
        scores.append(50.0 if score is None else float(score))
        features.append(feats)
    stars = np.array([r["rating"] for r in rows], float)
    words = np.array([len(r["text"].split()) for r in rows], float)
    outlets = [outlet_of(r) for r in rows]
    print(f"\nValidity — FakeHealth dev: score against expert stars ({len(rows)} stories, "
          f"good ≥ {GOOD} stars: {int((stars >= GOOD).sum())}, poor ≤ {POOR}: {int((stars <= POOR).sum())})")
    print(f"{'':<26}{'rho':>8}{'in outlet':>10}{'len-part':>10}{'AUC':>9}{'n':>6}")
    overall = validity_metrics(scores, stars, words, outlets)
    print_metrics_row("score, all stories", overall)
    for name, half in (("score, even rows", slice(0, None, 2)), ("score, odd rows", slice(1, None, 2))):
        print_metrics_row(name, validity_metrics(np.array(scores)[half], stars[half], words[half], outlets[half]))
    print_metrics_row("word count alone", validity_metrics(words, stars, words, outlets))
    print(f"(in outlet: mean of per-outlet rho over {overall['outlets']} outlets with ≥ {MIN_OUTLET_STORIES} stories)")
    print(f"\n{'reason (feature)':<22}{'rho':>8}{'len-part':>10}{'share>0':>9}")
    per_reason = {}
    for code in features[0] if features else []:
        values = np.array([f[code] for f in features], float)
        if values.std() == 0:
            print(f"{code:<22}{'—':>8}{'—':>10}{np.mean(values > 0):>9.2f}   (constant on this data)")
            continue
        agreement, part = rho(values, stars), partial_rho(values, stars, words)
        per_reason[code] = agreement
        print(f"{code:<22}{agreement:>8.3f}{part:>10.3f}{np.mean(values > 0):>9.2f}")
    grades = defaultdict(list)
    for score, star in zip(scores, stars):
        grades["strong" if score >= 65 else "mixed" if score >= 40 else "weak"].append(star)
    print("\nmean stars by grade: " + ", ".join(f"{g} {np.mean(v):.2f} (n={len(v)})" for g, v in sorted(grades.items())))
    sys.stdout.flush()
    return {"overall": overall, "per_reason": per_reason}
