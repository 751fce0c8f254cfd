"""Events as PLOVER JSON lines (Political Language Ontology for Verifiable Event Records).

One object per event with PLOVER's field names (manual draft 0.7b1, chapter "JSON Data Fields"):
``id``, ``date``, ``event``, ``mode``, ``context``, ``actor`` and ``recipient`` (lists of actor
objects ``{code, sector, actor_text}``), ``event_loc``, ``event_text``, ``quad_code``, ``dead``,
``injured``, ``cite_info``, ``coder``, ``codebook``. The manual's draft names the actor list
``source``; later PLOVER data (POLECAT) call it ``actor``; both are written, with the same value.
ACLED sub-types map to event/mode through ``sitrep/data/plover.json``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import cache
from typing import IO, Any

from sitrep.models import Event, EventRecord
from sitrep.resources import countries, load_json
from sitrep.version import __version__


@cache
def mapping() -> dict[str, Any]:
    """The ACLED-to-PLOVER table from ``data/plover.json``."""
    data: dict[str, Any] = load_json("plover.json")
    return data


@cache
def _sector_patterns() -> list[tuple[re.Pattern[str], str]]:
    return [(re.compile(s["pattern"]), s["sector"]) for s in mapping()["actor_sectors"]]


@cache
def _country_codes() -> dict[str, str]:
    """Country names, aliases and ACLED spellings (lower case) -> ISO 3166 alpha-3."""
    codes: dict[str, str] = {}
    for c in countries():
        for name in (c.common_name, *c.aliases):
            codes.setdefault(name.casefold(), c.iso3)
    for c in countries():
        codes[c.name.casefold()] = c.iso3
    return codes


def country_code(name: str | None) -> str | None:
    """ISO 3166 alpha-3 for a country name as ACLED writes it ("the United States" too)."""
    if not name:
        return None
    key = name.strip().casefold().removeprefix("the ")
    return _country_codes().get(key)


def plover_actor(name: str, event_iso3: str | None) -> dict[str, Any]:
    """A PLOVER actor object for an ACLED actor name: country code, sector, the name as text."""
    code, sector = None, None
    for pattern, sec in _sector_patterns():
        m = pattern.search(name)
        if m:
            sector = sec
            country = m.groupdict().get("country")
            code = country_code(country) if country else None
            break
    return {"code": code or event_iso3, "sector": sector, "actor_text": name}


def _actors(value: str | None, iso3: str | None) -> list[dict[str, Any]]:
    return [plover_actor(n.strip(), iso3) for n in (value or "").split(";") if n.strip()]


def plover_record(ev: Event) -> dict[str, Any]:
    """One event as a PLOVER JSON object."""
    table = mapping()
    spec = table["sub_event_types"].get(
        ev.sub_event_type, {"event": None, "mode": None, "context": []}
    )
    category = spec["event"]
    actors = _actors(ev.actor1, ev.iso3) + _actors(ev.assoc_actor_1, ev.iso3)
    others = _actors(ev.actor2, ev.iso3) + _actors(ev.assoc_actor_2, ev.iso3)
    recipient: list[dict[str, Any]] = []
    if spec.get("two_sided"):
        actors += others
    else:
        recipient = others
    context = list(spec.get("context", []))
    if ev.background:
        context.append("historical")
    loc = None
    if ev.location or ev.latitude is not None or ev.country:
        loc = {
            "name": ev.location,
            "latitude": ev.latitude,
            "longitude": ev.longitude,
            "cc3": ev.iso3,
            "country": ev.country,
            "admin1": ev.admin1,
            "admin2": ev.admin2,
            "geo_precision": ev.geo_precision,
        }
    cites: list[dict[str, str | None]]
    if isinstance(ev, EventRecord):
        cites = [{"publication": s} for s in ev.sources]
        if ev.source_url:
            cites[0:0] = [
                {"url": ev.source_url, "publication": ev.sources[0] if ev.sources else None}
            ]
    else:
        cites = [{"url": ev.source_url, "publication": ev.source}]
    record: dict[str, Any] = {
        "id": ev.event_id,
        "has_event": category is not None,
        "date": ev.event_date.isoformat() if ev.event_date else None,
        "event": [category] if category else [],
        "mode": [spec["mode"]] if spec.get("mode") else [],
        "context": context,
        "actor": actors,
        "source": actors,
        "recipient": recipient,
        "event_loc": loc,
        "event_text": [e.text for e in ev.evidence if e.field == "event"],
        "quad_code": table["quad_codes"].get(category) if category else None,
        "dead": ev.fatalities,
        "injured": ev.injuries,
        "cite_info": cites,
        "coder": f"sitrep {__version__}",
        "codebook": table["codebook"],
        "acled_event_type": ev.event_type,
        "acled_sub_event_type": ev.sub_event_type,
    }
    if isinstance(ev, EventRecord):
        record["status"] = ev.status
        record["source_count"] = ev.source_count
        record["independent_sources"] = ev.independent_sources
    return record


def write_plover(events: Iterable[Event], out: IO[str]) -> int:
    """Write the events as PLOVER JSON lines; returns how many."""
    n = 0
    for ev in events:
        out.write(json.dumps(plover_record(ev), ensure_ascii=False) + "\n")
        n += 1
    return n
