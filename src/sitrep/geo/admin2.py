"""Second-level administrative units (districts, raions, counties, LGAs): their names, a point for
each, and which unit holds a place.

GeoNames gives admin2 codes for its towns of 15,000+ people (the *seeds*, shipped in
``data/geonames/admin2-seeds.tsv.gz``) and names for the codes (``admin2Codes.txt.gz``), but none
for smaller places. A smaller place takes the admin2 unit of its nearest seed in the same admin1
region. Districts are named after their seat in much of the world, so each unit named after a town
of its region gets that town as a seed too (``named_centres``), and as its point; "Bakhmut raion"
is also found through the town Bakhmut (see ``geo.resolve``).
"""

from __future__ import annotations

import gzip
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from sitrep.geo.names import haversine_km, normalize
from sitrep.resources import data_bytes

# the designator words stripped from admin2 names to get the bare name ("Pokrovsk Raion" -> "Pokrovsk")
_DESIGNATOR = re.compile(
    r"\s+(?:raion|rayon|raionu|district|county|municipality|municipio|municipalit[ée]|"
    r"local government area|lga|sub-?county|departement|département|department|province|"
    r"urban okrug|gorodskoy okrug|okrug|kreis|landkreis|prefecture|parish|borough|"
    r"census area|city and borough|governorate|region|zone|division|cercle|arrondissement|"
    r"location|sub-?district|tehsil|taluka?|upazila|woreda|special(?:\s+woreda)?|"
    r"city council|mis['’]?krada)$",
    re.I,
)
_PREFIX = re.compile(
    r"^(?:(?:district|caza|qada[a']?|kaza|cercle|arrondissement|d[ée]partement|province|"
    r"pr[ée]fecture|sous-pr[ée]fecture|commune|municipio|departamento|distrito|provincia|"
    r"circunscri[cç][aã]o|concelho)"
    r"\s+(?:de\s+la\s+|de\s+l'|de\s+|du\s+|des\s+|do\s+|da\s+|d'|of\s+)?|gemeente\s+|"
    r"mudiriyat\s+|degmada\s+)",
    re.I,
)
_CELL = 2.0  # cells of half a degree
_MAX_KM = 100.0


@dataclass(frozen=True)
class Seed:
    """A town whose admin2 code GeoNames gives."""

    geonameid: int
    country: str
    admin1: str
    admin2: str
    latitude: float
    longitude: float
    population: int


_ADJECTIVE = re.compile(r"(?i)(sk)(?:yi|yy|iy|y|a|oy|ij|ii)$")


def town_forms(bare: str) -> list[str]:
    """The town a Slavic district is named after: 'Kramatorskyi' -> 'Kramatorsk', and
    'Belgorodskiy' -> 'Belgorod' (both tried; the gazetteer keeps them as stems)."""
    m = _ADJECTIVE.search(bare)
    if not m:
        return []
    return [bare[: m.end(1)], bare[: m.start(1)]]


def prefixed(name: str) -> bool:
    """A unit named with its designator before the name ("Province of Surigao del Sur", "Caza de
    Zahleh"): its bare name is the unit's own name, not a word it was derived from."""
    return _PREFIX.match(name.strip()) is not None


def bare_name(name: str) -> str:
    """An admin2 name without its designator: 'Kramatorskyi Raion' -> 'Kramatorskyi'."""
    return _PREFIX.sub("", _DESIGNATOR.sub("", name.strip())).strip() or name


@cache
def read_codes() -> tuple[tuple[str, str, str, int | None], ...]:
    """(code CC.A1.A2, name, ASCII name, geonameid) of every admin2 unit GeoNames names."""
    rows = []
    for line in gzip.decompress(data_bytes("geonames", "admin2Codes.txt.gz")).decode().splitlines():
        c = line.split("\t")
        if len(c) == 4 and c[0].count(".") == 2:
            rows.append((c[0], c[1], c[2], int(c[3]) if c[3].isdigit() else None))
    return tuple(rows)


