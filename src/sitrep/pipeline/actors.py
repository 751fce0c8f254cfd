"""Name the actors of a mention in ACLED's style from its parsed clause.

actor1 is the side that acts (attacker, arresting force, protesters); actor2 the side acted upon.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from sitrep.pipeline import lexicon
from sitrep.resources import blame_verbs

_AGENT_DEPS = {"nsubj", "agent", "poss", "amod", "compound", "csubj"}
_PATIENT_DEPS = {"dobj", "nsubjpass", "pobj", "attr", "appos"}
_HEARSAY_VERBS = {
    "suspect",
    "believe",
    "think",
    "say",
    "report",
    "allege",
    "accuse",
    "understand",
    "know",
    "expect",
    "blame",
}
_SOURCE_VERBS = {
    "say",
    "blame",
    "claim",
    "deny",
    "report",
    "accuse",
    "announce",
    "state",
    "tell",
    "confirm",
    "add",
    "allege",
    "warn",
    "insist",
    "reject",
    "dismiss",
}
_UNDERGO_VERBS = {"come", "suffer", "face", "sustain", "endure", "undergo", "receive"}
_THE_COUNTRIES = {
    "USA",
    "GBR",
    "COD",
    "CAF",
    "PHL",
    "NLD",
    "ARE",
    "COM",
    "GMB",
    "BHS",
    "MDV",
    "SYC",
}


@dataclass(frozen=True)
class ActorLexicon:
    groups: tuple[tuple[re.Pattern[str], str], ...]
    group_home: dict[str, dict[str, str]]
    state: tuple[tuple[str, frozenset[str]], ...]
    civilian: frozenset[str]
    journalist: frozenset[str]
    protester: frozenset[str]
    rioter: frozenset[str]
    unidentified: frozenset[str]


@cache
def _lex() -> ActorLexicon:
    raw = lexicon.load_json("actors.json")
    groups = []
    for name, aliases in raw["groups"].items():
        for alias in aliases:
            rx = re.compile(
                rf"(?<![\w-]){re.escape(alias)}(?![\w-])", re.IGNORECASE if len(alias) > 4 else 0
            )
            groups.append((rx, name))
            if len(alias) <= 4:  # short acronyms only in upper case
                groups[-1] = (re.compile(rf"(?<![\w-]){re.escape(alias.upper())}(?![\w-])"), name)
    groups.sort(key=lambda g: -len(g[0].pattern))
    home = {k: v for k, v in raw["group_home"].items() if not k.startswith("_")}
    return ActorLexicon(
        tuple(groups),
        home,
        tuple((tmpl, frozenset(nouns)) for tmpl, nouns in raw["state_nouns"].items()),
        frozenset(raw["civilian_nouns"]),
        frozenset(raw["journalist_nouns"]),
        frozenset(raw["protester_nouns"]),
        frozenset(raw["rioter_nouns"]),
        frozenset(raw["unidentified_nouns"]),
    )


def actor_country_name(c: lexicon.Country) -> str:
    """The country as it stands inside an ACLED actor name ("Military Forces of the United States")."""
    return f"the {c.name}" if c.iso3 in _THE_COUNTRIES else c.name


def name_phrase(phrase: str, head_lemma: str, home: lexicon.Country | None) -> str | None:
    """The ACLED actor a noun phrase denotes, or None. ``home`` is the event's country."""
    lex = _lex()
    for rx, name in lex.groups:
        if rx.search(phrase):
            if home and name in lex.group_home:
                return lex.group_home[name].get(home.iso3, name)
            return name
    low = phrase.lower()
    words = re.findall(r"[\w'-]+", low)
    nation = _nation(phrase)
    head = head_lemma.lower()
    two = " ".join(words[-2:])
    for tmpl, nouns in lex.state:
        if head in nouns or two in nouns or (head in ("forces", "force") and "Military" in tmpl):
            c = nation or home
            return tmpl.replace("{C}", actor_country_name(c)) if c else None
    c = nation or home
    where = f" ({c.name})" if c else ""
    if head in lex.unidentified or two in lex.unidentified:
        return f"Unidentified Armed Group{where}" if c else "Unidentified Armed Group"
    if head in lex.protester:
        return f"Protesters{where}"
    if head in lex.rioter:
        return f"Rioters{where}"
    if head in lex.journalist:
        return f"Journalists{where}"
    if head in lex.civilian:
        return f"Civilians{where}"
    if nation and low.strip(" .'\"") in {w for w in _country_keys(nation)}:
        return None  # a bare country name: the caller decides (metonymy)
    return None


