"""Who says what: quotation marks, the people and bodies quoted, and the verbs that attribute.

The claims stage (``sitrep.pipeline.claims``) builds on three things found here:

- ``scan_quotes``: where direct quotes open and close, over paragraphs, tolerating unbalanced marks and
  quotes that run over several paragraphs (each new paragraph reopens the quote, the last one closes it);
- ``source_of``: the noun phrase naming a source, as written, split into a name and a role;
- ``frames_in``: the attribution frames of a sentence: "X said", "according to X", "X claimed",
  "X denied", "X blamed Y", "Y is suspected".

Offsets are absolute in the article: the offset of the sentence's doc plus ``token.idx``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_MARKS = {'"': ("D", "either"), "“": ("D", "open"), "„": ("D", "open"), "«": ("D", "open")}
_MARKS |= {"”": ("D", "close"), "»": ("D", "close"), "'": ("S", "either"), "‘": ("S", "open")}
_MARKS["’"] = ("S", "close")
_OPENER_PREFIX = "([{—–-:/"
_CLOSER_SUFFIX = ".,;:!?)]}—–-…"
_CLAUSE_DEPS = {"ccomp", "xcomp", "relcl", "acl", "advcl", "parataxis", "conj", "csubj"}


@cache
def lexicon() -> dict[str, Any]:
    """The attribution lexicon (``data/attribution.json``); word lists become frozensets."""
    text = resources.files("sitrep").joinpath("data/attribution.json").read_text(encoding="utf-8")
    raw: dict[str, Any] = json.loads(text)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = frozenset(v.lower() for v in value)
        else:
            out[key] = value
    phrases = "|".join(p.replace(" ", r"\s+") for p in raw["forecast_phrases"])
    out["forecast_rx"] = re.compile(r"\b(?:" + phrases + r")\b", re.IGNORECASE)
    out["hedges"] = [
        (
            h["phrase"],
            re.compile(h["pattern"], re.IGNORECASE),
            h["implies"],
            h.get("as_written", False),
        )
        for h in raw["hedges"]
    ]
    return out


# --- sentences and paragraphs -------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A sentence and where it sits in the article (``start``/``end`` exclude outer whitespace)."""

    sent: Span
    offset: int  # absolute offset of ``sent.doc`` in the article
    start: int
    end: int
    text: str  # the article's text from ``start`` to ``end``

    def slice(self, start: int, end: int) -> str:
        """The unit's text between two absolute offsets (clipped to the unit)."""
        lo, hi = max(start, self.start) - self.start, min(end, self.end) - self.start
        return self.text[lo:hi] if hi > lo else ""


@dataclass(frozen=True)
class Paragraph:
    """A stretch of article text between blank lines (or a whole doc of its own)."""

    start: int
    end: int
    text: str


def units_of(
    doc_or_sents: Doc | Span | Sequence[Doc | Span], offset: int | Sequence[int] = 0
) -> list[Unit]:
    """Sentences of a Doc, a Span or a sequence of them, each with its absolute position."""
    items: list[Doc | Span] = (
        [doc_or_sents] if isinstance(doc_or_sents, Doc | Span) else list(doc_or_sents)
    )
    offsets = [offset] * len(items) if isinstance(offset, int) else list(offset)
    if len(offsets) != len(items):
        raise ValueError("offsets and sentences differ in number")
    units: list[Unit] = []
    for item, off in zip(items, offsets, strict=True):
        if isinstance(item, Doc):
            spans = list(item.sents) if item.has_annotation("SENT_START") else [item[:]]
        else:
            spans = [item]
        for sent in (piece for span in spans for piece in _split_paragraphs(span)):
            text = sent.text
            lead = len(text) - len(text.lstrip())
            trail = len(text.rstrip())
            if trail <= lead:
                continue
            units.append(
                Unit(
                    sent,
                    off,
                    off + sent.start_char + lead,
                    off + sent.start_char + trail,
                    text[lead:trail],
                )
            )
    return units


