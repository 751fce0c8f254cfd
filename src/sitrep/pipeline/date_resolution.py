"""Date resolution: the date an expression stands for, against the publication date.

Each kind of expression of ``date_patterns`` has a resolver (``_RESOLVERS``): explicit calendar
dates are read with ``dateparser``, relative expressions ("earlier this week", "last night", "two
days ago") are placed from the publication date, with a precision (1 day, 2 week, 3 month) and
whether they point after publication; ``_candidates`` gives every expression of a text that
resolves, the longest where they overlap.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import dateparser

from sitrep.pipeline.date_patterns import (
    _PATTERNS,
    MONTHS,
    WEAK_PREPOSITIONS,
    WEEKDAYS,
)
from sitrep.pipeline.quantities import numbers, small_number

# A day-month date without a year up to this many days after publication stays in the same year.
FUTURE_TOLERANCE_DAYS = 60
# "In recent days" and "recently" are placed this many days before publication.
RECENT_DAYS = 3


# --- resolution --------------------------------------------------------------------------------


@dataclass
class _Resolved:
    date: date
    precision: int
    future: bool = False
    weak: bool = False  # "since"/"until"-type expression


def _month_of(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def _prep(m: re.Match[str]) -> str:
    prep = m.groupdict().get("prep") or ""
    return " ".join(prep.lower().split())


def _is_weak(m: re.Match[str]) -> bool:
    prep = _prep(m)
    return bool(prep) and prep.split()[0] in WEAK_PREPOSITIONS


def _parse_explicit(text: str, base: datetime | None) -> date | None:
    """Read an explicit calendar date that a pattern has already isolated, with dateparser."""
    settings: dict[str, Any] = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month"]}
    if base is not None:
        settings["RELATIVE_BASE"] = base.replace(tzinfo=None)
    try:
        parsed = dateparser.parse(text, languages=["en"], settings=settings)
    except (ValueError, OverflowError):  # dateparser raises on impossible dates
        return None
    return parsed.date() if parsed else None


def _choose_year(month: int, day: int, pub: date) -> tuple[int, bool]:
    """Year of a day-month without a year: the publication year unless that is far in the future."""
    try:
        candidate = date(pub.year, month, day)
    except ValueError:
        return pub.year - 1, False
    if candidate <= pub:
        return pub.year, False
    if (candidate - pub).days <= FUTURE_TOLERANCE_DAYS:
        return pub.year, True
    return pub.year - 1, False


def _most_recent_month(month: int, pub: date, strictly_before: bool = False) -> date:
    year = (
        pub.year
        if (month < pub.month or (month == pub.month and not strictly_before))
        else pub.year - 1
    )
    return date(year, month, 1)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _first_of_previous_month(d: date) -> date:
    return (d.replace(day=1) - timedelta(days=1)).replace(day=1)


def _resolve_explicit(
    m: re.Match[str], pub: date | None, base: datetime | None
) -> _Resolved | None:
    g = m.groupdict()
    month = _month_of(g["mon"]) if g.get("mon") else int(g["m"])
    day = int(g["d"])
    future = False
    if g.get("y"):
        year = int(g["y"])
    elif pub is not None:
        year, future = _choose_year(month, day, pub)
    else:
        return None
    iso_text = f"{year:04d}-{month:02d}-{day:02d}"
    parsed = _parse_explicit(iso_text, base)
    if parsed is None:
        return None
    if pub is not None and parsed > pub:
        future = True
    return _Resolved(parsed, 1, future=future, weak=_is_weak(m))


def _resolve_month_year(
    m: re.Match[str], pub: date | None, base: datetime | None
) -> _Resolved | None:
    d = date(int(m["y"]), _month_of(m["mon"]), 1)
    return _Resolved(d, 3, future=pub is not None and d > pub, weak=_is_weak(m))


def _resolve_month(m: re.Match[str], pub: date | None, base: datetime | None) -> _Resolved | None:
    if pub is None:
        return None
    name = m.group("mon") or m.group("mon2")
    return _Resolved(_most_recent_month(_month_of(name), pub), 3, weak=_is_weak(m))


def _resolve_month_rel(
    m: re.Match[str], pub: date | None, base: datetime | None
) -> _Resolved | None:
    if pub is None:
        return None
    rel = " ".join(m["rel"].lower().split())
    month = _month_of(m["mon"])
    if rel == "next":
        year = pub.year if month > pub.month else pub.year + 1
        return _Resolved(date(year, month, 1), 3, future=True)
    if rel == "this":
        return _Resolved(date(pub.year, month, 1), 3, future=month > pub.month)
    return _Resolved(_most_recent_month(month, pub, strictly_before=True), 3)


def _resolve_year(m: re.Match[str], pub: date | None, base: datetime | None) -> _Resolved | None:
    year = int(m["y"])
    if pub is not None and year > pub.year + 1:
        return None
    return _Resolved(
        date(year, 1, 1), 3, future=pub is not None and year > pub.year, weak=_is_weak(m)
    )


def _resolve_year_rel(
    m: re.Match[str], pub: date | None, base: datetime | None
) -> _Resolved | None:
    if pub is None:
        return None
    rel = " ".join(m["rel"].lower().split())
    if rel in ("last year", "the previous year"):
        return _Resolved(date(pub.year - 1, 1, 1), 3)
    if rel == "the past year":
        return _Resolved(pub - timedelta(days=365), 3)
    return _Resolved(date(pub.year, 1, 1), 3)


def _resolve_weekday(m: re.Match[str], pub: date | None, base: datetime | None) -> _Resolved | None:
    if pub is None:
        return None
    weekday = WEEKDAYS[m["wd"].lower()]
    rel = " ".join((m["rel"] or "").lower().split())
    delta = (pub.weekday() - weekday) % 7
    if rel == "next":
        ahead = (weekday - pub.weekday()) % 7 or 7
        return _Resolved(pub + timedelta(days=ahead), 1, future=True)
    if rel in ("last", "this past", "past") and delta == 0:
        delta = 7
    return _Resolved(pub - timedelta(days=delta), 1)


_DAY_OFFSETS: dict[str, int] = {
    "the day before yesterday": 2,
    "yesterday": 1,
    "last night": 1,
    "late last night": 1,
}


def _resolve_day_rel(m: re.Match[str], pub: date | None, base: datetime | None) -> _Resolved | None:
    if pub is None:
        return None
    rel = " ".join(m["rel"].lower().split())
    back = _DAY_OFFSETS.get(rel, 1 if rel.startswith("yesterday") else 0)
    return _Resolved(pub - timedelta(days=back), 1)


def _resolve_weekend(m: re.Match[str], pub: date | None, base: datetime | None) -> _Resolved | None:
    if pub is None:
        return None
    back = (pub.weekday() - 5) % 7  # most recent Saturday on or before publication
    if "last" in m["rel"].lower() and back < 2:
        back += 7
    return _Resolved(pub - timedelta(days=back), 2)


def _resolve_week_rel(
    m: re.Match[str], pub: date | None, base: datetime | None
) -> _Resolved | None:
    if pub is None:
        return None
    rel = " ".join(m["rel"].lower().split())
    if rel in ("earlier this week", "this week"):
        return _Resolved(_monday(pub), 2)
    if rel in ("last week", "the previous week"):
        return _Resolved(_monday(pub) - timedelta(days=7), 2)
    return _Resolved(pub - timedelta(days=6), 2)  # the past week


def _resolve_recent(m: re.Match[str], pub: date | None, base: datetime | None) -> _Resolved | None:
    if pub is None:
        return None
    rel = m["rel"].lower()
    if "hours" in rel:
        return _Resolved(pub, 2)
    if "months" in rel:
        return _Resolved(pub - timedelta(days=60), 3)
    if "weeks" in rel:
        return _Resolved(pub - timedelta(days=14), 3)
    return _Resolved(pub - timedelta(days=RECENT_DAYS), 2)


def _resolve_month_this(
    m: re.Match[str], pub: date | None, base: datetime | None
) -> _Resolved | None:
    if pub is None:
        return None
    rel = " ".join(m["rel"].lower().split())
    if "last" in rel or "previous" in rel:
        return _Resolved(_first_of_previous_month(pub), 3)
    return _Resolved(pub.replace(day=1), 3)


def _resolve_ago(m: re.Match[str], pub: date | None, base: datetime | None) -> _Resolved | None:
    if pub is None:
        return None
    word = " ".join((m["n"] or "").lower().split())
    unit = m["unit"].lower().rstrip("s")
    if not word:
        n, vague = 3, True  # "days ago"
    elif word.isdigit():
        n, vague = int(word), False
    else:
        n, vague = small_number(word) or 1, word in numbers().vague_spans
    if unit == "hour":
        return _Resolved(pub, 1)
    if unit == "day":
        return _Resolved(pub - timedelta(days=n), 2 if vague or n > 6 else 1)
    if unit == "week":
        return _Resolved(pub - timedelta(weeks=n), 2)
    if unit == "month":
        return _Resolved(pub - timedelta(days=30 * n), 3)
    return _Resolved(pub - timedelta(days=365 * n), 3)


_Resolver = Callable[[re.Match[str], date | None, datetime | None], _Resolved | None]
_RESOLVERS: dict[str, _Resolver] = {
    "iso": _resolve_explicit,
    "day_month": _resolve_explicit,
    "month_day": _resolve_explicit,
    "month_year": _resolve_month_year,
    "month_rel": _resolve_month_rel,
    "month": _resolve_month,
    "year": _resolve_year,
    "year_rel": _resolve_year_rel,
    "weekday": _resolve_weekday,
    "day_rel": _resolve_day_rel,
    "weekend": _resolve_weekend,
    "week_rel": _resolve_week_rel,
    "recent": _resolve_recent,
    "month_this": _resolve_month_this,
    "ago": _resolve_ago,
}


# --- candidates ----------------------------------------------------------------------------


@dataclass
class _Candidate:
    kind: str
    start: int  # relative to the text searched
    end: int
    resolved: _Resolved
    match: re.Match[str]


def _to_date(published: datetime | None) -> date | None:
    return published.date() if published is not None else None


def _candidates(text: str, published: datetime | None) -> list[_Candidate]:
    """Every date expression in ``text`` that resolves, longest first where they overlap."""
    pub = _to_date(published)
    found: list[_Candidate] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            start, end = m.span()
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start >= end:
                continue
            resolved = _RESOLVERS[kind](m, pub, published)
            if resolved is None:
                continue
            found.append(_Candidate(kind, start, end, resolved, m))
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    chosen: list[_Candidate] = []
    for cand in found:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    chosen.sort(key=lambda c: c.start)
    return chosen
