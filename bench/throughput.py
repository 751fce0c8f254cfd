"""Measure sitrep's speed (articles per second) and peak memory on the VOA stories.

Usage:
    python bench/throughput.py                     # 400 articles, 3 runs of each measurement
    python bench/throughput.py --articles 100 --runs 1 --workers 1 2 --json speed.json

Three measurements:
- one process: ``Extractor.load`` then ``extract_batch`` over all the articles, in this process;
- a pool: ``multiprocessing.Pool`` with one Extractor per worker (loaded in the initializer, not
  timed), fed chunks of articles; run with 1 worker, 2 workers and every core;
- the command line: wall time of ``sitrep extract ONE_FILE --format jsonl``, start-up included.
Rates are medians over the runs. Peak memory is each process's peak resident set size.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing as mp
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import _machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_STORIES = ROOT.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl"
THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

_extractor: Any = None  # one per pool worker, set by _init_worker


# ---------------------------------------------------------------- memory and machine


def peak_rss_mb() -> float | None:
    """This process's peak resident set size in MB (getrusage, else /proc VmHWM, else psutil)."""
    try:
        kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if kb:
            return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024
    except (OSError, ValueError):
        pass
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import psutil  # type: ignore[import-untyped]

        return float(psutil.Process().memory_info().rss) / (1024 * 1024)  # current, not peak
    except ImportError:
        return None


def machine() -> dict[str, Any]:
    """The machine (``_machine.machine``) and the thread settings the numbers depend on."""
    return {**_machine.machine(), "threads": {v: os.environ.get(v) for v in THREAD_VARS}}


# ---------------------------------------------------------------- corpus


def load_corpus(path: Path, n: int) -> tuple[list[Any], int]:
    """N articles: the VOA stories turned into Articles, repeated (with fresh ids) up to N."""
    from sitrep.ingest import article_from_record  # type: ignore[attr-defined]

    with path.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    if not records:
        raise SystemExit(f"no stories in {path}")
    base = [article_from_record(r) for r in records]
    articles = []
    for i in range(n):
        a = base[i % len(base)]
        articles.append(
            a if i < len(base) else dataclasses.replace(a, id=f"{a.id}-{i // len(base)}")
        )
    return articles, min(n, len(base))


def chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    """Consecutive slices of ``size`` items."""
    for i in range(0, len(items), size):
        yield list(items[i : i + size])


# ---------------------------------------------------------------- one process


def run_one_process(
    articles: Sequence[Any], model: str | None, runs: int, typer: str | None = None
) -> dict[str, Any]:
    """Load one Extractor here and time ``extract_batch`` over all the articles, ``runs`` times."""
    from sitrep.pipeline import Extractor  # type: ignore[attr-defined]

    t0 = time.perf_counter()
    extractor = Extractor.load(model, typer=typer)
    load_s = time.perf_counter() - t0
    rates, events = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        events = sum(len(evs) for _, evs in extractor.extract_batch(articles))
        rates.append(len(articles) / (time.perf_counter() - t0))
    return {
        "load_s": round(load_s, 2),
        "rates": [round(r, 2) for r in rates],
        "articles_per_s": round(statistics.median(rates), 2),
        "events": events,
        "peak_rss_mb": _mb(peak_rss_mb()),
    }


# ---------------------------------------------------------------- pool


def _init_worker(model: str | None, ready: Any, typer: str | None = None) -> None:
    """Pool initializer: load this worker's Extractor, then say so."""
    global _extractor
    from sitrep.pipeline import Extractor  # type: ignore[attr-defined]

    t0 = time.perf_counter()
    try:
        _extractor = Extractor.load(model, typer=typer)
    except Exception as e:
        ready.put((os.getpid(), None, f"{type(e).__name__}: {e}"))
        raise
    ready.put((os.getpid(), time.perf_counter() - t0, None))


