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
from difflib import SequenceMatcher
from functools import cache

from sitrep.errors import IngestError
from sitrep.ingest.metadata import parse_datetime, publisher_for_url, stable_id
from sitrep.models import Article, Removed
from sitrep.resources import load_json

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

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_OPENERS = "\"'\u201c\u2018\u00ab(["
_SENTENCE_END = re.compile(r"[.!?\u2026][" + re.escape(_CLOSERS) + r"]*$")
_SENTENCE_BREAK = re.compile(r"[a-z0-9)][.!?][\"'\u201d\u2019]?\s+[\"'\u201c\u2018]?[A-Z]")
_BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u2023\u2043\u2219*\-\u2013\u2014>]\s")
_GLUED = re.compile(r"(?<=[a-z0-9])([.!?])(?=[A-Z][a-z])")
_FRONT = re.compile(r"^(?P<key>[A-Za-z][A-Za-z ]{1,24}?)\s*:\s*(?P<value>\S.*)$")
_MONTHS = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
).split()
_WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri "
    "sat sun"
).split()
_DATE_SHAPE = re.compile(
    r"\b(?:" + "|".join(_MONTHS) + r")\b\.?|\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}\b", re.I
)
_RELATIVE_DATE = re.compile(
    r"^(?:\d+|an?|one|two|few)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?)"
    r"\s+ago$|^(?:yesterday|today|just now)$",
    re.I,
)

# Lines longer than this are never captions or headlines, whatever they end with.
MAX_CAPTION_WORDS = 40
MAX_TITLE_WORDS = 22
MAX_TITLE_CHARS = 170
MAX_DATELINE_CHARS = 80
HEAD_PARAGRAPHS = 2  # a dateline may follow a standfirst paragraph or two, not more
MAX_LABEL_WORDS = 30  # "Read more: <headline>", share buttons, bylines, datelines are shorter
# Near-duplicate neighbours: the shorter must be this share of the longer, or this similar.
DUPLICATE_CONTAINMENT = 0.55
DUPLICATE_RATIO = 0.85
# Hard-wrapped text: most lines that continue in the same block come close to the wrap width.
WRAP_MAX_WIDTH = 100
WRAP_NEAR_WIDTH = 0.6
WRAP_SHARE = 0.8


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


