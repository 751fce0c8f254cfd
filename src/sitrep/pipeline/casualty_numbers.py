"""Numbers and quantities: the count a phrase such as "at least 5" or "dozens" stands for.

``parse_quantity`` reads the quantity that opens a text, with its qualifier ("at least", "more
than", "up to", "about") and whether it is exact; ``number_value`` the number of a whole counting
phrase. Vague quantities follow ACLED (dozens 12, tens 10, several and many 10, hundreds 100;
sitrep reads "scores" as 20 and "a few" as 3) and a range ("between 10 and 15") gives its lower end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sitrep.pipeline.casualty_lexicon import _lexicon


@dataclass(frozen=True)
class Quantity:
    """A parsed number expression."""

    value: int
    exact: bool
    qualifier: str | None = None


# --- number parsing ------------------------------------------------------------------------------

_UNITS = {
    "zero": 0,
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
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_FILLERS = frozenset(
    {
        "the",
        "all",
        "another",
        "a total of",
        "total",
        "of",
        "those",
        "these",
        "only",
        "just",
        "additional",
        "further",
        "other",
    }
)
_RANGE_WORDS = frozenset({"to", "-", "–", "or"})
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
    return (
        word in _UNITS or word in _TENS or word in _SCALES or word == "dozen" or word[0].isdigit()
    )


def number_value(text: str) -> int | None:
    """The number a counting phrase stands for ("1,200", "seven", "dozens" as 12), or None."""
    words = _words(text)
    found = _number(words, 0) if words else None
    return found[0] if found is not None and found[2] == len(words) else None


def _number(words: list[str], i: int) -> tuple[int, bool, int] | None:
    """Parse one number at ``words[i]``: (value, vague, next index), or None."""
    lex = _lexicon()
    n = len(words)
    if i >= n:
        return None
    vague_value, j = _match_phrase(words, i, lex.vague)
    if vague_value is not None:
        if j < n and words[j] in _SCALES:  # "several hundred", "many thousands"
            return _SCALES[words[j]], True, j + 1
        if j < n and words[j] in ("dozen", "dozens"):
            return 12, True, j + 1
        if j + 1 < n and words[j] == "of" and (words[j + 1].rstrip("s") in _SCALES):
            return vague_value * _SCALES[words[j + 1].rstrip("s")], True, j + 2  # tens of thousands
        return vague_value, True, j
    word = words[i]
    if word in ("a", "an", "one", "single") and i + 1 < n and words[i + 1] in ("dozen",):
        return 12, True, i + 2
    if word in ("a", "an") and i + 1 < n and words[i + 1] in _SCALES:
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
            if j + 1 < n and words[j + 1] in _SCALES:
                current += int(value * _SCALES[words[j + 1]])
                j += 2
            else:
                current += int(value)
                j += 1
            seen = True
            break
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _SCALES:
            total += max(current, 1) * _SCALES[w]
            current = 0
        elif w == "dozen" and seen:
            current *= 12
        elif (
            w in ("-", "and")
            and seen
            and j + 1 < n
            and _is_number_word(words[j + 1])
            and not words[j + 1][0].isdigit()
            and (w == "-" or words[j + 1] not in _SCALES)
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
    lex = _lexicon()
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
        filler, j = _match_phrase(words, i, {tuple(f.split()): True for f in _FILLERS})
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
    if i < len(words) and (words[i] in _RANGE_WORDS or (is_range and words[i] == "and")):
        second = _number(words, i + 1)
        if second is not None:
            return Quantity(min(value, second[0]), False, "at least")
    if vague:
        return Quantity(value, False, "vague")
    return Quantity(value, qualifier is None, qualifier)
