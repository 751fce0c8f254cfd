"""Features of one line of scraped text: headline shape, sentence breaks, near-duplicate
neighbours, bylines and datelines; and the patterns of ``data/boilerplate.json`` they use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher
from functools import cache

from sitrep.ingest.metadata import parse_datetime
from sitrep.ingest.units import _CLOSERS, _ends_sentence
from sitrep.resources import load_json

_OPENERS = "\"'\u201c\u2018\u00ab(["
_SENTENCE_BREAK = re.compile(r"[a-z0-9)][.!?][\"'\u201d\u2019]?\s+[\"'\u201c\u2018]?[A-Z]")
_BULLET = re.compile(r"^[\u2022\u25cf\u25aa\u2023\u2043\u2219*\-\u2013\u2014>]\s")
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

# Lines longer than this are never headlines, whatever they end with.
MAX_TITLE_WORDS = 22
MAX_TITLE_CHARS = 170
MAX_DATELINE_CHARS = 80
# Near-duplicate neighbours: the shorter must be this share of the longer, or this similar.
DUPLICATE_CONTAINMENT = 0.55
DUPLICATE_RATIO = 0.85


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
