"""Choose, for each toponym, the gazetteer entry the article means, and turn it into a ``Place``.

The score of a candidate is the learned ranker's (``geo.ranker``): its population and feature type,
how its name matched, the units written after it ("X, Country", "X (District, Region)"), and the
article's context: how strongly the other place names point to its country and admin1 region (a
soft vote, refined over a few rounds), an optional country hint, and its distance to the other
places chosen. A name is
resolved the same way everywhere in one article. A name the gazetteer does not know gives nothing.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sitrep.geo.admin2 import bare_name
from sitrep.geo.candidates import candidates
from sitrep.geo.districts import DistrictReader
from sitrep.geo.gazetteer import Candidate, Gazetteer
from sitrep.geo.names import fuzzy_key, haversine_km, normalize
from sitrep.geo.ranker import (
    INDEX,
    NO_ACTORS,
    ActorHomes,
    Ranker,
    actor_homes,
    default_ranker,
    prior_features,
)
from sitrep.geo.recognize import default_gazetteer
from sitrep.geo.toponyms import Toponym
from sitrep.models import Place

log = logging.getLogger(__name__)

_AREA_QUALIFIERS = ("base", "region", "district")
_AREA_CODES = frozenset({"PCLI", "ADM1", "ADM2", "RGN", "CONT", "ZN", "RGNE"})


@dataclass
class PlaceMention:
    """A toponym and the place it was resolved to."""

    toponym: Toponym
    place: Place
    candidate: Candidate | None = field(default=None, repr=False)


@dataclass
class _Name:
    """All mentions of one name in an article, and its candidates."""

    key: str
    toponyms: list[Toponym]
    candidates: list[Candidate]
    qualifier: str | None = None
    containers: set[tuple[str, str | None]] = field(default_factory=set)
    approximate: bool = False  # found only after dropping a word such as "northern"
    scores: list[float] = field(default_factory=list)
    probs: list[float] = field(default_factory=list)


# how far from its community's (hromada's) town a village may lie
_COMMUNITY_KM = 30.0
# how far a region named after its capital may lead the town and still yield to it
_TOWN_MARGIN = 0.5


def _group_key(key: str, t: Toponym) -> str:
    """Mentions of one name are resolved together, apart from those naming its base or region."""
    return f"{key}|{t.qualifier}" if t.qualifier in _AREA_QUALIFIERS else key


@lru_cache(maxsize=65536)
def _base_key(key: str) -> str:
    return key.split("|", 1)[0]


def _qualifier_of(toponyms: list[Toponym]) -> str | None:
    qualifiers = {t.qualifier for t in toponyms}
    return next((q for q in _AREA_QUALIFIERS if q in qualifiers), None)


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


class _Resolver:
    def __init__(
        self,
        gaz: Gazetteer,
        toponyms: list[Toponym],
        hint: str | None,
        ranker: Ranker,
        actors: ActorHomes = NO_ACTORS,
    ) -> None:
        self.gaz = gaz
        self.r = ranker
        self.hint = hint
        self.actors = actors
        groups: dict[str, list[Toponym]] = defaultdict(list)
        for t in toponyms:
            key = normalize(t.name)
            if key:
                groups[_group_key(key, t)].append(t)
        self.names: list[_Name] = []
        for key, ts in groups.items():
            qualifier = _qualifier_of(ts)
            cands, approximate = candidates(gaz, ts[0].name, qualifier, ranker.base_near_town_km)
            if not cands:
                continue
            name = _Name(
                key,
                ts,
                cands,
                qualifier,
                {(normalize(w[2]), w[3]) for t in ts for w in _units_of(t)},
                approximate,
            )
            self.names.append(name)
        self.container_places = {
            key: candidates(gaz, key[0], key[1], ranker.base_near_town_km)[0]
            for n in self.names
            for key in n.containers
        }
        self.features: dict[int, list[list[float]]] = {}

    def _container_features(self, c: Candidate, name: _Name) -> tuple[float, float]:
        """Whether the candidate lies in the units written after the name, and in its admin2 unit."""
        inside, district = False, False
        for key in name.containers:
            for box in self.container_places.get(key, ()):
                if box.country_code != c.country_code or box.id == c.id:
                    continue
                if box.feature_code.startswith("PCL"):
                    inside = True
                elif box.feature_code == "ADM1" and box.admin1_code == c.admin1_code:
                    inside = True
                elif (
                    box.feature_code == "ADM2"
                    and box.admin1_code == c.admin1_code
                    and box.admin2_code is not None
                    and box.admin2_code == c.admin2_code
                ):
                    inside = district = True
        return float(inside), float(district)

    def _static(self, n: _Name) -> list[list[float]]:
        out = []
        for c in n.candidates:
            f = prior_features(c, n.candidates, n.qualifier, self.hint, self.actors)
            f[INDEX["container"]], f[INDEX["container_admin2"]] = self._container_features(c, n)
            f[INDEX["base_near_town"]] = self._base_bonus(c, n)
            out.append(f)
        return out

    def run(self) -> dict[str, tuple[Candidate, float]]:
        """The best candidate and its score for each name (above the ranker's minimum score)."""
        static = {id(n): self._static(n) for n in self.names}
        for n in self.names:
            self.features[id(n)] = static[id(n)]
            n.scores = [self.r.score(f) for f in static[id(n)]]
            n.probs = _softmax(n.scores)
        for _round in range(self.r.iterations):
            country_mass, admin1_mass = self._masses()
            best_points = {
                n.key: n.candidates[max(range(len(n.scores)), key=n.scores.__getitem__)]
                for n in self.names
            }
            for n in self.names:
                own_c, own_a = self._family_masses(n)
                feats = []
                for c, base in zip(n.candidates, static[id(n)], strict=True):
                    f = list(base)
                    cm = country_mass.get(c.country_code, 0.0) - own_c.get(c.country_code, 0.0)
                    f[INDEX["country_context"]] = min(1.0, cm)
                    if c.feature_code != "PCLI":
                        key = (c.country_code, c.admin1_code)
                        am = admin1_mass.get(key, 0.0) - own_a.get(key, 0.0)
                        f[INDEX["admin1_context"]] = min(1.0, am)
                    f[INDEX["closeness"]] = self._closeness(c, n.key, best_points)
                    feats.append(f)
                self.features[id(n)] = feats
                n.scores = [self.r.score(f) for f in feats]
                n.probs = _softmax(n.scores)
        out = {}
        for n in self.names:
            inside, stated = self._inside_units(n)
            # the region the text writes after the name holds it: a namesake outside it is wrong
            # however large ("Concordia municipality of Magdalena" is not Entre Rios')
            ks = [k for k in range(len(n.scores)) if inside[k]] if any(inside) else []
            k = max(ks or range(len(n.scores)), key=n.scores.__getitem__)
            k = self._town_over_its_region(n, k, ks)
            k = self._nearest_its_community(n, k, ks)
            if n.scores[k] >= self.r.min_score and (any(inside) or not stated):
                out[n.key] = (n.candidates[k], n.scores[k])
        return out

    def _town_over_its_region(self, n: _Name, k: int, allowed: list[int]) -> int:
        """ "near Garissa", "in Kidal": a region named after its capital, chosen by a hair over
        the town, yields to the town; the text names the region by a designator when it means it."""
        best = n.candidates[k]
        if n.qualifier in ("region", "district") or best.feature_code != "ADM1":
            return k
        for j, c in enumerate(n.candidates):
            if (
                (not allowed or j in allowed)
                and c.feature_class == "P"
                and (c.country_code, c.admin1_code) == (best.country_code, best.admin1_code)
                and normalize(c.name) == normalize(best.name)
                and n.scores[k] - n.scores[j] < _TOWN_MARGIN
            ):
                return j
        return k

    def _nearest_its_community(self, n: _Name, k: int, allowed: list[int]) -> int:
        """ "Myrne, Tokmak hromada": of the village's namesakes, the one by the community's
        town (within ``_COMMUNITY_KM``), if the chosen one is not."""
        towns = [
            box
            for key in n.containers
            if key[1] == "community"
            for box in self.container_places.get(key, ())[:3]
            if box.feature_class == "P"
        ]
        best, best_km = k, _COMMUNITY_KM
        for j, c in enumerate(n.candidates):
            if (
                (allowed and j not in allowed)
                or c.latitude is None
                or n.scores[j] < self.r.min_score
            ):
                continue
            for town in towns:
                if town.latitude is not None and town.id != c.id:
                    km = haversine_km(c.latitude, c.longitude, town.latitude, town.longitude)
                    if km < best_km:
                        best, best_km = j, km
        return best

    def _regions(self, n: _Name) -> list[tuple[str | None, str | None]]:
        """The countries and first-level regions the text puts the name in ("Kvasovo (Shchirsky,
        Belgorod)": Belgorod). Districts are not counted: GeoNames' districts of villages often
        predate the ones a coder writes, and a district's name is often a namesake's elsewhere.
        A district written alone holds it all the same (``_inside_districts``)."""
        return [
            (box.country_code, None if box.feature_code.startswith("PCL") else box.admin1_code)
            for key in n.containers
            for box in self.container_places.get(key, ())
            if box.feature_code.startswith("PCL") or box.feature_code == "ADM1"
        ]

    def _inside_units(self, n: _Name) -> tuple[list[bool], bool]:
        """Per candidate, whether it lies in a region the text puts the name in (all False when
        the text names none, or none lies there: then the region itself is the place), and
        whether the text names such a region."""
        regions = self._regions(n)
        if not regions:
            return self._inside_districts(n)
        # a region under another spelling ("Adamawa" for Cameroon's Adamaoua) still holds it
        spelt = {fuzzy_key(key[0]) for key in n.containers} - {""}
        inside = [
            any(c.country_code == cc and (a1 is None or c.admin1_code == a1) for cc, a1 in regions)
            or fuzzy_key(self.gaz.admin1_name(c.country_code, c.admin1_code) or "") in spelt
            for c in n.candidates
        ]
        return inside, True

    def _inside_districts(self, n: _Name) -> tuple[list[bool], bool]:
        """With no region written, a district written ("Oktyabrsky in the Belgorod district")
        holds the name: per candidate, whether its region has a unit of that name (with or
        without a point), and whether the district is a unit anywhere (then, when no candidate
        lies in one of its regions, the district itself is the place)."""
        districts = [key for key in n.containers if key[1] == "district"]
        if not districts:
            return [False] * len(n.candidates), False
        boxes = [box for key in districts for box in self.container_places.get(key, ())]
        # the regions of its units and of the towns it may be named after ("Kamianske district")
        regions = {(box.country_code, box.admin1_code) for box in boxes}
        inside = [
            (c.country_code, c.admin1_code) in regions
            or any(self.gaz.admin2_named(d, c.country_code, c.admin1_code) for d, _q in districts)
            for c in n.candidates
        ]
        return inside, any(box.feature_code == "ADM2" for box in boxes)

    def stated_district(self, t: Toponym, c: Candidate) -> str | None:
        """The admin2 unit the text places a chosen candidate in ("X (Bakhmut raion, ...)"), in
        ACLED's form of its name."""
        if c.feature_class not in ("P", "S"):
            return None
        for _s, _e, unit_name, qualifier in _units_of(t):
            if qualifier != "district":
                continue
            # a unit of the region bearing the name, else the unit of a town of that name in it
            named = self.gaz.admin2_named(unit_name, c.country_code, c.admin1_code)
            if named:
                return named
            for box in self.container_places.get((normalize(unit_name), qualifier), ()):
                if (
                    box.feature_code == "ADM2"
                    and box.country_code == c.country_code
                    and box.admin1_code == c.admin1_code
                ):
                    return box.admin2 or bare_name(box.name)
        return None

    def _base_bonus(self, c: Candidate, name: _Name) -> float:
        if name.qualifier != "base" or c.feature_class != "S":
            return 0.0
        towns = [t for t in self.gaz.lookup(name.toponyms[0].name) if t.feature_class == "P"]
        near = any(
            haversine_km(c.latitude, c.longitude, t.latitude, t.longitude)
            <= self.r.base_near_town_km
            for t in towns
        )
        return 1.0 if near else 0.0

    def _own_masses(self, n: _Name) -> tuple[dict[Any, float], dict[Any, float]]:
        cm: dict[Any, float] = defaultdict(float)
        am: dict[Any, float] = defaultdict(float)
        for c, p in zip(n.candidates, n.probs, strict=True):
            cm[c.country_code] += p
            if c.feature_code != "PCLI":
                am[(c.country_code, c.admin1_code)] += p
        return (
            {k: min(1.0, v) * len(n.toponyms) for k, v in cm.items()},
            {k: min(1.0, v) * len(n.toponyms) for k, v in am.items()},
        )

    def _family_masses(self, n: _Name) -> tuple[dict[Any, float], dict[Any, float]]:
        """What all groups of this name ("Dublin", "Dublin|region") add to the masses."""
        cm: dict[Any, float] = defaultdict(float)
        am: dict[Any, float] = defaultdict(float)
        for other in self.names:
            if _base_key(other.key) == _base_key(n.key):
                oc, oa = self._own_masses(other)
                for k, v in oc.items():
                    cm[k] += v
                for k, v in oa.items():
                    am[k] += v
        return cm, am

    def _masses(self) -> tuple[dict[Any, float], dict[Any, float]]:
        country: dict[Any, float] = defaultdict(float)
        admin1: dict[Any, float] = defaultdict(float)
        for n in self.names:
            own_c, own_a = self._own_masses(n)
            for k, v in own_c.items():
                country[k] += v
            for k, v in own_a.items():
                admin1[k] += v
        return country, admin1

    def _closeness(self, c: Candidate, key: str, best: dict[str, Candidate]) -> float:
        if c.feature_code in ("PCLI", "ADM1"):
            return 0.0
        nearest = math.inf
        own = _base_key(key)
        for other_key, o in best.items():
            if o.feature_code in ("PCLI", "ADM1") or _base_key(other_key) == own:
                continue
            d = haversine_km(c.latitude, c.longitude, o.latitude, o.longitude)
            if d < nearest:
                nearest = d
        if nearest == math.inf:
            return 0.0
        return math.exp(-nearest / self.r.distance_scale_km)


def _units_of(t: Toponym) -> tuple[tuple[int, int, str, str | None], ...]:
    """The units a toponym is said to lie in (older callers give only ``container``)."""
    if t.within:
        return t.within
    return ((-1, -1, t.container, None),) if t.container else ()


def _precision(c: Candidate, t: Toponym, approximate: bool) -> int:
    if c.feature_code == "ADM2" and c.source == "admin2":
        return 2  # a district: part of a region
    if c.feature_code in _AREA_CODES:
        return 3
    if t.qualifier in ("near", "distance", "region", "district") or approximate:
        return 2
    return 1


_SOFT_SIGNS = str.maketrans("", "", "’ʹʼ")


def display_name(name: str) -> str:
    """A place name as English reports and ACLED write it: without the soft-sign marks of
    romanised Cyrillic ("Ryazan’" -> "Ryazan") and without diacritics ("Tëtkino" -> "Tetkino",
    "Al Jazīrah" -> "Al Jazirah"); names in other scripts stay as they are."""
    if any(ch in name for ch in "’ʹʼ"):
        name = name.translate(_SOFT_SIGNS)
    if name.isascii():
        return name
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return plain if plain.isascii() else name


def _plain(name: str | None) -> str | None:
    return display_name(name) if name else None


def to_place(c: Candidate, precision: int, score: float = 0.0) -> Place:
    """A ``sitrep.models.Place`` for a gazetteer candidate."""
    return Place(
        name=display_name(c.name),
        country=c.country,
        iso3=c.iso3,
        admin1=c.admin1 if c.feature_code != "PCLI" else None,
        admin2=_plain(c.admin2 or (bare_name(c.name) if c.feature_code == "ADM2" else None)),
        latitude=c.latitude,
        longitude=c.longitude,
        geo_precision=precision,
        geonameid=c.geonameid,
        feature=c.feature,
        score=round(score, 3),
    )


def resolve(
    toponyms: list[Toponym],
    text: str,
    *,
    country_hint: str | None = None,
    gazetteer: Gazetteer | None = None,
    ranker: Ranker | None = None,
) -> list[PlaceMention]:
    """Resolve toponyms found in ``text`` to places; unknown names are left out, in text order.

    ``country_hint`` is an ISO alpha-2 (or alpha-3) code that tips close calls towards that country.
    """
    if not toponyms:
        return []
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    hint = _hint_code(gaz, country_hint)
    resolver = _Resolver(gaz, toponyms, hint, ranker or default_ranker(), actor_homes(text))
    chosen = resolver.run()
    districts = DistrictReader(gaz)
    approx = {n.key: n.approximate for n in resolver.names}
    out = []
    for t in sorted(toponyms, key=lambda t: t.start):
        key = _group_key(normalize(t.name), t)
        if key not in chosen:
            continue
        cand, score = chosen[key]
        place = to_place(cand, _precision(cand, t, approx[key]), score)
        stated = (
            resolver.stated_district(t, cand)
            or districts.stated(text, t.end, cand)
            or districts.stated_before(text, t.start, cand)
            or districts.stated_by_source(text, cand)
        )
        if stated is not None:
            place.admin2 = stated  # the text beats the nearest-town guess
        if cand.feature_code == "ADM1":
            town = gaz.seat(cand.country_code, cand.admin1_code)
            place.seat = (town.latitude, town.longitude) if town is not None else None
        out.append(PlaceMention(t, place, cand))
    return out


def _hint_code(gaz: Gazetteer, hint: str | None) -> str | None:
    if not hint:
        return None
    hint = hint.strip().upper()
    if len(hint) == 2:
        return hint
    for c in gaz.lookup(hint):
        if c.feature_code == "PCLI":
            return c.country_code
    import pycountry

    found = pycountry.countries.get(alpha_3=hint) if len(hint) == 3 else None
    return found.alpha_2 if found else None