def _work(batch: list[Any]) -> tuple[int, int, int, float | None]:
    """Extract one chunk; return articles, events, this worker's pid and its peak RSS."""
    events = sum(len(evs) for _, evs in _extractor.extract_batch(batch))
    return len(batch), events, os.getpid(), peak_rss_mb()


def run_pool(
    articles: Sequence[Any],
    model: str | None,
    workers: int,
    runs: int,
    chunk: int,
    method: str,
    typer: str | None = None,
) -> dict[str, Any]:
    """Time a pool of ``workers`` processes over all the articles, ``runs`` times."""
    ctx = mp.get_context(method)
    ready = ctx.Queue()
    t0 = time.perf_counter()
    with ctx.Pool(workers, initializer=_init_worker, initargs=(model, ready, typer)) as pool:
        loads = []
        for _ in range(workers):
            _, load_s, problem = ready.get(timeout=600)
            if problem:
                pool.terminate()
                raise SystemExit(f"a worker could not load the Extractor: {problem}")
            loads.append(load_s)
        startup_s = time.perf_counter() - t0
        rates: list[float] = []
        events = 0
        peaks: dict[int, float] = {}
        for _ in range(runs):
            t0 = time.perf_counter()
            events = 0
            for _, n_events, pid, rss in pool.imap_unordered(_work, chunks(articles, chunk)):
                events += n_events
                peaks[pid] = max(peaks.get(pid) or 0.0, rss or 0.0)
            rates.append(len(articles) / (time.perf_counter() - t0))
    return {
        "workers": workers,
        "startup_s": round(startup_s, 2),
        "load_s": round(max(loads), 2),
        "rates": [round(r, 2) for r in rates],
        "articles_per_s": round(statistics.median(rates), 2),
        "events": events,
        "peak_rss_mb_per_worker": sorted(_mb(v) for v in peaks.values()),
    }


# ---------------------------------------------------------------- command line


