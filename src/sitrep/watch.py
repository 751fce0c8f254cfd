"""Continuous monitoring: poll feeds and pages, extract the new articles, store each one once.

Each cycle reads the watch list (see ``sitrep.ingest.feeds``), fetches every source with a
conditional GET (ETag / Last-Modified, so an unchanged feed costs one short answer), collects the
links not yet stored, fetches those pages, cleans, extracts and stores them. Fetching is polite and
bounded: one request at a time per host and at least ``per_host_interval`` seconds apart, a timeout,
retries with exponential back-off on timeouts, connection errors, 429 and 5xx, a size limit checked
against Content-Length before reading and again while reading, and HTML only (a PDF is skipped
before its body is read). Every failure is logged with its URL; a page that keeps failing is given
up after ``max_attempts`` cycles, one that cannot pass (not HTML, too large, 404, not English) at once.

A small SQLite file beside the database (``DB.watch.sqlite``) keeps the validators and what became
of each URL, so a restarted watcher neither fetches again what it stored nor forgets a feed's ETag.
Clock and sleep are injectable: tests run several cycles without waiting.
"""

from __future__ import annotations

import argparse
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from sitrep import __version__
from sitrep.errors import IngestError, SitrepError
from sitrep.ingest.feeds import looks_like_feed, parse_feed, read_sources
from sitrep.ingest.raw import Page, is_html_type, media_type, page_article
from sitrep.models import Article, Failure
from sitrep.runner.work import extract_items

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
SETTLED = ("stored", "duplicate", "gave_up")
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


@dataclass(frozen=True)
class PassingFailure(Failure):
    """A failure that may pass (a timeout, a 5xx, a refused connection): tried again next cycle."""


@dataclass
class Fetched:
    """An HTTP answer: status, final URL, type, validators and the body (empty for 304)."""

    url: str
    final_url: str
    status: int
    content_type: str | None = None
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None
    retry_after: float | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


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
    failures: list[Failure] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.sources} sources ({self.not_modified} unchanged, {self.source_failures} failed), "
            f"{self.new_links} new links: {self.stored} articles stored ({self.events} event reports), "
            f"{self.duplicates} already stored, {len(self.failures)} pages failed"
        )


# -- state ------------------------------------------------------------------------------------


