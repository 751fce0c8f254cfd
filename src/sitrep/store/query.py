"""The filters of an event query, and the SQL ``WHERE`` clause they make."""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sitrep import taxonomy

ORDERS = {
    "date": "event_date IS NULL, event_date ASC, id ASC",
    "-date": "event_date DESC, id DESC",  # NULL sorts last going down: the date indexes give the order
    "sources": "source_count ASC, id ASC",
    "-sources": "source_count DESC, event_date DESC, id DESC",
    "fatalities": "fatalities ASC, id ASC",
    "-fatalities": "fatalities DESC, event_date DESC, id DESC",
    "id": "id ASC",
    "-id": "id DESC",
    "updated": "updated_at ASC, id ASC",
    "-updated": "updated_at DESC, id DESC",
}
STATUSES = ("confirmed", "disputed", "reported", "claimed", "unconfirmed")
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass
class EventQuery:
    """Filters on merged events; every one is optional and they combine with AND.

    ``country`` is a name or an ISO 3166 alpha-3 code (three letters); ``actor`` matches part of any actor name;
    ``text`` is words that must all appear in the event's place, actors, notes or evidence;
    ``bbox`` is (west, south, east, north) in degrees; ``status`` is one status or several.
    """

    date_from: date | None = None
    date_to: date | None = None
    country: str | None = None
    admin1: str | None = None
    event_type: str | None = None
    sub_event_type: str | None = None
    actor: str | None = None
    text: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    min_sources: int | None = None
    min_independent: int | None = None
    status: str | tuple[str, ...] | list[str] | None = None
    limit: int | None = None
    offset: int = 0
    order: str = "-date"

    @classmethod
    def from_filters(cls, **filters: Any) -> EventQuery:
        """An EventQuery from keyword filters, accepting strings for dates and the bounding box."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(filters) - names)
        if unknown:
            raise ValueError(
                f"unknown filter {unknown[0]!r}; filters are: {', '.join(sorted(names))}"
            )
        q = cls(**{k: v for k, v in filters.items() if v is not None})
        q.validate()
        return q

    def validate(self) -> None:
        """Normalise string values and raise ``ValueError`` for a filter that cannot match anything."""
        if isinstance(self.date_from, str):
            self.date_from = parse_day(self.date_from)
        if isinstance(self.date_to, str):
            self.date_to = parse_day(self.date_to)
        if isinstance(self.bbox, str):
            self.bbox = parse_bbox(self.bbox)
        if self.text is not None and not self.text.strip():
            self.text = None  # blank: no text filter, as if it were not given
        if self.text is not None and fts_phrase(self.text) is None:
            raise ValueError(
                f"text has no words to search for (only punctuation): {self.text[:40]!r}"
            )
        if self.bbox is not None:
            w, s, e, n = (float(v) for v in self.bbox)
            if not (-90 <= s <= n <= 90 and -180 <= w <= 180 and -180 <= e <= 180):
                raise ValueError("bbox is west,south,east,north in degrees, with south <= north")
            self.bbox = (w, s, e, n)
        if self.event_type is not None and self.event_type not in taxonomy.event_types():
            raise ValueError(
                f"unknown event type {self.event_type!r}; one of: {', '.join(taxonomy.event_types())}"
            )
        if (
            self.sub_event_type is not None
            and self.sub_event_type not in taxonomy.sub_event_types()
        ):
            raise ValueError(f"unknown sub-event type {self.sub_event_type!r}")
        for status in self.statuses():
            if status not in STATUSES:
                raise ValueError(f"unknown status {status!r}; one of: {', '.join(STATUSES)}")
        if self.order not in ORDERS:
            raise ValueError(f"unknown order {self.order!r}; one of: {', '.join(ORDERS)}")
        if self.limit is not None and self.limit < 0:
            raise ValueError("limit must be 0 or more")
        if self.offset < 0:
            raise ValueError("offset must be 0 or more")

    def statuses(self) -> list[str]:
        if self.status is None:
            return []
        if isinstance(self.status, str):
            return [s.strip() for s in self.status.split(",") if s.strip()]
        return list(self.status)


def parse_day(text: str) -> date:
    """A date from ``YYYY-MM-DD`` (``ValueError`` with a readable message otherwise)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parse_bbox(text: str) -> tuple[float, float, float, float]:
    """``west,south,east,north`` as four floats."""
    parts = [p for p in re.split(r"[,\s]+", text.strip()) if p]
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise ValueError(f"bbox must be four numbers west,south,east,north: {text!r}") from None
    return (w, s, e, n)