def named_groups(text: str, home: lexicon.Country | None) -> list[str]:
    """The named armed groups of the actor lexicon that ``text`` mentions, in ACLED's names."""
    lex = _lex()
    found: list[str] = []
    for name in _mentioned_groups(text):
        if home and name in lex.group_home:
            name = lex.group_home[name].get(home.iso3, name)
        if name not in found:
            found.append(name)
    return found


@lru_cache(maxsize=16)  # every event of an article asks about the same text
def _mentioned_groups(text: str) -> tuple[str, ...]:
    rx, by_alias = _group_finder()
    names: list[str] = []
    for m in rx.finditer(text):
        alias = m.group(0)
        name = by_alias.get(alias) or by_alias[alias.lower()]
        if name not in names:
            names.append(name)
    return tuple(names)


@cache
def _group_finder() -> tuple[re.Pattern[str], dict[str, str]]:
    """One pattern for every group alias (longest first; acronyms of four letters or fewer only in
    capitals), and the group each alias names (long aliases by their lower case)."""
    raw = lexicon.load_json("actors.json")["groups"]
    by_alias: dict[str, str] = {}
    branches: list[tuple[int, str]] = []
    for name, aliases in raw.items():
        for alias in aliases:
            if len(alias) > 4:
                by_alias.setdefault(alias.lower(), name)
                branches.append((len(alias), f"(?i:{re.escape(alias)})"))
            else:
                by_alias.setdefault(alias.upper(), name)
                branches.append((len(alias), re.escape(alias.upper())))
    branches.sort(key=lambda b: -b[0])
    alternatives = "|".join(b for _, b in branches)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])"), by_alias


def name_the_unidentified(
    a1: str | None, a2: str | None, groups: list[str]
) -> tuple[str | None, str | None]:
    """An "Unidentified Armed Group" becomes the one armed group the article names, as a coder
    reading the whole article would name it; with none or several named, it stays unidentified."""
    if len(groups) != 1 or groups[0] in (a1, a2):
        return a1, a2
    unnamed = "Unidentified Armed Group"
    if a1 and a1.startswith(unnamed):
        return groups[0], a2
    if a2 and a2.startswith(unnamed):
        return a1, groups[0]
    return a1, a2


@cache
def _country_keys_cached(iso3: str) -> frozenset[str]:
    return frozenset(k for k, c in lexicon.country_words().items() if c.iso3 == iso3)


def _country_keys(c: lexicon.Country) -> frozenset[str]:
    return _country_keys_cached(c.iso3)


def _nation(phrase: str) -> lexicon.Country | None:
    words = lexicon.country_words()
    toks = re.findall(r"[A-Z][\w.'-]*(?: [A-Z][\w.'-]*)*", phrase)
    for tok in toks:
        for cand in (tok, tok.rstrip("'s").rstrip("’s"), tok.split(" ")[0]):
            c = words.get(cand.lower())
            if c:
                return c
    return None


def country_of(token_text: str) -> lexicon.Country | None:
    """A country named, adjectivally or by its capital, by a single word or name."""
    return lexicon.country_words().get(token_text.lower().rstrip("'s").strip())


def subtrees(heads: list[Any]) -> set[int]:
    """The token indices under any of ``heads``, each subtree walked once: a head already inside
    another's subtree adds nothing (so many hits in one long clause cost one walk, not one each)."""
    out: set[int] = set()
    for h in sorted(heads, key=lambda t: t.left_edge.i - t.right_edge.i):  # widest first
        if h.i not in out:
            out.update(t.i for t in h.subtree)
    return out


