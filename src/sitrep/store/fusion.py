"""Fusion: does a mention from a new article report an event already in the store? No SQL here.

Blocking keeps the comparison small whatever the size of the store: an event is indexed under the
keys of its place (a grid cell of ``grid_degrees``, its admin1, its country) with its date window, and
a mention looks only at events filed under its own search keys whose windows come within a day of its
window (``index_keys``, ``search_keys``, ``search_window``). Each candidate then gets a compatibility
score from its type, date, place, actors and evidence words (``score``); ``best_match`` keeps the best
candidate that reaches the threshold. The settings are data: ``sitrep/data/fusion.json``.
"""

from __future__ import annotations

import calendar
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any

from sitrep.models import Event
from sitrep.resources import load_json

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def settings() -> dict[str, Any]:
    """The fusion settings from ``data/fusion.json`` (loaded once)."""
    data: dict[str, Any] = load_json("fusion.json")
    return data


@dataclass(frozen=True)
class Sketch:
    """A mention or a stored event reduced to what decides whether two reports are one event."""

    event_type: str
    sub_event_type: str
    day_from: int  # date window as proleptic ordinals (date.toordinal())
    day_to: int
    time_precision: int
    iso3: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    actors: frozenset[str] = frozenset()
    terms: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()  # article keys already reporting the event
    event_id: int | None = None  # the stored event's row id, for candidates


@dataclass(frozen=True)
class Match:
    """The candidate a mention joins, with its score and the part scores behind it."""

    event_id: int
    score: float
    parts: dict[str, float] = field(default_factory=dict)


# -- dates -------------------------------------------------------------------------------------


def date_window(
    event_date: date | None, time_precision: int, published: datetime | None = None
) -> tuple[int, int]:
    """The days a mention's date may mean: the day, the week around it, or its calendar month."""
    cfg = settings()["date"]
    if event_date is None:
        if published is None:
            return (0, 0)
        end = published.date().toordinal()
        return (end - int(cfg["undated_days_before_publication"]), end)
    day = event_date.toordinal()
    if time_precision <= 1:
        return (day, day)
    if time_precision == 2:
        half = int(cfg["week_half_days"])
        return (day - half, day + half)
    last = calendar.monthrange(event_date.year, event_date.month)[1]
    return (event_date.replace(day=1).toordinal(), event_date.replace(day=last).toordinal())


def search_window(sketch: Sketch) -> tuple[int, int, int]:
    """``(lo, hi, min_to)``: index rows with ``lo <= day_from <= hi`` and ``day_to >= min_to``."""
    cfg = settings()["date"]
    gap = int(cfg["max_gap_days"])
    span = int(cfg["max_window_days"])
    return (sketch.day_from - span - gap, sketch.day_to + gap, sketch.day_from - gap)


def clip_window(day_from: int, day_to: int) -> tuple[int, int]:
    """An index window no longer than ``max_window_days`` (the bound ``search_window`` relies on)."""
    span = int(settings()["date"]["max_window_days"])
    return (max(day_from, day_to - span), day_to)


def date_score(a: Sketch, b: Sketch) -> float | None:
    """How well two date windows agree; None when they are more than a day apart."""
    cfg = settings()["date"]
    gap = max(a.day_from, b.day_from) - min(a.day_to, b.day_to)
    if gap > int(cfg["max_gap_days"]):
        return None
    if a.time_precision <= 1 and b.time_precision <= 1:
        return float(cfg["score_same_day"] if a.day_from == b.day_from else cfg["score_next_day"])
    if max(a.time_precision, b.time_precision) >= 3:
        return float(cfg["score_month"])
    return float(cfg["score_week"])


# -- places ------------------------------------------------------------------------------------


def place_level(s: Sketch) -> str:
    """``point`` (coordinates of a town or near one), ``region``, ``country`` or ``none``."""
    if s.latitude is not None and s.longitude is not None and (s.geo_precision or 3) <= 2:
        return "point"
    if s.admin1 and s.iso3:
        return "region"
    if s.iso3:
        return "country"
    return "none"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _radius(precision: int | None) -> float:
    radii = settings()["place"]["radius_km"]
    return float(radii.get(str(precision or 1), max(float(v) for v in radii.values())))


