"""WARC archives (Common Crawl's news crawl and the like) to Pages and Articles, with warcio.

Only HTML responses with status 200 are read; requests, metadata, redirects, PDFs and images are
passed over. A page seen before in the same file (same URL without its fragment, or the same bytes)
is passed over too. A damaged part of the file (a truncated record, a gzip error, a digest that does
not match) becomes one ``Failure`` and reading goes on at the next record found after it.
"""

from __future__ import annotations

import logging
import os
import zlib
from collections import Counter
from collections.abc import Generator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit, urlunsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from sitrep.ingest.raw import Page, is_html_type, page_article
from sitrep.ingest.reading import DEFAULT_MAX_BYTES, WARC_SUFFIXES, os_problem
from sitrep.models import Article, Failure

logger = logging.getLogger(__name__)

_SCAN_BLOCK = 1 << 20
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_RECORD = b"\nWARC/1."
# what warcio raises on damaged input (AttributeError: its parser meets a missing header line)
_DAMAGE = (ArchiveLoadFailed, zlib.error, EOFError, OSError, ValueError, AttributeError, IndexError)


def is_warc(path: str | os.PathLike[str]) -> bool:
    """True for a ``.warc`` or ``.warc.gz`` file name."""
    return str(path).lower().endswith(WARC_SUFFIXES)


def iter_warc(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Failure]:
    """The articles of a WARC file's HTML responses, each page cleaned as it is read."""
    for item in iter_warc_pages(path, max_bytes=max_bytes):
        yield page_article(item) if isinstance(item, Page) else item


def iter_warc_pages(
    path: str | os.PathLike[str], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Page | Failure]:
    """The HTML responses of a WARC file as raw Pages, deduplicated; damage yields a Failure.

    A page larger than ``max_bytes`` is a Failure; reading never stops before the end of the file.
    """
    name = str(path)
    try:
        fh = Path(path).open("rb")
    except OSError as err:
        yield Failure(name, os_problem(err))
        return
    with fh:
        reader = _WarcReader(fh, name, max_bytes)
        yield from reader.pages()
    counts = ", ".join(f"{n} {what}" for what, n in sorted(reader.counts.items()))
    logger.info("%s: %s", name, counts or "no records")


def _normal_url(url: str) -> str:
    """The URL used for deduplication: no fragment, lower-case scheme and host."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, ""))


def _warc_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class _WarcReader:
    """Reads one open WARC file, restarting warcio after each damaged stretch."""

    def __init__(self, fh: BinaryIO, name: str, max_bytes: int) -> None:
        self.fh = fh
        self.name = name
        self.max_bytes = max_bytes
        self.size = os.fstat(fh.fileno()).st_size
        self.gzipped = fh.read(2) == b"\x1f\x8b"
        self.seen_urls: set[str] = set()
        self.seen_hashes: set[str] = set()
        self.counts: Counter[str] = Counter()
        self.damaged = False  # inside a damaged stretch: its failure was reported already

    def pages(self) -> Iterator[Page | Failure]:
        start: int | None = 0
        while start is not None:
            start = yield from self._read_from(start)

    def _read_from(self, start: int) -> Generator[Page | Failure, None, int | None]:
        """Pages from ``start`` on; returns where to resume after damage, or None at the end."""
        self.fh.seek(start)
        archive = ArchiveIterator(self.fh, check_digests=True)
        records = iter(archive)
        while True:
            at = max(archive.offset, start)  # where the next record begins (warcio may say less)
            try:
                record = next(records)
                item = self._page(record, archive)
                archive.read_to_end()  # moves ``archive.offset`` to the end of this record
            except StopIteration:
                break
            except _DAMAGE as err:
                return (yield from self._damage(at, err))
            if item is not None:
                yield item
            self.damaged = False
        end = archive.offset
        if end < self.size and self.size - end > 4:  # bytes left that warcio could not read
            return (yield from self._damage(end, EOFError("unreadable data")))
        return None

    def _damage(self, at: int, err: BaseException) -> Generator[Failure, None, int | None]:
        """Report a damaged stretch once; returns the offset of the next record, or None."""
        resume = self._next_record(at + 1)
        self.counts["damaged stretches"] += not self.damaged
        if not self.damaged:
            reason = (
                str(err).strip().splitlines()[0][:120] if str(err).strip() else type(err).__name__
            )
            kind = (
                "gzip error"
                if isinstance(err, zlib.error) or "gzip" in reason.lower()
                else "damaged record"
            )
            then = (
                f"skipped to the next record at offset {resume}"
                if resume is not None
                else "nothing readable after it"
            )
            yield Failure(f"{self.name}@{at}", f"{kind} ({type(err).__name__}: {reason}); {then}")
        self.damaged = True
        logger.debug("%s: damage at %d (%s), resuming at %s", self.name, at, err, resume)
        return resume

    def _next_record(self, pos: int) -> int | None:
        """The offset of the next gzip member (or WARC header line) at or after ``pos``."""
        magic = _GZIP_MEMBER if self.gzipped else _WARC_RECORD
        skip = 0 if self.gzipped else 1  # the WARC header begins after the newline
        self.fh.seek(pos)
        tail = b""
        base = pos
        while True:
            block = self.fh.read(_SCAN_BLOCK)
            if not block:
                return None
            data = tail + block
            found = data.find(magic)
            if found >= 0:
                return base - len(tail) + found + skip
            tail = data[-(len(magic) - 1) :]
            base += len(block)

    def _page(self, record: Any, archive: Any) -> Page | Failure | None:
        """The record as a Page, a Failure for a damaged or oversized one, or None when passed over."""
        if record.rec_type != "response" or record.http_headers is None:
            self.counts[f"{record.rec_type} records"] += 1
            return None
        url = record.rec_headers.get_header("WARC-Target-URI") or ""
        status = record.http_headers.get_statuscode()
        content_type = record.http_headers.get_header("Content-Type")
        if status != "200" or not is_html_type(content_type):
            self.counts["non-HTML or non-200 responses"] += 1
            return None
        key = _normal_url(url) if url else ""
        if key and key in self.seen_urls:
            self.counts["duplicate URLs"] += 1
            return None
        try:
            payload = record.content_stream().read(self.max_bytes + 1)
        except (zlib.error, EOFError, OSError, ValueError) as err:
            self.counts["unreadable pages"] += 1
            return Failure(
                url or self.name, f"cannot decode the page ({type(err).__name__}: {err})"
            )
        left = getattr(record.raw_stream, "limit", 0)
        offset = archive.get_record_offset()  # reads the rest of the record: call after the payload
        where = f"{self.name}@{offset}"
        if len(payload) > self.max_bytes:
            self.counts["pages too large"] += 1
            return Failure(url or where, f"page too large (over {self.max_bytes} bytes)")
        if left > 0 or record.digest_checker.passed is False:
            self.counts["truncated records"] += 1
            problem = "truncated record" if left > 0 else "damaged record (digest mismatch)"
            return Failure(url or where, f"{problem} at {where}")
        page = Page(
            payload, url or None, where, _warc_date(record.rec_headers.get_header("WARC-Date"))
        )
        digest = page.sha256()
        if digest in self.seen_hashes:
            self.counts["duplicate contents"] += 1
            return None
        self.seen_hashes.add(digest)
        if key:
            self.seen_urls.add(key)
        self.counts["HTML pages"] += 1
        return page
