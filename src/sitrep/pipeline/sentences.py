"""Cheap, rule-based sentence splitting with character offsets into the article text.

The extractor parses only the sentences that may report an event, so splitting must not need the
parser. Paragraphs are separated by blank lines; sentences end at . ! ? (optionally followed by a
closing quote or bracket) before whitespace and an upper-case letter, digit or opening quote.
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


def paragraphs(text: str) -> Iterator[Span]:
    """The non-empty paragraphs of ``text`` with their offsets."""
    start = 0
    for m in _PARAGRAPH.finditer(text):
        yield from _strip(text, start, m.start())
        start = m.end()
    yield from _strip(text, start, len(text))


def sentences(text: str) -> list[Span]:
    """The sentences of ``text`` (never crossing a paragraph break), with offsets."""
    out: list[Span] = []
    for para in paragraphs(text):
        start = para.start
        for m in _BOUNDARY.finditer(text, para.start, para.end):
            head = text[start : m.start() + 1]
            if _ABBREV.search(head) or _INITIAL.search(head):
                continue
            out.extend(_strip(text, start, m.end()))
            start = m.end()
        out.extend(_strip(text, start, para.end))
    return out


def _strip(text: str, start: int, end: int) -> Iterator[Span]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Span(text[start:end], start, end)