def _same(a: str | None, b: str | None) -> bool:
    return bool(a and b and a.casefold() == b.casefold())


def place_score(a: Sketch, b: Sketch) -> float | None:
    """How well two places agree; None when they cannot be the same place."""
    cfg = settings()["place"]
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return None
    la, lb = place_level(a), place_level(b)
    if la == "none" or lb == "none":
        return float(cfg["score_no_place"]) if la == lb else None
    if la == "point" and lb == "point":
        assert a.latitude is not None and a.longitude is not None
        assert b.latitude is not None and b.longitude is not None
        d = distance_km(a.latitude, a.longitude, b.latitude, b.longitude)
        r = max(_radius(a.geo_precision), _radius(b.geo_precision))
        if d > r:
            return None
        return 1.0 - (1.0 - float(cfg["score_far_end"])) * min(d, r) / r
    if la == "country" or lb == "country":
        return float(cfg["score_country"]) if a.iso3 and a.iso3 == b.iso3 else None
    return float(cfg["score_region"]) if _same(a.admin1, b.admin1) else None


def _cell(lat: float, lon: float) -> tuple[int, int]:
    g = float(settings()["place"]["grid_degrees"])
    return (math.floor(lat / g), math.floor(lon / g))


def _region(s: Sketch) -> str:
    return f"{s.iso3}:{(s.admin1 or '').casefold()}"


def index_keys(s: Sketch) -> list[str]:
    """The blocking keys a stored event is filed under."""
    level = place_level(s)
    if level == "point":
        assert s.latitude is not None and s.longitude is not None
        y, x = _cell(s.latitude, s.longitude)
        keys = [f"g:{y}:{x}"]
        if s.admin1 and s.iso3:
            keys.append(f"a:{_region(s)}")
        if s.iso3:
            keys.append(f"c:{s.iso3}")
        return keys
    if level == "region":
        return [f"r:{_region(s)}", f"c:{s.iso3}"]
    if level == "country":
        return [f"n:{s.iso3}"]
    return ["x"]


def search_keys(s: Sketch) -> list[str]:
    """The blocking keys under which a mention's possible matches are filed."""
    level = place_level(s)
    if level == "point":
        assert s.latitude is not None and s.longitude is not None
        reach = max(_radius(1), _radius(2))
        dlat = reach / 111.0
        dlon = reach / (111.0 * max(0.05, math.cos(math.radians(s.latitude))))
        y0, x0 = _cell(s.latitude - dlat, s.longitude - dlon)
        y1, x1 = _cell(s.latitude + dlat, s.longitude + dlon)
        keys = [f"g:{y}:{x}" for y in range(y0, y1 + 1) for x in range(x0, x1 + 1)]
        if s.admin1 and s.iso3:
            keys.append(f"r:{_region(s)}")
        if s.iso3:
            keys.append(f"n:{s.iso3}")
        return keys
    if level == "region":
        return [f"a:{_region(s)}", f"r:{_region(s)}", f"n:{s.iso3}"]
    if level == "country":
        return [f"c:{s.iso3}", f"n:{s.iso3}"]
    return ["x"]


# -- types, actors, words ----------------------------------------------------------------------


@cache
def _compatible() -> dict[frozenset[str], float]:
    table: dict[frozenset[str], float] = {}
    for a, b, value in settings()["compatible"]:
        table[frozenset((a, b))] = float(value)
    return table


def type_score(a: Sketch, b: Sketch) -> float:
    """1 for the same sub-type; 0 when the two types cannot describe one event."""
    if a.sub_event_type == b.sub_event_type:
        return 1.0
    cfg = settings()
    if a.event_type == b.event_type and a.event_type not in cfg["distinct_sub_types"]:
        return float(cfg["same_event_type"])
    table = _compatible()
    best = 0.0
    for x in (a.sub_event_type, a.event_type):
        for y in (b.sub_event_type, b.event_type):
            best = max(best, table.get(frozenset((x, y)), 0.0))
    return best


@cache
def generic_prefixes() -> tuple[str, ...]:
    """Lower-case prefixes of actor names that match any actor ("unidentified armed group", ...)."""
    return tuple(p.casefold() for p in settings()["actors"]["generic_prefixes"])


