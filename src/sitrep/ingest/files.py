"""Inputs to Articles: paths, directories and stdin, with size, encoding and language checks.

Every problem with one input becomes a ``Failure`` in the output stream, so a caller reports it and
goes on with the rest; nothing raised for one bad input escapes ``iter_articles``.
"""

from __future__ import annotations

import glob
import json
import logging
import os
import re
import stat
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from sitrep.ingest.html import article_from_html
from sitrep.ingest.raw import Page, Record, iter_jsonl
from sitrep.ingest.reading import (
    DEFAULT_MAX_BYTES,
    HTML_SUFFIXES,
    JSON_SUFFIXES,
    JSONL_SUFFIXES,
    READABLE_SUFFIXES,
    SNIFF_BYTES,
    STDIN,
    TEXT_SUFFIXES,
    WARC_SUFFIXES,
    Result,
    binary_problem,
    build,
    decode_text,
    megabytes,
    os_problem,
    shift_offset,
)
from sitrep.ingest.records import article_from_record
from sitrep.ingest.text import article_from_text
from sitrep.ingest.warc import iter_warc, iter_warc_pages
from sitrep.models import Article, Failure

logger = logging.getLogger(__name__)

Item = Article | Page | Record | Failure  # what a walk over inputs yields

_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype html", re.I | re.S)
_HTML_TAG = re.compile(rb"<(?:html|head|body|article|p|div)\b[^>]*>", re.I)
_GLOB = re.compile(r"[*?[]")


def _looks_like_html(data: bytes) -> bool:
    head = data[:SNIFF_BYTES]
    if _HTML_START.match(head):
        return True
    return head.lstrip()[:1] == b"<" and bool(_HTML_TAG.search(head))


def _format_of(data: bytes, suffix: str) -> str:
    """One of "html", "json", "jsonl", "text", from the suffix or, failing that, the content."""
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in JSON_SUFFIXES:
        return "jsonl" if _looks_like_jsonl(data) else "json"
    if _looks_like_html(data):
        return "html"
    if suffix in TEXT_SUFFIXES:
        return "text"
    first = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if first == b"[":
        return "json"
    if first == b"{":
        return "jsonl" if _looks_like_jsonl(data) else "json"
    return "text"


def _looks_like_jsonl(data: bytes) -> bool:
    """Several lines, each an object, the first complete on its own (not pretty-printed JSON)."""
    lines = [ln for ln in data.splitlines() if ln.strip()]
    if len(lines) < 2 or not all(ln.lstrip(b"\xef\xbb\xbf \t")[:1] == b"{" for ln in lines):
        return False
    try:
        json.loads(decode_text(lines[0]))
    except (ValueError, RecursionError):
        return False
    return True


def _from_jsonl(data: bytes, name: str) -> Iterator[Result]:
    offset = 0
    any_line = False
    for lineno, raw in enumerate(data.split(b"\n"), start=1):
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip():
            continue
        any_line = True
        where = f"{name}:{lineno}"
        try:
            line = decode_text(raw)
        except ValueError as err:
            yield Failure(where, shift_offset(str(err), start))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Failure(where, f"malformed JSON: {err.msg} (column {err.colno})")
            continue
        except RecursionError:
            yield Failure(where, "malformed JSON: nested too deeply")
            continue
        yield build(where, article_from_record, record, where)
    if not any_line:
        yield Failure(name, "empty input")


def _from_json(text: str, name: str) -> Iterator[Result]:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        yield Failure(name, f"malformed JSON: {err}")
        return
    except RecursionError:
        yield Failure(name, "malformed JSON: nested too deeply")
        return
    if isinstance(value, dict):
        yield build(name, article_from_record, value, name)
    elif isinstance(value, list):
        if not value:
            yield Failure(name, "no records in JSON")
        for i, record in enumerate(value):
            where = f"{name}[{i}]"
            yield build(where, article_from_record, record, where)
    else:
        yield Failure(name, "JSON is neither a record nor a list of records")


def _from_bytes(data: bytes, name: str, suffix: str = "") -> Iterator[Result]:
    """Articles (or Failures) from the whole content of one input."""
    if not data.strip():
        yield Failure(name, "empty input")
        return
    problem = binary_problem(data)
    if problem:
        yield Failure(name, problem)
        return
    kind = _format_of(data, suffix)
    if kind == "html":
        yield build(name, article_from_html, data, name)
        return
    if kind == "jsonl":
        yield from _from_jsonl(data, name)
        return
    try:
        text = decode_text(data)
    except ValueError as err:
        yield Failure(name, str(err))
        return
    if not text.strip():
        yield Failure(name, "empty input")
    elif kind == "json":
        yield from _from_json(text, name)
    else:
        yield build(name, article_from_text, text, name)


