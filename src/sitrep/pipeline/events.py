"""Write Events from merged mentions: fields, figures, evidence, attribution, notes and a stable id."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import Any

from sitrep.models import Article, Event, Evidence, Figure, Place
from sitrep.pipeline import lexicon
from sitrep.pipeline.actors import name_the_unidentified, named_groups
from sitrep.pipeline.doc import Cluster
from sitrep.pipeline.merge import same_time
from sitrep.pipeline.notes import write_notes
from sitrep.taxonomy import event_type_of

_EXPLOSIONS = "Explosions/Remote violence"
# How long before publication a dated event stops being news and becomes background.
_BACKGROUND_DAYS = 30
# How many sentences apart two reports may be and still describe one series of strikes.
_SERIES_SENTENCES = 6


def build_events(
    art: Article,
    clusters: list[Cluster],
    places: list[Any],
    replies: dict[int, Any] | None = None,
    statements: list[Any] | None = None,
) -> list[Event]:
    """One Event per cluster that has enough substance to be an event.

    ``replies`` maps sentence indices to (Span, parsed sentence) of denials and confirmations that
    may follow a report; one right after an event's sentence joins its attribution.
    """
    replies = replies or {}
    clusters = [c for c in clusters if _substantial(c)]
    _propagate_sub_types(clusters)
    events = [
        _event(art, c, _news_date(art, c, clusters), places, replies, statements or [])
        for c in clusters
    ]
    return _unique_ids([e for e in events if e is not None])


def _unique_ids(events: list[Event]) -> list[Event]:
    """Two events of one article never share an id (the store keys events by article and id)."""
    seen: set[str] = set()
    for ev in events:
        n = 1
        while ev.event_id in seen:
            n += 1
            ev.event_id = _event_id(ev.article_id, ev.sub_event_type, ev.evidence, n)
        seen.add(ev.event_id)
    return events


def _event_id(article_id: str, sub: str, evidence: list[Evidence], n: int = 1) -> str:
    """Stable over runs: the article, the sub-type and where the evidence starts (and its order)."""
    first = evidence[0].start if evidence else 0
    key = f"{article_id}|{sub}|{first}" + (f"|{n}" if n > 1 else "")
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def _substantial(c: Cluster) -> bool:
    """A default-typed mention with no place, no casualties and no date is too vague to be an event."""
    best = c.best()
    has_casualties = any(x.value > 0 for m in c.mentions for x in m.casualties)
    place = c.place()
    whole_country = place is not None and _whole_country(place.place)
    if whole_country and c.date() is None and not has_casualties and not best.learned:
        return False  # "the Russia attack on Ukraine": a whole war, not an event (unless the typer
        # read the sentence as the report of one)
    # a short text's event the typer confirmed stands without a place: the village may be missing
    # from the gazetteer ("an explosion damaged a truck in <hamlet>")
    return best.specific or best.learned or place is not None or has_casualties


def _whole_country(p: Place) -> bool:
    """A country rather than a place in it (a capital without an admin1 code is still a place)."""
    if p.feature:
        return p.feature.startswith("A.PCL")
    return not p.admin1 and p.geo_precision >= 3


def _propagate_sub_types(clusters: list[Cluster]) -> None:
    """An explosion of unknown kind takes the kind of the article's other remote-violence events.

    Reports of a series ("attacks on air bases", "a separate attack ... apparently a drone strike")
    often name the weapon for one event only.
    """
    sources = [
        c
        for c in clusters
        if c.best().specific
        and event_type_of(c.best().sub_event_type) == _EXPLOSIONS
        and not _background(c)
    ]
    for c in clusters:
        best = c.best()
        if best.specific or c.group != "violent":
            continue
        near = [s for s in sources if _distance(s, c) <= _SERIES_SENTENCES and same_time(s, c)]
        if not near:
            continue
        top = max((s.best() for s in near), key=lambda d: d.confidence)
        if event_type_of(best.sub_event_type) in (_EXPLOSIONS, "Battles"):
            best.sub_event_type = top.sub_event_type
            best.confidence = round(min(best.confidence, top.confidence) * 0.8, 3)


def _distance(a: Cluster, b: Cluster) -> int:
    return min(abs(x.sent_index - y.sent_index) for x in a.mentions for y in b.mentions)


def _news_date(art: Article, cluster: Cluster, clusters: list[Cluster]) -> Any:
    """For an undated event, the date of the nearest recent dated event the article reports with it."""
    pub = art.published.date() if art.published else None
    here = cluster.mentions[0].sent_index
    best, best_d = None, 10**9
    for c in clusters:
        d = c.date()
        if c is cluster or d is None or d.background:
            continue
        if pub is not None and not timedelta(0) <= pub - d.date <= timedelta(days=14):
            continue
        dist = min(abs(m.sent_index - here) for m in c.mentions)
        if dist < best_d:
            best, best_d = d, dist
    return best


def _event(
    art: Article,
    c: Cluster,
    news_date: Any,
    places: list[Any],
    replies: dict[int, Any],
    statements: list[Any],
) -> Event | None:
    from sitrep.pipeline.casualties import conservative
    from sitrep.pipeline.claims import attribute

    best = c.best()
    sub = best.sub_event_type
    etype = event_type_of(sub)
    main = c.primary[0] if c.primary else c.mentions[0]
    pub = art.published.date() if art.published else None

    event_date, precision, background = _date(c, news_date, pub)
    place = _place(c, places)
    point = _point(place)
    country = lexicon.country_by_iso3(place.iso3) if place else None

    fatalities = [x for m in c.mentions for x in m.casualties if x.kind == "fatalities"]
    injuries = [x for m in c.mentions for x in m.casualties if x.kind == "injuries"]
    figures = [Figure(x.kind, x.value, x.text, None) for x in fatalities + injuries]

    reporting = c.primary or c.mentions
    targets = {m.actor2 for m in reporting if m.actor2}
    actor1 = next((m.actor1 for m in reporting if m.actor1 and m.actor1 not in targets), None)
    actor2 = next((m.actor2 for m in reporting if m.actor2 and m.actor2 != actor1), None)
    people_only = all(a.startswith(_PEOPLE) for m in reporting for a in (m.actor1, m.actor2) if a)
    if not best.learned:
        sub = _retype_by_actor(sub, actor1 if people_only else None)
    elif (
        best.ruled and sub == "Mob violence" and actor1 and not actor1.startswith(_PEOPLE + _STATE)
    ):
        # a mob is not an armed group: "gunmen attacked villages" keeps the rules' type
        sub = best.ruled
    etype = event_type_of(sub)
    actor1, actor2 = _default_actors(sub, actor1, actor2, country)
    actor1, actor2 = name_the_unidentified(actor1, actor2, named_groups(art.text, country))

    weapons: list[str] = []
    for m in c.mentions:
        for w in m.weapons:
            if w.name not in weapons:
                weapons.append(w.name)
    # "bomber" says nothing that "Su-34 bomber" does not
    weapons = [w for w in weapons if not any(o != w and o.endswith(" " + w) for o in weapons)]

    evidence = _evidence(c)
    docs = [m.doc for m in c.mentions]
    offsets = [m.sent.start for m in c.mentions]
    unique: dict[int, Any] = {}
    for d, o in zip(docs, offsets, strict=True):
        unique.setdefault(o, d)
    own = {m.sent_index for m in c.primary}
    for i in sorted(own):
        if i + 1 in replies and i + 1 not in own:
            span, doc = replies[i + 1]
            unique.setdefault(span.start, doc)
            evidence.append(Evidence(span.text, span.start, span.end, "attribution"))
    anchor = c.primary[0].trigger.start if c.primary else None
    attribution = attribute(
        list(unique.values()), list(unique.keys()), anchor=anchor, statements=statements
    )

    confidence = min(0.99, best.confidence + 0.05 * (len(c.primary) - 1))
    ev = Event(
        article_id=art.id,
        event_id=_event_id(art.id, sub, evidence),
        event_type=etype,
        sub_event_type=sub,
        confidence=round(confidence, 3),
        event_date=event_date,
        time_precision=precision,
        actor1=actor1,
        actor2=actor2,
        country=country.name if country else (place.country if place else None),
        iso3=place.iso3 if place else None,
        admin1=place.admin1 if place else None,
        admin2=place.admin2 if place else None,
        location=place.name if place else None,
        latitude=point[0] if point else None,
        longitude=point[1] if point else None,
        geo_precision=place.geo_precision if place else None,
        fatalities=conservative([x.value for x in fatalities]),
        injuries=conservative([x.value for x in injuries]),
        weapons=weapons,
        background=background,
        civilian_targeting=etype == "Violence against civilians"
        or (actor2 or "").startswith("Civilians"),
        figures=figures,
        attribution=attribution,
        evidence=evidence,
        source=art.publisher,
        source_url=art.url,
        published=art.published,
    )
    ev.notes = write_notes(ev)
    del main
    return ev


def _point(place: Place | None) -> tuple[float, float] | None:
    """The event's coordinates: its place's point, or for an event known only at a region's level
    the region's largest town (ACLED's provincial capital), where coders put it."""
    if place is None or place.latitude is None or place.longitude is None:
        return None
    if place.seat is not None and place.geo_precision == 3:
        return place.seat
    return (place.latitude, place.longitude)


def _date(c: Cluster, news_date: Any, pub: date | None) -> tuple[date | None, int, bool]:
    d = c.date()
    if d is not None:
        background = d.background or (pub is not None and (pub - d.date).days > _BACKGROUND_DAYS)
        return d.date, d.precision, background
    if news_date is not None:
        return news_date.date, max(2, news_date.precision), False
    return pub, 2, False


def _place(c: Cluster, places: list[Any]) -> Place | None:
    """The most precise place named for the event; else a place named next to it, at coarser precision."""
    named = [m.places[0] for m in c.mentions if m.places]
    if named:
        best = min(named, key=_precision_rank).place
        # "the Kharkiv region" ... "in Kharkiv": a bare name that repeats a region named for the
        # same event does not make the event's place more precise than the report says
        regions = [pm.place for pm in named if pm.place.geo_precision == 3 and pm.place.admin1]
        if any(r.name == best.name and r.admin1 == best.admin1 for r in regions):
            best = next(r for r in regions if r.name == best.name)
        # "a checkpoint near Jowhar" and later "in Jowhar": the careful reading ("near") wins
        near = [
            pm.place for pm in named if pm.place.name == best.name and pm.place.geo_precision == 2
        ]
        return near[0] if near else best
    return _context_place(c, places)


# an alert's location prefix: a few capitalised words with commas, then a colon or a dash
_LOCATION_PREFIX = re.compile(
    r"\s*([A-Z][\w'’.-]*(?:[ ,]+[A-Z(][\w'’.()-]*){0,5})\s*(?::|\s[—–-]\s)"
)

# How far (in characters) before or after an unplaced report a place may be named and still be taken
# as the event's likely place, at coarser precision.
_CONTEXT_CHARS = 400


def _context_place(c: Cluster, places: list[Any]) -> Place | None:
    """For a report that names no place: a town named just before (or after) it, as "near" (precision
    2); else the article's main admin1 region or country, as a region (precision 3). ACLED's coders
    place such events from the article's context in the same way."""
    import dataclasses

    start = min(m.sent.start for m in c.mentions)
    end = max(m.sent.end for m in c.mentions)
    usable = [pm for pm in places if pm.place.iso3 and pm.place.latitude is not None]
    # "Mossuril, Nampula: insurgents torch a church": an alert's leading place is where it happened
    for m in c.mentions:
        head = _LOCATION_PREFIX.match(m.sent.text)
        if head:
            lead = [
                pm
                for pm in usable
                if m.sent.start <= pm.toponym.start < m.sent.start + head.end(1) and pm.place.admin1
            ]
            if lead:
                first: Place = min(lead, key=lambda pm: pm.place.geo_precision).place
                return first
    # "on the Dikwa axis east of Maiduguri": a town the report's own sentence names, though not
    # as the event's place, before one named in the sentences around it
    within = [pm for pm in usable if start <= pm.toponym.start < end]
    before = [pm for pm in usable if start - _CONTEXT_CHARS <= pm.toponym.start < start]
    after = [pm for pm in usable if end <= pm.toponym.start < end + _CONTEXT_CHARS]
    # the units qualifying a town ("Namialo (Meconta district, Nampula)") are no towns of their own
    units = {(w[0], w[1]) for pm in usable for w in pm.toponym.within}
    towns = [
        pm
        for pm in [*within, *reversed(before), *after]
        if pm.place.admin1
        and pm.place.geo_precision <= 2
        and (pm.toponym.start, pm.toponym.end) not in units
    ]
    if towns:
        place: Place = dataclasses.replace(towns[0].place, geo_precision=2)
        return place
    regions: dict[tuple[str, str], list[Any]] = {}
    for pm in usable:
        if pm.place.admin1:
            regions.setdefault((pm.place.iso3, pm.place.admin1), []).append(pm)
    if regions:
        top = max(regions.values(), key=len)
        if len(top) >= 2:
            area = next((pm.place for pm in top if pm.place.geo_precision == 3), top[0].place)
            return dataclasses.replace(area, geo_precision=3) if area.geo_precision == 3 else None
    return None


