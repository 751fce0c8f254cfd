"""Extraction on every core: a pool of worker processes, each holding one loaded Extractor.

The parent reads the inputs, keeps each worker two chunks ahead over its own pipe (a thread in the
worker receives the next chunk while the current one is extracted, so a worker never waits for the
parent to finish writing), and gets the results back in input order; it stays the only writer. A
worker that dies (killed, out of memory, a crash in native code) is noticed through its process
sentinel: its chunks are given to another worker once more, then their articles are reported as
failures, and a fresh worker takes its place.

``multiprocessing.Pool`` loses the task of a worker that dies and waits for it forever, and
``concurrent.futures`` breaks the whole pool: hence this small pool with one pipe per worker.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import pickle
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from sitrep.errors import PipelineError
from sitrep.models import Failure
from sitrep.runner.work import (
    DEFAULT_CHUNK,
    Result,
    Work,
    chunked,
    cpu_seconds,
    extract_items,
    item_name,
    peak_rss_mb,
)

log = logging.getLogger(__name__)

_POLL_S = 0.25  # how often the parent looks at the stop flag while it waits
_DEPTH = 2  # chunks a worker holds: the one it extracts and the next one


def _worker_main(conn: Connection, factory: Callable[[], Any]) -> None:
    """A worker process: load the Extractor once, then extract chunks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        extractor = factory()
    except BaseException as err:  # reported to the parent, which decides what to do
        conn.send(("error", f"{type(err).__name__}: {err}"))
        return
    tasks: queue.Queue[Any] = queue.Queue()

    def receive() -> None:  # always reading, so the parent's send never waits for a busy worker
        while True:
            try:
                task = conn.recv()
            except (EOFError, OSError):
                task = None  # the parent has gone
            tasks.put(task)
            if task is None:
                return

    threading.Thread(target=receive, name="sitrep-receive", daemon=True).start()
    conn.send(("ready", cpu_seconds()))
    while True:
        task = tasks.get()
        if task is None:
            return
        seq, items = task
        try:
            conn.send((seq, extract_items(extractor, items), peak_rss_mb(), cpu_seconds()))
        except (OSError, ValueError):
            return  # the parent has gone


@dataclass
class _Task:
    seq: int
    items: list[Work]
    attempts: int = 0


@dataclass
class _Worker:
    process: Any
    conn: Connection
    ready: bool = False
    tasks: deque[_Task] = field(default_factory=deque)  # sent, not yet answered, oldest first


@dataclass
class PoolReport:
    """What a pool run did, for logs and benchmarks."""

    workers: int
    chunks: int = 0
    deaths: int = 0
    retried_chunks: int = 0
    failed_chunks: int = 0
    load_s: float = 0.0  # until every first worker had its Extractor loaded
    peak_rss_mb: dict[int, float] = field(default_factory=dict)  # per worker pid
    cpu_s: dict[int, float] = field(default_factory=dict)  # CPU time per worker pid so far
    load_cpu_s: dict[int, float] = field(default_factory=dict)  # of which loading the pipeline


