"""Find reported deaths and injuries in one sentence, linking numbers to casualty words by the parse.

A casualty word (a verb such as "killed", an adjective such as "dead", a noun such as "deaths"
or "toll") is found first; its victims are then read from the dependency parse (the object of
"killed", the subject of "died", the number after "toll rose to") and their quantity parsed.
Numbers not linked to a casualty word ("two Tu-95 bombers", "50 militants arrested") are ignored.

Vague quantities follow ACLED: dozens 12, tens 10, several and many 10, hundreds 100; sitrep
reads "scores" as 20 (one score, the lowest reading of the plural) and "a few" as 3.
A range ("between 10 and 15") gives its lower end, as ACLED's conservative rule asks.

The code lives by concern in ``quantities`` (numbers and quantities, shared with dates and triggers), ``casualty_victims``
(victims and their count, from the parse) and ``casualty_lexicon`` (the words); this module finds
the casualty words and their figures, and makes the conservative choice among figures.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sitrep.pipeline.casualty_lexicon import _lexicon
from sitrep.pipeline.casualty_victims import TALLY_NOUNS as TALLY_NOUNS
from sitrep.pipeline.casualty_victims import (
    _adjective_victim,
    _hypothetical,
    _noun_victim,
    _resolve_relative,
    _sum_counts,
    _tally_of,
    _toll_number,
    _verb_victim,
)
from sitrep.pipeline.quantities import Quantity, parse_quantity
from sitrep.pipeline.quantities import number_value as number_value

logger = logging.getLogger(__name__)

__all__ = ["Casualty", "Quantity", "conservative", "find_casualties", "parse_quantity"]

FATALITIES = "fatalities"
INJURIES = "injuries"


@dataclass(frozen=True)
class Casualty:
    """A casualty figure found in a sentence; ``start``/``end`` are article offsets of ``text``."""

    kind: str  # fatalities | injuries
    value: int
    text: str
    start: int
    end: int
    exact: bool
    qualifier: str | None = None  # at least, more than, up to, about, vague


# --- the conservative figure --------------------------------------------------------------------


def conservative(values: list[int]) -> int:
    """ACLED's conservative figure: the lowest reported value, 0 when none is reported."""
    return min(values) if values else 0


# --- triggers ------------------------------------------------------------------------------------


def _trigger_kind(token: Any) -> tuple[str, str] | None:
    """(kind, part) for a casualty word: part is verb, adjective, noun, toll or casualty."""
    lex = _lexicon()
    lemma = token.lemma_.lower()
    low = token.lower_
    if token.pos_ in ("VERB", "AUX") or (
        token.tag_ in ("VBN", "VBD", "VBG") and token.pos_ != "ADJ"
    ):
        if lemma in lex.particles:
            if not any(
                c.dep_ == "prt" and c.lower_ == lex.particles[lemma] for c in token.children
            ):
                return None
        if lemma in lex.fatality_verbs or lemma in lex.death_verbs:
            return FATALITIES, "verb"
        if lemma in lex.injury_verbs:
            return INJURIES, "verb"
        return None
    if token.pos_ == "ADJ" or (token.pos_ == "NOUN" and low in ("dead", "wounded", "injured")):
        if low in lex.fatality_adjectives:
            return FATALITIES, "adjective"
        if low in lex.injury_adjectives:
            return INJURIES, "adjective"
        return None
    if token.pos_ in ("NOUN", "PROPN"):
        if lemma in lex.toll_nouns:
            return (
                INJURIES
                if any(c.lemma_.lower() == "injury" for c in token.children)
                else FATALITIES
            ), "toll"
        if lemma in lex.casualty_nouns:
            return FATALITIES, "casualty"
        if token.dep_ == "compound" and token.head.lemma_.lower() not in lex.toll_nouns:
            return None  # "death penalty", "injury time"
        if lemma in lex.fatality_nouns:
            return FATALITIES, "noun"
        if lemma in lex.injury_nouns:
            return INJURIES, "noun"
    return None


def _to_death_verb(token: Any) -> Any | None:
    """For "death" in "stabbed to death": the verb."""
    if token.lemma_.lower() == "death" and token.dep_ == "pobj" and token.head.lower_ == "to":
        verb = token.head.head
        if verb.pos_ == "VERB":
            return verb
    return None


def _victim(token: Any, kind: str, part: str) -> Any | None:
    lex = _lexicon()
    if part == "verb":
        verbs = lex.fatality_verbs if kind == FATALITIES else lex.injury_verbs
        victim = _verb_victim(token, verbs)
    elif part == "adjective":
        victim = _adjective_victim(token)
    elif part == "toll":
        victim = _toll_number(token)
    elif part == "casualty":
        victim = token
    else:
        verb = _to_death_verb(token)
        victim = _verb_victim(verb, lex.fatality_verbs) if verb is not None else _noun_victim(token)
    return _resolve_relative(victim) if victim is not None else None


def _negated(token: Any) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def find_casualties(sent: Any, offset: int = 0) -> list[Casualty]:
    """Deaths and injuries reported in one sentence (a spaCy Span or Doc).

    ``offset`` is the article offset of the sentence's Doc: start/end are ``offset + token.idx``.
    """
    doc = sent.doc if hasattr(sent, "doc") else sent
    found: list[Casualty] = []
    used: set[tuple[str, int]] = set()
    for token in sent:
        trig = _trigger_kind(token)
        if trig is None:
            continue
        kind, part = trig
        if _hypothetical(token):
            continue
        victim = _victim(token, kind, part) or _tally_of(token)
        if victim is None:
            continue
        counted = _sum_counts(victim)
        if counted is None:
            tally = _tally_of(victim) or _tally_of(token)
            if tally is not None:  # "the number of dead rose to 44"
                victim = tally
                counted = _sum_counts(victim)
        if counted is None:
            continue
        quantity = counted.quantity
        if part == "casualty" and quantity.value != 0:
            continue  # "15 casualties" mixes dead and wounded; only "no casualties" is read
        if _negated(token) and quantity.value > 0 and victim.lower_ not in ("one",):
            quantity = Quantity(0, True, None)
        kinds = [FATALITIES, INJURIES] if part == "casualty" else [kind]
        first = min(counted.first, token.i, victim.i)
        last = max(counted.last, token.i, victim.i)
        if part == "toll":
            first = min(first, token.left_edge.i)
        while first < last and (doc[first].is_space or doc[first].is_punct):
            first += 1
        while last > first and (doc[last].is_space or doc[last].is_punct):
            last -= 1
        span = doc[first : last + 1]
        for k in kinds:
            key = (k, victim.i)
            if key in used:
                continue
            used.add(key)
            found.append(
                Casualty(
                    kind=k,
                    value=quantity.value,
                    text=span.text,
                    start=offset + span.start_char,
                    end=offset + span.end_char,
                    exact=quantity.exact,
                    qualifier=quantity.qualifier,
                )
            )
    return found
