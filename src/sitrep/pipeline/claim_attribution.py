"""Attribution of an event: who reported, claimed, denied or was blamed for it, and how sure.

``attribute`` reads the reporting frames and quotes of the sentences that report an event (limited,
in the main sentence, to those that bear on the event word) and its hedges, and files the sources
as reporters, claimants, deniers, blamers and culprits; the status is the most contested that
applies (``STATUS_ORDER``), and the probability that of the first estimative phrase qualifying it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from spacy.tokens import Doc, Span, Token

from sitrep.models import Attribution, Statement
from sitrep.pipeline.claim_estimates import _estimates, yardstick_for
from sitrep.pipeline.claim_statements import _abs, find_statements
from sitrep.pipeline.quote_frames import Frame, frames_in, governs
from sitrep.pipeline.quote_lexicon import lexicon

STATEMENTS_KEY = "sitrep.claims.statements"  # Doc.user_data: (offset, statements) cache

STATUS_ORDER = ("denied", "suspected", "claimed", "unconfirmed", "reported", "asserted")
_ACT_STATUS = {
    "deny": "denied",
    "suspect": "suspected",
    "blame": "suspected",
    "claim": "claimed",
    "say": "reported",
}  # noqa: E501
_AUXILIARY = re.compile(r"^(?:is|are|was|were|been|being|be)\s+(?:\w+ly\s+)?")


# --- attribution of an event --------------------------------------------------------------------


def _doc_statements(doc: Doc, offset: int) -> list[Statement]:
    """Statements of a whole doc, computed once and kept in ``doc.user_data``."""
    cached = doc.user_data.get(STATEMENTS_KEY)
    if cached is not None and cached[0] == offset:
        return list(cached[1])
    stmts = find_statements(doc, offset)
    doc.user_data[STATEMENTS_KEY] = (offset, stmts)
    return stmts


def _hedges_in(sent: Span, offset: int) -> list[tuple[str, str | None, Token]]:
    """(phrase, implied status, token) for every hedge in a sentence, without overlaps."""
    lex = lexicon()
    text = sent.text
    taken: list[tuple[int, int]] = []
    out: list[tuple[str, str | None, Token]] = []
    for phrase, rx, implies, as_written in lex["hedges"]:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            tok = next((t for t in sent if t.idx - sent.start_char >= m.start()), sent.root)
            words = " ".join(m.group(0).lower().split())
            out.append((_AUXILIARY.sub("", words) if as_written else phrase, implies, tok))
    for tok in sent:
        qualifier = tok.lower_
        if tok.dep_ == "amod" and qualifier in lex["event_qualifiers"]:
            if tok.head.lemma_.lower() in lex["event_nouns"]:
                out.append((qualifier, lex["event_qualifiers"][qualifier], tok))
    return out


def _anchor_token(sent: Span, offset: int, anchor: int | Token) -> Token | None:
    if isinstance(anchor, Token):
        return anchor if anchor.doc is sent.doc and sent.start <= anchor.i < sent.end else None
    return next((t for t in sent if _abs(t, offset) <= anchor < _abs(t, offset) + len(t)), None)


def _add(bucket: list[str], names: Iterable[str]) -> None:
    for name in names:
        if name and name.lower() not in (b.lower() for b in bucket):
            bucket.append(name)


def _dedupe(names: list[str]) -> list[str]:
    """Drop a name that another entry contains ("Roman Busargin" beside "Roman Busargin, the governor")."""
    out: list[str] = []
    for n in names:
        low = n.lower()
        if any(low != o.lower() and low in o.lower() for o in names):
            continue
        if low not in (o.lower() for o in out):
            out.append(n)
    return out


def attribute(
    sents: Sequence[Span | Doc],
    offsets: Sequence[int] | None = None,
    *,
    anchor: int | Token | None = None,
    statements: Sequence[Statement] | None = None,
) -> Attribution:
    """The attribution of an event reported in ``sents`` (the first is the main sentence).

    ``offsets`` are the absolute offsets of each sentence's doc. ``anchor`` (a token, or an
    absolute offset, of the event word in the main sentence) limits the main sentence to the
    attributions that bear on that word when a sentence reports two events. ``statements`` (from
    ``find_statements`` over the whole article) give the speaker of a quote opened in an earlier
    paragraph; without them each doc's own statements are used.
    """
    spans = [s[:] if isinstance(s, Doc) else s for s in sents]
    if not spans:
        return Attribution()
    offs = list(offsets) if offsets is not None else [0] * len(spans)
    att = Attribution()
    statuses: set[str] = set()
    quoted: list[str] = []
    scope = _anchor_token(spans[0], offs[0], anchor) if anchor is not None else None
    for i, (sent, off) in enumerate(zip(spans, offs, strict=True)):
        here = scope if i == 0 else None
        stmts = list(statements) if statements is not None else _doc_statements(sent.doc, off)
        lo, hi = off + sent.start_char, off + sent.end_char
        for st in stmts:
            if st.kind == "direct" and st.source and st.start < hi and st.end > lo:
                statuses.add("reported" if st.act == "say" else _ACT_STATUS[st.act])
                _add(quoted, [st.source] if st.source else [])
        frames = frames_in(sent, off)
        superseded = {f.token.i for f in frames if f.act in ("claim", "deny")}
        for frame in frames:
            if here is not None and not governs(frame.token, here):
                continue
            if frame.act == "say" and frame.token.i in superseded:
                continue
            names = [s.text for s in frame.sources] or _resolved(frame, stmts, off)
            if frame.act == "say" and not names:
                continue  # a speaker never named: only the hedges say how sure the text is
            statuses.add(_ACT_STATUS[frame.act])
            _file(att, frame, names)
        for phrase, implies, tok in _hedges_in(sent, off):
            if here is not None and not governs(tok, here):
                continue
            _add(att.hedges, [phrase])
            if implies:
                statuses.add(implies)
    for key in ("claimed_by", "blamed_on", "blamed_by", "denied_by"):
        setattr(att, key, _dedupe(getattr(att, key)))
    # a party that claims or denies is filed as such, not again as a mere reporter
    parties = {n.lower() for n in att.claimed_by + att.denied_by}
    att.reported_by = [n for n in _dedupe(quoted + att.reported_by) if n.lower() not in parties]
    att.status = next((s for s in STATUS_ORDER if s in statuses), "asserted")
    att.probability = _probability(spans, offs, scope, att)
    return att


def _resolved(frame: Frame, stmts: Sequence[Statement], offset: int) -> list[str]:
    """The speaker ``find_statements`` resolved for a pronoun subject ("he said")."""
    if frame.pronoun is None or frame.content is None:
        return []
    doc = frame.token.doc
    start = offset + doc[frame.content[0]].idx
    for st in stmts:
        if st.kind != "direct" and abs(st.start - start) <= 2 and st.source:
            return [st.source]
    return []


def _file(att: Attribution, frame: Frame, names: list[str]) -> None:
    if frame.act == "say":
        _add(att.reported_by, names)
    elif frame.act == "claim":
        _add(att.claimed_by, names)
    elif frame.act == "deny":
        _add(att.denied_by, names)
    else:
        _add(att.blamed_by, names)
        _add(att.blamed_on, [c.text for c in frame.culprits])


def _probability(
    spans: Sequence[Span], offs: Sequence[int], scope: Token | None, att: Attribution
) -> list[float] | None:
    """The range of the first estimative phrase qualifying the event, main sentence first."""
    yardstick = yardstick_for(*att.reported_by, *att.claimed_by)
    for i, sent in enumerate(spans):
        for m in _estimates(sent.text, yardstick):
            if i == 0 and scope is not None:
                tok = next((t for t in sent if t.idx - sent.start_char >= m.start), None)
                if tok is None or not governs(tok, scope):
                    continue
            return [m.term.range[0], m.term.range[1]]
    return None
