#!/usr/bin/env python3
"""Learn, from the PolNeAR *training* split only, which verbs report through a preposition after
their object: "accused *Republicans* of placing …", "praised *Trump* for speaking out",
"likened *the rules* to burning the Constitution". There the annotators' content runs on past the
object through the preposition ("Republicans of placing …"); without the table it would stop at
the object.

For every verb with a direct object and a later preposition with an object of its own, whose head
is part of an annotated cue, count whether the annotated content overlaps the preposition's
object or the direct object. (lemma, preposition) pairs seen at least MIN_COUNT times where the
preposition's object wins at least MIN_SHARE of the time are written to rules/object_preps.jsonl
with their counts; detectors/attribution.py reads them.

    .venv/bin/python scripts/learn_object_preps.py --shared ../shared
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from sourcelight.evaluation import first_annotation_per_article, load_jsonl
from sourcelight.pipeline import load_pipeline

MIN_COUNT = 3
MIN_SHARE = 0.6
OUT = Path(__file__).resolve().parents[1] / "server" / "sourcelight" / "rules" / "object_preps.jsonl"
PIPES = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"]


def gold_contents_by_cue_token(doc, article) -> dict[int, list[tuple[int, int]]]:
    """Token index of every annotated cue word -> the character spans of that attribution's content."""
    result: dict[int, list[tuple[int, int]]] = {}
    for attribution in article["attributions"]:
        contents = [(f["start"], f["end"]) for span in attribution.get("content") or [] for f in span]
        if not contents:
            continue
        for span in attribution.get("cue") or []:
            for fragment in span:
                cue = doc.char_span(fragment["start"], fragment["end"], alignment_mode="expand")
                for token in cue or []:
                    result.setdefault(token.i, []).extend(contents)
    return result


def _overlap(span, ranges) -> int:
    start, end = span[0].idx, span[-1].idx + len(span[-1])
    return sum(max(0, min(end, b) - max(start, a)) for a, b in ranges)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    started = time.perf_counter()
    path = Path(args.shared) / "eval" / "polnear" / "train.jsonl.gz"
    articles = first_annotation_per_article(load_jsonl(path))[: args.limit]  # one annotator per article
    nlp = load_pipeline()
    prep_wins, object_wins = Counter(), Counter()
    with nlp.select_pipes(enable=PIPES):
        for doc, article in zip(nlp.pipe(a["text"] for a in articles), articles):
            contents = gold_contents_by_cue_token(doc, article)
            for verb in doc:
                if verb.pos_ != "VERB" or verb.i not in contents:
                    continue
                obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
                if obj is None:
                    continue
                for prep in (c for c in verb.children if c.dep_ == "prep" and c.i > obj.i):
                    target = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None)
                    if target is None:
                        continue
                    key = (verb.lemma_.lower(), prep.lower_)
                    on_prep = _overlap(list(target.subtree), contents[verb.i])
                    on_object = _overlap(list(obj.subtree), contents[verb.i])
                    if on_prep > on_object:
                        prep_wins[key] += 1
                    elif on_object > on_prep:
                        object_wins[key] += 1
    rows = []
    for key in sorted(set(prep_wins) | set(object_wins)):
        n = prep_wins[key] + object_wins[key]
        if n >= MIN_COUNT and prep_wins[key] / n >= MIN_SHARE:
            rows.append({"id": f"{key[0]}.{key[1]}", "lemma": key[0], "prep": key[1], "count": n,
                         "prep_content": prep_wins[key], "share": round(prep_wins[key] / n, 3)})
    with OUT.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")
    print(f"{len(articles)} training articles; wrote {len(rows)} (verb, preposition) pairs to {OUT} "
          f"in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
