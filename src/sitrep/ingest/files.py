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
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from sitrep.errors import IngestError
from sitrep.ingest.html import article_from_html
from sitrep.ingest.language import check_language
from sitrep.ingest.records import article_from_record
from sitrep.ingest.text import article_from_text
from sitrep.models import Article, Failure

logger = logging.getLogger(__name__)

TEXT_SUFFIXES = frozenset({".txt", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSON_SUFFIXES = frozenset({".json"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
READABLE_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSON_SUFFIXES | JSONL_SUFFIXES
WARC_SUFFIXES = (".warc", ".warc.gz")  # read record by record (ingest/warc.py), never whole
DEFAULT_MAX_BYTES = 20_000_000
STDIN = "-"

_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"7z\xbc\xaf",
    b"\x7fELF",
    b"SQLite format",
)
_SNIFF = 8192
_MAX_CONTROL_SHARE = 0.05  # control bytes (not tab, newline, form feed, return) in text
_HTML_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<!doctype html", re.I | re.S)
_LETTER = re.compile(r"[^\W\d_]")
_HTML_TAG = re.compile(rb"<(?:html|head|body|article|p|div)\b[^>]*>", re.I)
_GLOB = re.compile(r"[*?[]")

Result = Article | Failure


def _megabytes(n: int) -> str:
    if n < 100_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"


def _os_problem(err: OSError) -> str:
    if isinstance(err, FileNotFoundError):
        return "no such file or directory"
    if isinstance(err, PermissionError):
        return "permission denied"
    if isinstance(err, IsADirectoryError):
        return "is a directory"
    reason = (err.strerror or str(err) or type(err).__name__).lower()
    return f"cannot read ({reason})"


def binary_problem(data: bytes) -> str | None:
    """A problem ("binary file, not text") when the bytes are not text: NULs, magic, noise."""
    head = data[:_SNIFF]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 with a byte-order mark: decoded later
    if b"\x00" in head or head.startswith(_BINARY_MAGIC):
        return "binary file, not text"
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and control > _MAX_CONTROL_SHARE * len(head):
        return "binary file, not text"
    return None  # high bytes alone may be text in a legacy encoding: reported when decoding


def decode_text(data: bytes) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark) bytes as text; ``ValueError`` says where it broke."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise ValueError(f"not valid UTF-16 (at offset {err.start})") from err
    skip = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as err:
        at = err.start + skip
        raise ValueError(f"not valid UTF-8 (byte 0x{data[at]:02x} at offset {at})") from err


def _looks_like_html(data: bytes) -> bool:
    head = data[:_SNIFF]
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


def _accept(article: Article, name: str) -> Result:
    """The article if it is English; otherwise a Failure saying why not."""
    source = article.source or name
    if not _LETTER.search(article.text):
        return Failure(source, "no article text left after cleaning")
    if article.language and not article.language.startswith("en"):
        return Failure(source, f"not English (record says {article.language!r})")
    check = check_language(article.text)
    if not check.is_english:
        if check.latin_share < 0.6:
            return Failure(source, "not English (mostly non-Latin script)")
        return Failure(source, "not English (too few English words)")
    article.language = "en"
    return article


def _build(name: str, make: Callable[..., Article], *args: Any) -> Result:
    """Call an article builder; its ``IngestError`` or parse error becomes a Failure."""
    try:
        article = make(*args)
    except IngestError as err:
        return Failure(err.input, err.problem)
    except (ValueError, TypeError, LookupError, RecursionError) as err:
        logger.debug("%s: builder failed", name, exc_info=True)
        return Failure(name, f"cannot parse ({type(err).__name__}: {err})")
    return _accept(article, name)


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
            yield Failure(where, _shift_offset(str(err), start))
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            yield Failure(where, f"malformed JSON: {err.msg} (column {err.colno})")
            continue
        except RecursionError:
            yield Failure(where, "malformed JSON: nested too deeply")
            continue
        yield _build(where, article_from_record, record, where)
    if not any_line:
        yield Failure(name, "empty input")


def _shift_offset(problem: str, by: int) -> str:
    """Make a decode error's offset count from the start of the file, not of the line."""
    return re.sub(r"offset (\d+)", lambda m: f"offset {int(m.group(1)) + by}", problem)


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
        yield _build(name, article_from_record, value, name)
    elif isinstance(value, list):
        if not value:
            yield Failure(name, "no records in JSON")
        for i, record in enumerate(value):
            where = f"{name}[{i}]"
            yield _build(where, article_from_record, record, where)
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
        yield _build(name, article_from_html, data, name)
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
        yield _build(name, article_from_text, text, name)


def _from_file(path: Path, name: str, size: int, max_bytes: int) -> Iterator[Result]:
    if size > max_bytes:
        yield Failure(name, f"too large ({_megabytes(size)}, limit {_megabytes(max_bytes)})")
        return
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as err:
        yield Failure(name, _os_problem(err))
        return
    if len(data) > max_bytes:  # grew since stat
        yield Failure(name, f"too large (over the {_megabytes(max_bytes)} limit)")
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


def _from_directory(path: Path, name: str, max_bytes: int) -> Iterator[Result]:
    if not os.access(path, os.R_OK | os.X_OK):
        yield Failure(name, "permission denied")
        return
    files = list_directory(path)
    if not files:
        looked = ", ".join(sorted(READABLE_SUFFIXES))
        yield Failure(name, f"no readable files in directory (looked for {looked})")
        return
    for file in files:
        yield from _from_path(file, str(file), max_bytes)


def _from_path(path: Path, name: str, max_bytes: int) -> Iterator[Result]:
    try:
        info = path.stat()
    except OSError as err:
        yield Failure(name, _os_problem(err))
        return
    if stat.S_ISDIR(info.st_mode):
        yield from _from_directory(path, name, max_bytes)
    elif not stat.S_ISREG(info.st_mode):
        yield Failure(name, "not a regular file")
    elif name.lower().endswith(WARC_SUFFIXES):
        try:
            from sitrep.ingest.warc import iter_warc
        except ImportError as err:
            yield Failure(name, f"WARC support unavailable ({err})")
            return
        yield from iter_warc(path, max_bytes=max_bytes)
    else:
        yield from _from_file(path, name, info.st_size, max_bytes)


def _from_stdin(stream: BinaryIO | None, max_bytes: int) -> Iterator[Result]:
    source = stream if stream is not None else sys.stdin.buffer
    try:
        data = source.read(max_bytes + 1)
    except OSError as err:
        yield Failure(STDIN, _os_problem(err))
        return
    if isinstance(data, str):  # a text stream passed where bytes were expected
        data = data.encode("utf-8")
    if len(data) > max_bytes:
        yield Failure(STDIN, f"too large (over the {_megabytes(max_bytes)} limit)")
        return
    yield from _from_bytes(data, STDIN)


def iter_articles(
    inputs: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article | Failure]:
    """Articles from files, directories (recursively), globs, WARC files and ``-`` (stdin), in order.

    A bad input, or a bad line of a JSONL file, is yielded as a ``Failure`` and the rest go on.
    """
    for item in inputs:
        if item == STDIN:
            yield from _from_stdin(stdin, max_bytes)
        elif _GLOB.search(item) and not Path(item).exists():
            matches = sorted(glob.glob(item, recursive=True))
            if not matches:
                yield Failure(item, "no files match")
            for match in matches:
                yield from _from_path(Path(match), match, max_bytes)
        else:
            yield from _from_path(Path(item), item, max_bytes)
