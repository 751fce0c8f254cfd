"""Name folding and small geometry helpers shared by the gazetteer, recogniser and resolver."""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from sitrep.resources import load_json

_APOSTROPHES = "'’ʼ`´‘ʹʻ\u02bc\u02b9"
_DASHES = "-‐‑‒–—―−"
_DROP = str.maketrans("", "", _APOSTROPHES + ".")
_SPACE = str.maketrans(_DASHES + ",/()", " " * (len(_DASHES) + 4))

EARTH_RADIUS_KM = 6371.0088


@lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """Fold a place name for look-up: casefold, strip diacritics, drop apostrophes and dots, hyphens to spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    folded = stripped.casefold().translate(_DROP).translate(_SPACE)
    return " ".join(folded.split())


_ARTICLES = frozenset(
    {"al", "el", "as", "ash", "ad", "adh", "ar", "at", "az", "an", "ed", "es", "et", "ul"}
)
_DOUBLE = re.compile(r"(.)\1+")


def is_article(word: str) -> bool:
    """An Arabic article on its own ("Al", "el"), which no gazetteer entry should claim."""
    return normalize(word) in _ARTICLES


def has_article(name: str) -> bool:
    """A name of several words one of which is an Arabic article ("Salah al-Din", "Ras al Ain")."""
    words = normalize(name).split()
    return len(words) > 1 and any(w in _ARTICLES for w in words)


@lru_cache(maxsize=200_000)
def fuzzy_key(name: str) -> str:
    """A key that transliterations of one name share: Arabic articles dropped, spaces gone, y as i,
    q as k, doubled letters single, a final vowel's h dropped ("Qal'at al Madiq" / "Qalaat
    al-Madiq", "Buurhakaba" / "Bur Hakaba", "Ar Rutbah" / "Ar Rutba"); "" when under five letters."""
    words = normalize(name).split()
    if len(words) > 1:
        words = [w for w in words if w not in _ARTICLES] or words
    key = "".join(words)
    if not key.isascii():
        return ""
    key = key.replace("y", "i").replace("q", "k").replace("ou", "u").replace("w", "u")
    key = _DOUBLE.sub(r"\1", key)
    if len(key) > 4 and key.endswith("h") and key[-2] in "aeiou":
        key = key[:-1]
    return key if len(key) >= 5 else ""


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def load_data(name: str) -> Any:
    """One of the packaged JSON files under ``sitrep/data/geo/``."""
    return load_json("geo", name)
