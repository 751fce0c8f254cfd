"""Date expression recognition: the patterns that find date expressions in text, as data.

Month and weekday names, small number words, the prepositions that make a date a start or a limit
rather than the time of an event, the verbs whose time is that of a statement, and ``_PATTERNS``:
one compiled regular expression per kind of expression (ISO dates, day-month, month-year,
weekdays, "last week", "two days ago", ...), each kind resolved in ``date_resolution``.
"""

from __future__ import annotations

import re

from sitrep.pipeline.quantities import numbers

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


def _count_pattern() -> str:
    """The counts a time span may open with ("two", "a few", "12"), from ``numbers.json``."""
    lex = numbers()
    words = ["a", "an", *(w for w, v in lex.units.items() if 1 <= v <= 12), *lex.vague_spans]
    alternatives = [r"\d{1,2}", *(r"\s+".join(w.split()) for w in words)]
    return rf"(?P<n>{'|'.join(alternatives)})"


_YEAR = r"(?:19\d\d|20\d\d)"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_ORD = r"(?:st|nd|rd|th)?"
_COUNT = _count_pattern()

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
