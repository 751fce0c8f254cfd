"""The event database: one SQLite file in WAL mode behind one class.

One writer connection (guarded by a lock) makes every change, each article in one transaction;
reads run on their own connections (one per thread), each method inside one read transaction, so a
reader sees a consistent snapshot while an ingest is writing. SQLite errors become ``StoreError``
with one line a user can act on (locked, read-only, disk full, not a sitrep database).
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sitrep.errors import StoreError
from sitrep.models import Article, Event, EventRecord, Evidence
from sitrep.settings import settings
from sitrep.store import derive, fusion, rows, schema
from sitrep.store.query import ORDERS, EventQuery, fts_phrase, where

log = logging.getLogger(__name__)


_MENTION_SELECT = """
    SELECT m.*, a.article_key, a.url, a.published, s.name AS source
    FROM mentions m JOIN articles a ON a.id = m.article_id JOIN sources s ON s.id = a.source_id
"""
_SKETCH_COLUMNS = ", ".join(
    f"e.{c}"
    for c in (
        "id",
        "event_type",
        "sub_event_type",
        "event_date",
        "time_precision",
        "last_reported",
        "iso3",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "actor1",
        "actor2",
        "assoc_actor_1",
        "assoc_actor_2",
        "terms",
    )
)
_ARTICLE_SELECT = """
    SELECT a.id, a.article_key, a.url, a.title, a.published, a.wire, a.signature, s.name AS source
    FROM articles a JOIN sources s ON s.id = a.source_id
