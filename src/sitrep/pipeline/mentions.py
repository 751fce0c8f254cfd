"""Event mentions of one parsed sentence: one per clause and trigger group, each with its sub-type,
places, date, casualties, weapons and actors.

The per-sentence core of the ``mentions`` stage; ``Mention`` is defined in ``pipeline.doc``.
"""

from __future__ import annotations

import re
from typing import Any

from sitrep.models import Article, Span
from sitrep.pipeline import actors as actor_stage
from sitrep.pipeline import lexicon, subtype_rules, triggers
from sitrep.pipeline.casualties import find_casualties
from sitrep.pipeline.dates import find_date
from sitrep.pipeline.doc import Mention, SentenceHits
from sitrep.pipeline.weapons import find_weapons
from sitrep.resources import blame_verbs

_FAR_PREPS = {"from", "to", "toward", "towards", "against", "with"}
_SEPARATE = {"separate", "another", "second", "other", "different"}
_MILITARY_SUBS = {
    "Other",
    "Headquarters or base established",
    "Disrupted weapons use",
    "Non-violent transfer of territory",
}
_ANAPHORA = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}


def sentence_mentions(
    doc: Any,
    index: int,
    sent: Span,
    places: list[Any],
    art: Article,
    home: lexicon.Country | None,
    found: SentenceHits,
) -> list[Mention]:
    """The event mentions of one parsed sentence, one per clause and group of its trigger ``found``."""
    hits, rejected = found.hits, found.rejected
    if not hits:
        return []
    # places inside a dropped non-event ("Moscow's continued bombing of Ukraine") are not event places
    blocked = _blocked(
        rejected, {t.i for h in hits for t in (h.head, triggers.clause_head(h.head))}
    )
    # One mention per clause and group; casualty hits join the violent mention of their clause.
    groups: dict[tuple[int, str], list[triggers.Hit]] = {}
    for h in hits:
        key_group = "violent" if h.group == "casualty" else h.group
        groups.setdefault((h.clause, key_group), []).append(h)
    # Violent clauses of one sentence are one event ("shelled the town, killing three civilians")
    # unless a clause says it is another one ("in a separate attack").
    violent_keys = sorted(k for k in groups if k[1] == "violent")
    if len(violent_keys) > 1:
        keep = violent_keys[0]
        for key in violent_keys[1:]:
            if any(t.lower_ in _SEPARATE for h in groups[key] for t in h.head.children):
                keep = key
                continue
            groups[keep].extend(groups.pop(key))
    sent_places = [pm for pm in places if sent.start <= pm.toponym.start < sent.end]
    dateline = dateline_end(art.text)
    casualties = find_casualties(doc, sent.start)
    weapons = find_weapons(doc, sent.start)
    out = []
    text = doc.text  # built from the tokens on every access: once here
    clause_keys = sorted(groups)
    ranges = {key: _clause_range(doc, key[0], [k[0] for k in clause_keys]) for key in clause_keys}
    for key in clause_keys:
        hs = groups[key]
        heads = [h.head for h in hs]
        lo, hi = ranges[key]
        # "Residents of X who fled shelling rallied": the subject's words the nested clause cut
        # off still belong to this clause, unless another clause holds them
        others = {i for k, (a, b) in ranges.items() if k != key for i in range(a, b)}
        clause_tokens = doc[lo:hi]
        clause_text = clause_tokens.text
        in_clause = (sent.start + clause_tokens.start_char, sent.start + clause_tokens.end_char)
        target_text = " ".join(_phrase_text(t) for h in heads for t in _targets(h))
        decision = subtype_rules.decide(hs, clause_text, target_text or clause_text, text)
        first = min(hs, key=lambda h: h.start)
        trig = Span(text[first.start : first.end], sent.start + first.start, sent.start + first.end)
        m = Mention(index, sent, decision, key[1], trig, doc=doc, heads=heads)
        m.places = _choose_places(
            doc,
            sent,
            sent_places,
            (in_clause, others),
            blocked,
            len(clause_keys) > 1,
            heads,
            dateline,
        )
        m.date = find_date(doc, art.published, sent.start, trigger=first.head)
        if m.date is not None and m.date.future:
            continue  # "will strike on Tuesday": not (yet) an event
        if m.date is not None and m.date.text.lower().startswith(("since", "from ")):
            m.date = None  # "since April 2022" starts a duration; it does not date an event
        m.casualties = (
            [c for c in casualties if in_clause[0] <= c.start < in_clause[1]]
            if len(clause_keys) > 1
            else casualties
        )
        m.weapons = (
            [w for w in weapons if in_clause[0] <= w.start < in_clause[1]]
            if len(clause_keys) > 1
            else weapons
        )
        place_country = lexicon.country_by_iso3(m.places[0].place.iso3) if m.places else None
        violent = key[1] == "violent"
        military = violent or (decision is not None and decision.sub_event_type in _MILITARY_SUBS)
        m.actor1, m.actor2 = actor_stage.find_actors(
            heads, clause_tokens, place_country or home, military
        )
        m.anaphoric = _anaphoric(heads)
        m.separate = _separate(heads)
        out.append(m)
    return out


