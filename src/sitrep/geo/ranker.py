"""The candidate ranker: a logistic regression over features of each gazetteer candidate of a name.

A candidate's score is ``weights · features``; the resolver turns the scores of one name's
candidates into probabilities (softmax) and refines the context features over a few rounds.
Features: the candidate's kind (feature code), population, how its name matched, whether the text
qualifies it ("X region", "X raion", "X, Y", "X (District, Region)"), and the article's context
(how much the other names point to its country and admin1 region, its distance to the other
places chosen, the dateline's country).

The score is a prior (the hand-set weights the resolver had, tuned on LGL's first half) times a
learned factor plus learned corrections per feature (``data/geo/ranker.json``): a logistic
regression regularised towards what was known to work, learned by ``scripts/train_ranker.py`` from
the tuning half of LGL and the team's place-annotated notes (``corpus/places/train``); nothing of
LGL's other half or of the held-aside notes is seen in training.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sitrep.geo.gazetteer import Candidate
from sitrep.resources import load_json

_AREA_CODES = ("PCLI", "ADM1", "ADM2", "CONT", "PPLC", "PPLA", "AIRB", "AIRP", "AIRF", "ISL")
_NATURAL = frozenset({"RGN", "SEA", "GULF", "OCN", "STRT", "PEN", "RGNE", "ZN"})

FEATURES: tuple[str, ...] = (
    *(f"code:{c}" for c in _AREA_CODES),
    "code:natural",
    "log_population",
    "unit_log_population",
    "unknown_population",
    "match:alt",
    "match:abbr",
    "match:demonym",
    "match:stem",
    "match:fuzzy",
    "alt_shadowed",
    "named_after_town",
    "town_named_like_region",
    "namesake_town_share",
    "region_says:ADM1",
    "region_says:ADM2",
    "region_says:PCLI",
    "district_says:ADM2",
    "hint",
    "actor_country",
    "actor_admin1",
    "container",
    "container_admin2",
    "base_near_town",
    "country_context",
    "admin1_context",
    "closeness",
)
INDEX = {name: i for i, name in enumerate(FEATURES)}


def named_after_town(c: Candidate, others: Sequence[Candidate]) -> bool:
    """An admin1 region named after a town of its country (Belgorod Oblast and Belgorod; Kyiv
    Oblast and the city of Kyiv, a region of its own): a bare name means the town."""
    return c.feature_code == "ADM1" and any(
        o.feature_class == "P"
        and o.country_code == c.country_code
        and o.match in ("name", "alt")
        and o.population >= 1000
        for o in others
    )


@dataclass(frozen=True)
class ActorHomes:
    """Countries and admin1 regions (CC.A1) of the actors a text names."""

    countries: frozenset[str] = frozenset()
    regions: frozenset[str] = frozenset()


NO_ACTORS = ActorHomes()


@cache
def _actor_patterns() -> tuple[tuple[re.Pattern[str], str, str | None], ...]:
    out = []
    for actor in load_json("geo", "actor_places.json")["actors"]:
        names = "|".join(re.escape(n) for n in sorted(actor["names"], key=len, reverse=True))
        out.append(
            (re.compile(rf"(?<![\w-])(?:{names})(?![\w-])"), actor["country"], actor["admin1"])
        )
    return tuple(out)


def actor_homes(text: str) -> ActorHomes:
    """Where the actors named in ``text`` are based (``data/geo/actor_places.json``)."""
    countries, regions = set(), set()
    for rx, country, admin1 in _actor_patterns():
        if rx.search(text):
            countries.add(country)
            if admin1:
                regions.add(admin1)
    return ActorHomes(frozenset(countries), frozenset(regions))


def prior_features(
    c: Candidate,
    others: Sequence[Candidate],
    qualifier: str | None,
    hint: str | None,
    actors: ActorHomes = NO_ACTORS,
) -> list[float]:
    """The features that do not depend on the article's other places."""
    f = [0.0] * len(FEATURES)
    code = c.feature_code
    if f"code:{code}" in INDEX:
        f[INDEX[f"code:{code}"]] = 1.0
    elif code in _NATURAL:
        f[INDEX["code:natural"]] = 1.0
    if c.feature_class in ("P", "S"):
        f[INDEX["log_population"]] = math.log10(1 + c.population)
    elif code == "ADM2" and c.source == "admin2":
        # a district's people (its towns'): Essex the county against Essex, Massachusetts
        f[INDEX["unit_log_population"]] = math.log10(1 + c.population)
        if c.population == 0 and c.feature_class == "P":
            f[INDEX["unknown_population"]] = 1.0  # village layers give no population
    if f"match:{c.match}" in INDEX:
        f[INDEX[f"match:{c.match}"]] = 1.0
    if c.match == "alt" and any(o.match == "name" for o in others):
        f[INDEX["alt_shadowed"]] = 1.0  # another place bears this name as its main name
    if qualifier == "region" and code in ("ADM1", "ADM2", "PCLI"):
        f[INDEX[f"region_says:{code}"]] = 1.0
    elif qualifier == "district" and code == "ADM2":
        f[INDEX["district_says:ADM2"]] = 1.0
    elif qualifier not in ("region", "district") and named_after_town(c, others):
        f[INDEX["named_after_town"]] = 1.0
    if (
        qualifier not in ("region", "district")
        and c.feature_class == "P"
        and any(o.feature_code == "ADM1" and o.country_code == c.country_code for o in others)
    ):
        f[INDEX["town_named_like_region"]] = 1.0  # "Kharkiv": the city, or Kharkiv Oblast
    if code == "ADM1" and qualifier not in ("region", "district") and c.population > 0:
        # how much of the region's people live in a town of its name: Kharkiv city holds half of
        # Kharkiv Oblast (a bare "Kharkiv" is the city); Texas, Texas holds none of the state
        towns = [
            o.population
            for o in others
            if o.feature_class == "P" and o.country_code == c.country_code and o.match != "stem"
        ]
        if towns:
            f[INDEX["namesake_town_share"]] = min(1.0, max(towns) / c.population)
    if hint and c.country_code == hint:
        f[INDEX["hint"]] = 1.0
    if c.country_code in actors.countries and code != "PCLI":
        f[INDEX["actor_country"]] = 1.0
        if f"{c.country_code}.{c.admin1_code}" in actors.regions:
            f[INDEX["actor_admin1"]] = 1.0
    return f


