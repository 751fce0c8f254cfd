"""The larger units written after a place: "X, Y", "X (Y, Z)", "X in the Y district of Z", and
ACLED's bracket "(District, Region)" read as a district and its region."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sitrep.geo.gazetteer import Candidate
from sitrep.geo.lexicon import _BRACKET_FIRST, _LEVELS, _LIST_GOES_ON
from sitrep.geo.toponyms import Toponym

# a Ukrainian community (hromada) between a village and its raion: no admin unit of GeoNames'
_COMMUNITY = re.compile(r"(?i)\s(?:hromada|territorial community)$")


def _dedupe(toponyms: list[Toponym]) -> list[Toponym]:
    """Toponyms in text order without overlaps (the first of two overlapping ones stays)."""
    out: list[Toponym] = []
    for t in toponyms:
        out += [] if out and t.start < out[-1].end else [t]
    return out


class UnitReader:
    """Reads, for each place of one text, the units written after it."""

    def __init__(self, text: str, patterns: Any, lookup: Callable[[str], list[Candidate]]) -> None:
        self.text = text
        self.p = patterns
        self.lookup = lookup

    def bracket_regions(self, toponyms: list[Toponym]) -> list[Toponym]:
        """The second unit of ACLED's bracket "(Arghandab district, Kandahar)" is a region, even when
        the place before it is unknown (Kandahar province, not the city)."""
        return [
            replace(t, qualifier="region")
            if t.qualifier is None
            and self.text[t.end : t.end + 1] == ")"
            and _BRACKET_FIRST.search(self.text, max(0, t.start - 80), t.start)
            else t
            for t in toponyms
        ]

    def _level(self, t: Toponym, container: bool) -> int:
        """How large a unit the name is: 0 country, 1 admin1, 2 admin2, 3 a place; a container is
        read as the largest unit the name can be, a head as the smallest."""
        if t.qualifier == "district":
            return 2
        if t.qualifier == "region":
            return 1
        levels = {
            _LEVELS.get(c.feature_code, 3) if c.feature_class == "A" else 3
            for c in self.lookup(t.name)
            if c.match != "stem"
        }
        if not levels:
            return 3
        return min(levels) if container else max(levels)

    def attach(self, toponyms: list[Toponym]) -> list[Toponym]:
        """Attach to each place the larger units written right after it ("X, Y", "X (Y, Z)",
        "X in the Y district of Z"); a town inside brackets names its district."""
        out = list(toponyms)
        for k, head in enumerate(out):
            chain: list[tuple[int, int, str, str | None]] = []
            level = self._level(head, container=False)
            prev_end, bracket = head.end, False
            for j in range(k + 1, len(out)):  # (no slice: a copy per place is quadratic)
                b = out[j]
                gap = self.text[prev_end : b.start]
                # "Rovenki (Roven'skiy, Belgorod)": a district name nothing recognised
                unit = _BRACKET_FIRST.search(gap) if not chain and level == 3 else None
                if unit and not gap[: unit.start()].strip():
                    s, e = prev_end + unit.start(1), prev_end + unit.end(1)
                    chain.append((s, e, self.text[s:e], "district"))
                    level, bracket = 2, True
                elif not self.p.container_separator.match(gap):
                    break
                bracket = bracket or "(" in gap
                if _COMMUNITY.search(b.text):
                    # "X, Tokmak hromada, Polohy raion": the community anchors the village
                    # among its namesakes, and the units go on after it
                    chain.append((b.start, b.end, b.name, "community"))
                    prev_end = b.end
                    continue
                b_level, qualifier = self._level(b, container=True), b.qualifier
                if b_level == 3 and bracket and not chain and level == 3:
                    b_level, qualifier = 2, "district"  # "Berestove (Bakhmut, Donetsk)"
                elif bracket and chain and b_level >= level and level > 1:
                    # "Goundam (Goundam cercle, Timbuktu)": after a district, the region
                    b_level, qualifier = level - 1, qualifier or "region"
                if b_level >= level or (not bracket and _LIST_GOES_ON.match(self.text[b.end :])):
                    break  # "Kharkiv, Sumy and Odesa": a list, not a place and its region
                chain.append((b.start, b.end, b.name, qualifier))
                if bracket and b.qualifier is None and qualifier is not None:
                    # read as the unit it is, should the place itself not resolve: "(Panjwai
                    # district, Kandahar)" names Kandahar province, not the city
                    out[j] = replace(b, qualifier=qualifier)
                level, prev_end = b_level, b.end
            if chain:
                container = next(
                    (c[2] for c in chain if c[3] not in ("district", "community")), None
                )
                out[k] = replace(head, container=container, within=tuple(chain))
        return out
