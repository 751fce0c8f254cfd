"""Measure the HTTP API under load and the analyst's page's time to first render.

Usage:
    python bench/api_bench.py                                   # 100,000 events for the API, 50,000 for the page
    python bench/api_bench.py --events 20000 --page-events 5000 --seconds 10 --json api.json
    python bench/api_bench.py --skip-page                       # the API only (no Chromium needed)

Two measurements, each against a real uvicorn server in its own process on 127.0.0.1:
- API latency: ``--threads`` threads, each with its own httpx client, send the main list query
  (``GET /api/events``, 100 per page) with and without filters, until ``--requests`` requests or
  ``--seconds`` seconds per scenario, whichever comes first; p50/p95/p99 and requests per second.
- The page: headless Chromium (``/usr/bin/chromium`` via Playwright) loads ``/`` on a store of
  ``--page-events`` events and waits for ``body[data-ready]``; the figure is ``data-render-ms``
  (milliseconds from navigation start until the map, timeline and list are drawn). "cold" is the
  first load after the server starts with nothing prepared; "warm" the loads after it (the map's
  payload is cached until the database changes; ``sitrep serve`` prepares it at start-up). Also a
  redraw of all the points (what a pan or zoom costs) and the payload size.
The stores are seeded with synthetic events through ``Store.add_article`` (``tests/seeding.py``) and
kept in ``--db-dir`` for the next run. Every request goes to 127.0.0.1 only, bounded in count and time.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "bench"), str(ROOT / "tests")]  # neither folder is a package

from _machine import describe, load_average, machine  # noqa: E402

SCENARIOS: dict[str, dict[str, Any]] = {
    "no filter": {"limit": 100},
    "type + 3 months": {
        "event_type": "Battles",
        "date_from": "2024-01-01",
        "date_to": "2024-03-31",
        "limit": 100,
    },
    "country + min sources": {"country": "Country 7", "min_sources": 1, "limit": 100},
    "bbox + status": {"bbox": "0,0,40,30", "status": "reported", "limit": 100},
    "text search": {"text": "Place 4242", "limit": 100},
    "deep page": {"limit": 100, "offset": 50_000},
    "geojson": {"limit": 100, "format": "geojson"},
}
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def seeded_db(db_dir: Path, n: int) -> Path:
    """A store with ``n`` synthetic events, built once and reused."""
    from seeding import seed_synthetic

    from sitrep.store import Store

    path = db_dir / f"bench-{n}.db"
    if path.exists():
        Store.open(path).close()  # brings a store from an older sitrep up to the current schema
        with Store.open(path, readonly=True) as store:
            if store.stats().articles == n:
                return path
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    db_dir.mkdir(parents=True, exist_ok=True)
    tmp = db_dir / f"bench-{n}.partial.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    print(f"seeding {n} events into {path} (once) ...", file=sys.stderr, flush=True)
    with Store.open(tmp) as store:
        seed_synthetic(store, n)
    print(f"  seeded in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    os.replace(tmp, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{tmp}{suffix}").unlink(missing_ok=True)
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``api_bench.py --serve`` in a child process: the store read-only behind uvicorn on 127.0.0.1."""

    def __init__(self, db: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(db), "--port", str(self.port)],
            stdout=subprocess.DEVNULL,
        )

    def __enter__(self) -> Server:
        import httpx

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("the server process ended")
            try:
                if httpx.get(f"{self.base}/api/meta", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start in 60 s")

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def serve(db: str, port: int) -> None:
    """The child process: no warm-up, so the first page load is a cold one."""
    import uvicorn

    from sitrep.api import ApiSettings, create_app
    from sitrep.store import Store

    store = Store.open(db, readonly=True)
    uvicorn.run(
        create_app(store, ApiSettings()),
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def load(
    base: str, params: dict[str, Any], threads: int, requests: int, seconds: float
) -> dict[str, Any]:
    """Latencies of ``GET /api/events`` from ``threads`` concurrent clients, bounded in count and time."""
    import httpx

    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sent = 0
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal sent
        with httpx.Client(base_url=base, timeout=30) as client:
            client.get("/api/events", params=params)  # connection and first-use costs, not timed
            while time.monotonic() < deadline:
                with lock:
                    if sent >= requests:
                        return
                    sent += 1
                t0 = time.perf_counter()
                try:
                    r = client.get("/api/events", params=params)
                    ok = r.status_code == 200
                    detail = f"{r.status_code}"
                except httpx.HTTPError as exc:
                    ok, detail = False, type(exc).__name__
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    (latencies.append(elapsed) if ok else errors.append(detail))

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    wall = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "p50_ms": round(percentile(latencies, 50), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 99), 1) if latencies else None,
        "max_ms": round(max(latencies), 1) if latencies else None,
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "rps": round(len(latencies) / wall, 1),
    }


