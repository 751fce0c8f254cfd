"""The event's place against a coder's: the team's place-annotated notes (``corpus/places/``).

Usage:
    python bench/geo_places.py                  # dev (corpus/places/train) and held-aside test
    python bench/geo_places.py --dev --errors 30 # tuning: the dev split only, with its worst errors
    python bench/geo_places.py --json out.json

Each item is one short report (an ACLED-style note, a news sentence, a snippet, an official post)
with the gazetteer entry the writer meant as the event's place (``corpus/places/briefs``). Two
readings are scored:

* **pipeline**: the whole extractor on the text as an article; its first event's place against the
  gold point (within 25 km), admin1 and admin2 region (admin2 over items whose gold names one) and
  ACLED geo precision. An item with no event counts as a miss.
* **geoparser**: the place the geoparser resolves for the gold name's mention (resolution alone,
  whatever the event chooses).

Figures are given overall, for Ukraine and Russia's border regions apart from the rest, and per
pattern and genre. The held-aside test set (``corpus/places/test``) is never used for tuning and its
items are never printed; ``--errors`` lists errors of the dev split only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from sitrep.geo import Geoparser
from sitrep.geo.names import haversine_km, normalize

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

from _machine import describe, machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEV = sorted((ROOT / "corpus" / "places" / "train").glob("*.jsonl"))
TEST = [ROOT / "corpus" / "places" / "test" / "heldout.jsonl"]
NEAR_KM = 25.0


def read(paths: list[Path]) -> list[dict[str, Any]]:
    items = []
    for path in paths:
        if path.exists():
            with path.open(encoding="utf-8") as f:
                items += [json.loads(line) for line in f if line.strip()]
    return items


def _same(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and normalize(a or "") == normalize(b or "")


class Scorer:
    def __init__(self, geoparser: Geoparser) -> None:
        self.gaz = geoparser.gazetteer

    def admin1(self, code: str | None) -> str | None:
        if not code or "." not in code:
            return None
        cc, a1 = code.split(".", 1)
        return self.gaz.admin1_name(cc, a1)

    def admin2(self, code: str | None) -> str | None:
        if not code or code.count(".") != 2:
            return None
        return self.gaz.admin2_name(*code.split("."))

    def score(self, gold: dict[str, Any], got: dict[str, Any] | None) -> dict[str, Any]:
        if got is None or got.get("latitude") is None:
            return {"placed": 0, "near": 0, "admin1": 0, "admin2": 0, "precision": 0, "km": None}
        km = haversine_km(gold["lat"], gold["lon"], got["latitude"], got["longitude"])
        return {
            "placed": 1,
            "near": int(km <= NEAR_KM),
            "admin1": int(_same(self.admin1(gold.get("admin1")), got.get("admin1"))),
            "admin2": int(_same(self.admin2(gold.get("admin2")), got.get("admin2"))),
            "precision": int(gold.get("precision") == got.get("geo_precision")),
            "km": km,
        }


def _summary(rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    n = len(rows)
    if not n:
        return {"items": 0}
    with_a2 = [s for g, s in rows if g["place"].get("admin2")]
    kms = [s["km"] for _g, s in rows if s["km"] is not None]
    return {
        "items": n,
        "placed": round(sum(s["placed"] for _g, s in rows) / n, 3),
        "within_25km": round(sum(s["near"] for _g, s in rows) / n, 3),
        "admin1": round(sum(s["admin1"] for _g, s in rows) / n, 3),
        "admin2": round(sum(s["admin2"] for s in with_a2) / len(with_a2), 3) if with_a2 else None,
        "precision": round(sum(s["precision"] for _g, s in rows) / n, 3),
        "median_km": round(statistics.median(kms), 1) if kms else None,
    }


def _groups(rows: list[tuple[dict[str, Any], dict[str, Any]]]) -> dict[str, Any]:
    out: dict[str, Any] = {"all": _summary(rows)}
    by: dict[str, list[Any]] = defaultdict(list)
    for g, s in rows:
        region = "UA+RU border" if g["place"]["country"] in ("UA", "RU") else "other countries"
        by[f"region: {region}"].append((g, s))
        by[f"pattern: {g.get('pattern')}"].append((g, s))
        by[f"genre: {g.get('genre')}"].append((g, s))
    for key in sorted(by):
        out[key] = _summary(by[key])
    return out


def run(items: list[dict[str, Any]], extractor: Any, geoparser: Geoparser) -> dict[str, Any]:
    from sitrep.ingest import article_from_record  # type: ignore[attr-defined]

    scorer = Scorer(geoparser)
    pipeline_rows, geo_rows = [], []
    articles = [
        article_from_record({"id": g["id"], "text": g["text"], "published": g.get("published")})
        for g in items
    ]
    started = time.perf_counter()
    for g, (_article, events) in zip(items, extractor.extract_batch(articles), strict=True):
        ev = events[0].to_dict() if events else None
        pipeline_rows.append((g, scorer.score(g["place"], ev)))
        target = normalize(g["place"]["name"])
        found = None
        for pm in geoparser.parse(g["text"]):
            if normalize(pm.toponym.name) == target or normalize(pm.toponym.text) == target:
                p = pm.place
                found = {
                    "latitude": p.latitude,
                    "longitude": p.longitude,
                    "admin1": p.admin1,
                    "admin2": p.admin2,
                    "geo_precision": p.geo_precision,
                    "location": p.name,
                }
                break
        geo_rows.append((g, scorer.score(g["place"], found)))
        if ev is not None:
            g["_pred"] = {k: ev.get(k) for k in ("location", "admin1", "admin2", "geo_precision")}
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "pipeline": _groups(pipeline_rows),
        "geoparser": _groups(geo_rows),
        "_rows": pipeline_rows,
    }


def _print(name: str, result: dict[str, Any]) -> None:
    print(f"\n== {name} ({result['seconds']} s)")
    cols = ("items", "placed", "within_25km", "admin1", "admin2", "precision", "median_km")
    for reading in ("pipeline", "geoparser"):
        print(f"-- {reading}")
        print(f"  {'group':34s}" + "".join(f"{c:>12s}" for c in cols))
        for key, s in result[reading].items():
            print(f"  {key:34s}" + "".join(f"{str(s.get(c, '')):>12s}" for c in cols))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dev", action="store_true", help="the dev split only (for tuning)")
    ap.add_argument("--errors", type=int, default=0, help="list this many dev-split errors")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    print(describe(machine()))
    from sitrep.pipeline import Extractor  # type: ignore[attr-defined]

    extractor = Extractor.load()
    geoparser = Geoparser.open()
    splits = {"dev (corpus/places/train)": read(DEV)}
    if not args.dev:
        splits["held-aside test (corpus/places/test)"] = read(TEST)
    report = {}
    for name, items in splits.items():
        if not items:
            print(f"\n== {name}: no items")
            continue
        result = run(items, extractor, geoparser)
        _print(name, result)
        rows = result.pop("_rows")
        report[name] = result
        if args.errors and name.startswith("dev"):
            misses = [(g, s) for g, s in rows if not s["near"]]
            print(f"\ndev errors ({len(misses)}; first {args.errors}):")
            for g, s in misses[: args.errors]:
                km = "-" if s["km"] is None else f"{s['km']:.0f} km"
                print(
                    f"  {g['id']} [{g.get('pattern')}] gold {g['place']['name']} "
                    f"({g['place']['admin1']}) got {g.get('_pred')} {km}\n    {g['text'][:220]}"
                )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
