"""Raw inputs, kept as read until a worker turns them into Articles: HTML pages and JSON records.

Reading a WARC file, a JSONL file or a feed is cheap; cleaning a page with trafilatura, or a story's
text, is not. A ``Page`` or a ``Record`` carries what was read so that the costly step runs where
the extraction runs (a worker process), and the reading process stays free to read and to write.
``iter_jsonl`` streams a JSONL file of any size line by line (``iter_articles`` reads whole files).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sitrep.ingest.html import article_from_html
from sitrep.ingest.reading import (
    DEFAULT_MAX_BYTES,
    binary_problem,
    build,
    decode_text,
    os_problem,
    shift_offset,
)
from sitrep.ingest.records import article_from_record
from sitrep.models import Article, Failure

logger = logging.getLogger(__name__)

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


@dataclass(frozen=True)
class Record:
    """One parsed JSON record (a line of a JSONL file), not yet cleaned."""

    data: Any
    source: str  # path:line

    @property
    def name(self) -> str:
        return self.source

    @property
    def url(self) -> str | None:
        """The record's URL, when it gives one (a resumed run recognises stored articles by it)."""
        url = self.data.get("url") if isinstance(self.data, dict) else None
        return url.strip() or None if isinstance(url, str) else None


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
    result = build(page.name, article_from_html, page.html, page.source, page.url)
    if isinstance(result, Failure):
        return Failure(page.name, result.problem)  # named by URL, not by the archive it came from
    if result.published is None and page.fetched is not None:
        result.published = page.fetched
    return result


def build_article(item: Page | Record) -> Article | Failure:
    """The Article a raw input makes, or a Failure saying why it makes none."""
    if isinstance(item, Page):
        return page_article(item)
    return build(item.source, article_from_record, item.data, item.source)


def iter_jsonl(
    path: str | os.PathLike[str], *, max_line_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Record | Failure]:
    """The records of a JSONL file, one line at a time (any file size); a bad line is a Failure."""
    name = str(path)
    try:
        fh = Path(path).open("rb")
    except OSError as err:
        yield Failure(name, os_problem(err))
        return
    any_line = False
    with fh:
        offset = 0
        for lineno, raw in enumerate(fh, start=1):
            start, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            any_line = True
            where = f"{name}:{lineno}"
            if len(raw) > max_line_bytes:
                yield Failure(where, f"line too long ({len(raw)} bytes, limit {max_line_bytes})")
                continue
            try:
                record = json.loads(decode_text(raw))
            except json.JSONDecodeError as err:
                yield Failure(where, f"malformed JSON: {err.msg} (column {err.colno})")
            except ValueError as err:  # not UTF-8: the offset counts from the start of the file
                yield Failure(where, shift_offset(str(err), start))
            except RecursionError:
                yield Failure(where, "malformed JSON: nested too deeply")
            else:
                yield Record(record, where)
    if not any_line:
        yield Failure(name, "empty input")
