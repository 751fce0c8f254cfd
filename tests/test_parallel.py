"""The worker pool: same events as one process, a killed worker's chunk retried, Ctrl-C then resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import shared_dir

from sitrep.ingest import article_from_record
from sitrep.models import Article, ArticleReport, Failure
from sitrep.runner.pool import WorkerPool
from sitrep.runner.work import ExtractorSettings

STORIES = shared_dir() / "corpus" / "voa" / "voa_stories.jsonl"


def voa_articles(n: int) -> list[Article]:
    with STORIES.open(encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    return [article_from_record(r) for r in records[:n]]


def events_by_article(results: list[Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        r.article.id: [e.to_dict() for e in r.events]
        for r in results
        if isinstance(r, ArticleReport)
    }


class CrashingExtractor:
    """A stand-in Extractor whose process dies on any article that says POISON."""

    def report_batch(self, articles: list[Article]) -> list[ArticleReport]:
        out = []
        for a in articles:
            if "POISON" in a.text:
                os._exit(3)
            time.sleep(0.02)
            out.append(ArticleReport(a))
        return out


def crashing_extractor() -> CrashingExtractor:
    return CrashingExtractor()


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return voa_articles(24)


def test_two_workers_give_the_same_events_as_one_process(
    extractor: Any, articles: list[Article]
) -> None:
    one = list(extractor.report_batch(articles))
    with WorkerPool(ExtractorSettings(), 2) as pool:
        two = list(pool.map(articles, chunk_size=3))
        assert len(pool.report.peak_rss_mb) == 2
    assert [r.article.id for r in two] == [a.id for a in articles]  # in input order
    assert events_by_article(two) == events_by_article(one)
    assert sum(len(r.events) for r in one) > 10


def test_a_worker_killed_mid_batch_loses_and_repeats_nothing(
    extractor: Any, articles: list[Article]
) -> None:
    reference = events_by_article(list(extractor.report_batch(articles)))
    got = []
    killed = None
    with WorkerPool(ExtractorSettings(), 2) as pool:
        for result in pool.map(articles, chunk_size=4):
            got.append(result)
            if killed is None:
                killed = pool.pids(busy=True)[0]
                os.kill(killed, signal.SIGKILL)
        assert pool.report.deaths == 1 and pool.report.retried_chunks == 1
        assert killed not in pool.pids() and len(pool.pids()) == 2  # replaced
    assert [r.article.id for r in got] == [a.id for a in articles]
    assert events_by_article(got) == reference


def test_a_chunk_that_kills_its_worker_twice_fails_only_its_own_articles() -> None:
    items = [
        Article(id=f"a{i}", text=f"Story {i}." + (" POISON" if i == 5 else ""), source=f"in:{i}")
        for i in range(12)
    ]
    with WorkerPool(crashing_extractor, 2) as pool:
        results = list(pool.map(items, chunk_size=2))
        assert pool.report.deaths == 2 and pool.report.failed_chunks == 1
    assert len(results) == 12
    failed = [r for r in results if isinstance(r, Failure)]
    assert [f.input for f in failed] == ["in:4", "in:5"]  # the poisoned chunk, after one retry
    assert "worker process died" in failed[0].problem
    assert [r.article.id for r in results if isinstance(r, ArticleReport)] == [
        f"a{i}" for i in range(12) if i not in (4, 5)
    ]


INGEST = """
import sys
from sitrep.cli import main
sys.exit(main(["ingest", sys.argv[1], "--db", sys.argv[2], "--jobs", "2", "--chunk-size", "2", "--no-progress"]))
"""


def stored_articles(db: Path) -> int:
    from sitrep.errors import StoreError
    from sitrep.store import Store

    if not db.exists():
        return 0
    try:
        with Store.open(db, readonly=True) as store:
            return store.stats().articles
    except StoreError:  # the writer has created the file but not yet its tables
        return 0


def test_ctrl_c_stops_cleanly_and_a_rerun_resumes(tmp_path: Path) -> None:
    stories = tmp_path / "stories.jsonl"
    lines = STORIES.read_text(encoding="utf-8").splitlines()[:40]
    stories.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "events.db"
    cmd = [sys.executable, "-c", INGEST, str(stories), str(db)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while stored_articles(db) < 4 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err.decode()
    assert "interrupted" in err.decode()
    first = stored_articles(db)
    assert 4 <= first < 40

    again = subprocess.run(cmd, capture_output=True, timeout=300)
    assert again.returncode == 0, again.stderr.decode()
    assert f"{first} already stored (skipped)" in again.stderr.decode()
    assert stored_articles(db) == 40


def test_extract_jobs_gives_the_same_reports(extractor: Any, articles: list[Article]) -> None:
    from sitrep.runner.ingest import IngestOptions, extract_results
    from sitrep.runner.work import ExtractorSettings

    options = IngestOptions(jobs=2, chunk_size=2)
    got = list(extract_results(articles[:8], ExtractorSettings(events_only=False), options))
    assert [r.to_dict() for r in got] == [r.to_dict() for r in extractor.report_batch(articles[:8])]


def test_jsonl_is_streamed_as_raw_records(tmp_path: Path) -> None:
    from sitrep.ingest import iter_items
    from sitrep.ingest.raw import Record, build_article

    lines = STORIES.read_text(encoding="utf-8").splitlines()[:2]
    big = tmp_path / "in" / "big.jsonl"
    big.parent.mkdir()
    big.write_text(f"{lines[0]}\n{{not json\n\n{lines[1]}\n", encoding="utf-8")
    (tmp_path / "in" / "note.txt").write_text(
        "Police said two people were hurt in a fire on Monday.\n" * 3, encoding="utf-8"
    )
    items = list(iter_items([str(tmp_path / "in")]))
    assert [type(i).__name__ for i in items] == ["Record", "Failure", "Record", "Article"]
    assert items[1] == Failure(
        f"{big}:2", "malformed JSON: Expecting property name enclosed in double quotes (column 2)"
    )
    first = items[0]
    assert isinstance(first, Record) and first.source == f"{big}:1" and first.url
    article = build_article(first)
    assert isinstance(article, Article) and article.source == f"{big}:1"
    assert list(iter_items([str(tmp_path / "none-*.jsonl")])) == [
        Failure(str(tmp_path / "none-*.jsonl"), "no files match")
    ]