def _alternation(patterns: list[str]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


@dataclass(frozen=True)
class _Patterns:
    audio: re.Pattern[str]
    read_more: re.Pattern[str]
    boilerplate: re.Pattern[str]
    caption_tail: re.Pattern[str]
    caption_prefix: re.Pattern[str]
    byline: re.Pattern[str]
    byline_particles: frozenset[str]
    byline_stops: tuple[str, ...]
    dateline_prefix: re.Pattern[str]
    dateline_filler: frozenset[str]
    front_matter: dict[str, str]


@cache
def _patterns() -> _Patterns:
    data = load_json("boilerplate.json")

    def full_or_prefix(section: dict[str, list[str]]) -> re.Pattern[str]:
        parts = []
        if section.get("full"):
            parts.append(f"(?:{_alternation(section['full'])})$")
        if section.get("prefix"):
            parts.append(f"(?:{_alternation(section['prefix'])})")
        return re.compile(r"^\W{0,3}(?:" + "|".join(parts) + ")", re.I)

    front = {
        key: field_name
        for field_name, keys in data["front_matter"].items()
        if not field_name.startswith("_")
        for key in keys
    }
    return _Patterns(
        audio=full_or_prefix(data["audio"]),
        read_more=full_or_prefix(data["read_more"]),
        boilerplate=full_or_prefix(data["boilerplate"]),
        caption_tail=re.compile(
            r"(?:^|(?<=[\s.!?,;]))(?:" + _alternation(data["caption"]["tail"]) + r")\s*$", re.I
        ),
        caption_prefix=re.compile(r"^(?:" + _alternation(data["caption"]["prefix"]) + ")", re.I),
        byline=re.compile(
            r"^(?:"
            + "|".join(
                f"(?:{p})" + (r"\s*" if p.endswith(":") else r"\s+")
                for p in data["byline"]["prefix"]
            )
            + r")(?P<rest>\S.*)$",
            re.I,
        ),
        byline_particles=frozenset(data["byline"]["particles"]),
        byline_stops=tuple(data["byline"]["stop"]),
        dateline_prefix=re.compile(
            r"^(?:(?:" + _alternation(data["dateline"]["prefix"]) + r")\s*)+", re.I
        ),
        dateline_filler=frozenset(data["dateline"]["filler"]),
        front_matter=front,
    )


# ---------------------------------------------------------------- whitespace and units


def normalise_line(line: str) -> str:
    """One line with invisible characters dropped and runs of blanks made one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def repair_glued_sentences(text: str) -> str:
    """Put back the space scraping lost between sentences: "Ukraine.Reports" -> "Ukraine. Reports".

    Only a lower-case letter or digit, then ``.``/``!``/``?``, then a capitalised word counts, so
    "U.S.", decimals and web addresses are left alone.
    """

    def fix(m: re.Match[str]) -> str:
        start = text.rfind(" ", 0, m.start()) + 1
        end = text.find(" ", m.end())
        token = text[start : end if end >= 0 else len(text)]
        if "/" in token or "@" in token or "www." in token.lower():
            return m.group(0)
        return m.group(1) + " "

    return _GLUED.sub(fix, text)


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _hard_wrapped(blocks: list[list[str]]) -> bool:
    """True when the text was wrapped at a fixed width (paragraph lines broken mid-sentence)."""
    inner = [line for block in blocks for line in block[:-1]]
    if len(inner) < 3:
        return False
    width = max(len(line) for block in blocks for line in block)
    if width > WRAP_MAX_WIDTH:
        return False
    near = sum(1 for line in inner if len(line) >= WRAP_NEAR_WIDTH * width)
    ending = sum(1 for line in inner if _ends_sentence(line))
    return near >= WRAP_SHARE * len(inner) and ending <= 0.5 * len(inner)


def _join(left: str, right: str) -> str:
    if left.endswith("-") and not left.endswith(" -") and right[:1].islower():
        return left + right
    return f"{left} {right}"


def _units(raw: str, unwrap: bool) -> list[str]:
    """Split raw text into units: paragraphs or stand-alone lines, whitespace normalised."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = normalise_line(line)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if not blocks:
        return []
    wrapped = unwrap and _hard_wrapped(blocks)
    width = max(len(line) for block in blocks for line in block)
    units: list[str] = []
    for block in blocks:
        current = block[0]
        for prev, line in zip(block, block[1:], strict=False):
            if wrapped:
                joins = len(prev) >= WRAP_NEAR_WIDTH * width
            else:
                joins = unwrap and not _ends_sentence(prev) and line[:1].islower()
            if joins:
                current = _join(current, line)
            else:
                units.append(current)
                current = line
        units.append(current)
    return units


# ---------------------------------------------------------------- line features


def _title_like(line: str, *, headline: bool = False) -> bool:
    """A short line that does not end like a sentence and starts with a capital: a headline."""
    words = line.split()
    if len(words) < 2 or len(words) > MAX_TITLE_WORDS or len(line) > MAX_TITLE_CHARS:
        return False
    if _BULLET.match(line) or _has_sentence_break(line):
        return False
    if line[-1] in _CLOSERS:
        if not headline:
            return False
        inner = line.rstrip(_CLOSERS)
        if not inner or inner[-1] in ".,;:\u2026":
            return False
    last = line.rstrip(_CLOSERS)[-1:] or line[-1]
    if last in ".\u2026:;,-\u2013\u2014/(" or (last in "!?" and not headline):
        return False
    first = line.lstrip(_OPENERS)[:1]
    return first.isupper() or first.isdigit()


def _has_sentence_break(line: str) -> bool:
    """True when a sentence ends inside ``line`` (not after an abbreviation such as "Gen.")."""
    abbreviations = _abbreviations()
    for m in _SENTENCE_BREAK.finditer(line):
        word = re.findall(r"[A-Za-z]+$", line[: m.start() + 1])
        if not word or word[0].lower() not in abbreviations:
            return True
    return False


@cache
def _abbreviations() -> frozenset[str]:
    return frozenset(a.lower().rstrip(".") for a in load_json("boilerplate.json")["abbreviations"])


def _short_fragment(line: str) -> bool:
    """One or two words without final punctuation: a label, never a body paragraph."""
    return len(line.split()) <= 2 and not _ends_sentence(line) and line[-1] not in _CLOSERS


def _squash(line: str) -> str:
    return " ".join(re.findall(r"\w+", line.lower()))


def _near_duplicate(a: str, b: str) -> bool:
    sa, sb = _squash(a), _squash(b)
    short, long_ = sorted((sa, sb), key=len)
    if len(short) < 12:
        return False
    if short in long_ and len(short) >= DUPLICATE_CONTAINMENT * len(long_):
        return True
    return SequenceMatcher(None, sa, sb, autojunk=False).ratio() >= DUPLICATE_RATIO


def _byline_name(line: str, pats: _Patterns) -> tuple[str, str] | None:
    """(name, rest) when ``line`` is a byline such as "By Jane Doe, Reuters"; else None."""
    if len(line) > 120 or len(line.split()) > 16:
        return None
    m = pats.byline.match(line)
    if not m:
        return None
    rest = m.group("rest").strip()
    cut = len(rest)
    for stop in pats.byline_stops:
        at = rest.find(stop)
        if 0 < at < cut:
            cut = at
    name, tail = rest[:cut].strip(" ,;|"), rest[cut:].strip(" ,;|-\u2013\u2014")
    tokens = name.split()
    if not 1 <= len(tokens) <= 8 or tokens[0].lower() in pats.byline_particles:
        return None
    calendar = set(_MONTHS) | set(_WEEKDAYS)
    for tok in tokens:
        core = tok.strip("'\u2019.,")
        if core.lower() in pats.byline_particles:
            continue
        if not core[:1].isupper() or core.lower().rstrip("s'\u2019") in calendar:
            return None
    if _ends_sentence(line) and not re.search(r"\b[A-Z]\.$", line) and len(tail.split()) > 4:
        return None
    if len(tail) > 70:
        return None
    words = [t for t in tokens if t.lower() not in pats.byline_particles]
    if all(t.isupper() for t in words) and len("".join(words)) > 3:  # "By JANE DOE"
        name = " ".join(t if t.lower() in pats.byline_particles else t.title() for t in tokens)
    return name, tail


def _dateline(line: str, pats: _Patterns) -> tuple[bool, datetime | None, bool]:
    """(is a dateline, its date if absolute, is an 'updated' date) for one short line."""
    if len(line) > MAX_DATELINE_CHARS or not re.search(r"\d", line):
        return False, None, False
    updated = bool(re.match(r"\W*(?:last\s+)?(?:updated|modified)", line, re.I))
    body = pats.dateline_prefix.sub("", line).strip(" :|\u2022-")
    if _RELATIVE_DATE.match(body):
        return True, None, updated
    if not _DATE_SHAPE.search(body):
        return False, None, False
    if line.endswith(".") and not re.search(
        r"(?:\b[ap]\.m\.|\b(?:" + "|".join(_MONTHS) + r")\.)$", line, re.I
    ):
        return False, None, False
    calendar = set(_MONTHS) | set(_WEEKDAYS) | pats.dateline_filler
    words = re.findall(r"[A-Za-z]+", body)
    leftover = [w for w in words if w.lower() not in calendar]
    if len(leftover) > 2:
        return False, None, False
    segment = re.split(r"\s[|\u2022]\s|\s[|\u2022]|\|", body)[0]
    return True, parse_datetime(re.sub(r"\bat\b", "", segment)), updated


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
