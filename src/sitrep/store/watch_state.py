"""The watcher's state: validators per source and the outcome of each article URL.

A sidecar SQLite file beside the event database (``DB.watch.sqlite``): the watcher's bookkeeping
never touches the event data.
"""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

from sitrep.errors import SitrepError

SETTLED = ("stored", "duplicate", "gave_up")


class WatchState:
    """The sidecar database: validators per source, and the outcome of each article URL."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self.cx = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.cx.execute("PRAGMA journal_mode = WAL")
            self.cx.execute(
                "CREATE TABLE IF NOT EXISTS validators (url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT, checked TEXT)"
            )
            self.cx.execute(
                "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, outcome TEXT NOT NULL, "
                "attempts INTEGER NOT NULL DEFAULT 0, problem TEXT, updated TEXT, published TEXT)"
            )
        except sqlite3.Error as err:
            raise SitrepError(f"{self.path}: cannot open the watch state ({err})") from err
        self._lock = threading.Lock()

    def close(self) -> None:
        self.cx.close()

    def validators(self, url: str) -> tuple[str | None, str | None]:
        with self._lock:
            row = self.cx.execute(
                "SELECT etag, last_modified FROM validators WHERE url = ?", (url,)
            ).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def save_validators(self, url: str, etag: str | None, last_modified: str | None) -> None:
        with self._lock:
            self.cx.execute(
                "INSERT OR REPLACE INTO validators VALUES (?, ?, ?, ?)",
                (url, etag, last_modified, _now()),
            )

    def settled(self, url: str) -> bool:
        """True once the URL was stored, found stored already, or given up."""
        with self._lock:
            row = self.cx.execute("SELECT outcome FROM pages WHERE url = ?", (url,)).fetchone()
        return bool(row and row[0] in SETTLED)

    def record(
        self,
        url: str,
        outcome: str,
        problem: str | None = None,
        max_attempts: int = 3,
        published: datetime | None = None,
    ) -> int:
        """Note what became of a URL; a failure counts an attempt (and gives up after the last). Returns attempts."""
        with self._lock:
            row = self.cx.execute("SELECT attempts FROM pages WHERE url = ?", (url,)).fetchone()
            attempts = (row[0] if row else 0) + (outcome == "failed")
            if outcome == "failed" and attempts >= max_attempts:
                outcome = "gave_up"
            when = published.isoformat() if published else None
            self.cx.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?, ?)",
                (url, outcome, attempts, problem, _now(), when),
            )
        return attempts

    def retries(self) -> dict[str, datetime | None]:
        """The URLs that failed for a passing reason and are due another try, with their feed dates."""
        with self._lock:
            rows = self.cx.execute(
                "SELECT url, published FROM pages WHERE outcome = 'failed' ORDER BY url"
            ).fetchall()
        return {url: datetime.fromisoformat(when) if when else None for url, when in rows}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
