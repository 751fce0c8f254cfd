"""What the commands share: the model, database and filter options, input walking with failures
reported as one line each, output formats from file extensions, and atomic output files."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import IO, Any

from sitrep.errors import SitrepError
from sitrep.ingest import iter_articles, iter_items
from sitrep.ingest.files import Item
from sitrep.models import Article, Failure
from sitrep.runner.work import ExtractorSettings

EXIT_INTERRUPTED = 130
EXAMPLES = "examples/voa-examples.jsonl"  # inside the package: public-domain VOA stories
EXT_FORMATS = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".geojson": "geojson",
    ".parquet": "parquet",
    ".txt": "table",
}


def add_model_options(p: argparse.ArgumentParser) -> None:
    """The options that choose the extractor's models (``extract``, ``article``, ``ingest``, ``watch``)."""
    p.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        help="spaCy pipeline to use (default: the pinned en_core_web_sm 3.8)",
    )
    p.add_argument(
        "--gazetteer", metavar="PATH", help="gazetteer database (default: built in the user cache)"
    )
    p.add_argument(
        "--typer",
        metavar="DIR",
        help="learned event typer: a folder from 'sitrep train', 'sitrep' for sitrep's own (default), 'none' for the rules alone",
    )
    add_budget_option(p)


def add_budget_option(p: argparse.ArgumentParser) -> None:
    """``--budget SECONDS``: the time one article may take."""
    p.add_argument(
        "--budget",
        type=_seconds,
        metavar="SECONDS",
        help="time one article may take before it is skipped with one line; 0: no limit "
        "(default: $SITREP_BUDGET, else 30)",
    )


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds >= 0:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}")
    return seconds


def add_db_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db", metavar="FILE", help="the event database (default: $SITREP_DB, else ./sitrep.db)"
    )


def add_inputs(p: argparse.ArgumentParser, what: str) -> None:
    """The INPUT arguments and ``--examples``."""
    p.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="files, directories or - for stdin (text, HTML, JSON, JSONL)",
    )
    p.add_argument(
        "--examples",
        action="store_true",
        help=f"also {what} the example stories bundled with sitrep",
    )


def settings_from(args: argparse.Namespace, events_only: bool = True) -> ExtractorSettings:
    """The worker settings the command line asks for."""
    return ExtractorSettings(
        model=getattr(args, "model", None),
        gazetteer=getattr(args, "gazetteer", None),
        fast=not getattr(args, "full_parse", False),
        events_only=events_only,
        typer=getattr(args, "typer", None),
        debug=getattr(args, "debug", False),
        budget=budget_from(args),
    )


def budget_from(args: argparse.Namespace) -> float | None:
    """Seconds per article: ``--budget``, else ``SITREP_BUDGET``, else the default; None: no limit."""
    given = getattr(args, "budget", None)
    if given is not None:
        return given or None
    from sitrep.settings import settings

    return settings().budget_s


def _examples() -> Iterator[Article | Failure]:
    with resources.as_file(resources.files("sitrep").joinpath("data", EXAMPLES)) as path:
        yield from iter_articles([str(path)])


def iter_inputs(args: argparse.Namespace) -> Iterator[Article | Failure]:
    """Articles from the command's inputs (and the bundled examples when asked)."""
    if getattr(args, "examples", False):
        yield from _examples()
    if args.inputs:
        yield from iter_articles(list(args.inputs), stdin=sys.stdin.buffer)


def iter_work(args: argparse.Namespace) -> Iterator[Item]:
    """Like ``iter_inputs``, with WARC and JSONL files streamed as raw pages and records."""
    if getattr(args, "examples", False):
        yield from _examples()
    if args.inputs:
        yield from iter_items(list(args.inputs), stdin=sys.stdin.buffer)


def report(failure: Failure) -> None:
    """One line on standard error for a failed input."""
    print(f"sitrep: {failure.input}: {failure.problem}", file=sys.stderr)


def usage(command: str, message: str) -> int:
    print(f"sitrep {command}: {message}", file=sys.stderr)
    return 2


def output_format(path: str, chosen: str | None) -> str:
    """The format of an output file: the one chosen (unless table), else from its extension."""
    if chosen and chosen != "table":
        return chosen
    return EXT_FORMATS.get(Path(path).suffix.lower(), "jsonl")


def write_atomically(
    path: Path, write: Callable[[IO[str]], Any], binary: Callable[[str], Any] | None = None
) -> Any:
    """Write through a temporary file in the same folder, then rename: never a half-written output.

    ``write`` gets the open text file; ``binary``, when given, gets the temporary path instead.
    Returns what the writer returned.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        if binary is not None:
            result = binary(str(tmp))
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                result = write(f)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SitrepError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return result