@cache
def read_seeds() -> tuple[Seed, ...]:
    seeds = []
    for line in (
        gzip.decompress(data_bytes("geonames", "admin2-seeds.tsv.gz")).decode().splitlines()
    ):
        c = line.split("\t")
        if len(c) == 7:
            seeds.append(Seed(int(c[0]), c[1], c[2], c[3], float(c[4]), float(c[5]), int(c[6])))
    return tuple(seeds)


class Admin2Index:
    """Which admin2 unit holds a point: the unit of the nearest seed in the same admin1 region."""

    def __init__(self, seeds: list[Seed]) -> None:
        self.seeds = seeds
        self.by_id = {s.geonameid: s.admin2 for s in seeds if s.population >= 0}
        self.cells: dict[tuple[str, str, int, int], list[Seed]] = defaultdict(list)
        for s in seeds:
            self.cells[(s.country, s.admin1, *self._cell(s.latitude, s.longitude))].append(s)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return math.floor(lat * _CELL), math.floor(lon * _CELL)

    def assign(
        self,
        country: str | None,
        admin1: str | None,
        lat: float,
        lon: float,
        gid: int | None = None,
    ) -> str | None:
        """The admin2 code (the A2 part) of a place, or None when no seed of its admin1 is near."""
        if gid is not None and gid in self.by_id:
            return self.by_id[gid]
        if not country or not admin1:
            return None
        a, b = self._cell(lat, lon)
        best, best_d = None, _MAX_KM
        for da in (-2, -1, 0, 1, 2):
            for db in (-2, -1, 0, 1, 2):
                for s in self.cells.get((country, admin1, a + da, b + db), ()):
                    d = haversine_km(lat, lon, s.latitude, s.longitude)
                    if d < best_d:
                        best, best_d = s.admin2, d
        return best


_STEM_END = re.compile(r"(?i)(?:sk|ck|ts)?(?:ii|i|a|oi|aia|oie|e)?$")  # on _key()s: y is i


def _key(name: str) -> str:
    """A spelling-tolerant key: folded, with y and i as one letter (Zaporizhzhya, Zaporizhzhia)
    and doubled letters single (Bosaso, Bossaso; Kismayo, Kismaayo)."""
    return _single(normalize(name).replace("y", "i").replace(" ", ""))


def _single(key: str) -> str:
    return re.sub(r"(.)\1+", r"\1", key)


# a district named by a Slavic adjective ("Krasnoyaruzhskiy"), on _key()s
_SLAVIC_END = re.compile(r"(?:sk|ck)(?:ii|i|oi|a|aia|oie)$")
# a Slavic adjective opening a town's name ("Novyy", "Krasnaya", "Bolshoye"), on _key()s' words
_ADJECTIVE_WORD = re.compile(r"(?:iaia|aia|oie|eie|iie|ii|oi|ee|i)$")


def _town_keys(name: str) -> list[str]:
    """The keys a town's name may take inside its district's name: itself, and a name opening with
    an adjective joined as Russian and Ukrainian districts join it ("Novyy Oskol" ->
    "Novooskol'skiy", "Bolshoye Soldatskoye" -> "Bol'shesoldatskiy")."""
    keys = [_key(name)]
    words = normalize(name).replace("y", "i").replace("-", " ").split()
    if len(words) >= 2 and _ADJECTIVE_WORD.search(words[0]):
        stem = _ADJECTIVE_WORD.sub("", words[0])
        if len(stem) >= 3:
            rest = "".join(words[1:])
            keys += [_single(f"{stem}o{rest}"), _single(f"{stem}e{rest}")]
    return keys


def _loose(key: str) -> str:
    """One spelling of the soft vowels: 'Temryuk' and 'Temruk', 'Timashyovsk' and 'Timashevsk'."""
    return key.replace("iu", "u").replace("ia", "a").replace("io", "e")


