"""Train sitrep's own event typer from the repository's corpus: one command, reproducible.

Reads ``corpus/train/*.jsonl`` (never ``corpus/test/``), copies the items into the package as
``src/sitrep/data/typer/corpus-train.jsonl.gz`` (so that ``sitrep train`` can add a user's data to
them), trains with the default settings (chosen on the dev split by ``bench/typer_designs.py``), and writes
``src/sitrep/data/typer/model/``. The seed, the data version and the settings are recorded in the
model's ``typer.json``; the held-aside score is recorded by ``bench/event_typing.py --record``.

    python scripts/train_typer.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "sitrep" / "data" / "typer"


def main() -> int:
    from sitrep.typer.corpus import read_many
    from sitrep.typer.train import TrainSettings, train_typer

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--output", type=Path, default=DATA / "model")
    args = p.parse_args()
    files = sorted((ROOT / "corpus" / "train").glob("*.jsonl"))
    items = read_many(files)
    snapshot = DATA / "corpus-train.jsonl.gz"
    snapshot.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(snapshot, "wb", mtime=0) as gz:  # mtime 0: the same bytes on every run
        for it in items:
            line = {
                "id": it.source,
                "text": it.text,
                "label": it.label,
                "genre": it.genre,
                "country": it.country,
            }
            gz.write((json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8"))
    started = time.perf_counter()

    def progress(what: str, done: float) -> None:
        print(f"  {done:4.0%} {what} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)

    meta = {
        "trained_by": "python scripts/train_typer.py",
        "corpus_files": [str(f.relative_to(ROOT)) for f in files],
    }
    typer = train_typer(items, TrainSettings(), progress, meta)
    typer.save(args.output)
    print(
        f"trained on {len(items)} items (data version {typer.meta['data_version']}) into {args.output}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
