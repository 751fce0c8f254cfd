"""Find reported deaths and injuries in one sentence, linking numbers to casualty words by the parse.

A casualty word (a verb such as "killed", an adjective such as "dead", a noun such as "deaths"
or "toll") is found first; its victims are then read from the dependency parse (the object of
"killed", the subject of "died", the number after "toll rose to") and their quantity parsed.
Numbers not linked to a casualty word ("two Tu-95 bombers", "50 militants arrested") are ignored.

Vague quantities follow ACLED: dozens 12, tens 10, several and many 10, hundreds 100; sitrep
reads "scores" as 20 (one score, the lowest reading of the plural) and "a few" as 3.
A range ("between 10 and 15") gives its lower end, as ACLED's conservative rule asks.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

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


@dataclass(frozen=True)
class Quantity:
    """A parsed number expression."""

    value: int
    exact: bool
    qualifier: str | None = None


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
    vague: dict[tuple[str, ...], int]
    qualifiers: dict[tuple[str, ...], str]
    measure_words: frozenset[str]


@lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    raw = json.loads(resources.files("sitrep.data").joinpath("casualties.json").read_text("utf-8"))

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
        vague={tuple(k.split()): int(v) for k, v in raw["vague"].items()},
        qualifiers={tuple(k.split()): v for k, v in raw["qualifiers"].items()},
        measure_words=words("measure_words"),
    )


# --- number parsing ------------------------------------------------------------------------------

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_FILLERS = frozenset(
    {
        "the",
        "all",
        "another",
        "a total of",
        "total",
        "of",
        "those",
        "these",
        "only",
        "just",
        "additional",
        "further",
        "other",
    }
)
_RANGE_WORDS = frozenset({"to", "-", "–", "or"})
_WORD_RE = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+|[-–%]")


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(text.lower().replace("’", "'"))


def _match_phrase(words: list[str], i: int, table: dict[tuple[str, ...], Any]) -> tuple[Any, int]:
    """Longest phrase of ``table`` starting at ``words[i]``: (value, next index) or (None, i)."""
    for length in (3, 2, 1):
        key = tuple(words[i : i + length])
        if len(key) == length and key in table:
            return table[key], i + length
    return None, i


def _is_number_word(word: str) -> bool:
    return (
        word in _UNITS or word in _TENS or word in _SCALES or word == "dozen" or word[0].isdigit()
    )


def number_value(text: str) -> int | None:
    """The number a counting phrase stands for ("1,200", "seven", "dozens" as 12), or None."""
    words = _words(text)
    found = _number(words, 0) if words else None
    return found[0] if found is not None and found[2] == len(words) else None


def _number(words: list[str], i: int) -> tuple[int, bool, int] | None:
    """Parse one number at ``words[i]``: (value, vague, next index), or None."""
    lex = _lexicon()
    n = len(words)
    if i >= n:
        return None
    vague_value, j = _match_phrase(words, i, lex.vague)
    if vague_value is not None:
        if j < n and words[j] in _SCALES:  # "several hundred", "many thousands"
            return _SCALES[words[j]], True, j + 1
        if j < n and words[j] in ("dozen", "dozens"):
            return 12, True, j + 1
        if j + 1 < n and words[j] == "of" and (words[j + 1].rstrip("s") in _SCALES):
            return vague_value * _SCALES[words[j + 1].rstrip("s")], True, j + 2  # tens of thousands
        return vague_value, True, j
    word = words[i]
    if word in ("a", "an", "one", "single") and i + 1 < n and words[i + 1] in ("dozen",):
        return 12, True, i + 2
    if word in ("a", "an") and i + 1 < n and words[i + 1] in _SCALES:
        i += 1
        word = "one"
    if word in ("a", "an", "single"):
        return 1, False, i + 1
    total, current, seen = 0, 0, False
    j = i
    while j < n:
        w = words[j]
        if w[0].isdigit():
            if seen:
                break
            try:
                value = float(w.replace(",", ""))
            except ValueError:
                break
            if j + 1 < n and words[j + 1] in _SCALES:
                current += int(value * _SCALES[words[j + 1]])
                j += 2
            else:
                current += int(value)
                j += 1
            seen = True
            break
        if w in _UNITS:
            current += _UNITS[w]
        elif w in _TENS:
            current += _TENS[w]
        elif w == "hundred":
            current = max(current, 1) * 100
        elif w in _SCALES:
            total += max(current, 1) * _SCALES[w]
            current = 0
        elif w == "dozen" and seen:
            current *= 12
        elif (
            w in ("-", "and")
            and seen
            and j + 1 < n
            and _is_number_word(words[j + 1])
            and not words[j + 1][0].isdigit()
            and (w == "-" or words[j + 1] not in _SCALES)
        ):
            j += 1
            continue
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return total + current, False, j


def parse_quantity(text: str) -> Quantity | None:
    """Parse the quantity that opens ``text`` ("at least 5", "dozens", "between 10 and 15")."""
    lex = _lexicon()
    words = _words(text)
    i = 0
    qualifier: str | None = None
    while i < len(words):
        q, j = _match_phrase(words, i, lex.qualifiers)
        if (
            q is not None
            and j < len(words)
            and (
                _is_number_word(words[j])
                or words[j] in ("a", "an")
                or _match_phrase(words, j, lex.vague)[0] is not None
            )
        ):
            qualifier = qualifier or q
            i = j
            continue
        filler, j = _match_phrase(words, i, {tuple(f.split()): True for f in _FILLERS})
        if filler:
            i = j
            continue
        break
    is_range = False
    if i < len(words) and words[i] in ("between", "from"):
        is_range, i = True, i + 1
    first = _number(words, i)
    if first is None:
        return None
    value, vague, i = first
    if i < len(words) and (words[i] in lex.measure_words or words[i] == "%"):
        return None  # "30-day", "5 percent": a measure, not a count
    if i + 1 < len(words) and words[i] == "-" and not _is_number_word(words[i + 1]):
        return None  # "5-year-old"
    if i < len(words) and (words[i] in _RANGE_WORDS or (is_range and words[i] == "and")):
        second = _number(words, i + 1)
        if second is not None:
            return Quantity(min(value, second[0]), False, "at least")
    if vague:
        return Quantity(value, False, "vague")
    return Quantity(value, qualifier is None, qualifier)


def conservative(values: list[int]) -> int:
    """ACLED's conservative figure: the lowest reported value, 0 when none is reported."""
    return min(values) if values else 0


