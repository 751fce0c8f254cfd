"""The event record as table columns: ACLED's columns in ACLED's order, then sitrep's, with a type
for each. The CSV and Parquet writers and the store's DataFrames all build on these rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from sitrep.models import Event, EventRecord
from sitrep.taxonomy import disorder_type

ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
SITREP_COLUMNS = [
    "article_id",
    "event_id",
    "confidence",
    "iso3",
    "injuries",
    "weapons",
    "background",
    "attribution_status",
    "reported_by",
    "source_url",
    "evidence",
]
# Merged records (sitrep.store) add these after sitrep's columns.
RECORD_COLUMNS = [
    "status",
    "source_count",
    "independent_sources",
    "mention_count",
    "article_count",
    "source_fatalities",
    "first_reported",
    "last_reported",
]
# Column types for typed outputs (Parquet, DataFrames); every other column is text.
COLUMN_TYPES = {
    "event_date": "date",
    "year": "int",
    "time_precision": "int",
    "iso": "int",
    "latitude": "float",
    "longitude": "float",
    "geo_precision": "int",
    "fatalities": "int",
    "timestamp": "int",
    "confidence": "float",
    "injuries": "int",
    "background": "bool",
    "source_count": "int",
    "independent_sources": "int",
    "mention_count": "int",
    "article_count": "int",
}


def columns_for(ev: Event | None) -> list[str]:
    """The CSV columns for events like ``ev``: ACLED's, then sitrep's, then a merged record's."""
    cols = ACLED_COLUMNS + SITREP_COLUMNS
    return cols + RECORD_COLUMNS if isinstance(ev, EventRecord) else cols


def event_json(ev: Event) -> str:
    """One event as a JSON line."""
    return json.dumps(ev.to_dict(), ensure_ascii=False)


def acled_row(ev: Event) -> dict[str, Any]:
    """One event as an ACLED-style CSV row (ACLED columns first)."""
    import pycountry

    iso_num = ""
    if ev.iso3:
        c = pycountry.countries.get(alpha_3=ev.iso3)
        iso_num = str(int(c.numeric)) if c else ""
    d = ev.event_date
    row = {
        "event_id_cnty": f"{ev.iso3 or 'XXX'}{ev.event_id}",
        "event_date": d.isoformat() if d else "",
        "year": d.year if d else "",
        "time_precision": ev.time_precision,
        "disorder_type": disorder_type(ev.event_type),
        "event_type": ev.event_type,
        "sub_event_type": ev.sub_event_type,
        "actor1": ev.actor1 or "",
        "assoc_actor_1": ev.assoc_actor_1 or "",
        "inter1": "",
        "actor2": ev.actor2 or "",
        "assoc_actor_2": ev.assoc_actor_2 or "",
        "inter2": "",
        "interaction": "",
        "civilian_targeting": "Civilian targeting" if ev.civilian_targeting else "",
        "iso": iso_num,
        "region": "",
        "country": ev.country or "",
        "admin1": ev.admin1 or "",
        "admin2": ev.admin2 or "",
        "admin3": "",
        "location": ev.location or "",
        "latitude": "" if ev.latitude is None else f"{ev.latitude:.4f}",
        "longitude": "" if ev.longitude is None else f"{ev.longitude:.4f}",
        "geo_precision": ev.geo_precision or "",
        "source": ev.source or "",
        "source_scale": "",
        "notes": ev.notes,
        "fatalities": ev.fatalities,
        "tags": "",
        "timestamp": int(ev.published.timestamp()) if ev.published else "",
        "article_id": ev.article_id,
        "event_id": ev.event_id,
        "confidence": ev.confidence,
        "iso3": ev.iso3 or "",
        "injuries": ev.injuries,
        "weapons": "; ".join(ev.weapons),
        "background": str(ev.background).lower(),
        "attribution_status": ev.attribution.status,
        "reported_by": "; ".join(ev.attribution.reported_by),
        "source_url": ev.source_url or "",
        "evidence": " | ".join(e.text for e in ev.evidence if e.field == "event"),
    }
    if isinstance(ev, EventRecord):
        row.update(
            status=ev.status,
            source_count=ev.source_count,
            independent_sources=ev.independent_sources,
            mention_count=ev.mention_count,
            article_count=ev.article_count,
            source_fatalities="; ".join(f"{f.source}: {f.fatalities}" for f in ev.source_figures),
            first_reported=ev.first_reported.isoformat() if ev.first_reported else "",
            last_reported=ev.last_reported.isoformat() if ev.last_reported else "",
        )
    return row


def typed_value(kind: str, value: Any) -> Any:
    """A CSV cell as the Python value of its column type (None for an empty cell)."""
    if value is None or value == "":
        return None
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if kind == "int":
        return int(value)
    if kind == "float":
        return float(value)
    if kind == "bool":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    return str(value)


def typed_columns(events: Iterable[Event]) -> tuple[list[str], dict[str, list[Any]]]:
    """The column names and typed column values of the events' CSV rows."""
    evs = list(events)
    names = columns_for(evs[0] if evs else None)
    data: dict[str, list[Any]] = {n: [] for n in names}
    for ev in evs:
        row = acled_row(ev)
        for n in names:
            data[n].append(typed_value(COLUMN_TYPES.get(n, "str"), row.get(n)))
    return names, data
