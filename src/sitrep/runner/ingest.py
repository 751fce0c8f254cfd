"""Bulk ingest: extract with the runner the options choose, and store each result through one writer.

``run_ingest`` takes work items (from ``sitrep.ingest.iter_items``), an open store and the worker
settings; it returns the run's totals. The command line formats them.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from sitrep.ingest.raw import Page, Record
from sitrep.models import Article, Failure
from sitrep.runner.progress import IngestStats, Progress
from sitrep.runner.records import Written
from sitrep.runner.work import DEFAULT_CHUNK, ExtractorSettings, Result, Work, item_name
from sitrep.store import Store

log = logging.getLogger(__name__)


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass(frozen=True)
class IngestOptions:
    """Where and how a bulk run extracts."""

    jobs: int = 1
    chunk_size: int = DEFAULT_CHUNK
    dask: str | None = None  # a scheduler address, or "local"
    parquet_out: str | None = None  # with dask: workers write partitions here
    from_parquet: str | None = None  # load partitions an earlier run wrote
    progress: bool = False


class StoreWriter:
    """The only code of a run that writes: it stores each result as it arrives and keeps the totals."""

    def __init__(self, store: Store, stats: IngestStats, progress: Progress) -> None:
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


def run_ingest(
    items: Iterable[Work] | None,
    store: Store,
    settings: ExtractorSettings,
    options: IngestOptions,
    stop: Callable[[], bool] = lambda: False,
) -> IngestStats:
    """Extract ``items`` and store the results; partitions of ``options.from_parquet`` first.

    ``items`` None: only load the partitions (no pipeline is loaded).
    """
    stats = IngestStats()
    with Progress(stats, options.progress) as progress:
        writer = StoreWriter(store, stats, progress)
        for result in _results(items, writer, settings, options, stop):
            writer.write(result)
    return stats


def _results(
    items: Iterable[Work] | None,
    writer: StoreWriter,
    settings: ExtractorSettings,
    options: IngestOptions,
    stop: Callable[[], bool],
) -> Iterator[Result | Written]:
    """The results of the runner the options choose."""
    if options.from_parquet:
        from sitrep.runner.records import read_partitions

        for result in read_partitions(options.from_parquet):
            if stop():
                return
            yield result
    if items is None:
        return
    yield from extract_results(writer.fresh(items), settings, options, stop)


def extract_results(
    items: Iterable[Work],
    settings: ExtractorSettings,
    options: IngestOptions,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[Result | Written]:
    """One report or failure per item, in input order, from the runner the options choose.

    Items are read as the runner needs them, so a JSONL file of any size streams through.
    """
    if options.dask:
        from sitrep.runner.dask_runner import DaskRunner

        with DaskRunner(
            options.dask, settings, jobs=options.jobs, parquet_dir=options.parquet_out
        ) as runner:
            yield from runner.map(items, chunk_size=options.chunk_size, stop=stop)
            log.info("Dask run: %s", runner.report)
    elif options.jobs > 1:
        from sitrep.runner.pool import WorkerPool

        with WorkerPool(settings, options.jobs) as pool:
            yield from pool.map(items, chunk_size=options.chunk_size, stop=stop)
            log.info("pool run: %s", pool.report)
    else:
        from sitrep.runner.local import run_local

        yield from run_local(settings(), items, chunk_size=options.chunk_size, stop=stop)
