"""The gazetteer file's SQLite schema, and the writer that numbers places, keeps each place's best
kind of name, and inserts both in bulk.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sitrep.geo.names import fuzzy_key, normalize

KIND_RANK = {"name": 0, "alt": 1, "abbr": 2, "demonym": 3, "stem": 4, "fuzzy": 5}

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE place (
    id INTEGER PRIMARY KEY,
    geonameid INTEGER,
    name TEXT NOT NULL,
    latitude REAL NOT NULL,
    longitude REAL NOT NULL,
    feature_class TEXT NOT NULL,
    feature_code TEXT NOT NULL,
    country_code TEXT,
    admin1_code TEXT,
    admin2_code TEXT,
    population INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL
);
CREATE TABLE name (norm TEXT NOT NULL, place INTEGER NOT NULL, kind TEXT NOT NULL);
CREATE TABLE fuzzy (key TEXT NOT NULL, place INTEGER NOT NULL);
CREATE TABLE country (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, iso3 TEXT, geonameid INTEGER,
    capital TEXT, population INTEGER
);
CREATE TABLE admin1 (code TEXT PRIMARY KEY, name TEXT NOT NULL, english TEXT NOT NULL, geonameid INTEGER);
CREATE TABLE admin2 (code TEXT PRIMARY KEY, name TEXT NOT NULL, geonameid INTEGER);
CREATE TABLE seat (code TEXT PRIMARY KEY, geonameid INTEGER NOT NULL);
"""

INDEXES = """
CREATE INDEX name_norm ON name (norm);
CREATE INDEX name_place ON name (place);
CREATE INDEX fuzzy_key ON fuzzy (key);
CREATE INDEX place_class_lat ON place (feature_class, latitude);
CREATE UNIQUE INDEX place_geonameid ON place (geonameid) WHERE geonameid IS NOT NULL;
"""


@dataclass
class _Builder:
    """Collects places and names, then writes them in bulk."""

    db: sqlite3.Connection
    next_id: int = 1
    places: list[tuple[Any, ...]] = field(default_factory=list)
    names: list[tuple[str, int, str]] = field(default_factory=list)
    fuzzy: set[tuple[str, int]] = field(default_factory=set)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def place(
        self,
        source: str,
        name: str,
        lat: float,
        lon: float,
        fclass: str,
        fcode: str,
        cc: str | None,
        admin1: str | None,
        population: int = 0,
        geonameid: int | None = None,
        admin2: str | None = None,
    ) -> int:
        pid = self.next_id
        self.next_id += 1
        self.places.append(
            (
                pid,
                geonameid,
                name,
                lat,
                lon,
                fclass,
                fcode,
                cc or None,
                admin1 or None,
                admin2 or None,
                int(population or 0),
                source,
            )
        )
        self.counts[source] += 1
        return pid

    def add_names(self, pid: int, names: Iterable[tuple[str, str]]) -> None:
        best: dict[str, str] = {}
        for text, kind in names:
            norm = normalize(text)
            if len(norm) < 2 or len(norm) > 80:
                continue
            if norm not in best or KIND_RANK[kind] < KIND_RANK[best[norm]]:
                best[norm] = kind
        self.names.extend((norm, pid, kind) for norm, kind in best.items())
        for norm, kind in best.items():
            if kind in ("name", "alt", "stem"):  # "Rylsky district": GeoNames' Ryl'skiy Rayon
                key = fuzzy_key(norm)
                if key:
                    self.fuzzy.add((key, pid))

    def flush(self) -> None:
        self.db.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self.places)
        self.db.executemany("INSERT INTO name VALUES (?,?,?)", self.names)
        self.db.executemany("INSERT INTO fuzzy VALUES (?,?)", self.fuzzy)
        self.places.clear()
        self.names.clear()
        self.fuzzy.clear()
