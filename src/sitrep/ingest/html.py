"""HTML pages to Articles through trafilatura, offline (the page is given, never fetched)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sitrep.errors import IngestError
from sitrep.ingest.metadata import parse_datetime, publisher_for_url, stable_id
from sitrep.ingest.text import BYLINE, DATELINE, HEADLINE, clean_text
from sitrep.models import Article, Removed

logger = logging.getLogger(__name__)

NO_TEXT = "no article text found in HTML"

# <meta> names and properties that carry the publication time, most specific first.
_DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
)


def _jsonld_dates(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        value = node.get("datePublished")
        if isinstance(value, str):
            yield value
        for child in node.values():
            yield from _jsonld_dates(child)
    elif isinstance(node, list):
        for child in node:
            yield from _jsonld_dates(child)


def published_from_tree(tree: Any) -> tuple[datetime | None, str | None]:
    """The publication time from a page's <meta>, JSON-LD or <time>, with its raw text.

    trafilatura keeps only the day; these tags usually carry the time and zone as well.
    """
    metas: dict[str, str] = {}
    for meta in tree.iterfind(".//meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            metas.setdefault(key, content)
    candidates = [metas[k] for k in _DATE_META if k in metas]
    for script in tree.iterfind(".//script[@type='application/ld+json']"):
        try:
            candidates.extend(_jsonld_dates(json.loads(script.text or "")))
        except ValueError:
            continue
    candidates += [t.get("datetime", "") for t in tree.iterfind(".//time[@datetime]")]
    for raw in candidates:
        when = parse_datetime(raw)
        if when is not None:
            return when, raw
    return None, None


def article_from_html(
    html: str | bytes, source: str | None = None, url: str | None = None
) -> Article:
    """An Article from an HTML page: trafilatura finds the body and metadata, no network used.

    Raises ``IngestError`` when the page has no article text.
    """
    name = source or url or "<html>"
    try:
        import trafilatura
    except ImportError as err:  # e.g. lxml without its separate html-clean module
        raise IngestError(name, f"HTML support unavailable ({err})") from err

    tree = trafilatura.load_html(html)
    if tree is None:
        raise IngestError(name, NO_TEXT)
    published, published_raw = published_from_tree(tree)
    doc = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
    )
    if doc is None:
        raise IngestError(name, NO_TEXT)
    fields: dict[str, Any] = doc if isinstance(doc, dict) else doc.as_dict()
    body = fields.get("text")
    if not isinstance(body, str) or not body.strip():
        raise IngestError(name, NO_TEXT)

    title: str | None = fields.get("title") or None
    author: str | None = fields.get("author") or None
    date: str | None = fields.get("date") or None
    cleaned = clean_text(body, title=title, unwrap=False)
    if not cleaned.text:
        raise IngestError(name, NO_TEXT)
    if published is None and date:
        published, published_raw = parse_datetime(date), date
    page_url = url or fields.get("url") or cleaned.url
    removed: list[Removed] = []
    if title:
        removed.append(Removed(HEADLINE, title))
    if author:
        removed.append(Removed(BYLINE, author))
    if published_raw:
        removed.append(Removed(DATELINE, published_raw))
    return Article(
        id=stable_id(page_url) if page_url else stable_id(cleaned.text),
        text=cleaned.text,
        title=title or cleaned.title,
        published=published or cleaned.published,
        author=author or cleaned.author,
        publisher=publisher_for_url(page_url) or fields.get("sitename") or cleaned.publisher,
        url=page_url,
        source=source,
        removed=removed + cleaned.removed,
    )
