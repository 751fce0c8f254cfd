"""``sitrep train`` and ``sitrep evaluate``: train an event typer from labelled data, score one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sitrep.typer.corpus import CorpusError, LabeledText, read_many


def add_parsers(sub: Any) -> None:
    """Register ``train`` and ``evaluate``."""
    tr = sub.add_parser(
        "train",
        help="train an event typer from labelled texts (JSONL) or an ACLED export (CSV)",
        description=(
            "Train a typer on DATA added to sitrep's own multi-genre corpus (or on DATA alone with "
            '--only-given). JSONL lines are {"text", "sub_event_type"} ("none" for a text that '
            "reports no event); CSV files are ACLED exports (notes, event_type, sub_event_type)."
        ),
    )
    tr.add_argument("data", nargs="+", metavar="DATA", help="labelled .jsonl or ACLED .csv files")
    tr.add_argument("-o", "--output", required=True, metavar="DIR", help="folder for the typer")
    tr.add_argument(
        "--only-given",
        action="store_true",
        help="train on DATA alone, without sitrep's corpus (then DATA needs negatives)",
    )
    tr.add_argument("--seed", type=int, default=13, help="random seed (default 13)")
    tr.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar (default: when standard error is a terminal)",
    )
    tr.set_defaults(handler=cmd_train)

    ev = sub.add_parser(
        "evaluate",
        help="score a typer on labelled data: per-class P/R/F1, weighted and macro F1, confusion matrix",
    )
    ev.add_argument("data", nargs="+", metavar="DATA", help="labelled .jsonl or ACLED .csv files")
    ev.add_argument("--typer", metavar="DIR", help="the typer to score (default: sitrep's own)")
    ev.add_argument(
        "--report",
        default="typer-report.json",
        metavar="FILE",
        help="JSON report (default %(default)s)",
    )
    ev.add_argument(
        "--confusion",
        default="typer-confusion.png",
        metavar="FILE",
        help="confusion-matrix picture (default %(default)s)",
    )
    ev.set_defaults(handler=cmd_evaluate)


def _read(paths: list[str], command: str) -> list[LabeledText] | None:
    try:
        return read_many(paths)
    except CorpusError as err:
        print(f"sitrep {command}: {err}", file=sys.stderr)
        return None


def cmd_train(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from sitrep.typer.train import TrainSettings, train_typer
    from sitrep.typer.trainset import bundled_items

    given = _read(args.data, "train")
    if given is None:
        return 1
    items = given if args.only_given else [*bundled_items(), *given]
    labels = {it.label for it in items}
    if len(labels) < 2:
        print("sitrep train: the data has fewer than two labels; nothing to learn", file=sys.stderr)
        return 1
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    meta = {
        "trained_on": [str(Path(p)) for p in args.data],
        "with_sitrep_corpus": not args.only_given,
    }
    with Progress(disable=not show, transient=True) as bar:
        task = bar.add_task("training", total=1.0)

        def progress(what: str, done: float) -> None:
            bar.update(task, completed=done, description=what)

        typer = train_typer(items, TrainSettings(seed=args.seed), progress, meta)
    typer.save(args.output)
    print(
        f"sitrep: trained a typer on {len(items)} texts ({len(given)} given, "
        f"{len(items) - len(given)} from sitrep's corpus; {len(labels)} labels) into {args.output}",
        file=sys.stderr,
    )
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from sitrep.typer import bundled_typer_path, load_typer
    from sitrep.typer.evaluate import confusion_png, evaluate, summary_lines, write_json

    items = _read(args.data, "evaluate")
    if items is None:
        return 1
    typer = load_typer(args.typer or bundled_typer_path())
    report = evaluate(typer, items)
    print("\n".join(summary_lines(report)))
    write_json(report, args.report)
    confusion_png(report, args.confusion, title=Path(args.typer or "sitrep typer").name)
    print(f"sitrep: wrote {args.report} and {args.confusion}", file=sys.stderr)
    return 0
