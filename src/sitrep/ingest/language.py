"""A cheap, offline test that a text is English: the share of common English function words
among its words that are not names."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from sitrep.resources import load_json

_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)?")
_LETTER = re.compile(r"[^\W\d_]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")

# Below these shares a text is not English. News prose scores 0.35-0.55; other languages written
# in Latin script score under 0.10 (shared words such as "a", "in", "on", "die" are rare hits).
MIN_SHARE = 0.15
MIN_SHARE_SHORT = 0.06
SHORT_TEXT = 40  # word tokens; below this the share is noisy, so only a very low one rejects
TOO_SHORT_TO_JUDGE = 8
MIN_LATIN = 0.6  # share of letters that are Latin


@dataclass(frozen=True)
class LanguageCheck:
    """The figures behind the English test."""

    words: int
    english_share: float
    latin_share: float

    @property
    def is_english(self) -> bool:
        """True unless the figures clearly say the text is in another language."""
        if self.words < TOO_SHORT_TO_JUDGE:
            return self.latin_share >= MIN_LATIN or self.words == 0
        if self.latin_share < MIN_LATIN:
            return False
        floor = MIN_SHARE_SHORT if self.words < SHORT_TEXT else MIN_SHARE
        return self.english_share >= floor


@cache
def _function_words() -> frozenset[str]:
    return frozenset(load_json("english.json")["function_words"])


def check_language(text: str, sample: int = 20_000) -> LanguageCheck:
    """Measure how English ``text`` looks, from its first ``sample`` characters."""
    head = text[:sample]
    letters = _LETTER.findall(head)
    latin = sum(1 for ch in letters if _LATIN.match(ch))
    known = _function_words()
    # Capitalised words are names (places, people, groups) whatever the language around them, so
    # they are left out: a note dense with foreign place names is still English.
    words = [
        low
        for w in _WORD.findall(head)
        if (low := w.lower().replace("\u2019", "'")) in known or not w[0].isupper()
    ]
    hits = sum(1 for w in words if w in known)
    return LanguageCheck(
        words=len(words),
        english_share=hits / len(words) if words else 0.0,
        latin_share=latin / len(letters) if letters else 1.0,
    )


def is_english(text: str) -> bool:
    """True when ``text`` reads as English (short texts are given the benefit of the doubt)."""
    return check_language(text).is_english
