"""An input that makes the extractor (or the geoparser) raise fails alone, with one line naming it:
in ``extract``, ``ingest --jobs 1`` and ``--jobs 2``, ``watch`` and ``geoparse``. Tracebacks only with
``--debug``. ``extract`` streams a JSONL file of any size, as ``ingest`` does.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_watch import FakeTime, Site, site  # noqa: F401  (the fixture)

from sitrep.cli import main
from sitrep.ingest.addresses import parse_networks
from sitrep.models import Article, ArticleReport
from sitrep.runner.watch import WatchConfig, Watcher
from sitrep.runner.work import ExtractorSettings, show_tracebacks
from sitrep.store import Store

GOOD = (
    "Gunmen killed five villagers in an attack on the village of Kaura in Kaduna state on Monday, "
    "police said. The attackers fled into the forest, a police spokesman told reporters. {n}"
)
CRASH = "CRASH-ME"
E088 = "[E088] Text of length 1200000 exceeds maximum of 1000000"


class Crashing:
    """Stands in for the Extractor: an empty report per article, a spaCy-like error for one."""

    def report(self, article: Article) -> ArticleReport:
        if CRASH in article.text:
            raise ValueError(E088)
        return ArticleReport(article)

    def report_batch(self, articles: list[Article]) -> list[ArticleReport]:
        return [self.report(a) for a in articles]

    def extract(self, article: Article, cancel: Any = None) -> list[Any]:
        return self.report(article).events


@dataclass(frozen=True)
class CrashingSettings(ExtractorSettings):
    """Pickles to worker processes like the real settings, and loads the stand-in there."""

    def prepare(self) -> None:
        pass

    def __call__(self) -> Any:
        show_tracebacks(self.debug)
        return Crashing()


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    def stand_in(args: Any, events_only: bool = True) -> CrashingSettings:
        return CrashingSettings(debug=getattr(args, "debug", False))

    monkeypatch.setattr("sitrep.cli.extract.settings_from", stand_in)
    monkeypatch.setattr("sitrep.cli.dataset.settings_from", stand_in)
    paths = []
    for name, text in [("a.txt", GOOD.format(n=1)), ("huge.txt", GOOD.format(n=CRASH))]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    (tmp_path / "c.txt").write_text(GOOD.format(n=3), encoding="utf-8")
    return [*paths, str(tmp_path / "c.txt")]


def lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if ln.strip()]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_extract_goes_on_after_an_input_that_raises(
    inputs: list[str], jobs: str, capfd: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", *inputs, "--format", "json", "--jobs", jobs]) == 1
    out, err = capfd.readouterr()
    reports = [json.loads(line) for line in lines(out)]
    assert [r["article"]["source"] for r in reports] == [inputs[0], inputs[2]]
    assert lines(err) == [f"sitrep: {inputs[1]}: extraction failed (ValueError: {E088})"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ingest_goes_on_after_an_input_that_raises(
    inputs: list[str], jobs: str, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "events.db"
    assert main(["ingest", *inputs, "--db", str(db), "--jobs", jobs, "--no-progress"]) == 1
    err = capfd.readouterr().err
    assert "Traceback" not in err
    assert lines(err)[0] == f"sitrep: {inputs[1]}: extraction failed (ValueError: {E088})"
    assert len(lines(err)) == 2 and "1 failed" in lines(err)[1]
    with Store.open(db, readonly=True) as store:
        assert store.stats().articles == 2


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_debug_shows_the_traceback(
    inputs: list[str],
    jobs: str,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert main(["--debug", "extract", *inputs, "--format", "json", "--jobs", jobs]) == 1
    err = capfd.readouterr().err + caplog.text  # a worker's stderr, or this process's log
    assert "Traceback (most recent call last)" in err and f"ValueError: {E088}" in err


def test_watch_goes_on_after_a_page_that_raises(
    site: tuple[Site, str],  # noqa: F811
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server, base = site
    server.items = ["/news/1.html", "/news/2.html"]
    sources = tmp_path / "feeds.txt"
    sources.write_text(f"feed {base}/feed.xml\n", encoding="utf-8")
    config = WatchConfig(
        sources, timeout=2, per_host_interval=0, allow_networks=parse_networks(["127.0.0.0/8"])
    )

    class CrashOnTwo(Crashing):
        def report(self, article: Article) -> ArticleReport:
            if "Story number 2" in article.text:
                raise ValueError(E088)
            return ArticleReport(article)

    fake = FakeTime()
    caplog.set_level(logging.INFO, logger="sitrep")
    with (
        Store.open(tmp_path / "events.db") as store,
        Watcher(config, store, CrashOnTwo(), clock=fake.clock, sleep=fake.sleep) as watcher,
    ):
        report = watcher.poll()
    assert report.stored == 1 and [f.input for f in report.failures] == [f"{base}/news/2.html"]
    assert not [r for r in caplog.records if r.exc_info], "a traceback without --debug"
    assert f"{base}/news/2.html: extraction failed (ValueError: {E088})" in caplog.text


def test_geoparse_goes_on_after_a_record_that_raises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from sitrep.geo import Geoparser

    real = Geoparser.parse

    def parse(self: Any, text: str, *args: Any, **kwargs: Any) -> Any:
        if CRASH in text:
            raise RuntimeError("a bug")
        return real(self, text, *args, **kwargs)

    monkeypatch.setattr(Geoparser, "parse", parse)
    path = tmp_path / "places.jsonl"
    records = [{"id": "1", "text": "Shelling hit Kharkiv."}, {"id": "2", "text": CRASH}]
    records.append({"id": "3", "text": "Rockets fell on Odesa."})
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["geoparse", str(path), "--no-spacy"]) == 1
    out, err = capfd.readouterr()
    assert {json.loads(line)["id"] for line in lines(out)} == {"1", "3"}
    assert lines(err) == ["sitrep: 2: cannot geoparse (RuntimeError: a bug)"]


def test_extract_streams_jsonl_over_20_mb(
    inputs: list[str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    big = tmp_path / "big.jsonl"
    pad = "x" * 110_000  # an extra key: read and dropped, line by line
    with big.open("w", encoding="utf-8") as f:
        for n in range(200):
            f.write(json.dumps({"id": f"r{n}", "text": GOOD.format(n=n), "padding": pad}) + "\n")
    assert big.stat().st_size > 20_000_000
    assert main(["extract", str(big), "--format", "json"]) == 0
    out, err = capfd.readouterr()
    assert len(lines(out)) == 200 and not lines(err)


def test_a_malformed_setting_is_one_line() -> None:
    env = {**os.environ, "SITREP_MAX_BODY": "abc"}
    for argv in (["events", "--db", "x.db"], ["serve"], ["--help"]):
        proc = subprocess.run(
            [sys.executable, "-m", "sitrep.cli", *argv], env=env, capture_output=True, timeout=60
        )
        err = proc.stderr.decode()
        assert proc.returncode == 2 and "Traceback" not in err, err
        assert lines(err) == [
            "sitrep: SITREP_MAX_BODY='abc': Input should be a valid integer, unable to parse "
            "string as an integer"
        ]


def test_records_of_the_wrong_types_get_one_clear_line_each(
    inputs: list[str], tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "typed.jsonl"
    good = GOOD.format(n=9)
    rows: list[dict[str, Any]] = [
        {"id": "ok", "text": good},
        {"id": "a", "text": ["a"]},
        {"id": "b", "text": good, "published": 1},
        {"id": {"x": 1}, "text": good},
        {"id": 7, "text": good.replace("9", "7")},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["extract", str(path), "--format", "json"]) == 1
    out, err = capfd.readouterr()
    assert [json.loads(line)["article"]["id"] for line in lines(out)] == ["ok", "7"]
    assert lines(err) == [
        f"sitrep: {path}:2: text must be a string (got a list)",
        f"sitrep: {path}:3: published must be an ISO date (got a number)",
        f"sitrep: {path}:4: id must be a string (got an object)",
    ]
