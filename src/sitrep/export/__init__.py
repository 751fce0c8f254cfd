"""Writers for the event record: JSONL, ACLED-style CSV, GeoJSON and a terminal table."""

from sitrep.export.writers import FORMATS, write_events

__all__ = ["FORMATS", "write_events"]