@dataclass(frozen=True)
class Ranker:
    """The resolver's scoring: hand-set prior weights (the former resolver's, tuned on LGL's first
    half), scaled by a learned factor, plus learned corrections per feature; and its settings."""

    prior: tuple[float, ...]
    prior_weight: float
    weights: tuple[float, ...]
    iterations: int
    min_score: float
    distance_scale_km: float
    base_near_town_km: float
    meta: dict[str, Any]

    def prior_score(self, features: Sequence[float]) -> float:
        return sum(w * x for w, x in zip(self.prior, features, strict=True))

    def score(self, features: Sequence[float]) -> float:
        learned = sum(w * x for w, x in zip(self.weights, features, strict=True))
        return self.prior_weight * self.prior_score(features) + learned


def ranker_from(data: dict[str, Any]) -> Ranker:
    """A ranker from its JSON form (unknown or missing features weigh 0)."""
    by_name = dict(zip(data["features"], data["weights"], strict=True))
    prior = data.get("prior", {})
    return Ranker(
        prior=tuple(float(prior.get(name, 0.0)) for name in FEATURES),
        prior_weight=float(data.get("prior_weight", 0.0)),
        weights=tuple(float(by_name.get(name, 0.0)) for name in FEATURES),
        iterations=int(data["iterations"]),
        min_score=float(data["min_score"]),
        distance_scale_km=float(data["distance_scale_km"]),
        base_near_town_km=float(data["base_near_town_km"]),
        meta={k: v for k, v in data.items() if k not in ("features", "weights")},
    )


@cache
def default_ranker() -> Ranker:
    """The shipped ranker (``data/geo/ranker.json``)."""
    return ranker_from(load_json("geo", "ranker.json"))
