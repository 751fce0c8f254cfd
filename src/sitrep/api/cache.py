"""A small cache of the page's map payloads, dropped whenever the database files change.

Building the compact columns of 50,000 events takes seconds (every record is read whole), and the
page asks for the same few filter sets again and again. The change marker is the size and mtime of
the SQLite file and its write-ahead log: any commit, by this server or by ``sitrep ingest`` in
another process, changes it, so a cached answer is never stale.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


def change_marker(path: str) -> tuple[int, ...]:
    """Size and modification time (ns) of the database file and its WAL; zeros for missing files."""
    marker: list[int] = []
    for p in (path, path + "-wal"):
        try:
            st = os.stat(p)
            marker += [st.st_size, st.st_mtime_ns]
        except OSError:
            marker += [0, 0]
    return tuple(marker)


class PayloadCache:
    """Up to ``size`` encoded answers keyed by their query, valid while the marker is unchanged."""

    def __init__(self, path: str, size: int = 16) -> None:
        self.path = path
        self.size = size
        self._items: OrderedDict[Hashable, tuple[tuple[int, ...], bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, build: Callable[[], bytes]) -> bytes:
        """The cached bytes for ``key``, or ``build()`` stored under the current marker."""
        marker = change_marker(self.path)
        with self._lock:
            item = self._items.get(key)
            if item is not None and item[0] == marker:
                self._items.move_to_end(key)
                self.hits += 1
                return item[1]
        self.misses += 1
        value = build()
        if change_marker(self.path) == marker:  # nothing was committed while building
            with self._lock:
                self._items[key] = (marker, value)
                self._items.move_to_end(key)
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