"""


def default_path() -> str:
    """The database a command uses when none is given: ``$SITREP_DB``, else ``./sitrep.db``."""
    return settings().db_path


@dataclass(frozen=True)
class AddResult:
    """What ``Store.add_article`` did with one article."""

    article_id: int  # the stored article's row id (the existing one for a duplicate)
    added: bool  # False when the same URL or the same text was already stored: nothing changed
    duplicate: str | None = None  # "url" or "text" for a duplicate
    mentions: int = 0
    new_events: int = 0
    updated_events: int = 0


@dataclass(frozen=True)
class RebuildResult:
    """What ``Store.rebuild`` re-derived."""

    mentions: int
    events: int


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


def _translate(exc: sqlite3.Error, path: str, doing: str, timeout: float) -> StoreError:
    """One line for a user from an SQLite error."""
    msg = str(exc).lower()
    if "locked" in msg or "busy" in msg:
        text = f"database is locked by another process (waited {timeout:g} s while {doing}); nothing was written, try again"
    elif "readonly" in msg or "read-only" in msg:
        text = f"database is read-only (while {doing}); nothing was written"
    elif "full" in msg:
        text = f"disk full while {doing}; that change was rolled back, everything stored before it is intact"
    elif "not a database" in msg or "file is encrypted" in msg:
        text = "not a sitrep database (not an SQLite file)"
    elif "malformed" in msg or "corrupt" in msg:
        text = f"database file is damaged ({exc}); restore it from a copy"
    elif "unable to open" in msg:
        text = "cannot open the database file (missing folder, or no permission on the file or its folder)"
    elif "no such table" in msg:
        text = f"not a complete sitrep database ({exc})"
    else:
        text = f"database error while {doing}: {exc}"
    return StoreError(text, path)


class Store:
    """A sitrep event database. Open with ``Store.open(path)``; close with ``close()`` or ``with``."""

    def __init__(
        self, path: str, readonly: bool, timeout: float, writer: sqlite3.Connection | None
    ) -> None:
        self.path = path
        self.readonly = readonly
        self.timeout = timeout
        self._writer = writer
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._readers_lock = threading.Lock()
        self._spatial_index: bool | None = None  # whether the file has the events_rtree index

    # -- opening and closing -------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str] | None = None,
        readonly: bool = False,
        *,
        timeout: float = 5.0,
    ) -> Store:
        """Open (for writing: create or upgrade) the database at ``path`` (default: ``default_path()``).

        Raises ``StoreError`` for a file that is not a sitrep database, a newer schema, a read-only
        file opened for writing, a database locked for longer than ``timeout`` seconds.
        """
        p = str(Path(path if path is not None else default_path()).expanduser())
        if readonly:
            return cls._open_readonly(p, timeout)
        target = Path(p)
        if target.exists():
            mode = target.stat().st_mode
            if not os.access(target, os.W_OK) or not mode & (
                stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
            ):
                raise StoreError(
                    "database file is read-only; nothing was written (open it read-only to query it)",
                    p,
                )
            if target.is_dir():
                raise StoreError("is a folder, not a database file", p)
        else:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder: {exc.strerror or exc}", p) from exc
        cx: sqlite3.Connection | None = None
        try:
            cx = sqlite3.connect(p, timeout=timeout, isolation_level=None, check_same_thread=False)
            cx.row_factory = sqlite3.Row
            schema.check(schema.identify(cx), p, writable=True)  # before anything is written
            cx.execute("PRAGMA journal_mode = WAL")
            cx.execute("PRAGMA synchronous = NORMAL")
            cx.execute("PRAGMA foreign_keys = ON")
            applied = schema.migrate(cx, p)
            if applied:
                log.info("%s: applied migrations %s", p, applied)
        except sqlite3.Error as exc:
            if cx is not None:
                cx.close()
            raise _translate(exc, p, "opening the database", timeout) from exc
        except BaseException:
            if cx is not None:
                cx.close()
            raise
        return cls(p, False, timeout, cx)

    @classmethod
    def _open_readonly(cls, p: str, timeout: float) -> Store:
        if not Path(p).is_file():
            raise StoreError("no such database (run `sitrep ingest` to create one)", p)
        store = cls(p, True, timeout, None)
        try:
            with store._read() as cx:
                schema.check(schema.identify(cx), p, writable=False)
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._readers_lock:
            for cx in self._readers:
                cx.close()
            self._readers.clear()
        self._local = threading.local()
        if self._writer is not None:
            with self._write_lock:
                self._writer.close()
                self._writer = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions --------------------------------------------------------------------------

    def _reader(self) -> sqlite3.Connection:
        cx: sqlite3.Connection | None = getattr(self._local, "cx", None)
        if cx is None:
            uri = f"file:{quote(os.path.abspath(self.path))}?mode=ro"
            cx = sqlite3.connect(
                uri, uri=True, timeout=self.timeout, isolation_level=None, check_same_thread=False
            )
            cx.row_factory = sqlite3.Row
            cx.execute("PRAGMA query_only = ON")
            self._local.cx = cx
            with self._readers_lock:
                self._readers.append(cx)
        return cx

    @contextmanager
    def _read(self, doing: str = "reading") -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees the same snapshot of the database."""
        try:
            cx = self._reader()
            cx.execute("BEGIN")
            try:
                yield cx
            finally:
                if cx.in_transaction:
                    cx.execute("COMMIT")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path, doing, self.timeout) from exc

    @contextmanager
    def _write(self, doing: str) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed whole at the end, rolled back whole on any error."""
        if self.readonly or self._writer is None:
            raise StoreError("opened read-only (or closed); cannot write", self.path)
        with self._write_lock:
            cx = self._writer
            try:
                cx.execute("BEGIN IMMEDIATE")
                try:
                    yield cx
                    cx.execute("COMMIT")
                except BaseException:
                    if cx.in_transaction:
                        cx.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise _translate(exc, self.path, doing, self.timeout) from exc

    # -- writing -------------------------------------------------------------------------------

    def find_article(self, article: Article) -> tuple[int, str] | None:
        """The row id of an article already stored with the same URL or text, and which matched."""
        url = rows.normal_url(article.url)
        sha = rows.text_sha256(article.text)
        with self._read("looking up an article") as cx:
            return _find_article(cx, url, sha)

    def add_article(self, article: Article, events: Sequence[Event]) -> AddResult:
        """Store an article, its mentions and their fusion into events, in one transaction.

        An article already stored (same URL, or same cleaned text) changes nothing.
        """
        url = rows.normal_url(article.url)
        sha = rows.text_sha256(article.text)
        signature = derive.text_signature(article.text)
        wire = derive.wire_credits(article)
        with self._write(f"storing article {article.id}") as cx:
            found = _find_article(cx, url, sha)
            if found:
                return AddResult(article_id=found[0], added=False, duplicate=found[1])
            source = rows.source_name(article)
            source_id = self._source_id(
                cx, source, rows.host(article.url), bool(derive.agencies_in(source))
            )
            row = rows.article_row(article, sha, url, source_id)
            row.update(
                wire=rows.dumps(wire),
                signature=signature,
                ingested_at=schema.now(),
                mention_count=len(events),
            )
            art_id = _insert(cx, "articles", row)
            touched: dict[int, bool] = {}
            for ev in events:
                mention_id = self._insert_mention(cx, art_id, ev)
                event_id, created = self._fuse(cx, art_id, article.id, sha, mention_id, ev, touched)
                touched[event_id] = touched.get(event_id, False) or created
        new = sum(1 for created in touched.values() if created)
        return AddResult(
            article_id=art_id,
            added=True,
            mentions=len(events),
            new_events=new,
            updated_events=len(touched) - new,
        )

    def rebuild(self) -> RebuildResult:
        """Re-derive every event from the stored mentions, in ingest order, in one transaction."""
        with self._write("rebuilding the events") as cx:
            cx.execute("DELETE FROM event_blocks")
            cx.execute("DELETE FROM events_fts")
            cx.execute("UPDATE mentions SET event_id = NULL, match_score = NULL")
            cx.execute("DELETE FROM events")
            arts = cx.execute(
                "SELECT id, article_key, text_sha256 FROM articles ORDER BY id"
            ).fetchall()
            n = 0
            for art in arts:
                touched: dict[int, bool] = {}
                for mention_id, ev in self._mentions_of(cx, "m.article_id = ?", [art["id"]]):
                    event_id, created = self._fuse(
                        cx,
                        art["id"],
                        art["article_key"],
                        art["text_sha256"],
                        mention_id,
                        ev,
                        touched,
                    )
                    touched[event_id] = touched.get(event_id, False) or created
                    n += 1
            events = cx.execute("SELECT count(*) FROM events").fetchone()[0]
        return RebuildResult(mentions=n, events=events)

    def _source_id(
        self, cx: sqlite3.Connection, name: str, domain: str | None, is_wire: bool
    ) -> int:
        cx.execute(
            "INSERT OR IGNORE INTO sources (name, domain, is_wire) VALUES (?, ?, ?)",
            (name, domain, int(is_wire)),
        )
        return int(cx.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()[0])

    def _place_id(self, cx: sqlite3.Connection, ev: Event) -> int | None:
        key = rows.place_key(ev)
        if key is None:
            return None
        cx.execute(
            "INSERT OR IGNORE INTO places (place_key, name, country, iso3, admin1, admin2, latitude, longitude)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                ev.location,
                ev.country,
                ev.iso3,
                ev.admin1,
                ev.admin2,
                ev.latitude,
                ev.longitude,
            ),
        )
        return int(cx.execute("SELECT id FROM places WHERE place_key = ?", (key,)).fetchone()[0])

    def _insert_mention(self, cx: sqlite3.Connection, art_id: int, ev: Event) -> int:
        row = rows.mention_row(ev)
        row.update(article_id=art_id, place_id=self._place_id(cx, ev))
        mention_id = _insert(cx, "mentions", row)
        cx.executemany(
            "INSERT INTO evidence (mention_id, field, text, char_start, char_end) VALUES (?, ?, ?, ?, ?)",
            [(mention_id, e.field, e.text, e.start, e.end) for e in ev.evidence],
        )
        return mention_id

    def _fuse(
        self,
        cx: sqlite3.Connection,
        art_id: int,
        article_key: str,
        sha: str,
        mention_id: int,
        ev: Event,
        touched: dict[int, bool],
    ) -> tuple[int, bool]:
        """Attach one mention to the event it reports (a new one if none matches); refresh that event."""
        sketch = fusion.sketch_mention(ev, article_key)
        match = fusion.best_match(sketch, self._candidates(cx, sketch, article_key, touched))
        if match is not None:
            event_id, created = match.event_id, False
        else:
            key = "E" + hashlib.sha1(f"{sha}:{ev.event_id}".encode()).hexdigest()[:15]
            event_id = _insert(
                cx,
                "events",
                {
                    "event_key": key,
                    "event_type": ev.event_type,
                    "sub_event_type": ev.sub_event_type,
                    "status": "reported",
                    "updated_at": schema.now(),
                },
            )
            created = True
        cx.execute(
            "UPDATE mentions SET event_id = ?, match_score = ? WHERE id = ?",
            (event_id, match.score if match else None, mention_id),
        )
        self._refresh(cx, event_id)
        return event_id, created

    def _candidates(
        self,
        cx: sqlite3.Connection,
        sketch: fusion.Sketch,
        article_key: str,
        touched: dict[int, bool],
    ) -> list[fusion.Sketch]:
        """Stored events filed under the mention's blocking keys with a date window near its own."""
        keys = fusion.search_keys(sketch)
        lo, hi, min_to = fusion.search_window(sketch)
        marks = ", ".join("?" * len(keys))
        found = cx.execute(
            f"SELECT DISTINCT {_SKETCH_COLUMNS} FROM event_blocks b JOIN events e ON e.id = b.event_id"
            f" WHERE b.key IN ({marks}) AND b.day_from BETWEEN ? AND ? AND b.day_to >= ?",
            [*keys, lo, hi, min_to],
        ).fetchall()
        return [
            rows.event_sketch(
                row, frozenset({article_key}) if row["id"] in touched else frozenset()
            )
            for row in found
        ]

    def _refresh(self, cx: sqlite3.Connection, event_id: int) -> None:
        """Re-derive one event's row, blocking keys and search text from all its mentions."""
        found = self._mentions_with_articles(cx, event_id)
        mentions = [
            derive.StoredMention(id=mid, article_id=art_id, event=ev, score=score)
            for mid, ev, art_id, score, _ in found
        ]
        place_ids = {mid: place_id for mid, _, _, _, place_id in found}
        art_ids = sorted({m.article_id for m in mentions})
        marks = ", ".join("?" * len(art_ids))
        articles = {
            r["id"]: rows.stored_article(r)
            for r in cx.execute(f"{_ARTICLE_SELECT} WHERE a.id IN ({marks})", art_ids)
        }
        key = cx.execute("SELECT event_key FROM events WHERE id = ?", (event_id,)).fetchone()[0]
        merged = derive.merge(key, mentions, articles)
        record = merged.record
        row = rows.event_row(record)
        row.update(
            place_id=place_ids[merged.representative],
            representative_mention_id=merged.representative,
            terms=rows.dumps(merged.terms),
            updated_at=schema.now(),
        )
        sets = ", ".join(f"{k} = ?" for k in row)
        cx.execute(f"UPDATE events SET {sets} WHERE id = ?", [*row.values(), event_id])
        cx.execute("DELETE FROM event_blocks WHERE event_id = ?", (event_id,))
        assert merged.sketch is not None
        cx.executemany(
            "INSERT INTO event_blocks (event_id, key, day_from, day_to) VALUES (?, ?, ?, ?)",
            [
                (event_id, k, merged.window[0], merged.window[1])
                for k in fusion.index_keys(merged.sketch)
            ],
        )
        cx.execute("DELETE FROM events_fts WHERE rowid = ?", (event_id,))
        actors = "; ".join(
            a
            for a in (record.actor1, record.actor2, record.assoc_actor_1, record.assoc_actor_2)
            if a
        )
        place = ", ".join(
            x for x in (record.location, record.admin2, record.admin1, record.country) if x
        )
        evidence = " ".join(
            e.text for r in record.reports for e in r.evidence if e.field == "event"
        )
        cx.execute(
            "INSERT INTO events_fts (rowid, location, actors, notes, evidence) VALUES (?, ?, ?, ?, ?)",
            (event_id, place, actors, record.notes, evidence),
        )

    def _mentions_of(
        self, cx: sqlite3.Connection, condition: str, params: list[Any]
    ) -> list[tuple[int, Event]]:
        found = cx.execute(f"{_MENTION_SELECT} WHERE {condition} ORDER BY m.id", params).fetchall()
        evidence = _evidence_for(cx, [r["id"] for r in found])
        return [(r["id"], rows.mention_from_row(r, evidence.get(r["id"], []))) for r in found]

    def _mentions_with_articles(
        self, cx: sqlite3.Connection, event_id: int
    ) -> list[tuple[int, Event, int, float | None, int | None]]:
        """(mention id, mention, article id, fusion score, place id) of each mention of an event."""
        found = cx.execute(
            f"{_MENTION_SELECT} WHERE m.event_id = ? ORDER BY m.id", (event_id,)
        ).fetchall()
        evidence = _evidence_for(cx, [r["id"] for r in found])
        return [
            (
                r["id"],
                rows.mention_from_row(r, evidence.get(r["id"], [])),
                r["article_id"],
                r["match_score"],
                r["place_id"],
            )
            for r in found
        ]

    # -- reading -------------------------------------------------------------------------------

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

    def candidates(self, ev: Event, article_key: str = "") -> list[str]:
        """Keys of the stored events fusion would compare ``ev`` with (its blocking candidates)."""
        sketch = fusion.sketch_mention(ev, article_key or ev.article_id)
        with self._read("finding candidates") as cx:
            found = self._candidates(cx, sketch, article_key, {})
            keys = [
                cx.execute("SELECT event_key FROM events WHERE id = ?", (c.event_id,)).fetchone()[0]
                for c in found
            ]
        return keys

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