def run_cli(article: Any, runs: int, typer: str | None = None) -> dict[str, Any]:
    """Wall time and peak RSS of ``sitrep extract ONE_FILE --format jsonl``, start-up included."""
    exe = shutil.which("sitrep")
    if exe is None:
        return {"error": "no `sitrep` command on PATH"}
    times, peaks, events = [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        story = Path(tmp) / f"{article.id}.txt"
        story.write_text(article.text + "\n", encoding="utf-8")
        out, err = Path(tmp) / "out.jsonl", Path(tmp) / "err.txt"
        cmd = [exe, "extract", str(story), "--format", "jsonl"]
        if typer:
            cmd += ["--typer", typer]
        for _ in range(runs):
            with out.open("wb") as fout, err.open("wb") as ferr:
                t0 = time.perf_counter()
                proc = subprocess.Popen(cmd, stdout=fout, stderr=ferr, stdin=subprocess.DEVNULL)
                _, status, usage = os.wait4(proc.pid, 0)
                times.append(time.perf_counter() - t0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                tail = err.read_text(errors="replace").strip().splitlines()[-3:]
                return {
                    "error": f"exit {proc.returncode}: {' | '.join(tail)}",
                    "command": " ".join(cmd),
                }
            peaks.append(usage.ru_maxrss / 1024)
            events = sum(1 for line in out.read_text().splitlines() if line.strip())
    return {
        "command": "sitrep extract ONE_FILE --format jsonl",
        "chars": len(article.text),
        "times_s": [round(t, 3) for t in times],
        "wall_s": round(statistics.median(times), 3),
        "events": events,
        "peak_rss_mb": _mb(max(peaks)),
    }


# ---------------------------------------------------------------- output


def _mb(v: float | None) -> float | None:
    return None if v is None else round(v, 1)


def render(r: dict[str, Any]) -> str:
    """The readable report."""
    m, c = r["machine"], r["corpus"]
    threads = (
        ", ".join(f"{k}={v}" for k, v in m["threads"].items() if v) or "thread variables unset"
    )
    lines = [
        f"sitrep throughput  {m['when']}",
        f"machine: {_machine.describe(m)}; {threads}",
        f"corpus: {c['articles']} articles (from {c['stories']} VOA stories, repeated with new ids), "
        f"{c['mean_chars']:.0f} characters on average; {r['runs']} runs, median shown",
        "",
        f"{'run':<30}{'articles/s':>12}{'runs':>30}{'peak RSS MB':>22}",
    ]
    one = r.get("one_process")
    if one:
        lines.append(
            f"{'one process (load ' + str(one['load_s']) + ' s)':<30}{one['articles_per_s']:>12}"
            f"{str(one['rates']):>30}{str(one['peak_rss_mb']):>22}"
        )
    for p in r.get("pools", []):
        label = f"pool, {p['workers']} worker{'s' if p['workers'] > 1 else ''} ({p['chunk']}/chunk)"
        rss = ", ".join(str(x) for x in p["peak_rss_mb_per_worker"])
        lines.append(f"{label:<30}{p['articles_per_s']:>12}{str(p['rates']):>30}{rss:>22}")
    if r.get("scaling_2_over_1") is not None:
        lines.append(f"2-worker / 1-worker rate: {r['scaling_2_over_1']:.2f}x")
    cli = r.get("cli")
    if cli:
        lines.append("")
        if "error" in cli:
            lines.append(f"command line: failed: {cli['error']}")
        else:
            lines.append(
                f"command line, one {cli['chars']}-character story: {cli['wall_s']} s wall "
                f"(median of {cli['times_s']}), {cli['events']} events, peak RSS {cli['peak_rss_mb']} MB"
            )
    lines.append(
        f"this process's peak RSS: {r['main_peak_rss_mb']} MB; load average at end {r['load_average_at_end']}"
    )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--articles", type=int, default=400, help="articles per run (default 400)")
    p.add_argument("--runs", type=int, default=3, help="runs of each measurement (default 3)")
    p.add_argument(
        "--workers", type=int, nargs="+", help="pool sizes (default: 1, 2 and all cores)"
    )
    p.add_argument("--chunk", type=int, default=8, help="articles per pool task (default 8)")
    p.add_argument("--start-method", default="spawn", choices=mp.get_all_start_methods())
    p.add_argument("--model", help="model name passed to Extractor.load")
    p.add_argument("--typer", help="typer passed to Extractor.load ('none': the rules alone)")
    p.add_argument("--stories", type=Path, default=DEFAULT_STORIES, help="the VOA stories JSONL")
    p.add_argument("--skip", nargs="+", default=[], choices=["one", "pool", "cli"])
    p.add_argument("--json", type=Path, help="write the numbers to this JSON file")
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print, and optionally write JSON."""
    args = parse_args(argv)
    info = machine()
    articles, n_stories = load_corpus(args.stories, args.articles)
    result: dict[str, Any] = {
        "machine": info,
        "runs": args.runs,
        "corpus": {
            "articles": len(articles),
            "stories": n_stories,
            "mean_chars": sum(len(a.text) for a in articles) / len(articles),
            "file": str(args.stories),
        },
    }
    if "pool" not in args.skip:
        sizes = args.workers or sorted({1, 2, info["nproc"]})
        result["pools"] = []
        for w in sizes:
            res = run_pool(
                articles, args.model, w, args.runs, args.chunk, args.start_method, args.typer
            )
            res["chunk"] = args.chunk
            result["pools"].append(res)
            print(f"pool of {w}: {res['articles_per_s']} articles/s", file=sys.stderr)
        rate = {p["workers"]: p["articles_per_s"] for p in result["pools"]}
        if rate.get(1) and rate.get(2):
            result["scaling_2_over_1"] = round(rate[2] / rate[1], 3)
    if "cli" not in args.skip:
        result["cli"] = run_cli(articles[0], args.runs, args.typer)
    if "one" not in args.skip:  # last, so the model it loads here inflates no other number
        result["one_process"] = run_one_process(articles, args.model, args.runs, args.typer)
    result["main_peak_rss_mb"] = _mb(peak_rss_mb())
    result["load_average_at_end"] = _machine.load_average()
    print(render(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
