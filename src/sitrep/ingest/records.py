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
# the record's fields, the types each may have, and what the one line says of another type
FIELD_TYPES: tuple[tuple[tuple[str, ...], tuple[type, ...], str], ...] = (
    (("text", "title", "url", "publisher", "sitename", "language"), (str,), "must be a string"),
    (("html",), (str, bytes), "must be a string"),
    (("published", "date"), (str,), "must be an ISO date"),
)


def _string(value: Any) -> str | None:
    """A non-empty stripped string from a scalar or a list of scalars (authors), else None."""
    if isinstance(value, list):
        value = ", ".join(str(v).strip() for v in value if str(v).strip())
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _kind(value: Any) -> str:
    """A JSON value's kind, as a user would name it."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    return "a string" if isinstance(value, str) else type(value).__name__


def check_record(record: Any, name: str = "<record>") -> dict[str, Any]:
    """The record with its fields' types checked, ``id`` as a string; the CLI and the API share it.

    Raises ``IngestError`` with one line for the first field of the wrong type: ``text must be a
    string``, ``published must be an ISO date``, ``id must be a string``. Unknown keys pass.
    """
    if not isinstance(record, dict):
        raise IngestError(name, f"record is not a JSON object (got {_kind(record)})")
    for keys, types, must in FIELD_TYPES:
        for key in keys:
            value = record.get(key)
            if value is not None and not isinstance(value, types):
                raise IngestError(name, f"{key} {must} (got {_kind(value)})")
    author = record.get("author")
    if author is not None and not (
        isinstance(author, str)
        or isinstance(author, list)
        and all(isinstance(a, str) for a in author)
    ):
        raise IngestError(
            name, f"author must be a string or a list of strings (got {_kind(author)})"
        )
    rid = record.get("id")
    if rid is None or isinstance(rid, str):
        return record
    if isinstance(rid, int) and not isinstance(rid, bool):  # numbered records are common
        return {**record, "id": str(rid)}
    raise IngestError(name, f"id must be a string (got {_kind(rid)})")


def article_from_record(record: dict[str, Any], source: str | None = None) -> Article:
    """An Article from one JSON record; the record's own fields win over what cleaning finds.

    Raises ``IngestError`` for a record that is not an object, has a field of the wrong type
    (``check_record``) or carries no text.
    """
    name = source or "<record>"
    record = check_record(record, name)
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
