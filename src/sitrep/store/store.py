"""The event database: one SQLite file in WAL mode behind one class.

One writer connection (guarded by a lock) makes every change, each article in one transaction;
reads run on their own connections (one per thread), each method inside one read transaction, so a
reader sees a consistent snapshot while an ingest is writing. SQLite errors become ``StoreError``
with one line a user can act on (locked, read-only, disk full, not a sitrep database).

The class is put together from its concerns: ``connection`` (opening, locking, error translation),
``mentions`` (loading stored mentions), ``writes`` (storing and fusion) and ``reads`` (queries).
"""

from __future__ import annotations

from sitrep.store.connection import default_path
from sitrep.store.reads import PeriodCount, SearchHit, StoreReads, StoreStats
from sitrep.store.writes import AddResult, RebuildResult, StoreWrites

__all__ = [
    "AddResult",
    "PeriodCount",
    "RebuildResult",
    "SearchHit",
    "Store",
    "StoreStats",
    "default_path",
]


class Store(StoreWrites, StoreReads):
    """A sitrep event database. Open with ``Store.open(path)``; close with ``close()`` or ``with``."""
