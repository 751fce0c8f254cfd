"""``sitrep extract`` and ``sitrep article``: events (and how sitrep reads a page) from articles."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import IO, Any

from sitrep.cli.common import (
    add_inputs,
    add_model_options,
    iter_inputs,
    output_format,
    report,
    settings_from,
    write_atomically,
)
from sitrep.models import ArticleReport, Failure

log = logging.getLogger("sitrep")

EXTRACT_FORMATS = ["table", "jsonl", "csv", "geojson", "json"]


def add_parsers(sub: Any) -> None:
    """Register ``extract`` and ``article``."""
    ex = sub.add_parser("extract", help="extract events from articles")
    add_inputs(ex, "run on")
    ex.add_argument(
        "-f",
        "--format",
        choices=EXTRACT_FORMATS,
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
    add_model_options(ex)

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
    add_model_options(ar)
    ex.set_defaults(handler=cmd_extract)
    ar.set_defaults(handler=cmd_article)


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
        out_fmt = output_format(args.output, args.format)
        if out_fmt not in EXTRACT_FORMATS:
            out_fmt = "jsonl"
    failures = 0
    articles = []
    for item in iter_inputs(args):
        if isinstance(item, Failure):
            failures += 1
            report(item)
            continue
        articles.append(item)
    if args.jobs > 1:
        from sitrep.runner.ingest import report_articles, usable_cores

        reports = []
        settings = settings_from(args, events_only=False)
        for r in report_articles(articles, settings, args.jobs or usable_cores()):
            if isinstance(r, Failure):
                failures += 1
                report(r)
            else:
                reports.append(r)
    else:
        reports = list(
            Extractor.load(args.model, args.gazetteer, typer=args.typer).report_batch(articles)
        )
    for r in reports:
        log.info("%s: %d events", r.article.source or r.article.id, len(r.events))
    _write_reports(reports, sys.stdout, fmt)
    if args.output:
        write_atomically(
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
            report(item)
            continue
        articles.append(item)
    if args.no_extract:
        reports = [ArticleReport(a) for a in articles]
    else:
        from sitrep.pipeline import Extractor

        reports = list(
            Extractor.load(args.model, args.gazetteer, typer=args.typer).report_batch(articles)
        )
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
