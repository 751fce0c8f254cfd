"""What makes a SQLite file a sitrep database, and bringing one up to the current schema.

A sitrep database has a ``meta`` table with ``application = sitrep`` and its ``schema_version``, and a
``schema_migrations`` table listing the migrations applied (``PRAGMA application_id`` and
``user_version`` say the same to tools such as ``file``). A file with other tables and no such mark
is refused, and so is a schema newer than this sitrep knows: nothing is written to either.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from sitrep.errors import StoreError
from sitrep.store.migrations import LATEST, MIGRATIONS
from sitrep.version import __version__

APPLICATION = "sitrep"
APPLICATION_ID = 0x53495452  # "SITR"
SCHEMA_VERSION = LATEST


@dataclass(frozen=True)
class Identity:
    """What a database file holds: ``empty``, ``sitrep`` (with its schema version) or ``foreign``."""

    kind: str
    version: int = 0


def now() -> str:
    """The current UTC time as an ISO string (seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def identify(cx: sqlite3.Connection) -> Identity:
    """Read the file's mark without changing anything."""
    names = {
        r[0] for r in cx.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    if not names:
        return Identity("empty")
    if "meta" not in names:
        return Identity("foreign")
    rows = dict(
        cx.execute("SELECT key, value FROM meta WHERE key IN ('application', 'schema_version')")
    )
    if rows.get("application") != APPLICATION:
        return Identity("foreign")
    try:
        return Identity("sitrep", int(rows.get("schema_version", "0")))
    except ValueError:
        return Identity("foreign")


def check(identity: Identity, path: str, *, writable: bool) -> None:
    """Raise ``StoreError`` unless this sitrep may open the file (for writing when ``writable``)."""
    if identity.kind == "foreign":
        raise StoreError(
            "not a sitrep database (it holds other tables); give another file with --db or SITREP_DB",
            path,
        )
    if identity.version > SCHEMA_VERSION:
        raise StoreError(
            f"written by a newer sitrep (schema version {identity.version}; this sitrep {__version__} "
            f"knows up to {SCHEMA_VERSION}); upgrade sitrep to open it",
            path,
        )
    if not writable and identity.kind == "empty":
        raise StoreError("not a sitrep database (it is empty)", path)
    if not writable and identity.version < SCHEMA_VERSION:
        raise StoreError(
            f"schema version {identity.version} is older than this sitrep's ({SCHEMA_VERSION}); "
            "open it once for writing (for example `sitrep rebuild --db FILE`) to upgrade it",
            path,
        )


def migrate(cx: sqlite3.Connection, path: str, upto: int | None = None) -> list[int]:
    """Apply the missing migrations (up to ``upto``, default all) in one transaction.

    Returns the versions applied; an up-to-date database is left untouched.
    """
    current = identify(cx)
    if current.kind == "sitrep" and current.version >= (upto or SCHEMA_VERSION):
        return []  # up to date: no write lock needed
    cx.execute("BEGIN IMMEDIATE")
    try:
        identity = identify(cx)  # again, under the write lock: another process may have migrated
        check(identity, path, writable=True)
        if identity.kind == "empty":
            cx.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            cx.execute(
                "CREATE TABLE schema_migrations ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            cx.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?)",
                [
                    ("application", APPLICATION),
                    ("schema_version", "0"),
                    ("created_at", now()),
                    ("created_by", f"sitrep {__version__}"),
                ],
            )
            cx.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        applied = {v for (v,) in cx.execute("SELECT version FROM schema_migrations")}
        done = []
        for version, name, apply in MIGRATIONS:
            if version in applied or (upto is not None and version > upto):
                continue
            apply(cx)
            cx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, now()),
            )
            done.append(version)
        if done:
            version = max(applied | set(done))
            cx.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
            cx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('migrated_by', ?)",
                (f"sitrep {__version__}",),
            )
            cx.execute(f"PRAGMA user_version = {version}")
        cx.execute("COMMIT")
        return done
    except BaseException:
        if cx.in_transaction:
            cx.execute("ROLLBACK")
        raise
