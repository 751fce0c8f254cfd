"""Compare typer designs on the dev split of the training corpus (never the held-aside test set).

The dev split is 15% of each label of ``corpus/train/``, chosen with a fixed seed; every design
trains on the other 85%. Designs:
- ``embeddings``: model2vec static embeddings (distilled from MiniLM) and a logistic regression;
- ``embeddings+ngrams``: the same with hashed word uni- and bigrams beside the embeddings
  (sitrep's typer), at a few settings;
- ``spacy-textcat``: spaCy's ``textcat`` (bag of uni- and bigrams) trained with ``spacy train`` and
  ``bench/typer/textcat.cfg``.

    python bench/typer_designs.py                  # all designs
    python bench/typer_designs.py --skip-spacy     # the linear ones only
"""

from __future__ import annotations

import argparse
import glob
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _machine  # noqa: E402

from sitrep.typer.corpus import LabeledText, read_many  # noqa: E402
from sitrep.typer.evaluate import scores  # noqa: E402
from sitrep.typer.labels import LABELS  # noqa: E402
from sitrep.typer.train import TrainSettings, stratified_split, train_typer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV_SEED = 7
DEV_FRACTION = 0.15


def dev_split() -> tuple[list[LabeledText], list[LabeledText]]:
    items = read_many(sorted(glob.glob(str(ROOT / "corpus" / "train" / "*.jsonl"))))
    return stratified_split(items, DEV_FRACTION, DEV_SEED)


def linear(train: list[LabeledText], dev: list[LabeledText], settings: TrainSettings) -> list[str]:
    typer = train_typer(train, settings)
    return [label for label, _, _ in typer.predict([it.text for it in dev])]


def spacy_textcat(train: list[LabeledText], dev: list[LabeledText]) -> list[str]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    with tempfile.TemporaryDirectory() as tmp:
        for name, part in (("train", train), ("dev", dev)):
            db = DocBin()
            for doc, it in zip(nlp.pipe(t.text for t in part), part, strict=True):
                doc.cats = {label: float(label == it.label) for label in LABELS}
                db.add(doc)
            db.to_disk(Path(tmp) / f"{name}.spacy")
        cmd = [
            sys.executable,
            "-m",
            "spacy",
            "train",
            str(ROOT / "bench" / "typer" / "textcat.cfg"),
            "--output",
            str(Path(tmp) / "out"),
            "--paths.train",
            str(Path(tmp) / "train.spacy"),
            "--paths.dev",
            str(Path(tmp) / "dev.spacy"),
            "--training.max_steps",
            "6000",
        ]
        subprocess.run(cmd, check=True, capture_output=True)
        best = spacy.load(Path(tmp) / "out" / "model-best")
        return [max(doc.cats, key=doc.cats.__getitem__) for doc in best.pipe(t.text for t in dev)]


def row(name: str, dev: list[LabeledText], pred: list[str], seconds: float) -> dict[str, Any]:
    s = scores([it.label for it in dev], pred)
    return {
        "design": name,
        "weighted_f1": s["weighted_f1"],
        "macro_f1": s["macro_f1"],
        "detection_f1": s["event_detection"]["f1"],
        "sub_type_accuracy": s["sub_type_accuracy_on_detected_events"],
        "false_alarms": s["false_alarm_rate"],
        "train_s": seconds,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--skip-spacy", action="store_true")
    p.add_argument("--json", metavar="FILE", help="also write the table as JSON")
    args = p.parse_args()
    print("typer designs  machine: " + _machine.describe(_machine.machine()))
    train, dev = dev_split()
    print(f"train {len(train)} items, dev {len(dev)} items (seed {DEV_SEED})\n")
    designs: list[tuple[str, Any]] = [
        (
            "embeddings",
            lambda: linear(train, dev, TrainSettings(c=20.0, embedding_weight=1.0, min_df=10**9)),
        ),
        (
            "embeddings+ngrams C=20 w=1",
            lambda: linear(train, dev, TrainSettings(c=20.0, embedding_weight=1.0)),
        ),
        (
            "embeddings+ngrams C=20 w=0.5",
            lambda: linear(train, dev, TrainSettings(c=20.0, embedding_weight=0.5)),
        ),
        (
            "embeddings+ngrams C=50 w=0.5",
            lambda: linear(train, dev, TrainSettings(c=50.0, embedding_weight=0.5)),
        ),
    ]
    if not args.skip_spacy:
        designs.append(("spacy-textcat (bow 1-2 grams)", lambda: spacy_textcat(train, dev)))
    rows = []
    print(
        f"{'design':<34} {'wF1':>6} {'macro':>6} {'detF1':>6} {'subAcc':>7} {'falseAl':>8} {'train s':>8}"
    )
    for name, run in designs:
        t0 = time.perf_counter()
        pred = run()
        r = row(name, dev, pred, time.perf_counter() - t0)
        rows.append(r)
        print(
            f"{name:<34} {r['weighted_f1']:6.3f} {r['macro_f1']:6.3f} {r['detection_f1']:6.3f} "
            f"{r['sub_type_accuracy']:7.3f} {r['false_alarms']:8.3f} {r['train_s']:8.0f}",
            flush=True,
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    print(f"\nload average at end {_machine.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