# --- linking casualty words to victims ---------------------------------------------------------

_SUBJECTS = ("nsubj", "nsubjpass")
_NEGATORS = frozenset({"no", "none", "nobody", "noone", "neither"})
_PRONOUNS_ONE = frozenset({"he", "him", "she", "her"})
_RELATIVE = frozenset({"who", "whom", "that", "which"})
TALLY_NOUNS = frozenset({"number", "total", "tally", "count", "toll"})


def _child(token: Any, *deps: str) -> Any | None:
    for child in token.children:
        if child.dep_ in deps:
            return child
    return None


def _is_passive(token: Any) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children) or (
        token.tag_ == "VBN" and token.dep_ in ("conj", "xcomp", "advcl", "acl", "amod", "relcl")
    )


def _is_numberish(token: Any) -> bool:
    lex = _lexicon()
    low = token.lower_
    return (
        bool(token.like_num)
        or token.pos_ == "NUM"
        or (low,) in lex.vague
        or low in _SCALES
        or low in ("dozen", "dozens", "none", "nobody")
    )


def _inherited_subject(token: Any) -> Any | None:
    """Subject of the verb that ``token`` is conjoined to or complements, if it has none itself."""
    node = token
    for _ in range(3):
        if node.dep_ not in ("conj", "xcomp", "advcl", "ccomp") or node.head.i == node.i:
            return None
        node = node.head
        subject = _child(node, *_SUBJECTS)
        if subject is not None:
            return subject
    return None


def _hypothetical(token: Any) -> bool:
    """The casualty word is intended, feared, conditional or future ("tried to kill", "could die")."""
    lex = _lexicon()
    node = token
    for _ in range(4):
        kids = list(node.children)
        modal = any(c.tag_ == "MD" for c in kids)
        perfect = any(c.lemma_ == "have" and c.dep_ == "aux" for c in kids)
        if modal and not perfect:
            return True
        infinitive = any(c.dep_ == "aux" and c.tag_ == "TO" for c in kids)
        if infinitive and not perfect and node.i == token.i:
            return True  # "hired him to kill", "expected to be killed"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "lest") for c in kids):
            return True
        head = node.head
        if (
            node.dep_ in ("xcomp", "acl", "pcomp", "pobj", "prep")
            and head.lemma_.lower() in lex.intent_words
        ):
            return True
        if (
            node.dep_ in ("xcomp", "conj", "acomp", "oprd", "pcomp", "pobj", "prep")
            and head.i != node.i
        ):
            node = head
            continue
        break
    return False


def _resolve_relative(victim: Any) -> Any:
    if victim.lower_ in _RELATIVE and victim.head.dep_ == "relcl":
        return victim.head.head
    if (
        victim.lower_ in ("those", "them")
        and victim.dep_ == "pobj"
        and victim.head.lower_ == "among"
    ):
        verb = victim.head.head
        return _child(verb, *_SUBJECTS) or victim
    return victim