def actor_names(ev: Event) -> frozenset[str]:
    """The specific actor names of an event (generic ones such as unidentified groups left out)."""
    prefixes = generic_prefixes()
    names: set[str] = set()
    for value in (ev.actor1, ev.actor2, ev.assoc_actor_1, ev.assoc_actor_2):
        for name in (value or "").split(";"):
            name = name.strip().casefold()
            if name and not name.startswith(prefixes):
                names.add(name)
    return frozenset(names)


def actor_score(a: Sketch, b: Sketch) -> float:
    """Agreement of the specific actors named: overlap of the two sets, neutral when one is empty."""
    cfg = settings()["actors"]
    if not a.actors or not b.actors:
        return float(cfg["unknown"])
    overlap = len(a.actors & b.actors) / min(len(a.actors), len(b.actors))
    floor = float(cfg["floor"])
    return floor + (1.0 - floor) * overlap


def words(texts: Iterable[str]) -> Counter[str]:
    """Content words of ``texts`` with their counts (lower case, no stop words)."""
    cfg = settings()["text"]
    stop = _stopwords()
    minimum = int(cfg["min_length"])
    counts: Counter[str] = Counter()
    for text in texts:
        for w in _WORD.findall(text.casefold()):
            if len(w) >= minimum and w not in stop:
                counts[w] += 1
    return counts


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(settings()["text"]["stopwords"])


def event_terms(ev: Event) -> Counter[str]:
    """The words a mention contributes to matching: its event evidence, notes and place names."""
    texts = [e.text for e in ev.evidence if e.field in ("event", "location")]
    texts += [ev.notes, ev.location or "", ev.admin1 or ""]
    return words(texts)


def top_terms(counts: Counter[str]) -> frozenset[str]:
    """The most frequent words an event keeps for matching."""
    n = int(settings()["text"]["max_terms"])
    return frozenset(w for w, _ in counts.most_common(n))


def text_score(a: Sketch, b: Sketch) -> float:
    """Overlap coefficient of the two word sets (0 when either has none)."""
    if not a.terms or not b.terms:
        return 0.0
    return len(a.terms & b.terms) / min(len(a.terms), len(b.terms))


# -- sketches, scores, matches -----------------------------------------------------------------


def sketch_mention(ev: Event, article_key: str) -> Sketch:
    """The sketch of one extracted mention."""
    lo, hi = date_window(ev.event_date, ev.time_precision, ev.published)
    return Sketch(
        event_type=ev.event_type,
        sub_event_type=ev.sub_event_type,
        day_from=lo,
        day_to=hi,
        time_precision=ev.time_precision if ev.event_date else 3,
        iso3=ev.iso3,
        admin1=ev.admin1,
        location=ev.location,
        latitude=ev.latitude,
        longitude=ev.longitude,
        geo_precision=ev.geo_precision,
        actors=actor_names(ev),
        terms=top_terms(event_terms(ev)),
        articles=frozenset({article_key}),
    )


def score(mention: Sketch, event: Sketch) -> Match | None:
    """The compatibility of a mention with a stored event; None when they cannot be one event."""
    cfg = settings()
    t = type_score(mention, event)
    if t <= 0.0:
        return None
    d = date_score(mention, event)
    if d is None:
        return None
    p = place_score(mention, event)
    if p is None:
        return None
    parts = {
        "type": t,
        "date": d,
        "place": p,
        "actors": actor_score(mention, event),
        "text": text_score(mention, event),
    }
    weights = cfg["weights"]
    total = sum(float(weights[k]) * v for k, v in parts.items())
    if parts["text"] >= float(cfg["text"]["strong"]):
        total += float(cfg["text"]["strong_bonus"])
    if mention.articles & event.articles:
        # the extractor already decided these are separate events of one article
        total -= float(cfg["same_article_penalty"])
    assert event.event_id is not None
    return Match(event_id=event.event_id, score=round(total, 4), parts=parts)


def best_match(mention: Sketch, candidates: Sequence[Sketch]) -> Match | None:
    """The candidate the mention joins: the best score at or above the threshold, else None."""
    threshold = float(settings()["threshold"])
    best: Match | None = None
    for cand in candidates:
        m = score(mention, cand)
        if m is None or m.score < threshold:
            continue
        if best is None or (m.score, -m.event_id) > (best.score, -best.event_id):
            best = m
    return best
