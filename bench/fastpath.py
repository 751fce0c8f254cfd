"""Measure the fast path: event recall and articles/s with the cheap first pass on and off.

Usage:
    python bench/fastpath.py                 # the three variants, 3 timed runs each over the gold stories
    python bench/fastpath.py --runs 5 --json fastpath.json

Variants (the same loaded pipeline, ``Extractor`` flags only):
- full:        every sentence is parsed (``fast=False``): the reference;
- fast:        only sentences a trigger regex may fire in, plus replies, speakers and estimates
               (``fast=True``, the default of ``sitrep extract``);
- fast+skip:   as fast, and an article with no trigger sentence at all is not parsed or geoparsed
               (``events_only=True``, what ``sitrep ingest`` uses: the store keeps only events).
Scores come from bench/score.py's functions against the hand-made gold (dev split is the target;
heldout is shown apart). Speed is articles/s over all the gold stories, median of the runs, after
one warm-up pass; "parsed" is the share of sentences sent to spaCy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import _machine  # noqa: E402
import score as sc  # noqa: E402

FIELDS = (
    "place_25km",
    "date_within_precision",
    "actor1_exact",
    "attribution_status_acc",
    "fatalities_exact",
)
VARIANTS = {"full": (False, False), "fast": (True, False), "fast+skip": (True, True)}


class CountingNLP:
    """Wraps the spaCy pipeline to count the sentences sent to it."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.texts = 0

    def pipe(self, texts: Sequence[str], **kw: Any) -> Any:
        self.texts += len(texts)
        return self.nlp.pipe(texts, **kw)


def run_variant(
    name: str, nlp: Any, geoparser: Any, stories: list[Any], records: dict[str, Any], runs: int
) -> dict[str, Any]:
    """Score one variant and time it."""
    from sitrep.ingest import article_from_record
    from sitrep.pipeline import Extractor
    from sitrep.pipeline.sentences import sentences

    fast, events_only = VARIANTS[name]
    counter = CountingNLP(nlp)
    extractor = Extractor(counter, geoparser, fast=fast, events_only=events_only)
    articles = [article_from_record(records[s.article_id]) for s in stories]
    notes = sc.Notes()
    for s in stories:
        s.pred = []
    by_id = {s.article_id: s for s in stories}
    produced: dict[str, list[dict[str, Any]]] = {}
    for report in extractor.report_batch(articles):  # also the warm-up
        story = by_id[report.article.id]
        produced[report.article.id] = [e.to_dict() for e in report.events]
        for event in report.events:
            story.pred.append(sc.pred_item(event.to_dict(), story.text, notes))
    scores = sc.score(stories)
    total_sentences = sum(len(sentences(a.text)) for a in articles)
    counter.texts = 0
    rates, cpu_rates = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in extractor.report_batch(articles):
            pass
        rates.append(len(articles) / (time.perf_counter() - t0))
        cpu_rates.append(len(articles) / (time.process_time() - c0))
    parsed = counter.texts / runs
    out: dict[str, Any] = {
        "variant": name,
        "articles": len(articles),
        "rates": [round(r, 2) for r in rates],
        "articles_per_s": round(statistics.median(rates), 2),
        "articles_per_cpu_s": round(statistics.median(cpu_rates), 2),  # what other load cannot skew
        "sentences": total_sentences,
        "parsed_sentences": round(parsed),
        "parsed_share": round(parsed / total_sentences, 3) if total_sentences else None,
        "events": sum(len(s.pred) for s in stories),
        "_events_by_article": produced,
    }
    for split in ("dev", "heldout", "all"):
        strict, lenient = scores[split]["all_strict"], scores[split]["all_lenient"]
        out[split] = {
            "strict": {k: strict[k] for k in ("precision", "recall", "f1", "tp", "pred", "gold")},
            "lenient_recall": lenient["recall"],
            "fields": {k: scores[split][k]["value"] for k in FIELDS},
        }
    return out


