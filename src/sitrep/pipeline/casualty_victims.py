"""Victims: who a casualty word is about, read from the parse, and how many they are.

From a casualty word, the victims are found by the dependency parse: the object of "killed", the
subject of "died", the noun "dead" qualifies, the number after "toll rose to"; relative pronouns
and "among the dead" are followed to the noun they stand for. ``_sum_counts`` then counts the
victims with the words listed with them ("21 passengers and four troops"); hypothetical casualty
words ("tried to kill", "could die") are told apart by ``_hypothetical``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sitrep.pipeline.casualty_lexicon import _lexicon
from sitrep.pipeline.quantities import Quantity, numbers, parse_quantity

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
    low = token.lower_
    return (
        bool(token.like_num)
        or token.pos_ == "NUM"
        or (low,) in numbers().vague
        or low in numbers().scales
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