class WorkerPool:
    """``jobs`` worker processes with one Extractor each; ``map`` runs chunks through them in order.

    ``factory`` builds a worker's Extractor and must pickle (``ExtractorSettings`` does).
    """

    def __init__(
        self,
        factory: Callable[[], Any],
        jobs: int,
        *,
        start_method: str = "spawn",
        retries: int = 1,
        load_timeout: float = 600.0,
        window: int | None = None,
    ) -> None:
        if jobs < 1:
            raise ValueError("jobs must be at least 1")
        self.factory = factory
        self.jobs = jobs
        self.retries = retries
        self.load_timeout = load_timeout
        self.window = window or 4 * jobs  # chunks handed out but not yet returned in order
        self.ctx: Any = mp.get_context(start_method)
        self.workers: list[_Worker] = []
        self.report = PoolReport(jobs)
        self._restarts_left = 4 * jobs

    # -- lifecycle -------------------------------------------------------------------------------

    def __enter__(self) -> WorkerPool:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the workers and wait until each has loaded its Extractor."""
        t0 = time.perf_counter()
        prepare = getattr(self.factory, "prepare", None)
        if prepare is not None:
            prepare()
        for _ in range(self.jobs):
            self.workers.append(self._spawn())
        deadline = time.monotonic() + self.load_timeout
        while not all(w.ready for w in self.workers):
            if time.monotonic() > deadline:
                self.close()
                raise PipelineError(
                    f"worker processes did not load the pipeline within {self.load_timeout:g} s"
                )
            self._wait_ready(deadline)
        self.report.load_s = round(time.perf_counter() - t0, 2)
        log.info("%d worker processes ready in %.1f s", self.jobs, self.report.load_s)

    def close(self) -> None:
        """Stop every worker: politely, then by force."""
        for w in self.workers:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 5
        for w in self.workers:
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.terminate()
                w.process.join(5)
            w.conn.close()
        self.workers = []

    def terminate(self) -> None:
        """Stop every worker at once, abandoning the chunks they hold."""
        for w in self.workers:
            if w.process.is_alive():
                w.process.terminate()
        for w in self.workers:
            w.process.join(5)
            w.conn.close()
        self.workers = []

    def pids(self, busy: bool = False) -> list[int]:
        """The worker processes' ids (only those extracting a chunk, with ``busy``)."""
        return [w.process.pid for w in self.workers if w.process.pid and (w.tasks or not busy)]

    def _spawn(self) -> _Worker:
        parent, child = self.ctx.Pipe(duplex=True)
        process = self.ctx.Process(target=_worker_main, args=(child, self.factory), daemon=True)
        old = _ignore_sigint()  # the child starts with Ctrl-C ignored, even while it imports
        try:
            process.start()
        finally:
            _restore_sigint(old)
        child.close()
        return _Worker(process, parent)

    def _wait_ready(self, deadline: float) -> None:
        pending = [w for w in self.workers if not w.ready]
        timeout = max(0.0, min(_POLL_S, deadline - time.monotonic()))
        for obj in wait([w.conn for w in pending] + [w.process.sentinel for w in pending], timeout):
            for w in pending:
                if obj is w.conn or obj == w.process.sentinel:
                    self._handshake(w)

    def _handshake(self, w: _Worker) -> None:
        """Read a starting worker's first message; a worker that cannot load stops the run."""
        try:
            kind, detail = w.conn.recv()
        except (EOFError, OSError):
            w.process.join(1)
            kind, detail = "error", f"exited with code {w.process.exitcode} while loading"
        if kind == "error":
            self.terminate()
            raise PipelineError(f"a worker process could not load the pipeline: {detail}")
        w.ready = True
        self.report.load_cpu_s[w.process.pid] = round(float(detail), 2)

    # -- running ---------------------------------------------------------------------------------

    def map(
        self,
        items: Iterable[Work],
        *,
        chunk_size: int = DEFAULT_CHUNK,
        stop: Callable[[], bool] = lambda: False,
        grace_s: float = 30.0,
    ) -> Iterator[Result]:
        """One result per item, in input order. When ``stop()`` turns true no new chunk is handed out;
        the chunks in progress get ``grace_s`` seconds to finish, the rest are abandoned.
        """
        if not self.workers:
            self.start()
        source = enumerate(chunked(items, chunk_size))
        retry: deque[_Task] = deque()
        done: dict[int, list[Result]] = {}
        next_out = 0
        issued = 0  # chunks taken from the source
        exhausted = False
        stopping_since: float | None = None
        while True:
            if stop() and stopping_since is None:
                stopping_since = time.monotonic()
                log.warning("stopping: finishing the chunks in progress, handing out no more")
            if stopping_since is None:
                for depth in range(1, _DEPTH + 1):  # first every idle worker, then the next chunks
                    for w in self.workers:
                        if not w.ready or len(w.tasks) >= depth:
                            continue
                        if retry:
                            self._send(w, retry.popleft())
                        elif not exhausted and issued - next_out < self.window:
                            try:
                                seq, chunk = next(source)
                            except StopIteration:
                                exhausted = True
                                continue
                            issued += 1
                            self.report.chunks += 1
                            self._send(w, _Task(seq, chunk))
            busy = [w for w in self.workers if w.tasks]
            if not busy and (stopping_since is not None or (exhausted and not retry)):
                break
            if stopping_since is not None and time.monotonic() - stopping_since > grace_s:
                log.warning("abandoning %d chunks still in progress", len(busy))
                self.terminate()
                break
            self._collect(done, retry)
            while next_out in done:
                yield from done.pop(next_out)
                next_out += 1
        for seq in sorted(done):  # after a stop, whatever finished, even out of order
            yield from done.pop(seq)

    def _send(self, w: _Worker, task: _Task) -> None:
        task.attempts += 1
        w.tasks.append(task)
        try:
            w.conn.send((task.seq, task.items))
        except (OSError, ValueError):
            pass  # the worker died: its sentinel tells us next

    def _collect(self, done: dict[int, list[Result]], retry: deque[_Task]) -> None:
        """Wait a moment for results, finished start-ups or dead workers, and deal with each."""
        watched = [w for w in self.workers if w.tasks or not w.ready]
        objs = [w.conn for w in watched] + [w.process.sentinel for w in self.workers]
        ready = wait(objs, _POLL_S) if objs else []
        for w in list(self.workers):
            if w.conn in ready and (w.tasks or not w.ready):
                if not w.ready:
                    self._handshake(w)
                    continue
                try:
                    seq, results, rss, cpu = w.conn.recv()
                except (EOFError, OSError, pickle.UnpicklingError):  # it died while answering
                    self._died(w, done, retry)
                    continue
                task = w.tasks.popleft()
                assert seq == task.seq, "a worker answers its chunks in the order they were sent"
                done[seq] = results
                self.report.peak_rss_mb[w.process.pid] = round(rss, 1)
                self.report.cpu_s[w.process.pid] = round(cpu, 2)
            elif w.process.sentinel in ready and not w.process.is_alive():
                self._died(w, done, retry)

    def _died(self, w: _Worker, done: dict[int, list[Result]], retry: deque[_Task]) -> None:
        """A worker has died: retry its chunks once (then fail them), and start another worker."""
        w.process.join(1)
        code = w.process.exitcode
        self.report.deaths += 1
        self.workers.remove(w)
        w.conn.close()
        if not w.tasks:
            log.warning("worker %s died (exit code %s) while idle", w.process.pid, code)
        for n, task in enumerate(w.tasks):
            if n > 0:  # queued behind the one it was extracting: never started, so not an attempt
                task.attempts -= 1
                retry.append(task)
                continue
            if task.attempts <= self.retries:
                log.warning(
                    "worker %s died (exit code %s) with %d articles; retrying them",
                    w.process.pid,
                    code,
                    len(task.items),
                )
                self.report.retried_chunks += 1
                retry.append(task)
            else:
                log.error(
                    "worker %s died (exit code %s) again on the same %d articles; giving up on them",
                    w.process.pid,
                    code,
                    len(task.items),
                )
                self.report.failed_chunks += 1
                problem = f"worker process died while extracting it (exit code {code}, {task.attempts} attempts)"
                done[task.seq] = [
                    i if isinstance(i, Failure) else Failure(item_name(i), problem)
                    for i in task.items
                ]
        if self._restarts_left > 0:
            self._restarts_left -= 1
            self.workers.append(self._spawn())
        elif not self.workers:
            raise PipelineError("every worker process died and no more restarts are allowed")


def _ignore_sigint() -> Any:
    try:
        return signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: leave signals alone
        return None


def _restore_sigint(old: Any) -> None:
    if old is not None:
        signal.signal(signal.SIGINT, old)
