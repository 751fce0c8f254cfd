"""One-sentence notes in ACLED's style, written from an Event's fields."""

from __future__ import annotations

from sitrep.models import Event

# What actor1 did, by sub-event type (ACLED notes read "On <date>, <actor1> <did> ... in <place>.").
_VERBS = {
    "Armed clash": "clashed with",
    "Government regains territory": "regained control of territory from",
    "Non-state actor overtakes territory": "took control of territory from",
    "Chemical weapon": "used chemical weapons against",
    "Air/drone strike": "carried out an air/drone strike on",
    "Suicide bomb": "carried out a suicide bombing against",
    "Shelling/artillery/missile attack": "shelled or fired missiles at",
    "Remote explosive/landmine/IED": "detonated an explosive device against",
    "Grenade": "threw a grenade at",
    "Sexual violence": "committed sexual violence against",
    "Attack": "attacked",
    "Abduction/forced disappearance": "abducted",
    "Peaceful protest": "demonstrated",
    "Protest with intervention": "demonstrated and were dispersed or detained by",
    "Excessive force against protesters": "demonstrated and were met with lethal force by",
    "Violent demonstration": "rioted against",
    "Mob violence": "engaged in mob violence against",
    "Agreement": "reached an agreement with",
    "Arrests": "arrested",
    "Change to group/activity": "changed its organisation or activity:",
    "Disrupted weapons use": "intercepted or disrupted weapons of",
    "Headquarters or base established": "established a base or headquarters, facing",
    "Looting/property destruction": "looted or destroyed property of",
    "Non-violent transfer of territory": "handed over territory to",
    "Other": "took a strategic step concerning",
}


def write_notes(ev: Event) -> str:
    """A one-sentence ACLED-style summary: date, actors, action, place, toll."""
    when = _when(ev)
    who = ev.actor1 or "unidentified actors"
    verb = _VERBS.get(ev.sub_event_type, "were involved in an event with")
    whom = ev.actor2 or ""
    if (
        verb.endswith(
            (
                " with",
                " from",
                " on",
                " against",
                " at",
                " of",
                " by",
                " to",
                " facing",
                " concerning",
            )
        )
        and not whom
    ):
        verb = verb.rsplit(" ", 1)[0]
    action = f"{who} {verb} {whom}".strip()
    if ev.sub_event_type in ("Change to group/activity",) and not whom:
        action = f"{who} changed its organisation or activity"
    where = ""
    if ev.location:
        prep = "near" if ev.geo_precision == 2 else "in"
        region = (
            f" ({ev.admin1}, {ev.country})"
            if ev.admin1 and ev.admin1 != ev.location
            else (f" ({ev.country})" if ev.country and ev.country != ev.location else "")
        )
        where = f" {prep} {ev.location}{region}"
    toll = []
    if ev.fatalities:
        toll.append(f"{ev.fatalities} reported killed")
    if ev.injuries:
        toll.append(f"{ev.injuries} injured")
    weapons = f" using {', '.join(ev.weapons[:3])}" if ev.weapons else ""
    tail = f"; {' and '.join(toll)}" if toll else ""
    status = "" if ev.attribution.status == "asserted" else f" [{ev.attribution.status}]"
    return f"{when}{action}{weapons}{where}{tail}.{status}"


def _when(ev: Event) -> str:
    if ev.event_date is None:
        return ""
    d = ev.event_date
    if ev.time_precision == 3:
        return f"In {d.strftime('%B %Y')}, "
    if ev.time_precision == 2:
        return f"Around {d.day} {d.strftime('%B %Y')}, "
    return f"On {d.day} {d.strftime('%B %Y')}, "
