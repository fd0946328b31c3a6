"""What the PolNeAR trainers share: the command-line options that say which training articles
choose a threshold and which are fitted on, and the reading of the training split."""
from __future__ import annotations

import argparse
from pathlib import Path

from sourcelight.evaluation import first_annotation_per_article, load_jsonl


def add_split_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--shared", default="../shared")
    parser.add_argument("--holdout", type=int, default=250, help="first N training articles choose the threshold")
    parser.add_argument("--exclude-holdout", action="store_true", help="final fit leaves the held-out articles out")
    parser.add_argument("--c", type=float, default=0.3, help="inverse regularisation strength")


def training_articles(shared: str) -> list[dict]:
    """The PolNeAR training split, one annotator per article."""
    return first_annotation_per_article(load_jsonl(Path(shared) / "eval" / "polnear" / "train.jsonl.gz"))


def write_model(out: Path, data: dict, weights: str, started: float) -> None:
    """The fitted weights as JSON (the server reads them), and a line saying what was written."""
    import json
    import sys
    import time

    out.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1024:.0f} kB, {weights}) in {time.perf_counter() - started:.0f}s",
          file=sys.stderr)
