"""A read-only view of an event database for notebooks: ``sitrep.open(path).events(...)``.

    >>> import sitrep
    >>> ds = sitrep.open("sitrep.db")
    >>> ds.events(country="Pakistan", date_from="2025-03-01", min_sources=2)   # EventRecords
    >>> ds.events_frame(event_type="Battles")                                   # a pandas DataFrame

Filters are those of ``EventQuery``: date_from, date_to, country, admin1, event_type,
sub_event_type, actor, text, bbox, min_sources, min_independent, status, limit, offset, order.
"""

from __future__ import annotations

import os
from typing import Any

from sitrep.columns import COLUMN_TYPES, typed_columns
from sitrep.errors import SitrepError
from sitrep.models import Article, Event, EventRecord
from sitrep.store.store import PeriodCount, SearchHit, Store, StoreStats


class Dataset:
    """Merged events, their reports and articles, read from one database (never written)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @property
    def path(self) -> str:
        return self.store.path

    def events(self, *, as_frame: bool = False, **filters: Any) -> Any:
        """Merged events matching the filters: EventRecords, or a DataFrame with ``as_frame=True``."""
        records = self.store.events(**filters)
        return _frame(records) if as_frame else records

    def events_frame(self, **filters: Any) -> Any:
        """Merged events as a pandas DataFrame (the CSV export's columns, typed)."""
        return _frame(self.store.events(**filters))

    def count(self, **filters: Any) -> int:
        return self.store.count_events(**filters)

    def event(self, event_id: str | int) -> EventRecord | None:
        """One merged event with every report of it."""
        return self.store.event(event_id)

    def mentions(self, event_id: str | int) -> list[Event]:
        return self.store.mentions(event_id)

    def article(self, article_id: str | int) -> Article | None:
        return self.store.article(article_id)

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        return self.store.search(text, limit)

    def counts(self, by: str = "week", **filters: Any) -> list[PeriodCount]:
        return self.store.counts(by, **filters)

    def stats(self) -> StoreStats:
        return self.store.stats()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Dataset:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<sitrep.Dataset {self.path!r}>"


def open_dataset(path: str | os.PathLike[str] | None = None) -> Dataset:
    """Open a sitrep database read-only (default: ``$SITREP_DB`` or ``./sitrep.db``)."""
    return Dataset(Store.open(path, readonly=True))


def _frame(records: list[EventRecord]) -> Any:
    try:
        import pandas as pd
    except ImportError as exc:  # an optional dependency
        raise SitrepError("DataFrames need pandas: pip install pandas") from exc

    names, data = typed_columns(records)
    frame = pd.DataFrame({n: data[n] for n in names}, columns=names)
    dtypes = {"int": "Int64", "float": "Float64", "bool": "boolean", "str": "string"}
    for n in names:
        kind = COLUMN_TYPES.get(n, "str")
        if kind == "date":
            frame[n] = pd.to_datetime(frame[n])
        else:
            frame[n] = frame[n].astype(dtypes[kind])
    return frame
