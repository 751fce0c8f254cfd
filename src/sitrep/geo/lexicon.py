"""The recogniser's lexicon: words of a text with where sentences start, word shapes (acronyms,
possessives, numbered names, directions) and the qualifier patterns of ``data/geo/patterns.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from sitrep.geo.names import load_data

if TYPE_CHECKING:
    from sitrep.geo.gazetteer import Candidate, Gazetteer

_TOKEN = re.compile(r"[^\W_](?:\w|[’'](?=\w)|[-‐.](?=\w))*")
_POSSESSIVE = re.compile(r"[’']s?$")
_NUMBER_SUFFIX = re.compile(r"[-‐]\d+$")
_DIRECTION_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    }
)
_CONTRACTION = re.compile(r"[’'](?:ve|ll|re|d|m|t|s)$", re.I)
_ROMAN = re.compile(r"^[IVXLC]+$")
_ARTICLED = re.compile(r"^(?i:al|el|ad|adh|ar|as|ash|at|az|an|ed|en|er|es|et|ez|ul)[-‐][A-Z]")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    initial: bool  # first word of a sentence or line

    @property
    def capitalised(self) -> bool:
        return self.word[:1].isupper()

    @property
    def articled(self) -> bool:
        """An Arabic article joined to a name: "al-Din", "ez-Zor"."""
        return _ARTICLED.match(self.word) is not None


@dataclass
class _Patterns:
    before: list[tuple[str, re.Pattern[str]]]
    after: list[tuple[str, bool, re.Pattern[str], re.Pattern[str]]]
    container_separator: re.Pattern[str]
    connectors: frozenset[str]
    titles: frozenset[str]
    common: frozenset[str]
    abbreviations: frozenset[str]
    salient_population: int
    org_population: int


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    from spacy.lang.en.stop_words import STOP_WORDS

    p = load_data("patterns.json")
    aliases = load_data("aliases.json")
    # "Ga.", "Tenn.", "U.S.": their final dot belongs to the name
    abbreviations = {
        a.lower() for group in aliases["admin1_aliases"].values() for a in group if a.endswith(".")
    }
    abbreviations |= {
        a.lower() for group in aliases["country_aliases"].values() for a in group if a.endswith(".")
    }
    after = []
    for item in p["after"]:
        rx = item["regex"]
        tail = rx[1:] if rx.startswith("^") else rx
        after.append(
            (
                item["qualifier"],
                bool(item["name_part"]),
                re.compile(rx, re.I),
                re.compile(r"(?:" + tail + r")$", re.I),
            )
        )
    return _Patterns(
        before=[(item["qualifier"], re.compile(item["regex"], re.I)) for item in p["before"]],
        after=after,
        container_separator=re.compile(p["container_separator"], re.I),
        connectors=frozenset(p["connectors"]),
        titles=frozenset(p["titles"]),
        common=frozenset(p["common_words"]) | frozenset(STOP_WORDS) | frozenset(p["titles"]),
        abbreviations=frozenset(abbreviations),
        salient_population=int(p["salient_population"]),
        org_population=int(p["org_population"]),
    )


_BREAK = re.compile(r"[.!?:;\n\"“”]")


def _tokens(text: str, abbreviations: frozenset[str]) -> list[_Token]:
    tokens: list[_Token] = []
    prev_end = 0
    for m in _TOKEN.finditer(text):
        start, end = m.span()
        word = m.group()
        # keep the final dot of abbreviations like "U.S." or "Ga." in the span
        if (
            end < len(text)
            and text[end] == "."
            and ("." in word or word.lower() + "." in abbreviations)
        ):
            end += 1
            word += "."
        gap = text[prev_end:start]
        initial = (
            not tokens
            or bool(_BREAK.search(gap))
            or (
                tokens[-1].word.endswith(".")
                and gap.strip() == ""
                and tokens[-1].word[:-1].islower()
            )
        )
        tokens.append(_Token(start, end, word, initial))
        prev_end = end
    return tokens


def _is_acronym(surface: str) -> bool:
    """ "BLA", "U.S.", "NISA": upper-case letters only, at most five."""
    bare = surface.replace(".", "")
    return bare.isalpha() and bare.isupper() and len(bare) <= 5


def _stray_acronym(surface: str, cands: list[Candidate]) -> bool:
    """An acronym ("BLA", "NISA", "OLA") that matches only a town's code or alternate name, or the
    stem of a unit's name ("Distrito de Olá"): a group's name, not a place."""
    return _is_acronym(surface) and not any(
        (c.feature_class == "A" and c.match != "stem") or c.name == surface for c in cands
    )


def _strip_possessive(surface: str) -> str:
    return _POSSESSIVE.sub("", surface) if re.search(r"[’']s?$", surface) else surface


# "in X", "near X", "the village of X": what follows names where, even when NER calls it a person
_LOCATIVE_BEFORE = re.compile(
    r"\b(?:in|near|at|into|outside|around|towards?|through(?:out)?|across|"
    # verbs whose object is a place: "marched through X", "troops entered X", "overran X"
    r"(?:entered|enters|entering|reached|overran|overrun|stormed|retook|recaptured)|"
    r"(?:village|town|city|settlement|hamlet|"
    r"township|locality|suburb|port|harbou?r|island|oasis)s?\s+(?:of|near|in))\s+(?:the\s+)?$"
)
# "the Cossack village of X": a word before "village of" describes the place named after it
# (unless a region follows: "Mega town of Borana zone")
_FEATURE_OF_AFTER = re.compile(
    r"\s+(?:village|town|city|settlement|hamlet)\s+of\s+([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)"
    r"(\s+(?:zone|district|region|province|governorate|county|state|oblast|raion|rayon)\b)?"
)
# "the Boni forest", "the Seym river": the name of a natural feature, not of a town called so
_NATURAL_AFTER = re.compile(
    r"\s+(?:forests?|rivers?|mountains?|hills|valley|desert|lake|plateau|jungle|swamps?|woods)\b"
)
_LABEL_AFTER = re.compile(r"(?:,[^:\n]{0,40})?\s*:\s")
_UNIT_AFTER = re.compile(
    r"\s*(?:\(|,\s*(?:in\s+)?(?:the\s+)?)\s*([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)"
)
# "San Miguel, Surigao del Sur", "Kaele (Mayo-Kani": a name right after a capitalised place and a comma
# or bracket stands where a unit holding that place is written
_UNIT_BEFORE = re.compile(r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+)*\s*(?:,|\()\s*$")
# "Dikwa, a town in Borno state", "Zolochiv, a town near the border": an apposition that
# says the name before it is a place
_PLACE_APPOSITION = re.compile(
    r",\s+an?\s+(?:[\w-]+\s+){0,2}?(?:village|town|city|settlement|hamlet|suburb|port)\b"
)
# "X (District, Region)": the bracket's first unit (its name captured), up to the comma
_BRACKET_FIRST = re.compile(r"\(\s*([A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?)(?: [a-z][\w-]*)?\s*,\s*$")
_LIST_GOES_ON = re.compile(r"\s+(?:and|or|&)\s")
_LEVELS = {"PCLI": 0, "PCLD": 0, "PCLS": 0, "PCLF": 0, "ADM1": 1, "ADM2": 2}


def _ent_at(
    ents: Sequence[tuple[int, int, str]], start: int, end: int
) -> list[tuple[int, int, str]]:
    return [e for e in ents if e[0] < end and start < e[1]]


def _salient(cands: list[Candidate], threshold: int) -> bool:
    """A country or region, or a big town under its main name: likely a place whatever NER says.
    (A district is not: thousands share their names with people and firms, "Williams", "Honda".)"""
    return any(
        c.feature_class in ("A", "L")
        and c.source != "admin2"
        and c.match in ("name", "alt", "fuzzy")
        or (c.population >= threshold and c.match == "name")
        for c in cands
    )


# "(not Wamba in Nasarawa, Nigeria)", "- not the Overijssel city", "unrelated to the town of the same
# name in Lviv region": an aside naming the places the text does not mean, up to a bracket, a
# dash, a colon or semicolon, a sentence's end or a comma before a lower-case word
_DENIAL = re.compile(
    r"(?:(?:[(,;:…]|\s[-–—])\s*(?:and\s+|but\s+)?not\s+(?!only\b|just\b|yet\b|far\b|least\b|"
    r"all\b|even\b|much\b|long\b)|\b(?:unrelated to|distinct from|not to be confused with)\s)"
    r"[^);:—–…]*?(?=[);:—–…]|\s-\s|\.(?:\s|$)|(?-i:,\s+[a-z])|$)",
    re.I,
)


def _denied_spans(text: str) -> list[tuple[int, int]]:
    """Where a text names places it says it does not mean (see ``_DENIAL``)."""
    return [m.span() for m in _DENIAL.finditer(text)]


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= offset < b for a, b in spans)


def _known_without_direction(gaz: Gazetteer, name: str) -> bool:
    """ "northern Kentucky": a direction word before a name the gazetteer knows."""
    words = name.split()
    return (
        len(words) > 1
        and words[0].lower() in _DIRECTION_WORDS
        and gaz.contains(" ".join(words[1:]))
    )
