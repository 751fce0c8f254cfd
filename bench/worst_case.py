"""Time and peak memory of one article against its size, on the inputs that used to stall sitrep.

Usage:
    python bench/worst_case.py                               # 10 KB to 2 MB, three families
    python bench/worst_case.py --sizes 10 40 --family long   # a quick look

Families:
- ``long``: one long event sentence ("gunmen killed 3 people in Kabul and " repeated);
- ``short``: many short event sentences ("Police arrested a man. " repeated);
- ``news``: ordinary news repeated (the bundled VOA example stories, one after another).

Each size runs in a fresh subprocess (the extractor loaded there, not timed), so that the peak
resident set size is that article's. The table gives seconds, seconds per KB, peak RSS, events and
any cap reported; then the ratio of cost per KB between the largest and the smallest size of each
family. Targets (issue 14): that ratio under 2, a 2 MB text under 60 s on one core, peak under 1 GB.
The per-article time budget is off here, so that the whole text is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import _machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "src" / "sitrep" / "data" / "examples" / "voa-examples.jsonl"
FAMILIES = ("long", "short", "news")
SIZES_KB = (10, 40, 160, 640, 2048)
ONE_CORE = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def text_of(family: str, kb: int) -> str:
    """The family's text cut to ``kb`` kilobytes (at a whole repeat)."""
    if family == "long":
        unit = "gunmen killed 3 people in Kabul and "
        head, tail = "", "the police said."
    elif family == "short":
        unit = "Police arrested a man. "
        head, tail = "", ""
    else:
        stories = [json.loads(line)["text"] for line in EXAMPLES.read_text().splitlines() if line]
        unit = "\n\n".join(stories) + "\n\n"
        head, tail = "", ""
    size = kb * 1024
    body = unit * (size // len(unit) + 1)
    return head + body[: size - len(tail)].rsplit(" ", 1)[0] + " " + tail


def measure_one(family: str, kb: int) -> dict[str, Any]:
    """Load the extractor, then time one article of this family and size (run in a subprocess)."""
    import resource
    import time

    from sitrep.models import Article
    from sitrep.pipeline import Extractor

    extractor = Extractor.load(budget=None)  # the whole text is measured
    extractor.extract(Article(id="warm", text="Gunmen killed three people in Kabul on Monday."))
    text = text_of(family, kb)
    t0 = time.perf_counter()
    cpu0 = time.process_time()
    report = extractor.report(Article(id=f"{family}-{kb}", text=text))
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "family": family,
        "kb": kb,
        "chars": len(text),
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_mb": peak_kb / 1024,
        "events": len(report.events),
        "evidence": max((len(e.evidence) for e in report.events), default=0),
        "capped": list(report.capped) + ([report.skipped] if report.skipped else []),
    }


def run_sizes(families: list[str], sizes: list[int]) -> list[dict[str, Any]]:
    rows = []
    env = {**os.environ, **ONE_CORE}
    for family in families:
        for kb in sizes:
            out = subprocess.run(
                [sys.executable, __file__, "--one", family, str(kb)],
                capture_output=True,
                text=True,
                env=env,
                check=False,
            )
            if out.returncode != 0:
                print(out.stderr[-2000:], file=sys.stderr)
                rows.append({"family": family, "kb": kb, "error": out.returncode})
                continue
            row = json.loads(out.stdout.strip().splitlines()[-1])
            rows.append(row)
            print(_line(row), flush=True)
    return rows


def _line(row: dict[str, Any]) -> str:
    if "error" in row:
        return f"{row['family']:<6} {row['kb']:>6} KB  failed (exit {row['error']})"
    capped = "; ".join(row["capped"]) or "-"
    return (
        f"{row['family']:<6} {row['kb']:>6} KB {row['seconds']:>8.2f} s "
        f"{1000 * row['seconds'] / row['kb']:>8.1f} ms/KB {row['peak_mb']:>8.0f} MB "
        f"{row['events']:>6} {row['evidence']:>8}  {capped}"
    )


def ratios(rows: list[dict[str, Any]]) -> dict[str, float]:
    """Per family: cost per KB at the largest size over cost per KB at the smallest."""
    out = {}
    for family in dict.fromkeys(r["family"] for r in rows):
        ok = sorted(
            (r for r in rows if r["family"] == family and "error" not in r), key=lambda r: r["kb"]
        )
        if len(ok) >= 2:
            small, large = ok[0], ok[-1]
            out[family] = (large["seconds"] / large["kb"]) / (small["seconds"] / small["kb"])
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--family", nargs="+", choices=FAMILIES, default=list(FAMILIES))
    ap.add_argument("--sizes", nargs="+", type=int, default=list(SIZES_KB), metavar="KB")
    ap.add_argument("--json", type=Path, help="write the rows to this JSON file")
    ap.add_argument("--one", nargs=2, metavar=("FAMILY", "KB"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(measure_one(args.one[0], int(args.one[1]))))
        return 0
    print(_machine.describe(_machine.machine()))
    print(
        f"{'family':<6} {'size':>9} {'time':>10} {'cost':>13} {'peak':>11} {'events':>6} {'evidence':>8}  capped"
    )
    rows = run_sizes(args.family, args.sizes)
    ratio = ratios(rows)
    for family, r in ratio.items():
        print(f"{family}: cost per KB at {max(args.sizes)} KB / at {min(args.sizes)} KB = {r:.2f}")
    print(f"load average at end: {_machine.load_average()}")
    if args.json:
        args.json.write_text(
            json.dumps({"machine": _machine.machine(), "rows": rows, "ratio": ratio}, indent=1)
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