def _split_paragraphs(sent: Span) -> list[Span]:
    """A sentence cut at blank lines: the parser sometimes runs a sentence across paragraphs."""
    cuts = [t.i + 1 for t in sent if t.is_space and _PARAGRAPH_BREAK.search(t.text + t.whitespace_)]
    bounds = sorted({sent.start, *(c for c in cuts if sent.start < c < sent.end), sent.end})
    return [sent.doc[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


def paragraphs_of(units: Sequence[Unit], text: str | None = None) -> list[Paragraph]:
    """The paragraphs around the units; ``text`` (the whole article) gives the exact ones.

    Without ``text``, blank lines split a doc, and two docs (say, one per sentence) share a
    paragraph only when at most one character separates them in the article.
    """
    if text is not None:
        paras: list[Paragraph] = []
        pos = 0
        for m in _PARAGRAPH_BREAK.finditer(text):
            _add_paragraph(paras, text[pos : m.start()], pos)
            pos = m.end()
        _add_paragraph(paras, text[pos:], pos)
        return paras
    pieces: list[tuple[Paragraph, bool]] = []  # (paragraph, starts a new doc)
    i = 0
    while i < len(units):
        doc = units[i].sent.doc
        j = i
        while j + 1 < len(units) and units[j + 1].sent.doc is doc:
            j += 1
        off = units[i].offset
        lo, hi = units[i].start - off, units[j].end - off
        region = doc.text[lo:hi]
        found: list[Paragraph] = []
        pos = 0
        for m in _PARAGRAPH_BREAK.finditer(region):
            _add_paragraph(found, region[pos : m.start()], off + lo + pos)
            pos = m.end()
        _add_paragraph(found, region[pos:], off + lo + pos)
        pieces.extend((p, k == 0) for k, p in enumerate(found))
        i = j + 1
    paras = []
    for para, new_doc in pieces:
        if paras and new_doc and 0 <= para.start - paras[-1].end <= 1:
            last = paras[-1]
            gap = " " * (para.start - last.end)
            paras[-1] = Paragraph(last.start, para.end, last.text + gap + para.text)
        else:
            paras.append(para)
    return paras


def _add_paragraph(paras: list[Paragraph], text: str, start: int) -> None:
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    if body:
        paras.append(Paragraph(start + lead, start + lead + len(body), body))


# --- quotation marks ----------------------------------------------------------------------------


@dataclass
class QuoteSegment:
    """The words between a pair of quotation marks within one paragraph (absolute offsets).

    ``closed`` is False when the paragraph ended with the quote still open; ``continues`` is the
    index of the segment (in the previous paragraph) that this one carries on; ``orphan`` marks
    a closing mark with no opening one, whose quote is taken to start at the paragraph's start.
    """

    start: int
    end: int
    paragraph: int
    closed: bool = True
    continues: int | None = None
    orphan: bool = False
    mark: int | None = None  # absolute position of the opening mark, when there is one


def _mark_at(text: str, i: int) -> tuple[str, str, int] | None:
    """(family, direction, length) of a quotation mark at ``text[i]``; direction: open/close/either."""
    ch = text[i]
    if ch in "'`" and text[i + 1 : i + 2] == ch:  # '' and `` stand for a double mark
        return ("D2", "open" if ch == "`" else "either", 2)
    kind = _MARKS.get(ch)
    return (kind[0], kind[1], 1) if kind else None


def _opener_context(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    return (before.isspace() or before in _OPENER_PREFIX) and not after.isspace()


def _closer_context(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    return not before.isspace() and (after.isspace() or after in _CLOSER_SUFFIX or after in "\"”'’")


def _single_closes(text: str, i: int) -> bool:
    """Whether a single quote or apostrophe at ``i`` can close a quote (not "Russia's")."""
    after = text[i + 1] if i + 1 < len(text) else " "
    return i > 0 and not text[i - 1].isspace() and not after.isalnum()


def _single_opens(text: str, i: int, first: int) -> bool:
    """Whether a single quote at ``i`` opens a quote: a closer follows, or it follows a colon."""
    if text[i] == "'" and not (_opener_context(text, i, 1) and text[i + 1 : i + 2].isalnum()):
        return False
    if i == first or text[:i].rstrip().endswith(":"):
        return True
    return any(text[k] in "'’" and _single_closes(text, k) for k in range(i + 2, len(text)))


def _opens(text: str, i: int, first: int, family: str, direction: str, n: int) -> bool:
    if direction != "either":
        return direction == "open"
    if family == "S":
        return _single_opens(text, i, first)
    return _opener_context(text, i, n) or (i == first and not _closer_context(text, i, n))


def scan_quotes(paragraphs: Sequence[Paragraph]) -> list[QuoteSegment]:
    """Direct-quote segments over consecutive paragraphs, in order; never raises on bad marks."""
    segments: list[QuoteSegment] = []
    pending: int | None = None  # index of a segment left open at the end of the previous paragraph
    for p, para in enumerate(paragraphs):
        text, base = para.text, para.start
        first = len(text) - len(text.lstrip())
        state: tuple[str, int, int | None, int] | None = None  # family, start, continues, mark
        i = first
        m = _mark_at(text, first) if pending is not None and first < len(text) else None
        if m and m[1] != "close":  # the paragraph reopens the quote left open before it
            state, i = (m[0], first + m[2], pending, base + first), first + m[2]
        pending = None
        while i < len(text):
            m = _mark_at(text, i)
            if m is None:
                i += 1
                continue
            family, direction, n = m
            if state is None:
                if _opens(text, i, first, family, direction, n):
                    state = (family, i + n, None, base + i)
                elif (
                    family != "S"
                    and _closer_context(text, i, n)
                    and not any(s.paragraph == p for s in segments)
                    and any(c.isalpha() for c in text[first:i])
                ):  # a closing mark with no opening one: the quote began with the paragraph
                    segments.append(QuoteSegment(base + first, base + i, p, orphan=True))
            elif family == state[0] and (family != "S" or _single_closes(text, i)):
                closed = direction != "open"
                segments.append(
                    QuoteSegment(base + state[1], base + i, p, closed, state[2], mark=state[3])
                )
                # a new opening mark while one is open: the old quote never closed
                state = None if closed else (family, i + n, None, base + i)
            i += n
        if state is not None:
            segments.append(
                QuoteSegment(base + state[1], para.end, p, False, state[2], mark=state[3])
            )
            pending = len(segments) - 1
    return [_trimmed(s, paragraphs) for s in segments]


def _trimmed(seg: QuoteSegment, paragraphs: Sequence[Paragraph]) -> QuoteSegment:
    para = paragraphs[seg.paragraph]
    text = para.text[seg.start - para.start : seg.end - para.start]
    lead = len(text) - len(text.lstrip())
    seg.start, seg.end = seg.start + lead, seg.start + len(text.rstrip())
    return seg


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


# --- attribution frames -------------------------------------------------------------------------


@dataclass
class Frame:
    """One attribution in a sentence: who (``sources``) says, claims, denies, blames or suspects.

    ``act`` is say, claim, deny, blame or suspect; ``culprits`` are those blamed or suspected;
    ``pronoun`` is a subject pronoun left for the caller to resolve; ``content`` the token range
    [start, end) of what is said, when the frame has one.
    """

    token: Token
    act: str
    kind: str = "indirect"  # indirect | according_to
    sources: list[Source] = field(default_factory=list)
    culprits: list[Source] = field(default_factory=list)
    pronoun: Token | None = None
    content: tuple[int, int] | None = None


def negated(tok: Token) -> bool:
    """Whether a verb is negated ("did not deny") or its subject is "no one"/"no group"."""
    lex = lexicon()
    for c in tok.children:
        if c.dep_ == "neg":
            return True
        if c.dep_ in ("nsubj", "nsubjpass"):
            if c.lower_ in lex["none_words"] or any(
                d.dep_ == "det" and d.lower_ == "no" for d in c.children
            ):
                return True
    return False


def _passive(tok: Token) -> bool:
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in tok.children)


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _pobj(tok: Token, prep: str) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:
            return _child(c, "pobj")
    return None


def _subject(verb: Token) -> Token | None:
    """The subject of a verb, inherited by "saying"/"adding" and by conjoined verbs."""
    subj = _child(verb, "nsubj")
    if subj is not None:
        return subj
    if verb.dep_ == "conj" or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
        if verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
            return _child(verb.head, "nsubj")
    return None


def _agent(verb: Token) -> Token | None:
    """The "by X" of a passive verb, also when the parser hangs it on a nearby noun."""
    for tok in verb.subtree:
        if tok.lower_ != "by" or tok.dep_ not in ("agent", "prep"):
            continue
        node, ok = tok.head, True
        while node.i != verb.i:
            if node.dep_ in _CLAUSE_DEPS or node.head.i == node.i:
                ok = False
                break
            node = node.head
        if ok:
            return _child(tok, "pobj")
    return None


def _speakers(tok: Token | None, offset: int, frame: Frame) -> None:
    if tok is None:
        return
    if tok.lower_ in lexicon()["pronouns"] or tok.pos_ == "PRON":
        frame.pronoun = tok
        return
    frame.sources.extend(sources_of(tok, offset))


def _content_range(verb: Token) -> tuple[int, int] | None:
    """Token range of what a reporting verb reports: its clausal complement or its host clause."""
    comp = _child(verb, "ccomp")
    if comp is not None:
        lo = comp.left_edge.i
        while lo < comp.i and comp.doc[lo].dep_ in ("mark", "punct"):
            lo += 1
        return lo, comp.right_edge.i + 1
    host = verb.head
    if verb.dep_ in ("parataxis", "ccomp", "advcl", "prep") and host.i != verb.i:
        own = {t.i for t in verb.subtree}
        rest = [t.i for t in host.subtree if t.i not in own and not t.is_punct]
        before = [i for i in rest if i < verb.left_edge.i]
        after = [i for i in rest if i > verb.right_edge.i]
        side = before if len(before) >= len(after) else after
        if side:
            return min(side), max(side) + 1
    return None


def _has_object(verb: Token, nouns: frozenset[str]) -> bool:
    return any(c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in nouns for c in verb.children)


def _culprit_predicate(tok: Token) -> Token | None:
    """The subject of "X is behind" / "X is responsible", when ``tok`` is that copula."""
    lex = lexicon()
    if tok.lemma_ != "be":
        return None
    for c in tok.children:
        if c.lower_ in lex["culprit_predicates"] and c.dep_ in ("prep", "acomp", "attr"):
            return _child(tok, "nsubj", "nsubjpass")
    return None


def _frame_for(tok: Token, offset: int) -> Frame | None:
    lex = lexicon()
    lemma = tok.lemma_.lower()
    if tok.lower_ == "according":
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        obj = _child(to, "pobj") if to is not None else None
        if obj is None:
            return None
        frame = Frame(tok, "say", kind="according_to")
        frame.sources.extend(sources_of(obj, offset))
        frame.content = _content_range(tok)
        return frame
    if tok.pos_ not in ("VERB", "AUX") or negated(tok):
        return None
    if lemma == "cite" and tok.dep_ in ("advcl", "conj"):
        frame = Frame(tok, "say")
        obj = _child(tok, "dobj")
        if obj is not None and (obj.pos_ == "PROPN" or obj.lemma_.lower() in lex["source_nouns"]):
            frame.sources.extend(sources_of(obj, offset))
        return frame if frame.sources else None
    passive = _passive(tok)
    if lemma in lex["responsibility_verbs"] and _has_object(tok, lex["responsibility_nouns"]):
        frame = Frame(tok, "claim")
        _speakers(_subject(tok), offset, frame)
        return frame
    if lemma in lex["claim_verbs"]:
        if passive or _has_object(tok, lex["claim_not_objects"]):
            return None
        frame = Frame(tok, "claim", content=_content_range(tok))
        _speakers(_subject(tok), offset, frame)
        return frame
    rejects = _has_object(tok, lex["denial_objects"]) or (  # "a charge New Delhi rejected"
        tok.dep_ == "relcl" and tok.head.lemma_.lower() in lex["denial_objects"]
    )
    if lemma in lex["deny_verbs"] or (lemma in lex["reject_verbs"] and rejects):
        if _has_object(tok, lex["deny_not_objects"]) or _child(tok, "dative") is not None:
            return None
        if tok.dep_ in ("xcomp", "pcomp") or any(
            (c.dep_ == "aux" and c.lower_ == "to") or (c.dep_ == "prep" and c.lower_ == "to")
            for c in tok.children
        ):
            return None  # "to deny militants a haven", "denies recognition to": withholding
        frame = Frame(tok, "deny", content=_content_range(tok))
        _speakers(_agent(tok) if passive else _subject(tok), offset, frame)
        return frame
    if lemma in lex["blame_verbs"] or (
        lemma in lex["hold_verbs"]
        and any(
            c.lower_ == "responsible"
            for c in tok.subtree
            if c.head.i == tok.i or c.head.head.i == tok.i
        )
    ):
        return _blame_frame(tok, lemma, passive, offset)
    if lemma in lex["suspect_verbs"]:
        return _suspect_frame(tok, lemma, passive, offset)
    if lemma in lex["report_verbs"]:
        frame = Frame(tok, "say", content=_content_range(tok))
        if passive:
            agent = _agent(tok)
            if agent is None:
                return None
            frame.sources.extend(sources_of(agent, offset))
        else:
            _speakers(_subject(tok), offset, frame)
        return frame
    return None


def _blame_frame(tok: Token, lemma: str, passive: bool, offset: int) -> Frame:
    frame = Frame(tok, "blame")
    on = (
        _pobj(tok, "on") if lemma == "blame" else _pobj(tok, "to") if lemma == "attribute" else None
    )
    obj = _child(tok, "nsubjpass" if passive else "dobj")
    if on is None and obj is not None and obj.lemma_.lower() in lexicon()["event_nouns"]:
        on = _pobj(obj, "on")  # "blamed several attacks on militants", parsed inside the noun
    _speakers(_agent(tok) if passive else _subject(tok), offset, frame)
    culprit = on or (obj if lemma != "attribute" else None)
    if culprit is not None:
        frame.culprits.extend(sources_of(culprit, offset))
    return frame


def _suspect_frame(tok: Token, lemma: str, passive: bool, offset: int) -> Frame | None:
    """ "Y is suspected to be behind", "police suspect Y", "Y is believed to be responsible"."""
    frame = Frame(tok, "suspect")
    if passive:
        _speakers(_agent(tok), offset, frame)
        subj = _child(tok, "nsubjpass")
        xcomp = _child(tok, "xcomp")
        if subj is None or subj.lower_ == "it":
            return frame if lemma == "suspect" else None
        behind = xcomp is not None and (
            _culprit_predicate(xcomp) is not None
            or any(c.lower_ in lexicon()["culprit_predicates"] for c in xcomp.children)
            or (xcomp.lemma_.lower() in lexicon()["self_claim_verbs"] and not _passive(xcomp))
        )
        if behind or _child(tok, "prep") is not None and lemma == "suspect":
            frame.culprits.extend(sources_of(subj, offset))
            return frame
        return frame if lemma == "suspect" else None
    _speakers(_subject(tok), offset, frame)
    obj = _child(tok, "dobj")
    comp = _child(tok, "ccomp")
    if lemma == "suspect" and obj is not None:
        frame.culprits.extend(sources_of(obj, offset))
        return frame
    if comp is not None:
        culprit = _culprit_predicate(comp)
        if comp.lemma_.lower() in lexicon()["self_claim_verbs"] and not _passive(comp):
            culprit = _child(comp, "nsubj")
        if culprit is not None:
            frame.culprits.extend(sources_of(culprit, offset))
            return frame
    return None


def _self_claim(frame: Frame) -> Frame | None:
    """ "X said it carried out the attack": a say-frame whose speaker claims the act for itself."""
    lex = lexicon()
    comp = _child(frame.token, "ccomp")
    if comp is None or not frame.sources:
        return None
    subj = _child(comp, "nsubj")
    if subj is None or subj.lower_ not in lex["self_pronouns"]:
        return None
    acts = comp.lemma_.lower() in lex["self_claim_verbs"] or _culprit_predicate(comp) is not None
    if not acts or negated(comp):
        return None
    return Frame(frame.token, "claim", sources=list(frame.sources), content=frame.content)


def _hedged_culprit(tok: Token, offset: int) -> Frame | None:
    """ "X was allegedly behind the plot": a hedged culprit predicate makes X suspected."""
    subj = _culprit_predicate(tok)
    if subj is None:
        return None
    if not any(
        c.dep_ == "advmod" and c.lower_ in lexicon()["culprit_hedges"] for c in tok.children
    ):
        return None
    frame = Frame(tok, "suspect")
    frame.culprits.extend(sources_of(subj, offset))
    return frame if frame.culprits else None


def frames_in(sent: Span, offset: int = 0) -> list[Frame]:
    """The attribution frames of a sentence, in text order."""
    frames: list[Frame] = []
    lo, hi = offset + sent.start_char, offset + sent.end_char
    for tok in sent:
        frame = _frame_for(tok, offset) or _hedged_culprit(tok, offset)
        if frame is None:
            continue
        # a parse that runs across a paragraph break must not lend this sentence a source
        frame.sources = [s for s in frame.sources if lo <= s.start and s.end <= hi]
        frame.culprits = [s for s in frame.culprits if lo <= s.start and s.end <= hi]
        if frame.pronoun is not None and not sent.start <= frame.pronoun.i < sent.end:
            frame.pronoun = None
        frames.append(frame)
        if frame.act == "say":
            claim = _self_claim(frame)
            if claim is not None:
                frames.append(claim)
    return frames


def _contrastive(clause: Token) -> bool:
    return clause.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in ("while", "whereas", "although", "though")
        for c in clause.children
    )


def governs(tok: Token, anchor: Token) -> bool:
    """Whether an attribution at ``tok`` bears on the event word ``anchor`` of the same sentence.

    It does when ``tok`` dominates ``anchor`` (not across a contrastive "while" clause), or when
    ``tok`` hangs off ``anchor``'s chain of heads directly (a parenthetical "officials said", a
    "which X blamed on Y"), and ``anchor`` is not in a clause conjoined to that chain.
    """
    if tok.doc is not anchor.doc or tok.sent != anchor.sent:
        return False
    if tok.i == anchor.i:
        return True
    chain = [anchor, *anchor.ancestors]
    if tok.is_ancestor(anchor):
        for node in chain:
            if node.i == tok.i:
                return True
            if _contrastive(node):
                return False
        return True
    on_chain = {n.i for n in chain}
    node = tok
    while node.i not in on_chain:
        if node.dep_ in ("conj", "advcl", "relcl", "acl", "parataxis"):
            if node.i != tok.i or node.dep_ == "conj" or _contrastive(node):
                return False
        if node.head.i == node.i:
            return False
        node = node.head
    for n in chain:
        if n.i == node.i:
            break
        if n.dep_ == "conj" or _contrastive(n):
            return False
    return True
