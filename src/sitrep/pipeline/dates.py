"""Find when an event happened: date expressions in one sentence, resolved against publication.

Candidate expressions are found with the patterns in ``_PATTERNS`` (module-level data); explicit
calendar dates isolated by those patterns are read with ``dateparser``; relative expressions
("earlier this week", "last night", "two days ago") are resolved here. ``find_date`` then ranks
the candidates with the spaCy parse, preferring the one attached to the event verb.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import dateparser

logger = logging.getLogger(__name__)

__all__ = ["DateMention", "find_date", "resolve_date_text"]

# A date at least this many days before publication is background, not news.
BACKGROUND_DAYS = 30
# A day-month date without a year up to this many days after publication stays in the same year.
FUTURE_TOLERANCE_DAYS = 60
# "In recent days" and "recently" are placed this many days before publication.
RECENT_DAYS = 3


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression; ``precision`` follows ACLED (1 day, 2 week, 3 month)."""

    date: date
    precision: int
    text: str
    start: int
    end: int
    background: bool = False
    future: bool = False  # the expression points after publication ("next Tuesday")


# --- patterns (data) -------------------------------------------------------------------------

MONTHS: dict[str, int] = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
SMALL_NUMBERS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 4,
}
# Prepositions that make a date the start or limit of a state rather than the time of an event.
WEAK_PREPOSITIONS = frozenset({"since", "until", "till", "by", "before", "after", "from"})
# Verbs whose time is the time of a statement, not of the event reported.
REPORTING_LEMMAS = frozenset(
    {
        "say",
        "tell",
        "report",
        "announce",
        "add",
        "confirm",
        "claim",
        "state",
        "write",
        "post",
        "note",
        "accuse",
        "blame",
        "deny",
        "insist",
        "warn",
        "tweet",
        "declare",
        "allege",
        "urge",
    }
)

_FULL_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_ABBR_MONTH = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_ANY_MONTH = rf"(?:{_FULL_MONTH}|{_ABBR_MONTH})"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PREP = (
    r"(?:\b(?P<prep>[Oo]n|[Ss]ince(?:\s+at\s+least)?|[Bb]y|[Uu]ntil|[Ff]rom|[Ii]n|[Dd]uring|"
    r"[Bb]efore|[Aa]fter|[Ee]arly|[Ll]ate|[Mm]id-?|[Ee]arly\s+in|[Ll]ate\s+in|[Oo]n\s+the\s+night\s+of)"
    r"\s*)"
)
_YEAR = r"(?:19\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)?"
_COUNT = r"(?P<n>\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+few|a\s+couple\s+of|few|several)"

