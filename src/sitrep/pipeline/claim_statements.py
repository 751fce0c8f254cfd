"""Statements: who said what, in direct quotes and in the text's own reported speech.

``find_statements`` gives each quote found by the quotation marks its speaker (from the frame
around it, or carried over from the quote before it) and each reporting frame outside quotes
("X said that ...") its content, with the speaker's name and role, whether the statement says
that something did not happen, and the probability its estimative language puts on it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from sitrep.models import Statement
from sitrep.pipeline.claim_estimates import _estimates, yardstick_for
from sitrep.pipeline.quote_frames import frames_in, negated
from sitrep.pipeline.quote_lexicon import lexicon
from sitrep.pipeline.quote_marks import (
    Paragraph,
    QuoteSegment,
    Unit,
    paragraphs_of,
    scan_quotes,
    units_of,
)
from sitrep.pipeline.quote_sources import Source, Speakers, source_of

_QUOTE_CHARS = "\"“”„«»'‘’` "


# --- statements ---------------------------------------------------------------------------------


def _abs(tok: Token, offset: int) -> int:
    return offset + tok.idx


def _tokens_between(unit: Unit, start: int, end: int) -> list[Token]:
    return [t for t in unit.sent if start <= _abs(t, unit.offset) < end]


def _main_heads(tokens: Sequence[Token]) -> list[Token]:
    inside = {t.i for t in tokens}
    return [t for t in tokens if t.head.i not in inside or t.head.i == t.i]


def _says_nothing_happened(tokens: Sequence[Token]) -> bool:
    """Whether a statement denies an occurrence: "no one was hurt", "there were no casualties"."""
    lex = lexicon()
    for head in _main_heads([t for t in tokens if not t.is_punct]):
        node = head
        for _ in range(4):
            nxt = next((c for c in node.children if c.dep_ in ("ccomp", "xcomp")), None)
            if nxt is None or node.lemma_.lower() not in lex["wrapper_verbs"]:
                break
            node = nxt
        if negated(node):
            return True
        for c in node.children:
            if c.dep_ in ("dobj", "attr", "nsubj", "nsubjpass") and (
                c.lower_ in lex["none_words"]
                or any(d.dep_ == "det" and d.lower_ == "no" for d in c.children)
            ):
                return True
    return False


def _clean_span(text: str, start: int, end: int) -> tuple[str, int, int]:
    """Trim whitespace and stray quotation marks from ``text[start:end]`` of an article span."""
    piece = text
    lead = len(piece) - len(piece.lstrip(_QUOTE_CHARS))
    piece = piece[lead:]
    trail = len(piece.rstrip(_QUOTE_CHARS))
    return piece[:trail], start + lead, start + lead + trail


def _role_text(src: Source) -> str:
    """The source as written, with a role found elsewhere appended: "Roman Busargin, the governor"."""
    extra = src.name and src.role and src.role not in src.text
    return f"{src.name}, {src.role}" if extra else src.text


def _segment_speaker(
    seg: QuoteSegment,
    units: Sequence[Unit],
    segments: Sequence[QuoteSegment],
    paras: Sequence[Paragraph],
    speakers: Speakers,
) -> tuple[Source | None, str]:
    """The speaker of a direct quote from the frame around it ("X said:", "..., said X")."""
    lex = lexicon()
    verbs = lex["quote_verbs"] | lex["report_verbs"]
    open_at = seg.mark if seg.mark is not None else seg.start
    close_at = seg.end + 1
    para = paras[seg.paragraph]
    neighbours = [s for s in segments if s.paragraph == seg.paragraph and s is not seg]
    prev_end = max((s.end + 1 for s in neighbours if s.end < open_at), default=para.start)
    next_start = min((s.mark or s.start for s in neighbours if s.start > seg.end), default=para.end)
    inside = [u for u in units if para.start <= u.start < para.end]
    windows: list[tuple[str, Unit, int, int]] = []
    for i, u in enumerate(inside):
        if u.start <= open_at < u.end or (u.start >= open_at and u.start <= seg.start):
            lo = max(u.start, prev_end)
            if not any(c.isalpha() for c in u.slice(lo, open_at)) and i > 0:
                before = inside[i - 1]
                if before.slice(before.start, before.end).rstrip().endswith(":"):
                    lo = max(before.start, prev_end)
                    windows.append(("before", before, lo, before.end))
            windows.append(("before", u, lo, open_at))
        if u.start <= seg.end < u.end + 2:
            hi = min(u.end, next_start)
            windows.append(("after", u, close_at, hi))
            if not any(c.isalpha() for c in u.slice(close_at, hi)) and i + 1 < len(inside):
                nxt = inside[i + 1]
                first = nxt.slice(nxt.start, nxt.end).lstrip(_QUOTE_CHARS)
                if first[:1].islower():
                    windows.append(("after", nxt, nxt.start, min(nxt.end, next_start)))
    before_text = "".join(u.slice(lo, hi) for side, u, lo, hi in windows if side == "before")
    cands: dict[str, list[tuple[Token, Unit]]] = {"before": [], "after": []}
    for side, u, lo, hi in windows:
        for tok in _tokens_between(u, lo, hi):
            if (
                tok.lemma_.lower() in verbs and tok.pos_ in ("VERB", "AUX")
            ) or tok.lower_ == "according":
                cands[side].append((tok, u))
    # of nested candidates ("said security units were responding to '...'") keep the outermost
    cands["before"] = [
        (t, u)
        for t, u in cands["before"]
        if not any(o.i != t.i and o.is_ancestor(t) for o, _ in cands["before"])
    ]
    if before_text.rstrip().endswith(":") and cands["before"]:
        tok, u = cands["before"][-1]
    elif cands["after"]:
        tok, u = cands["after"][0]
    elif cands["before"]:
        tok, u = cands["before"][-1]
    else:
        return None, "say"
    lemma = tok.lemma_.lower()
    act = (
        "claim" if lemma in lex["claim_verbs"] else "deny" if lemma in lex["deny_verbs"] else "say"
    )
    return _speaker_of(tok, u, speakers), act


def _speaker_of(tok: Token, unit: Unit, speakers: Speakers) -> Source | None:
    """The subject of a speech verb (or the object of "according to"), within the verb's unit."""
    if tok.lower_ == "according":
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        subj = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    else:
        subj = next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None and tok.dep_ in ("conj", "advcl") and tok.head.i != tok.i:
            subj = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    # a parse that runs across a paragraph break must not lend the quote a speaker
    if subj is None or not unit.start <= _abs(subj, unit.offset) < unit.end:
        return None
    src = source_of(subj, unit.offset)
    return src if src is not None else speakers.resolve(subj, unit.offset)


