"""Results as plain rows and back, and Parquet partitions of them (cluster runs write these).

A partition holds one row per input: an article's report as JSON (``ArticleReport.to_dict()``) with a
few columns to look at it without parsing (id, URL, text hash, event count), or a failure. Partitions
are written under a temporary name and renamed, so a killed task never leaves half a file; loading
them twice stores nothing twice (the store recognises an article by its URL or its text).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.models import (
    Article,
    ArticleReport,
    Assessment,
    Attribution,
    Event,
    Evidence,
    Failure,
    Figure,
    Removed,
    Statement,
)
from sitrep.runner.work import Result

log = logging.getLogger(__name__)

PART_GLOB = "part-*.parquet"
COLUMNS = (
    "article_id",
    "url",
    "text_sha256",
    "events",
    "report",
    "failure_input",
    "failure_problem",
)


@dataclass(frozen=True)
class Written:
    """An article extracted and written to a Parquet partition (not yet in a store)."""

    name: str
    events: int
    partition: str


def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _datetime(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def article_from_dict(d: dict[str, Any]) -> Article:
    """The Article that ``Article.to_dict()`` wrote."""
    fields = dict(d)
    fields["published"] = _datetime(fields.get("published"))
    fields["removed"] = [Removed(**r) for r in fields.get("removed") or []]
    return Article(**fields)


def event_from_dict(d: dict[str, Any]) -> Event:
    """The Event that ``Event.to_dict()`` wrote."""
    fields = dict(d)
    fields["event_date"] = _date(fields.get("event_date"))
    fields["published"] = _datetime(fields.get("published"))
    fields["figures"] = [Figure(**f) for f in fields.get("figures") or []]
    fields["attribution"] = Attribution(**(fields.get("attribution") or {}))
    fields["evidence"] = [Evidence(**e) for e in fields.get("evidence") or []]
    fields["weapons"] = list(fields.get("weapons") or [])
    return Event(**fields)


def report_from_dict(d: dict[str, Any]) -> ArticleReport:
    """The ArticleReport that ``ArticleReport.to_dict()`` wrote."""
    return ArticleReport(
        article_from_dict(d["article"]),
        [event_from_dict(e) for e in d.get("events") or []],
        [Statement(**s) for s in d.get("statements") or []],
        [Assessment(**a) for a in d.get("assessments") or []],
        [str(c) for c in d.get("capped") or []],
    )


def to_row(result: Result) -> dict[str, Any]:
    """One Parquet row for a report or a failure."""
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    if isinstance(result, Failure):
        row.update(failure_input=result.input, failure_problem=result.problem, events=0)
        return row
    art = result.article
    row.update(
        article_id=art.id,
        url=art.url,
        text_sha256=hashlib.sha256(art.text.encode("utf-8")).hexdigest(),
        events=len(result.events),
        report=json.dumps(result.to_dict(), ensure_ascii=False),
    )
    return row


def from_row(row: dict[str, Any]) -> Result:
    """The report or failure a row holds."""
    if row.get("report"):
        return report_from_dict(json.loads(row["report"]))
    return Failure(
        str(row.get("failure_input") or "?"), str(row.get("failure_problem") or "unknown failure")
    )


def write_partition(folder: str | os.PathLike[str], name: str, results: Iterable[Result]) -> Path:
    """Write ``folder/part-NAME.parquet`` atomically; returns its path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema(
        [
            ("article_id", pa.string()),
            ("url", pa.string()),
            ("text_sha256", pa.string()),
            ("events", pa.int32()),
            ("report", pa.string()),
            ("failure_input", pa.string()),
            ("failure_problem", pa.string()),
        ]
    )
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"part-{name}.parquet"
    tmp = out / f".part-{name}.{uuid.uuid4().hex}.tmp"
    table = pa.Table.from_pylist([to_row(r) for r in results], schema=schema)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def read_partitions(folder: str | os.PathLike[str]) -> Iterator[Result]:
    """Every result in the folder's partitions, partition by partition in name order."""
    try:
        import pyarrow.parquet as pq
    except ImportError as err:
        raise SitrepError(f"reading Parquet needs pyarrow ({err})") from err
    root = Path(folder)
    parts = sorted(root.glob(PART_GLOB))
    if not root.is_dir():
        raise SitrepError(f"{folder}: no such folder")
    if not parts:
        raise SitrepError(f"{folder}: no {PART_GLOB} files")
    for part in parts:
        try:
            rows = pq.read_table(part).to_pylist()
        except (OSError, ValueError) as err:  # pyarrow's errors derive from these
            yield Failure(str(part), f"cannot read the partition ({err})")
            continue
        for row in rows:
            try:
                yield from_row(row)
            except (ValueError, TypeError, KeyError) as err:
                yield Failure(
                    f"{part}:{row.get('article_id')}", f"bad row ({type(err).__name__}: {err})"
                )
