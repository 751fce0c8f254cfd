"""Quotation marks: where direct quotes open and close, over the paragraphs of an article.

Sentences become ``Unit``s with absolute offsets (``units_of``) and are grouped into
``Paragraph``s (``paragraphs_of``); ``scan_quotes`` then finds the ``QuoteSegment``s between
quotation marks, tolerating unbalanced marks and quotes that run over several paragraphs (each
new paragraph reopens the quote, the last one closes it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_MARKS = {'"': ("D", "either"), "“": ("D", "open"), "„": ("D", "open"), "«": ("D", "open")}
_MARKS |= {"”": ("D", "close"), "»": ("D", "close"), "'": ("S", "either"), "‘": ("S", "open")}
_MARKS["’"] = ("S", "close")
_OPENER_PREFIX = "([{—–-:/"
_CLOSER_SUFFIX = ".,;:!?)]}—–-…"


# --- sentences and paragraphs -------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A sentence and where it sits in the article (``start``/``end`` exclude outer whitespace)."""

    sent: Span
    offset: int  # absolute offset of ``sent.doc`` in the article
    start: int
    end: int
    text: str  # the article's text from ``start`` to ``end``

    def slice(self, start: int, end: int) -> str:
        """The unit's text between two absolute offsets (clipped to the unit)."""
        lo, hi = max(start, self.start) - self.start, min(end, self.end) - self.start
        return self.text[lo:hi] if hi > lo else ""


@dataclass(frozen=True)
class Paragraph:
    """A stretch of article text between blank lines (or a whole doc of its own)."""

    start: int
    end: int
    text: str


def units_of(
    doc_or_sents: Doc | Span | Sequence[Doc | Span], offset: int | Sequence[int] = 0
) -> list[Unit]:
    """Sentences of a Doc, a Span or a sequence of them, each with its absolute position."""
    items: list[Doc | Span] = (
        [doc_or_sents] if isinstance(doc_or_sents, Doc | Span) else list(doc_or_sents)
    )
    offsets = [offset] * len(items) if isinstance(offset, int) else list(offset)
    if len(offsets) != len(items):
        raise ValueError("offsets and sentences differ in number")
    units: list[Unit] = []
    for item, off in zip(items, offsets, strict=True):
        if isinstance(item, Doc):
            spans = list(item.sents) if item.has_annotation("SENT_START") else [item[:]]
        else:
            spans = [item]
        for sent in (piece for span in spans for piece in _split_paragraphs(span)):
            text = sent.text
            lead = len(text) - len(text.lstrip())
            trail = len(text.rstrip())
            if trail <= lead:
                continue
            units.append(
                Unit(
                    sent,
                    off,
                    off + sent.start_char + lead,
                    off + sent.start_char + trail,
                    text[lead:trail],
                )
            )
    return units


