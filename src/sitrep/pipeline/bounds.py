"""What keeps one article's cost bounded: caps on what it yields, a time budget, and geoparsing a
very long text in pieces.

Every stage's work is linear in the text: sentences are cut into windows of at most
``sentences.MAX_SENTENCE_CHARS``; an article is read up to the sentence where its candidate sentences
pass ``MAX_PARSED_CHARS`` (the parser is the costliest step: 2 MB of short event sentences would
take minutes);
an article keeps at most ``MAX_EVENTS`` events of at most
``MAX_EVIDENCE`` evidence items each (what is left out is counted and reported on the
``ArticleReport`` as ``capped``); a text longer than ``GEO_WHOLE_CHARS`` is geoparsed in pieces of
consecutive sentences, only those pieces that hold a parsed sentence. ``Budget`` stops an article that runs past its time (or whose caller has
gone): the stages call ``check`` between sentences.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from sitrep.errors import OverBudget
from sitrep.models import Span
from sitrep.settings import DEFAULT_BUDGET_S

if TYPE_CHECKING:
    from sitrep.geo.resolve import PlaceMention

MAX_PARSED_CHARS = 200_000  # of candidate sentences read per article (news: under 30,000)
MAX_EVENTS = 200  # events per article (a long news story has a few dozen)
MAX_EVIDENCE = 100  # evidence items per event (the same event told in 100 sentences is enough)
GEO_WHOLE_CHARS = 100_000  # a text up to this long is geoparsed whole (news is under 30,000)
GEO_PIECE_CHARS = 10_000  # beyond it, in pieces of about this many characters
__all__ = [
    "DEFAULT_BUDGET_S",
    "OverBudget",
]  # raised by Budget.check; defined with sitrep's other errors


class Budget:
    """The time one article may take, and a flag another thread sets to cancel it.

    ``seconds`` None: no time limit (cancellation still works). The clock runs only between
    ``resume`` and ``pause``, so that articles extracted in one batch each spend their own time.
    """

    def __init__(self, seconds: float | None = None, cancel: threading.Event | None = None) -> None:
        self.seconds = seconds
        self.cancel = cancel
        self.left = float("inf") if seconds is None else seconds
        self.deadline = float("inf")

    def resume(self) -> None:
        self.deadline = time.monotonic() + self.left

    def pause(self) -> None:
        self.left = max(0.0, self.deadline - time.monotonic())
        self.deadline = float("inf")

    def charge(self, seconds: float) -> None:
        """Count ``seconds`` spent on the article outside ``resume``/``pause``, then ``check``."""
        self.left -= seconds
        if self.left < 0:
            raise OverBudget(self.seconds)
        self.check()

    def check(self) -> None:
        """Raise ``OverBudget`` if the time is up or the work was cancelled."""
        if self.cancel is not None and self.cancel.is_set():
            raise OverBudget(self.seconds, cancelled=True)
        if time.monotonic() > self.deadline:
            raise OverBudget(self.seconds)


UNLIMITED = Budget()


def parse_cap_line(start: int, length: int) -> str:
    """The line for an article whose candidate sentences reached ``MAX_PARSED_CHARS`` at
    character ``start`` of ``length``."""
    return (
        f"not read past character {start:,} of {length:,}: candidate sentences over "
        f"{MAX_PARSED_CHARS:,} characters"
    )


def pieces(sentences: Sequence[Span], size: int) -> list[tuple[int, int]]:
    """Consecutive runs of sentences of about ``size`` characters, as (start, end) offsets that
    cover the text from the first sentence to the last."""
    out: list[tuple[int, int]] = []
    start = sentences[0].start if sentences else 0
    for s in sentences:
        if s.end - start >= size:
            out.append((start, s.end))
            start = s.end
    if sentences and start < sentences[-1].end:
        out.append((start, sentences[-1].end))
    return out


def geoparse(
    geoparser: Any,
    text: str,
    sentences: Sequence[Span],
    ents: list[tuple[int, int, str]],
    parsed: Iterable[int] = (),
    budget: Budget = UNLIMITED,
) -> list[PlaceMention]:
    """The text's places: whole when it is short enough, else piece by piece (each piece read
    without the others' places, which only a text far longer than news loses), only the pieces
    that hold a ``parsed`` sentence (the places of others are never used)."""
    if len(text) <= GEO_WHOLE_CHARS:
        return list(geoparser.parse(text, ents))
    ents = sorted(ents)
    starts = sorted(sentences[i].start for i in parsed)
    out: list[PlaceMention] = []
    k = 0
    for a, b in pieces(sentences, GEO_PIECE_CHARS):
        budget.check()
        if bisect_left(starts, a) == bisect_left(starts, b):
            continue  # no parsed sentence starts in it
        mine = []
        while k < len(ents) and ents[k][0] < b:
            s, e, label = ents[k]
            if s >= a and e <= b:
                mine.append((s - a, e - a, label))
            k += 1
        out.extend(_shifted(pm, a) for pm in geoparser.parse(text[a:b], mine))
    return out


def _shifted(pm: PlaceMention, offset: int) -> PlaceMention:
    t = pm.toponym
    within = tuple((s + offset, e + offset, name, q) for s, e, name, q in t.within)
    toponym = dataclasses.replace(t, start=t.start + offset, end=t.end + offset, within=within)
    return dataclasses.replace(pm, toponym=toponym)
