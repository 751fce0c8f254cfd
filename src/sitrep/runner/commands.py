"""Command-line glue for bulk runs: the ``ingest`` options (``--jobs``, ``--dask``, ``--from-parquet``,
``--progress``), the ingest loop with its single writer, ``extract --jobs``, and ``sitrep watch``.

``sitrep.store.commands`` owns the ``ingest`` command; it calls ``add_ingest_options(parser)`` and
hands its open store to ``run_ingest(args, store)``.
"""

from __future__ import annotations

import argparse
import glob
import logging
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

from sitrep.ingest.raw import Page, Record
from sitrep.models import Article, ArticleReport, Failure
from sitrep.runner.progress import IngestStats, Progress, graceful_interrupt
from sitrep.runner.records import Written
from sitrep.runner.work import DEFAULT_CHUNK, ExtractorSettings, Result, Work, item_name

log = logging.getLogger(__name__)

EXIT_INTERRUPTED = 130


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def add_model_options(p: argparse.ArgumentParser) -> None:
    """Add the options that choose the extractor's models (``extract``, ``article``, ``ingest``)."""
    p.add_argument(
        "--model",
        metavar="NAME_OR_PATH",
        help="spaCy pipeline to use (default: the pinned en_core_web_sm 3.8)",
    )
    p.add_argument(
        "--gazetteer", metavar="PATH", help="gazetteer database (default: built in the user cache)"
    )


def add_ingest_options(p: argparse.ArgumentParser) -> None:
    """Add the bulk-run options to the ``ingest`` command's parser."""
    g = p.add_argument_group("bulk and cluster runs")
    g.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help=f"worker processes, each with its own pipeline (default: all {usable_cores()} cores; 1: in this process)",
    )
    g.add_argument(
        "--chunk-size",
        type=int,
        default=DEFAULT_CHUNK,
        metavar="N",
        help=f"articles per task (default {DEFAULT_CHUNK})",
    )
    g.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run extraction on a Dask cluster: tcp://SCHEDULER:8786, or 'local' for a LocalCluster of --jobs workers",
    )
    g.add_argument(
        "--parquet-out",
        metavar="DIR",
        help="with --dask: workers write Parquet partitions to DIR (shared storage) instead of sending results back",
    )
    g.add_argument(
        "--from-parquet",
        metavar="DIR",
        help="load the Parquet partitions a --parquet-out run wrote into the database",
    )
    g.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress line (default: when standard error is a terminal)",
    )
    g.add_argument(
        "--full-parse",
        action="store_true",
        help="parse every sentence, not only those a trigger word may fire in (slower)",
    )


def add_parsers(sub: Any) -> None:
    """Register ``sitrep watch`` on the ``sitrep`` command's subparsers."""
    from sitrep.watch import add_watch_arguments

    w = sub.add_parser(
        "watch", help="poll RSS/Atom feeds and article URLs, and ingest new articles as they appear"
    )
    add_watch_arguments(w)
    w.add_argument(
        "--db", metavar="FILE", help="the event database (default: $SITREP_DB, else ./sitrep.db)"
    )
    add_model_options(w)
    w.set_defaults(handler=cmd_watch)


def settings_from(args: argparse.Namespace, events_only: bool = True) -> ExtractorSettings:
    """The worker settings the command line asks for."""
    return ExtractorSettings(
        model=getattr(args, "model", None),
        gazetteer=getattr(args, "gazetteer", None),
        fast=not getattr(args, "full_parse", False),
        events_only=events_only,
    )


# -- inputs ------------------------------------------------------------------------------------


def iter_work(
    inputs: Sequence[str], *, examples: bool = False, stdin: BinaryIO | None = None
) -> Iterator[Work]:
    """Articles, raw pages and records, and failures, in input order.

    WARC and JSONL files are streamed whatever their size, and their pages and records are cleaned
    later, in a worker; other inputs go through ``iter_articles`` here.
    """
    from sitrep.ingest import iter_articles
    from sitrep.ingest.files import _GLOB, JSONL_SUFFIXES, STDIN, list_directory
    from sitrep.ingest.raw import iter_jsonl
    from sitrep.ingest.warc import is_warc, iter_warc_pages

    def streamed(name: str) -> bool:
        return is_warc(name) or Path(name).suffix.lower() in JSONL_SUFFIXES

    if examples:
        from sitrep.cli import EXAMPLES

        with resources.as_file(resources.files("sitrep").joinpath("data", EXAMPLES)) as path:
            yield from iter_articles([str(path)])
    for item in inputs:
        path = Path(item)
        if item == STDIN:
            files: list[str] = []
        elif _GLOB.search(item) and not path.exists():
            files = sorted(glob.glob(item, recursive=True))
        elif path.is_dir():
            files = [str(f) for f in list_directory(path)]
        else:
            files = [item]
        if not any(streamed(f) and Path(f).is_file() for f in files):
            # including the inputs' own failures: nothing matches, no such file, ...
            yield from iter_articles([item], stdin=stdin)
            continue
        for name in files:
            if is_warc(name):
                yield from iter_warc_pages(name)
            elif streamed(name):
                yield from iter_jsonl(name)
            else:
                yield from iter_articles([name])


# -- the writer --------------------------------------------------------------------------------


