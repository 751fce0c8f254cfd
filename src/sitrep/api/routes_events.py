"""Read routes over merged events: list (JSON, GeoJSON), the page's map points, one event, counts."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from sitrep import taxonomy
from sitrep.api.errors import require_store
from sitrep.api.filters import CountParams, FilterParams, ListParams
from sitrep.api.schemas import CountOut, EventDetail, EventOut, EventPage, MentionOut, SearchHitOut
from sitrep.api.settings import ApiSettings
from sitrep.errors import SitrepError
from sitrep.export.writers import geojson_feature
from sitrep.store import EventQuery, Store

log = logging.getLogger(__name__)
router = APIRouter(prefix="/api", tags=["events"], dependencies=[Depends(require_store)])

EventId = Annotated[
    str, Path(min_length=1, max_length=100, description="the event's key, e.g. E1a2b…")
]
_EPOCH = date(1970, 1, 1).toordinal()

POINTS_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Columns, one entry per event: id, lat, lon, day (days since 1970-01-01), type "
        "(index into event_types), sub_event_type, location, country, fatalities, sources, status; "
        "plus total and truncated.",
        "content": {"application/json": {}},
    }
}


def _store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def _settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


@router.get(
    "/events",
    response_model=EventPage,
    summary="List events (paginated; JSON or GeoJSON)",
    responses={200: {"content": {"application/geo+json": {}}}},
)
def list_events(request: Request, params: Annotated[ListParams, Query()]) -> Any:
    """Merged events matching the filters, one page at a time; ``format=geojson`` for a FeatureCollection."""
    settings = _settings(request)
    if params.limit > settings.max_page:
        raise HTTPException(422, f"limit must be at most {settings.max_page}")
    store = _store(request)
    query = params.query(limit=params.limit, offset=params.offset, order=params.order)
    total = store.count_events(query)
    records = store.events(query) if params.limit else []
    nxt = params.offset + len(records)
    next_offset = nxt if records and nxt < total else None
    if params.format == "geojson":
        body = {
            "type": "FeatureCollection",
            "features": [geojson_feature(r) for r in records],
            "total": total,
            "limit": params.limit,
            "offset": params.offset,
            "next_offset": next_offset,
        }
        return JSONResponse(body, media_type="application/geo+json")
    return EventPage(
        total=total,
        limit=params.limit,
        offset=params.offset,
        next_offset=next_offset,
        items=[EventOut.model_validate(r) for r in records],
    )


@router.get(
    "/points", summary="Every matching event in compact columns, for the map", responses=POINTS_DOC
)
def points(request: Request, params: Annotated[FilterParams, Query()]) -> Response:
    """Compact columns of up to ``max_points`` events (newest first) for the page's map and timeline."""
    query = params.query()  # validates before anything is cached
    key = tuple(sorted((k, v) for k, v in params.model_dump().items() if v is not None))
    body = request.app.state.points_cache.get(key, lambda: points_payload(request.app, query))
    return Response(body, media_type="application/json")


# the map's columns: (name in the payload, column of the events table)
_POINT_COLUMNS = (
    ("id", "event_key"),
    ("lat", "latitude"),
    ("lon", "longitude"),
    ("day", "event_date"),
    ("type", "event_type"),
    ("sub_event_type", "sub_event_type"),
    ("location", "location"),
    ("country", "country"),
    ("fatalities", "fatalities"),
    ("sources", "source_count"),
    ("status", "status"),
)


def points_payload(app: Any, query: EventQuery) -> bytes:
    """The encoded compact columns of the events matching ``query`` (its paging is replaced)."""
    settings: ApiSettings = app.state.settings
    store: Store = app.state.store
    query.limit, query.offset, query.order = settings.max_points + 1, 0, "-date"
    found = store.event_columns([column for _, column in _POINT_COLUMNS], query)
    truncated = len(found) > settings.max_points
    if truncated:
        found = found[: settings.max_points]
    total = store.count_events(query) if truncated else len(found)
    return json.dumps(_columns(found, total, truncated), separators=(",", ":")).encode()


def warm_points(app: Any) -> None:
    """Build the unfiltered map payload ahead of the first page load (run in a background thread)."""
    try:
        app.state.points_cache.get((), lambda: points_payload(app, EventQuery()))
    except SitrepError as exc:  # the first request will report it
        log.warning("could not prepare the map: %s", exc)


def _columns(found: list[tuple[Any, ...]], total: int, truncated: bool) -> dict[str, Any]:
    """Rows of ``_POINT_COLUMNS`` as parallel lists; days since 1970; event types as small
    integers into ``event_types``."""
    types = list(taxonomy.event_types())
    index = {t: i for i, t in enumerate(types)}
    values = list(zip(*found, strict=True)) if found else [() for _ in _POINT_COLUMNS]
    cols = {name: list(v) for (name, _), v in zip(_POINT_COLUMNS, values, strict=True)}
    for t in cols["type"]:
        if t not in index:
            index[t] = len(types)
            types.append(t)
    cols["type"] = [index[t] for t in cols["type"]]
    cols["day"] = [_day(d) for d in cols["day"]]
    return {"total": total, "truncated": truncated, "event_types": types, **cols}


def _day(text: str | None) -> int | None:
    """Days since 1970-01-01 of an ISO date (None for none or a value that is not a date)."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10]).toordinal() - _EPOCH
    except ValueError:
        return None


@router.get(
    "/events/{event_id}",
    response_model=EventDetail,
    summary="One event with its reports and evidence",
)
def get_event(request: Request, event_id: EventId) -> EventDetail:
    """The merged event with every report of it: sources, figures, attribution and evidence."""
    record = _store(request).event(event_id)
    if record is None:
        raise HTTPException(404, "no such event")
    return EventDetail.model_validate(record)


@router.get(
    "/events/{event_id}/mentions",
    response_model=list[MentionOut],
    summary="The mentions merged into an event",
)
def get_mentions(request: Request, event_id: EventId) -> list[MentionOut]:
    """The events as the extractor made them from each article, before merging."""
    store = _store(request)
    mentions = store.mentions(event_id)
    if not mentions and store.event(event_id) is None:
        raise HTTPException(404, "no such event")
    return [MentionOut.model_validate(m) for m in mentions]


@router.get(
    "/counts",
    response_model=list[CountOut],
    summary="Events and fatalities per day or week and type",
)
def counts(request: Request, params: Annotated[CountParams, Query()]) -> list[CountOut]:
    """Counts of the matching events by period (``by=day`` or ``week``, weeks start on Monday) and type."""
    query = params.query()
    return [CountOut.model_validate(c) for c in _store(request).counts(params.by, query)]


@router.get(
    "/search",
    response_model=list[SearchHitOut],
    summary="Full-text search of articles",
    tags=["articles"],
)
def search(
    request: Request,
    q: Annotated[
        str, Query(min_length=1, max_length=200, description="words that must all appear")
    ],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> list[SearchHitOut]:
    """Articles whose title or text contain all the words, best first, with a snippet."""
    return [SearchHitOut.model_validate(h) for h in _store(request).search(q, limit)]
