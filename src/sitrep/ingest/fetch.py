"""Fetching pages and feeds over HTTP: politeness per host, conditional requests, retries with
back-off, a size limit and a media-type check. Every problem becomes a ``Failure`` naming the URL.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies

import httpx
import tenacity

from sitrep.ingest.addresses import AddressPolicy, Network, UnresolvedHost
from sitrep.ingest.raw import is_html_type, media_type
from sitrep.models import Failure
from sitrep.version import __version__

log = logging.getLogger(__name__)

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})
REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 10


@dataclass(frozen=True)
class FetchConfig:
    """How pages are fetched; the defaults are polite to publishers."""

    timeout: float = 20.0  # per request (connect, and each read)
    retries: int = 2  # after the first attempt
    backoff: float = 2.0  # seconds before the first retry, doubled for each next one
    per_host_interval: float = 1.0  # seconds between two requests to one host
    max_bytes: int = 10_000_000
    fetchers: int = 8  # requests in flight at once (to different hosts)
    user_agent: str = f"sitrep/{__version__} (news event monitor)"
    allow_networks: tuple[Network, ...] = ()  # internal networks the operator lets it reach


class _Passing(Exception):
    """A trouble that may pass (a timeout, a 5xx, a refused connection): worth another attempt."""


class Validators(Protocol):
    """Where the ETag and Last-Modified of earlier answers are kept."""

    def validators(self, url: str) -> tuple[str | None, str | None]: ...


@dataclass(frozen=True)
class PassingFailure(Failure):
    """A failure that may pass (a timeout, a 5xx, a refused connection): tried again next cycle."""


@dataclass(frozen=True)
class RefusedFailure(Failure):
    """A URL (or a redirect on the way) that sitrep may not fetch: internal address, other scheme."""


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
        try:
            host = (urlsplit(url).hostname or "").lower()
        except ValueError:  # not a usable URL: the request says so, without waiting
            return
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
        config: FetchConfig,
        validators: Validators,
        *,
        client: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        policy: AddressPolicy | None = None,
    ) -> None:
        self.config = config
        self.validators = validators
        self.sleep = sleep
        self.policy = policy or AddressPolicy(config.allow_networks)
        self.limiter = HostLimiter(config.per_host_interval, clock, sleep)
        # through a proxy the peer is the proxy, which resolves names itself
        self.proxied = client is None and bool(getproxies())
        self.client = client or httpx.Client(
            timeout=httpx.Timeout(config.timeout),
            follow_redirects=False,  # each hop is checked against the policy first (``_follow``)
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
            etag, modified = self.validators.validators(url)
            if etag:
                headers["If-None-Match"] = etag
            if modified:
                headers["If-Modified-Since"] = modified
        attempts = self.config.retries + 1

        def attempt() -> Fetched | Failure:
            self.limiter.wait(url)
            try:
                result = self._once(url, headers, accept)
            except UnresolvedHost as err:
                raise _Passing(str(err)) from None
            except httpx.TimeoutException:
                raise _Passing(f"timed out (limit {self.config.timeout:g} s)") from None
            except httpx.HTTPError as err:  # refused, reset, bad HTTP, too many redirects
                raise _Passing(f"request failed ({type(err).__name__}: {err})") from None
            except (httpx.InvalidURL, ValueError) as err:  # a link or Location httpx cannot use
                return Failure(url, f"not a usable URL ({err})")
            if isinstance(result, Failure) or result.status not in RETRY_STATUS:
                return result
            if result.retry_after:
                self.sleep(min(result.retry_after, 60.0))
            raise _Passing(f"HTTP {result.status}")

        def note(state: tenacity.RetryCallState) -> None:
            exc = state.outcome.exception() if state.outcome else None
            log.info("%s: %s (attempt %d of %d)", url, exc, state.attempt_number, attempts)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(attempts),
            wait=tenacity.wait_exponential(multiplier=self.config.backoff, exp_base=2, min=0),
            retry=tenacity.retry_if_exception_type(_Passing),
            sleep=self.sleep,
            after=note,
            reraise=True,
        )
        try:
            return retrying(attempt)
        except _Passing as passing:
            return PassingFailure(url, f"{passing} after {attempts} attempts")

    def _once(
        self, url: str, headers: dict[str, str], accept: Callable[[str | None], bool] | None
    ) -> Fetched | Failure:
        limit = self.config.max_bytes
        started = time.monotonic()
        with self._follow(url, headers) as resp:
            if isinstance(resp, Failure):
                return resp
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

    @contextmanager
    def _follow(self, url: str, headers: dict[str, str]) -> Iterator[httpx.Response | Failure]:
        """The final answer for ``url``, each redirect checked before it is requested."""
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            problem = self.policy.problem(current)
            if problem:
                hop = "" if current == url else f"redirect to {current}: "
                yield RefusedFailure(url, f"refused {hop}{problem}")
                return
            with self.client.stream(
                "GET", current, headers=headers, follow_redirects=False
            ) as resp:
                # the address connected to, checked again: a name may resolve to an internal
                # address after it was checked (DNS rebinding); its answer is not read
                peer = None if self.proxied else _peer_address(resp)
                problem = self.policy.address_problem(peer) if peer else None
                if problem:
                    hop = "" if current == url else f"redirect to {current}: "
                    yield RefusedFailure(url, f"refused {hop}connected to a {problem}")
                    return
                location = resp.headers.get("location")
                if resp.status_code not in REDIRECT_STATUS or not location:
                    yield resp
                    return
            current = urljoin(str(resp.url), location.strip())
            self.limiter.wait(current)
        yield Failure(url, f"more than {MAX_REDIRECTS} redirects")

    def get_many(self, urls: Sequence[str], **kw: Any) -> list[Fetched | Failure]:
        """``get`` for several URLs at once (``fetchers`` in flight), answers in the same order."""
        if len(urls) <= 1 or self.config.fetchers <= 1:
            return [self.get(u, **kw) for u in urls]
        with ThreadPoolExecutor(
            max_workers=self.config.fetchers, thread_name_prefix="sitrep-fetch"
        ) as pool:
            return list(pool.map(lambda u: self.get(u, **kw), urls))


def _peer_address(resp: httpx.Response) -> str | None:
    """The IP address the answer came from (httpcore's ``network_stream`` extension), if known."""
    stream = resp.extensions.get("network_stream")
    address = stream.get_extra_info("server_addr") if stream is not None else None
    return str(address[0]) if address else None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


def page_or_feed(content_type: str | None) -> bool:
    kind = media_type(content_type)
    return (
        is_html_type(content_type)
        or kind.endswith("xml")
        or kind in ("text/plain", "application/octet-stream")
    )
