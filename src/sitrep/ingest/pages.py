"""Fetched or archived HTML pages, kept raw until a worker turns them into Articles.

Reading a WARC file or polling a feed is cheap; cleaning a page with trafilatura is not. A ``Page``
carries the raw bytes so that the costly step runs where the extraction runs (a worker process).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sitrep.ingest.files import _build, binary_problem
from sitrep.ingest.html import article_from_html
from sitrep.models import Article, Failure

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})


@dataclass(frozen=True)
class Page:
    """One HTML page: its bytes, where it came from, and when it was fetched."""

    html: bytes
    url: str | None
    source: str  # the input it came from, e.g. "crawl.warc.gz@1234" or the feed's URL
    fetched: datetime | None = None  # used as the publication time when the page gives none

    @property
    def name(self) -> str:
        """How failures name this page: its URL, else its source."""
        return self.url or self.source

    def sha256(self) -> str:
        """The hash of the raw bytes (deduplicates identical pages under different URLs)."""
        return hashlib.sha256(self.html).hexdigest()


def media_type(content_type: str | None) -> str:
    """The bare media type of a Content-Type header: ``text/html; charset=utf-8`` -> ``text/html``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_html_type(content_type: str | None) -> bool:
    """True for an HTML Content-Type, or for none at all (the bytes decide later)."""
    kind = media_type(content_type)
    return not kind or kind in HTML_TYPES


def page_article(page: Page) -> Article | Failure:
    """The page as an Article (cleaned by trafilatura, English checked), or a Failure saying why not."""
    problem = binary_problem(page.html)
    if problem:
        return Failure(page.name, problem)
    result = _build(page.name, article_from_html, page.html, page.source, page.url)
    if isinstance(result, Failure):
        return Failure(page.name, result.problem)  # named by URL, not by the archive it came from
    if result.published is None and page.fetched is not None:
        result.published = page.fetched
    return result
