"""Quantities in text: the number a phrase such as "at least 5", "seven", "1,200" or "dozens"
stands for. One parser for dates, casualties and triggers; the words are data (``numbers.json``).

``parse_quantity`` reads the quantity that opens a text, with its qualifier ("at least", "more
than", "up to", "about") and whether it is exact; ``number_value`` the number of a whole counting
phrase. Vague counts follow ACLED (dozens 12, tens 10, several and many 10, hundreds 100; sitrep
reads "scores" as 20 and "a few" as 3) and a range ("between 10 and 15") gives its lower end.
``small_number`` reads the counts of a time span ("a few days ago", "several weeks").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from sitrep.resources import load_json


@dataclass(frozen=True)
class Numbers:
    """The words of numbers and counts, from ``numbers.json``."""

    units: dict[str, int]
    tens: dict[str, int]
    scales: dict[str, int]
    fillers: frozenset[str]
    range_words: frozenset[str]
    qualifiers: dict[tuple[str, ...], str]
    measure_words: frozenset[str]
    vague: dict[tuple[str, ...], int]  # vague counts of people and things
    vague_spans: dict[str, int]  # vague counts of days, weeks, months


@cache
def _numbers() -> Numbers:
    raw = load_json("numbers.json")
    return Numbers(
        units={k: int(v) for k, v in raw["units"].items()},
        tens={k: int(v) for k, v in raw["tens"].items()},
        scales={k: int(v) for k, v in raw["scales"].items()},
        fillers=frozenset(raw["fillers"]),
        range_words=frozenset(raw["range_words"]),
        qualifiers={tuple(k.split()): v for k, v in raw["qualifiers"].items()},
        measure_words=frozenset(w.lower() for w in raw["measure_words"]),
        vague={tuple(k.split()): int(v) for k, v in raw["vague_counts"].items()},
        vague_spans={k: int(v) for k, v in raw["vague_spans"].items()},
    )


def numbers() -> Numbers:
    """The number words (loaded once)."""
    return _numbers()


def small_number(word: str) -> int | None:
    """The count of a time span's number word ("a", "two", "twelve", "a few", "several")."""
    lex = _numbers()
    if word in ("a", "an"):
        return 1
    value = lex.units.get(word)
    if value is not None and 1 <= value <= 12:
        return value
    return lex.vague_spans.get(word)


@dataclass(frozen=True)
class Quantity:
    """A parsed number expression."""

    value: int
    exact: bool
    qualifier: str | None = None


_WORD_RE = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+|[-–%]")


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def _match_phrase(words: list[str], i: int, table: dict[tuple[str, ...], Any]) -> tuple[Any, int]:
    """Longest phrase of ``table`` starting at ``words[i]``: (value, next index) or (None, i)."""
    for length in (3, 2, 1):
        key = tuple(words[i : i + length])
        if len(key) == length and key in table:
            return table[key], i + length
    return None, i


def _is_number_word(word: str) -> bool:
    lex = _numbers()
    return (
        word in lex.units
        or word in lex.tens
        or word in lex.scales
        or word == "dozen"
        or word[0].isdigit()
    )


def number_value(text: str) -> int | None:
    """The number a counting phrase stands for ("1,200", "seven", "dozens" as 12), or None."""
    words = _words(text)
    found = _number(words, 0) if words else None
    return found[0] if found is not None and found[2] == len(words) else None


def _number(words: list[str], i: int) -> tuple[int, bool, int] | None:
    """Parse one number at ``words[i]``: (value, vague, next index), or None."""
    lex = _numbers()
    n = len(words)
    if i >= n:
        return None
    vague_value, j = _match_phrase(words, i, lex.vague)
    if vague_value is not None:
        if j < n and words[j] in lex.scales:  # "several hundred", "many thousands"
            return lex.scales[words[j]], True, j + 1
        if j < n and words[j] in ("dozen", "dozens"):
            return 12, True, j + 1
        if j + 1 < n and words[j] == "of" and (words[j + 1].rstrip("s") in lex.scales):
            return (
                vague_value * lex.scales[words[j + 1].rstrip("s")],
                True,
                j + 2,
            )  # tens of thousands
        return vague_value, True, j
    word = words[i]
    if word in ("a", "an", "one", "single") and i + 1 < n and words[i + 1] in ("dozen",):
        return 12, True, i + 2
    if word in ("a", "an") and i + 1 < n and words[i + 1] in lex.scales:
        i += 1
        word = "one"
    if word in ("a", "an", "single"):
        return 1, False, i + 1
    total, current, seen = 0, 0, False
    j = i
    while j < n:
        w = words[j]
        if w[0].isdigit():
            if seen:
                break
            try:
                value = float(w.replace(",", ""))
            except ValueError:
                break
            if j + 1 < n and words[j + 1] in lex.scales:
                current += int(value * lex.scales[words[j + 1]])
                j += 2
            else:
                current += int(value)
                j += 1
            seen = True
            break
        if w in lex.units:
            current += lex.units[w]
        elif w in lex.tens:
            current += lex.tens[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in lex.scales:
            total += max(current, 1) * lex.scales[w]
            current = 0
        elif w == "dozen" and seen:
            current *= 12
        elif (
            w in ("-", "and")
            and seen
            and j + 1 < n
            and _is_number_word(words[j + 1])
            and not words[j + 1][0].isdigit()
            and (w == "-" or words[j + 1] not in lex.scales)
        ):
            j += 1
            continue
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, False, j


def parse_quantity(text: str) -> Quantity | None:
    """Parse the quantity that opens ``text`` ("at least 5", "dozens", "between 10 and 15")."""
    lex = _numbers()
    words = _words(text)
    i = 0
    qualifier: str | None = None
    while i < len(words):
        q, j = _match_phrase(words, i, lex.qualifiers)
        if (
            q is not None
            and j < len(words)
            and (
                _is_number_word(words[j])
                or words[j] in ("a", "an")
                or _match_phrase(words, j, lex.vague)[0] is not None
            )
        ):
            qualifier = qualifier or q
            i = j
            continue
        filler, j = _match_phrase(words, i, {tuple(f.split()): True for f in lex.fillers})
        if filler:
            i = j
            continue
        break
    is_range = False
    if i < len(words) and words[i] in ("between", "from"):
        is_range, i = True, i + 1
    first = _number(words, i)
    if first is None:
        return None
    value, vague, i = first
    if i < len(words) and (words[i] in lex.measure_words or words[i] == "%"):
        return None  # "30-day", "5 percent": a measure, not a count
    if i + 1 < len(words) and words[i] == "-" and not _is_number_word(words[i + 1]):
        return None  # "5-year-old"
    if i < len(words) and (words[i] in lex.range_words or (is_range and words[i] == "and")):
        second = _number(words, i + 1)
        if second is not None:
            return Quantity(min(value, second[0]), False, "at least")
    if vague:
        return Quantity(value, False, "vague")
    return Quantity(value, qualifier is None, qualifier)
