"""The ``sitrep`` command line: parse arguments, call the library, format the result.

Exit status: 0 all inputs processed; 1 at least one input failed (the others were processed);
2 bad usage; 3 a fatal error (pipeline or gazetteer could not be loaded, output not writable).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import IO, Any

from sitrep import __version__
from sitrep.errors import SitrepError
from sitrep.models import Article, ArticleReport, Failure

log = logging.getLogger("sitrep")

EXAMPLES = "examples/voa-examples.jsonl"  # inside the package: public-domain VOA stories
_EXT_FORMATS = {
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".geojson": "geojson",
    ".txt": "table",
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sitrep",
        description="Turn news about armed conflict into ACLED-style events, offline.",
    )
    p.add_argument("--version", action="version", version=f"sitrep {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-vv for debug logs)"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    ex = sub.add_parser("extract", help="extract events from articles")
    ex.add_argument(
        "inputs",
        nargs="*",
        metavar="INPUT",
        help="files, directories or - for stdin (text, HTML, JSON, JSONL)",
    )
    ex.add_argument(
        "--examples",
        action="store_true",
        help="also run on the example stories bundled with sitrep",
    )
    ex.add_argument(
        "-f",
        "--format",
        choices=["table", "jsonl", "csv", "geojson", "json"],
        help="output format (default: table on a terminal, jsonl otherwise); json: one report per article with its events, statements and assessments",
    )

    ex.add_argument(
        "-j", "--jobs", type=int, default=1, metavar="N", help="worker processes (default 1)"
    )
    ex.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="also write the events to FILE (format from its extension, or --format)",
    )
    _model_args(ex)

    ar = sub.add_parser(
        "article",
        help="show how sitrep reads an article (metadata, cleaned text, removed boilerplate)",
    )
    ar.add_argument("inputs", nargs="+", metavar="INPUT")
    ar.add_argument("-f", "--format", choices=["json", "text"], default="json")
    ar.add_argument(
        "--no-extract",
        action="store_true",
        help="only read the article (no events, statements or assessments)",
    )
    _model_args(ar)

    _add_optional_commands(sub)
    return p


def _model_args(p: argparse.ArgumentParser) -> None:
    from sitrep.runner.commands import add_model_options

    add_model_options(p)


def _add_optional_commands(sub: Any) -> None:
    """Commands contributed by the other layers: store, geoparsing and gazetteer, HTTP server."""
    from sitrep.api import commands as api_commands
    from sitrep.geo import commands as geo_commands
    from sitrep.runner import commands as runner_commands
    from sitrep.store import commands as store_commands

    store_commands.add_parsers(sub)  # ingest, events, rebuild, stats
    runner_commands.add_parsers(sub)  # watch
    geo_commands.add_parsers(sub)  # gazetteer, geoparse
    api_commands.add_parsers(sub)  # serve


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.command:
        parser.print_help()
        return 2
    try:
        handler = (
            getattr(args, "handler", None)
            or {"extract": cmd_extract, "article": cmd_article}[args.command]
        )
        return int(handler(args))
    except SitrepError as exc:
        if args.debug:
            raise
        print(f"sitrep: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("sitrep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line unless --debug
        if args.debug:
            raise
        print(
            f"sitrep: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 3


def iter_inputs(args: argparse.Namespace) -> Iterator[Article | Failure]:
    """Articles from the command's inputs (and the bundled examples when asked)."""
    from sitrep.ingest import iter_articles

    inputs = list(args.inputs)
    if getattr(args, "examples", False):
        with resources.as_file(resources.files("sitrep").joinpath("data", EXAMPLES)) as path:
            yield from iter_articles([str(path)])
    if inputs:
        yield from iter_articles(inputs, stdin=sys.stdin.buffer)


def _report(failure: Failure) -> None:
    print(f"sitrep: {failure.input}: {failure.problem}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    from sitrep.pipeline import Extractor

    if not args.inputs and not args.examples:
        print(
            "sitrep extract: give at least one INPUT (or - for stdin, or --examples)",
            file=sys.stderr,
        )
        return 2
    fmt = args.format or ("table" if sys.stdout.isatty() or args.output else "jsonl")
    out_fmt = None
    if args.output:
        suffix = Path(args.output).suffix.lower()
        out_fmt = (
            args.format
            if args.format and args.format != "table"
            else _EXT_FORMATS.get(suffix, "jsonl")
        )
    failures = 0
    articles = []
    for item in iter_inputs(args):
        if isinstance(item, Failure):
            failures += 1
            _report(item)
            continue
        articles.append(item)
    if args.jobs > 1:
        from sitrep.runner.commands import report_articles

        reports = []
        for r in report_articles(articles, args):
            if isinstance(r, Failure):
                failures += 1
                _report(r)
            else:
                reports.append(r)
    else:
        reports = list(Extractor.load(args.model, args.gazetteer).report_batch(articles))
    for r in reports:
        log.info("%s: %d events", r.article.source or r.article.id, len(r.events))
    _write_reports(reports, sys.stdout, fmt)
    if args.output:
        _write_atomically(
            Path(args.output), lambda f: _write_reports(reports, f, out_fmt or "jsonl")
        )
        n = sum(len(r.events) for r in reports)
        print(
            f"sitrep: wrote {n} events from {len(reports)} articles to {args.output}",
            file=sys.stderr,
        )
    return 1 if failures else 0


def _write_reports(reports: list[ArticleReport], out: IO[str], fmt: str) -> None:
    from sitrep.export import write_events

    if fmt == "json":
        for r in reports:
            out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        return
    write_events([e for r in reports for e in r.events], out, fmt)


def cmd_article(args: argparse.Namespace) -> int:
    failures = 0
    articles = []
    for item in iter_inputs(args):
        if isinstance(item, Failure):
            failures += 1
            _report(item)
            continue
        articles.append(item)
    if args.no_extract:
        reports = [ArticleReport(a) for a in articles]
    else:
        from sitrep.pipeline import Extractor

        reports = list(Extractor.load(args.model, args.gazetteer).report_batch(articles))
    for r in reports:
        if args.format == "json":
            print(json.dumps(r.to_dict(), ensure_ascii=False, indent=2))
        else:
            print(_article_text(r))
    return 1 if failures else 0


def _article_text(r: ArticleReport) -> str:
    a = r.article
    lines = [
        f"title:     {a.title or '-'}",
        f"published: {a.published.isoformat() if a.published else '-'}",
        f"author:    {a.author or '-'}",
        f"publisher: {a.publisher or '-'}",
        f"url:       {a.url or '-'}",
        f"source:    {a.source or '-'}",
        f"removed:   {len(a.removed)} pieces ({', '.join(sorted({x.kind for x in a.removed})) or 'none'})",
        f"events:    {len(r.events)}",
    ]
    for x in r.assessments:
        p = f" {x.probability}" if x.probability else ""
        lines.append(f"assessed:  [{x.kind}{p}] {x.speaker or '-'}: {x.text}")
    lines += ["", a.text]
    return "\n".join(lines)


def _write_atomically(path: Path, write: Any) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written output."""
    from sitrep.errors import SitrepError

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as f:
            write(f)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SitrepError(f"cannot write {path}: {exc.strerror or exc}") from exc


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
