"""Extraction on a Dask distributed cluster: each worker loads the pipeline once, in a worker plugin.

``DaskRunner("local", jobs=2)`` starts a ``LocalCluster`` of worker processes on this machine;
``DaskRunner("tcp://scheduler:8786")`` joins a running cluster (Kubernetes, SLURM, anything Dask
deploys to; see docs/scale.md). Chunks of articles are submitted as tasks, a bounded number at a
time; results come back with ``as_completed`` and are handed on in input order, so this process
stays the only writer. With ``parquet_dir`` the workers write their results as Parquet partitions
instead (on storage every worker sees), for ``sitrep ingest --from-parquet`` to load later.

Dask re-runs the task of a worker that dies on another worker; a task that kills workers
repeatedly ends as ``KilledWorker`` and its articles are reported as failures.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitrep.errors import SitrepError
from sitrep.models import Failure
from sitrep.runner.records import Written, write_partition
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

PLUGIN_NAME = "sitrep-extractor"

try:
    from distributed import WorkerPlugin as _PluginBase
except ImportError:  # Dask is optional: the class still imports, the runner says what is missing
    _PluginBase = object  # type: ignore[assignment,misc]


class ExtractorPlugin(_PluginBase):  # type: ignore[misc,valid-type,unused-ignore]
    """Loads one Extractor per Dask worker when the worker starts (or joins later)."""

    name = PLUGIN_NAME

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory
        self.extractor: Any = None

    def setup(self, worker: Any) -> None:
        t0 = time.perf_counter()
        self.extractor = self.factory()
        log.info(
            "worker %s loaded the pipeline in %.1f s", worker.address, time.perf_counter() - t0
        )


def _plugin_extractor() -> Any:
    from distributed import get_worker

    plugin: Any = get_worker().plugins[PLUGIN_NAME]
    return plugin.extractor


def extract_task(items: list[Work]) -> tuple[list[Result], str, float, float]:
    """A Dask task: extract one chunk with this worker's Extractor."""
    from distributed import get_worker

    results = extract_items(_plugin_extractor(), items)
    return results, get_worker().address, peak_rss_mb(), cpu_seconds()


def extract_to_parquet_task(
    items: list[Work], folder: str, name: str
) -> tuple[list[Written | Failure], str, float, float]:
    """A Dask task: extract one chunk and write it as a Parquet partition; only counts come back."""
    from distributed import get_worker

    results = extract_items(_plugin_extractor(), items)
    part = str(write_partition(folder, name, results))
    light = [
        r if isinstance(r, Failure) else Written(item_name(r), len(r.events), part) for r in results
    ]
    return light, get_worker().address, peak_rss_mb(), cpu_seconds()


@dataclass
class DaskReport:
    """What a Dask run did, for logs and benchmarks."""

    address: str
    workers: int = 0
    chunks: int = 0
    failed_chunks: int = 0
    load_s: float = 0.0
    peak_rss_mb: dict[str, float] = field(default_factory=dict)  # per worker address
    cpu_s: dict[str, float] = field(default_factory=dict)  # CPU time per worker process so far


