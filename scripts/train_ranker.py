"""Train the place candidate ranker (``sitrep/data/geo/ranker.json``) from what the team may tune on.

Training data:
* the first (tuning) half of LGL (``../shared/data/geoparsing/lgl.xml``), gold toponym spans;
* the team's place-annotated notes (``corpus/places/train/*.jsonl``), the gold place's mention.
LGL's second half and ``corpus/places/test`` are never read here.

For every name with two or more candidates and one right one (the gold GeoNames id, else the
candidate nearest the gold point, within 50 km for LGL and 25 km for the notes), each candidate's
features (``geo.ranker.FEATURES``, its context features as the resolver computes them) become one
row pair of a scikit-learn logistic regression on feature differences (pairwise ranking): the
right candidate against each other one. The context
features depend on the weights, so the fit is repeated a few times from the hand-set weights. The
regularisation strength is chosen by 5-fold cross-validation over the training articles (top-1).

Usage: python scripts/train_ranker.py [--rounds 3] [--dry-run]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from sitrep.geo import Geoparser
from sitrep.geo.names import haversine_km, normalize
from sitrep.geo.ranker import FEATURES, Ranker, actor_homes, ranker_from
from sitrep.geo.recognize import qualify_spans
from sitrep.geo.resolve import _Resolver
from sitrep.resources import data_path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from geo_lgl import DEFAULT_LGL, load_lgl  # noqa: E402

TARGET = data_path("geo", "ranker.json")
NOTES = sorted((ROOT / "corpus" / "places" / "train").glob("*.jsonl"))


def _examples(geo: Geoparser) -> list[dict[str, Any]]:
    """(text, toponyms, gold per toponym span) for every training article."""
    out = []
    docs = load_lgl(DEFAULT_LGL)
    for doc in docs[: len(docs) // 2]:
        spans = [(g.start, g.end) for g in doc.gold]
        gold = {
            (g.start, g.end): (g.lat, g.lon, g.geonameid, 50.0)
            for g in doc.gold
            if g.lat is not None and g.lon is not None
        }
        toponyms = qualify_spans(doc.text, spans, geo.gazetteer)
        out.append({"id": f"lgl:{doc.docid}", "toponyms": toponyms, "gold": gold, "text": doc.text})
    for path in NOTES:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            place = item["place"]
            toponyms = geo.toponyms(item["text"])
            target = normalize(place["name"])
            gold = {
                (t.start, t.end): (place["lat"], place["lon"], None, 25.0)
                for t in toponyms
                if normalize(t.name) == target or normalize(t.text) == target
            }
            if gold:
                out.append(
                    {
                        "id": f"note:{item['id']}",
                        "toponyms": toponyms,
                        "gold": gold,
                        "text": item["text"],
                    }
                )
    return out


def _rows(
    geo: Geoparser, examples: list[dict[str, Any]], ranker: Ranker
) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """Per name with a right candidate among several: (article id, features, labels)."""
    groups = []
    for ex in examples:
        resolver = _Resolver(geo.gazetteer, ex["toponyms"], None, ranker, actor_homes(ex["text"]))
        resolver.run()
        for n in resolver.names:
            if len(n.candidates) < 2:
                continue
            golds = [
                ex["gold"][(t.start, t.end)] for t in n.toponyms if (t.start, t.end) in ex["gold"]
            ]
            if not golds:
                continue
            lat, lon, gid, max_km = golds[0]
            labels = np.zeros(len(n.candidates))
            same = [i for i, c in enumerate(n.candidates) if gid and c.geonameid == gid]
            if same:
                labels[same[0]] = 1
            else:
                dists = [haversine_km(lat, lon, c.latitude, c.longitude) for c in n.candidates]
                best = int(np.argmin(dists))
                if dists[best] > max_km:
                    continue
                labels[best] = 1
            groups.append((ex["id"], np.array(resolver.features[id(n)]), labels))
    return groups


def _fit(groups: list[tuple[str, np.ndarray, np.ndarray]], c: float) -> np.ndarray:
    """Pairwise logistic regression: the right candidate's features minus each other's are the
    positive rows (and their negation the negative ones), each name weighing one in all."""
    rows, labels, weights = [], [], []
    for _id, x, y in groups:
        pos = x[int(np.argmax(y))]
        neg = x[y == 0]
        diffs = pos - neg
        rows += [diffs, -diffs]
        labels += [np.ones(len(diffs)), np.zeros(len(diffs))]
        weights += [np.full(2 * len(diffs), 1.0 / len(diffs))]
    model = LogisticRegression(C=c, fit_intercept=False, max_iter=5000)
    model.fit(np.vstack(rows), np.concatenate(labels), sample_weight=np.concatenate(weights))
    return model.coef_[0]


def _cross_validated(
    groups: list[tuple[str, np.ndarray, np.ndarray]], fold_of: dict[str, int], c: float
) -> float:
    """Top-1 accuracy on each fifth of the articles of weights fitted on the other four."""
    hits = 0
    for k in range(5):
        train = [g for g in groups if fold_of[g[0]] != k]
        test = [g for g in groups if fold_of[g[0]] == k]
        hits += round(_top1(test, _fit(train, c)) * len(test))
    return hits / max(1, len(groups))


def _top1(groups: list[tuple[str, np.ndarray, np.ndarray]], w: np.ndarray) -> float:
    hits = sum(int(g[2][int(np.argmax(g[1] @ w))] == 1) for g in groups)
    return hits / max(1, len(groups))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--dry-run", action="store_true", help="report, do not write ranker.json")
    args = ap.parse_args()
    geo = Geoparser.open()
    data = json.loads(TARGET.read_text(encoding="utf-8"))
    start = dict(data)
    examples = _examples(geo)
    ids = sorted({ex["id"] for ex in examples})
    random.Random(13).shuffle(ids)
    fold_of = {doc_id: k % 5 for k, doc_id in enumerate(ids)}
    print(
        f"{len(examples)} training articles "
        f"({sum(e['id'].startswith('note:') for e in examples)} notes)"
    )
    ranker = ranker_from(start)
    for r in range(args.rounds):
        groups = _rows(geo, examples, ranker)
        now = _top1(groups, np.array(ranker.weights))
        scores = {
            c: _cross_validated(groups, fold_of, c) for c in (0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
        }
        best_c = max(scores, key=lambda c: scores[c])
        print(
            f"round {r + 1}: {len(groups)} names; top-1 with the current weights {now:.3f}; "
            "5-fold cross-validated top-1 by C: "
            + ", ".join(f"{c}: {s:.3f}" for c, s in scores.items())
        )
        weights = _fit(groups, best_c)
        data = dict(start)
        data["weights"] = [round(float(w), 4) for w in weights]
        data["features"] = list(FEATURES)
        data["c"] = best_c
        data["cross_validated_top1"] = round(scores[best_c], 4)
        ranker = ranker_from(data)
    digest = hashlib.sha256("\n".join(sorted(ex["id"] for ex in examples)).encode()).hexdigest()[
        :16
    ]
    data["_doc"] = (
        "Weights of the candidate ranker (sitrep/geo/ranker.py): score = weights . features, "
        "learned by scripts/train_ranker.py (logistic regression) from LGL's first half and "
        "corpus/places/train; never from LGL's second half or corpus/places/test."
    )
    data["trained_on"] = {
        "articles": len(examples),
        "notes": sum(e["id"].startswith("note:") for e in examples),
        "names": len(groups),
        "digest": digest,
    }
    for name, w in zip(FEATURES, data["weights"], strict=True):
        print(f"  {name:22s} {w:8.3f}")
    if not args.dry_run:
        TARGET.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
