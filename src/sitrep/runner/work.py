"""What every runner shares: the unit of work, how a worker loads its Extractor, and one chunk's extraction.

A worker (a pool process, a Dask worker, or this process) receives chunks of ``Article``, raw
``Page`` and ``Record`` (cleaned in the worker, where the CPU is) and ``Failure`` (passed through so
that the writer sees every input in order) and sends back one ``ArticleReport`` or ``Failure`` per item.
"""

from __future__ import annotations

import logging
import resource
import sys
import traceback
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sitrep.ingest.raw import Page, Record, build_article
from sitrep.models import Article, ArticleReport, Failure
from sitrep.settings import DEFAULT_BUDGET_S

log = logging.getLogger(__name__)

Work = Article | Page | Record | Failure
Result = ArticleReport | Failure
DEFAULT_CHUNK = 16  # articles per task: one spaCy batch, about a second of work

_tracebacks = (
    False  # set by ``--debug`` (in this process, and in workers through ExtractorSettings)
)


def show_tracebacks(on: bool) -> None:
    """Log the traceback of each input that fails unexpectedly (``--debug``), not only its line."""
    global _tracebacks
    _tracebacks = on


def failure_of(name: str, what: str, err: BaseException) -> Failure:
    """The one line for an input that raised ``err``; with ``--debug`` its traceback follows, in
    the Failure itself, so that it reaches the terminal from any worker process or machine."""
    problem = f"{what} ({type(err).__name__}: {err})"
    if _tracebacks:
        problem += "\n" + "".join(traceback.format_exception(err)).rstrip()
    return Failure(name, problem)


@dataclass(frozen=True)
class ExtractorSettings:
    """How a worker builds its Extractor; plain values, so it pickles to any process or machine."""

    model: str | None = None
    gazetteer: str | None = None
    fast: bool = True
    events_only: bool = (
        False  # the store keeps only events: articles with no trigger are not parsed
    )
    typer: str | None = None  # a typer folder, "sitrep", "none"; None: the default
    debug: bool = False  # log the traceback of each input that fails unexpectedly
    budget: float | None = DEFAULT_BUDGET_S  # seconds per article; None: no limit

    def prepare(self) -> None:
        """Build the gazetteer if it is missing, once, before several workers would each build it."""
        from sitrep.geo.gazetteer import Gazetteer

        Gazetteer.open(self.gazetteer).close()

    def __call__(self) -> Any:
        """Load the Extractor (spaCy pipeline and gazetteer)."""
        from sitrep.pipeline import Extractor

        show_tracebacks(self.debug)
        return Extractor.load(
            self.model,
            self.gazetteer,
            fast=self.fast,
            events_only=self.events_only,
            typer=self.typer,
            budget=self.budget,
        )


def item_name(item: Work | Result) -> str:
    """How a work item or result is named in logs and failures: its URL, else where it came from."""
    if isinstance(item, Failure):
        return item.input
    if isinstance(item, ArticleReport):
        item = item.article
    if isinstance(item, Page | Record):
        return item.name
    return item.url or item.source or item.id


def chunked(items: Iterable[Work], size: int) -> Iterator[list[Work]]:
    """Consecutive lists of ``size`` items; Failures travel in the chunk of the item they came with."""
    chunk: list[Work] = []
    articles = 0
    for item in items:
        chunk.append(item)
        articles += not isinstance(item, Failure)
        if articles >= size:
            yield chunk
            chunk, articles = [], 0
    if chunk:
        yield chunk


def extract_items(extractor: Any, items: list[Work]) -> list[Result]:
    """One result per item, in order: raw inputs are cleaned first; a crash on one article fails only it."""
    out: list[Result | None] = [None] * len(items)
    articles: list[Article] = []
    slots: list[int] = []
    for i, item in enumerate(items):
        article = _build_one(item) if isinstance(item, Page | Record) else item
        if isinstance(article, Failure):
            out[i] = article
        else:
            articles.append(article)
            slots.append(i)
    try:
        reports = list(extractor.report_batch(articles))
    except Exception:  # a bug on some article: find it by running them one at a time
        log.debug("batch of %d failed; retrying one by one", len(articles), exc_info=True)
        reports = [_report_one(extractor, a) for a in articles]
    for i, report in zip(slots, reports, strict=True):
        out[i] = _skipped(report)
    return [r for r in out if r is not None]


def _skipped(report: Result) -> Result:
    """A report of an article stopped past its budget is that input's one line."""
    if isinstance(report, ArticleReport) and report.skipped:
        return Failure(item_name(report), report.skipped)
    return report


def _build_one(item: Page | Record) -> Article | Failure:
    try:
        return build_article(item)
    except Exception as err:  # a bug in cleaning one input fails only that input
        return failure_of(item.name, "cannot read", err)


def _report_one(extractor: Any, article: Article) -> Result:
    try:
        report: ArticleReport = extractor.report(article)
        return report
    except Exception as err:
        return failure_of(item_name(article), "extraction failed", err)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024


def cpu_seconds() -> float:
    """CPU time (user and system) this process has used so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