_STATE = ("Military Forces of", "Police Forces of", "Government of")
_PEOPLE = ("Civilians", "Protesters", "Rioters", "Journalists")


def _retype_by_actor(sub: str, actor1: str | None) -> str:
    """ACLED's actor rules: unorganised crowds riot rather than fight; states regain, rebels overtake."""
    if actor1 is None:
        return sub
    if sub in ("Attack", "Armed clash"):
        if actor1.startswith(("Civilians", "Rioters")):
            return "Mob violence"
        if actor1.startswith("Protesters"):
            return "Violent demonstration"
    if sub == "Non-state actor overtakes territory" and actor1.startswith(_STATE):
        return "Government regains territory"
    if sub == "Government regains territory" and not actor1.startswith(_STATE):
        return "Non-state actor overtakes territory"
    return sub


def _precision_rank(pm: Any) -> tuple[int, int]:
    p = pm.place
    return (p.geo_precision, 1 if not p.admin1 or (p.feature or "").startswith("A.PCL") else 0)


def _default_actors(
    sub: str, a1: str | None, a2: str | None, country: Any
) -> tuple[str | None, str | None]:
    """Put actors where ACLED's coding rules put them for each sub-event type."""
    from sitrep.pipeline.actors import actor_country_name

    where = f" ({country.name})" if country else ""
    state = actor_country_name(country) if country else None
    people = ("Civilians", "Protesters", "Journalists", "Rioters")
    if sub in _PROTEST_SUBS:
        crowd = next(
            (a for a in (a1, a2) if a and a.startswith("Protesters")), f"Protesters{where}"
        )
        force = next((a for a in (a1, a2) if a and a.startswith(_STATE)), None)
        if force is None and state and sub != "Peaceful protest":
            force = f"Police Forces of {state}"
        if sub == "Peaceful protest":
            return crowd, None
        if sub == "Excessive force against protesters":
            return force, crowd  # ACLED: the force that used lethal violence acts on the protesters
        return crowd, force
    if sub == "Violent demonstration" and a1 is None:
        a1 = f"Rioters{where}"
    if sub == "Arrests":
        if a1 is not None and not a1.startswith(_STATE):
            a1, a2 = None, a2 or a1  # the arrested are acted upon
        if a1 is None and state:
            a1 = f"Police Forces of {state}"
    if sub in ("Attack", "Abduction/forced disappearance", "Sexual violence"):
        if a1 and a1.startswith(people) and a2 and not a2.startswith(people):
            a1, a2 = a2, a1  # the armed side acts on the civilians
        if a2 is None:
            a2 = f"Civilians{where}"
    if a1 == a2:
        a2 = None
    return a1, a2


_PROTEST_SUBS = (
    "Peaceful protest",
    "Protest with intervention",
    "Excessive force against protesters",
)


def _evidence(c: Cluster) -> list[Evidence]:
    out: list[Evidence] = []
    seen: set[tuple[int, str]] = set()

    def add(m: Any, fld: str) -> None:
        if (m.sent.start, fld) not in seen:
            seen.add((m.sent.start, fld))
            out.append(Evidence(m.sent.text, m.sent.start, m.sent.end, fld))

    for m in c.mentions:
        add(m, "event")
    for m in c.mentions:
        if m.date is not None:
            add(m, "date")
        if m.places:
            add(m, "location")
        if m.actor1 or m.actor2:
            add(m, "actors")
        if any(x.kind == "fatalities" for x in m.casualties):
            add(m, "fatalities")
        if any(x.kind == "injuries" for x in m.casualties):
            add(m, "injuries")
        if m.weapons:
            add(m, "weapons")
    return out


def _background(c: Cluster) -> bool:
    """The cluster's date says it is a past event told as background."""
    date = c.date()
    return date is not None and date.background
