"""Find event triggers in a sentence and drop the non-events; ``subtype_rules`` decides each
mention's sub-event type from the hits kept here.

Deciding is kept apart from writing events (``extract.py``): the functions here look at one parsed
sentence and return plain ``Hit`` records.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sitrep.pipeline import lexicon
from sitrep.pipeline.quantities import number_value
from sitrep.taxonomy import event_type_of

# Sub-event types that make a trigger violent (they group with casualties in one mention).
_VIOLENT_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}
_CLAUSE_DEPS = {"ROOT", "conj", "advcl", "ccomp", "parataxis", "relcl"}
# this many events or more, counted together, are a tally ("12 attacks this year")
_AGGREGATE_MIN = 5


@dataclass
class Hit:
    """One trigger match in a parsed sentence."""

    trigger: lexicon.Trigger
    start: int  # character offsets within the sentence
    end: int
    head: Any  # spaCy Token deciding negation and modality
    group: str = ""  # violent | protest | strategic | casualty
    clause: int = -1  # index of the clause head token


@dataclass
class Decision:
    """The sub-event type decided for a group of hits in one clause, with the cues that decided it."""

    sub_event_type: str
    confidence: float
    specific: bool  # False when the type is a default guess
    hits: list[Hit] = field(default_factory=list)
    learned: bool = False  # the learned typer chose the type (the rules' actor checks leave it)
    ruled: str | None = None  # the rules' sub-type the typer replaced


def quick_match(text: str) -> bool:
    """Cheap first pass: may this sentence report an event at all?"""
    return any(t.regex.search(text) for t in lexicon.triggers())


def find_hits(doc: Any, rejected: list[Any] | None = None, short: bool = False) -> list[Hit]:
    """All trigger matches in a parsed sentence, longest first where they overlap, non-events dropped.

    The heads of dropped non-events are appended to ``rejected`` when it is given. ``short``: the
    sentence is one of a short text (see ``is_nonevent``).
    """
    raw: list[Hit] = []
    text = doc.text  # built from the tokens on every access: once here
    for trig in lexicon.triggers():
        for m in trig.regex.finditer(text):
            span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            raw.append(Hit(trig, m.start(), m.end(), _span_head(span)))
    raw.sort(key=lambda h: (-(h.end - h.start), -h.trigger.weight))
    kept: list[Hit] = []
    for h in raw:
        if any(h.start < k.end and k.start < h.end for k in kept):
            continue
        kept.append(h)
    kept.sort(key=lambda h: h.start)
    out = []
    for h in kept:
        if h.trigger.id == "overtake" and _people_captured(h, text):
            continue  # "several rebels were captured": people taken, not ground
        if is_nonevent(h.head, short):
            if rejected is not None:
                rejected.append(h.head)
            continue
        h.group = group_of(h.trigger)
        h.clause = clause_head(h.head).i
        out.append(h)
    return out


def _people_captured(h: Hit, text: str) -> bool:
    """A bare "captured" whose object (or passive subject, or that of the verb it is coordinated
    with: "rebels were neutralized or captured") is people: fighters or civilians."""
    if text[h.start : h.end].lower() not in ("captured", "capture"):
        return False
    cues = lexicon.cues()
    verb = h.head
    for _ in range(5):
        for c in verb.children:
            if c.dep_ in ("dobj", "nsubjpass"):
                words = " ".join(t.text for t in islice(c.subtree, 12))  # (bounded per hit)
                return bool(cues["armed"].search(words) or cues["civilians"].search(words))
        if verb.dep_ != "conj" or verb.head is verb:
            break
        verb = verb.head
    return False


def _span_head(span: Any) -> Any:
    """The syntactic head of a span, preferring verbs and nouns over function words."""
    content = [t for t in span if t.pos_ in ("VERB", "NOUN", "PROPN", "ADJ")] or list(span)
    return min(content, key=lambda t: sum(1 for _ in t.ancestors))


def clause_head(tok: Any) -> Any:
    """The nearest ancestor (or the token itself) that heads a clause."""
    cur = tok
    for _ in range(50):
        if cur.dep_ in _CLAUSE_DEPS and cur.pos_ in ("VERB", "AUX") or cur.head == cur:
            break
        cur = cur.head
    # coordinated verbs ("shelled the town and killed three") share the first conjunct's clause
    while cur.dep_ == "conj" and cur.head != cur and cur.head.pos_ in ("VERB", "AUX"):
        cur = cur.head
    return cur


def group_of(trig: lexicon.Trigger) -> str:
    """The mention group of a trigger: violent, protest, strategic or casualty."""
    if trig.family in ("violence", "explosion"):
        return "violent"
    if trig.family == "casualty":
        return "casualty"
    assert trig.sub
    return group_of_sub(trig.sub)


def group_of_sub(sub_event_type: str) -> str:
    """The mention group of a sub-event type: violent, protest or strategic."""
    etype = event_type_of(sub_event_type)
    if etype in _VIOLENT_TYPES:
        return "violent"
    if etype in ("Protests", "Riots"):
        return "protest"
    return "strategic"


# ---------------------------------------------------------------------------------------------
# Non-events: negation, modality, hypotheticals, fears, generic framing


def is_nonevent(head: Any, short: bool = False, typed: bool = False) -> bool:
    """True when the trigger is negated, hypothetical, feared, planned or generic.

    ``short``: the sentence is one of a short text (a headline, an alert, a post), where the simple
    present tells news ("Police arrest 12 in Harare"), not a habit, unless it is prose; ``typed``:
    the typer read an event there, and ``head`` is only the sentence's main verb (no habit check).
    """
    return _is_not_an_act(head) or _denies_clause(head, short, typed)


def _is_not_an_act(head: Any) -> bool:
    """The trigger word is a name or a modifier, whatever its clause says."""
    ne = lexicon.nonevent()
    if head.pos_ == "PROPN" and head.i > 0 and head.text[:1].isupper():
        return True  # a name ("Lynch", "Battle Creek"), not an act
    if (head.dep_ == "compound" and head.lemma_ in ne["event_nouns"]) or (
        head.dep_ == "amod" and head.tag_ == "VBN"
    ):
        return True  # "arrest warrants", "protest leaders", "the jailed publisher": a modifier, not an event
    return (
        head.tag_ == "NNS"
        and head.lemma_ in ne["event_nouns"]
        and head.dep_ in ("pobj", "conj", "appos")
        and not any(c.dep_ in ("det", "nummod", "poss") for c in head.children)
    )  # a bare plural object ("subject to attacks, abductions"; "despite protests")


def _denies_clause(head: Any, short: bool = False, typed: bool = False) -> bool:
    """True when the trigger's clause says it did not happen, may happen, or happens as a rule:
    negation, denial, modality, fear or plan, generic framing, a tally, a habit or a future."""
    ne = lexicon.nonevent()
    if _is_tally(head, ne) or (not (short and typed) and _is_habitual(head, ne, short)):
        return True
    if head.dep_ == "relcl" and head.head.lower_ in ne["generic_subjects"]:
        return True  # "somebody who has been arrested"
    if head.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ == "since" for c in head.children
    ):
        return True  # "since they seized power in 2021": a point in time for another statement
    if _is_state_since(clause_head(head)):
        return True
    for tok in (head, head.head):
        if any(
            c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ne["generic_subjects"]
            for c in tok.children
        ):
            return True
    if is_negated(head):
        return True
    # Modal auxiliaries on the trigger's clause (could attack, would be killed).
    cur = head
    for _ in range(4):
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in ne["modal_aux"] for c in cur.children):
            return True
        if cur.dep_ not in (
            "xcomp",
            "conj",
            "pobj",
            "prep",
            "dobj",
            "nsubjpass",
            "compound",
            "amod",
            "attr",
        ):
            break
        cur = cur.head
    # Governing words of fear, threat, plan, possibility anywhere up the tree.
    cur = head
    for _ in range(8):
        if cur != head and cur.lower_ in ne["governors"]:
            return True
        if cur.head == cur:
            break
        if cur.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cur.children
        ):
            return True
        cur = cur.head
    # Generic framing: "a campaign to destroy", "continued bombing", "future drone strikes".
    for child in head.children:
        if child.dep_ in ("amod", "compound", "advmod") and child.lower_ in ne["generic_mods"]:
            return True
    cur = head
    for _ in range(3):
        if cur.head == cur:
            break
        if cur.head.lower_ in ne["generic_heads"] and cur.dep_ in (
            "acl",
            "pobj",
            "prep",
            "xcomp",
            "relcl",
            "compound",
        ):
            return True
        if cur.dep_ == "pobj" and cur.head.head.lower_ in ne["generic_heads"]:
            return True
        cur = cur.head
    # Generic framing of the trigger's part of the sentence ("as part of a campaign to ...").
    if _generic_part(head):
        return True
    # Future or habitual tense on a verb trigger ("will attack", "attacks every year").
    if head.tag_ == "VB" and not any(c.dep_ in ("aux", "auxpass") for c in head.children):
        if short and any(c.dep_ == "nsubj" for c in head.children):
            return False  # a headline's present with a plural subject ("Police establish camp")
        return head.dep_ not in ("xcomp", "ccomp", "conj", "advcl")
    return False


def is_negated(head: Any) -> bool:
    """True when the trigger or the verb it hangs from is negated or denied ("did not attack",
    "no one was killed", "denied that any protesters were detained")."""
    ne = lexicon.nonevent()
    # Negation on the trigger or on the verb it depends on ("no X was damaged", "did not carry out
    # an attack"); a verb hanging from a noun ("bomb explodes, no injuries") is not negated by it.
    governors = [head] if head.pos_ == "VERB" and head.head.pos_ not in ("VERB", "AUX") else []
    if not governors and _across_semicolon(head, head.head):
        governors = [head]  # "rockets hit X; nobody was injured": two statements, however parsed
    for tok in governors or (head, head.head):
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in ne["negators"]):
                return True
            if child.dep_ in ("nsubj", "nsubjpass") and child.lower_ in (
                "nobody",
                "none",
                "nothing",
            ):
                return True
        if tok.dep_ in ("nsubj", "nsubjpass", "dobj"):
            break
    # "denied that any protesters were detained"
    if any(c.dep_ == "det" and c.lower_ == "any" for c in head.children) and any(
        a.lemma_ in ("deny", "reject", "dismiss", "refute") for a in head.ancestors
    ):
        return True
    # "denied that any ..." / "no one was killed"
    for child in head.children:
        if child.dep_ in ("nsubj", "nsubjpass") and any(
            c.lower_ in ("no", "any") for c in child.children if c.dep_ == "det"
        ):
            return True
    return False


def _across_semicolon(a: Any, b: Any) -> bool:
    """A semicolon stands between two tokens of one sentence (found once per sentence)."""
    doc = a.doc
    stops = doc.user_data.get("sitrep_semicolons")
    if stops is None:
        stops = doc.user_data["sitrep_semicolons"] = [t.i for t in doc if t.text == ";"]
    lo, hi = sorted((a.i, b.i))
    k = bisect.bisect_left(stops, lo)
    return k < len(stops) and stops[k] < hi


def _generic_part(head: Any) -> bool:
    """The part of the sentence that holds the trigger (between semicolons) is framed as generic
    ("as part of a campaign to ...", "have been fighting since January"). A report and the
    background set after a semicolon are two statements: "A car bomb exploded in X; rebels have
    been fighting there since January" still reports the explosion. The framings and the
    semicolons are found once per sentence (``doc.text`` is rebuilt from every token on each
    access)."""
    doc = head.doc
    found = doc.user_data.get("sitrep_generic")
    if found is None:
        spans = [(m.start(), m.end()) for m in lexicon.generic_sentence().finditer(doc.text)]
        stops = [t.idx for t in doc if t.text == ";"] if spans else []
        found = doc.user_data["sitrep_generic"] = (spans, stops)
    spans, stops = found
    if not spans:
        return False
    k = bisect.bisect_right(stops, head.idx)
    lo = stops[k - 1] if k else -1
    hi = stops[k] if k < len(stops) else len(doc.text) + 1
    return any(start < hi and end > lo for start, end in spans)


def _counts_many(noun: Any, ne: dict[str, frozenset[str]]) -> bool:
    """True when a plural noun is counted as many ("more than 300 attacks", "dozens of raids")."""
    if noun.tag_ not in ("NNS", "NNPS"):
        return False
    for c in noun.children:
        if c.dep_ in ("nummod", "amod", "quantmod") and c.lower_ in ne["aggregate_quantifiers"]:
            return True
        if c.dep_ == "nummod":
            n = number_value(c.text)
            if n is not None and n >= _AGGREGATE_MIN:
                return True
        if (
            c.dep_ == "amod"
            and c.lower_ in ne["comparatives"]
            and any(g.lower_ == "than" for g in (*c.children, *noun.children))
        ):
            return True  # "more bombings than any other city"
    # "hundreds of attacks": the noun hangs from a quantifier
    quant = noun.head if noun.dep_ == "pobj" and noun.head.lower_ == "of" else None
    return quant is not None and quant.head.lower_ in ne["aggregate_quantifiers"]


def _is_tally(head: Any, ne: dict[str, frozenset[str]]) -> bool:
    """A sum of many events rather than one: "over 500 attacks", "221 cases of rape"."""
    if head.dep_ in ("amod", "compound"):
        head = head.head
    if head.pos_ not in ("NOUN", "VERB"):
        return False
    if head.lemma_ in ne["event_nouns"] and _counts_many(head, ne):
        return True
    # a toll summed over many events: "killed 400 people in over 500 attacks"
    if head.pos_ == "VERB":
        victims = [c for c in head.children if c.dep_ in ("dobj", "nsubjpass")]
        return any(
            g.dep_ == "pobj" and g.lemma_ in ne["event_nouns"] and _counts_many(g, ne)
            for w in (head, *victims)
            for c in w.children
            if c.dep_ == "prep"
            for g in c.children
        )
    # "150 cases of sexual violence": the event noun counted through a tally noun
    up = head.head if head.dep_ == "pobj" else None
    tally = up.head if up is not None and up.lower_ == "of" else None
    return tally is not None and tally.lower_ in ne["tally_nouns"] and _counts_many(tally, ne)


def _prose(verb: Any) -> bool:
    """Prose, no headline ("The militia raids villages."): its present tells a habit when short."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), verb)
    articles = {c.lower_ for c in subject.children} & {"the", "a", "an"}
    return verb.sent.text.rstrip().endswith(".") and subject is not verb and bool(articles)