def _from_file(path: Path, name: str, size: int, max_bytes: int) -> Iterator[Result]:
    if size > max_bytes:
        yield Failure(name, f"too large ({megabytes(size)}, limit {megabytes(max_bytes)})")
        return
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        yield Failure(name, os_problem(err))
        return
    if len(data) > max_bytes:  # grew since stat
        yield Failure(name, f"too large (over the {megabytes(max_bytes)} limit)")
        return
    logger.debug("read %s (%d bytes)", name, len(data))
    yield from _from_bytes(data, name, path.suffix.lower())


def list_directory(root: Path) -> list[Path]:
    """The readable-looking files under ``root`` (by suffix), recursively, sorted; hidden skipped."""
    found: list[Path] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for file in files:
            readable = Path(file).suffix.lower() in READABLE_SUFFIXES or file.lower().endswith(
                WARC_SUFFIXES
            )
            if not file.startswith(".") and readable:
                found.append(Path(folder, file))
    return sorted(found)


def _from_directory(path: Path, name: str, max_bytes: int, stream: bool) -> Iterator[Item]:
    if not os.access(path, os.R_OK | os.X_OK):
        yield Failure(name, "permission denied")
        return
    files = list_directory(path)
    if not files:
        looked = ", ".join(sorted(READABLE_SUFFIXES))
        yield Failure(name, f"no readable files in directory (looked for {looked})")
        return
    for file in files:
        yield from _from_path(file, str(file), max_bytes, stream)


def _from_path(path: Path, name: str, max_bytes: int, stream: bool) -> Iterator[Item]:
    try:
        info = path.stat()
    except OSError as err:
        yield Failure(name, os_problem(err))
        return
    lower = name.lower()
    if stat.S_ISDIR(info.st_mode):
        yield from _from_directory(path, name, max_bytes, stream)
    elif not stat.S_ISREG(info.st_mode):
        yield Failure(name, "not a regular file")
    elif lower.endswith(WARC_SUFFIXES):
        yield from (iter_warc_pages(path) if stream else iter_warc(path, max_bytes=max_bytes))
    elif stream and path.suffix.lower() in JSONL_SUFFIXES:
        yield from iter_jsonl(path)
    else:
        yield from _from_file(path, name, info.st_size, max_bytes)


def _from_stdin(stream: BinaryIO | None, max_bytes: int) -> Iterator[Result]:
    source = stream if stream is not None else sys.stdin.buffer
    try:
        data = source.read(max_bytes + 1)
    except OSError as err:
        yield Failure(STDIN, os_problem(err))
        return
    if isinstance(data, str):  # a text stream passed where bytes were expected
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        yield Failure(STDIN, f"too large (over the {megabytes(max_bytes)} limit)")
        return
    yield from _from_bytes(data, STDIN)


def _walk(
    inputs: Sequence[str], stdin: BinaryIO | None, max_bytes: int, stream: bool
) -> Iterator[Item]:
    """The one walk over inputs: stdin, globs, directories (recursively) and files, in order."""
    for item in inputs:
        if item == STDIN:
            yield from _from_stdin(stdin, max_bytes)
        elif _GLOB.search(item) and not Path(item).exists():
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Failure(item, "no files match")
            for match in matches:
                yield from _from_path(Path(match), match, max_bytes, stream)
        else:
            yield from _from_path(Path(item), item, max_bytes, stream)


def iter_articles(
    inputs: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | Failure]:
    """Articles from files, directories (recursively), globs, WARC files and ``-`` (stdin), in order.

    A bad input, or a bad line of a JSONL file, is yielded as a ``Failure`` and the rest go on.
    """
    for item in _walk(inputs, stdin, max_bytes, stream=False):
        assert isinstance(item, Article | Failure)
        yield item


def iter_items(
    inputs: Sequence[str], *, stdin: BinaryIO | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Item]:
    """Like ``iter_articles``, but WARC and JSONL files are streamed whatever their size, as raw
    ``Page`` and ``Record`` items to be cleaned later (in a worker: see ``ingest.raw``)."""
    yield from _walk(inputs, stdin, max_bytes, stream=True)