class DaskRunner:
    """A Dask client (and, for ``"local"``, its LocalCluster) with the Extractor plugin registered."""

    def __init__(
        self,
        address: str,
        factory: Callable[[], Any],
        *,
        jobs: int = 2,
        window: int | None = None,
        parquet_dir: str | None = None,
    ) -> None:
        self.address = address
        self.factory = factory
        self.jobs = jobs
        self.window = window
        self.parquet_dir = parquet_dir
        self.client: Any = None
        self.cluster: Any = None
        self.report = DaskReport(address)

    def __enter__(self) -> DaskRunner:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Connect (or start the local cluster) and load the pipeline on every worker."""
        try:
            from distributed import Client, LocalCluster
        except ImportError as err:
            raise SitrepError(
                f"--dask needs Dask distributed: pip install 'dask[distributed]' ({err})"
            ) from err
        t0 = time.perf_counter()
        # Dask logs at INFO by default; sitrep's -vv (debug) lets it through, otherwise warnings only
        verbose = logging.getLogger("sitrep").isEnabledFor(logging.DEBUG)
        logging.getLogger("distributed").setLevel(logging.INFO if verbose else logging.WARNING)
        try:
            if self.address == "local":
                prepare = getattr(self.factory, "prepare", None)
                if prepare is not None:
                    prepare()  # the local workers share this machine's gazetteer: build it once
                self.cluster = LocalCluster(
                    n_workers=self.jobs,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
            else:
                self.client = Client(self.address, timeout=30)
        except OSError as err:
            self.close()
            raise SitrepError(f"cannot reach the Dask scheduler at {self.address}: {err}") from err
        self.client.register_plugin(ExtractorPlugin(self.factory), name=PLUGIN_NAME)
        self.report.workers = len(self.client.scheduler_info(n_workers=-1)["workers"])
        self.report.load_s = round(time.perf_counter() - t0, 2)
        log.info(
            "Dask: %d workers at %s ready in %.1f s",
            self.report.workers,
            self.address,
            self.report.load_s,
        )

    def close(self) -> None:
        """Disconnect (and stop the local cluster)."""
        if self.client is not None:
            self.client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None

    def map(
        self,
        items: Iterable[Work],
        *,
        chunk_size: int = DEFAULT_CHUNK,
        stop: Callable[[], bool] = lambda: False,
    ) -> Iterator[Result | Written]:
        """One result per item, in input order (with ``parquet_dir``: ``Written`` for each article)."""
        from distributed import as_completed

        run = uuid.uuid4().hex[
            :12
        ]  # task keys are new on every call: Dask reuses a known key's result
        window = self.window or 4 * max(self.report.workers, 1)
        source = enumerate(chunked(items, chunk_size))
        pending: dict[str, tuple[int, list[Work]]] = {}
        futures = as_completed()
        done: dict[int, list[Result | Written]] = {}
        next_out = 0

        def submit() -> bool:
            try:
                seq, chunk = next(source)
            except StopIteration:
                return False
            key = f"sitrep-{run}-{seq:08d}"
            if self.parquet_dir:
                fut = self.client.submit(
                    extract_to_parquet_task,
                    chunk,
                    self.parquet_dir,
                    f"{run}-{seq:08d}",
                    key=key,
                    pure=False,
                )
            else:
                fut = self.client.submit(extract_task, chunk, key=key, pure=False)
            pending[fut.key] = (seq, chunk)
            futures.add(fut)
            self.report.chunks += 1
            return True

        while len(pending) < window and submit():
            pass
        for fut in futures:
            seq, chunk = pending.pop(fut.key)
            done[seq] = self._results(fut, chunk)
            while next_out in done:
                yield from done.pop(next_out)
                next_out += 1
            if stop():
                log.warning("stopping: cancelling %d chunks not yet done", len(pending))
                self.client.cancel(list(futures.futures))
                break
            while len(pending) < window and submit():
                pass
        for seq in sorted(done):
            yield from done.pop(seq)

    def _results(self, fut: Any, chunk: list[Work]) -> list[Result | Written]:
        try:
            results, worker, rss, cpu = fut.result()
        except Exception as err:  # KilledWorker, a lost connection, a task error: fail its articles
            self.report.failed_chunks += 1
            log.error("chunk %s failed on the cluster: %s: %s", fut.key, type(err).__name__, err)
            problem = f"failed on the Dask cluster ({type(err).__name__}: {err})"
            return [i if isinstance(i, Failure) else Failure(item_name(i), problem) for i in chunk]
        self.report.peak_rss_mb[worker] = round(
            max(rss, self.report.peak_rss_mb.get(worker, 0.0)), 1
        )
        self.report.cpu_s[worker] = round(max(cpu, self.report.cpu_s.get(worker, 0.0)), 2)
        return list(results)