def _is_habitual(head: Any, ne: dict[str, frozenset[str]], short: bool = False) -> bool:
    """A habit in the simple present ("the militia raids villages"); when short, only a verb
    trigger in prose (a present "condemns the attacks" is a statement, not a habit)."""
    if head.dep_ in ("amod", "compound"):  # "sexual (violence)", "car (bomb)"
        head = head.head
    verb = head
    # a noun counts as the verb's object, never as its subject ("the arrest sends a message")
    if head.pos_ == "NOUN":
        cur = head
        while cur.dep_ in ("conj", "pobj", "prep") and cur.head != cur:
            cur = cur.head
        if cur.dep_ != "dobj":
            return False
        verb = cur.head
    if verb.pos_ not in ("VERB", "AUX") or not _simple_present(verb):
        return False
    if verb.lemma_ in ne["habitual_exempt"] or verb.lemma_ in ("be", "have"):
        return False
    if (short and (verb is not head or not _prose(verb))) or any(
        c.dep_ in ("aux", "auxpass") for c in verb.children
    ):
        return False
    return verb.dep_ in ("ROOT", "conj", "ccomp", "relcl")


_LONG_AGO = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december|years?|months?|decades?)\b",
    re.IGNORECASE,
)


def _is_state_since(clause: Any) -> bool:
    """A present perfect running since a year or month ("since August 2022 the town has been the
    centre of a mobilisation"): a state or a tally over a long time, not an event."""
    if not any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in clause.children):
        return False
    since = next((c for c in clause.children if c.lower_ == "since" and c.dep_ == "prep"), None)
    return since is not None and bool(_LONG_AGO.search(" ".join(t.text for t in since.subtree)))


def _simple_present(verb: Any) -> bool:
    """A verb in the simple present with no date of its own: a habit, not an event.

    The tagger calls some past forms present ("troops retook the town on Thursday") and some
    present forms bare ("migrants suffer"), so a date in the clause rules a habit out.
    """
    if verb.tag_ == "VBZ":
        present = verb.lower_.endswith("s")
    elif verb.tag_ == "VBP":
        present = True
    else:  # a bare form with its own subject ("migrants suffer abductions")
        present = verb.tag_ == "VB" and any(c.dep_ == "nsubj" for c in verb.children)
    if not present:
        return False
    lo, hi = verb.left_edge.i, verb.right_edge.i
    return not any(e.label_ in ("DATE", "TIME") and lo <= e.start <= hi for e in verb.doc.ents)
