"""Reading the event database: merged events (filtered, counted, per period, by column), one event
with its reports, mentions, articles, full-text search, statistics and the integrity check.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sitrep.models import Article, Event, EventRecord
from sitrep.store import derive, rows
from sitrep.store.mentions import _ARTICLE_SELECT, StoreMentions
from sitrep.store.query import ORDERS, EventQuery, fts_phrase, where


@dataclass(frozen=True)
class PeriodCount:
    """Events of one type in one period (a day, or the week starting that Monday)."""

    period: str
    event_type: str
    events: int
    fatalities: int


@dataclass(frozen=True)
class SearchHit:
    """An article matching a full-text search, with a snippet around the match."""

    article_id: int
    article_key: str
    title: str | None
    url: str | None
    published: str | None
    snippet: str


@dataclass(frozen=True)
class StoreStats:
    """Totals of a database."""

    path: str
    schema_version: int
    articles: int
    mentions: int
    events: int
    sources: int
    places: int
    first_date: str | None
    last_date: str | None
    by_status: dict[str, int] = field(default_factory=dict)
    by_type: dict[str, int] = field(default_factory=dict)


class StoreReads(StoreMentions):
    """Queries, each inside one read transaction (one snapshot of the database)."""

    def events(self, query: EventQuery | None = None, **filters: Any) -> list[EventRecord]:
        """Merged events matching ``query`` (or keyword filters), in the query's order."""
        q = query if query is not None else EventQuery.from_filters(**filters)
        q.validate()
        with self._read("querying events") as cx:
            clause, params = self._where(cx, q)
            sql = f"SELECT * FROM events{clause} ORDER BY {ORDERS[q.order]}"
            if q.limit is not None or q.offset:
                sql += " LIMIT ? OFFSET ?"
                params = [*params, -1 if q.limit is None else q.limit, q.offset]
            return [rows.record_from_row(r) for r in cx.execute(sql, params)]

    def event_columns(
        self, columns: Sequence[str], query: EventQuery | None = None, **filters: Any
    ) -> list[tuple[Any, ...]]:
        """Only the named columns of the ``events`` table for the matching events, as tuples.

        For callers that need a few fields of many events (the map's points): no record is decoded.
        Dates stay ISO strings; ``event_key`` is the event's id.
        """
        q = query if query is not None else EventQuery.from_filters(**filters)
        q.validate()
        with self._read("querying events") as cx:
            known = {r[1] for r in cx.execute("PRAGMA table_info(events)")}
            unknown = [c for c in columns if c not in known]
            if unknown or not columns:
                raise ValueError(f"unknown event column {unknown[0] if unknown else ''!r}")
            clause, params = self._where(cx, q)
            sql = f"SELECT {', '.join(columns)} FROM events{clause} ORDER BY {ORDERS[q.order]}"
            if q.limit is not None or q.offset:
                sql += " LIMIT ? OFFSET ?"
                params = [*params, -1 if q.limit is None else q.limit, q.offset]
            return [tuple(r) for r in cx.execute(sql, params)]

    def _where(self, cx: sqlite3.Connection, q: EventQuery) -> tuple[str, list[Any]]:
        """The query's ``WHERE`` clause, using the spatial index when this file has one."""
        if self._spatial_index is None:
            found = cx.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events_rtree'"
            ).fetchone()
            self._spatial_index = found is not None
        return where(q, spatial_index=self._spatial_index)

    def count_events(self, query: EventQuery | None = None, **filters: Any) -> int:
        """How many merged events match (limit and offset ignored)."""
        q = query if query is not None else EventQuery.from_filters(**filters)
        q.validate()
        with self._read("counting events") as cx:
            clause, params = self._where(cx, q)
            return int(cx.execute(f"SELECT count(*) FROM events{clause}", params).fetchone()[0])

    def event(self, event_id: str | int) -> EventRecord | None:
        """One merged event by its key (``E…``) or row id, with every report (``reports``) filled."""
        with self._read("reading an event") as cx:
            row = _event_row(cx, event_id)
            if row is None:
                return None
            mentions = [
                derive.StoredMention(id=mid, article_id=art_id, event=ev, score=score)
                for mid, ev, art_id, score, _ in self._mentions_with_articles(cx, row["id"])
            ]
            art_ids = sorted({m.article_id for m in mentions})
            marks = ", ".join("?" * len(art_ids))
            articles = {
                r["id"]: rows.stored_article(r)
                for r in cx.execute(f"{_ARTICLE_SELECT} WHERE a.id IN ({marks})", art_ids)
            }
        record = rows.record_from_row(row)
        if mentions:
            record.reports = derive.merge(record.event_id, mentions, articles).record.reports
        return record

    def mentions(self, event_id: str | int) -> list[Event]:
        """The mentions (as extracted, one per article report) merged into one event."""
        with self._read("reading mentions") as cx:
            row = _event_row(cx, event_id)
            if row is None:
                return []
            return [ev for _, ev in self._mentions_of(cx, "m.event_id = ?", [row["id"]])]

    def article_mentions(self, article_row_id: int) -> list[Event]:
        """The mentions (events as extracted) stored from one article, by its row id."""
        with self._read("reading mentions") as cx:
            return [ev for _, ev in self._mentions_of(cx, "m.article_id = ?", [article_row_id])]

    def article(self, article_id: str | int) -> Article | None:
        """A stored article by row id, by its article id, or by URL."""
        with self._read("reading an article") as cx:
            if isinstance(article_id, int):
                row = cx.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
            else:
                row = cx.execute(
                    "SELECT * FROM articles WHERE article_key = ? OR url = ? ORDER BY id LIMIT 1",
                    (article_id, rows.normal_url(article_id)),
                ).fetchone()
        return rows.article_from_row(row) if row else None

    def counts(
        self, by: str = "week", query: EventQuery | None = None, **filters: Any
    ) -> list[PeriodCount]:
        """Events and fatalities per period (``day`` or ``week`` starting Monday) and event type."""
        if by not in ("day", "week"):
            raise ValueError("by must be 'day' or 'week'")
        q = query if query is not None else EventQuery.from_filters(**filters)
        q.validate()
        period = "event_date" if by == "day" else "date(event_date, '-6 days', 'weekday 1')"
        with self._read("counting events") as cx:
            clause, params = self._where(cx, q)
            extra = " AND " if clause else " WHERE "
            sql = (
                f"SELECT {period} AS period, event_type, count(*) AS n, sum(fatalities) AS f FROM events"
                f"{clause}{extra}event_date IS NOT NULL GROUP BY period, event_type ORDER BY period, event_type"
            )
            return [
                PeriodCount(r["period"], r["event_type"], r["n"], r["f"] or 0)
                for r in cx.execute(sql, params)
            ]

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Articles whose title or text contain all the words of ``text``, best first."""
        phrase = fts_phrase(text)
        if not phrase:
            return []
        sql = (
            "SELECT a.id, a.article_key, a.title, a.url, a.published,"
            " snippet(articles_fts, 1, '[', ']', ' … ', 12) AS snippet"
            " FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?"
        )
        with self._read("searching articles") as cx:
            return [
                SearchHit(
                    r["id"], r["article_key"], r["title"], r["url"], r["published"], r["snippet"]
                )
                for r in cx.execute(sql, (phrase, limit))
            ]

    def stats(self) -> StoreStats:
        """Totals, all read from one snapshot."""
        with self._read("reading statistics") as cx:

            def one(sql: str) -> Any:
                return cx.execute(sql).fetchone()[0]

            version = int(one("SELECT value FROM meta WHERE key = 'schema_version'"))
            return StoreStats(
                path=self.path,
                schema_version=version,
                articles=one("SELECT count(*) FROM articles"),
                mentions=one("SELECT count(*) FROM mentions"),
                events=one("SELECT count(*) FROM events"),
                sources=one("SELECT count(*) FROM sources"),
                places=one("SELECT count(*) FROM places"),
                first_date=one("SELECT min(event_date) FROM events"),
                last_date=one("SELECT max(event_date) FROM events"),
                by_status=dict(
                    cx.execute(
                        "SELECT status, count(*) FROM events GROUP BY status ORDER BY 2 DESC"
                    ).fetchall()
                ),
                by_type=dict(
                    cx.execute(
                        "SELECT event_type, count(*) FROM events GROUP BY event_type ORDER BY 2 DESC"
                    ).fetchall()
                ),
            )

    def check(self) -> list[str]:
        """Problems found by SQLite's integrity check and the store's own invariants ([] when sound)."""
        with self._read("checking the database") as cx:
            problems = [r[0] for r in cx.execute("PRAGMA integrity_check") if r[0] != "ok"]
            for sql, problem in _INVARIANTS:
                count = cx.execute(sql).fetchone()[0]
                if count:
                    problems.append(f"{count} {problem}")
        return problems


# What must hold in a sound store: a query counting the exceptions, and what they are.
_INVARIANTS = (
    ("SELECT count(*) FROM mentions WHERE event_id IS NULL", "mentions belong to no event"),
    (
        "SELECT count(*) FROM events e WHERE mention_count !="
        " (SELECT count(*) FROM mentions m WHERE m.event_id = e.id)",
        "events whose mention_count is stale",
    ),
    (
        "SELECT count(*) FROM articles a WHERE mention_count !="
        " (SELECT count(*) FROM mentions m WHERE m.article_id = a.id)",
        "articles whose mentions are missing or extra",
    ),
    (
        "SELECT count(*) FROM (SELECT text_sha256 FROM articles GROUP BY text_sha256"
        " HAVING count(*) > 1)",
        "texts stored twice",
    ),
)


def _event_row(cx: sqlite3.Connection, event_id: str | int) -> sqlite3.Row | None:
    if isinstance(event_id, int):
        row: sqlite3.Row | None = cx.execute(
            "SELECT * FROM events WHERE id = ?", (event_id,)
        ).fetchone()
    else:
        row = cx.execute("SELECT * FROM events WHERE event_key = ?", (event_id,)).fetchone()
    return row