# Each pattern: (kind, compiled regex). Kinds are resolved by ``_RESOLVERS``.
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "day_month",
        re.compile(
            rf"{_PREP}?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?:the\s+)?(?<![\d,.])(?P<d>{_DAY}){_ORD}\s+(?:of\s+)?"
            rf"(?P<mon>{_ANY_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b"
        ),
    ),
    (
        "month_day",
        re.compile(
            rf"{_PREP}?(?:(?P<wd>{_WEEKDAY}),?\s+)?(?P<mon>{_ANY_MONTH})\s+(?P<d>{_DAY}){_ORD}\b"
            rf"(?!\s*(?:%|percent|per\s+cent))(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
    ),
    (
        "month_year",
        re.compile(rf"{_PREP}?(?P<mon>{_FULL_MONTH}|{_ABBR_MONTH}),?\s+(?P<y>{_YEAR})\b"),
    ),
    (
        "month_rel",
        re.compile(
            rf"\b(?P<rel>[Ll]ast|[Tt]his\s+past|[Tt]his|[Nn]ext)\s+(?P<mon>{_FULL_MONTH})\b"
        ),
    ),
    (
        "month",
        re.compile(
            rf"(?:{_PREP}|(?P<of>\bof\s+))(?P<mon>{_FULL_MONTH})\b"
            rf"|\b(?P<mon2>January|February|April|June|July|August|September|October|November|December)\b"
        ),
    ),
    (
        "year",
        re.compile(
            r"\b(?P<prep>[Ii]n|[Ss]ince|[Dd]uring|[Bb]y|[Uu]ntil|[Ff]rom|[Bb]efore|[Aa]fter|[Ee]arly|"
            rf"[Ll]ate|[Mm]id-?|[Tt]hroughout)\s*(?P<y>{_YEAR})\b(?!\s*[-–]\s*\d)"
        ),
    ),
    (
        "year_rel",
        re.compile(
            r"\b(?P<rel>[Ll]ast\s+year|[Ee]arlier\s+this\s+year|[Tt]his\s+year|[Tt]he\s+previous\s+year|"
            r"[Tt]he\s+past\s+year)\b"
        ),
    ),
    (
        "weekday",
        re.compile(
            rf"(?:\b(?P<rel>[Ll]ast|[Tt]his\s+past|[Tt]his|[Pp]ast|[Oo]n|[Nn]ext|[Ee]arly|[Ll]ate|"
            rf"[Oo]vernight\s+(?:into|to)|[Ee]arly\s+on)\s+)?\b(?P<wd>{_WEEKDAY})\b(?:'s)?"
            r"(?:\s+(?P<part>morning|afternoon|evening|night))?"
        ),
    ),
    (
        "day_rel",
        re.compile(
            r"(?i)\b(?P<rel>the\s+day\s+before\s+yesterday|yesterday(?:\s+(?:morning|afternoon|evening))?|"
            r"last\s+night|late\s+last\s+night|earlier\s+today|today|tonight|overnight|"
            r"(?:in\s+)?the\s+early\s+hours\s+of\s+(?:this\s+morning|today)|"
            r"(?:early\s+|late\s+)?this\s+(?:morning|afternoon|evening))\b"
        ),
    ),
    (
        "weekend",
        re.compile(
            r"(?i)\b(?P<rel>over\s+the\s+weekend|this\s+(?:past\s+)?weekend|last\s+weekend|at\s+the\s+weekend)\b"
        ),
    ),
    (
        "week_rel",
        re.compile(
            r"(?i)\b(?P<rel>earlier\s+this\s+week|this\s+week|this\s+past\s+week|last\s+week|"
            r"(?:in|over|during)\s+the\s+(?:past|last)\s+week|the\s+previous\s+week)\b"
        ),
    ),
    (
        "recent",
        re.compile(
            r"(?i)\b(?P<rel>in\s+recent\s+days|recently|in\s+the\s+(?:past|last)\s+(?:few|several|couple\s+of)\s+days|"
            r"in\s+the\s+(?:past|last)\s+(?:24|48|72)\s+hours|in\s+recent\s+hours|"
            r"in\s+recent\s+weeks|in\s+the\s+(?:past|last)\s+(?:few|several|couple\s+of)\s+weeks|"
            r"in\s+recent\s+months|in\s+the\s+(?:past|last)\s+(?:few|several|couple\s+of)\s+months)\b"
        ),
    ),
    (
        "month_this",
        re.compile(
            r"(?i)\b(?P<rel>earlier\s+this\s+month|this\s+month|last\s+month|the\s+previous\s+month|"
            r"late\s+last\s+month|early\s+last\s+month)\b"
        ),
    ),
    ("ago", re.compile(rf"(?i)\b{_COUNT}?\s*(?P<unit>hours?|days?|weeks?|months?|years?)\s+ago\b")),
]


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
        n, vague = SMALL_NUMBERS[word], word in ("a few", "few", "several", "a couple of")
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


def _mention(cand: _Candidate, text: str, base: int, pub: date | None) -> DateMention:
    res = cand.resolved
    background = pub is not None and (pub - res.date).days >= BACKGROUND_DAYS
    return DateMention(
        date=res.date,
        precision=res.precision,
        text=text[cand.start : cand.end],
        start=base + cand.start,
        end=base + cand.end,
        background=background,
        future=res.future,
    )


