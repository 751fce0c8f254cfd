"""Cheap, rule-based sentence splitting with character offsets into the article text.

The extractor parses only the sentences that may report an event, so splitting must not need the
parser. Paragraphs are separated by blank lines; sentences end at . ! ? (optionally followed by a
closing quote or bracket) before whitespace and an upper-case letter, digit or opening quote.
A sentence longer than ``MAX_SENTENCE_CHARS`` (never in news; a hostile or broken text) is cut
into windows of at most that many characters, at a clause break or a space where it can be, so
that every later stage's work per sentence stays bounded and the whole text costs linear time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from sitrep.models import Span

_PARAGRAPH = re.compile(r"\n\s*\n")
_BOUNDARY = re.compile(r"""[.!?]+["'”’)\]]*\s+(?=["'“‘(\[]*[A-Z0-9])""")
# Abbreviations after which a period does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Lt|Col|Maj|Capt|Sgt|Adm|Cmdr|Gov|Sen|Rep|Rev|St|Mt|Ft|No|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Jr|Sr|Inc|Ltd|Co|Corp|vs|approx|est)|"
    r"\b(?:[A-Za-z]\.){1,3}[A-Za-z])\.$"
)
# A middle or leading initial ("John F. Kennedy", "J. Smith"), not a one-letter word ending a
# sentence ("posted on X.")
_INITIAL = re.compile(r"(?:^|[A-Z][\w'-]*\s+|[A-Z]\.\s*)[A-Z]\.$")
# the abbreviation and initial checks read only this much before a boundary (a sentence of
# rejected boundaries, "Mr. Mr. Mr. ...", would otherwise be re-read at each one)
_LOOKBEHIND = 64
MAX_SENTENCE_CHARS = 1_000  # the longest sentence in the VOA corpus has 465
_CLAUSE_BREAK = re.compile(r"[,;:]\s|\s(?:and|or|but|while)\s")


def paragraphs(text: str) -> Iterator[Span]:
    """The non-empty paragraphs of ``text`` with their offsets."""
    start = 0
    for m in _PARAGRAPH.finditer(text):
        yield from _strip(text, start, m.start())
        start = m.end()
    yield from _strip(text, start, len(text))


def sentences(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """The sentences of ``text`` (never crossing a paragraph break), with offsets; a sentence over
    ``max_chars`` comes as consecutive windows of it (see ``windows``)."""
    out: list[Span] = []
    for para in paragraphs(text):
        start = para.start
        for m in _BOUNDARY.finditer(text, para.start, para.end):
            head = text[max(start, m.start() + 1 - _LOOKBEHIND) : m.start() + 1]
            if _ABBREV.search(head) or _INITIAL.search(head):
                continue
            out.extend(windows(text, start, m.end(), max_chars))
            start = m.end()
        out.extend(windows(text, start, para.end, max_chars))
    return out


def windows(text: str, start: int, end: int, max_chars: int) -> Iterator[Span]:
    """``text[start:end]`` stripped, in pieces of at most ``max_chars`` characters: each cut at the
    last clause break (a comma, "and") in the second half of the window, else at its last space,
    else hard."""
    while end - start > max_chars:
        limit = start + max_chars
        cut = 0
        for m in _CLAUSE_BREAK.finditer(text, start + max_chars // 2, limit):
            cut = m.start() + 1
        if not cut:
            space = max(
                text.rfind(" ", start + max_chars // 2, limit),
                text.rfind("\n", start + max_chars // 2, limit),
            )
            cut = space if space > start else limit
        yield from _strip(text, start, cut)
        start = cut
    yield from _strip(text, start, end)


def _strip(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Span(text[start:end], start, end)
