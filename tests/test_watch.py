"""``sitrep watch`` against a real HTTP server on 127.0.0.1: feeds that grow, pages that fail."""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sitrep.errors import IngestError, SitrepError
from sitrep.ingest.addresses import parse_networks
from sitrep.ingest.feeds import looks_like_feed, parse_feed, read_sources
from sitrep.runner.watch import WatchConfig, Watcher, parse_duration
from sitrep.store import Store

STORY = (
    "Gunmen killed five villagers and wounded two others in an attack on the village of Kaura in "
    "Kaduna state on {day}, police said. The attackers arrived on motorcycles and set fire to several "
    "homes before fleeing into the forest, a police spokesman told reporters. Residents said the "
    "village had been attacked twice this year. Story number {n} of the watch test."
)
GOOD = {1: "Monday", 2: "Tuesday", 3: "Wednesday", 4: "Thursday"}
SLOW_S = 1.5  # the slow page answers after this; the client gives up after TIMEOUT_S
TIMEOUT_S = 0.4
MAX_BYTES = 200_000
LOCAL = parse_networks(["127.0.0.0/8"])  # the test servers: refused unless allowed


def article_page(n: int) -> bytes:
    paragraphs = "".join(f"<p>{STORY.format(day=GOOD[n], n=n)}</p>" for _ in range(2))
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Attack {n}</title>"
        f"<meta property='article:published_time' content='2024-06-0{n}T09:00:00Z'></head>"
        f"<body><article><h1>Attack {n}</h1>{paragraphs}</article></body></html>"
    ).encode()


class Site:
    """What the test server serves, and what it was asked."""

    def __init__(self) -> None:
        self.items = [
            "/news/1.html",
            "/news/2.html",
            "/slow.html",
            "/error.html",
            "/malformed.html",
            "/doc.pdf",
            "/huge.html",
            "/endless.html",
        ]
        self.hits: Counter[str] = Counter()
        self.conditional: Counter[str] = Counter()
        self.lock = threading.Lock()

    def feed(self, base: str) -> bytes:
        items = "".join(
            f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in self.items
        )
        return f"<?xml version='1.0'?><rss version='2.0'><channel><title>Test</title>{items}</channel></rss>".encode()


