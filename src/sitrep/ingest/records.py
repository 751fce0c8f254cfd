"""JSON records to Articles: ``{"id", "text", "title"?, "published"?, "url"?, "author"?}``.

A record with ``html`` instead of ``text`` goes through the HTML path. Extra keys (the VOA
benchmark's ``section`` and ``keywords``) are accepted and ignored.
"""

from __future__ import annotations

import logging
from typing import Any

from sitrep.errors import IngestError
from sitrep.ingest.html import article_from_html
from sitrep.ingest.metadata import parse_datetime, publisher_for_url, stable_id
from sitrep.ingest.text import clean_text
from sitrep.models import Article

logger = logging.getLogger(__name__)

NO_TEXT = "record has no text"


def _string(value: Any) -> str | None:
    """A non-empty stripped string from a scalar or a list of scalars (authors), else None."""
    if isinstance(value, list):
        value = ", ".join(str(v).strip() for v in value if str(v).strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def article_from_record(record: dict[str, Any], source: str | None = None) -> Article:
    """An Article from one JSON record; the record's own fields win over what cleaning finds.

    Raises ``IngestError`` for a record that is not an object or carries no text.
    """
    name = source or "<record>"
    if not isinstance(record, dict):
        raise IngestError(name, f"record is not a JSON object (got {type(record).__name__})")
    url = _string(record.get("url"))
    title = _string(record.get("title"))
    text = record.get("text")
    html = record.get("html")
    if isinstance(text, str) and text.strip():
        cleaned = clean_text(text, title=title)
        if not cleaned.text:
            raise IngestError(name, "no article text left after cleaning")
        article = Article(
            id="",
            text=cleaned.text,
            title=title or cleaned.title,
            published=cleaned.published,
            author=cleaned.author,
            publisher=cleaned.publisher,
            url=url or cleaned.url,
            removed=cleaned.removed,
        )
    elif isinstance(html, str | bytes) and html.strip():
        article = article_from_html(html, source=name, url=url)
        article.title = title or article.title
    else:
        raise IngestError(name, NO_TEXT)

    raw_date = record.get("published", record.get("date"))
    if raw_date not in (None, ""):
        when = parse_datetime(raw_date)
        if when is None:
            logger.warning("%s: publication date %r not understood", name, raw_date)
        else:
            article.published = when
    article.author = _string(record.get("author")) or article.author
    article.url = article.url or url
    article.publisher = (
        publisher_for_url(article.url)
        or _string(record.get("publisher"))
        or _string(record.get("sitename"))
        or article.publisher
    )
    record_id = _string(record.get("id"))
    article.id = record_id or stable_id(article.url or article.text)
    article.source = source
    language = _string(record.get("language"))
    article.language = language.lower() if language else None
    return article
