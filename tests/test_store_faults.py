"""The database under faults: a killed ingest, foreign and newer files, read-only, locked, full.

Every case must end with a clear one-line message, nothing half-written and nothing lost.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import re
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import REPO, shared_dir
from test_fusion import gold_events, load_articles

from sitrep.cli import main
from sitrep.errors import StoreError
from sitrep.models import Article
from sitrep.store import Store

FIXTURE = REPO / "tests" / "fixtures" / "fusion" / "articles.jsonl"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corpus(tmp_path: Path) -> tuple[Path, int]:
    """45 VOA stories and the fusion fixtures in one JSONL file: 60 articles, a few seconds of work."""
    lines = (
        (shared_dir() / "corpus" / "voa" / "voa_stories.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()[:45]
    )
    lines += FIXTURE.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if line.strip()]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, len(lines)


def ingest(db: Path, inputs: Path) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if k != "SITREP_DB"}
    # one process: the kill must hit the writer, and leave no worker processes behind
    jobs = ["--jobs", "1"] if importlib.util.find_spec("sitrep.runner") else []
    return subprocess.Popen(
        [sys.executable, "-m", "sitrep.cli", "ingest", "--db", str(db), str(inputs), *jobs],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=db.parent,
        env=env,
    )


def committed_keys(db: Path) -> list[str]:
    cx = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return [r[0] for r in cx.execute("SELECT article_key FROM articles ORDER BY id")]
    finally:
        cx.close()


def watch(
    db: Path, proc: subprocess.Popen[str], until: int | None, timeout: float = 120
) -> list[str]:
    """Read the database while ``proc`` writes it: every snapshot must be sound and counts must grow.

    Returns the article keys seen committed last (stops early once ``until`` articles are in).
    """
    deadline = time.monotonic() + timeout
    store: Store | None = None
    last: list[str] = []
    snapshots = 0
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            if store is None:
                try:
                    store = Store.open(db, readonly=True)
                except StoreError:  # not created or not migrated yet
                    time.sleep(0.05)
                    continue
            assert store.check() == [], "a reader saw a half-written article"
            stats = store.stats()
            assert stats.articles >= len(last), "a committed article disappeared"
            assert sum(r.mention_count for r in store.events()) <= store.stats().mentions
            last = committed_keys(db)
            assert len(last) >= stats.articles
            snapshots += 1
            if until is not None and len(last) >= until:
                break
            time.sleep(0.1)
    finally:
        if store is not None:
            store.close()
    assert snapshots > 0
    return last


def test_sigkill_mid_batch_loses_nothing_committed(tmp_path: Path) -> None:
    batch, n = corpus(tmp_path)
    db = tmp_path / "killed.db"
    proc = ingest(db, batch)
    try:
        seen = watch(db, proc, until=15)
        assert proc.poll() is None, "the ingest finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert 15 <= len(seen) < n

    with Store.open(db) as store:  # recovers the write-ahead log
        assert store.check() == []
        after_kill = committed_keys(db)
        assert (
            after_kill[: len(seen)] == seen
        )  # everything committed before the kill is still there

    proc = ingest(db, batch)
    seen_during = watch(db, proc, until=None)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert re.search(rf"\b{len(after_kill)} already stored", err), err
    keys = committed_keys(db)
    assert len(keys) == len(set(keys)) == n
    assert keys[: len(after_kill)] == after_kill and len(seen_during) <= n
    with Store.open(db, readonly=True) as store:
        assert store.check() == []
        s = store.stats()
        assert s.articles == n and s.events > 0
        assert sum(r.mention_count for r in store.events()) == s.mentions


def test_not_a_sitrep_database_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "crm.db"
    cx = sqlite3.connect(other)
    cx.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    cx.execute("INSERT INTO customers (name) VALUES ('Ada')")
    cx.commit()
    cx.close()
    before = digest(other)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="not a sitrep database"):
            Store.open(other, readonly=readonly)
    text = tmp_path / "notes.db"
    text.write_text("these are my notes, not a database\n" * 20, encoding="utf-8")
    with pytest.raises(StoreError, match="not an SQLite file"):
        Store.open(text)
    assert main(["ingest", "--db", str(other), str(FIXTURE)]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "not a sitrep database" in err[0] and str(other) in err[0]
    assert digest(other) == before and not Path(f"{other}-wal").exists()
    assert text.read_text(encoding="utf-8").startswith("these are my notes")


def test_newer_schema_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "future.db"
    Store.open(db).close()
    cx = sqlite3.connect(db)
    cx.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    cx.commit()
    cx.close()
    before = digest(db)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="newer sitrep"):
            Store.open(db, readonly=readonly)
    assert main(["events", "--db", str(db)]) == 3
    assert "schema version 99" in capsys.readouterr().err
    assert digest(db) == before


@pytest.fixture()
def small_db(tmp_path: Path) -> Path:
    db = tmp_path / "small.db"
    with Store.open(db) as store:
        for art in load_articles()[:4]:
            store.add_article(art, gold_events(art))
    return db


def test_read_only_file_is_read_but_never_written(
    small_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chmod(small_db, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        before = digest(small_db)
        with pytest.raises(StoreError, match="read-only"):
            Store.open(small_db)
        with Store.open(small_db, readonly=True) as store:
            assert store.stats().articles == 4 and store.events()
        assert main(["ingest", "--db", str(small_db), str(FIXTURE)]) == 3
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "read-only" in err[0]
        assert digest(small_db) == before
    finally:
        os.chmod(small_db, stat.S_IRUSR | stat.S_IWUSR)


def test_locked_database_waits_then_fails_cleanly(small_db: Path) -> None:
    blocker = sqlite3.connect(small_db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    try:
        with Store.open(small_db, timeout=0.3) as store:
            art = load_articles()[5]
            started = time.monotonic()
            with pytest.raises(StoreError, match="locked by another process"):
                store.add_article(art, gold_events(art))
            assert time.monotonic() - started >= 0.25
            assert store.stats().articles == 4  # readers are not blocked
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with Store.open(small_db) as store:
        art = load_articles()[5]
        assert store.add_article(art, gold_events(art)).added
        assert store.stats().articles == 5 and store.check() == []


def test_full_disk_rolls_back_the_article(small_db: Path) -> None:
    with Store.open(small_db) as store:
        before = store.stats()
        pages = store._writer.execute("PRAGMA page_count").fetchone()[0]  # type: ignore[union-attr]
        store._writer.execute(f"PRAGMA max_page_count = {pages + 2}")  # type: ignore[union-attr]
        big = Article(
            id="big", text="Shelling was reported again. " * 40000, url="https://big.example/1"
        )
        with pytest.raises(StoreError, match="disk full"):
            store.add_article(big, [])
        assert store.stats() == before and store.check() == []
        store._writer.execute("PRAGMA max_page_count = 1073741823")  # type: ignore[union-attr]
        assert store.add_article(big, []).added
        assert store.stats().articles == before.articles + 1


def test_database_path_problems_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such database"):
        Store.open(tmp_path / "none.db", readonly=True)
    folder = tmp_path / "folder.db"
    folder.mkdir()
    with pytest.raises(StoreError):
        Store.open(folder)
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(StoreError, match="empty"):
        Store.open(empty, readonly=True)
    with Store.open(empty) as store:  # an empty file is a new database
        assert store.stats().articles == 0
    assert json.loads(json.dumps(store.stats().__dict__))["articles"] == 0
