"""``sitrep extract`` and ``sitrep article``: events (and how sitrep reads a page) from articles."""

from __future__ import annotations

import argparse
import csv
import json
import logging
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sitrep.cli.common import (
    add_inputs,
    add_model_options,
    iter_inputs,
    iter_work,
    output_format,
    report,
    settings_from,
    usage,
    write_atomically,
)
from sitrep.columns import acled_row, columns_for
from sitrep.export import write_events
from sitrep.models import ArticleReport, Event, Failure
from sitrep.runner.work import DEFAULT_CHUNK

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
    if not args.inputs and not args.examples:
        print(
            "sitrep extract: give at least one INPUT (or - for stdin, or --examples)",
            file=sys.stderr,
        )
        return 2
    if args.jobs < 1:
        return usage("extract", "--jobs must be at least 1")
    fmt = args.format or ("table" if sys.stdout.isatty() or args.output else "jsonl")
    out_fmt = None
    if args.output:
        out_fmt = output_format(args.output, args.format)
        if out_fmt not in EXTRACT_FORMATS:
            out_fmt = "jsonl"
    counts = _Counts()

    def run(file: IO[str] | None) -> None:
        sinks = [ReportSink(sys.stdout, fmt)]
        if file is not None:
            sinks.append(ReportSink(file, out_fmt or "jsonl"))
        for r in _reports(args, counts):
            for sink in sinks:
                sink.add(r)
        for sink in sinks:
            sink.close()

    if args.output:
        write_atomically(Path(args.output), run)
        print(
            f"sitrep: wrote {counts.events} events from {counts.articles} articles to {args.output}",
            file=sys.stderr,
        )
    else:
        run(None)
    return 1 if counts.failures else 0


@dataclass
class _Counts:
    articles: int = 0
    events: int = 0
    failures: int = 0


def _reports(args: argparse.Namespace, counts: _Counts) -> Iterator[ArticleReport]:
    """Each input's report as soon as it is extracted; each failure gets its line on the way."""
    from sitrep.runner.ingest import IngestOptions, extract_results

    options = IngestOptions(jobs=args.jobs, chunk_size=4 if args.jobs > 1 else DEFAULT_CHUNK)
    settings = settings_from(args, events_only=False)
    for r in extract_results(iter_work(args), settings, options):
        if isinstance(r, Failure):
            counts.failures += 1
            report(r)
        elif isinstance(r, ArticleReport):
            counts.articles += 1
            counts.events += len(r.events)
            log.info("%s: %d events", r.article.source or r.article.id, len(r.events))
            yield r


class ReportSink:
    """Writes reports as they come: JSON and JSONL line by line, CSV row by row; a table and a
    GeoJSON collection hold their events until ``close``."""

    def __init__(self, out: IO[str], fmt: str) -> None:
        self.out = out
        self.fmt = fmt
        self.held: list[Event] = []
        self.csv: csv.DictWriter[str] | None = None

    def add(self, r: ArticleReport) -> None:
        if self.fmt == "json":
            self.out.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
        elif self.fmt == "jsonl":
            write_events(r.events, self.out, "jsonl")
        elif self.fmt == "csv":
            for ev in r.events:
                self._csv_writer(ev).writerow(acled_row(ev))
        else:
            self.held.extend(r.events)

    def _csv_writer(self, first: Event | None) -> csv.DictWriter[str]:
        if self.csv is None:
            self.csv = csv.DictWriter(self.out, fieldnames=columns_for(first), lineterminator="\n")
            self.csv.writeheader()
        return self.csv

    def close(self) -> None:
        if self.fmt == "csv":
            self._csv_writer(None)  # a header even when no event was found
        elif self.fmt in ("table", "geojson"):
            write_events(self.held, self.out, self.fmt)
        self.out.flush()


def cmd_article(args: argparse.Namespace) -> int:
    failures = 0
    articles = []
    for item in iter_inputs(args):
        if isinstance(item, Failure):
            failures += 1
            report(item)
            continue
        articles.append(item)
    reports: list[ArticleReport] = [ArticleReport(a) for a in articles]
    if not args.no_extract:
        from sitrep.runner.local import run_local

        reports = []
        for r in run_local(settings_from(args, events_only=False)(), articles):
            if isinstance(r, Failure):
                failures += 1
                report(r)
            else:
                reports.append(r)
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