class StoreWriter:
    """The only code of a run that writes: it stores each result as it arrives and keeps the totals."""

    def __init__(self, store: Any, stats: IngestStats, progress: Progress) -> None:
        self.store = store
        self.stats = stats
        self.progress = progress

    def fresh(self, items: Iterable[Work]) -> Iterator[Work]:
        """The items not yet in the store (a resumed run skips what an earlier run stored)."""
        for item in items:
            if not isinstance(item, Failure):
                self.stats.read += 1
                if self._stored(item):
                    self.stats.skipped += 1
                    log.info("%s: already stored", item_name(item))
                    self.progress.update()
                    continue
            yield item

    def _stored(self, item: Article | Page | Record) -> bool:
        if isinstance(item, Page | Record):  # not cleaned yet: only its URL can tell
            if not item.url:
                return False
            item = Article(id="", text="", url=item.url)
        return self.store.find_article(item) is not None

    def write(self, result: Result | Written) -> None:
        """Store one result (or count it)."""
        s = self.stats
        if isinstance(result, Failure):
            s.failed += 1
            self.progress.note(f"sitrep: {result.input}: {result.problem}")
        elif isinstance(result, Written):
            s.written += 1
            s.events += result.events
        else:
            added = self.store.add_article(result.article, result.events)
            if not added.added:
                s.duplicates += 1
                log.info("%s: already stored (same %s)", item_name(result), added.duplicate)
            else:
                s.stored += 1
                s.events += added.mentions
                s.new_events += added.new_events
                s.updated_events += added.updated_events
                log.info(
                    "%s: %d event reports, %d new events",
                    item_name(result),
                    added.mentions,
                    added.new_events,
                )
        self.progress.update()


# -- ingest ------------------------------------------------------------------------------------


def run_ingest(args: argparse.Namespace, store: Any) -> int:
    """Run ``sitrep ingest`` into an open store: 0 all went well, 1 some input failed, 130 interrupted."""
    stats = IngestStats()
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    jobs = args.jobs or usable_cores()
    if args.jobs is not None and args.jobs < 1:
        print("sitrep ingest: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.parquet_out and not args.dask:
        print("sitrep ingest: --parquet-out needs --dask", file=sys.stderr)
        return 2
    with graceful_interrupt() as stop, Progress(stats, show) as progress:
        writer = StoreWriter(store, stats, progress)
        for result in _results(args, writer, jobs, stop):
            writer.write(result)
    if args.parquet_out:
        where = f"into Parquet partitions in {args.parquet_out}"
    else:
        totals = store.stats()
        where = (
            f"into {store.path}, which holds {totals.events} events from {totals.articles} articles"
        )
    print(f"sitrep: {stats.summary()} {where}", file=sys.stderr)
    if stop.requested:
        print(
            "sitrep: interrupted; run the same command again to go on where it stopped",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return 1 if stats.failed else 0


def _results(
    args: argparse.Namespace, writer: StoreWriter, jobs: int, stop: Any
) -> Iterator[Result | Written]:
    """The results of the runner the options choose."""
    if args.from_parquet:
        from sitrep.runner.records import read_partitions

        for result in read_partitions(args.from_parquet):
            if stop():
                return
            yield result
        if not args.inputs and not getattr(args, "examples", False):
            return
    items = writer.fresh(
        iter_work(args.inputs, examples=getattr(args, "examples", False), stdin=sys.stdin.buffer)
    )
    settings = settings_from(args)
    if args.dask:
        from sitrep.runner.dask_runner import DaskRunner

        with DaskRunner(args.dask, settings, jobs=jobs, parquet_dir=args.parquet_out) as runner:
            yield from runner.map(items, chunk_size=args.chunk_size, stop=stop)
            log.info("Dask run: %s", runner.report)
    elif jobs > 1:
        from sitrep.runner.pool import WorkerPool

        with WorkerPool(settings, jobs) as pool:
            yield from pool.map(items, chunk_size=args.chunk_size, stop=stop)
            log.info("pool run: %s", pool.report)
    else:
        from sitrep.runner.local import run_local

        yield from run_local(settings(), items, chunk_size=args.chunk_size, stop=stop)


# -- extract --jobs ----------------------------------------------------------------------------


def report_articles(
    articles: Sequence[Article], args: argparse.Namespace
) -> list[ArticleReport | Failure]:
    """``sitrep extract --jobs N``: every article's report (statements too), from N worker processes."""
    from sitrep.runner.pool import WorkerPool

    jobs = max(1, min(args.jobs or usable_cores(), len(articles)))
    settings = settings_from(args, events_only=False)
    if jobs == 1:
        from sitrep.runner.local import run_local

        return list(run_local(settings(), articles))
    with WorkerPool(settings, jobs) as pool:
        return list(
            pool.map(
                articles, chunk_size=max(1, min(DEFAULT_CHUNK, len(articles) // (2 * jobs) or 1))
            )
        )


# -- watch -------------------------------------------------------------------------------------


def cmd_watch(args: argparse.Namespace) -> int:
    """``sitrep watch FEEDS.txt``: poll, extract and store until interrupted (or once)."""
    from sitrep.store import Store, default_path
    from sitrep.watch import Watcher, watch_config

    config = watch_config(args)
    with Store.open(args.db or default_path()) as store:
        extractor = settings_from(args)()
        with graceful_interrupt() as stop, Watcher(config, store, extractor) as watcher:
            watcher.run(once=args.once, stop=stop)
    if stop.requested:
        return EXIT_INTERRUPTED
    return 0