def _carried_speaker(
    seg: QuoteSegment,
    segments: Sequence[QuoteSegment],
    spoken: Sequence[tuple[Source | None, str]],
    paras: Sequence[Paragraph],
) -> tuple[Source | None, str] | None:
    """A frameless quote that opens a paragraph goes on from a quote that ended the paragraph before.

    One short paragraph without quotation marks (a caption left by ingest) may stand between them.
    """
    para = paras[seg.paragraph]
    if spoken and segments[len(spoken) - 1].paragraph == seg.paragraph:
        return _carried_in_paragraph(seg, segments[len(spoken) - 1], spoken[-1], para)
    if not (seg.orphan or (seg.mark is not None and seg.mark <= para.start)):
        return None
    for k in range(len(spoken) - 1, -1, -1):
        prev = segments[k]
        if prev.paragraph >= seg.paragraph:
            continue
        gap = seg.paragraph - prev.paragraph
        prev_para = paras[prev.paragraph]
        ends_para = prev.end >= prev_para.end - 3
        between = paras[prev.paragraph + 1 : seg.paragraph]
        quiet = all(
            len(b.text.split()) < 30 and not any(c in b.text for c in "\"“”'‘’") for b in between
        )
        if ends_para and gap <= 2 and quiet:
            return spoken[k]
        return None
    return None


def _carried_in_paragraph(
    seg: QuoteSegment, prev: QuoteSegment, who: tuple[Source | None, str], para: Paragraph
) -> tuple[Source | None, str] | None:
    """ "'...,' Trump wrote, using another word. 'More ...'": a quote right after a speaker's frame.

    The words between the two quotes must name that speaker (or be a pronoun for a person) and
    hold no other quotation marks: then the second quote is the same speaker's.
    """
    src = who[0]
    if src is None or seg.mark is None:
        return None
    between = para.text[prev.end + 1 - para.start : seg.mark - para.start]
    if len(between) > 200 or any(c in between for c in '"“”«»'):
        return None
    names = [src.speaker, src.text] + (["he", "she"] if src.person else [])
    words = re.findall(r"[\w'’-]+", between.lower())
    if any(n.lower() in between.lower() if " " in n else n.lower() in words for n in names if n):
        return who
    return None


def _direct_statements(
    units: Sequence[Unit],
    paras: Sequence[Paragraph],
    segments: Sequence[QuoteSegment],
    speakers: Speakers,
) -> list[tuple[Statement, Source | None]]:
    out: list[tuple[Statement, Source | None]] = []
    spoken: list[tuple[Source | None, str]] = []
    for seg in segments:
        if seg.continues is not None:
            who = spoken[seg.continues]
        else:
            who = _segment_speaker(seg, units, segments, paras, speakers)
            if who[0] is None:
                who = _carried_speaker(seg, segments, spoken, paras) or who
        spoken.append(who)
        src, act = who
        speakers.add(src)
        for u in units:
            lo, hi = max(seg.start, u.start), min(seg.end, u.end)
            if hi - lo < 2:
                continue
            text, start, end = _clean_span(u.slice(lo, hi), lo, hi)
            if not any(c.isalpha() for c in text):
                continue
            toks = _tokens_between(u, start, end)
            st = Statement(text, start, end, kind="direct", act=act)
            st.negated = _says_nothing_happened(toks)
            out.append((st, src))
    return out


