"""What an ingest run shows and counts: the progress line, the totals, and a clean stop on Ctrl-C."""

from __future__ import annotations

import logging
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import IO, Any

log = logging.getLogger(__name__)


@dataclass
class IngestStats:
    """Totals of one ingest run."""

    read: int = 0  # articles (or pages) taken from the inputs
    skipped: int = 0  # already in the store before extraction (a resumed run)
    stored: int = 0
    written: int = 0  # to Parquet partitions, by cluster workers (not in a store yet)
    duplicates: int = 0  # extracted, then found already stored (same URL or text)
    events: int = 0  # event mentions stored
    new_events: int = 0
    updated_events: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def done(self) -> int:
        """Inputs dealt with, whatever came of them."""
        return self.stored + self.written + self.duplicates + self.failed + self.skipped

    @property
    def elapsed(self) -> float:
        return max(time.monotonic() - self.started, 1e-9)

    def rate(self) -> float:
        """Articles extracted per second (skipped ones not counted)."""
        return (self.stored + self.written + self.duplicates + self.failed) / self.elapsed

    def summary(self) -> str:
        """One line for the end of a run."""
        kept = (
            f"{self.written} articles written" if self.written else f"{self.stored} articles stored"
        )
        merged = f" ({self.new_events} new events, {self.updated_events} updated)"
        parts = [kept, f"{self.events} event reports{'' if self.written else merged}"]
        if self.skipped:
            parts.append(f"{self.skipped} already stored (skipped)")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicates")
        parts.append(f"{self.failed} failed")
        return f"{', '.join(parts)} in {self.elapsed:.1f} s ({self.rate():.1f} articles/s)"


class StopFlag:
    """Set by the first Ctrl-C: the run hands out no more work, stores what is done and ends."""

    def __init__(self) -> None:
        self.requested = False

    def __call__(self) -> bool:
        return self.requested


@contextmanager
def graceful_interrupt() -> Iterator[StopFlag]:
    """The first Ctrl-C sets the flag; a second one raises KeyboardInterrupt as usual."""
    flag = StopFlag()

    def handle(signum: int, frame: FrameType | None) -> None:
        if flag.requested:
            raise KeyboardInterrupt
        flag.requested = True
        log.warning("interrupted: storing what is done, then stopping (Ctrl-C again to abort)")

    try:
        old: Any = signal.signal(signal.SIGINT, handle)
    except ValueError:  # not the main thread
        old = None
    try:
        yield flag
    finally:
        if old is not None:
            signal.signal(signal.SIGINT, old)


class Progress:
    """A live line on standard error: articles, articles/s, events, errors. Silent when disabled."""

    def __init__(self, stats: IngestStats, enabled: bool, file: IO[str] | None = None) -> None:
        self.stats = stats
        self.enabled = enabled
        self.file = file
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress as Bar
            from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

            console = Console(file=self.file, stderr=self.file is None)
            self._bar = Bar(
                SpinnerColumn(),
                TextColumn("{task.fields[done]} articles"),
                TextColumn("{task.fields[rate]:.1f} articles/s"),
                TextColumn("{task.fields[events]} events"),
                TextColumn("{task.fields[failed]} errors"),
                TextColumn("{task.fields[skipped]} skipped"),
                TimeElapsedColumn(),
                console=console,
                transient=False,
            )
            self._bar.start()
            self._task = self._bar.add_task("ingest", total=None, **self._fields())
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self.update()
            self._bar.stop()

    def _fields(self) -> dict[str, Any]:
        s = self.stats
        return {
            "done": s.done,
            "rate": s.rate(),
            "events": s.events,
            "failed": s.failed,
            "skipped": s.skipped,
        }

    def note(self, line: str) -> None:
        """Print a line above the progress line (or to standard error)."""
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=self.file or sys.stderr)

    def update(self) -> None:
        """Show the current totals."""
        if self._bar is not None:
            self._bar.update(self._task, **self._fields())
