#!/usr/bin/env python3
"""Regenerate datasets/banking77.jsonl (and its labels and licence files) from the BANKING77 CSVs.

BANKING77: Casanueva et al., "Efficient Intent Detection with Dual Sentence Encoders" (2020), PolyAI, CC BY 4.0.

The subset is stratified per intent and drawn with a fixed seed, so running this script again on the same
source files produces byte-identical output:

    train: 10 rows per intent from train.csv   (770)
    dev:    8 rows per intent from train.csv, disjoint from train (616)
    test:   8 rows per intent from test.csv    (616)

Usage (from the repository root):

    python3 datasets/tools/make_banking77.py --source path/to/banking77

Standard library only; Python 3.8 or later.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sys
from pathlib import Path

SEED = 77
TRAIN_PER_INTENT = 10
DEV_PER_INTENT = 8
TEST_PER_INTENT = 8


def normalise(text: str) -> str:
    """Collapse whitespace runs (a few source rows contain newlines or padding) into single spaces."""
    return " ".join(text.split())


def read_rows(path: Path, intents: set[str]) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        # Row numbers are 1-based data rows (the header is not counted), so they point back into the source file.
        for number, row in enumerate(csv.DictReader(handle), start=1):
            text = normalise(row["text"])
            category = row["category"].strip()
            if category not in intents:
                sys.exit(f"{path}:{number + 1}: field 'category': unknown intent {category!r}")
            if not text:
                sys.exit(f"{path}:{number + 1}: field 'text': empty")
            rows.append({"text": text, "label": category, "row": number})
    return rows


def by_intent(rows: list[dict]) -> dict[str, list[dict]]:
    """Group rows per intent, dropping repeated texts so that no text appears twice in a pool."""
    groups: dict[str, list[dict]] = {}
    seen: set[tuple[str, str]] = set()
    for row in rows:
        key = (row["label"], row["text"].lower())
        if key in seen:
            continue
        seen.add(key)
        groups.setdefault(row["label"], []).append(row)
    return groups


def draw(pool: list[dict], count: int, rng: random.Random, label: str, source: str) -> list[dict]:
    if len(pool) < count:
        sys.exit(f"{source}: intent {label!r} has {len(pool)} distinct rows, need {count}")
    return rng.sample(pool, count)


def to_record(split: str, index: int, row: dict, source: str) -> dict:
    return {
        "id": f"b77-{split}-{index:05d}",
        "input": row["text"],
        "expected": row["label"],
        "metadata": {"label": row["label"], "source": source, "row": row["row"]},
        "split": split,
    }


def main() -> None:
    repo_datasets = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, required=True,
                        help="folder holding train.csv, test.csv, categories.json and LICENSE")
    parser.add_argument("--out", type=Path, default=repo_datasets, help="output folder (default: datasets/)")
    args = parser.parse_args()

    intents_in_order = json.loads((args.source / "categories.json").read_text(encoding="utf-8"))
    intents = set(intents_in_order)
    if len(intents) != len(intents_in_order):
        sys.exit("categories.json: duplicate intent names")

    train_pools = by_intent(read_rows(args.source / "train.csv", intents))
    test_pools = by_intent(read_rows(args.source / "test.csv", intents))

    rng = random.Random(SEED)
    splits: dict[str, list[tuple[dict, str]]] = {"train": [], "dev": [], "test": []}
    for intent in intents_in_order:
        # One draw of train+dev from the same pool guarantees the two splits are disjoint.
        picked = draw(train_pools.get(intent, []), TRAIN_PER_INTENT + DEV_PER_INTENT, rng, intent, "train.csv")
        splits["train"] += [(row, "train.csv") for row in picked[:TRAIN_PER_INTENT]]
        splits["dev"] += [(row, "train.csv") for row in picked[TRAIN_PER_INTENT:]]
        splits["test"] += [(row, "test.csv")
                           for row in draw(test_pools.get(intent, []), TEST_PER_INTENT, rng, intent, "test.csv")]

    lines = []
    for split, rows in splits.items():
        # Shuffle within a split so that a run limited to the first N cases still sees many intents.
        rng.shuffle(rows)
        for index, (row, source) in enumerate(rows, start=1):
            lines.append(json.dumps(to_record(split, index, row, source), ensure_ascii=False))

    args.out.mkdir(parents=True, exist_ok=True)
    write_atomically(args.out / "banking77.jsonl", "\n".join(lines) + "\n")
    write_atomically(args.out / "banking77.labels.txt", "\n".join(intents_in_order) + "\n")
    shutil.copyfile(args.source / "LICENSE", args.out / "banking77.LICENSE")
    counts = ", ".join(f"{split}={len(rows)}" for split, rows in splits.items())
    print(f"wrote {len(lines)} cases ({counts}) to {args.out / 'banking77.jsonl'}")


def write_atomically(path: Path, text: str) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    temporary.replace(path)


if __name__ == "__main__":
    main()