def _seat_tier(town: str, bare: str, stem: str) -> int:
    """How well a town's name fits a district's name: 0 the same, 1 the district's stem plus a
    few letters ("Volokonov" / Volokonovka) or the same stem ("Bolshesoldat": Bolshesoldatskoye and
    Bolshesoldatskiy), 2 a long common prefix ("Koriukivk": Koriukivka and Koriukivskyi;
    "Rossosh": Rossosh and Rossoshanskiy; "Krasnoyaru": Krasnoyaruga and Krasnoyaruzhskiy, the
    last consonant changed), 3 no fit. The fits for a Slavic adjective (the same stem, a changed
    last consonant) are tried only for a district named by one, on the keys and on their
    ``_loose`` forms."""
    slavic = bool(_SLAVIC_END.search(bare))
    forms = [(town, bare, stem)] + ([(_loose(town), _loose(bare), _loose(stem))] if slavic else [])
    best = 3
    for t, b, s in forms:
        if t == b:
            return 0
        if len(s) >= 4 and t.startswith(s) and len(t) - len(s) <= 3:
            best = min(best, 1)
        elif slavic and len(s) >= 5 and _STEM_END.sub("", t) == s:
            best = min(best, 1)
        common = 0
        for x, y in zip(t, b, strict=False):
            if x != y:
                break
            common += 1
        slack = 2 if slavic and len(t) >= 9 else 1
        if common >= max(5, len(t) - slack) and len(b) - common <= 6:
            best = min(best, 2)
    return best


def named_centres(
    codes: tuple[tuple[str, str, str, int | None], ...], towns: list[dict[str, Any]]
) -> list[Seed]:
    """A seed for each admin2 unit named after a town of its admin1 region: the unit's centre.

    Districts in much of the world are named after their seat ("Volokonovskiy Rayon" and
    Volokonovka, "Pokrovsk Raion" and Pokrovsk, "Rossoshanskiy" and Rossosh, "Dikwa" LGA and
    Dikwa): the best-fitting town of the region by ``_seat_tier``, the most populous among equals.
    """
    # every fit shares the first four letters: towns by region and those letters
    by_prefix: dict[tuple[str, str, str], list[tuple[str, dict[str, Any]]]] = defaultdict(list)
    for t in towns:
        for key in _town_keys(t["name"]):
            for prefix in {key[:4], _loose(key)[:4]}:
                by_prefix[(t["countrycode"], t["admin1code"], prefix)].append((key, t))
    out = []
    for code, name, ascii_name, _gid in codes:
        cc, a1, a2 = code.split(".")
        bare = _key(bare_name(ascii_name or name))
        stem = _STEM_END.sub("", bare) if len(bare) > 5 else bare
        best: tuple[int, int] | None = None
        seat = None
        near = {
            id(x): x for p in {bare[:4], _loose(bare)[:4]} for x in by_prefix.get((cc, a1, p), ())
        }
        for town_key, t in near.values():
            tier = _seat_tier(town_key, bare, stem)
            if tier < 3 and (best is None or (tier, -t["population"]) < best):
                best, seat = (tier, -t["population"]), t
        if seat is not None:
            out.append(Seed(seat["geonameid"], cc, a1, a2, seat["latitude"], seat["longitude"], -1))
    return out


def unit_points(seeds: list[Seed]) -> dict[str, tuple[float, float, int]]:
    """Point of each admin2 code CC.A1.A2: its named centre's (population -1), else its largest
    seed's; with the total population of its seeds."""
    best: dict[str, Seed] = {}
    total: dict[str, int] = defaultdict(int)
    for s in seeds:
        code = f"{s.country}.{s.admin1}.{s.admin2}"
        total[code] += max(0, s.population)
        old = best.get(code)
        if old is None or (
            old.population != -1 and (s.population == -1 or s.population > old.population)
        ):
            best[code] = s
    return {code: (s.latitude, s.longitude, total[code]) for code, s in best.items()}


def admin2_index(towns: list[dict[str, Any]]) -> Admin2Index:
    """The index over GeoNames' seeds and the units' named centres among ``towns``."""
    return Admin2Index(list(read_seeds()) + named_centres(read_codes(), towns))
