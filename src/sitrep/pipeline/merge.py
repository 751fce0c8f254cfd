"""Merge the mentions of one event within an article (the attack, then "the blast in the base", then its toll)."""

from __future__ import annotations

import re
from typing import Any

from sitrep.geo.names import haversine_km
from sitrep.pipeline.bounds import MAX_EVENTS, MAX_EVIDENCE, UNLIMITED, Budget
from sitrep.pipeline.doc import Cluster, Mention
from sitrep.taxonomy import event_type_of

# How far apart two places may be and still be one event, by the coarser geo_precision.
_NEAR_KM = {1: 30.0, 2: 60.0, 3: 400.0}


def merge_mentions(
    mentions: list[Mention], capped: list[str] | None = None, budget: Budget = UNLIMITED
) -> list[Cluster]:
    """Group mentions into events: compatible type, place, date; 'a separate attack' starts a new one.

    At most ``MAX_EVENTS`` events, each with at most ``MAX_EVIDENCE`` mentions: a mention past
    either cap is left out, and one line saying how many is added to ``capped``.
    """
    clusters: list[Cluster] = []
    support: list[Mention] = []
    no_room = over_evidence = 0
    for m in sorted(mentions, key=lambda m: (m.sent_index, m.trigger.start)):
        budget.check()
        if m.decision is None or _no_toll(m) or (_plural_reference(m) and not m.places):
            m.support = True
            support.append(m)
            continue
        target = None if m.separate else (_named_cluster(m, clusters) or _find_cluster(m, clusters))
        if target is None and len(clusters) >= MAX_EVENTS:
            no_room += 1
        elif target is None:
            clusters.append(Cluster([m]))
        elif len(target.mentions) >= MAX_EVIDENCE:
            over_evidence += 1
        else:
            target.mentions.append(m)
    for m in support:
        budget.check()
        target = _nearest(m, clusters)
        if target is not None and len(target.mentions) >= MAX_EVIDENCE:
            over_evidence += 1
        elif target is not None:
            target.mentions.append(m)
    if capped is not None and no_room:
        capped.append(f"{no_room} mentions of events past the first {MAX_EVENTS} left out")
    if capped is not None and over_evidence:
        capped.append(f"{over_evidence} evidence items past {MAX_EVIDENCE} per event left out")
    for c in clusters:
        c.mentions.sort(key=lambda m: (m.sent_index, m.trigger.start))
    return clusters


def _named_cluster(m: Mention, clusters: list[Cluster]) -> Cluster | None:
    """An unplaced mention that names an earlier event's place ("the Kramatorsk explosion") joins it."""
    if m.places:
        return None
    words = set(re.findall(r"[A-Z][\w'’]+", m.sent.text))
    for c in reversed(clusters):
        place = c.place()
        if place is None or not compatible_type(m, c):
            continue
        names = {w for w in re.findall(r"[A-Z][\w'’]+", place.place.name) if len(w) >= 4}
        if names & words:
            return c
    return None


def _no_toll(m: Mention) -> bool:
    """'0 fatalities.', 'No casualties were reported': a toll of nothing reports no event itself."""
    return (
        m.decision is not None
        and all(h.group == "casualty" for h in m.decision.hits)
        and all(c.value == 0 for c in m.casualties)
    )


def _plural_reference(m: Mention) -> bool:
    """'the attacks', 'these strikes': a reference back to several events, not a new one."""
    return m.anaphoric and all(h.tag_ in ("NNS", "NNPS") for h in m.heads)


def _find_cluster(m: Mention, clusters: list[Cluster]) -> Cluster | None:
    for c in reversed(clusters):
        if not compatible_type(m, c):
            continue
        here, there = (m.places[0] if m.places else None), c.place()
        if here is not None and there is not None:
            if not _dates_match(m.date, c.date()) or _set_earlier(m, c):
                continue
            if places_match(here.place, there.place) and (
                m.anaphoric or _same_sub(m, c) or not _contains_only(here.place, there.place)
            ):
                return c
            continue
        if not _dates_match(m.date, c.date()):
            continue
        if here is None and (
            m.anaphoric or _same_sub(m, c) or m.sent_index - c.mentions[-1].sent_index <= 1
        ):
            return c
        if (
            there is None
            and here is not None
            and (_same_sub(m, c) or not c.best().specific)
            and not _set_earlier(m, c)
        ):
            return c
    return None


