"""Read access to the compiled gazetteer: one SQLite file, names folded and indexed."""

from __future__ import annotations

import json
import logging
import math
import os
import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError
from sitrep.geo.admin2 import bare_name, town_forms
from sitrep.geo.build import (
    FORMAT_VERSION,
    KIND_RANK,
    build_fingerprint,
    build_gazetteer,
    default_path,
)
from sitrep.geo.names import fuzzy_key, haversine_km, normalize

log = logging.getLogger(__name__)

_CACHE_SIZE = 200_000  # names kept in memory per open gazetteer (a few tens of MB at most)
# a town spelt otherwise than an exact namesake is a candidate beside it from this many people
_BIG_TOWN = 15_000
_PLACE_COLUMNS = (
    "p.id, p.geonameid, p.name, p.latitude, p.longitude, p.feature_class, "
    "p.feature_code, p.country_code, p.admin1_code, p.admin2_code, p.population, p.source"
)


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry that a name can refer to."""

    id: int  # row id inside this gazetteer file
    geonameid: int | None
    name: str
    latitude: float
    longitude: float
    feature_class: str
    feature_code: str
    country_code: str | None
    country: str | None
    iso3: str | None
    admin1_code: str | None  # GeoNames admin1 code without the country, e.g. "05"
    admin1: str | None  # common English name, e.g. "Donetsk"
    admin2: str | None  # name of the admin2 unit, e.g. "Pokrovsk Raion"
    population: int
    source: str  # cities500, countries, admin1, airfields, us_counties, or an imported file
    match: str = "name"  # how the looked-up name matched: name, alt, abbr, demonym, stem
    admin2_code: str | None = None  # GeoNames admin2 code without country and admin1, e.g. "1416"

    @property
    def feature(self) -> str:
        """GeoNames feature class and code, e.g. 'P.PPL'."""
        return f"{self.feature_class}.{self.feature_code}"


class Gazetteer:
    """Look-ups in a compiled gazetteer file; cheap to share, safe to read from several threads."""

    def __init__(self, path: Path, db: sqlite3.Connection) -> None:
        self.path = path
        self._db = db
        self._lock = threading.Lock()
        self._countries: dict[str, tuple[str, str | None]] = {}
        self._admin1: dict[str, str] = {}
        self._admin2: dict[str, str] = {}
        self._seats: dict[str, int] = {}
        self._rows_cache: dict[str, list[Any]] = {}
        self._units: dict[tuple[str, str, str], Candidate] | None = None
        self._unit_codes: dict[tuple[str, str], list[str]] | None = None
        self._unit_keys: dict[tuple[str, str], dict[str, str]] = {}
        self._contains_cache: dict[str, bool] = {}
        self._region_keys: frozenset[str] | None = None
        self._load_tables()

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Gazetteer:
        """Open the gazetteer at ``path`` (default location if None), building it first if missing."""
        target = Path(path) if path is not None else default_path()
        if not target.exists():
            log.info("no gazetteer at %s: building it", target)
            build_gazetteer(target)
        db = _connect(target)
        version = _format_of(db, target)
        if version != str(FORMAT_VERSION):
            db.close()
            if path is not None:
                raise GazetteerError(
                    f"gazetteer format {version}, expected {FORMAT_VERSION}; delete it to rebuild",
                    file=str(target),
                )
            build_gazetteer(target)
            db = _connect(target)
        elif _stale(db):
            db.close()
            log.info("gazetteer %s was built from other data or code: rebuilding it", target)
            build_gazetteer(target)
            db = _connect(target)
        return cls(target, db)

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def _load_tables(self) -> None:
        with self._lock:
            for code, name, iso3 in self._db.execute("SELECT code, name, iso3 FROM country"):
                self._countries[code] = (name, iso3)
            for code, english in self._db.execute("SELECT code, english FROM admin1"):
                self._admin1[code] = english
            for code, name in self._db.execute("SELECT code, name FROM admin2"):
                self._admin2[code] = name
            for code, gid in self._db.execute("SELECT code, geonameid FROM seat"):
                self._seats[code] = gid

    def country_name(self, code: str | None) -> str | None:
        """English name of an ISO alpha-2 country code."""
        return self._countries.get(code or "", (None, None))[0]

    def admin1_name(self, country_code: str | None, admin1_code: str | None) -> str | None:
        """Common English name of an admin1 region, e.g. ('UA', '05') -> 'Donetsk'."""
        if not country_code or not admin1_code:
            return None
        return self._admin1.get(f"{country_code}.{admin1_code}")

    def admin2_name(
        self, country: str | None, admin1: str | None, admin2: str | None
    ) -> str | None:
        """ACLED's form of an admin2 unit's name, without designator: ('UA', '05', '1416') -> 'Pokrovsk'."""
        if not (country and admin1 and admin2):
            return None
        full = self._admin2.get(f"{country}.{admin1}.{admin2}")
        return bare_name(full) if full else None

    def lookup(self, name: str, fuzzy: bool = False) -> list[Candidate]:
        """Every entry the name can refer to (folded match), best match kind first, then by population.

        With ``fuzzy``, a name is also looked up by its transliteration key (``names.fuzzy_key``:
        "Bur Hakaba" finds Buurhakaba), as match kind ``fuzzy``; beside entries that bear it as
        written, only a town far larger than they are ("Zaporizhzhia" is a few villages' name and
        the city GeoNames spells Zaporizhzhya).
        """
        norm = normalize(name)
        if not norm:
            return []
        rows = self._rows(
            norm,
            f"SELECT {_PLACE_COLUMNS}, n.kind FROM name n JOIN place p ON p.id = n.place "
            "WHERE n.norm = ?",
        )
        if fuzzy and fuzzy_key(norm):
            spelt = self._rows(
                "\x00" + fuzzy_key(norm),  # one cache: \x00 never starts a folded name
                f"SELECT {_PLACE_COLUMNS}, 'fuzzy' FROM fuzzy f JOIN place p ON p.id = f.place "
                "WHERE f.key = ?",
                fuzzy_key(norm),
            )
            if rows:  # beside exact namesakes, only a town far larger than any of them
                # (row fields as in _PLACE_COLUMNS: 5 the feature class, 10 the population)
                towns = max((r[10] or 0 for r in rows if r[5] == "P"), default=0)
                spelt = [
                    r for r in spelt if r[5] == "P" and (r[10] or 0) >= max(_BIG_TOWN, 10 * towns)
                ]
            rows = rows + spelt
        best: dict[int, Candidate] = {}
        for row in rows:
            cand = self._candidate(row)
            old = best.get(cand.id)
            if old is None or KIND_RANK[cand.match] < KIND_RANK[old.match]:
                best[cand.id] = cand
        return sorted(best.values(), key=lambda c: (KIND_RANK[c.match], -c.population))

    def _rows(self, cache_key: str, sql: str, arg: str | None = None) -> list[Any]:
        rows = self._rows_cache.get(cache_key)
        if rows is None:
            with self._lock:
                rows = self._db.execute(sql, (arg if arg is not None else cache_key,)).fetchall()
            self._remember(self._rows_cache, cache_key, rows)
        return rows

    def contains(self, name: str) -> bool:
        """Whether any entry has this (folded) name; cheaper than :meth:`lookup`."""
        norm = normalize(name)
        if not norm:
            return False
        known = self._contains_cache.get(norm)
        if known is None:
            with self._lock:
                row = self._db.execute(
                    "SELECT 1 FROM name WHERE norm = ? LIMIT 1", (norm,)
                ).fetchone()
            known = row is not None
            self._remember(self._contains_cache, norm, known)
        return known

    def spells_region(self, name: str) -> bool:
        """Whether the name is another spelling of a first-level region's ("Oromia": Oromiya,
        "Hiraan": Hiiraan), by transliteration key; a set in memory, so cheap on every word run."""
        if self._region_keys is None:
            with self._lock:  # (the names' index by place, not a scan of every spelling)
                rows = self._db.execute(
                    "SELECT n.norm FROM name n WHERE n.place IN "
                    "(SELECT id FROM place WHERE feature_code = 'ADM1')"
                ).fetchall()
            self._region_keys = frozenset(fuzzy_key(r[0]) for r in rows) - {""}
        key = fuzzy_key(normalize(name))
        return bool(key) and key in self._region_keys

    @staticmethod
    def _remember(cache: dict[str, Any], key: str, value: Any) -> None:
        """Keep a look-up result; names repeat across a news flow, so a bounded cache pays."""
        if len(cache) >= _CACHE_SIZE:
            cache.clear()
        cache[key] = value

    def near(
        self, latitude: float, longitude: float, km: float, feature_class: str | None = None
    ) -> list[tuple[float, Candidate]]:
        """Entries within ``km`` of a point (optionally of one feature class), nearest first."""
        dlat = km / 111.0
        dlon = km / max(1.0, 111.0 * math.cos(math.radians(latitude)))
        sql = (
            f"SELECT {_PLACE_COLUMNS}, 'name' FROM place p WHERE p.latitude BETWEEN ? AND ? "
            "AND p.longitude BETWEEN ? AND ?"
        )
        args: list[Any] = [latitude - dlat, latitude + dlat, longitude - dlon, longitude + dlon]
        if feature_class:
            sql += " AND p.feature_class = ?"
            args.append(feature_class)
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        out = []
        for row in rows:
            c = self._candidate(row)
            d = haversine_km(latitude, longitude, c.latitude, c.longitude)
            if d <= km:
                out.append((d, c))
        return sorted(out, key=lambda x: x[0])

    def admin2_unit(self, c: Candidate) -> Candidate | None:
        """The admin2 unit (an ``A.ADM2`` entry) that holds a place, if the gazetteer has it."""
        if not (c.country_code and c.admin1_code and c.admin2_code):
            return None
        if self._units is None:
            with self._lock:
                rows = self._db.execute(
                    f"SELECT {_PLACE_COLUMNS}, 'name' FROM place p WHERE p.feature_code = 'ADM2' "
                    "AND p.admin2_code IS NOT NULL"
                ).fetchall()
            units = {}
            for row in rows:
                unit = self._candidate(row)
                units[(unit.country_code or "", unit.admin1_code or "", unit.admin2_code or "")] = (
                    unit
                )
            self._units = units
        return self._units.get((c.country_code, c.admin1_code, c.admin2_code))

    def admin2_named(self, name: str, country: str | None, admin1: str | None) -> str | None:
        """ACLED's form of the admin2 unit of this admin1 region that a text names: "Kastorensky
        district" -> 'Kastorenskiy', "Zaporizhzhia raion" -> 'Zaporizhzhya', "Kramatorsk district"
        -> 'Kramatorskyi'; every unit GeoNames names counts, with or without a point of its own."""
        if not (country and admin1):
            return None
        keys = self._region_unit_keys(country, admin1)
        bare = bare_name(name)  # "Hawul LGA" -> "Hawul"
        for key in (
            normalize(name),
            fuzzy_key(name),
            normalize(bare),
            fuzzy_key(bare),
            _short_key(bare),
        ):
            if key and key in keys:
                return keys[key]
        return None

    def _region_unit_keys(self, country: str, admin1: str) -> dict[str, str]:
        """The spellings of one admin1 region's units (keys of ``admin2_named``), built on first
        use for that region only: a text names a few regions, GeoNames has 47,000 units."""
        if self._unit_codes is None:
            by_region: dict[tuple[str, str], list[str]] = {}
            for code, full in self._admin2.items():
                cc, a1, _a2 = code.split(".")
                by_region.setdefault((cc, a1), []).append(full)
            self._unit_codes = by_region
        found = self._unit_keys.get((country, admin1))
        if found is None:
            found = {}
            for full in self._unit_codes.get((country, admin1), ()):
                bare = bare_name(full)
                # the town a unit is named after, also under an apostrophe ("Konotops’ka")
                forms = [full, bare, *town_forms(bare), *town_forms(bare_name(normalize(full)))]
                if bare == full and not full.isascii():
                    forms.append(bare_name(normalize(full)))  # "Qaḑā’ Ḩalabchah"
                for form in forms:
                    for key in (normalize(form), fuzzy_key(form), _short_key(form)):
                        if key:
                            found.setdefault(key, bare)
            self._unit_keys[(country, admin1)] = found
        return found

    def seat(self, country: str | None, admin1: str | None) -> Candidate | None:
        """The largest town of an admin1 region: where an event known only at that region's level
        is coded (ACLED codes it at the provincial capital, with geo precision 3)."""
        gid = self._seats.get(f"{country}.{admin1}")
        return self.get(gid) if gid is not None else None

    def get(self, geonameid: int) -> Candidate | None:
        """The entry with this GeoNames id, if the gazetteer has it."""
        with self._lock:
            row = self._db.execute(
                f"SELECT {_PLACE_COLUMNS}, 'name' FROM place p WHERE p.geonameid = ?", (geonameid,)
            ).fetchone()
        return self._candidate(row) if row else None

    def _candidate(self, row: tuple[Any, ...]) -> Candidate:
        (pid, gid, name, lat, lon, fclass, fcode, cc, a1, a2, pop, source, kind) = row
        country, iso3 = self._countries.get(cc or "", (None, None))
        return Candidate(
            id=pid,
            geonameid=gid,
            name=name,
            latitude=lat,
            longitude=lon,
            feature_class=fclass,
            feature_code=fcode,
            country_code=cc,
            country=country,
            iso3=iso3,
            admin1_code=a1,
            admin1=self.admin1_name(cc, a1),
            admin2=self.admin2_name(cc, a1, a2),
            population=pop or 0,
            source=source,
            match=kind,
            admin2_code=a2,
        )

    def info(self) -> dict[str, Any]:
        """Where the file is, its format, when it was built, how many places and names it holds,
        and per country: towns, villages under 1,000 people (or of unknown size), admin2 units,
        the share of towns with an admin2 unit, and the layers its places come from."""
        with self._lock:
            meta = dict(self._db.execute("SELECT key, value FROM meta").fetchall())
            places = self._db.execute("SELECT count(*) FROM place").fetchone()[0]
            names = self._db.execute("SELECT count(*) FROM name").fetchone()[0]
            sources = dict(
                self._db.execute("SELECT source, count(*) FROM place GROUP BY source").fetchall()
            )
            coverage = {
                cc: {
                    "towns": towns,
                    "villages_under_1000": small,
                    "admin2_units": units,
                    "with_admin2": round(with_a2 / towns, 3) if towns else 0.0,
                    "layers": layers.split(","),
                }
                for cc, towns, small, units, with_a2, layers in self._db.execute(
                    "SELECT country_code, sum(feature_class = 'P'), "
                    "sum(feature_class = 'P' AND population < 1000), sum(feature_code = 'ADM2'), "
                    "sum(feature_class = 'P' AND admin2_code IS NOT NULL), group_concat(DISTINCT source) "
                    "FROM place WHERE country_code IS NOT NULL GROUP BY country_code"
                )
            }
        return {
            "path": str(self.path),
            "format": int(meta.get("format", 0)),
            "built": meta.get("built"),
            "fingerprint": meta.get("fingerprint"),
            "bytes": self.path.stat().st_size,
            "places": places,
            "names": names,
            "sources": sources,
            "coverage": coverage,
            "imports": json.loads(meta.get("imports", "[]")),
            "credit": meta.get("credit"),
        }


def _short_key(name: str) -> str:
    """A key for a short name that ``fuzzy_key`` leaves out: y as i, doubled letters single, no
    final e ("Aley" / Aaley, "Tyre" / Tyr), marked apart from the other keys."""
    key = re.sub(r"(.)\1+", r"\1", normalize(name).replace("y", "i").replace(" ", ""))
    key = key[:-1] if key.endswith("e") else key
    return "\x01" + key if 3 <= len(key) < 5 else ""


def _connect(path: Path) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(
            path.resolve().as_uri() + "?mode=ro", uri=True, check_same_thread=False
        )
        db.execute("PRAGMA query_only=ON")
        return db
    except sqlite3.Error as exc:
        raise GazetteerError(f"cannot open gazetteer: {exc}", file=str(path)) from exc


def _stale(db: sqlite3.Connection) -> bool:
    """Built from other inputs than the installed ones, with nothing imported that a rebuild would lose."""
    meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    if meta.get("fingerprint") == build_fingerprint():
        return False
    if json.loads(meta.get("imports", "[]")):
        log.warning(
            "gazetteer was built from other data or code; keeping it for its imported files"
        )
        return False
    return True


def _format_of(db: sqlite3.Connection, path: Path) -> str:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise GazetteerError(f"not a sitrep gazetteer: {exc}", file=str(path)) from exc
    if row is None:
        raise GazetteerError("not a sitrep gazetteer (no format)", file=str(path))
    return str(row[0])
