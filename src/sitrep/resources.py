"""The data layer: every file shipped in ``sitrep/data`` is read here, once, into plain records.

Lexicons stay data (JSON and TSV files); code asks this module for them. A concept used by several
layers is loaded by one function here, so it is defined in one place: the country table, the
verbs that blame someone for an event.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any


def data_text(*parts: str) -> str:
    """The text of a file shipped under ``sitrep/data/``."""
    return resources.files("sitrep").joinpath("data", *parts).read_text(encoding="utf-8")


def data_path(*parts: str) -> Path:
    """The filesystem path of a file or folder shipped under ``sitrep/data/``."""
    return Path(str(resources.files("sitrep").joinpath("data", *parts)))


def data_bytes(*parts: str) -> bytes:
    """The bytes of a file shipped under ``sitrep/data/`` (for fingerprints)."""
    return resources.files("sitrep").joinpath("data", *parts).read_bytes()


@cache
def load_json(*parts: str) -> Any:
    """The parsed JSON file ``sitrep/data/<parts>``, read once per process."""
    return json.loads(data_text(*parts))


@dataclass(frozen=True)
class Country:
    iso3: str
    name: str  # ACLED's spelling
    adjectives: tuple[str, ...]
    aliases: tuple[str, ...]
    common_name: str = ""  # the name in countries.tsv, where ACLED spells it otherwise


@cache
def countries() -> tuple[Country, ...]:
    """Every country with ACLED's name, nationality adjectives and aliases (``countries.tsv``)."""
    acled = load_json("actors.json")["country_names_acled"]
    rows = csv.reader(io.StringIO(data_text("countries.tsv")), delimiter="\t")
    out = []
    for row in rows:
        if not row or row[0].startswith("#"):
            continue
        iso3, name = row[0], row[1]
        adjs = tuple(a.strip() for a in row[2].split(";") if a.strip()) if len(row) > 2 else ()
        aliases = tuple(a.strip() for a in row[3].split(";") if a.strip()) if len(row) > 3 else ()
        out.append(Country(iso3, acled.get(iso3, name), adjs, aliases, name))
    return tuple(out)


@cache
def blame_verbs() -> frozenset[str]:
    """Lemmas of verbs that lay an event at someone's door ("blamed on", "accused")."""
    return frozenset(load_json("attribution.json")["blame_verbs"])