def _among_subject(token: Any) -> Any | None:
    """For "X were among the dead": X."""
    if token.dep_ == "pobj" and token.head.lower_ == "among":
        return _child(token.head.head, *_SUBJECTS)
    return None


def _verb_victim(verb: Any, kind_verbs: frozenset[str]) -> Any | None:
    lex = _lexicon()
    passive = _is_passive(verb)
    subject = _child(verb, "nsubjpass")
    if subject is not None:
        return subject
    if verb.lemma_.lower() in lex.death_verbs:
        return _child(verb, "nsubj") or _inherited_subject(verb)
    obj = _child(verb, "dobj")
    if obj is not None:
        return obj
    if verb.dep_ in ("acl", "amod") and verb.tag_ == "VBN":
        return verb.head  # "people killed in the attack", "37 injured people"
    headline = verb.tag_ == "VBN" and not any(c.lemma_ == "have" for c in verb.children)
    if passive or headline:  # "were shot and killed", "At least 7 killed as bomb hits market"
        return _child(verb, "nsubj") or _inherited_subject(verb)
    return None


def _adjective_victim(adj: Any) -> Any | None:
    if any(_is_numberish(c) for c in adj.children if c.dep_ in ("nummod", "quantmod")):
        return adj  # "left 12 dead"
    among = _among_subject(adj)
    if among is not None:
        return among
    if adj.dep_ == "amod":
        return adj.head  # "shot dead two militants", "37 injured people"
    subject = _child(adj, *_SUBJECTS)
    if subject is not None:
        return subject  # "leaving five people dead"
    if adj.dep_ in ("oprd", "acomp", "ccomp", "xcomp", "advcl", "conj"):
        head = adj.head
        obj = _child(head, "dobj")
        if obj is not None:
            return obj  # "left X dead", "shot dead X"
        return _child(head, *_SUBJECTS) or _inherited_subject(head)
    return None


def _noun_victim(noun: Any) -> Any | None:
    lex = _lexicon()
    lemma = noun.lemma_.lower()
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and _is_numberish(noun.head.head):
        return noun.head.head  # "hundreds of deaths"
    among = _among_subject(noun)
    if among is not None:
        return among
    if lemma == "life":
        if noun.lower_ != "lives":
            return None
        of = _of_object(noun)
        if of is not None:
            return of
        if noun.head.lemma_.lower() in lex.life_verbs and noun.dep_ == "dobj":
            if noun.head.lemma_.lower() == "lose":
                return _child(noun.head, "nsubj") or _inherited_subject(noun.head)
            return noun  # "cost 20 lives"
        return None
    if lemma in ("body", "corpse"):
        verb = noun.head if noun.dep_ in ("nsubjpass", "dobj") else None
        if verb is None or verb.lemma_.lower() not in lex.body_verbs:
            return None
        return _of_object(noun) or noun
    of = _of_object(noun)
    if of is None and lemma in lex.injury_nouns:  # "injuries to eight guards", "caused injuries to"
        of = _prep_object(noun, "to") or (
            _prep_object(noun.head, "to") if noun.dep_ == "dobj" else None
        )
    if of is not None:
        return of
    suffered = noun.head.lemma_.lower() in lex.suffer_verbs or any(
        c.lemma_.lower() in lex.suffer_verbs for c in noun.children if c.dep_ == "amod"
    )
    if noun.dep_ == "dobj" and suffered:
        return _child(noun.head, *_SUBJECTS) or _inherited_subject(
            noun.head
        )  # "sustained injuries"
    owner = _child(noun, "poss")
    if owner is not None and not any(c.dep_ in ("nummod", "det") for c in noun.children):
        return owner  # "the governor's death"
    return noun  # the noun's own quantity: "25 deaths", "no injuries"


def _of_object(token: Any) -> Any | None:
    return _prep_object(token, "of")


def _prep_object(token: Any, prep: str) -> Any | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == prep:
            return _child(child, "pobj")
    return None


def _tally_of(token: Any) -> Any | None:
    """For "the number of dead/people killed rose to 44": the figure given to the tally noun."""
    if token.dep_ == "pobj" and token.head.lower_ == "of":
        head = token.head.head
        if head.lemma_.lower() in TALLY_NOUNS:
            return _toll_number(head)
    return None


