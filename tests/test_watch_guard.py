"""The watcher refuses links and redirects to internal addresses and other schemes, hop by hop.

Real HTTP servers on loopback: the feed's server on 127.0.0.2 (allowed for the test) redirects to a
target server on 127.0.0.1, which must never be asked. A guard on ``socket.connect`` fails the test
before any byte could leave this machine (169.254.169.254 is never tried, even by a bug).
"""

from __future__ import annotations

import ipaddress
import re
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from test_watch import FakeTime, article_page

from sitrep.ingest.addresses import AddressPolicy, UnresolvedHost, address_kind, parse_networks
from sitrep.ingest.fetch import FetchConfig, Fetcher
from sitrep.models import Failure
from sitrep.runner.watch import WatchConfig, Watcher
from sitrep.store import Store

FEED_HOST = "127.0.0.2"  # Linux answers on all of 127.0.0.0/8


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Refuse (and record) any connection to an address outside 127.0.0.0/8 and ::1."""
    tried: list[Any] = []
    real = socket.socket.connect

    def connect(sock: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and not ipaddress.ip_address(host.split("%")[0]).is_loopback:
            tried.append(address)
            raise OSError(f"test guard: no connection to {address} leaves this machine")
        return real(sock, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    return tried


class Recorder(BaseHTTPRequestHandler):
    hits: Counter[str]
    routes: dict[str, tuple[int, dict[str, str], bytes]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self.hits[self.path] += 1
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for k, v in {"Content-Length": str(len(body)), **headers}.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


def serve(host: str, routes: dict[str, tuple[int, dict[str, str], bytes]]) -> Any:
    hits: Counter[str] = Counter()
    handler = type("Handler", (Recorder,), {"hits": hits, "routes": routes})
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    return server, thread, hits


@pytest.fixture()
def servers() -> Iterator[tuple[str, Counter[str], str, Counter[str], dict[str, Any]]]:
    target_routes = {"/secret": (200, {"Content-Type": "text/html"}, article_page(2))}
    target, t_thread, target_hits = serve("127.0.0.1", target_routes)
    target_base = f"http://127.0.0.1:{target.server_address[1]}"
    routes: dict[str, Any] = {}
    feed, f_thread, feed_hits = serve(FEED_HOST, routes)
    base = f"http://{FEED_HOST}:{feed.server_address[1]}"
    port = target.server_address[1]
    moves = {
        "/to-local": f"{target_base}/secret",
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-mapped": f"http://[::ffff:127.0.0.1]:{port}/secret",
        "/to-localhost": f"http://localhost:{port}/secret",
        "/to-file": "file:///etc/passwd",
        "/chain": "/hop",  # relative: the next hop is on the feed's server, then it leaves
        "/hop": f"{target_base}/secret",
        "/ok": "/news/1.html",
    }
    for path, location in moves.items():
        routes[path] = (302, {"Location": location}, b"")
    routes["/news/1.html"] = (200, {"Content-Type": "text/html"}, article_page(1))
    links = [*moves, f"{target_base}/direct"]
    links.remove("/hop")
    items = "".join(
        f"<item><link>{link if link.startswith('http') else base + link}</link></item>"
        for link in links
    )
    rss = f"<?xml version='1.0'?><rss version='2.0'><channel>{items}</channel></rss>".encode()
    routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss)
    try:
        yield base, feed_hits, target_base, target_hits, routes
    finally:
        for server, thread in ((feed, f_thread), (target, t_thread)):
            server.shutdown()
            server.server_close()
            thread.join(5)


def poll(tmp_path: Path, sources: str, extractor: Any, allow: list[str]) -> Any:
    path = tmp_path / "feeds.txt"
    path.write_text(sources, encoding="utf-8")
    config = WatchConfig(
        path, timeout=2, retries=0, per_host_interval=0, allow_networks=parse_networks(allow)
    )
    fake = FakeTime()
    with (
        Store.open(tmp_path / "events.db") as store,
        Watcher(config, store, extractor, clock=fake.clock, sleep=fake.sleep) as watcher,
    ):
        return watcher.poll()


def test_redirects_to_internal_addresses_are_refused_before_they_are_requested(
    servers: Any, tmp_path: Path, extractor: Any, loopback_only: list[Any]
) -> None:
    base, feed_hits, target_base, target_hits, _ = servers
    report = poll(tmp_path, f"feed {base}/feed.xml\n", extractor, [f"{FEED_HOST}/32"])
    assert not target_hits, "the internal server was asked"
    assert not loopback_only, "a connection left this machine"
    problems = {f.input.removeprefix(base): f.problem for f in report.failures}
    assert set(problems) == {
        "/to-local",
        "/to-metadata",
        "/to-mapped",
        "/to-localhost",
        "/to-file",
        "/chain",
        f"{target_base}/direct",
    }
    assert problems["/to-local"].startswith(
        f"refused redirect to {target_base}/secret: loopback address 127.0.0.1"
    )
    assert "link-local address 169.254.169.254" in problems["/to-metadata"]
    assert re.search(r"loopback address ::ffff:\S+ \(127\.0\.0\.1\)", problems["/to-mapped"])
    assert "loopback address 127.0.0.1" in problems["/to-localhost"]  # a name is resolved first
    assert "not an http(s) URL (file scheme)" in problems["/to-file"]
    assert f"redirect to {target_base}/secret" in problems["/chain"]  # every hop is checked
    assert problems[f"{target_base}/direct"].startswith("refused loopback address")
    assert report.refused == 7 and report.stored == 1  # /ok redirects within the allowed host
    assert feed_hits["/hop"] == 1 and feed_hits["/news/1.html"] == 1
    assert (
        report.outcome()
        == "watch: 0 of 1 sources failed, 7 pages failed, 7 refused; 1 articles stored"
    )


def test_an_allowed_network_lets_the_redirect_through(
    servers: Any, tmp_path: Path, extractor: Any
) -> None:
    base, _, target_base, target_hits, routes = servers
    items = f"<item><link>{base}/to-local</link></item>"
    rss = f"<rss version='2.0'><channel>{items}</channel></rss>".encode()
    routes["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, rss)
    report = poll(tmp_path, f"feed {base}/feed.xml\n", extractor, ["127.0.0.0/8"])
    assert target_hits["/secret"] == 1 and report.stored == 1 and not report.failed


def test_a_source_at_an_internal_address_is_not_fetched(
    servers: Any, tmp_path: Path, extractor: Any
) -> None:
    base, feed_hits, *_ = servers
    report = poll(tmp_path, f"feed {base}/feed.xml\n", extractor, [])
    assert report.source_failures == 1 and report.refused == 1 and not feed_hits
    assert report.outcome().startswith("watch: 1 of 1 sources failed, 0 pages failed, 1 refused")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
        ("2002:a9fe:a9fe::1", "link-local"),  # 6to4 of 169.254.169.254
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-public"),
        ("93.184.215.14", None),
        ("2606:4700::1111", None),
    ],
)
def test_address_kinds(address: str, kind: str | None) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


def test_the_policy_by_url() -> None:
    names = {"intranet.example": ["10.0.0.5"], "news.example": ["93.184.215.14", "10.0.0.6"]}

    def resolver(host: str, port: int) -> list[str]:
        if host not in names:
            raise UnresolvedHost(f"cannot resolve {host}")
        return names[host]

    policy = AddressPolicy((), resolver)
    assert policy.problem("http://93.184.215.14/a") is None
    assert "private address 10.0.0.5" in str(policy.problem("https://intranet.example/"))
    assert "private address 10.0.0.6" in str(policy.problem("http://news.example/"))  # any address
    assert "ftp scheme" in str(policy.problem("ftp://93.184.215.14/"))
    assert "gopher scheme" in str(policy.problem("gopher://93.184.215.14/"))
    assert "loopback" in str(policy.problem("http://[::ffff:7f00:1]/"))
    assert "unspecified" in str(policy.problem("http://0.0.0.0:8080/"))
    with pytest.raises(UnresolvedHost):
        policy.problem("http://nowhere.example/")
    assert "not a usable URL" in str(policy.problem("http://[zz]/"))
    assert "not a usable URL" in str(policy.problem("http://news.example:99999/"))
    opened = AddressPolicy(parse_networks(["10.0.0.0/8", "::1"]), resolver)
    assert opened.problem("http://intranet.example/") is None
    assert opened.problem("http://[::ffff:10.9.9.9]/") is None  # the mapped address is in 10/8
    assert opened.problem("http://[::1]/") is None
    assert "loopback" in str(opened.problem("http://127.0.0.1/"))
    with pytest.raises(ValueError, match="not a network: 'banana'"):
        parse_networks(["10.0.0.0/8,banana"])


class NoValidators:
    def validators(self, url: str) -> tuple[None, None]:
        return None, None


def test_a_link_that_is_no_usable_url_is_one_failure() -> None:
    fetcher = Fetcher(FetchConfig(retries=0), NoValidators())
    try:
        for url in ("http://[zz]/", "http://[::1/", "http://a.example:x/"):
            answer = fetcher.get(url)
            assert isinstance(answer, Failure) and "not a usable URL" in answer.problem, url
    finally:
        fetcher.close()


def test_a_name_that_resolves_elsewhere_at_connect_time_is_refused(servers: Any) -> None:
    """DNS rebinding: the check saw a public address, the connection went to 127.0.0.1; the
    answer from the internal server is refused and never read."""
    _, _, target_base, target_hits, _ = servers
    port = target_base.rsplit(":", 1)[1]
    checked_public = AddressPolicy(resolver=lambda host, port: ["93.184.215.14"])
    config = FetchConfig(timeout=2, retries=0, per_host_interval=0)
    fetcher = Fetcher(config, NoValidators(), policy=checked_public)
    try:
        answer = fetcher.get(f"http://localhost:{port}/secret")
    finally:
        fetcher.close()
    assert isinstance(answer, Failure), answer
    assert "connected to a loopback address" in answer.problem
    assert target_hits["/secret"] <= 1  # the request may be sent; its answer is not read
