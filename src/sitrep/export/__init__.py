"""Writers for the event record: JSONL, ACLED-style CSV, GeoJSON, a terminal table, Parquet, PLOVER."""

from sitrep.export.parquet import events_table, write_parquet
from sitrep.export.plover import plover_record, write_plover
from sitrep.export.writers import FORMATS, write_events

__all__ = [
    "FORMATS",
    "events_table",
    "plover_record",
    "write_events",
    "write_parquet",
    "write_plover",
]
