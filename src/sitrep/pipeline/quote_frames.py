"""Reporting frames: the words of a sentence that attribute what it reports to someone.

``frames_in`` finds "X said", "according to X", "X claimed", "X denied", "X blamed Y" and
"Y is suspected", each a ``Frame`` with its sources, its culprits and the token range of what is
said; ``negated`` tells a negated verb, and ``governs`` whether a frame bears on an event word.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from sitrep.pipeline.quote_lexicon import lexicon
from sitrep.pipeline.quote_sources import Source, sources_of

_CLAUSE_DEPS = {"ccomp", "xcomp", "relcl", "acl", "advcl", "parataxis", "conj", "csubj"}


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
