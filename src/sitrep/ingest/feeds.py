"""RSS and Atom feeds (read with feedparser) to the article links they list, and the watch list file.

A watch list (``FEEDS.txt``) has one source a line: a URL, or ``feed URL`` / ``page URL`` to say what
it is; blank lines and ``#`` comments are ignored. An unmarked URL is a feed when its answer looks
like one (an XML media type, or a document that starts as RSS, Atom or RDF) and a page otherwise.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from sitrep.errors import IngestError
from sitrep.ingest.raw import media_type

logger = logging.getLogger(__name__)

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/feed+xml",
    }
)
_FEED_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:rss|feed|rdf:RDF)\b", re.S
)
KINDS = ("feed", "page", "auto")


@dataclass(frozen=True)
class Source:
    """One line of a watch list: a URL and what it is (feed, page, or auto: decided by its answer)."""

    url: str
    kind: str = "auto"


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed: the article's URL, with its title and date when the feed gives them."""

    url: str
    title: str | None = None
    published: datetime | None = None


def read_sources(path: str | Path) -> list[Source]:
    """The sources of a watch list; raises ``IngestError`` for a line that is not a URL."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise IngestError(name, f"cannot read the watch list ({err})") from err
    sources = []
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()  # a comment; a URL's own fragment has no space before
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        kind, url = ("auto", parts[0]) if len(parts) == 1 else (parts[0].lower(), parts[1])
        if kind not in KINDS or len(parts) > 2 or urlsplit(url).scheme not in ("http", "https"):
            raise IngestError(
                f"{name}:{lineno}", f"expected 'URL', 'feed URL' or 'page URL', got {raw.strip()!r}"
            )
        sources.append(Source(url, kind))
    return sources


def looks_like_feed(content_type: str | None, body: bytes) -> bool:
    """True when an answer is a feed rather than a page: by media type, else by its first tag."""
    kind = media_type(content_type)
    if kind in FEED_TYPES:
        return True
    if kind in ("text/html", "application/xhtml+xml"):
        return False
    return bool(_FEED_START.match(body[:4096]))


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> list[FeedEntry]:
    """The entries of an RSS or Atom document, links made absolute; ``IngestError`` if it is not one.

    A feed with small XML errors still gives the entries feedparser could read (logged).
    """
    import feedparser

    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed: Any = feedparser.parse(body, response_headers=headers)
    if not parsed.entries:
        if parsed.bozo and not parsed.version:
            problem = getattr(
                parsed.get("bozo_exception"), "getMessage", lambda: None
            )() or parsed.get("bozo_exception")
            raise IngestError(url, f"not an RSS or Atom feed ({problem})")
        if not parsed.version:
            raise IngestError(url, "not an RSS or Atom feed")
        return []
    if parsed.bozo:
        logger.warning(
            "%s: feed has errors (%s); read %d entries anyway",
            url,
            parsed.get("bozo_exception"),
            len(parsed.entries),
        )
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or entry.get("id")
        if not link or not isinstance(link, str):
            continue
        link = urljoin(url, link.strip())
        if urlsplit(link).scheme not in ("http", "https"):
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        entries.append(FeedEntry(link, entry.get("title") or None, published))
    return entries
