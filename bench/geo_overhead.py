"""How much geoparsing adds to extraction time, and how fast the gazetteer opens and answers.

Runs the extractor over the VOA stories twice in one process, with the real geoparser and with a
geoparser that finds nothing, alternating runs; prints the median of each and the ratio.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from sitrep.geo import Gazetteer
from sitrep.ingest import article_from_record
from sitrep.pipeline import Extractor

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))  # bench/ is not a package

from _machine import describe, load_average, machine  # noqa: E402

STORIES = HERE.parent.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl"


class _NoPlaces:
    """A geoparser that finds no place: the baseline."""

    def parse(self, text: str, ents: object = (), **_: object) -> list[object]:
        return []


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--stories",
        type=Path,
        default=STORIES if STORIES.exists() else Path("/work/shared/corpus/voa/voa_stories.jsonl"),
    )
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    info = machine()
    arts = [
        article_from_record(json.loads(x))
        for x in args.stories.read_text(encoding="utf-8").splitlines()
    ]
    t0 = time.perf_counter()
    gaz = Gazetteer.open()
    open_ms = (time.perf_counter() - t0) * 1000
    names = [
        "Kharkiv",
        "Springfield",
        "Engels",
        "Donetsk",
        "Beledweyne",
        "Sibi",
        "Paris",
        "Nowhere-at-all",
    ]
    t0 = time.perf_counter()
    for _ in range(200):
        for n in names:
            gaz.lookup(n)
    lookup_us = (time.perf_counter() - t0) / (200 * len(names)) * 1e6
    ex = Extractor.load()
    real = ex.geoparser
    times: dict[str, list[float]] = {"with geoparsing": [], "without": []}
    for _ in range(args.runs):
        for label, gp in (("with geoparsing", real), ("without", _NoPlaces())):
            ex.geoparser = gp
            t0 = time.perf_counter()
            for _a, _e in ex.extract_batch(arts):
                pass
            times[label].append(time.perf_counter() - t0)
    ex.geoparser = real
    with_geo = statistics.median(times["with geoparsing"])
    without = statistics.median(times["without"])
    print(f"machine: {describe(info)}; at end {load_average()}")
    print(
        f"gazetteer open: {open_ms:.1f} ms; lookup: {lookup_us:.0f} µs mean over {len(names)} names"
    )
    print(f"extraction of {len(arts)} stories, median of {args.runs} alternating runs:")
    print(f"  with geoparsing    {with_geo:.2f} s ({len(arts) / with_geo:.1f} articles/s)")
    print(f"  without            {without:.2f} s ({len(arts) / without:.1f} articles/s)")
    print(f"  geoparsing adds    {100 * (with_geo / without - 1):.1f}% to extraction time")


if __name__ == "__main__":
    main()
