"""Dask: a real LocalCluster of 2 worker processes gives the same events; Parquet partitions round-trip."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
from test_parallel import events_by_article, voa_articles

from sitrep.models import Article, ArticleReport, Failure
from sitrep.runner.records import Written, read_partitions, report_from_dict, write_partition
from sitrep.runner.work import ExtractorSettings

pytest.importorskip("distributed")

from sitrep.runner.dask_runner import DaskRunner  # noqa: E402


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return voa_articles(16)


@pytest.fixture(scope="module")
def reference(extractor: Any, articles: list[Article]) -> list[ArticleReport]:
    return list(extractor.report_batch(articles))


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    with DaskRunner("local", ExtractorSettings(), jobs=2) as runner:
        yield runner


def test_local_cluster_gives_the_same_events_in_order(
    cluster: DaskRunner, articles: list[Article], reference: list[ArticleReport]
) -> None:
    assert cluster.report.workers == 2
    got = list(cluster.map([*articles, Failure("bad.txt", "empty input")], chunk_size=3))
    assert [r.article.id for r in got if isinstance(r, ArticleReport)] == [a.id for a in articles]
    assert got[-1] == Failure("bad.txt", "empty input")  # input failures pass through, in place
    assert events_by_article(got) == events_by_article(reference)
    assert len(cluster.report.peak_rss_mb) == 2


def test_a_killed_dask_worker_loses_and_repeats_nothing(
    cluster: DaskRunner, articles: list[Article], reference: list[ArticleReport]
) -> None:
    pids = cluster.client.run(os.getpid)
    got = []
    for result in cluster.map(articles, chunk_size=2):
        got.append(result)
        if len(got) == 1:
            os.kill(next(iter(pids.values())), signal.SIGKILL)  # the nanny starts a new one
    assert [r.article.id for r in got if isinstance(r, ArticleReport)] == [a.id for a in articles]
    assert events_by_article(got) == events_by_article(reference)


def test_parquet_partitions_load_into_the_store(
    cluster: DaskRunner, articles: list[Article], reference: list[ArticleReport], tmp_path: Path
) -> None:
    from sitrep.runner.ingest import IngestOptions, run_ingest
    from sitrep.runner.work import ExtractorSettings
    from sitrep.store import Store

    parts = tmp_path / "parts"
    cluster.parquet_dir = str(parts)
    try:
        written = list(cluster.map(articles, chunk_size=5))
    finally:
        cluster.parquet_dir = None
    assert [w for w in written if not isinstance(w, Written)] == []
    assert len(written) == len(articles)
    assert len(list(parts.glob("part-*.parquet"))) == 4
    assert not list(parts.glob(".*"))  # no temporary files left
    back = list(read_partitions(parts))
    assert events_by_article(back) == events_by_article(reference)
    assert [r.to_dict() for r in back] == [r.to_dict() for r in reference]

    options = IngestOptions(jobs=1, chunk_size=4, from_parquet=str(parts))
    db = tmp_path / "events.db"
    for _ in range(2):  # loading twice stores nothing twice
        with Store.open(db) as store:
            assert run_ingest(None, store, ExtractorSettings(), options).failed == 0
            assert store.stats().articles == len(articles)


def test_report_round_trips_through_a_partition(
    reference: list[ArticleReport], tmp_path: Path
) -> None:
    path = write_partition(tmp_path, "x", [*reference[:3], Failure("u", "timed out")])
    back = list(read_partitions(tmp_path))
    assert path.name == "part-x.parquet"
    assert back[-1] == Failure("u", "timed out")
    for a, b in zip(reference[:3], back, strict=False):
        assert b == a and report_from_dict(a.to_dict()) == a
