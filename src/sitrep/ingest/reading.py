"""Reading one input: the checks and conversions every reader shares.

Size limits, binary sniffing, decoding, the one-line problem for an OS error, and ``build``: call an
article builder and turn what it raises (or a text that is not English) into a ``Failure``.
Files, raw pages and records, and WARC archives all read through these.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from sitrep.errors import IngestError
from sitrep.ingest.language import check_language
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
SNIFF_BYTES = 8192
_MAX_CONTROL_SHARE = 0.05  # control bytes (not tab, newline, form feed, return) in text
_LETTER = re.compile(r"[^\W\d_]")

Result = Article | Failure


def megabytes(n: int) -> str:
    if n < 100_000:
        return f"{n / 1_000:.1f} kB"
    return f"{n / 1_000_000:.1f} MB"


def os_problem(err: OSError) -> str:
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
    head = data[:SNIFF_BYTES]
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


def accept(article: Article, name: str) -> Result:
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


def build(name: str, make: Callable[..., Article], *args: Any) -> Result:
    """Call an article builder; its ``IngestError`` or parse error becomes a Failure."""
    try:
        article = make(*args)
    except IngestError as err:
        return Failure(err.input, err.problem)
    except (ValueError, TypeError, LookupError, RecursionError) as err:
        logger.debug("%s: builder failed", name, exc_info=True)
        return Failure(name, f"cannot parse ({type(err).__name__}: {err})")
    return accept(article, name)


def shift_offset(problem: str, by: int) -> str:
    """Make a decode error's offset count from the start of the file, not of the line."""
    return re.sub(r"offset (\d+)", lambda m: f"offset {int(m.group(1)) + by}", problem)