def _indirect_statements(
    units: Sequence[Unit],
    segments: Sequence[QuoteSegment],
    speakers: Speakers,
    known: list[Source],
) -> list[tuple[Statement, Source | None]]:
    """Statements reported in the text's own voice ("X said that ..."); ``known`` gets every source."""
    out: list[tuple[Statement, Source | None]] = []
    for u in units:
        frames = frames_in(u.sent, u.offset)
        known.extend(src for f in frames if f.act == "say" for src in f.sources)
        claimed_tokens = {f.token.i for f in frames if f.act in ("claim", "deny")}
        for frame in frames:
            if frame.act not in ("say", "claim", "deny"):
                continue
            if frame.act == "say" and frame.token.i in claimed_tokens:
                continue
            pos = _abs(frame.token, u.offset)
            if any(s.start <= pos < s.end for s in segments):
                continue
            rng = frame.content
            if rng is None or (frame.act != "say" and not _has_ccomp(frame.token)):
                if frame.act == "say":
                    continue
                rng = (frame.token.i, frame.token.right_edge.i + 1)
            doc = frame.token.doc
            lo, hi = (
                u.offset + doc[rng[0]].idx,
                u.offset + doc[rng[1] - 1].idx + len(doc[rng[1] - 1]),
            )
            lo, hi = max(lo, u.start), min(hi, u.end)
            if hi <= lo or any(min(hi, s.end) - max(lo, s.start) > (hi - lo) / 2 for s in segments):
                continue
            text, start, end = _clean_span(u.slice(lo, hi), lo, hi)
            if not any(c.isalpha() for c in text):
                continue
            src = frame.sources[0] if frame.sources else None
            if src is None and frame.pronoun is not None:
                src = speakers.resolve(frame.pronoun, u.offset)
            speakers.add(src)
            st = Statement(text, start, end, kind=frame.kind, act=frame.act)
            st.negated = _says_nothing_happened(_tokens_between(u, start, end))
            out.append((st, src))
    return out


def _has_ccomp(tok: Token) -> bool:
    return any(c.dep_ == "ccomp" for c in tok.children)


def _same_person(short: str, full: str) -> bool:
    """Whether ``short`` ("Jesow") names the same person as ``full`` ("Dahir Amin Jesow")."""
    a, b = short.lower().split(), full.lower().split()
    return 0 < len(a) <= len(b) and b[-len(a) :] == a


def _link_roles(pairs: list[tuple[Statement, Source | None]], known: list[Source]) -> None:
    """Complete a bare name from what came before.

    A surname seen earlier in full takes the full source ("Jesow" -> "federal lawmaker Dahir
    Amin Jesow"); a name right after a role-only source takes that role ("The governor of X
    said ... / Y said:").
    """
    ordered = sorted(known + [src for _, src in pairs if src is not None], key=lambda s: s.start)
    for _, src in pairs:
        if src is None or not src.name or src.role is not None:
            continue
        earlier = [k for k in ordered if k.end <= src.start]
        for k in reversed(earlier):
            if k.name and k.name != src.name and _same_person(src.name, k.name):
                src.name, src.role, src.text, src.person = k.name, k.role, k.text, k.person
                break
        if src.role is not None or not src.person or not earlier:
            continue
        prev = earlier[-1]
        if prev.name is None and prev.person and prev.text.lower().startswith("the "):
            if 0 <= src.start - prev.end <= 600:
                src.role = prev.text


def find_statements(
    doc_or_sents: Doc | Span | Sequence[Doc | Span],
    offset: int | Sequence[int] = 0,
    text: str | None = None,
) -> list[Statement]:
    """Direct and indirect statements with speakers, roles, negation and probability, in text order.

    ``offset`` is the absolute offset of the doc (one per item when a sequence of docs is given).
    ``text``, the whole article, lets quotation marks be read across sentences that were not parsed.
    """
    units = units_of(doc_or_sents, offset)
    paras = paragraphs_of(units, text)
    segments = scan_quotes(paras)
    speakers = Speakers()
    pairs = _direct_statements(units, paras, segments, speakers)
    known: list[Source] = []
    pairs += _indirect_statements(units, segments, speakers, known)
    pairs.sort(key=lambda p: (p[0].start, p[0].end))
    _link_roles(pairs, known)
    for st, src in pairs:
        if src is not None:
            st.speaker, st.role, st.source = src.speaker, src.role, _role_text(src)
        found = _estimates(st.text, yardstick_for(st.source))
        if found:
            st.estimative = found[0].phrase
            st.probability = [found[0].term.range[0], found[0].term.range[1]]
    return [st for st, _ in pairs]
