"""The gazetteer entries a place name can mean under the qualifier the text gives it: a base
near a town, the district a town names, a region rather than its capital, a part of a region
("northern Kentucky"), a name GeoNames spells otherwise."""

from __future__ import annotations

import dataclasses

from sitrep.geo.admin2 import bare_name
from sitrep.geo.gazetteer import Candidate, Gazetteer
from sitrep.geo.names import normalize

_DIRECTIONS = (
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
    "upper",
    "lower",
    "greater",
)


def candidates(
    gaz: Gazetteer, name: str, qualifier: str | None, base_km: float
) -> tuple[list[Candidate], bool]:
    """Candidates for a name under a qualifier; the flag says the name had to be loosened."""
    found = gaz.lookup(name, fuzzy=True)
    if not (name.isupper() or "." in name):  # "Lal" is no airport code (LAL: Lakeland)
        found = [c for c in found if c.match != "abbr"] or found
    if any(c.match == "demonym" for c in found):
        found = [c for c in found if c.match == "demonym"]
    approximate = False
    if not found:
        words = name.split()
        if len(words) > 1 and words[0].lower() in _DIRECTIONS:
            # "northern Kentucky", "eastern Ukraine": a part of a region or country
            found = [c for c in gaz.lookup(" ".join(words[1:])) if c.feature_class in ("A", "L")]
            approximate = bool(found)
        elif qualifier in ("region", "district") and bare_name(name) != name:
            found = gaz.lookup(bare_name(name), fuzzy=True)  # "Lamu county": GeoNames' Lamu
    if qualifier == "base" and any(c.feature_code.startswith("PCL") for c in found):
        return [], approximate  # "a U.S. military base": whose base, not where
    if qualifier == "base":
        bases = [c for c in found if c.feature_class == "S" and c.match != "abbr"]
        if not bases:
            towns = [c for c in found if c.feature_class == "P"][:5]
            seen: set[int] = set()
            for town in towns:
                for _d, c in gaz.near(town.latitude, town.longitude, base_km, "S"):
                    if c.id not in seen and c.feature_code in ("AIRB", "AIRF", "AIRP"):
                        seen.add(c.id)
                        bases.append(c)
        if bases:
            return bases, approximate
    if qualifier == "district":
        areas = _districts(gaz, name, found)
        if areas:
            return areas, approximate
    if qualifier in ("region", "district"):
        # "the Belgorod region" is the oblast: a district's stem (Belgorodskiy) answers only "district"
        areas = [
            c
            for c in found
            if c.feature_code == "ADM1"
            or (c.feature_code == "ADM2" and not (c.source == "admin2" and c.match == "stem"))
        ]
        if areas:
            return areas, approximate
    usable = [
        c
        for c in found
        if c.feature_class != "S"
        and (c.match != "stem" or (c.feature_code == "ADM2" and c.source != "admin2"))
    ]
    if not usable:
        usable = [c for c in found if c.match != "stem"]
    return usable, approximate


def _districts(gaz: Gazetteer, name: str, found: list[Candidate]) -> list[Candidate]:
    """Admin2 units a district name can mean: units of that name, else the units of the towns of
    that name (most districts are named after their centre: "Bakhmut raion"), and of those the
    units named after the town when there are any ("Konotop district" is Konotops'ka, not the
    district of a village Konotop elsewhere)."""
    units = [c for c in found if c.feature_code == "ADM2"]
    if units:
        return units
    seen: dict[int, Candidate] = {}
    for town in found:
        if town.feature_class == "P":
            unit = gaz.admin2_unit(town)
            if unit is not None and unit.id not in seen:
                seen[unit.id] = dataclasses.replace(unit, match=town.match)
    named = [
        u
        for u in seen.values()
        if u.admin2
        and normalize(gaz.admin2_named(name, u.country_code, u.admin1_code) or "")
        == normalize(u.admin2)
    ]
    return named or list(seen.values())
