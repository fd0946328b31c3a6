#!/usr/bin/env python3
"""Learn which cue candidates are attributions, from the PolNeAR *training* split only.

For every candidate the detector would consider (a verb, passive, adjective or possessed noun
with a source and a content; see detectors/attribution.py), count how often its head word was
part of an annotated cue, grouped by (lemma, kind, relation). Entries seen at least
MIN_EVIDENCE times are written to rules/cues_learned.jsonl when they could matter: those the
hand lexicon accepts (the data may overrule it) and those a cue at least KEEP_FLOOR of the time
(the lexicon applies MIN_PRECISION when it loads them). Every entry keeps its counts, so each
learned decision can be explained and audited.

    .venv/bin/python scripts/learn_cues.py --shared ../shared
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from sourcelight.detectors.candidates import find_candidates
from sourcelight.detectors.cues import MIN_EVIDENCE, MIN_PRECISION, CueLexicon

KEEP_FLOOR = 0.2
from sourcelight.evaluation import first_annotation_per_article, load_jsonl
from sourcelight.pipeline import load_pipeline

OUT = Path(__file__).resolve().parents[1] / "server" / "sourcelight" / "rules" / "cues_learned.jsonl"


def gold_cue_tokens(doc, article) -> set[int]:
    tokens = set()
    for attribution in article["attributions"]:
        for span in attribution.get("cue") or []:
            for fragment in span:
                cue = doc.char_span(fragment["start"], fragment["end"], alignment_mode="expand")
                if cue is not None:
                    tokens.update(t.i for t in cue)
    return tokens


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    path = Path(args.shared) / "eval" / "polnear" / "train.jsonl.gz"
    first = first_annotation_per_article(load_jsonl(path)[: args.limit])  # one annotator per article
    nlp = load_pipeline()
    started = time.perf_counter()
    counts, cues = Counter(), Counter()
    with nlp.select_pipes(enable=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "sourcing_quotes"]):
        for number, (doc, article) in enumerate(zip(nlp.pipe(a["text"] for a in first), first), start=1):
            gold = gold_cue_tokens(doc, article)
            for candidate in find_candidates(doc):
                key = (candidate.lemma, candidate.kind, candidate.relation)
                counts[key] += 1
                cues[key] += candidate.head.i in gold
            if number % 100 == 0:
                print(f"{number}/{len(first)} articles, {time.perf_counter() - started:.0f}s", file=sys.stderr)
    OUT.write_text("")  # judge with the hand lexicon alone, to keep only entries that change a verdict
    lexicon = CueLexicon()
    rows = []
    for (lemma, kind, relation), n in sorted(counts.items()):
        if n < MIN_EVIDENCE or relation == "none":
            continue
        precision = cues[(lemma, kind, relation)] / n
        hand_says_yes = lexicon._hand_rule(lemma, kind, relation) is not None
        if precision >= KEEP_FLOOR or hand_says_yes:
            rows.append({"id": f"{lemma}.{kind}.{relation}", "lemma": lemma, "kind": kind, "relation": relation,
                         "count": n, "cue_count": cues[(lemma, kind, relation)], "precision": round(precision, 3)})
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    accepted = sum(1 for r in rows if r["precision"] >= MIN_PRECISION)
    print(f"{len(first)} training articles, {sum(counts.values())} candidates; wrote {len(rows)} entries "
          f"({accepted} accepted at precision >= {MIN_PRECISION}) to {OUT}"
          f" in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