def compatible_type(m: Mention, c: Cluster) -> bool:
    """Same group, no conflicting attacker, and the same event type unless one is a default guess."""
    if m.group != c.group or m.decision is None:
        return False
    theirs_a1 = {x.actor1 for x in c.primary if x.actor1}
    parties = theirs_a1 | {x.actor2 for x in c.primary if x.actor2}
    if m.actor1 and theirs_a1 and m.actor1 not in parties:
        return False  # "the army killed 30 militants" is not the militants' attack on the train
    mine, theirs = m.decision, c.best()
    if event_type_of(mine.sub_event_type) == event_type_of(theirs.sub_event_type):
        return m.group != "strategic" or mine.sub_event_type == theirs.sub_event_type
    return m.group == "violent" and (not mine.specific or not theirs.specific)


def _same_sub(m: Mention, c: Cluster) -> bool:
    return m.decision is not None and m.decision.sub_event_type == c.best().sub_event_type


def places_match(a: Any, b: Any) -> bool:
    """Two places may be the place of one event: near each other, or one inside the other."""
    if a.latitude is None or b.latitude is None:
        return bool(a.name == b.name)
    if a.iso3 and b.iso3 and a.iso3 != b.iso3:
        return False
    coarse = max(a.geo_precision, b.geo_precision)
    if (
        a.admin1
        and b.admin1
        and a.admin1 != b.admin1
        and min(a.geo_precision, b.geo_precision) >= 2
    ):
        return False
    if coarse >= 3 and (not a.admin1 or not b.admin1 or a.admin1 == b.admin1):
        return True
    return haversine_km(a.latitude, a.longitude, b.latitude, b.longitude) <= _NEAR_KM.get(
        coarse, 60.0
    )


def _contains_only(a: Any, b: Any) -> bool:
    """The two places agree only because one is a whole country."""
    return not a.admin1 or not b.admin1


# "Earlier this month, a suicide bomber ... in Wajir": an event the text sets before the day it
# reports, at a place of its own
_EARLIER = re.compile(r"(?i)(?:earlier|previously|before that)\b")


def _set_earlier(m: Mention, c: Cluster) -> bool:
    """The mention, placed, is dated before the cluster's day by an "earlier" phrase: another
    event (an unplaced one refers back: "bases came under attack earlier this week")."""
    return _earlier_than(m.date, c.date())


def same_time(a: Cluster, b: Cluster) -> bool:
    """Whether two events' dates allow them to be one series ("Earlier this month" is not)."""
    x, y = a.date(), b.date()
    return _dates_match(x, y) and not _earlier_than(x, y) and not _earlier_than(y, x)


def _earlier_than(one: Any, other: Any) -> bool:
    """``one`` is a vague date the text sets "earlier" than the exact day ``other``."""
    return bool(
        one is not None
        and other is not None
        and one.precision > 1
        and other.precision == 1
        and _EARLIER.match(one.text)
        and one.date <= other.date
    )


def _dates_match(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return True
    if a.background != b.background:
        return False
    tolerance = {1: 1, 2: 7, 3: 31}[max(a.precision, b.precision)]
    return bool(abs((a.date - b.date).days) <= tolerance)


def _nearest(m: Mention, clusters: list[Cluster]) -> Cluster | None:
    best, best_d = None, 3
    for c in clusters:
        if c.group != m.group and not (m.group == "violent" and c.group == "protest"):
            continue
        d = min(abs(x.sent_index - m.sent_index) for x in c.mentions)
        before = all(x.sent_index <= m.sent_index for x in c.mentions[:1])
        if d < best_d or (d == best_d and before):
            best, best_d = c, d
    return best
