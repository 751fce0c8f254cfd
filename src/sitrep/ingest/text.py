"""Cleaning of scraped plain text: keep the body paragraphs, say what was dropped and why.

A page copied or scraped to text carries more than the story: the headline, a dateline, a byline,
photo captions (often twice, the second time with a credit), audio-player labels, "Read more"
links and the headlines of unrelated stories. Each line is judged by general features (length,
final punctuation, credit markers, near-duplicate neighbours, a parsable date, "By" + a name); the
phrases and patterns live in ``data/boilerplate.json``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime

from sitrep.errors import IngestError
from sitrep.ingest.line_features import (
    _byline_name,
    _dateline,
    _near_duplicate,
    _patterns,
    _short_fragment,
    _squash,
    _title_like,
)
from sitrep.ingest.metadata import parse_datetime, publisher_for_url, stable_id
from sitrep.ingest.units import _units
from sitrep.ingest.units import repair_glued_sentences as repair_glued_sentences
from sitrep.models import Article, Removed

logger = logging.getLogger(__name__)

HEADLINE = "headline"
DATELINE = "dateline"
BYLINE = "byline"
CAPTION = "caption"
AUDIO = "audio"
READ_MORE = "read_more"
OTHER_HEADLINE = "other_headline"
BOILERPLATE = "boilerplate"
KINDS = (HEADLINE, DATELINE, BYLINE, CAPTION, AUDIO, READ_MORE, OTHER_HEADLINE, BOILERPLATE)

_FRONT = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{1,24}?)\s*:\s*(?P<value>\S.*)$")

# Lines longer than this are never captions, whatever they end with.
MAX_CAPTION_WORDS = 40
HEAD_PARAGRAPHS = 2  # a dateline may follow a standfirst paragraph or two, not more
MAX_LABEL_WORDS = 30  # "Read more: <headline>", share buttons, bylines, datelines are shorter


@dataclass
class CleanedText:
    """The body of a scraped text plus what cleaning found out and dropped on the way."""

    text: str
    removed: list[Removed] = field(default_factory=list)
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    url: str | None = None
    publisher: str | None = None


@dataclass
class _Found:
    title: str | None = None
    author: str | None = None
    url: str | None = None
    publisher: str | None = None
    dates: list[tuple[int, int, datetime]] = field(default_factory=list)  # priority, line, date


def _front_matter(units: list[str], kinds: list[str | None], found: _Found) -> None:
    """Consume 'Title: ...', 'URL: ...' header lines some scrapers put at the top."""
    pats = _patterns()
    for i, unit in enumerate(units):
        m = _FRONT.match(unit)
        if not m:
            return
        field_name = pats.front_matter.get(m.group("key").strip().lower())
        if field_name is None:
            return
        value = m.group("value").strip()
        if field_name == "title":
            found.title, kinds[i] = value, HEADLINE
        elif field_name == "author":
            found.author, kinds[i] = value, BYLINE
        elif field_name == "published":
            kinds[i] = DATELINE
            when = parse_datetime(value)
            if when is not None:
                found.dates.append((-1, i, when))
        elif field_name == "url":
            found.url, kinds[i] = value, BOILERPLATE
        else:
            found.publisher, kinds[i] = value, BOILERPLATE


def _pattern_kind(unit: str, index: int, found: _Found) -> str | None:
    """The kind of a line recognisable on its own (audio, credit, byline, date...), or None."""
    pats = _patterns()
    words = len(unit.split())
    if words > MAX_LABEL_WORDS:
        # Too long for a label or link; only a credit can still mark it (as a caption).
        if words <= MAX_CAPTION_WORDS and pats.caption_tail.search(unit):
            return CAPTION
        return None
    if pats.audio.match(unit):
        return AUDIO
    if pats.read_more.match(unit):
        return READ_MORE
    if words <= MAX_CAPTION_WORDS and (
        pats.caption_prefix.match(unit) or pats.caption_tail.search(unit)
    ):
        return CAPTION
    if pats.boilerplate.match(unit):
        return BOILERPLATE
    byline = _byline_name(unit, pats)
    if byline:
        name, tail = byline
        found.author = found.author or name
        if tail:
            is_date, when, updated = _dateline(tail, pats)
            if is_date and when is not None:
                found.dates.append((1 if updated else 0, index, when))
        return BYLINE
    is_date, when, updated = _dateline(unit, pats)
    if is_date:
        if when is not None:
            found.dates.append((1 if updated else 0, index, when))
        return DATELINE
    return None


def _mark_duplicates(units: list[str], kinds: list[str | None]) -> None:
    """Neighbouring near-identical lines: a caption shown twice, or a line repeated by scraping."""
    for i in range(len(units) - 1):
        a, b = units[i], units[i + 1]
        if not _near_duplicate(a, b):
            continue
        ka, kb = kinds[i], kinds[i + 1]
        if CAPTION in (ka, kb) or _title_like(a) or _title_like(b):
            if ka is None:
                kinds[i] = kb or CAPTION
            if kb is None:
                kinds[i + 1] = ka or CAPTION
        elif kb is None and _squash(a) == _squash(b):  # similar body paragraphs both stay
            kinds[i + 1] = ka or BOILERPLATE


def _strip_long_caption_tails(units: list[str], kinds: list[str | None]) -> list[Removed]:
    """A credit glued to the end of a long paragraph: drop the credit, keep the paragraph."""
    pats = _patterns()
    removed = []
    for i, unit in enumerate(units):
        if kinds[i] is None and len(unit.split()) > MAX_CAPTION_WORDS:
            m = pats.caption_tail.search(unit)
            if m and m.start() > 0:
                removed.append(Removed(CAPTION, unit[m.start() :].strip()))
                units[i] = unit[: m.start()].rstrip()
    return removed


def _classify(units: list[str], title_hint: str | None, found: _Found) -> list[str | None]:
    kinds: list[str | None] = [None] * len(units)
    _front_matter(units, kinds, found)
    for i, unit in enumerate(units):
        if kinds[i] is None:
            kinds[i] = _pattern_kind(unit, i, found)
    _mark_duplicates(units, kinds)

    open_ = [i for i, k in enumerate(kinds) if k is None]
    if len(open_) > 1 and _title_like(units[open_[0]], headline=True):
        first = open_[0]
        # A one- or two-word kicker ("Ukraine war") above the real headline.
        if len(units[first].split()) < 3 and _title_like(units[open_[1]], headline=True):
            kinds[first] = BOILERPLATE
            first = open_[1]
        if any(kinds[j] is None for j in range(first + 1, len(units))):
            kinds[first] = HEADLINE
            found.title = found.title or units[first]

    title = title_hint or found.title
    for i, unit in enumerate(units):
        if kinds[i] is not None:
            continue
        if title and _squash(unit) == _squash(title):
            kinds[i] = HEADLINE
        elif _short_fragment(unit):
            kinds[i] = BOILERPLATE
        elif _title_like(unit):
            kinds[i] = OTHER_HEADLINE
    return kinds


def _publication_date(found: _Found, kinds: list[str | None]) -> datetime | None:
    """The first publication (not update) date above the body, else one among its first paragraphs.

    A date line deeper in the body is a crosshead ("24 February 2022"), not the publication date.
    """
    body = [i for i, k in enumerate(kinds) if k is None] + [len(kinds)] * (HEAD_PARAGRAPHS + 1)
    above = [d for d in found.dates if d[1] < body[0]]
    near = [d for d in found.dates if d[1] < body[HEAD_PARAGRAPHS]]
    chosen = above or near
    return min(chosen, key=lambda d: (d[0], d[1]))[2] if chosen else None


def clean_text(raw: str, *, title: str | None = None, unwrap: bool = True) -> CleanedText:
    """Split scraped text into body paragraphs and the lines cleaning removed (with their kind).

    ``title`` is a headline already known (from a record or HTML metadata); lines repeating it are
    dropped. ``unwrap`` re-joins paragraphs hard-wrapped at a fixed width; turn it off for text
    whose lines are already paragraphs (trafilatura's output).
    """
    units = _units(raw, unwrap)
    found = _Found()
    kinds = _classify(units, title, found)
    if units and all(k is not None for k in kinds):
        # Nothing left: a one-line alert, a headline or a caption on its own is the report itself
        # (only labels such as bylines, datelines and links are not).
        kinds = [None if k in (HEADLINE, OTHER_HEADLINE, CAPTION) else k for k in kinds]
    removed = [Removed(k, u) for u, k in zip(units, kinds, strict=True) if k is not None]
    removed += _strip_long_caption_tails(units, kinds)
    body = [repair_glued_sentences(u) for u, k in zip(units, kinds, strict=True) if k is None]
    for item in removed:
        logger.debug("removed %s: %s", item.kind, item.text)
    published = _publication_date(found, kinds)
    return CleanedText(
        text="\n\n".join(body),
        removed=removed,
        title=title or found.title,
        published=published,
        author=found.author,
        url=found.url,
        publisher=found.publisher,
    )


def article_from_text(raw: str, source: str | None = None) -> Article:
    """An Article from scraped plain text: metadata recovered from the lines cleaning removed."""
    cleaned = clean_text(raw)
    if not cleaned.text:
        raise IngestError(source or "<text>", "no article text left after cleaning")
    url = cleaned.url
    return Article(
        id=stable_id(url) if url else stable_id(cleaned.text),
        text=cleaned.text,
        title=cleaned.title,
        published=cleaned.published,
        author=cleaned.author,
        publisher=publisher_for_url(url) or cleaned.publisher,
        url=url,
        source=source,
        removed=cleaned.removed,
    )
