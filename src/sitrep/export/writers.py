"""Event writers. Each takes Events (plain records) and a text stream; none imports the NLP."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import IO, Any

from sitrep.columns import (  # noqa: F401  (re-exported: the writers' columns)
    ACLED_COLUMNS,
    COLUMN_TYPES,
    RECORD_COLUMNS,
    SITREP_COLUMNS,
    acled_row,
    columns_for,
    event_json,
)
from sitrep.models import Event, EventRecord


# ACLED's export columns, in ACLED's order; sitrep's own columns follow.
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
