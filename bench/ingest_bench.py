"""Measure bulk ingest: articles/s in one process, on every core, and on a Dask LocalCluster.

Usage:
    python bench/ingest_bench.py                                  # 10,000 articles, every mode once
    python bench/ingest_bench.py --articles 2000 --runs 3 --json ingest.json
    python bench/ingest_bench.py --modes pool1 pool2 --no-store   # extraction only, no database

The corpus: the VOA stories repeated with new ids, URLs and small variations (the publication date
moves one day per copy, and each copy ends with its own closing line, so no two texts are the same
and the store keeps them all) up to ``--articles``, written once as JSONL.

Modes, each run in a fresh process (so peak memory is its own) over the same corpus, through the
same code ``sitrep ingest`` runs (reading JSONL, resume check, runner, single writer to a fresh
SQLite store):
- single: ``--jobs 1``: the Extractor in the writer's process;
- pool1, pool2: the worker pool with 1 and 2 worker processes (the parent only reads and writes);
- dask2: a Dask LocalCluster of 2 worker processes, results streamed back to the writer.
Rates count from the moment the workers are ready (their start-up is shown apart) to the last
article stored; "cpu" is the parent's CPU time per article. The machine's load average is printed
at the start and end of every run: other work on the machine lowers every figure.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

from _machine import describe, load_average, machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl"
MODES = ("single", "pool1", "pool2", "dask2")


# ---------------------------------------------------------------- corpus


def build_corpus(stories: Path, n: int, out: Path) -> dict[str, Any]:
    """Write N article records (copies of the VOA stories with small variations) to ``out``."""
    from sitrep.ingest.metadata import parse_datetime

    with stories.open(encoding="utf-8") as f:
        base = [json.loads(line) for line in f if line.strip()]
    chars = 0
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            rec = dict(base[i % len(base)])
            copy = i // len(base)
            if copy:
                rec["id"] = f"{rec['id']}-{copy}"
                rec["url"] = (
                    f"{rec.get('url') or 'https://example.org/' + str(rec['id'])}?copy={copy}"
                )
                when = parse_datetime(rec.get("published"))
                if when is not None:
                    rec["published"] = (when + timedelta(days=copy)).isoformat()
                rec["text"] = (
                    f"{rec['text'].rstrip()}\n\nThis is copy {copy} of the story, sent again for the benchmark."
                )
            chars += len(rec["text"])
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    return {"articles": n, "stories": len(base), "mean_chars": round(chars / n), "file": str(out)}


# ---------------------------------------------------------------- one run (a child process)


class NullStore:
    """Stands in for the store with ``--no-store``: remembers nothing, writes nothing."""

    path = ":none:"

    def find_article(self, article: Any) -> None:
        return None

    def add_article(self, article: Any, events: Sequence[Any]) -> Any:
        from sitrep.store import AddResult

        return AddResult(article_id=0, added=True, mentions=len(events))


def run_child(mode: str, corpus: Path, db: Path | None, chunk: int) -> dict[str, Any]:
    """One timed ingest of the corpus in this process; returns the figures."""
    from sitrep.ingest import iter_items as iter_work
    from sitrep.runner.ingest import StoreWriter
    from sitrep.runner.progress import IngestStats, Progress
    from sitrep.runner.work import ExtractorSettings, cpu_seconds, peak_rss_mb

    settings = ExtractorSettings(events_only=True)
    store: Any = NullStore()
    if db is not None:
        from sitrep.store import Store

        store = Store.open(db)
    stats = IngestStats()
    writer = StoreWriter(store, stats, Progress(stats, enabled=False))
    load_avg = load_average()
    t0 = time.perf_counter()
    runner: Any = None
    if mode == "single":
        from sitrep.runner.local import run_local

        extractor = settings()
        ready = time.perf_counter()
        c0 = time.process_time()
        results = run_local(extractor, writer.fresh(iter_work([str(corpus)])), chunk_size=chunk)
    elif mode.startswith("pool"):
        from sitrep.runner.pool import WorkerPool

        runner = WorkerPool(settings, int(mode[4:]))
        runner.start()
        ready = time.perf_counter()
        c0 = time.process_time()
        results = runner.map(writer.fresh(iter_work([str(corpus)])), chunk_size=chunk)
    else:
        from sitrep.runner.dask_runner import DaskRunner

        runner = DaskRunner("local", settings, jobs=int(mode[4:]))
        runner.start()
        dask_cpu_at_ready = runner.client.run(cpu_seconds)
        ready = time.perf_counter()
        c0 = time.process_time()
        results = runner.map(writer.fresh(iter_work([str(corpus)])), chunk_size=chunk)
    for result in results:
        writer.write(result)
    end = time.perf_counter()
    parent_cpu = time.process_time() - c0
    workers: dict[str, float] = {}
    worker_cpu = 0.0
    if mode.startswith("pool"):
        r = runner.report
        worker_cpu = sum(r.cpu_s[pid] - r.load_cpu_s.get(pid, 0.0) for pid in r.cpu_s)
    elif mode.startswith("dask"):
        now = runner.client.run(cpu_seconds)
        worker_cpu = sum(now[a] - dask_cpu_at_ready.get(a, 0.0) for a in now)
    if runner is not None:
        workers = {str(k): v for k, v in runner.report.peak_rss_mb.items()}
        runner.close()
    if db is not None:
        store.close()
    n = stats.stored + stats.duplicates + stats.failed
    return {
        "mode": mode,
        "articles": n,
        "stored": stats.stored,
        "failed": stats.failed,
        "event_reports": stats.events,
        "startup_s": round(ready - t0, 2),
        "run_s": round(end - ready, 2),
        "articles_per_s": round(n / (end - ready), 2),
        "parent_cpu_ms_per_article": round(1000 * parent_cpu / max(n, 1), 2),
        "worker_cpu_ms_per_article": round(1000 * worker_cpu / max(n, 1), 2),
        "parent_peak_rss_mb": round(peak_rss_mb(), 1),
        "worker_peak_rss_mb": sorted(workers.values()),
        "load_average_start": load_avg,
        "load_average_end": load_average(),
    }


# ---------------------------------------------------------------- the report


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median rate per mode, the speed-ups, and the largest worker memory."""
    by_mode: dict[str, list[dict[str, Any]]] = {}
    for r in runs:
        by_mode.setdefault(r["mode"], []).append(r)
    out: dict[str, Any] = {}
    for mode, rs in by_mode.items():
        rss = [x for r in rs for x in (r["worker_peak_rss_mb"] or [r["parent_peak_rss_mb"]])]
        out[mode] = {
            "articles_per_s": round(statistics.median(r["articles_per_s"] for r in rs), 2),
            "rates": [r["articles_per_s"] for r in rs],
            "best_articles_per_s": max(r["articles_per_s"] for r in rs),
            "peak_rss_mb_per_worker": max(rss) if rss else None,
            "parent_peak_rss_mb": max(r["parent_peak_rss_mb"] for r in rs),
            "startup_s": round(statistics.median(r["startup_s"] for r in rs), 2),
            "parent_cpu_ms_per_article": round(
                statistics.median(r["parent_cpu_ms_per_article"] for r in rs), 2
            ),
            "worker_cpu_ms_per_article": round(
                statistics.median(r["worker_cpu_ms_per_article"] for r in rs), 2
            ),
            "event_reports": rs[-1]["event_reports"],
            "failed": rs[-1]["failed"],
        }
    for mode, v in out.items():
        v["idle_machine_estimate"] = _capacity(mode, v)
    rate = {m: v["articles_per_s"] for m, v in out.items()}
    if rate.get("pool1") and rate.get("pool2"):
        out["speedup_pool2_over_pool1"] = round(rate["pool2"] / rate["pool1"], 2)
        best = out["pool2"]["best_articles_per_s"] / out["pool1"]["best_articles_per_s"]
        out["speedup_pool2_over_pool1_best_runs"] = round(best, 2)
    if rate.get("single") and rate.get("pool2"):
        out["speedup_pool2_over_single"] = round(rate["pool2"] / rate["single"], 2)
    return out