def _field_differences(
    reference: dict[str, list[dict[str, Any]]], produced: dict[str, list[dict[str, Any]]]
) -> dict[str, int]:
    """How many events differ from the reference in each field (events paired in order)."""
    counts: dict[str, int] = {}
    for key, ref in reference.items():
        got = produced[key]
        if len(got) != len(ref):
            counts["(number of events)"] = counts.get("(number of events)", 0) + 1
        for a, b in zip(ref, got, strict=False):
            for name in a:
                if a[name] != b.get(name):
                    counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: -kv[1]))


def pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}"


def render(result: dict[str, Any]) -> str:
    m = result["machine"]
    lines = [
        f"sitrep fast path  {m.get('when', '')}",
        f"machine: {_machine.describe(m)}",
        f"{result['stories']} gold stories; {result['runs']} timed runs, median shown",
        "",
        f"{'variant':<11}{'art/s':>8}{'/cpu-s':>8}{'parsed':>9}{'dev P':>8}{'dev R':>8}{'dev F1':>8}{'dev R len':>11}"
        f"{'held R':>8}{'events':>8}",
    ]
    for v in result["variants"]:
        d, h = v["dev"], v["heldout"]
        lines.append(
            f"{v['variant']:<11}{v['articles_per_s']:>8}{v['articles_per_cpu_s']:>8}{pct(v['parsed_share']):>8}%"
            f"{pct(d['strict']['precision']):>8}{pct(d['strict']['recall']):>8}{pct(d['strict']['f1']):>8}"
            f"{pct(d['lenient_recall']):>11}{pct(h['strict']['recall']):>8}{v['events']:>8}"
        )
    lines.append("")
    lines.append(f"{'dev fields':<11}" + "".join(f"{f:>24}" for f in FIELDS))
    for v in result["variants"]:
        cells = "".join(f"{pct(v['dev']['fields'][f]):>24}" for f in FIELDS)
        lines.append(f"{v['variant']:<11}{cells}")
    full = next(v for v in result["variants"] if v["variant"] == "full")
    for v in result["variants"]:
        if v is full:
            continue
        lost = 100 * ((full["dev"]["strict"]["recall"] or 0) - (v["dev"]["strict"]["recall"] or 0))
        speed = v["articles_per_cpu_s"] / full["articles_per_cpu_s"]
        lines.append(
            f"{v['variant']}: {lost:.1f} points of dev strict recall lost against full, "
            f"{speed:.2f}x the speed (per CPU second); "
            f"{v['articles_with_other_events_than_full']} of {v['articles']} articles with events "
            f"other than full's; events differing, by field: {v['fields_other_than_full']}"
        )
    lines.append(f"load average at end {result['load_average_at_end']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--model")
    p.add_argument("--stories", type=Path, default=sc.DEFAULT_STORIES)
    p.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    p.add_argument("--json", type=Path)
    args = p.parse_args(argv)
    if "full" not in args.variants:
        args.variants.insert(0, "full")

    from sitrep.geo import Geoparser
    from sitrep.pipeline.nlp import load_model

    machine = sc.machine()
    notes = sc.Notes()
    records = {str(r["id"]): r for r in sc.read_jsonl(args.stories)}
    gold = sc.load_gold(sc.gold_paths(None), notes)
    stories = sc.build_stories(gold, records, notes, 0)
    stories.sort(key=lambda s: s.article_id)
    nlp, geoparser = load_model(args.model), Geoparser.open(None)
    result: dict[str, Any] = {
        "machine": machine,
        "stories": len(stories),
        "runs": args.runs,
        "variants": [],
    }
    reference: dict[str, Any] = {}
    for name in args.variants:
        v = run_variant(name, nlp, geoparser, stories, records, args.runs)
        produced = v.pop("_events_by_article")
        reference = reference or produced
        v["articles_with_other_events_than_full"] = sum(
            produced[k] != reference[k] for k in reference
        )
        v["fields_other_than_full"] = _field_differences(reference, produced)
        result["variants"].append(v)
        print(f"{name}: {v['articles_per_s']} articles/s", file=sys.stderr)
    result["load_average_at_end"] = _machine.load_average()
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
