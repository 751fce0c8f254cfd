"""Sources: who is speaking, read from the noun phrase that names a person or a body.

``source_of`` takes the phrase headed by a token, as written, and splits it into a name and a
role ("Police spokesman Ahmed Ali"); ``sources_of`` adds the sources coordinated with it; and
``Speakers`` remembers the sources seen so far to resolve "he said" and "another said".
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token

from sitrep.pipeline.quote_lexicon import lexicon

# --- sources ------------------------------------------------------------------------------------


@dataclass
class Source:
    """A source named in the text: ``text`` as written (with its role), split into name and role."""

    text: str
    name: str | None
    role: str | None
    head: str  # lemma of the head noun: "governor", "media", "busargin"
    person: bool
    start: int
    end: int

    @property
    def speaker(self) -> str:
        """The name when there is one, else the whole phrase ("Russian media")."""
        return self.name or self.text


_LEFT_SKIP = {"punct", "cc", "preconj", "case", "mark", "advmod", "neg", "prep"}
_RIGHT_KEEP = {"compound", "nummod", "amod", "npadvmod", "nmod", "flat"}
_RIGHT_PREPS = {"of", "for", "at", "from", "with", "to", "on"}


def _is_act(tok: Token) -> bool:
    """A verb or event word ("misrepresenting", "killing", "attack") heading a prepositional object."""
    if tok.dep_ == "pcomp" or tok.tag_ == "VBG":
        return True
    return tok.dep_ == "pobj" and (
        tok.lemma_.lower() in lexicon()["event_nouns"]
        or (tok.is_lower and tok.text.endswith("ing"))
    )


def _np_range(head: Token) -> tuple[int, int]:
    """Token range [lo, hi] of the noun phrase headed by ``head``, without clauses or appositions."""
    lo = hi = head.i
    for c in head.lefts:
        if c.dep_ in _LEFT_SKIP and not (c.dep_ == "punct" and c.text in "-–"):
            continue
        lo = min(lo, c.left_edge.i)
    for c in head.rights:
        between = head.doc[hi + 1 : c.i]
        if any(t.text in ',;:()—–"“”' for t in between):
            break
        if c.dep_ == "prep" and any(_is_act(g) for g in c.children):
            break  # "accused the envoy [of misrepresenting ...]": an act, not part of the name
        if c.dep_ in _RIGHT_KEEP or (c.dep_ == "prep" and c.lower_ in _RIGHT_PREPS):
            hi = max(hi, c.right_edge.i)
        elif c.dep_ == "punct" and c.text in "-–":
            hi = max(hi, c.i)
        else:
            break
    doc = head.doc
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space or doc[hi].dep_ == "case"):
        hi -= 1
    return lo, hi


def _role_split(doc: Doc, lo: int, hi: int, head: int) -> tuple[str | None, str | None]:
    """(name, role) within a phrase: "Police spokesman Ahmed Ali" -> ("Ahmed Ali", "Police spokesman").

    The name must contain the phrase's head: in "a spokesman for President X", X is not the speaker.
    """
    for ent in doc.ents:
        if ent.label_ == "PERSON" and lo <= ent.start <= head < ent.end <= hi + 1:
            first = ent.start  # the tagger often leaves a first name out: "Oleksandr [Prokudin]"
            while first > lo and doc[first - 1].pos_ == "PROPN" and not _is_role(doc[first - 1]):
                first -= 1
            before = doc[lo:first].text.strip(" ,")
            after = doc[ent.end : hi + 1].text.strip(" ,")
            return doc[first : ent.end].text, (before or after or None)
    if doc[head].pos_ != "PROPN" or head != hi:
        return None, None
    k = hi
    while k - 1 >= lo and doc[k - 1].pos_ == "PROPN" and not _is_role(doc[k - 1]):
        k -= 1
    if k > lo and _is_role(doc[k - 1]):
        return doc[k : hi + 1].text, doc[lo:k].text
    return doc[lo : hi + 1].text, None


def _is_role(tok: Token) -> bool:
    return tok.lower_ in lexicon()["role_nouns"]


def _is_person(doc: Doc, lo: int, hi: int, head: Token) -> bool:
    lex = lexicon()
    if head.lemma_.lower() in lex["person_roles"] or head.lower_ in lex["person_roles"]:
        return True
    if any(doc[k].lower_ in lex["person_roles"] for k in range(lo, hi + 1)):
        return True
    return any(e.label_ == "PERSON" and e.start <= head.i < e.end for e in doc.ents)


def _lower_article(text: str, first: Token) -> str:
    if first.pos_ == "DET" and first.is_sent_start and text[:1].isupper():
        return text[:1].lower() + text[1:]
    return text


def source_of(head: Token, offset: int = 0) -> Source | None:
    """The source whose noun phrase is headed by ``head``; None for pronouns and unnamed sources."""
    lex = lexicon()
    low = head.lower_
    if low in lex["pronouns"] or low in lex["unnamed_speakers"] or head.pos_ == "PRON":
        return None
    modified = any(
        c.dep_ in ("compound", "poss", "nmod")
        or (c.dep_ == "amod" and c.lower_ not in lex["vague_modifiers"])
        for c in head.lefts
    )
    if head.lemma_.lower() in lex["unnamed_sources"] and not modified:
        return None
    doc = head.doc
    lo, hi = _np_range(head)
    name, role = _role_split(doc, lo, hi, head.i)
    if name is None and role is None and head.pos_ == "PROPN" and head.i == hi:
        name = doc[lo : hi + 1].text
    person = _is_person(doc, lo, hi, head)
    end = hi
    appos = next((c for c in head.rights if c.dep_ == "appos" and not c.like_num), None)
    if appos is not None:
        alo, ahi = _np_range(appos)
        atext = doc[alo : ahi + 1].text
        if head.pos_ == "PROPN" or name:
            role = _lower_article(atext, doc[alo])  # "X, a military spokesman" outranks "Colonel X"
        elif appos.pos_ == "PROPN":
            role, name = doc[lo : hi + 1].text, atext
        end = ahi
        person = person or _is_person(doc, alo, ahi, appos)
    text = _lower_article(doc[lo : end + 1].text, doc[lo])
    if role is not None:
        role = _lower_article(role, doc[lo])
    return Source(
        text=text,
        name=name,
        role=role,
        head=head.lemma_.lower(),
        person=person,
        start=offset + doc[lo].idx,
        end=offset + doc[end].idx + len(doc[end].text),
    )


def sources_of(head: Token, offset: int = 0) -> list[Source]:
    """The source headed by ``head`` and those coordinated with it ("police and witnesses")."""
    out = []
    for tok in (head, *(c for c in head.conjuncts if c.i > head.i)):
        src = source_of(tok, offset)
        if src is not None:
            out.append(src)
    return out


class Speakers:
    """The sources of statements seen so far, to resolve "he said" and "another said"."""

    def __init__(self) -> None:
        self.history: list[Source] = []

    def add(self, src: Source | None) -> None:
        """Remember a source, in text order."""
        if src is not None:
            self.history.append(src)

    def resolve(self, tok: Token, offset: int) -> Source | None:
        """The source a pronoun ("he", "it") or "another" stands for, or None when unsure."""
        low = tok.lower_
        pos = offset + tok.idx
        if low in ("he", "she"):
            ent = self._recent_person(tok, offset)
            if ent is not None:
                return ent
            for src in reversed(self.history):
                if src.person and src.name and 0 <= pos - src.end <= 600:
                    return src
            return None
        if low in ("it", "they"):
            for src in reversed(self.history):
                if not src.person and 0 <= pos - src.end <= 300:
                    return src
            return None
        if low == "another":
            for src in reversed(self.history):
                if not src.name and 0 <= pos - src.end <= 1500:
                    word = src.text.split()[-1] if src.text.split() else ""
                    if word.lower() == src.head:
                        return replace(src, text=f"another {word}", start=pos, end=pos)
                    return None
        return None

    def _recent_person(self, tok: Token, offset: int) -> Source | None:
        """A person named earlier in this sentence or the one before (same doc) as the pronoun."""
        sent = tok.sent
        doc = tok.doc
        lo = sent.start
        if lo > 0:
            lo = doc[lo - 1].sent.start
        people = [e for e in doc.ents if e.label_ == "PERSON" and lo <= e.start and e.end <= tok.i]
        if not people:
            return None
        return source_of(people[-1].root, offset)
