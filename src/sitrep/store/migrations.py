"""The numbered schema migrations of the event database.

Each migration is a small function that runs inside the transaction ``schema.migrate`` opens and is
recorded in ``schema_migrations``; a database records which ones it has, so applying them again is
harmless. Add a new one at the end of ``MIGRATIONS``; never edit one that has been released.
The tables are described in ``docs/store.md``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

Migration = tuple[int, str, Callable[[sqlite3.Connection], None]]


def _run(cx: sqlite3.Connection, statements: list[str]) -> None:
    # one statement at a time: executescript() would commit the open transaction
    for sql in statements:
        cx.execute(sql)


def m001_core_tables(cx: sqlite3.Connection) -> None:
    """Sources, articles, places, merged events, mentions and their evidence."""
    _run(
        cx,
        [
            """CREATE TABLE sources (
                id INTEGER PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                domain TEXT,
                is_wire INTEGER NOT NULL DEFAULT 0
            )""",
            """CREATE TABLE articles (
                id INTEGER PRIMARY KEY,
                article_key TEXT NOT NULL,
                url TEXT UNIQUE,
                text_sha256 TEXT NOT NULL UNIQUE,
                title TEXT,
                published TEXT,
                author TEXT,
                publisher TEXT,
                source_id INTEGER NOT NULL REFERENCES sources(id),
                input TEXT,
                language TEXT,
                wire TEXT,
                mention_count INTEGER NOT NULL DEFAULT 0,
                ingested_at TEXT NOT NULL,
                text TEXT NOT NULL,
                signature BLOB
            )""",
            "CREATE INDEX articles_article_key ON articles(article_key)",
            "CREATE INDEX articles_published ON articles(published)",
            """CREATE TABLE places (
                id INTEGER PRIMARY KEY,
                place_key TEXT NOT NULL UNIQUE,
                name TEXT,
                country TEXT,
                iso3 TEXT,
                admin1 TEXT,
                admin2 TEXT,
                latitude REAL,
                longitude REAL
            )""",
            """CREATE TABLE events (
                id INTEGER PRIMARY KEY,
                event_key TEXT NOT NULL UNIQUE,
                event_date TEXT,
                time_precision INTEGER,
                event_type TEXT NOT NULL,
                sub_event_type TEXT NOT NULL,
                actor1 TEXT,
                assoc_actor_1 TEXT,
                actor2 TEXT,
                assoc_actor_2 TEXT,
                country TEXT,
                iso3 TEXT,
                admin1 TEXT,
                admin2 TEXT,
                location TEXT,
                latitude REAL,
                longitude REAL,
                geo_precision INTEGER,
                place_id INTEGER REFERENCES places(id),
                fatalities INTEGER NOT NULL DEFAULT 0,
                injuries INTEGER NOT NULL DEFAULT 0,
                status TEXT NOT NULL,
                source_count INTEGER NOT NULL DEFAULT 0,
                independent_sources INTEGER NOT NULL DEFAULT 0,
                mention_count INTEGER NOT NULL DEFAULT 0,
                article_count INTEGER NOT NULL DEFAULT 0,
                sources TEXT,
                first_reported TEXT,
                last_reported TEXT,
                notes TEXT,
                weapons TEXT,
                civilian_targeting INTEGER NOT NULL DEFAULT 0,
                background INTEGER NOT NULL DEFAULT 0,
                confidence REAL,
                attribution TEXT,
                source_figures TEXT,
                figures TEXT,
                evidence TEXT,
                article_key TEXT,
                source_url TEXT,
                representative_mention_id INTEGER,
                terms TEXT,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE mentions (
                id INTEGER PRIMARY KEY,
                article_id INTEGER NOT NULL REFERENCES articles(id),
                event_id INTEGER REFERENCES events(id),
                mention_key TEXT NOT NULL,
                match_score REAL,
                event_date TEXT,
                time_precision INTEGER,
                event_type TEXT NOT NULL,
                sub_event_type TEXT NOT NULL,
                confidence REAL,
                actor1 TEXT,
                assoc_actor_1 TEXT,
                actor2 TEXT,
                assoc_actor_2 TEXT,
                country TEXT,
                iso3 TEXT,
                admin1 TEXT,
                admin2 TEXT,
                location TEXT,
                latitude REAL,
                longitude REAL,
                geo_precision INTEGER,
                place_id INTEGER REFERENCES places(id),
                fatalities INTEGER NOT NULL DEFAULT 0,
                injuries INTEGER NOT NULL DEFAULT 0,
                weapons TEXT,
                notes TEXT,
                background INTEGER NOT NULL DEFAULT 0,
                civilian_targeting INTEGER NOT NULL DEFAULT 0,
                attribution_status TEXT,
                attribution TEXT,
                figures TEXT
            )""",
            "CREATE INDEX mentions_event ON mentions(event_id)",
            "CREATE INDEX mentions_article ON mentions(article_id)",
            """CREATE TABLE evidence (
                id INTEGER PRIMARY KEY,
                mention_id INTEGER NOT NULL REFERENCES mentions(id),
                field TEXT NOT NULL,
                text TEXT NOT NULL,
                char_start INTEGER NOT NULL,
                char_end INTEGER NOT NULL
            )""",
            "CREATE INDEX evidence_mention ON evidence(mention_id)",
        ],
    )


def m002_full_text_search(cx: sqlite3.Connection) -> None:
    """FTS5 indexes: article titles and texts (kept in step by triggers) and event texts."""
    _run(
        cx,
        [
            """CREATE VIRTUAL TABLE articles_fts USING fts5(
                title, text, content='articles', content_rowid='id'
            )""",
            """CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
            END""",
            """CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
            END""",
            """CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
                INSERT INTO articles_fts(articles_fts, rowid, title, text)
                VALUES ('delete', old.id, old.title, old.text);
                INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
            END""",
            # rowid = events.id; the store rewrites an event's row whenever the event changes
            "CREATE VIRTUAL TABLE events_fts USING fts5(location, actors, notes, evidence)",
        ],
    )


def m003_indexes(cx: sqlite3.Connection) -> None:
    """The fusion blocking index and the indexes behind the event filters."""
    _run(
        cx,
        [
            """CREATE TABLE event_blocks (
                event_id INTEGER NOT NULL REFERENCES events(id),
                key TEXT NOT NULL,
                day_from INTEGER NOT NULL,
                day_to INTEGER NOT NULL
            )""",
            "CREATE INDEX event_blocks_key ON event_blocks(key, day_from)",
            "CREATE INDEX event_blocks_event ON event_blocks(event_id)",
            "CREATE INDEX events_date ON events(event_date)",
            "CREATE INDEX events_iso3_date ON events(iso3, event_date)",
            "CREATE INDEX events_country ON events(country COLLATE NOCASE)",
            "CREATE INDEX events_admin1 ON events(admin1 COLLATE NOCASE)",
            "CREATE INDEX events_type_date ON events(event_type, event_date)",
            "CREATE INDEX events_sub_type_date ON events(sub_event_type, event_date)",
            "CREATE INDEX events_status ON events(status)",
            "CREATE INDEX events_sources ON events(source_count)",
            "CREATE INDEX events_latitude ON events(latitude)",
        ],
    )


def m004_date_ordered_indexes(cx: sqlite3.Connection) -> None:
    """Country, admin1 and status filters return pages already in date order (no sort of all matches)."""
    _run(
        cx,
        [
            "DROP INDEX IF EXISTS events_country",
            "DROP INDEX IF EXISTS events_admin1",
            "DROP INDEX IF EXISTS events_status",
            "CREATE INDEX events_country_date ON events(country COLLATE NOCASE, event_date)",
            "CREATE INDEX events_admin1_date ON events(admin1 COLLATE NOCASE, event_date)",
            "CREATE INDEX events_status_date ON events(status, event_date)",
        ],
    )


def m005_spatial_index(cx: sqlite3.Connection) -> None:
    """An R*Tree over the events' points behind the bounding-box filter, kept in step by triggers.

    A SQLite built without the R*Tree module gets no index; the bounding-box filter then reads the
    latitude and longitude columns (slower, same answers).
    """
    try:
        cx.execute(
            "CREATE VIRTUAL TABLE events_rtree USING rtree(id, min_lon, max_lon, min_lat, max_lat)"
        )
    except sqlite3.OperationalError as exc:
        if "no such module" in str(exc):
            return
        raise
    _run(
        cx,
        [
            """INSERT INTO events_rtree (id, min_lon, max_lon, min_lat, max_lat)
               SELECT id, longitude, longitude, latitude, latitude FROM events
               WHERE latitude IS NOT NULL AND longitude IS NOT NULL""",
            """CREATE TRIGGER events_rtree_insert AFTER INSERT ON events
               WHEN new.latitude IS NOT NULL AND new.longitude IS NOT NULL BEGIN
                INSERT INTO events_rtree (id, min_lon, max_lon, min_lat, max_lat)
                VALUES (new.id, new.longitude, new.longitude, new.latitude, new.latitude);
            END""",
            """CREATE TRIGGER events_rtree_update AFTER UPDATE OF latitude, longitude ON events BEGIN
                DELETE FROM events_rtree WHERE id = old.id;
                INSERT INTO events_rtree (id, min_lon, max_lon, min_lat, max_lat)
                SELECT new.id, new.longitude, new.longitude, new.latitude, new.latitude
                WHERE new.latitude IS NOT NULL AND new.longitude IS NOT NULL;
            END""",
            """CREATE TRIGGER events_rtree_delete AFTER DELETE ON events BEGIN
                DELETE FROM events_rtree WHERE id = old.id;
            END""",
        ],
    )


MIGRATIONS: list[Migration] = [
    (1, "core tables", m001_core_tables),
    (2, "full-text search", m002_full_text_search),
    (3, "blocking and query indexes", m003_indexes),
    (4, "date-ordered filter indexes", m004_date_ordered_indexes),
    (5, "spatial index", m005_spatial_index),
]
LATEST = MIGRATIONS[-1][0]