def _blocked(rejected: list[Any], kept: set[int]) -> set[int]:
    """Token indices inside the dropped non-events, save the subtrees of the kept events' words and
    clauses: "no one was hurt" blocks its own words, not the shelling the parser hung under it
    ("shells landed in X; no one was hurt")."""
    out: set[int] = set()
    if not rejected:
        return out
    doc = rejected[0].doc
    above = {a.i for k in kept for a in doc[k].ancestors}  # the words a kept event hangs below
    todo = list(rejected)
    while todo:
        tok = todo.pop()
        if tok.i in kept:
            continue
        if tok.i not in above:
            out.update(t.i for t in tok.subtree)
            continue
        out.add(tok.i)  # an event lies below: block this word and its other branches
        todo.extend(tok.children)
    return out


def _separate(heads: list[Any]) -> bool:
    """'a separate attack' starts a new event; 'a car bomb and two other explosions' contrasts the
    explosions with the car bomb of the same phrase, not with an earlier event."""
    for h in heads:
        if any(t.lower_ in _SEPARATE for t in h.children):
            if not any(c in heads for c in h.conjuncts):
                return True
    return False


def _clause_range(doc: Any, head_i: int, all_heads: list[int]) -> tuple[int, int]:
    """Token range of the clause headed by ``head_i``, cut where a sibling clause begins."""
    head = doc[head_i]
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    for other in all_heads:
        if other == head_i:
            continue
        o = doc[other]
        if lo <= o.left_edge.i and o.right_edge.i < hi:
            # a nested sibling clause: keep our side of it
            if other > head_i:
                hi = min(hi, o.left_edge.i)
            else:
                lo = max(lo, o.right_edge.i + 1)
    if hi <= lo:
        return head.left_edge.i, head.right_edge.i + 1
    return lo, hi


def _targets(head: Any) -> list[Any]:
    out = []
    for child in head.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            out.append(child)
        if child.dep_ == "prep" and child.lower_ in ("on", "against", "at", "in", "targeting"):
            out.extend(c for c in child.children if c.dep_ == "pobj")
        if child.dep_ in ("compound", "amod") and child.pos_ in ("NOUN", "ADJ"):
            out.append(child)
    if head.dep_ in ("dobj", "pobj", "nsubjpass") and head.head.dep_ != "ROOT":
        pass
    if head.dep_ == "nsubjpass" or head.dep_ == "nsubj":
        pass
    # passive verb: the subject is the target ("five civilians were killed")
    if head.pos_ == "VERB":
        out.extend(c for c in head.children if c.dep_ == "nsubjpass")
    return out


def _phrase_text(tok: Any) -> str:
    return str(tok.doc[tok.left_edge.i : tok.right_edge.i + 1].text)


