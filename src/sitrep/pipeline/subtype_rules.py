"""The sub-event type of one mention from its trigger hits and the cue words of its clause.

A specific trigger ("shelled", "abducted") names its type, refined by the sentence's cues (lethal
force at a protest, a hijacked train); a generic one ("attacked", "killed") is typed by its weapon,
target and the parties the clause names.
"""

from __future__ import annotations

import re

from sitrep.pipeline import lexicon
from sitrep.pipeline.triggers import Decision, Hit

_EXPLOSION_SUBS = (
    "Chemical weapon",
    "Suicide bomb",
    "Grenade",
    "Remote explosive/landmine/IED",
    "Air/drone strike",
    "Shelling/artillery/missile attack",
)


def decide(
    hits: list[Hit], clause_text: str, target_text: str, sentence_text: str = ""
) -> Decision | None:
    """The sub-event type of one mention from its hits, the clause's cues and its target's words.

    ``target_text`` is the text of the acted-upon noun phrases (victims, targets); ``clause_text`` the
    words around the triggers.
    """
    cues = lexicon.cues()
    specific = [h for h in hits if h.trigger.sub]
    generic = [h for h in hits if not h.trigger.sub and h.trigger.family != "casualty"]
    casualty = [h for h in hits if h.trigger.family == "casualty"]
    if not specific and not generic:
        return None  # a casualty figure alone is not an event; it may support one
    if specific:
        best = max(specific, key=lambda h: h.trigger.weight)
        sub, conf, exact = best.trigger.sub or "", best.trigger.weight, True
        sub = _refine_specific(sub, sentence_text or clause_text, cues)
        return Decision(sub, conf, exact, hits)
    fam = {h.trigger.family for h in generic}
    weight = max(h.trigger.weight for h in generic)
    if (
        "explosion" not in fam
        and not casualty
        and not any(cues[k].search(clause_text) for k in ("armed", "civilians", *_EXPLOSION_SUBS))
    ):
        return None  # "battled blazes", "under siege from new parties": no armed party, no victim, no weapon
    for sub in _EXPLOSION_SUBS:
        if cues[sub].search(clause_text):
            return Decision(sub, min(0.9, weight + 0.2), True, hits)
    civ = bool(cues["civilians"].search(target_text))
    armed_target = bool(cues["armed"].search(target_text))
    if "explosion" in fam:
        return Decision("Remote explosive/landmine/IED", 0.45, False, hits)
    if civ and not armed_target:
        return Decision("Attack", weight + 0.1, True, hits)
    fighting = any(h.trigger.id == "clash" for h in generic)
    if armed_target or cues["armed"].search(clause_text):
        # "came under attack" at a base names no fight: a clash only when fighting words say so
        return Decision("Armed clash", weight, fighting, hits)
    if casualty or civ:
        return Decision("Attack", weight - 0.1, False, hits)
    return Decision("Armed clash", weight - 0.15, False, hits)


def _refine_specific(sub: str, text: str, cues: dict[str, re.Pattern[str]]) -> str:
    if sub == "Peaceful protest":
        if cues["lethal_force"].search(text):
            return "Excessive force against protesters"
        if cues["riot_context"].search(text):
            return "Violent demonstration"
        if cues["intervention"].search(text):
            return "Protest with intervention"
    if sub == "Arrests" and cues["protest_context"].search(text):
        return "Protest with intervention"
    if sub == "Non-state actor overtakes territory" and cues["vehicle_taken"].search(text):
        return "Abduction/forced disappearance"  # "took over the train": a hijacking, not ground
    if sub in (
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Air/drone strike",
    ):
        for other in ("Suicide bomb", "Chemical weapon"):
            if cues[other].search(text):
                return other
    return sub