def _toll_number(toll: Any) -> Any | None:
    """The figure a toll is given as: "rose to 31", "stands at 12", "a toll of 40", "was 9"."""
    candidates: list[Any] = []
    for child in toll.children:
        if child.dep_ == "prep" and child.lower_ in ("of", "at"):
            candidates.extend(c for c in child.children if c.dep_ == "pobj")
        if child.dep_ == "appos":
            candidates.append(child)
    if toll.dep_ in (*_SUBJECTS, "dobj"):
        verb = toll.head
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ in ("to", "at"):
                candidates.extend(c for c in child.children if c.dep_ == "pobj")
            elif child.dep_ in ("attr", "dobj") and child.i != toll.i:
                candidates.append(child)
    for cand in candidates:
        if _is_numberish(cand) or any(
            _is_numberish(c) for c in cand.children if c.dep_ == "nummod"
        ):
            return cand
    return None


# --- victim quantities -------------------------------------------------------------------------


@dataclass
class _Count:
    quantity: Quantity
    first: int  # token index range covering the quantity expression
    last: int


def _count(victim: Any) -> _Count | None:
    """How many victims a victim token stands for, or None when it does not say."""
    lex = _lexicon()
    doc = victim.doc
    lemma = victim.lemma_.lower()
    if lemma in TALLY_NOUNS and _of_object(victim) is not None:
        victim = _of_object(victim)  # "a total of 19 people"
        lemma = victim.lemma_.lower()
    if lemma in lex.non_victims or victim.lower_ in lex.non_victims:
        return None
    if victim.lower_ in _NEGATORS or any(
        c.dep_ == "det" and c.lower_ in _NEGATORS for c in victim.children
    ):
        first = min([victim.i] + [c.i for c in victim.children if c.dep_ == "det"])
        return _Count(Quantity(0, True, None), first, victim.i)
    if _is_numberish(victim):
        of = _of_object(victim)
        if of is not None and of.lemma_.lower() in lex.non_victims:
            return None  # "millions of dogs"
        span = doc[victim.left_edge.i : victim.right_edge.i + 1]
        q = parse_quantity(span.text)
        if q is not None:
            return _Count(q, victim.left_edge.i, victim.i)
    number = _child(victim, "nummod")
    start = number.left_edge.i if number is not None else victim.left_edge.i
    left = doc[start : victim.i + 1]
    if victim.lower_ in _PRONOUNS_ONE:
        return _Count(Quantity(1, True, None), victim.i, victim.i)
    singular = victim.tag_ in ("NN", "NNP")
    compound = " ".join(t.lower_ for t in left if t.dep_ == "compound" or t.i == victim.i)
    person = (
        lemma in lex.person_nouns
        or compound in lex.person_nouns
        or (victim.pos_ == "PROPN" and victim.ent_type_ in ("PERSON", ""))
    )
    q = parse_quantity(left.text)
    if q is not None and q.value > 0 and (q.value != 1 or person or not singular):
        return _Count(q, victim.left_edge.i, victim.i)
    if singular and person and victim.lower_ != "one":
        return _Count(Quantity(1, True, None), victim.left_edge.i, victim.i)
    return None


def _group(victim: Any) -> list[Any]:
    """The victim and the victims listed with it ("21 passengers and four troops")."""
    members = [victim, *[c for c in victim.conjuncts if c.pos_ in ("NOUN", "PROPN", "NUM", "PRON")]]
    for child in victim.children:
        partitive = _of_object(child)
        if partitive is not None and partitive.pos_ == "PRON":
            continue  # "seven were wounded, two of them seriously"
        if child.dep_ == "appos" and child.pos_ in ("NOUN", "NUM"):
            members.extend([child, *child.conjuncts])
    for child in victim.head.children if victim.dep_ in _SUBJECTS + ("dobj",) else []:
        if child.dep_ == "prep" and child.lower_ == "along":  # "..., along with 563 personnel"
            with_ = next((c for c in child.children if c.lower_ == "with"), None)
            obj = _child(with_, "pobj") if with_ is not None else _child(child, "pobj")
            if obj is not None:
                members.append(obj)
    unique: dict[int, Any] = {}
    for member in members:
        unique.setdefault(member.i, member)
    return list(unique.values())


def _sum_counts(victim: Any) -> _Count | None:
    counts = [c for c in (_count(m) for m in _group(victim)) if c is not None]
    if not counts:
        return None
    head = counts[0]
    if len(counts) > 1:
        rest = counts[1:]
        # "5 people, two soldiers and three civilians": the list restates the total
        if sum(c.quantity.value for c in rest) == head.quantity.value and head.quantity.value > 0:
            counts = [head]
    total = sum(c.quantity.value for c in counts)
    exact = all(c.quantity.exact for c in counts)
    qualifier = next((c.quantity.qualifier for c in counts if c.quantity.qualifier), None)
    return _Count(
        Quantity(total, exact, qualifier),
        min(c.first for c in counts),
        max(c.last for c in counts),
    )


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
