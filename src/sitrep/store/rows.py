"""Between the dataclasses of ``sitrep.models`` and the rows of the event database.

Pure conversions: lists and objects are stored as JSON text, dates and times as ISO strings.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

from sitrep.models import (
    Article,
    Attribution,
    Event,
    EventRecord,
    Evidence,
    Figure,
    SourceFigure,
)
from sitrep.store import fusion
from sitrep.store.derive import StoredArticle

Row = Mapping[str, Any] | sqlite3.Row
T = TypeVar("T")


def build(cls: type[T], data: Mapping[str, Any]) -> T:
    """A dataclass from a stored JSON object, ignoring keys it does not know (older or newer rows)."""
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    return cls(**{k: v for k, v in data.items() if k in names})


def dumps(value: Any) -> str:
    """Compact JSON for a list or object column."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | None, default: Any = None) -> Any:
    """A JSON column's value (``default`` for NULL)."""
    return json.loads(text) if text else default


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def parse_datetime(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def text_sha256(text: str) -> str:
    """The key that makes two articles the same text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def host(url: str | None) -> str | None:
    """The lower-case host of a URL, without ``www.``."""
    if not url:
        return None
    h = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower().rstrip(".")
    return h.removeprefix("www.") or None


def normal_url(url: str | None) -> str | None:
    """The URL used to recognise a stored article: no fragment, lower-case host, no trailing slash."""
    if not url or not url.strip():
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return url.strip()
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def source_name(article: Article) -> str:
    """The publisher an article counts for: its publisher, else its URL's host, else ``unknown``."""
    return (article.publisher or "").strip() or host(article.url) or "unknown"


def place_key(ev: Event) -> str | None:
    """The identity of an event's place in the ``places`` table; None when it names none."""
    if not ev.location and ev.latitude is None and not ev.country:
        return None
    lat = None if ev.latitude is None else round(ev.latitude, 4)
    lon = None if ev.longitude is None else round(ev.longitude, 4)
    return "|".join(str(x or "") for x in (ev.iso3, ev.admin1, ev.admin2, ev.location, lat, lon))


def article_row(article: Article, sha: str, url: str | None, source_id: int) -> dict[str, Any]:
    """The ``articles`` columns of an Article (without signature, wire and timestamps)."""
    return {
        "article_key": article.id,
        "url": url,
        "text_sha256": sha,
        "title": article.title,
        "published": iso(article.published),
        "author": article.author,
        "publisher": article.publisher,
        "source_id": source_id,
        "input": article.source,
        "language": article.language,
        "text": article.text,
    }


def article_from_row(row: Row) -> Article:
    return Article(
        id=row["article_key"],
        text=row["text"],
        title=row["title"],
        published=parse_datetime(row["published"]),
        author=row["author"],
        publisher=row["publisher"],
        url=row["url"],
        source=row["input"],
        language=row["language"],
    )


def stored_article(row: Row) -> StoredArticle:
    return StoredArticle(
        id=row["id"],
        key=row["article_key"],
        source=row["source"],
        url=row["url"],
        title=row["title"],
        published=parse_datetime(row["published"]),
        wire=tuple(loads(row["wire"], [])),
        signature=row["signature"],
    )


_PLACE = (
    "country",
    "iso3",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
)
_ACTORS = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


def mention_row(ev: Event) -> dict[str, Any]:
    """The ``mentions`` columns of one extracted Event (without ids)."""
    row: dict[str, Any] = {
        "mention_key": ev.event_id,
        "event_date": iso(ev.event_date),
        "time_precision": ev.time_precision,
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "confidence": ev.confidence,
        "fatalities": ev.fatalities,
        "injuries": ev.injuries,
        "weapons": dumps(ev.weapons),
        "notes": ev.notes,
        "background": int(ev.background),
        "civilian_targeting": int(ev.civilian_targeting),
        "attribution_status": ev.attribution.status,
        "attribution": dumps(vars(ev.attribution)),
        "figures": dumps([vars(f) for f in ev.figures]),
    }
    for name in _ACTORS + _PLACE:
        row[name] = getattr(ev, name)
    return row


def _evidence(items: Any) -> list[Evidence]:
    return [build(Evidence, e) for e in items or []]


def _shared_fields(row: Row) -> dict[str, Any]:
    """The fields a ``mentions`` row and an ``events`` row store alike, decoded."""
    return {
        "event_type": row["event_type"],
        "sub_event_type": row["sub_event_type"],
        "confidence": row["confidence"] or 0.0,
        "event_date": parse_date(row["event_date"]),
        "time_precision": row["time_precision"] or 3,
        "fatalities": row["fatalities"],
        "injuries": row["injuries"],
        "weapons": loads(row["weapons"], []),
        "notes": row["notes"] or "",
        "background": bool(row["background"]),
        "civilian_targeting": bool(row["civilian_targeting"]),
        "figures": [build(Figure, f) for f in loads(row["figures"], [])],
        "attribution": build(Attribution, loads(row["attribution"], {})),
        **{name: row[name] for name in _ACTORS + _PLACE},
    }


def mention_from_row(row: Row, evidence: list[Evidence]) -> Event:
    """An extracted Event back from its ``mentions`` row (joined with its article's columns)."""
    return Event(
        article_id=row["article_key"],
        event_id=row["mention_key"],
        evidence=evidence,
        source=row["source"],
        source_url=row["url"],
        published=parse_datetime(row["published"]),
        **_shared_fields(row),
    )


def event_row(record: EventRecord) -> dict[str, Any]:
    """The ``events`` columns of a merged record (without ids, place, terms and timestamps)."""
    row: dict[str, Any] = {
        "event_key": record.event_id,
        "event_date": iso(record.event_date),
        "time_precision": record.time_precision,
        "event_type": record.event_type,
        "sub_event_type": record.sub_event_type,
        "fatalities": record.fatalities,
        "injuries": record.injuries,
        "status": record.status,
        "source_count": record.source_count,
        "independent_sources": record.independent_sources,
        "mention_count": record.mention_count,
        "article_count": record.article_count,
        "sources": dumps(record.sources),
        "first_reported": iso(record.first_reported),
        "last_reported": iso(record.last_reported),
        "notes": record.notes,
        "weapons": dumps(record.weapons),
        "civilian_targeting": int(record.civilian_targeting),
        "background": int(record.background),
        "confidence": record.confidence,
        "attribution": dumps(vars(record.attribution)),
        "source_figures": dumps(
            [dict(vars(f), published=iso(f.published)) for f in record.source_figures]
        ),
        "figures": dumps([vars(f) for f in record.figures]),
        "evidence": dumps([vars(e) for e in record.evidence if e.field == "event"]),
        "article_key": record.article_id,
        "source_url": record.source_url,
    }
    for name in _ACTORS + _PLACE:
        row[name] = getattr(record, name)
    return row


def record_from_row(row: Row) -> EventRecord:
    """A merged EventRecord from its ``events`` row (``reports`` left empty)."""
    sources = loads(row["sources"], [])
    last = parse_datetime(row["last_reported"])
    return EventRecord(
        article_id=row["article_key"] or "",
        event_id=row["event_key"],
        evidence=_evidence(loads(row["evidence"], [])),
        source="; ".join(sources) or None,
        source_url=row["source_url"],
        published=last,
        status=row["status"],
        sources=sources,
        source_count=row["source_count"],
        independent_sources=row["independent_sources"],
        mention_count=row["mention_count"],
        article_count=row["article_count"],
        first_reported=parse_datetime(row["first_reported"]),
        last_reported=last,
        source_figures=[
            build(SourceFigure, dict(f, published=parse_datetime(f.get("published"))))
            for f in loads(row["source_figures"], [])
        ],
        **_shared_fields(row),
    )


def event_sketch(row: Row, articles: frozenset[str]) -> fusion.Sketch:
    """What fusion compares a mention with, from a few columns of an ``events`` row."""
    event_date = parse_date(row["event_date"])
    precision = row["time_precision"] or 3
    day_from, day_to = fusion.date_window(
        event_date, precision, parse_datetime(row["last_reported"])
    )
    names: set[str] = set()
    prefixes = fusion.generic_prefixes()
    for name in _ACTORS:
        for part in (row[name] or "").split(";"):
            part = part.strip().casefold()
            if part and not part.startswith(prefixes):
                names.add(part)
    return fusion.Sketch(
        event_type=row["event_type"],
        sub_event_type=row["sub_event_type"],
        day_from=day_from,
        day_to=day_to,
        time_precision=precision if event_date else 3,
        iso3=row["iso3"],
        admin1=row["admin1"],
        location=row["location"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        geo_precision=row["geo_precision"],
        actors=frozenset(names),
        terms=frozenset(loads(row["terms"], [])),
        articles=articles,
        event_id=row["id"],
    )