def _split_paragraphs(sent: Span) -> list[Span]:
    """A sentence cut at blank lines: the parser sometimes runs a sentence across paragraphs."""
    cuts = [t.i + 1 for t in sent if t.is_space and _PARAGRAPH_BREAK.search(t.text + t.whitespace_)]
    bounds = sorted({sent.start, *(c for c in cuts if sent.start < c < sent.end), sent.end})
    return [sent.doc[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def paragraphs_of(units: Sequence[Unit], text: str | None = None) -> list[Paragraph]:
    """The paragraphs around the units; ``text`` (the whole article) gives the exact ones.

    Without ``text``, blank lines split a doc, and two docs (say, one per sentence) share a
    paragraph only when at most one character separates them in the article.
    """
    if text is not None:
        paras: list[Paragraph] = []
        pos = 0
        for m in _PARAGRAPH_BREAK.finditer(text):
            _add_paragraph(paras, text[pos : m.start()], pos)
            pos = m.end()
        _add_paragraph(paras, text[pos:], pos)
        return paras
    pieces: list[tuple[Paragraph, bool]] = []  # (paragraph, starts a new doc)
    i = 0
    while i < len(units):
        doc = units[i].sent.doc
        j = i
        while j + 1 < len(units) and units[j + 1].sent.doc is doc:
            j += 1
        off = units[i].offset
        lo, hi = units[i].start - off, units[j].end - off
        region = doc.text[lo:hi]
        found: list[Paragraph] = []
        pos = 0
        for m in _PARAGRAPH_BREAK.finditer(region):
            _add_paragraph(found, region[pos : m.start()], off + lo + pos)
            pos = m.end()
        _add_paragraph(found, region[pos:], off + lo + pos)
        pieces.extend((p, k == 0) for k, p in enumerate(found))
        i = j + 1
    paras = []
    for para, new_doc in pieces:
        if paras and new_doc and 0 <= para.start - paras[-1].end <= 1:
            last = paras[-1]
            gap = " " * (para.start - last.end)
            paras[-1] = Paragraph(last.start, para.end, last.text + gap + para.text)
        else:
            paras.append(para)
    return paras


def _add_paragraph(paras: list[Paragraph], text: str, start: int) -> None:
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    if body:
        paras.append(Paragraph(start + lead, start + lead + len(body), body))


# --- quotation marks ----------------------------------------------------------------------------


@dataclass
class QuoteSegment:
    """The words between a pair of quotation marks within one paragraph (absolute offsets).

    ``closed`` is False when the paragraph ended with the quote still open; ``continues`` is the
    index of the segment (in the previous paragraph) that this one carries on; ``orphan`` marks
    a closing mark with no opening one, whose quote is taken to start at the paragraph's start.
    """

    start: int
    end: int
    paragraph: int
    closed: bool = True
    continues: int | None = None
    orphan: bool = False
    mark: int | None = None  # absolute position of the opening mark, when there is one


def _mark_at(text: str, i: int) -> tuple[str, str, int] | None:
    """(family, direction, length) of a quotation mark at ``text[i]``; direction: open/close/either."""
    ch = text[i]
    if ch in "'`" and text[i + 1 : i + 2] == ch:  # '' and `` stand for a double mark
        return ("D2", "open" if ch == "`" else "either", 2)
    kind = _MARKS.get(ch)
    return (kind[0], kind[1], 1) if kind else None


def _opener_context(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    return (before.isspace() or before in _OPENER_PREFIX) and not after.isspace()


def _closer_context(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    return not before.isspace() and (after.isspace() or after in _CLOSER_SUFFIX or after in "\"”'’")


def _single_closes(text: str, i: int) -> bool:
    """Whether a single quote or apostrophe at ``i`` can close a quote (not "Russia's")."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return i > 0 and not text[i - 1].isspace() and not after.isalnum()


def _single_opens(text: str, i: int, first: int) -> bool:
    """Whether a single quote at ``i`` opens a quote: a closer follows, or it follows a colon."""
    if text[i] == "'" and not (_opener_context(text, i, 1) and text[i + 1 : i + 2].isalnum()):
        return False
    if i == first or text[:i].rstrip().endswith(":"):
        return True
    return any(text[k] in "'’" and _single_closes(text, k) for k in range(i + 2, len(text)))


def _opens(text: str, i: int, first: int, family: str, direction: str, n: int) -> bool:
    if direction != "either":
        return direction == "open"
    if family == "S":
        return _single_opens(text, i, first)
    return _opener_context(text, i, n) or (i == first and not _closer_context(text, i, n))


def scan_quotes(paragraphs: Sequence[Paragraph]) -> list[QuoteSegment]:
    """Direct-quote segments over consecutive paragraphs, in order; never raises on bad marks."""
    segments: list[QuoteSegment] = []
    pending: int | None = None  # index of a segment left open at the end of the previous paragraph
    for p, para in enumerate(paragraphs):
        text, base = para.text, para.start
        first = len(text) - len(text.lstrip())
        state: tuple[str, int, int | None, int] | None = None  # family, start, continues, mark
        i = first
        m = _mark_at(text, first) if pending is not None and first < len(text) else None
        if m and m[1] != "close":  # the paragraph reopens the quote left open before it
            state, i = (m[0], first + m[2], pending, base + first), first + m[2]
        pending = None
        while i < len(text):
            m = _mark_at(text, i)
            if m is None:
                i += 1
                continue
            family, direction, n = m
            if state is None:
                if _opens(text, i, first, family, direction, n):
                    state = (family, i + n, None, base + i)
                elif (
                    family != "S"
                    and _closer_context(text, i, n)
                    and not any(s.paragraph == p for s in segments)
                    and any(c.isalpha() for c in text[first:i])
                ):  # a closing mark with no opening one: the quote began with the paragraph
                    segments.append(QuoteSegment(base + first, base + i, p, orphan=True))
            elif family == state[0] and (family != "S" or _single_closes(text, i)):
                closed = direction != "open"
                segments.append(
                    QuoteSegment(base + state[1], base + i, p, closed, state[2], mark=state[3])
                )
                # a new opening mark while one is open: the old quote never closed
                state = None if closed else (family, i + n, None, base + i)
            i += n
        if state is not None:
            segments.append(
                QuoteSegment(base + state[1], para.end, p, False, state[2], mark=state[3])
            )
            pending = len(segments) - 1
    return [_trimmed(s, paragraphs) for s in segments]


def _trimmed(seg: QuoteSegment, paragraphs: Sequence[Paragraph]) -> QuoteSegment:
    para = paragraphs[seg.paragraph]
    text = para.text[seg.start - para.start : seg.end - para.start]
    lead = len(text) - len(text.lstrip())
    seg.start, seg.end = seg.start + lead, seg.start + len(text.rstrip())
    return seg
