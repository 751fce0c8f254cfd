"""Events as a Parquet file (needs ``pyarrow``): the CSV's columns, typed.

The columns, their order and their values are those of the ACLED-style CSV (``writers.acled_row``);
``writers.COLUMN_TYPES`` gives the typed ones (dates, integers, floats, booleans), the rest are text.
Empty CSV cells are nulls.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any, BinaryIO

from sitrep.columns import COLUMN_TYPES, typed_columns
from sitrep.errors import SitrepError
from sitrep.models import Event
from sitrep.version import __version__


def _pyarrow() -> Any:
    try:
        import pyarrow
    except ImportError as exc:  # an optional dependency
        raise SitrepError("Parquet output needs pyarrow: pip install pyarrow") from exc
    return pyarrow


def events_table(events: Iterable[Event]) -> Any:
    """A ``pyarrow.Table`` of the events (the CSV's columns, typed)."""
    pa = _pyarrow()
    kinds = {"date": pa.date32(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    names, data = typed_columns(events)
    schema = pa.schema(
        [pa.field(n, kinds.get(COLUMN_TYPES.get(n, "str"), pa.string())) for n in names],
        metadata={"created_by": f"sitrep {__version__}", "columns": "ACLED, then sitrep"},
    )
    return pa.Table.from_pydict(data, schema=schema)


def write_parquet(events: Iterable[Event], out: str | os.PathLike[str] | BinaryIO) -> int:
    """Write the events to a Parquet file (a path or a binary stream); returns how many."""
    import pyarrow.parquet as pq

    table = events_table(events)
    pq.write_table(table, out, compression="zstd")
    return int(table.num_rows)
