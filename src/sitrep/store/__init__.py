"""The event database: articles, mentions and merged events in one SQLite file.

    >>> from sitrep.store import Store
    >>> with Store.open("sitrep.db") as store:
    ...     result = store.add_article(article, extractor.extract(article))
    ...     confirmed = store.events(country="Pakistan", status="confirmed")

This package is the only code that writes SQL. It never imports spaCy or ``sitrep.pipeline``:
it stores the dataclasses of ``sitrep.models``. The schema is described in ``docs/store.md``.
"""

from sitrep.store.dataset import Dataset, open_dataset
from sitrep.store.query import EventQuery
from sitrep.store.schema import SCHEMA_VERSION
from sitrep.store.store import (
    AddResult,
    PeriodCount,
    RebuildResult,
    SearchHit,
    Store,
    StoreStats,
    default_path,
)

__all__ = [
    "SCHEMA_VERSION",
    "AddResult",
    "Dataset",
    "EventQuery",
    "PeriodCount",
    "RebuildResult",
    "SearchHit",
    "Store",
    "StoreStats",
    "default_path",
    "open_dataset",
]