class WatchState:
    """The sidecar database: validators per source, and the outcome of each article URL."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.cx = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.cx.execute("PRAGMA journal_mode = WAL")
            self.cx.execute(
                "CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked TEXT)"
            )
            self.cx.execute(
                "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, outcome TEXT NOT NULL, "
                "attempts INTEGER NOT NULL DEFAULT 0, problem TEXT, updated TEXT, published TEXT)"
            )
        except sqlite3.Error as err:
            raise SitrepError(f"{self.path}: cannot open the watch state ({err})") from err
        self._lock = threading.Lock()

    def close(self) -> None:
        self.cx.close()

    def validators(self, url: str) -> tuple[str | None, str | None]:
        with self._lock:
            row = self.cx.execute(
                "SELECT etag, last_modified FROM validators WHERE url = ?", (url,)
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self._lock:
            self.cx.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)",
                (url, etag, last_modified, _now()),
            )

    def settled(self, url: str) -> bool:
        """True once the URL was stored, found stored already, or given up."""
        with self._lock:
            row = self.cx.execute("SELECT outcome FROM pages WHERE url = ?", (url,)).fetchone()
        return bool(row and row[0] in SETTLED)

    def record(
        self,
        url: str,
        outcome: str,
        problem: str | None = None,
        max_attempts: int = 3,
        published: datetime | None = None,
    ) -> int:
        """Note what became of a URL; a failure counts an attempt (and gives up after the last). Returns attempts."""
        with self._lock:
            row = self.cx.execute("SELECT attempts FROM pages WHERE url = ?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + (outcome == "failed")
            if outcome == "failed" and attempts >= max_attempts:
                outcome = "gave_up"
            when = published.isoformat() if published else None
            self.cx.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                (url, outcome, attempts, problem, _now(), when),
            )
        return attempts

    def retries(self) -> dict[str, datetime | None]:
        """The URLs that failed for a passing reason and are due another try, with their feed dates."""
        with self._lock:
            rows = self.cx.execute(
                "SELECT url, published FROM pages WHERE outcome = 'failed' ORDER BY url"
            ).fetchall()
        return {url: datetime.fromisoformat(when) if when else None for url, when in rows}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- fetching ---------------------------------------------------------------------------------


class HostLimiter:
    """At most one request start per host every ``interval`` seconds."""

    def __init__(
        self, interval: float, clock: Callable[[], float], sleep: Callable[[float], None]
    ) -> None:
        self.interval = interval
        self.clock = clock
        self.sleep = sleep
        self._next: dict[str, float] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def wait(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
        with lock:
            delay = self._next.get(host, 0.0) - self.clock()
            if delay > 0:
                self.sleep(delay)
            self._next[host] = self.clock() + self.interval


class Fetcher:
    """GET with politeness, conditional requests, retries, a size limit and a media type check."""

    def __init__(
        self,
        config: WatchConfig,
        state: WatchState,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.state = state
        self.sleep = sleep
        self.limiter = HostLimiter(config.per_host_interval, clock, sleep)
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(config.timeout),
            follow_redirects=True,
            headers={"User-Agent": config.user_agent},
        )

    def close(self) -> None:
        self.client.close()

    def get(
        self,
        url: str,
        *,
        conditional: bool = False,
        accept: Callable[[str | None], bool] | None = None,
    ) -> Fetched | Failure:
        """The answer for ``url``, or a Failure naming it (after the retries, for passing troubles)."""
        headers = {}
        if conditional:
            etag, modified = self.state.validators(url)
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        problem = "no attempt made"
        attempts = self.config.retries + 1
        for attempt in range(attempts):
            if attempt:
                delay = self.config.backoff * 2 ** (attempt - 1)
                self.sleep(delay)
            self.limiter.wait(url)
            try:
                result = self._once(url, headers, accept)
            except httpx.TimeoutException:
                problem = f"timed out (limit {self.config.timeout:g} s)"
            except httpx.HTTPError as err:  # refused, reset, bad HTTP, too many redirects
                problem = f"request failed ({type(err).__name__}: {err})"
            else:
                if isinstance(result, Failure) or result.status not in RETRY_STATUS:
                    return result
                problem = f"HTTP {result.status}"
                if result.retry_after:
                    self.sleep(min(result.retry_after, 60.0))
            log.info("%s: %s (attempt %d of %d)", url, problem, attempt + 1, attempts)
        return PassingFailure(url, f"{problem} after {attempts} attempts")

    def _once(
        self, url: str, headers: dict[str, str], accept: Callable[[str | None], bool] | None
    ) -> Fetched | Failure:
        limit = self.config.max_bytes
        started = time.monotonic()
        with self.client.stream("GET", url, headers=headers) as resp:
            answer = Fetched(
                url,
                str(resp.url),
                resp.status_code,
                resp.headers.get("content-type"),
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
                retry_after=_retry_after(resp.headers.get("retry-after")),
            )
            if resp.status_code == 304 or resp.status_code in RETRY_STATUS:
                return answer
            if resp.status_code >= 400 or resp.status_code < 200:
                return Failure(url, f"HTTP {resp.status_code} {resp.reason_phrase}".strip())
            if accept is not None and not accept(answer.content_type):
                return Failure(url, f"not HTML ({media_type(answer.content_type)}); skipped unread")
            declared = resp.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                return Failure(
                    url,
                    f"too large ({int(declared)} bytes declared, limit {limit}); skipped unread",
                )
            body = bytearray()
            for chunk in resp.iter_bytes():
                body += chunk
                if len(body) > limit:
                    return Failure(url, f"too large (over the {limit}-byte limit); stopped reading")
                if time.monotonic() - started > 3 * self.config.timeout:
                    raise httpx.ReadTimeout("the body arrives too slowly")
            answer.body = bytes(body)
            return answer

    def get_many(self, urls: Sequence[str], **kw: Any) -> list[Fetched | Failure]:
        """``get`` for several URLs at once (``fetchers`` in flight), answers in the same order."""
        if len(urls) <= 1 or self.config.fetchers <= 1:
            return [self.get(u, **kw) for u in urls]
        with ThreadPoolExecutor(
            max_workers=self.config.fetchers, thread_name_prefix="sitrep-fetch"
        ) as pool:
            return list(pool.map(lambda u: self.get(u, **kw), urls))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def _page_or_feed(content_type: str | None) -> bool:
    kind = media_type(content_type)
    return (
        is_html_type(content_type)
        or kind.endswith("xml")
        or kind in ("text/plain", "application/octet-stream")
    )


# -- the watcher ------------------------------------------------------------------------------


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
        self.fetcher = Fetcher(config, self.state, client=client, clock=clock, sleep=sleep)
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
    ) -> None:
        """Poll every ``config.every`` seconds until ``stop()`` (or after one cycle, or ``cycles``)."""
        while True:
            started = self.clock()
            self.poll()
            if once or stop() or (cycles is not None and self.cycles >= cycles):
                return
            wake = started + self.config.every
            log.info("next poll in %.0f s", max(0.0, wake - self.clock()))
            while not stop() and self.clock() < wake:
                self.sleep(min(1.0, wake - self.clock()))
            if stop():
                return

    def poll(self) -> CycleReport:
        """One cycle: sources, new links, pages, extraction, storage. Never raises for one bad URL."""
        self.cycles += 1
        report = CycleReport()
        try:
            sources = read_sources(self.config.sources)
        except IngestError as err:
            log.error("%s", err)
            return report
        report.sources = len(sources)
        answers = self.fetcher.get_many(
            [s.url for s in sources], conditional=True, accept=_page_or_feed
        )
        links: dict[str, datetime | None] = {}
        pages: list[tuple[str, Fetched, datetime | None, bool]] = []  # url, answer, date, listed
        for src, answer in zip(sources, answers, strict=True):
            if isinstance(answer, Failure):
                report.source_failures += 1
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
            article = page_article(page)
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
            added = self.store.add_article(result.article, result.events)
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


# -- command line -----------------------------------------------------------------------------


def add_watch_arguments(p: argparse.ArgumentParser) -> None:
    """The ``sitrep watch`` arguments."""
    p.add_argument(
        "sources",
        metavar="FEEDS.txt",
        help="the watch list: one URL a line ('feed URL' or 'page URL' to say which)",
    )
    p.add_argument(
        "--every",
        default="15m",
        metavar="DURATION",
        help="time between polls, e.g. 30s, 15m, 2h (default 15m)",
    )
    p.add_argument("--once", action="store_true", help="poll once and exit")
    p.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per request (default 20)"
    )
    p.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="N",
        help="retries of a timed-out or failing request (default 2)",
    )
    p.add_argument(
        "--per-host",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="seconds between two requests to one host (default 1)",
    )
    p.add_argument(
        "--max-size",
        type=int,
        default=10_000_000,
        metavar="BYTES",
        help="largest page or feed read (default 10 MB)",
    )
    p.add_argument(
        "--fetchers",
        type=int,
        default=8,
        metavar="N",
        help="requests in flight at once, to different hosts (default 8)",
    )
    p.add_argument(
        "--state", metavar="FILE", help="the watcher's state file (default: DB.watch.sqlite)"
    )


def watch_config(args: argparse.Namespace) -> WatchConfig:
    """The configuration the command line asks for; ``SitrepError`` for a bad duration."""
    try:
        every = parse_duration(args.every)
    except ValueError as err:
        raise SitrepError(str(err)) from err
    return WatchConfig(
        sources=Path(args.sources),
        every=every,
        timeout=args.timeout,
        retries=args.retries,
        per_host_interval=args.per_host,
        max_bytes=args.max_size,
        fetchers=args.fetchers,
        state=Path(args.state) if args.state else None,
    )
