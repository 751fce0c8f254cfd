"""WARC files written with warcio: HTML responses only, deduplicated, damage reported and skipped."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

pytest.importorskip("warcio")

from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

from sitrep.ingest import iter_articles  # noqa: E402
from sitrep.ingest.raw import Page  # noqa: E402
from sitrep.ingest.warc import iter_warc, iter_warc_pages  # noqa: E402
from sitrep.models import Article, Failure  # noqa: E402

STORY = (
    "Officials in the northern province said on {day} that the new road to the market town of "
    "{town} will open next month after two years of work. The governor told reporters the project "
    "had been paid for by local taxes and a loan from a regional bank, and that it would cut the "
    "journey to the capital by three hours. Farmers who sell vegetables in the town said they "
    "welcomed the news but worried about the price of fuel, which has risen sharply this year."
)


def page_html(n: int, town: str = "Harlow") -> bytes:
    body = "".join(
        f"<p>{STORY.format(day=day, town=town)} Story {n}.</p>" for day in ("Monday", "Tuesday")
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Road news {n}</title>"
        f"<meta property='article:published_time' content='2024-05-0{n % 9 + 1}T08:00:00Z'></head>"
        f"<body><article><h1>Road news {n}</h1>{body}</article></body></html>"
    ).encode()


def response(
    writer: WARCWriter,
    url: str,
    body: bytes,
    content_type: str = "text/html; charset=utf-8",
    status: str = "200 OK",
) -> None:
    headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
    )


def write_warc(path: Path, gz: bool = True) -> list[int]:
    """Six records: 3 good pages, a request, a PDF, a 404, a duplicate URL and a duplicate body."""
    offsets = []
    with path.open("wb") as f:
        w = WARCWriter(f, gzip=gz)

        def mark() -> None:
            offsets.append(f.tell())

        mark()
        response(w, "https://news.example.com/a/1.html", page_html(1))
        mark()
        w.write_record(
            w.create_warc_record(
                "https://news.example.com/a/1.html",
                "request",
                payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"),
            )
        )
        mark()
        response(w, "https://news.example.com/a/2.html", page_html(2))
        mark()
        response(
            w,
            "https://news.example.com/report.pdf",
            b"%PDF-1.4 binary",
            content_type="application/pdf",
        )
        mark()
        response(
            w, "https://news.example.com/missing", b"<html>gone</html>", status="404 Not Found"
        )
        mark()
        response(w, "https://news.example.com/a/1.html#comments", page_html(9))  # same URL
        mark()
        response(w, "https://mirror.example.org/copy-of-2", page_html(2))  # same bytes
        mark()
        response(w, "https://news.example.com/a/3.html", page_html(3))
    return offsets


def urls(items: list[Article | Failure | Page]) -> list[str | None]:
    return [i.url for i in items if isinstance(i, Article | Page)]


@pytest.mark.parametrize("gz", [True, False])
def test_html_responses_only_deduplicated(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    write_warc(path, gz)
    items = list(iter_warc(path))
    assert [i for i in items if isinstance(i, Failure)] == []
    assert urls(items) == [f"https://news.example.com/a/{n}.html" for n in (1, 2, 3)]
    first = items[0]
    assert isinstance(first, Article)
    assert first.title == "Road news 1" and "market town of Harlow" in first.text
    assert first.source and first.source.startswith(f"{path}@")
    assert first.published is not None and first.published.month == 5


def test_iter_articles_dispatches_warc_files_directories_and_globs(tmp_path: Path) -> None:
    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(folder / "one.warc.gz")
    write_warc(folder / "two.warc", gz=False)
    by_dir = list(iter_articles([str(folder)]))
    by_glob = list(iter_articles([str(folder / "*.warc*")]))
    assert len(urls(by_dir)) == 6 and urls(by_dir) == urls(by_glob)
    assert list(iter_articles([str(tmp_path / "nothing-*.warc")])) == [
        Failure(str(tmp_path / "nothing-*.warc"), "no files match")
    ]


def test_truncated_gzip_file_keeps_the_records_before(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc.gz"
    write_warc(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) - 200])
    items = list(iter_warc_pages(path))
    assert urls(items) == ["https://news.example.com/a/1.html", "https://news.example.com/a/2.html"]
    failures = [i for i in items if isinstance(i, Failure)]
    assert len(failures) == 1
    assert failures[0].input == "https://news.example.com/a/3.html"
    assert f"truncated record at {path}@" in failures[0].problem


def test_gzip_error_in_the_middle_skips_to_the_next_record(tmp_path: Path) -> None:
    path = tmp_path / "bad.warc.gz"
    offsets = write_warc(path)
    data = bytearray(path.read_bytes())
    start = offsets[2]  # the member holding page 2: its deflate stream is overwritten
    data[start + 20 : start + 60] = b"\x00" * 40
    path.write_bytes(bytes(data))
    items = list(iter_warc_pages(path))
    assert urls(items) == [
        "https://news.example.com/a/1.html",
        "https://mirror.example.org/copy-of-2",  # no longer a duplicate: the original was lost
        "https://news.example.com/a/3.html",
    ]
    failures = [i for i in items if isinstance(i, Failure)]
    assert len(failures) == 1
    assert (
        failures[0].input == f"{path}@{start}"
        and "skipped to the next record" in failures[0].problem
    )


def test_truncated_record_in_an_uncompressed_file(tmp_path: Path) -> None:
    path = tmp_path / "cut.warc"
    offsets = write_warc(path, gz=False)
    data = path.read_bytes()
    start, end = offsets[2], offsets[3]
    path.write_bytes(
        data[: start + (end - start) // 2] + data[end:]
    )  # page 2 loses its second half
    items = list(iter_warc_pages(path))
    assert "https://news.example.com/a/1.html" in urls(items)
    assert "https://news.example.com/a/3.html" in urls(items)
    assert "https://news.example.com/a/2.html" not in urls(items)
    assert [i for i in items if isinstance(i, Failure)]


def test_not_a_warc_and_missing_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.warc.gz"
    junk.write_bytes(gzip.compress(b"this is not a WARC file at all\n" * 10))
    items = list(iter_warc_pages(junk))
    assert len(items) == 1 and isinstance(items[0], Failure)
    assert list(iter_warc(tmp_path / "absent.warc")) == [
        Failure(str(tmp_path / "absent.warc"), "no such file or directory")
    ]


def test_oversized_page_is_a_failure_named_by_url(tmp_path: Path) -> None:
    path = tmp_path / "big.warc.gz"
    write_warc(path)
    items = list(iter_warc_pages(path, max_bytes=500))
    failures = [i for i in items if isinstance(i, Failure)]
    assert {f.input for f in failures} >= {"https://news.example.com/a/1.html"}
    assert all("too large" in f.problem for f in failures)


def test_ingest_of_a_warc_folder_stores_each_page_once(tmp_path: Path) -> None:
    from sitrep.ingest import iter_items
    from sitrep.runner.ingest import IngestOptions, run_ingest
    from sitrep.runner.work import ExtractorSettings
    from sitrep.store import Store

    folder = tmp_path / "crawl"
    folder.mkdir()
    write_warc(folder / "one.warc.gz")
    write_warc(folder / "copy.warc", gz=False)  # the same pages again
    settings, options = ExtractorSettings(events_only=True), IngestOptions(jobs=1, chunk_size=2)
    db = tmp_path / "events.db"
    with Store.open(db) as store:
        assert run_ingest(iter_items([str(folder)]), store, settings, options).failed == 0
        assert store.stats().articles == 3
        again = run_ingest(iter_items([str(folder)]), store, settings, options)
        assert again.failed == 0  # a re-run skips by URL before cleaning or extracting
        assert store.stats().articles == 3