def _insert(cx: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cur = cx.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
    assert cur.lastrowid is not None
    return int(cur.lastrowid)


def _find_article(cx: sqlite3.Connection, url: str | None, sha: str) -> tuple[int, str] | None:
    row = cx.execute("SELECT id FROM articles WHERE text_sha256 = ?", (sha,)).fetchone()
    if row:
        return int(row[0]), "text"
    if url:
        row = cx.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()
        if row:
            return int(row[0]), "url"
    return None


def _event_row(cx: sqlite3.Connection, event_id: str | int) -> sqlite3.Row | None:
    if isinstance(event_id, int):
        row: sqlite3.Row | None = cx.execute(
            "SELECT * FROM events WHERE id = ?", (event_id,)
        ).fetchone()
    else:
        row = cx.execute("SELECT * FROM events WHERE event_key = ?", (event_id,)).fetchone()
    return row


def _evidence_for(cx: sqlite3.Connection, mention_ids: list[int]) -> dict[int, list[Evidence]]:
    out: dict[int, list[Evidence]] = {}
    for i in range(0, len(mention_ids), 500):
        chunk = mention_ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for r in cx.execute(
            f"SELECT mention_id, field, text, char_start, char_end FROM evidence"
            f" WHERE mention_id IN ({marks}) ORDER BY id",
            chunk,
        ):
            out.setdefault(r[0], []).append(Evidence(text=r[2], start=r[3], end=r[4], field=r[1]))
    return out
