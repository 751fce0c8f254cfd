"""Event writers. Each takes Events (plain records) and a text stream; none imports the NLP."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import IO, Any

from sitrep.models import Event, EventRecord
from sitrep.taxonomy import disorder_type

# ACLED's export columns, in ACLED's order; sitrep's own columns follow.
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


def write_jsonl(events: Iterable[Event], out: IO[str]) -> int:
    n = 0
    for ev in events:
        out.write(event_json(ev) + "\n")
        n += 1
    return n


def write_csv(events: Iterable[Event], out: IO[str]) -> int:
    it = iter(events)
    first = next(it, None)
    writer = csv.DictWriter(out, fieldnames=columns_for(first), lineterminator="\n")
    writer.writeheader()
    if first is None:
        return 0
    writer.writerow(acled_row(first))
    n = 1
    for ev in it:
        writer.writerow(acled_row(ev))
        n += 1
    return n


def geojson_feature(ev: Event) -> dict[str, Any]:
    """One event as a GeoJSON Feature (null geometry when it has no coordinates)."""
    props = ev.to_dict()
    geometry = None
    if ev.latitude is not None and ev.longitude is not None:
        geometry = {"type": "Point", "coordinates": [ev.longitude, ev.latitude]}
    return {"type": "Feature", "id": ev.event_id, "geometry": geometry, "properties": props}


def write_geojson(events: Iterable[Event], out: IO[str]) -> int:
    feats = [geojson_feature(ev) for ev in events]
    json.dump({"type": "FeatureCollection", "features": feats}, out, ensure_ascii=False)
    out.write("\n")
    return len(feats)


def write_table(events: Iterable[Event], out: IO[str]) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False, expand=False)
    for col in ("date", "type / sub-type", "actors", "place", "fat.", "inj.", "status"):
        table.add_column(col, overflow="fold")
    table.add_column("sources", overflow="fold")
    n = 0
    for ev in events:
        place = ", ".join(x for x in (ev.location, ev.admin1, ev.country) if x) or "-"
        prec = f" (p{ev.geo_precision})" if ev.geo_precision else ""
        date = f"{ev.event_date or '-'} (p{ev.time_precision})"
        actors = " vs ".join(a for a in (ev.actor1, ev.actor2) if a) or "-"
        table.add_row(
            date,
            f"{ev.event_type} / {ev.sub_event_type}" + (" [background]" if ev.background else ""),
            actors,
            place + prec,
            str(ev.fatalities),
            str(ev.injuries),
            ev.status if isinstance(ev, EventRecord) else ev.attribution.status,
            f"{ev.source_count} ({ev.independent_sources} indep.)"
            if isinstance(ev, EventRecord)
            else (ev.source or "-"),
        )
        n += 1
    Console(file=out, width=160, soft_wrap=False).print(table)
    return n


FORMATS: dict[str, Callable[[Iterable[Event], IO[str]], int]] = {
    "table": write_table,
    "jsonl": write_jsonl,
    "csv": write_csv,
    "geojson": write_geojson,
}


def write_events(events: Iterable[Event], out: IO[str], fmt: str) -> int:
    """Write events in ``fmt`` (table, jsonl, csv, geojson); returns how many were written."""
    return FORMATS[fmt](events, out)
