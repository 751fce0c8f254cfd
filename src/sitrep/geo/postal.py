"""Villages from GeoNames postal-code files (12 columns): the default Ukrainian layer and any
country's file a user imports.

A postal file lists (postal code, place) pairs with an approximate point and the names of the
oblast (admin name1) and of the old raion (admin name2), in the local script. Each distinct place
of one oblast becomes one village (``P.PPL``, no GeoNames id):

* bracketed council suffixes are dropped ("Георгіївка (Максимільянівська сільська Рада)");
* Ukrainian Cyrillic names are romanised by the 2010 national system and also get the spellings
  English-language reports use (Avdiivka / Avdiyivka, Heorhiivka / Georgiivka);
* the oblast is mapped to its GeoNames admin1 code by where most of its points lie (the nearest
  town's admin1), and a point is **checked against its own oblast**: a point more than 40 km from
  every town of its oblast (often a namesake's point borrowed from another oblast) is dropped and
  counted;
* the old raion is mapped to the GeoNames admin2 code most of its villages' points fall in;
* a village the gazetteer already holds under that name within 5 km is not added again.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitrep.geo.admin2 import Admin2Index
from sitrep.geo.centroids import _TownGrid
from sitrep.geo.names import haversine_km, normalize
from sitrep.geo.writer import _Builder

POSTAL_COLUMNS = 12
_COUNCIL_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_SAME_PLACE_KM = 5.0
_TOWN_KM = 30.0  # a village's nearest town within this distance votes for its oblast's admin1 code
_OWN_KM = 40.0  # a village's point must lie this close to a town of its own oblast

# Ukrainian national romanisation (Cabinet of Ministers resolution 55, 2010)
_UK_FIRST = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UK = dict(
    zip(
        "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя'’ʼ",
        "a b v h g d e ie zh z y i i i k l m n o p r s t u f kh ts ch sh shch _ iu ia _ _ _".split(),
        strict=True,
    )
)
_UK.update({"ь": "", "'": "", "’": "", "ʼ": ""})
# spellings English-language reports also use: "iyi" for "ii" (Avdiyivka), "g" for "h" (from the
# Russian form: Georgiivka), "y" endings for "yi" (Pokrovskyi -> Pokrovsky)
_VARIANTS = (
    (r"ii", "iyi"),
    (r"yi\b", "y"),
    (r"iia\b", "iya"),
    # the Russian forms wire copy often uses: Dachne / Dachnoye, Synkivka / Sinkovka
    (r"(?<=[nvk])e\b", "oye"),
    (r"ske\b", "skoye"),
    (r"ivka\b", "ovka"),
    (r"ivka\b", "evka"),
    (r"yi\b", "iy"),
)
_H_NOT_DIGRAPH = re.compile(r"(?<![kzcsKZCS])[hH]")


def romanize_ukrainian(text: str) -> str:
    """Latin spelling of a Ukrainian name by the 2010 national system ('Георгіївка' -> 'Heorhiivka')."""
    out = []
    for m in re.finditer(r"[\w'’ʼ]+|[^\w'’ʼ]+", text):
        word = m.group()
        if not _CYRILLIC.search(word):
            out.append(word)
            continue
        letters = []
        low = word.lower().replace("зг", "zgh")
        for k, ch in enumerate(low):
            latin = _UK_FIRST.get(ch) if k == 0 else None
            letters.append(latin if latin is not None else _UK.get(ch, ch))
        roman = "".join(letters)
        out.append(roman[:1].upper() + roman[1:] if word[:1].isupper() else roman)
    return "".join(out)


def english_spellings(roman: str) -> list[str]:
    """Other spellings of a romanised Ukrainian name that English-language reports use."""
    out = []
    for pattern, repl in _VARIANTS:
        variant = re.sub(pattern, repl, roman)
        if variant != roman:
            out.append(variant)
    g_form = _H_NOT_DIGRAPH.sub(lambda m: "G" if m.group() == "H" else "g", roman)
    if g_form != roman:
        out.append(g_form)
    return out


@dataclass
class BadRows:
    """Rows of an input file that were skipped, with the reason of each (for one summary line)."""

    count: int = 0
    examples: list[str] = field(default_factory=list)

    def add(self, line: int, why: str) -> None:
        self.count += 1
        if len(self.examples) < 5:
            self.examples.append(f"line {line}: {why}")


def rows(lines: Iterable[str], width: int, bad: BadRows) -> Iterator[tuple[int, list[str]]]:
    """The data rows of a tab-separated GeoNames file; rows of another width go to ``bad``."""
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\r").split("\t")
        if len(cols) != width:
            bad.add(n, f"{len(cols)} columns, expected {width}")
            continue
        yield n, cols


@dataclass
class _Village:
    country: str
    name: str  # as written in the file, suffix dropped
    oblast: str  # admin name1 as written
    raion: str  # admin name2 as written
    points: list[tuple[float, float]]

    @property
    def point(self) -> tuple[float, float]:
        return (
            statistics.median(p[0] for p in self.points),
            statistics.median(p[1] for p in self.points),
        )


def _group(
    lines: Iterable[str], bad: BadRows, report: dict[str, Any]
) -> dict[tuple[str, str, str], list[_Village]]:
    """Villages by (country, oblast, folded name); rows of one place within 5 km are one village."""
    out: dict[tuple[str, str, str], list[_Village]] = defaultdict(list)
    for n, c in rows(lines, POSTAL_COLUMNS, bad):
        try:
            lat, lon = float(c[9]), float(c[10])
        except ValueError:
            bad.add(n, "bad coordinates")
            continue
        if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
            bad.add(n, "bad coordinates")
            continue
        if not re.fullmatch(r"[A-Z]{2}", c[0]):
            bad.add(n, f"bad country code {c[0]!r}")
            continue
        name = _COUNCIL_SUFFIX.sub("", c[2]).strip()
        if not name:
            bad.add(n, "no place name")
            continue
        report["rows"] += 1
        same = out[(c[0], c[3], normalize(name))]
        for v in same:
            if haversine_km(lat, lon, *v.points[0]) < _SAME_PLACE_KM:
                v.points.append((lat, lon))
                break
        else:
            same.append(_Village(c[0], name, c[3], c[5], [(lat, lon)]))
    return out


def _grids_by_region(towns: list[dict[str, Any]]) -> dict[tuple[str, str], _TownGrid]:
    by_region: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for t in towns:
        by_region[(t["countrycode"], t["admin1code"])].append(t)
    return {key: _TownGrid(ts) for key, ts in by_region.items()}


def add_villages(
    b: _Builder,
    lines: Iterable[str],
    source: str,
    towns: list[dict[str, Any]],
    known: dict[tuple[str, str], list[tuple[float, float]]],
    admin2: Admin2Index | None,
    bad: BadRows,
) -> dict[str, Any]:
    """Add a postal file's villages to the gazetteer being written; return counts.

    ``towns`` are the gazetteer's towns (latitude, longitude, countrycode, admin1code), ``known``
    the points of the places it already holds by (country, folded name).
    """
    report: dict[str, Any] = defaultdict(int)
    groups = _group(lines, bad, report)
    villages = [v for vs in groups.values() for v in vs]
    grid = _TownGrid(towns)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for v in villages:
        near = grid.nearest(*v.point, _TOWN_KM)
        if near and near["countrycode"] == v.country:
            votes[(v.country, v.oblast)][str(near["admin1code"])] += 1
    oblast_code = {key: c.most_common(1)[0][0] for key, c in votes.items()}
    own_grids = _grids_by_region(towns)
    kept = []
    for v in villages:
        code = oblast_code.get((v.country, v.oblast))
        if code is None:
            report["villages_without_region"] += 1
            continue
        grid_own = own_grids.get((v.country, code))
        if grid_own is None or grid_own.nearest(*v.point, _OWN_KM) is None:
            report["villages_outside_own_region"] += 1
            continue
        kept.append((v, code))
    raion_votes: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    if admin2 is not None:
        for v, code in kept:
            a2 = admin2.assign(v.country, code, *v.point)
            if a2:
                raion_votes[(v.country, code, v.raion)][a2] += 1
    for v, code in kept:
        lat, lon = v.point
        norm = normalize(v.name)
        if any(
            haversine_km(lat, lon, a, b2) < _SAME_PLACE_KM
            for a, b2 in known.get((v.country, norm), ())
        ):
            report["villages_already_known"] += 1
            continue
        roman = (
            romanize_ukrainian(v.name) if v.country == "UA" and _CYRILLIC.search(v.name) else v.name
        )
        votes_a2 = raion_votes.get((v.country, code, v.raion))
        a2 = votes_a2.most_common(1)[0][0] if votes_a2 else None
        pid = b.place(source, roman, lat, lon, "P", "PPL", v.country, code, 0, None, a2)
        names = [(roman, "name"), (v.name, "alt")]
        names += [(s, "alt") for s in english_spellings(roman)]
        b.add_names(pid, names)
        known[(v.country, norm)].append((lat, lon))
        report["villages_added"] += 1
    return dict(report)