def _capacity(mode: str, v: dict[str, Any]) -> float | None:
    """Articles/s the run's CPU time per article allows on an otherwise idle machine.

    single: everything in one process on one core; pool1: the worker on one core, the reader and
    writer on the other; pool2/dask2: the whole CPU time spread over the two cores.
    """
    parent, worker = v["parent_cpu_ms_per_article"], v["worker_cpu_ms_per_article"]
    if mode == "single":
        return round(1000 / parent, 1) if parent else None
    if mode == "pool1":
        return round(1000 / max(parent, worker), 1) if worker else None
    return round(2000 / (parent + worker), 1) if worker else None


def render(result: dict[str, Any]) -> str:
    m, c, s = result["machine"], result["corpus"], result["summary"]
    lines = [
        f"sitrep ingest benchmark  {m['when']}",
        f"machine: {describe(m)}",
        f"corpus: {c['articles']} articles from {c['stories']} VOA stories (copies with small variations), "
        f"{c['mean_chars']} characters on average; store: {result['store']}; chunk {result['chunk']}; "
        f"{result['runs']} run(s) per mode, median shown",
        "",
        f"{'mode':<8}{'articles/s':>11}{'runs':>22}{'start s':>8}{'CPU ms/article':>16}"
        f"{'idle est.':>10}{'peak RSS MB/worker':>19}{'parent MB':>10}{'event reports':>14}",
        f"{'':<8}{'':>11}{'':>22}{'':>8}{'parent+workers':>16}{'art/s':>10}",
    ]
    for mode in MODES:
        if mode not in s:
            continue
        v = s[mode]
        cpu = f"{v['parent_cpu_ms_per_article']}+{v['worker_cpu_ms_per_article']}"
        lines.append(
            f"{mode:<8}{v['articles_per_s']:>11}{str(v['rates']):>22}{v['startup_s']:>8}{cpu:>16}"
            f"{str(v['idle_machine_estimate']):>10}{str(v['peak_rss_mb_per_worker']):>19}"
            f"{v['parent_peak_rss_mb']:>10}{v['event_reports']:>14}"
        )
    if "speedup_pool2_over_pool1" in s:
        lines.append(
            f"speed-up, 2 worker processes over 1 (measured): {s['speedup_pool2_over_pool1']}x"
        )
    if "speedup_pool2_over_pool1_best_runs" in s and result["runs"] > 1:
        lines.append(
            f"speed-up, 2 worker processes over 1, best run of each (least disturbed): "
            f"{s['speedup_pool2_over_pool1_best_runs']}x"
        )
    if "speedup_pool2_over_single" in s:
        lines.append(
            f"speed-up, 2 worker processes over the single process (measured): "
            f"{s['speedup_pool2_over_single']}x"
        )
    est = {m: s[m]["idle_machine_estimate"] for m in ("pool1", "pool2") if m in s}
    if est.get("pool1") and est.get("pool2"):
        lines.append(
            f"speed-up, 2 worker processes over 1, from CPU time (an idle machine): "
            f"{est['pool2'] / est['pool1']:.2f}x"
        )
    lines.append("load average (1, 5, 15 min) at the start and end of each run:")
    for r in result["runs_detail"]:
        lines.append(
            f"  {r['mode']:<8}{r['load_average_start']} -> {r['load_average_end']}  ({r['run_s']} s)"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=10_000)
    p.add_argument("--runs", type=int, default=1, help="runs of each mode (median shown)")
    p.add_argument("--modes", nargs="+", default=list(MODES), choices=MODES)
    p.add_argument("--chunk", type=int, default=16, help="articles per task")
    p.add_argument("--no-store", action="store_true", help="extraction only: no database writes")
    p.add_argument("--stories", type=Path, default=DEFAULT_STORIES)
    p.add_argument("--corpus", type=Path, help="reuse this corpus JSONL instead of building one")
    p.add_argument("--json", type=Path, help="write the figures to this JSON file")
    p.add_argument("--child", choices=MODES, help=argparse.SUPPRESS)
    p.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    p.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        result = run_child(args.child, args.corpus, args.db, args.chunk)
        args.out.write_text(json.dumps(result) + "\n", encoding="utf-8")
        return 0
    info = machine()
    with tempfile.TemporaryDirectory(prefix="sitrep-bench-") as tmp:
        corpus_file = args.corpus or Path(tmp) / "corpus.jsonl"
        if args.corpus is None:
            corpus = build_corpus(args.stories, args.articles, corpus_file)
        else:
            n = sum(1 for line in corpus_file.open(encoding="utf-8") if line.strip())
            corpus = {"articles": n, "stories": "?", "mean_chars": "?", "file": str(corpus_file)}
        runs = []
        for run in range(args.runs):
            for mode in args.modes:
                out = Path(tmp) / f"{mode}-{run}.json"
                cmd = [
                    sys.executable,
                    __file__,
                    "--child",
                    mode,
                    "--corpus",
                    str(corpus_file),
                    "--chunk",
                    str(args.chunk),
                    "--out",
                    str(out),
                ]
                if not args.no_store:
                    cmd += ["--db", str(Path(tmp) / f"{mode}-{run}.db")]
                subprocess.run(cmd, check=True)
                r = json.loads(out.read_text(encoding="utf-8"))
                runs.append(r)
                print(
                    f"{mode} run {run + 1}: {r['articles_per_s']} articles/s ({r['run_s']} s, load {r['load_average_end']})",
                    file=sys.stderr,
                )
    result = {
        "machine": info,
        "corpus": corpus,
        "store": "none (--no-store)" if args.no_store else "a fresh SQLite store per run",
        "chunk": args.chunk,
        "runs": args.runs,
        "runs_detail": runs,
        "summary": summarise(runs),
    }
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
