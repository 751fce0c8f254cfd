"""Opening and closing the event database: one writer connection, per-thread readers, their
transactions, and SQLite errors translated into ``StoreError`` with one line a user can act on.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self
from urllib.parse import quote

from sitrep.errors import StoreError
from sitrep.settings import settings
from sitrep.store import schema

log = logging.getLogger(__name__)


def default_path() -> str:
    """The database a command uses when none is given: ``$SITREP_DB``, else ``./sitrep.db``."""
    return settings().db_path


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


class StoreConnection:
    """The connections of a store and their transactions; ``Store`` adds the reads and writes."""

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
    ) -> Self:
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
    def _open_readonly(cls, p: str, timeout: float) -> Self:
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

    def __enter__(self) -> Self:
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