class Handler(BaseHTTPRequestHandler):
    site: Site

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send(
        self,
        status: int,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        **headers: str,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", headers.pop("length", str(len(body))))
        for k, v in headers.items():
            self.send_header(k.replace("_", "-"), v)
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def do_GET(self) -> None:
        site, path = self.site, self.path
        with site.lock:
            site.hits[path] += 1
            if "If-None-Match" in self.headers or "If-Modified-Since" in self.headers:
                site.conditional[path] += 1
        base = f"http://{self.headers['Host']}"
        if path == "/feed.xml":
            body = site.feed(base)
            etag = f'"{len(site.items)}"'
            if self.headers.get("If-None-Match") == etag:
                self.send(304, b"", ETag=etag)
            else:
                self.send(200, body, "application/rss+xml", ETag=etag)
        elif path == "/notxml.feed":
            self.send(200, b"{this is not XML at all", "application/rss+xml")
        elif path == "/direct.html":
            modified = formatdate(1717200000, usegmt=True)
            if self.headers.get("If-Modified-Since") == modified:
                self.send(304, b"")
            else:
                self.send(200, article_page(4), Last_Modified=modified)
        elif path.startswith("/news/"):
            self.send(200, article_page(int(path[6])))
        elif path == "/slow.html":
            time.sleep(SLOW_S)  # bounded: the server thread ends by itself
            self.send(200, article_page(1))
        elif path == "/long.html":  # one 100 kB sentence of event words
            sentence = "gunmen killed 3 people in Kabul and " * 2_800
            page = f"<html lang='en'><head><title>Long</title></head><body><p>{sentence}</p></body></html>"
            self.send(200, page.encode())
        elif path == "/error.html":
            self.send(500, b"internal error")
        elif path == "/malformed.html":
            self.send(200, b"<html><body><div><p>\x00\x01\x02\xff\xfe garbage </div></html")
        elif path == "/doc.pdf":
            self.send(200, b"%PDF-1.4 " + b"x" * 1000, "application/pdf")
        elif path == "/huge.html":
            self.send(200, b"<html>" + b" " * 1000, length="200000000")  # says 200 MB, sends 1 kB
        elif path == "/endless.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length: read until the limit says stop
            try:
                for _ in range(20):  # 20 x 64 kB = 1.3 MB, then the server stops by itself
                    self.wfile.write(b"<p>" + b"a" * 65_536 + b"</p>")
            except OSError:
                pass
        else:
            self.send(404, b"not found")


@pytest.fixture()
def site() -> Iterator[tuple[Site, str]]:
    site = Site()
    handler = type("SiteHandler", (Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield site, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class FakeTime:
    """A clock that only sleep moves: cycles and back-offs cost no real time."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += max(seconds, 0.0)


def test_a_growing_feed_and_failing_pages(
    site: tuple[Site, str], tmp_path: Path, extractor: Any, caplog: pytest.LogCaptureFixture
) -> None:
    server, base = site
    sources = tmp_path / "feeds.txt"
    sources.write_text(
        f"# test feeds\nfeed {base}/feed.xml\n{base}/notxml.feed\npage {base}/direct.html\n",
        encoding="utf-8",
    )
    config = WatchConfig(
        sources,
        every=60,
        timeout=TIMEOUT_S,
        retries=1,
        backoff=0.5,
        per_host_interval=0.2,
        max_bytes=MAX_BYTES,
        fetchers=4,
        allow_networks=LOCAL,
    )
    fake = FakeTime()
    caplog.set_level(logging.INFO, logger="sitrep")
    db = tmp_path / "events.db"
    with (
        Store.open(db) as store,
        Watcher(config, store, extractor, clock=fake.clock, sleep=fake.sleep) as watcher,
    ):
        first = watcher.poll()
        server.items.append("/news/3.html")  # the feed gains an item between polls
        second = watcher.poll()
        third = watcher.poll()
        stats = store.stats()
        stored_urls = sorted(
            a.url for a in (store.article(i) for i in range(1, stats.articles + 1)) if a
        )

    # every good article exactly once: the three feed items and the page on the watch list
    assert stats.articles == 4
    assert stored_urls == sorted(
        f"{base}{p}" for p in ("/news/1.html", "/news/2.html", "/news/3.html", "/direct.html")
    )
    assert (first.stored, second.stored, third.stored) == (3, 1, 0)
    assert stats.events >= 1
    # stored pages are not fetched again; the feed and the listed page are asked conditionally
    assert server.hits["/news/1.html"] == 1 and server.hits["/news/3.html"] == 1
    assert server.conditional["/feed.xml"] == 2 and server.conditional["/direct.html"] == 2
    assert third.not_modified == 2  # feed (ETag) and page (Last-Modified) both unchanged
    # every failure is logged with its URL, and what cannot pass is not tried again
    logged = caplog.text
    for path, why in [
        ("/slow.html", "timed out"),
        ("/error.html", "HTTP 500"),
        ("/malformed.html", "binary file"),
        ("/doc.pdf", "not HTML (application/pdf)"),
        ("/huge.html", "too large (200000000 bytes declared"),
        ("/endless.html", "too large (over the"),
        ("/notxml.feed", "not an RSS or Atom feed"),
    ]:
        assert f"{base}{path}: {why}" in logged, path
    assert (
        server.hits["/doc.pdf"] == 1
        and server.hits["/huge.html"] == 1
        and server.hits["/malformed.html"] == 1
    )
    assert server.hits["/error.html"] == 3 * 2  # 3 cycles (then given up) x (1 + 1 retry)
    assert {f.input for f in first.failures} == {
        f"{base}{p}"
        for p in (
            "/slow.html",
            "/error.html",
            "/malformed.html",
            "/doc.pdf",
            "/huge.html",
            "/endless.html",
        )
    }
    # politeness: back-off before the retry, and requests to one host spaced out
    assert 0.5 in fake.slept


def test_watch_state_survives_a_restart(
    site: tuple[Site, str], tmp_path: Path, extractor: Any
) -> None:
    server, base = site
    server.items = ["/news/1.html"]
    sources = tmp_path / "feeds.txt"
    sources.write_text(f"{base}/feed.xml\n", encoding="utf-8")  # unmarked: recognised as a feed
    config = WatchConfig(sources, timeout=2, per_host_interval=0, fetchers=1, allow_networks=LOCAL)
    fake = FakeTime()
    with Store.open(tmp_path / "events.db") as store:
        for _ in range(2):
            with Watcher(config, store, extractor, clock=fake.clock, sleep=fake.sleep) as watcher:
                watcher.run(cycles=1)
        assert store.stats().articles == 1
    assert server.hits["/news/1.html"] == 1 and server.hits["/feed.xml"] == 2
    assert server.conditional["/feed.xml"] == 1
    assert (tmp_path / "events.db.watch.sqlite").exists()


def test_run_waits_between_cycles_and_stops(
    tmp_path: Path, extractor: Any, site: tuple[Site, str]
) -> None:
    server, base = site
    server.items = []
    sources = tmp_path / "feeds.txt"
    sources.write_text(f"feed {base}/feed.xml\n", encoding="utf-8")
    fake = FakeTime()
    with Store.open(tmp_path / "events.db") as store:
        with Watcher(
            WatchConfig(sources, every=900, timeout=2, allow_networks=LOCAL),
            store,
            extractor,
            clock=fake.clock,
            sleep=fake.sleep,
        ) as watcher:
            watcher.run(cycles=3)
    assert watcher.cycles == 3 and fake.now >= 1800


def test_watch_list_and_feed_parsing(tmp_path: Path) -> None:
    path = tmp_path / "feeds.txt"
    path.write_text(
        "# comment\n\nhttps://a.example/rss  # trailing note\nfeed https://b.example/x\npage https://c.example/a.html#top\n"
    )
    assert [(s.kind, s.url) for s in read_sources(path)] == [
        ("auto", "https://a.example/rss"),
        ("feed", "https://b.example/x"),
        ("page", "https://c.example/a.html#top"),
    ]
    path.write_text("ftp://nope\n")
    with pytest.raises(IngestError, match="feeds.txt:1"):
        read_sources(path)
    rss = b"<?xml version='1.0'?><rss version='2.0'><channel><item><link>/a/1.html</link><pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item></channel></rss>"
    entries = parse_feed(rss, "https://news.example/feed")
    assert (
        entries[0].url == "https://news.example/a/1.html"
        and entries[0].published
        and entries[0].published.day == 5
    )
    assert (
        looks_like_feed(None, rss)
        and looks_like_feed("application/atom+xml", b"")
        and not looks_like_feed("text/html", rss)
    )
    with pytest.raises(IngestError, match="not an RSS or Atom feed"):
        parse_feed(b"<html><body>hello</body></html>", "https://news.example/page")
    assert (
        parse_duration("15m") == 900
        and parse_duration("30s") == 30
        and parse_duration("2h") == 7200
    )


def watch_args(*argv: str) -> Any:
    import argparse

    from sitrep.cli.watch import add_parsers

    parser = argparse.ArgumentParser(prog="sitrep")
    add_parsers(parser.add_subparsers(dest="command"))
    return parser.parse_args(["watch", *argv])


def test_watch_command_once(
    site: tuple[Site, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, base = site
    server.items = ["/news/2.html", "/error.html"]
    sources = tmp_path / "feeds.txt"
    sources.write_text(f"{base}/feed.xml\n{base}/missing.xml\n", encoding="utf-8")
    db = tmp_path / "events.db"
    common = ["--once", "--db", str(db), "--retries", "0", "--per-host", "0"]
    args = watch_args(str(sources), *common, "--allow-network", "127.0.0.0/8")
    assert args.handler(args) == 1  # a source and a page failed: not a clean run
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "watch: 1 of 2 sources failed, 1 page failed; 1 articles stored"
    )
    with Store.open(db, readonly=True) as store:
        assert store.stats().articles == 1
    with pytest.raises(SitrepError, match="not a duration"):
        args.every = "soon"
        args.handler(args)
    with pytest.raises(SitrepError, match="not a network: '10.0.0.0/33'"):
        args = watch_args(str(sources), *common, "--allow-network", "10.0.0.0/33")
        args.handler(args)
    # without the allowance the local server is refused: nothing is fetched
    before = sum(server.hits.values())
    args = watch_args(str(sources), *common, "--state", str(tmp_path / "other.sqlite"))
    assert args.handler(args) == 1
    assert capsys.readouterr().err.strip().splitlines()[-1] == (
        "watch: 2 of 2 sources failed, 0 pages failed, 2 refused; 0 articles stored"
    )
    assert sum(server.hits.values()) == before


def test_a_page_past_the_budget_is_one_line_and_the_watch_goes_on(
    site: tuple[Site, str], tmp_path: Path, extractor: Any, caplog: pytest.LogCaptureFixture
) -> None:
    from sitrep.pipeline import Extractor

    _, base = site
    sources = tmp_path / "feeds.txt"
    sources.write_text(f"{base}/long.html\n{base}/news/1.html\n", encoding="utf-8")
    config = WatchConfig(sources, every=60, timeout=5, max_bytes=MAX_BYTES, allow_networks=LOCAL)
    tight = Extractor(extractor.nlp, extractor.geoparser, typer=extractor.typer, budget=0.3)
    fake = FakeTime()
    with (
        Store.open(tmp_path / "events.db") as store,
        Watcher(config, store, tight, clock=fake.clock, sleep=fake.sleep) as watcher,
    ):
        first = watcher.poll()
    assert first.stored == 1  # the ordinary page
    lines = [r.getMessage() for r in caplog.records if "budget" in r.getMessage()]
    assert lines == [f"{base}/long.html: over the 0.3 s budget; skipped; not trying it again"]
