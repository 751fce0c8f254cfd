"""Find weapons and military equipment named in one sentence.

Terms come from the lexicon ``sitrep/data/weapons.json``; model designations such as "Tu-95",
"Kh-101" or "S-300" are matched by a general pattern and joined with the noun after them
("two Tu-95 bombers" is one mention, "Tu-95 bomber"). Overlapping matches keep the longest.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sitrep.resources import load_json

logger = logging.getLogger(__name__)

__all__ = ["CATEGORIES", "WeaponMention", "find_weapons", "find_weapons_text"]

CATEGORIES = (
    "aircraft",
    "drone",
    "artillery",
    "missile",
    "explosive",
    "small arms",
    "armour",
    "chemical",
    "naval",
    "other",
)


@dataclass(frozen=True)
class WeaponMention:
    """A weapon named in the text: canonical ``name``, the words used, article offsets, category."""

    name: str
    text: str
    start: int
    end: int
    category: str


@dataclass(frozen=True)
class _Term:
    name: str
    category: str
    pattern: re.Pattern[str]
    not_after: frozenset[str]
    not_before: frozenset[str]


@dataclass(frozen=True)
class _Lexicon:
    terms: tuple[_Term, ...]
    prefixes: dict[str, tuple[str, str]]
    excluded: frozenset[str]
    units: frozenset[str]
    nouns: frozenset[str]
    designation: re.Pattern[str]


def _term_regex(term: str) -> str:
    """Regex for one lexicon term: flexible spaces and hyphens, optional plural ending."""
    words = re.split(r"[\s]+", term.strip())
    parts = []
    for word in words:
        pieces = [re.escape(p) for p in word.split("-")]
        parts.append(r"[\s-]?".join(pieces))
    body = r"[\s-]+".join(parts)
    if term[-1].isalpha():
        body += r"(?:s|es)?"
    if any(c.isupper() for c in term):
        body += r"(?:-[A-Z0-9][A-Za-z0-9]*)?"  # Shahed-136, Iskander-M, Geran-2
    return rf"(?<![\w-]){body}(?![\w-])" if term[-1].isalnum() else rf"(?<![\w-]){body}"


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = load_json("weapons.json")
    terms: list[_Term] = []
    for entry in raw["entries"]:
        if entry["category"] not in CATEGORIES:
            raise ValueError(f"weapons.json: unknown category {entry['category']!r}")
        for term in entry["terms"]:
            flags = 0 if any(c.isupper() for c in term) else re.IGNORECASE
            terms.append(
                _Term(
                    name=entry["name"],
                    category=entry["category"],
                    pattern=re.compile(_term_regex(term), flags),
                    not_after=frozenset(w.lower() for w in entry.get("not_after", [])),
                    not_before=frozenset(w.lower() for w in entry.get("not_before", [])),
                )
            )
    prefixes = {k: (v[0], v[1]) for k, v in raw["designation_prefixes"].items()}
    mixed = sorted((p for p in prefixes if not p.isupper()), key=len, reverse=True)
    prefix_re = "|".join([*map(re.escape, mixed), r"[A-Z]{1,4}"])
    designation = re.compile(
        rf"(?<![\w-])(?P<prefix>{prefix_re})-(?P<num>\d{{1,4}}[A-Za-z0-9]*)(?![\w-])"
    )
    return _Lexicon(
        terms=tuple(terms),
        prefixes=prefixes,
        excluded=frozenset(raw["designation_excluded"]),
        units=frozenset(w.lower() for w in raw["designation_units"]),
        nouns=frozenset(w.lower() for w in raw["designation_nouns"]),
        designation=designation,
    )


_WORD_BEFORE = re.compile(r"([A-Za-z]+)[\s-]*$")
_WORD_AFTER = re.compile(r"^[\s-]*([A-Za-z]+)")


def _neighbours(text: str, start: int, end: int) -> tuple[str, str]:
    before = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    after = _WORD_AFTER.search(text[end : end + 40])
    return (before.group(1).lower() if before else "", after.group(1).lower() if after else "")


@dataclass
class _Hit:
    start: int
    end: int
    name: str
    category: str
    designation: bool = False


def _term_hits(text: str, lex: _Lexicon) -> list[_Hit]:
    hits: list[_Hit] = []
    for term in lex.terms:
        for m in term.pattern.finditer(text):
            before, after = _neighbours(text, m.start(), m.end())
            if before in term.not_after or after in term.not_before:
                continue
            hits.append(_Hit(m.start(), m.end(), term.name, term.category))
    return hits


def _designation_hits(text: str, lex: _Lexicon) -> list[_Hit]:
    hits: list[_Hit] = []
    for m in lex.designation.finditer(text):
        prefix, num = m["prefix"], m["num"]
        if prefix in lex.excluded:
            continue
        end = m.end()
        if num.endswith("s") and len(num) > 1 and (num[-2].isdigit() or num[-2].isupper()):
            num = num[:-1]  # "Tu-95s"
        _, after = _neighbours(text, m.start(), end)
        if after in lex.units:
            continue  # "T-10 minutes", "G-20 summit"
        category, kind = lex.prefixes.get(prefix, ("other", ""))
        name = f"{prefix}-{num}"
        noun = re.match(r"[\s-]+([A-Za-z]+)", text[end:])
        if noun and noun.group(1).lower().rstrip("s") in lex.nouns:
            end += noun.end()
        hits.append(_Hit(m.start(), end, f"{name} {kind}".strip(), category, designation=True))
    return hits


def _adjacent(text: str, first: _Hit, second: _Hit) -> bool:
    """``second`` starts inside ``first`` or right after it (a space or hyphen between)."""
    if second.start <= first.start:
        return False
    if second.start <= first.end:
        return True
    gap = text[first.end : second.start]
    return len(gap) <= 2 and not gap.strip(" -")


def _merge(text: str, hits: list[_Hit]) -> list[_Hit]:
    """Join a designation or model with the noun after it; keep the longest of overlapping hits."""
    designations = [h for h in hits if h.designation]
    terms = sorted((h for h in hits if not h.designation), key=lambda h: (h.start, -h.end))
    absorbed: set[int] = set()
    for d in designations:
        for t in terms:
            if _adjacent(text, d, t):
                label = d.name.split(" ", 1)[0]
                kind = d.name[len(label) :].strip()
                noun = kind if (t.name == t.category and kind) else t.name
                d.name = f"{label} {noun}"
                d.end = max(d.end, t.end)
                if d.category == "other":
                    d.category = t.category
                break
    for i, first in enumerate(terms):  # "Shahed-136 drones", "M777 howitzers"
        if id(first) in absorbed:
            continue
        for second in terms[i + 1 :]:
            if id(second) in absorbed or second.category != first.category:
                continue
            if (
                second.start >= first.end
                and _adjacent(text, first, second)
                and second.name in first.name
            ):
                first.end = second.end
                absorbed.add(id(second))
    kept = [*designations, *(t for t in terms if id(t) not in absorbed)]
    ordered = sorted(kept, key=lambda h: (-(h.end - h.start), not h.designation, h.start))
    chosen: list[_Hit] = []
    for hit in ordered:
        if all(hit.end <= c.start or hit.start >= c.end for c in chosen):
            chosen.append(hit)
    return sorted(chosen, key=lambda h: h.start)


def find_weapons_text(text: str, offset: int = 0) -> list[WeaponMention]:
    """Weapons named in plain ``text``; start/end are ``offset`` plus positions in ``text``."""
    lex = _lexicon()
    hits = _merge(text, _term_hits(text, lex) + _designation_hits(text, lex))
    return [
        WeaponMention(h.name, text[h.start : h.end], offset + h.start, offset + h.end, h.category)
        for h in hits
    ]


def find_weapons(sent: Any, offset: int = 0) -> list[WeaponMention]:
    """Weapons named in one sentence (a spaCy Span or Doc); start/end are ``offset + token.idx``."""
    return find_weapons_text(sent.text, offset + getattr(sent, "start_char", 0))
