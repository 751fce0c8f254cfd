"""Article metadata helpers shared by every input format: ids, publishers, dates."""

from __future__ import annotations

import hashlib
import logging
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sitrep.resources import load_json

logger = logging.getLogger(__name__)

_DATEPARSER_SETTINGS = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
_RELATIVE = re.compile(
    r"\b(?:ago|yesterday|today|tomorrow|now)\b"
    r"|\b(?:last|next|this)\s+(?:week|month|year|mon|tue|wed|thu|fri|sat|sun)",
    re.I,
)


def stable_id(value: str) -> str:
    """A 16-hex-digit id derived from ``value`` (a URL or a cleaned text); the same on every run."""
    return hashlib.sha1(value.encode("utf-8")).hexdigest()[:16]


def host_of(url: str | None) -> str | None:
    """The lower-case host name of ``url`` without a leading ``www.``, or None."""
    if not url:
        return None
    parts = urlsplit(url if "//" in url else f"//{url}")
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None


def publisher_for_url(url: str | None) -> str | None:
    """The publisher's name for ``url`` from ``data/publishers.json``, trying each parent domain."""
    host = host_of(url)
    if not host:
        return None
    table = load_json("publishers.json")
    labels = host.split(".")
    for i in range(len(labels) - 1):
        name = table.get(".".join(labels[i:]))
        if isinstance(name, str):
            return name
    return None


def parse_datetime(value: object) -> datetime | None:
    """A datetime from an ISO string, a free-form date string or a Unix timestamp; None if unclear.

    The result carries a time zone only when the input names one (``Z``, ``+02:00``, ``GMT``...).
    Relative expressions ("3 hours ago") give None: they depend on when the page was fetched.
    """
    if isinstance(value, datetime):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        stamp = float(value) / (1000.0 if value > 1e11 else 1.0)  # milliseconds in some feeds
        try:
            return datetime.fromtimestamp(stamp, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text or _RELATIVE.search(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    import dateparser  # slow to import; most inputs never reach here

    try:
        parsed: datetime | None = dateparser.parse(
            text, languages=["en"], settings=_DATEPARSER_SETTINGS
        )
    except (ValueError, TypeError, OverflowError) as err:
        logger.debug("date %r not parsed: %s", text, err)
        return None
    return parsed