def _anaphoric(heads: list[Any]) -> bool:
    """A definite reference to an event told before ("the attack", "the blast in the base")."""
    if any(
        h.pos_ == "NOUN"
        and any(c.dep_ in ("det", "poss") and c.lower_ in _ANAPHORA for c in h.children)
        for h in heads
    ):
        return True
    if not heads:
        return False
    doc = heads[0].doc
    return any(_the_scene(doc[i]) for i in actor_stage.subtrees(heads))


_SCENES = frozenset(
    {"base", "site", "facility", "airfield", "scene", "area", "town", "city", "village"}
)


def _the_scene(c: Any) -> bool:
    """ "in the base", "at the scene": the object of a preposition that points back to a place."""
    return bool(
        c.pos_ == "NOUN"
        and c.dep_ == "pobj"
        and c.lemma_ in _SCENES
        and any(d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in c.children)
    )


# "KHARKIV, Ukraine (Reuters) — ": where the report was filed, not where the event happened
_DATELINE = re.compile(
    r"\s*[A-Z][A-Z'’.\- ]{2,40}(?:,\s*[\w'’.\- ]{2,40}){0,2}\s*(?:\([^)]{1,30}\)\s*)?[—–-]{1,2}\s"
)


def dateline_end(text: str) -> int:
    """Where an opening dateline ends (0 if the text has none)."""
    m = _DATELINE.match(text)
    return m.end() if m else 0


def _choose_places(
    doc: Any,
    sent: Span,
    sent_places: list[Any],
    clause_and_others: tuple[tuple[int, int], set[int]],
    blocked: set[int],
    strict: bool,
    heads: list[Any],
    dateline: int = 0,
) -> list[Any]:
    """The sentence's places ranked for this mention, best first.

    A place counts when it lies in the mention's clause (its character range, or the event words'
    subtrees outside the token indices ``others`` of the sentence's other clauses; with ``strict``,
    several mentions in one sentence, only there) and is not an actor or a reference point ("Moscow
    blamed", "miles from Ukraine", "a U.S.-designated group"). Places attached to the event word
    come first, then the most precise.
    """
    clause, others = clause_and_others
    attached = actor_stage.subtrees(heads) | _participle_subjects(heads)
    # "Novoselivka (Kramatorsk raion, Donetsk oblast)": the units qualify the village, which resolved
    units = {(w[0], w[1]) for pm in sent_places for w in pm.toponym.within}
    ranked = []
    for pm in sent_places:
        if not pm.place.iso3:
            continue  # "the Middle East", "Africa": no country, too vague to place an event
        if (pm.toponym.start, pm.toponym.end) in units:
            continue
        t = pm.toponym
        inside = 0 if clause[0] <= t.start < clause[1] else 1
        tok = doc.char_span(t.start - sent.start, t.end - sent.start, alignment_mode="expand")
        far, near_trigger = 0, 1
        if tok is not None and len(tok):
            root = tok.root
            # "Ilsky (Seversky, Krasnodar)" with the village unknown: the bracket's region is where
            qualifier = t.qualifier is not None and _in_brackets(sent.text, t.start - sent.start)
            far = int((_reference_only(root, blocked) and not qualifier) or t.start < dateline)
            near_trigger = 0 if root.i in attached else 1
            if inside and root.i in attached and root.i not in others:
                inside = 0
        country_level = (
            1 if (pm.place.feature or "").startswith("A.PCL") or not pm.place.admin1 else 0
        )
        rank = (inside + far * 2, near_trigger, country_level, pm.place.geo_precision)
        if rank[0] < (1 if strict else 2):
            ranked.append((rank, pm))
    ranked.sort(key=lambda x: x[0])
    out = [pm for _, pm in ranked]
    if out and out[0].place.geo_precision == 3 and out[0].place.admin1:
        # "the streets of downtown Eldoret ... one of the largest rallies in Uasin Gishu": a town the clause
        # names inside the region its event word names is the more specific place of the event
        region = out[0].place
        inner = next(
            (
                pm
                for (rank, pm) in ranked[1:]
                if rank[0] == ranked[0][0][0]
                and pm.place.geo_precision < 3
                and (pm.place.iso3, pm.place.admin1) == (region.iso3, region.admin1)
            ),
            None,
        )
        if inner is not None:
            out.remove(inner)
            out.insert(0, inner)
    return out