def fts_phrase(text: str) -> str | None:
    """User words as an FTS5 query that needs all of them (quoted, so no FTS syntax leaks in)."""
    tokens = _TOKEN.findall(text)
    return " ".join(f'"{t}"' for t in tokens) or None


def where(q: EventQuery, *, spatial_index: bool = False) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (or "") and its parameters for a query on the ``events`` table.

    With ``spatial_index`` the bounding box is looked up in the ``events_rtree`` R*Tree first.
    """
    clauses: list[str] = []
    params: list[Any] = []
    if q.date_from:
        clauses.append("event_date >= ?")
        params.append(q.date_from.isoformat())
    if q.date_to:
        clauses.append("event_date <= ?")
        params.append(q.date_to.isoformat())
    if q.country:
        country = q.country.strip()
        if len(country) == 3 and country.isalpha():  # an ISO 3166 alpha-3 code
            clauses.append("iso3 = ?")
            params.append(country.upper())
        else:
            clauses.append("country = ? COLLATE NOCASE")
            params.append(country)
    if q.admin1:
        clauses.append("admin1 = ? COLLATE NOCASE")
        params.append(q.admin1.strip())
    if q.event_type:
        clauses.append("event_type = ?")
        params.append(q.event_type)
    if q.sub_event_type:
        clauses.append("sub_event_type = ?")
        params.append(q.sub_event_type)
    if q.actor:
        like = f"%{_escape_like(q.actor.strip())}%"
        clauses.append(
            "(actor1 LIKE ? ESCAPE '\\' OR actor2 LIKE ? ESCAPE '\\' "
            "OR assoc_actor_1 LIKE ? ESCAPE '\\' OR assoc_actor_2 LIKE ? ESCAPE '\\')"
        )
        params += [like] * 4
    if q.text:
        phrase = fts_phrase(q.text)
        if phrase:
            clauses.append("id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
            params.append(phrase)
    if q.bbox:
        clauses += _bbox_clauses(q.bbox, params, spatial_index)
    if q.min_sources:
        clauses.append("source_count >= ?")
        params.append(int(q.min_sources))
    if q.min_independent:
        clauses.append("independent_sources >= ?")
        params.append(int(q.min_independent))
    statuses = q.statuses()
    if statuses:
        clauses.append(f"status IN ({', '.join('?' * len(statuses))})")
        params += statuses
    return (" WHERE " + " AND ".join(clauses) if clauses else "", params)


def _bbox_clauses(
    bbox: tuple[float, float, float, float], params: list[Any], spatial_index: bool
) -> list[str]:
    """The bounding-box conditions (parameters appended to ``params``).

    The R*Tree keeps 32-bit bounds rounded outwards, so it is asked for boxes that touch the query
    (a superset) and the exact test on the event's own latitude and longitude follows.
    """
    w, s, e, n = bbox
    clauses = []
    if spatial_index:
        lat = "max_lat >= ? AND min_lat <= ?"
        if w <= e:
            clauses.append(
                f"id IN (SELECT id FROM events_rtree WHERE {lat} AND max_lon >= ? AND min_lon <= ?)"
            )
            params += [s, n, w, e]
        else:  # the box crosses the antimeridian: two boxes
            clauses.append(
                f"id IN (SELECT id FROM events_rtree WHERE {lat} AND max_lon >= ?"
                f" UNION ALL SELECT id FROM events_rtree WHERE {lat} AND min_lon <= ?)"
            )
            params += [s, n, w, s, n, e]
    clauses.append("latitude BETWEEN ? AND ?")
    params += [s, n]
    if w <= e:
        clauses.append("longitude BETWEEN ? AND ?")
        params += [w, e]
    else:
        clauses.append("(longitude >= ? OR longitude <= ?)")
        params += [w, e]
    return clauses


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