def resolve_date_text(text: str, published: datetime | None) -> DateMention | None:
    """Resolve the most specific date expression in a short text; offsets are relative to ``text``."""
    cands = _candidates(text, published)
    if not cands:
        return None
    best = min(cands, key=lambda c: (c.resolved.weak, c.resolved.precision, c.start))
    return _mention(best, text, 0, _to_date(published))


# --- ranking with the parse ----------------------------------------------------------------


def _governing_verb(token: Any) -> Any:
    """The nearest verb above ``token`` (or the sentence root)."""
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return node


def _path_to_root(token: Any) -> list[Any]:
    path = [token]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def _is_count(span: Any) -> bool:
    """A bare year that is really a count: "in 2000 attacks"."""
    number = next((t for t in span if t.like_num), span.root)
    return number.dep_ in ("nummod", "compound", "amod") and number.head.pos_ == "NOUN"


FUTURE_AUXILIARIES = frozenset({"will", "'ll", "shall", "wo"})
FUTURE_LEMMAS = frozenset({"schedule", "set", "due", "expect", "plan", "slate"})


def _future_context(token: Any) -> bool:
    """The date modifies a verb in the future: "will meet on Tuesday", "is due to vote Friday"."""
    verb = _governing_verb(token)
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUXILIARIES for c in verb.children):
            return True
        if verb.lemma_.lower() in FUTURE_LEMMAS and verb.tag_ == "VBN":
            return True
        if verb.dep_ != "xcomp" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _forward(cand: _Candidate, pub: date) -> _Candidate:
    """Re-resolve a weekday forward from publication for a sentence about the future."""
    if cand.kind != "weekday" or (cand.match["rel"] or "").lower() in ("last", "past", "this past"):
        return cand
    ahead = (WEEKDAYS[cand.match["wd"].lower()] - pub.weekday()) % 7
    resolved = _Resolved(pub + timedelta(days=ahead), 1, future=ahead > 0)
    return _Candidate(cand.kind, cand.start, cand.end, resolved, cand.match)


def _score(cand: _Candidate, span: Any, trigger: Any | None) -> float:
    """Higher for expressions attached to the event verb and not buried in side clauses."""
    score = 0.0
    root = span.root
    path = _path_to_root(root)
    if trigger is not None:
        verb_path = _path_to_root(_governing_verb(root))
        trigger_path = _path_to_root(trigger)
        common = next((t for t in verb_path if t in trigger_path), None)
        hops = (verb_path.index(common) + trigger_path.index(common)) if common is not None else 10
        score += max(0.0, 3.0 - 0.75 * hops)
    verb = _governing_verb(root)
    if verb.lemma_.lower() in REPORTING_LEMMAS:
        score -= 2.0
    elif verb.pos_ in ("VERB", "AUX"):
        score += 1.0
    if any(t.dep_ in ("relcl", "acl") for t in path[1:]) and (
        trigger is None or trigger not in path
    ):
        score -= 1.5
    if cand.resolved.weak:
        score -= 1.0
    if cand.resolved.future:
        score -= 1.0
    score -= 0.2 * (cand.resolved.precision - 1)
    return score


def find_date(
    sent: Any, published: datetime | None, offset: int = 0, trigger: Any | None = None
) -> DateMention | None:
    """Best date expression of one sentence (a spaCy Span or Doc), resolved against ``published``.

    ``offset`` is the article offset of the sentence's Doc (start/end are ``offset + token.idx``
    based); ``trigger`` is an optional event-verb token of the same Doc, to prefer its date.
    """
    text = sent.text
    base = getattr(sent, "start_char", 0)
    doc = sent.doc if hasattr(sent, "doc") else sent
    scored: list[tuple[float, int, int, _Candidate]] = []
    for cand in _candidates(text, published):
        span = doc.char_span(base + cand.start, base + cand.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if cand.kind == "year" and _is_count(span):
            continue
        pub = _to_date(published)
        if pub is not None and _future_context(span.root):
            cand = _forward(cand, pub)
        score = _score(cand, span, trigger)
        scored.append((score, -cand.resolved.precision, -cand.start, cand))
    if not scored:
        return None
    best = max(scored, key=lambda s: s[:3])[3]
    return _mention(best, text, offset + base, _to_date(published))
