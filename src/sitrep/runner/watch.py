"""``sitrep watch``: poll RSS/Atom feeds and pages, extract what is new, store it.

The loop lives here; fetching is ``sitrep.ingest.fetch``, the bookkeeping ``sitrep.store.watch_state``.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from sitrep.errors import IngestError, SitrepError
from sitrep.ingest.addresses import Network
from sitrep.ingest.feeds import looks_like_feed, parse_feed, read_sources
from sitrep.ingest.fetch import (
    FetchConfig,
    Fetched,
    Fetcher,
    PassingFailure,
    RefusedFailure,
    page_or_feed,
)
from sitrep.ingest.raw import Page, is_html_type, page_article
from sitrep.models import Article, Failure
from sitrep.runner.work import extract_items, failure_of
from sitrep.store.watch_state import WatchState
from sitrep.version import __version__

log = logging.getLogger(__name__)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|d)?\s*$", re.I)
_UNIT_S = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hr": 3600, "d": 86400}


def parse_duration(text: str) -> float:
    """Seconds in ``90``, ``30s``, ``15m``, ``2h`` or ``1d``; ``ValueError`` otherwise."""
    m = _DURATION.match(text)
    if not m:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30s, 15m, 2h)")
    return float(m.group(1)) * _UNIT_S[(m.group(2) or "s").lower()]


@dataclass
class WatchConfig:
    """How the watcher polls; the defaults are polite to publishers."""

    sources: Path
    every: float = 900.0  # seconds between the starts of two cycles
    timeout: float = 20.0  # per request (connect, and each read)
    retries: int = 2  # after the first attempt
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    per_host_interval: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 10_000_000
    max_attempts: int = (
        3  # cycles a page that fails for a passing reason is tried before it is given up
    )
    fetchers: int = 8  # requests in flight at once (to different hosts)
    state: Path | None = None  # default: the database's path + ".watch.sqlite"
    user_agent: str = f"sitrep/{__version__} (news event monitor)"
    allow_networks: tuple[Network, ...] = ()  # internal networks it may fetch from

    def fetch_config(self) -> FetchConfig:
        """The fetching part of the configuration."""
        return FetchConfig(
            timeout=self.timeout,
            retries=self.retries,
            backoff=self.backoff,
            per_host_interval=self.per_host_interval,
            max_bytes=self.max_bytes,
            fetchers=self.fetchers,
            user_agent=self.user_agent,
            allow_networks=self.allow_networks,
        )


@dataclass
class CycleReport:
    """What one poll did."""

    sources: int = 0
    not_modified: int = 0
    source_failures: int = 0
    new_links: int = 0
    stored: int = 0
    duplicates: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)  # pages
    refused: int = 0  # sources and pages at addresses or schemes it may not fetch
    list_failed: bool = False  # the watch list itself could not be read

    @property
    def failed(self) -> bool:
        """True when any source or page failed (or the watch list could not be read)."""
        return self.list_failed or bool(self.source_failures or self.failures)

    def summary(self) -> str:
        return (
            f"{self.sources} sources ({self.not_modified} unchanged, {self.source_failures} failed), "
            f"{self.new_links} new links: {self.stored} articles stored ({self.events} event reports), "
            f"{self.duplicates} already stored, {len(self.failures)} pages failed"
        )

    def outcome(self) -> str:
        """One line for the end of ``watch --once``: what failed, and what was refused."""
        if self.list_failed:
            return "watch: the watch list could not be read"
        pages = len(self.failures)
        line = f"watch: {self.source_failures} of {self.sources} sources failed, "
        line += f"{pages} page{'' if pages == 1 else 's'} failed"
        if self.refused:
            line += f", {self.refused} refused"
        return line + f"; {self.stored} articles stored"


class Watcher:
    """Polls a watch list, extracts what is new, and stores it through ``store.add_article``."""

    def __init__(
        self,
        config: WatchConfig,
        store: Any,
        extractor: Any,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.config = config
        self.store = store
        self.extractor = extractor
        self.clock = clock
        self.sleep = sleep
        self.now = now
        self.state = WatchState(config.state or f"{store.path}.watch.sqlite")
        self.fetcher = Fetcher(
            config.fetch_config(), self.state, client=client, clock=clock, sleep=sleep
        )
        self.cycles = 0

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.fetcher.close()
        self.state.close()

    def run(
        self,
        *,
        once: bool = False,
        stop: Callable[[], bool] = lambda: False,
        cycles: int | None = None,
    ) -> CycleReport | None:
        """Poll every ``config.every`` seconds until ``stop()`` (or after one cycle, or ``cycles``).

        Returns the last cycle's report (None when stopped before the first)."""
        last: CycleReport | None = None
        while True:
            started = self.clock()
            last = self.poll()
            if once or stop() or (cycles is not None and self.cycles >= cycles):
                return last
            wake = started + self.config.every
            log.info("next poll in %.0f s", max(0.0, wake - self.clock()))
            while not stop() and self.clock() < wake:
                self.sleep(min(1.0, wake - self.clock()))
            if stop():
                return last

    def poll(self) -> CycleReport:
        """One cycle: sources, new links, pages, extraction, storage. Never raises for one bad URL."""
        self.cycles += 1
        report = CycleReport()
        try:
            sources = read_sources(self.config.sources)
        except IngestError as err:
            log.error("%s", err)
            report.list_failed = True
            return report
        report.sources = len(sources)
        answers = self.fetcher.get_many(
            [s.url for s in sources], conditional=True, accept=page_or_feed
        )
        links: dict[str, datetime | None] = {}
        pages: list[tuple[str, Fetched, datetime | None, bool]] = []  # url, answer, date, listed
        for src, answer in zip(sources, answers, strict=True):
            if isinstance(answer, Failure):
                report.source_failures += 1
                report.refused += isinstance(answer, RefusedFailure)
                log.warning("%s: %s", answer.input, answer.problem)
                continue
            if answer.not_modified:
                report.not_modified += 1
                log.info("%s: not modified", src.url)
                continue
            is_feed = src.kind == "feed" or (
                src.kind == "auto" and looks_like_feed(answer.content_type, answer.body)
            )
            if not is_feed:
                pages.append((src.url, answer, None, True))
                continue
            try:
                entries = parse_feed(answer.body, answer.final_url, answer.content_type)
            except IngestError as err:
                report.source_failures += 1
                log.warning("%s: %s", src.url, err.problem)
                continue
            self.state.save_validators(src.url, answer.etag, answer.last_modified)
            fresh = [e for e in entries if e.url not in links and not self.state.settled(e.url)]
            log.info("%s: %d entries, %d new", src.url, len(entries), len(fresh))
            for e in fresh:
                links[e.url] = e.published
        report.new_links = len(links)
        for url, published in self.state.retries().items():
            links.setdefault(url, published)
        urls = list(links)
        for url, answer in zip(urls, self.fetcher.get_many(urls, accept=is_html_type), strict=True):
            if isinstance(answer, Failure):
                self._failed(answer, report, published=links[url])
            else:
                pages.append((url, answer, links[url], False))
        self._extract_and_store(pages, report)
        log.info("poll %d: %s", self.cycles, report.summary())
        return report

    def _failed(
        self,
        failure: Failure,
        report: CycleReport,
        url: str | None = None,
        published: datetime | None = None,
    ) -> None:
        url = url or failure.input
        report.refused += isinstance(failure, RefusedFailure)
        tries = self.config.max_attempts if isinstance(failure, PassingFailure) else 1
        attempts = self.state.record(url, "failed", failure.problem, tries, published)
        given_up = attempts >= tries
        note = (
            "; not trying it again"
            if given_up
            else f"; will try again (attempt {attempts} of {tries})"
        )
        log.warning("%s: %s%s", url, failure.problem, note)
        report.failures.append(Failure(url, failure.problem))

    def _extract_and_store(
        self, pages: Iterable[tuple[str, Fetched, datetime | None, bool]], report: CycleReport
    ) -> None:
        articles: list[tuple[str, Article, Fetched, bool]] = []
        for url, answer, published, listed in pages:
            page = Page(answer.body, answer.final_url, url, published or self.now())
            try:
                article = page_article(page)
            except Exception as err:  # a bug on one page fails only that page
                article = failure_of(url, "cannot read", err)
            if isinstance(article, Failure):
                if listed:  # polled at each cycle: its validators spare us the same failure
                    self.state.save_validators(url, answer.etag, answer.last_modified)
                    report.source_failures += 1
                    log.warning("%s: %s", url, article.problem)
                else:
                    self._failed(article, report, url)
                continue
            articles.append((url, article, answer, listed))
        results = extract_items(self.extractor, [a for _, a, _, _ in articles])
        for (url, _, answer, listed), result in zip(articles, results, strict=True):
            if isinstance(result, Failure):
                self._failed(result, report, url)
                continue
            try:
                added = self.store.add_article(result.article, result.events)
            except SitrepError as err:  # this article could not be stored; the others may be
                self._failed(PassingFailure(url, str(err)), report, url)
                continue
            if listed:  # stored: from now on an unchanged page costs one short answer
                self.state.save_validators(url, answer.etag, answer.last_modified)
            if added.added:
                report.stored += 1
                report.events += added.mentions
                log.info(
                    "%s: stored, %d event reports (%d new events)",
                    url,
                    added.mentions,
                    added.new_events,
                )
            else:
                report.duplicates += 1
                log.info("%s: already stored (same %s)", url, added.duplicate)
            if not listed:
                self.state.record(url, "stored" if added.added else "duplicate")
