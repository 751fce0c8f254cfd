"""Measure the event database: ingest throughput with fusion, fusion cost as it grows, query latency.

Usage:
    python bench/store_bench.py                                  # 10,000 articles, 100,000 events
    python bench/store_bench.py --articles 2000 --events 20000 --e2e 100 --json store.json

Four measurements:
- **store + fusion ingest**: the extractor runs once over the VOA stories; their events are then
  replicated into ``--articles`` articles (new URLs, texts, outlets, dates and coordinates; three
  outlets report each replicated story, so fusion merges; each set of copies is moved to a later
  period so the store grows at constant density) and stored with ``Store.add_article``,
  one transaction per article. Reports articles/s, and per block of 1,000 articles the time per
  1,000 mentions spent in fusion (candidate look-up and scoring) and in the whole ``add_article``:
  flat numbers mean the cost does not grow with the store (the blocking index at work);
- **end to end**: ``--e2e`` articles (the VOA stories with varied texts) through the extractor and
  the store, articles/s;
- **query latency**: a database of ``--events`` events (synthetic articles of ten events each, spread
  over five years and many places), then p50/p95 of ``Store.events`` (first 100, as a page of the
  API would ask) and ``Store.count_events`` for a set of filtered queries, ``--repeat`` times each.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import _machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl"


def machine() -> dict[str, Any]:
    """The machine (``_machine.machine``) and the SQLite library the store runs on."""
    return {**_machine.machine(), "sqlite": sqlite3.sqlite_version}


def load_stories(path: Path) -> list[Any]:
    from sitrep.ingest import article_from_record

    return [
        article_from_record(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


# ---------------------------------------------------------------- replicated corpus


OUTLETS = [f"Outlet {i:02d}" for i in range(40)]
SHIFT_DAYS = 2000  # more than the VOA stories' span (late 2019 to early 2025)


def replicas(
    pairs: list[tuple[Any, list[Any]]], n: int, seed: int = 1
) -> Iterator[tuple[Any, list[Any]]]:
    """``n`` articles made from the extracted VOA pairs.

    Round ``k`` re-publishes every story; rounds come in threes (one "story cluster" each) that share
    a date shift and a place shift, so three outlets report the same events (fusion merges them);
    each cluster moves ``SHIFT_DAYS`` later (past the corpus' own span of dates) and up to a few degrees
    away, so the store keeps growing while the density of events around any date and place stays
    that of the corpus: a flat cost per mention then means the blocking index works.
    """
    rng = random.Random(seed)
    for r in range(n):
        article, events = pairs[r % len(pairs)]
        k = r // len(pairs)
        cluster = k // 3
        days = timedelta(days=SHIFT_DAYS * cluster)
        dlat, dlon = ((cluster % 7) - 3) * 0.9, ((cluster // 7) % 5 - 2) * 1.1
        outlet = OUTLETS[(3 * cluster + k % 3 + r) % len(OUTLETS)]
        sentences = article.text.split(". ")
        if k % 3 == 2:  # a rewrite rather than a copy: an independent report
            sentences = sentences[::2]
        text = f"{outlet} reports from the scene (story {cluster}). " + ". ".join(sentences)
        new = replace(
            article,
            id=f"{article.id}-r{r}",
            url=f"https://{outlet.lower().replace(' ', '')}.example/{article.id}/{r}",
            publisher=outlet,
            text=text,
            published=article.published + days if article.published else None,
        )
        evs = []
        for i, ev in enumerate(events):
            jitter = rng.uniform(-0.02, 0.02)
            evs.append(
                replace(
                    ev,
                    article_id=new.id,
                    event_id=f"{ev.event_id}~{r}~{i}",
                    event_date=ev.event_date + days if ev.event_date else None,
                    latitude=None
                    if ev.latitude is None
                    else max(-89.0, min(89.0, ev.latitude + dlat + jitter)),
                    longitude=None
                    if ev.longitude is None
                    else ((ev.longitude + dlon + jitter + 180) % 360) - 180,
                    published=new.published,
                    source=outlet,
                    source_url=new.url,
                )
            )
        yield new, evs


class FusionTimer:
    """Accumulates the time ``Store`` spends finding and scoring candidates."""

    def __init__(self) -> None:
        from sitrep.store import fusion
        from sitrep.store import store as store_module

        self.total = 0.0
        self.calls = 0
        self.candidates = 0
        self._module = store_module
        self._fusion = fusion
        self._original = store_module.Store._candidates
        self._best = fusion.best_match

        timer = self

        def candidates(this: Any, *a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            found = timer._original(this, *a, **kw)
            timer.total += time.perf_counter() - t
            timer.calls += 1
            timer.candidates += len(found)
            return found

        def best_match(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return timer._best(*a, **kw)
            finally:
                timer.total += time.perf_counter() - t

        store_module.Store._candidates = candidates  # type: ignore[method-assign]
        fusion.best_match = best_match  # type: ignore[assignment]

    def close(self) -> None:
        self._module.Store._candidates = self._original  # type: ignore[method-assign]
        self._fusion.best_match = self._best  # type: ignore[assignment]


def bench_ingest(
    pairs: list[tuple[Any, list[Any]]], n: int, db: Path, block: int = 1000
) -> dict[str, Any]:
    from sitrep.store import Store

    timer = FusionTimer()
    rows = []
    try:
        with Store.open(db) as store:
            start = time.perf_counter()
            t0, f0, m0, c0 = start, 0.0, 0, 0
            mentions = 0
            for i, (article, events) in enumerate(replicas(pairs, n), 1):
                result = store.add_article(article, events)
                mentions += result.mentions
                if i % block == 0 or i == n:
                    now = time.perf_counter()
                    m = max(1, mentions - m0)
                    rows.append(
                        {
                            "articles": i,
                            "events_in_store": store.stats().events,
                            "block_articles_per_s": (i - (rows[-1]["articles"] if rows else 0))
                            / (now - t0),
                            "fusion_ms_per_1000_mentions": 1000 * (timer.total - f0) / m * 1000,
                            "add_ms_per_1000_mentions": 1000 * (now - t0) / m * 1000,
                            "candidates_per_mention": (timer.candidates - c0) / m,
                        }
                    )
                    t0, f0, m0, c0 = now, timer.total, mentions, timer.candidates
            elapsed = time.perf_counter() - start
            stats = store.stats()
    finally:
        timer.close()
    return {
        "articles": n,
        "mentions": stats.mentions,
        "events": stats.events,
        "seconds": elapsed,
        "articles_per_s": n / elapsed,
        "fusion_share": timer.total / elapsed,
        "blocks": rows,
        "db_mb": db.stat().st_size / 1e6,
    }


def bench_end_to_end(stories: list[Any], n: int, db: Path) -> dict[str, Any]:
    from sitrep.pipeline import Extractor
    from sitrep.store import Store

    arts = []
    for r in range(n):
        a = stories[r % len(stories)]
        arts.append(
            replace(
                a,
                id=f"{a.id}-e{r}",
                url=f"https://e2e.example/{a.id}/{r}",
                text=f"Edition {r}. {a.text}",
            )
        )
    extractor = Extractor.load()
    with Store.open(db) as store:
        start = time.perf_counter()
        for article, events in extractor.extract_batch(arts):
            store.add_article(article, events)
        elapsed = time.perf_counter() - start
        stats = store.stats()
    return {
        "articles": n,
        "seconds": elapsed,
        "articles_per_s": n / elapsed,
        "events": stats.events,
    }


# ---------------------------------------------------------------- a large store for queries


def synthetic_pairs(
    pairs: list[tuple[Any, list[Any]]], n_events: int, per_article: int = 10, seed: int = 2
) -> Iterator[tuple[Any, list[Any]]]:
    """Articles of ``per_article`` events each, spread over five years and the VOA events' places."""
    from sitrep.models import Article
    from sitrep.taxonomy import event_type_of, sub_event_types

    rng = random.Random(seed)
    templates = [ev for _, evs in pairs for ev in evs if ev.latitude is not None and ev.iso3]
    subs = sub_event_types()
    actors = [
        "Military Forces of Sudan",
        "Rapid Support Forces",
        "Al Shabaab",
        "Military Forces of Russia",
        "Military Forces of Ukraine",
        "Baloch Liberation Army",
        "Unidentified Armed Group (Nigeria)",
        "Protesters (Kenya)",
        "Police Forces of Pakistan",
        "Islamic State (Sahel)",
    ]
    start = date(2020, 1, 1)
    made = 0
    a = 0
    while made < n_events:
        evs = []
        text_parts = []
        article_id = f"syn-{a}"
        for i in range(min(per_article, n_events - made)):
            t = rng.choice(templates)
            sub = rng.choice(subs)
            day = start + timedelta(days=rng.randrange(5 * 365))
            note = (t.evidence[0].text if t.evidence else t.notes) or "An event."
            evs.append(
                replace(
                    t,
                    article_id=article_id,
                    event_id=f"{article_id}:{i}",
                    event_type=event_type_of(sub),
                    sub_event_type=sub,
                    event_date=day,
                    time_precision=rng.choice([1, 1, 1, 2, 3]),
                    latitude=t.latitude + rng.uniform(-2, 2),
                    longitude=t.longitude + rng.uniform(-2, 2),
                    actor1=rng.choice(actors),
                    actor2=rng.choice(actors),
                    fatalities=rng.choice([0, 0, 1, 2, 5, 12]),
                    notes=note,
                    published=None,
                )
            )
            text_parts.append(note)
            made += 1
        yield (
            Article(
                id=article_id,
                text=" ".join(text_parts) + f" [{a}]",
                url=f"https://syn.example/{a}",
                publisher=f"Synthetic {a % 50}",
            ),
            evs,
        )
        a += 1


QUERIES: dict[str, dict[str, Any]] = {
    "one month": {"date_from": "2023-03-01", "date_to": "2023-03-31"},
    "country": {"country": "Somalia"},
    "country + month": {"country": "PAK", "date_from": "2022-06-01", "date_to": "2022-06-30"},
    "type + year": {"event_type": "Battles", "date_from": "2024-01-01", "date_to": "2024-12-31"},
    "sub-type": {"sub_event_type": "Air/drone strike"},
    "admin1": {"admin1": "Balochistan"},
    "actor": {"actor": "shabaab"},
    "text": {"text": "hotel siege"},
    "bbox": {"bbox": (40.0, -2.0, 52.0, 12.0)},
    "min sources 2": {"min_sources": 2},
    "status": {"status": "confirmed"},
    "combined": {
        "country": "Sudan",
        "event_type": "Battles",
        "date_from": "2021-01-01",
        "date_to": "2023-12-31",
        "min_sources": 1,
    },
}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bench_queries(db: Path, repeat: int) -> dict[str, Any]:
    from sitrep.store import EventQuery, Store

    out: dict[str, Any] = {}
    with Store.open(db, readonly=True) as store:
        for name, filters in QUERIES.items():
            page = EventQuery.from_filters(**filters, limit=100)
            full = EventQuery.from_filters(**filters)
            times: dict[str, list[float]] = {"page": [], "count": []}
            n = store.count_events(full)
            for _ in range(repeat):
                t = time.perf_counter()
                store.events(page)
                times["page"].append(time.perf_counter() - t)
                t = time.perf_counter()
                store.count_events(full)
                times["count"].append(time.perf_counter() - t)
            out[name] = {
                "matches": n,
                "page_p50_ms": 1000 * statistics.median(times["page"]),
                "page_p95_ms": 1000 * percentile(times["page"], 0.95),
                "count_p50_ms": 1000 * statistics.median(times["count"]),
                "count_p95_ms": 1000 * percentile(times["count"], 0.95),
            }
    return out


def build_query_db(pairs: list[tuple[Any, list[Any]]], n_events: int, db: Path) -> dict[str, Any]:
    """Store synthetic articles until the database holds ``n_events`` merged events."""
    from sitrep.store import Store

    with Store.open(db) as store:
        start = time.perf_counter()
        events = 0
        batch = 0
        while events < n_events:
            for article, evs in synthetic_pairs(pairs, n_events - events, seed=batch):
                store.add_article(
                    replace(
                        article,
                        id=f"{article.id}-{batch}",
                        url=f"{article.url}/{batch}",
                        text=f"{article.text} ({batch})",
                    ),
                    [
                        replace(
                            e, article_id=f"{article.id}-{batch}", event_id=f"{e.event_id}-{batch}"
                        )
                        for e in evs
                    ],
                )
            events = store.stats().events
            batch += 1
        elapsed = time.perf_counter() - start
        stats = store.stats()
    return {
        "events": stats.events,
        "mentions": stats.mentions,
        "seconds": elapsed,
        "db_mb": db.stat().st_size / 1e6,
    }


# ---------------------------------------------------------------- main


def report_ingest(ing: dict[str, Any]) -> None:
    print(
        f"\nstore + fusion ingest: {ing['articles']} articles, {ing['mentions']} mentions -> {ing['events']} events "
        f"in {ing['seconds']:.1f} s = {ing['articles_per_s']:.0f} articles/s "
        f"(fusion {100 * ing['fusion_share']:.0f}% of the time; database {ing['db_mb']:.0f} MB)"
    )
    print(
        f"{'after articles':>15} {'events':>8} {'articles/s':>11} {'fusion ms/1000 mentions':>24} "
        f"{'add_article ms/1000 mentions':>29} {'candidates/mention':>19}"
    )
    for row in ing["blocks"]:
        print(
            f"{row['articles']:>15} {row['events_in_store']:>8} {row['block_articles_per_s']:>11.0f} "
            f"{row['fusion_ms_per_1000_mentions']:>24.0f} {row['add_ms_per_1000_mentions']:>29.0f}"
            f" {row['candidates_per_mention']:>19.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    p.add_argument(
        "--articles", type=int, default=10_000, help="articles for the store + fusion ingest"
    )
    p.add_argument("--e2e", type=int, default=300, help="articles for the end-to-end run (0: skip)")
    p.add_argument(
        "--events", type=int, default=100_000, help="events in the query database (0: skip)"
    )
    p.add_argument("--repeat", type=int, default=30, help="runs of each query")
    p.add_argument(
        "--workdir", type=Path, help="where the databases go (default: a temporary folder)"
    )
    p.add_argument("--json", type=Path, help="also write the figures to this file")
    args = p.parse_args(argv)

    from sitrep.pipeline import Extractor

    report: dict[str, Any] = {"machine": machine()}
    print(f"machine: {_machine.describe(report['machine'])}; SQLite {report['machine']['sqlite']}")
    work = args.workdir or Path(tempfile.mkdtemp(prefix="sitrep-store-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    stories = load_stories(args.stories)
    extractor = Extractor.load()
    t = time.perf_counter()
    pairs = list(extractor.extract_batch(stories))
    print(
        f"extracted {sum(len(e) for _, e in pairs)} events from {len(pairs)} stories in {time.perf_counter() - t:.1f} s"
    )

    def step(name: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        result = fn()
        report[name] = result
        return result

    if args.articles:
        report_ingest(
            step("ingest", lambda: bench_ingest(pairs, args.articles, work / "ingest.db"))
        )
    if args.e2e:
        e2e = step("end_to_end", lambda: bench_end_to_end(stories, args.e2e, work / "e2e.db"))
        print(
            f"\nend to end (extractor + store): {e2e['articles']} articles in {e2e['seconds']:.1f} s = {e2e['articles_per_s']:.1f} articles/s"
        )
    if args.events:
        built = step("query_db", lambda: build_query_db(pairs, args.events, work / "query.db"))
        print(
            f"\nquery database: {built['events']} events ({built['mentions']} mentions) built in {built['seconds']:.0f} s, {built['db_mb']:.0f} MB"
        )
        queries = step("queries", lambda: bench_queries(work / "query.db", args.repeat))
        print(
            f"{'query':>16} {'matches':>8} {'page p50':>9} {'page p95':>9} {'count p50':>10} {'count p95':>10}  (ms; page = first 100)"
        )
        for name, q in queries.items():
            print(
                f"{name:>16} {q['matches']:>8} {q['page_p50_ms']:>9.1f} {q['page_p95_ms']:>9.1f} "
                f"{q['count_p50_ms']:>10.1f} {q['count_p95_ms']:>10.1f}"
            )
    report["machine"]["load_average_end"] = _machine.load_average()
    print(
        f"\nload average at the end: {report['machine']['load_average_end']}; databases in {work}"
    )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