def find_actors(
    hits_heads: list[Any], clause: Any, home: lexicon.Country | None, violent: bool
) -> tuple[str | None, str | None]:
    """actor1 and actor2 for a mention whose trigger heads are ``hits_heads`` within ``clause`` tokens."""
    from sitrep.pipeline.triggers import clause_head

    agents: list[tuple[int, str]] = []
    patients: list[tuple[int, str]] = []
    tokens = set(t.i for t in clause)
    # only words syntactically inside the trigger's own clause can name its parties
    linked = subtrees([clause_head(h) for h in hits_heads])
    for tok in clause:
        if tok.pos_ not in ("NOUN", "PROPN", "ADJ", "PRON") or tok.i not in linked:
            continue
        if (
            tok.dep_ in ("compound",)
            and tok.head.pos_ in ("NOUN", "PROPN")
            and tok.head.i in tokens
            and tok.pos_ != "ADJ"
        ):
            continue  # the head noun carries the phrase
        ref = _antecedent(tok) if tok.pos_ == "PRON" else tok
        if ref is None:
            continue
        phrase = _phrase(ref)
        actor = name_phrase(phrase, ref.lemma_ if ref.pos_ != "PROPN" else ref.text, home)
        if actor is None and tok.pos_ in ("PROPN", "ADJ"):
            c = country_of(tok.text)
            if c and tok.dep_ in ("nsubj", "poss", "amod", "compound", "pobj", "nsubjpass"):
                if tok.dep_ == "pobj" and tok.head.lower_ not in ("by", "behind", "on", "against"):
                    continue
                kind = "Military Forces of" if violent else "Government of"
                actor = f"{kind} {actor_country_name(c)}"
        if actor is None:
            continue
        role = _role(tok, hits_heads)
        if role is None:
            continue
        dist = min(abs(tok.i - h.i) for h in hits_heads)
        (agents if role == "agent" else patients).append((dist, actor))
    agents.sort()
    patients.sort()
    a1 = agents[0][1] if agents else None
    a2 = next((p for _, p in patients if p != a1), None)
    return a1, a2


def _antecedent(pron: Any) -> Any:
    """For "he"/"they" as subject of a reported clause, the subject of the reporting verb.

    ("the governor announced he was establishing units" -> governor)
    """
    if pron.dep_ not in ("nsubj", "nsubjpass") or pron.lower_ not in (
        "he",
        "she",
        "they",
        "it",
        "we",
    ):
        return None
    clause = pron.head
    if clause.dep_ not in ("ccomp", "xcomp") or clause.head == clause:
        return None
    return next(
        (c for c in clause.head.children if c.dep_ == "nsubj" and c.pos_ in ("NOUN", "PROPN")), None
    )


def _phrase(tok: Any) -> str:
    left = tok.left_edge.i
    # only the pre-modifiers, not relative clauses or prepositional phrases
    start = min([c.left_edge.i for c in tok.lefts] + [tok.i]) if tok.n_lefts else tok.i
    start = max(start, left)
    return str(tok.doc[start : tok.i + 1].text)


def _role(tok: Any, heads: list[Any]) -> str | None:
    """agent, patient or None, judged on the path from the token to the nearest trigger."""
    dep = tok.dep_
    if dep == "pobj":
        prep = tok.head.lower_
        if prep in ("by", "behind") or (prep == "on" and tok.head.head.lemma_ in blame_verbs()):
            return "agent"
        if prep in ("on", "against", "at", "of", "into", "targeting"):
            return "patient"
        return None
    if dep in ("amod", "compound", "poss") and tok.head in heads:
        # "Russian strikes" (agent) but "civilian deaths" (patient)
        return (
            "patient"
            if tok.lower_ in _lex().civilian or tok.head.lemma_ in ("death", "casualty")
            else "agent"
        )
    if dep in ("nsubj", "csubj", "agent"):
        # the subject of a speech or claim verb is a source, not a party to the event
        if tok.head.lemma_ in _SOURCE_VERBS:
            return None
        # "the base came under attack", "the convoy suffered heavy losses": the subject is the target
        return "patient" if tok.head.lemma_ in _UNDERGO_VERBS else "agent"
    if dep == "nsubjpass" and tok.head.lemma_ in _HEARSAY_VERBS:
        # "X is suspected to be behind", "X is said to have attacked"; not "X is thought to have been hit"
        inner = [c for c in tok.head.children if c.dep_ in ("xcomp", "ccomp")]
        passive = any(g.dep_ == "auxpass" for c in inner for g in c.children)
        return "patient" if passive else "agent"
    if dep in ("nsubjpass", "dobj", "attr"):
        return "patient"
    if dep in ("amod", "compound", "poss"):
        return _role(tok.head, heads) if tok.head != tok else None
    if dep in ("conj", "appos"):
        return _role(tok.head, heads) if tok.head != tok else None
    return None