def _participle_subjects(heads: list[Any]) -> set[int]:
    """The subject of the verb a participle without its own subject hangs from ("Residents of X
    blocked the road, protesting against ..."): who protests, and the place they are of."""
    out: set[int] = set()
    for h in heads:
        if h.dep_ in ("advcl", "xcomp") and h.tag_ == "VBG":
            if not any(c.dep_ in ("nsubj", "nsubjpass") for c in h.children):
                for c in h.head.children:
                    if c.dep_ == "nsubj":
                        out.update(t.i for t in c.subtree)
    return out


def _in_brackets(text: str, at: int) -> bool:
    """Whether the character offset ``at`` lies inside an open bracket of ``text``."""
    return text.rfind("(", 0, at) > text.rfind(")", 0, at)


_PLACE_NOUNS = {
    "city",
    "town",
    "village",
    "province",
    "region",
    "state",
    "county",
    "district",
    "capital",
    "area",
    "countryside",
    "outskirts",
    "governorate",
    "oblast",
}


# verbs that move people after an event: the hospital or camp they were taken to is not where it
# happened ("to X" itself is a far preposition, save after a deployment's verb)
_TRANSFER_VERBS = frozenset(
    "take transfer rush evacuate shift move fly airlift admit refer carry ferry flee relocate "
    "send escape".split()
)
_DEPLOY_VERBS = frozenset("deploy redeploy send dispatch move".split())
_CARE_NOUNS = frozenset("hospital clinic infirmary facility centre center camp shelter".split())


def _destination(prep: Any) -> bool:
    """A preposition naming where people were taken after the event: "in X" after the hospital or
    camp they were taken to ("transferred to hospital in Ramadi")."""
    noun = prep.head
    if prep.lower_ in ("in", "at") and noun.lemma_ in _TRANSFER_VERBS:
        return any(c.lower_ == "to" for c in noun.children)  # "shifted to hospital in X"
    return (
        prep.lower_ in ("in", "at")
        and noun.lemma_ in _CARE_NOUNS
        and noun.dep_ == "pobj"
        and noun.head.lower_ == "to"
        and noun.head.head.lemma_ in _TRANSFER_VERBS
    )


def _reference_only(root: Any, blocked: set[int]) -> bool:
    """A place named as an actor, a modifier or a reference point rather than where something happened."""
    if root.i in blocked:
        return True
    if root.dep_ == "nsubj" and root.head.pos_ == "VERB":
        return True  # metonymy: "Moscow blamed", "Kyiv denied" name an actor, not the place
    first = root  # "Israeli or U.S. aircraft": a modifier coordinated with one
    while first.dep_ == "conj" and first.head is not first:
        first = first.head
    if (
        first.dep_ in ("amod", "compound", "npadvmod")
        and first.head.lemma_ not in _PLACE_NOUNS
        and first.head.i > first.i  # ("Shirqat, Salah al-Din" hangs a region after its town)
    ):
        return True  # "a U.S.-designated group", "French army base": whose, not where
    prep = root.head if root.dep_ == "pobj" else None
    if prep is None:
        return False
    if prep.lower_ == "to" and prep.head.lemma_ in _DEPLOY_VERBS:
        return False  # "sent reinforcements to Pokrovsk": a deployment is where it goes
    if prep.lower_ in _FAR_PREPS or prep.head.lemma_ in blame_verbs():
        return True  # "miles from X", "blamed on Ukraine"
    if prep.lower_ in ("across", "beyond", "over") and prep.head.lower_ == "from":
        return True  # "fired from across the Dnipro": where the fire came from
    if _destination(prep):
        return True  # "transferred to hospital in Ramadi": where the wounded were taken
    return prep.lower_ == "of" and prep.head.lemma_ in (
        "border",
        "mile",
        "kilometre",
        "kilometer",
        "km",
    )
