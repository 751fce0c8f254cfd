"""The casualty lexicon: the words of ``data/casualties.json`` read by the casualty modules.

Verbs, adjectives and nouns that report deaths and injuries, tolls, the particles some verbs
need, the words that make a casualty hypothetical or not a victim, and the values of vague
quantities and qualifiers ("dozens", "at least"); the file is read once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from sitrep.resources import data_text

# --- lexicon -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Lexicon:
    fatality_verbs: frozenset[str]
    death_verbs: frozenset[str]
    injury_verbs: frozenset[str]
    fatality_adjectives: frozenset[str]
    injury_adjectives: frozenset[str]
    fatality_nouns: frozenset[str]
    injury_nouns: frozenset[str]
    toll_nouns: frozenset[str]
    casualty_nouns: frozenset[str]
    particles: dict[str, str]
    life_verbs: frozenset[str]
    body_verbs: frozenset[str]
    suffer_verbs: frozenset[str]
    intent_words: frozenset[str]
    person_nouns: frozenset[str]
    non_victims: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = json.loads(data_text("casualties.json"))

    def words(key: str) -> frozenset[str]:
        return frozenset(w.lower() for w in raw[key])

    return _Lexicon(
        fatality_verbs=words("fatality_verbs"),
        death_verbs=words("death_verbs"),
        injury_verbs=words("injury_verbs"),
        fatality_adjectives=words("fatality_adjectives"),
        injury_adjectives=words("injury_adjectives"),
        fatality_nouns=words("fatality_nouns"),
        injury_nouns=words("injury_nouns"),
        toll_nouns=words("toll_nouns"),
        casualty_nouns=words("casualty_nouns"),
        particles=dict(raw["verbs_needing_particle"]),
        life_verbs=words("life_verbs"),
        body_verbs=words("body_verbs"),
        suffer_verbs=words("suffer_verbs"),
        intent_words=words("intent_words"),
        person_nouns=words("person_nouns"),
        non_victims=words("non_victims"),
    )
