"""Labelled texts for training and evaluating the typer.

Two formats are read:
- JSONL, one ``{"text": ..., "sub_event_type": ...}`` (or ``"label"``) per line; ``none`` (or an
  empty sub-event type with ``"event": false``) marks a text that reports no event. sitrep's own
  corpus adds ``genre``, ``country``, ``negative_kind`` and provenance.
- CSV with ACLED's export columns: ``notes`` is the text, ``sub_event_type`` the label (checked
  against ``event_type`` when that column is there). ACLED codes only events, so such a file has no
  negatives; the team's corpus supplies them when the two are trained together.

A problem in a file raises ``CorpusError`` naming the file, the line and the problem.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import SitrepError
from sitrep.typer.labels import LABELS, NONE, event_type_for

MAX_TEXT_CHARS = 20_000  # a labelled item is a sentence, a note or a paragraph, not a book
CSV_TEXT = "notes"
CSV_LABEL = "sub_event_type"
_ALIASES = {"": NONE, "none": NONE, "no event": NONE, "not an event": NONE}
_BY_LOWER = {label.lower(): label for label in LABELS}


class CorpusError(SitrepError):
    """A labelled file that cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class LabeledText:
    """One labelled text."""

    text: str
    label: str  # one of LABELS
    genre: str = "user"
    country: str | None = None
    source: str = ""  # file:line, or the corpus item's id

    @property
    def is_event(self) -> bool:
        return self.label != NONE


def canonical_label(value: Any) -> str | None:
    """The label spelt as sitrep spells it, or None when it is not one of the 26."""
    if value is None:
        return NONE
    if not isinstance(value, str):
        return None
    key = " ".join(value.split()).lower()
    return _ALIASES.get(key) or _BY_LOWER.get(key)


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise CorpusError(f"{where}: text must be a string")
    text = value.strip()
    if not text:
        raise CorpusError(f"{where}: empty text")
    if len(text) > MAX_TEXT_CHARS:
        raise CorpusError(f"{where}: text over {MAX_TEXT_CHARS} characters")
    return text


def _open_text(path: Path) -> io.TextIOBase:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    try:
        return io.StringIO(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as err:
        raise CorpusError(f"{path}: not UTF-8 (byte at offset {err.start})") from None


def read_jsonl(path: Path) -> Iterator[LabeledText]:
    """The items of a JSONL file; the first bad line raises ``CorpusError``."""
    any_line = False
    for n, line in enumerate(_open_text(path), 1):
        if not line.strip():
            continue
        any_line = True
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            raise CorpusError(f"{where}: malformed JSON ({err.msg})") from None
        if not isinstance(rec, dict):
            raise CorpusError(f"{where}: a line must be a JSON object")
        if "text" not in rec:
            raise CorpusError(f'{where}: no "text"')
        text = _text(rec["text"], where)
        raw = rec.get("sub_event_type", rec.get("label"))
        if raw is None and "sub_event_type" not in rec and "label" not in rec:
            raise CorpusError(f'{where}: no "sub_event_type" (or "label")')
        label = canonical_label(raw)
        if label is None:
            raise CorpusError(f"{where}: unknown label {raw!r}")
        genre = str(rec["genre"]) if isinstance(rec.get("genre"), str) else "user"
        country = rec.get("country") if isinstance(rec.get("country"), str) else None
        source = str(rec.get("id") or where)
        yield LabeledText(text, label, genre, country, source)
    if not any_line:
        raise CorpusError(f"{path}: empty file")


def read_acled_csv(path: Path) -> Iterator[LabeledText]:
    """The coder notes of an ACLED export CSV, labelled with their sub-event types."""
    reader = csv.DictReader(_open_text(path))
    columns = set(reader.fieldnames or ())
    missing = [c for c in (CSV_TEXT, CSV_LABEL) if c not in columns]
    if missing:
        raise CorpusError(
            f"{path}: missing column(s) {', '.join(missing)} (an ACLED export has them)"
        )
    any_row = False
    for row in reader:
        any_row = True
        where = f"{path}:{reader.line_num}"
        text = _text(row.get(CSV_TEXT), where)
        label = canonical_label(row.get(CSV_LABEL))
        if label is None or label == NONE:
            raise CorpusError(f"{where}: unknown sub_event_type {row.get(CSV_LABEL)!r}")
        given = (row.get("event_type") or "").strip()
        if given and given.lower() != event_type_for(label).lower():
            raise CorpusError(f"{where}: sub_event_type {label!r} is not of event_type {given!r}")
        yield LabeledText(text, label, "acled_csv", (row.get("country") or None), where)
    if not any_row:
        raise CorpusError(f"{path}: no rows")


def read_labeled(path: str | Path) -> list[LabeledText]:
    """Every item of one labelled file (JSONL, or an ACLED export CSV), checked."""
    p = Path(path)
    if not p.is_file():
        raise CorpusError(f"{p}: no such file")
    name = p.name.lower().removesuffix(".gz")
    reader = read_acled_csv if name.endswith(".csv") else read_jsonl
    return list(reader(p))


def read_many(paths: Iterable[str | Path]) -> list[LabeledText]:
    """The items of several files, in order."""
    out: list[LabeledText] = []
    for p in paths:
        out.extend(read_labeled(p))
    return out
