"""The event typer on the held-aside test set (``corpus/test/heldout.jsonl``), per genre and overall.

Reports event-detection precision/recall/F1, sub-type accuracy, weighted and macro F1 and the
false-alarm rate on negatives for:
- ``typer``: sitrep's typer alone (or ``--typer DIR``) on each text;
- ``pipeline``: the whole extractor with the typer (each text as an undated one-text article: the
  items carry their own dates, and a made-up publication date would turn later ones into plans; its
  first event's sub-type, or none);
- ``rules``: the whole extractor without the typer (``--typer none``), the figure before this work.
Writes the typer's confusion matrix as a PNG. Only aggregate figures are printed: the held-aside
items are never shown one by one, and nothing here is used for tuning.

    python bench/event_typing.py                      # all three
    python bench/event_typing.py --skip-pipelines     # the typer alone (seconds)
    python bench/event_typing.py --record             # also record the typer's weighted F1 in bench/floors.json
    python bench/event_typing.py --dev                # for tuning: the dev split of corpus/train/, with a
                                                # typer trained on the rest (the test set untouched)
    python bench/event_typing.py --dev --wrap         # each dev text between a preamble and a closing
                                                # (boilerplate must not change what a text reports)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _machine  # noqa: E402

from sitrep.typer import bundled_typer_path, load_typer  # noqa: E402
from sitrep.typer.corpus import LabeledText, read_labeled  # noqa: E402
from sitrep.typer.evaluate import by_genre, confusion_png, evaluate, summary_lines  # noqa: E402
from sitrep.typer.labels import NONE  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEST = ROOT / "corpus" / "test" / "heldout.jsonl"
FLOORS = ROOT / "bench" / "floors.json"


# Boilerplate written for this bench: generic, in no one country, used only to wrap dev texts.
_PREAMBLES = (
    "In line with its constitutional mandate, the ministry informs the public of the following.",
    "Our organisation continues to follow the situation closely and shares this update.",
    "The command wishes to inform citizens and partners about recent developments.",
    "This statement is issued in the interest of transparency and public safety.",
    "Residents have been asking for news, and the district office provides it below.",
    "As part of its regular monitoring, the team compiled the following information.",
)
_CLOSINGS = (
    "We call on the population to remain calm and to cooperate with the authorities.",
    "Further details will be shared as soon as they are confirmed.",
    "The authorities thank their partners for their continued support.",
    "Anyone with information is asked to contact the nearest police station.",
    "We remain committed to the protection of civilians and to the rule of law.",
    "Our thoughts are with the families, and we will not rest until order is restored.",
)


def wrapped(items: list[LabeledText]) -> list[LabeledText]:
    """Every text with a preamble before it and a closing after it (chosen by position)."""
    out = []
    for i, it in enumerate(items):
        text = f"{_PREAMBLES[i % len(_PREAMBLES)]} {it.text.strip()}"
        if not text.endswith((".", "!", "?")):
            text += "."
        out.append(replace(it, text=f"{text} {_CLOSINGS[(i // 2) % len(_CLOSINGS)]}"))
    return out


def pipeline_labels(items: list[LabeledText], typer: str | None) -> list[str]:
    """The first event's sub-type (or none) the whole extractor gives each text."""
    from sitrep.ingest import article_from_record
    from sitrep.pipeline import Extractor

    extractor = Extractor.load(typer=typer)
    articles = [article_from_record({"id": f"t{i}", "text": it.text}) for i, it in enumerate(items)]
    out = []
    for _, events in extractor.extract_batch(articles):
        current = [e for e in events if not e.background] or events
        out.append(current[0].sub_event_type if current else NONE)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--typer", metavar="DIR", help="a typer folder (default: sitrep's own)")
    p.add_argument("--test", type=Path, default=TEST)
    p.add_argument("--dev", action="store_true", help="score on the dev split (for tuning)")
    p.add_argument("--wrap", action="store_true", help="wrap each text in boilerplate")
    p.add_argument("--skip-pipelines", action="store_true")
    p.add_argument("--confusion", type=Path, default=ROOT / "bench" / "out" / "typer-confusion.png")
    p.add_argument("--json", type=Path, help="write every figure as JSON")
    p.add_argument(
        "--record", action="store_true", help="record the typer's weighted F1 as the floor"
    )
    args = p.parse_args()
    if args.dev and (args.record or args.typer):
        p.error("--dev trains its own typer and records nothing")
    print("sitrep typing bench  machine: " + _machine.describe(_machine.machine()))
    if args.dev:
        from typer_designs import dev_split

        from sitrep.typer.train import train_typer

        train, items = dev_split()
        args.typer = str(Path(tempfile.mkdtemp(prefix="sitrep-dev-typer-")) / "typer")
        train_typer(train, meta={"trained_by": "bench/event_typing.py --dev"}).save(args.typer)
        print(f"dev split: {len(items)} items, {sum(it.is_event for it in items)} events ", end="")
        print(f"(typer trained on the other {len(train)})\n")
    else:
        items = read_labeled(args.test)
        print(
            f"held-aside test set: {len(items)} items, {sum(it.is_event for it in items)} events\n"
        )
    if args.wrap:
        items = wrapped(items)
        print("each text between a preamble and a closing\n")
    typer = load_typer(args.typer or bundled_typer_path())
    print(f"typer: {args.typer or bundled_typer_path()} (data {typer.meta.get('data_version')})")
    t0 = time.perf_counter()
    reports = {"typer": evaluate(typer, items)}
    print(f"typer: {len(items) / (time.perf_counter() - t0):.0f} texts/s\n")
    if not args.skip_pipelines:
        for name, setting in (("pipeline", args.typer or "sitrep"), ("rules", "none")):
            t0 = time.perf_counter()
            reports[name] = by_genre(items, pipeline_labels(items, setting))
            print(f"{name}: {len(items) / (time.perf_counter() - t0):.1f} texts/s")
    for name, report in reports.items():
        print(f"\n== {name}")
        print("\n".join(summary_lines(report, per_class=name == "typer")))
    title = "dev split" if args.dev else "held-aside test set"
    confusion_png(reports["typer"], args.confusion, title=f"sitrep typer, {title}")
    print(f"\nconfusion matrix: {args.confusion}")
    if args.json:
        args.json.write_text(json.dumps(reports, indent=2) + "\n", encoding="utf-8")
    if args.record:
        floors = json.loads(FLOORS.read_text(encoding="utf-8"))
        floors["typer_heldout"] = {
            "weighted_f1": round(reports["typer"]["overall"]["weighted_f1"], 4),
            "data_version": typer.meta.get("data_version"),
        }
        FLOORS.write_text(json.dumps(floors, indent=2) + "\n", encoding="utf-8")
        print(f"recorded in {FLOORS}")
    print(f"load average at end {_machine.load_average()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