def bench_api(db: Path, threads: int, requests: int, seconds: float) -> dict[str, Any]:
    import httpx

    results: dict[str, Any] = {}
    with Server(db) as server:
        total = httpx.get(f"{server.base}/api/health", timeout=30).json()["events"]
        print(
            f"API on {total} events, {threads} threads, up to {requests} requests or {seconds:g} s each",
            file=sys.stderr,
        )
        for name, params in SCENARIOS.items():
            matched = httpx.get(
                f"{server.base}/api/events", params={**params, "limit": 0}, timeout=30
            ).json()["total"]
            res = load(server.base, params, threads, requests, seconds)
            res["matching"] = matched
            results[name] = res
            print(
                f"  {name:24} {res['requests']:5} req  p50 {res['p50_ms']:7} ms  p95 {res['p95_ms']:7} ms  "
                f"{res['rps']:6} req/s  ({matched} match, {res['errors']} errors)",
                file=sys.stderr,
            )
    return {"events": total, "threads": threads, "scenarios": results}


def bench_page(db: Path, loads: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit(
            f"{CHROMIUM} is missing: apt-get install -y chromium (or run with --skip-page)"
        )
    out: dict[str, Any] = {"render_ms": [], "redraw_ms": None}
    with Server(db) as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        for i in range(loads):
            context = browser.new_context(viewport={"width": 1400, "height": 860})
            page = context.new_page()
            page.goto(f"{server.base}/")
            page.wait_for_selector("body[data-ready='1']", timeout=120_000)
            ms = int(page.get_attribute("body", "data-render-ms") or -1)
            drawn = int(page.get_attribute("canvas[data-testid=points]", "data-drawn") or -1)
            out["render_ms"].append(ms)
            out["points"] = drawn
            if i == 0:
                sizes = page.evaluate(
                    "performance.getEntriesByType('resource').filter(e => e.name.includes('/api/points'))"
                    ".map(e => [e.encodedBodySize, Math.round(e.responseEnd - e.requestStart)])"
                )
                out["payload_bytes"], out["cold_payload_ms"] = sizes[0] if sizes else (None, None)
                page.screenshot(path=str(ROOT / "test-artifacts" / "bench-page.png"))
            if i == loads - 1:
                out["redraw_ms"] = page.evaluate(
                    """() => { const layer = window.sitrep.state.points; const t = [];
                       for (let k = 0; k < 20; k++) { const t0 = performance.now(); layer.draw();
                         t.push(performance.now() - t0); }
                       t.sort((a, b) => a - b); return Math.round(t[10] * 10) / 10; }"""
                )
            context.close()
        browser.close()
    out["cold_ms"] = out["render_ms"][0]
    warm = out["render_ms"][1:]
    out["warm_median_ms"] = statistics.median(warm) if warm else None
    print(
        f"page with {out['points']} events: first render cold {out['cold_ms']} ms, warm median "
        f"{out['warm_median_ms']} ms (all: {out['render_ms']}); redraw of every point {out['redraw_ms']} ms; "
        f"payload {out['payload_bytes']} bytes",
        file=sys.stderr,
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=100_000, help="events in the API's store")
    ap.add_argument("--page-events", type=int, default=50_000, help="events in the page's store")
    ap.add_argument("--threads", type=int, default=8, help="concurrent clients")
    ap.add_argument("--requests", type=int, default=2_000, help="most requests per scenario")
    ap.add_argument("--seconds", type=float, default=30.0, help="most seconds per scenario")
    ap.add_argument("--loads", type=int, default=4, help="page loads (the first is cold)")
    ap.add_argument(
        "--db-dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "sitrep-bench"
    )
    ap.add_argument("--skip-page", action="store_true")
    ap.add_argument("--skip-api", action="store_true")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument("--serve", metavar="DB", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return 0
    (ROOT / "test-artifacts").mkdir(exist_ok=True)
    report: dict[str, Any] = {"machine": machine()}
    print(f"machine: {describe(report['machine'])}", file=sys.stderr)
    if not args.skip_api:
        report["api"] = bench_api(
            seeded_db(args.db_dir, args.events), args.threads, args.requests, args.seconds
        )
    if not args.skip_page:
        report["page"] = bench_page(seeded_db(args.db_dir, args.page_events), args.loads)
    report["loadavg_end"] = load_average()
    print(f"load average at the end: {report['loadavg_end']}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
