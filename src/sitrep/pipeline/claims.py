"""Who says so, and how sure: the claims stage.

War reporting is made of claims. For an event found in some sentences, ``attribute`` says who
reported it, who claimed it, who was blamed and by whom, who denied it, the hedges, and the
probability that estimative language ("highly likely", "almost certainly") puts on it.
``find_statements`` lists direct and indirect statements with their speakers, ``find_assessments``
the judgements that are not events (assessments, forecasts), and ``estimate`` reads estimative
language against the PHIA and ICD 203 yardsticks (``data/yardstick.json``).

Status precedence, when several apply to one event, runs from the most to the least contested:
denied > suspected > claimed > unconfirmed > reported > asserted. A denial outweighs everything
because it means a party contests the event; a suspicion or blame contests who did it; a claim is
one party's word; "unconfirmed" says the publisher could not check it; "reported" only names a
source. See docs/attribution.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.tokens import Doc, Span, Token

from sitrep.models import Assessment, Attribution, Statement
from sitrep.pipeline.quotes import (
    Frame,
    Paragraph,
    QuoteSegment,
    Source,
    Speakers,
    Unit,
    frames_in,
    governs,
    lexicon,
    negated,
    paragraphs_of,
    scan_quotes,
    source_of,
    units_of,
)

__all__ = [
    "STATEMENTS_KEY",
    "Assessment",
    "Statement",
    "attribute",
    "estimate",
    "find_assessments",
    "find_statements",
    "yardstick_for",
]

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
_QUOTE_CHARS = "\"“”„«»'‘’` "


@dataclass(frozen=True)
class _Term:
    yardstick: str
    term: str
    range: tuple[float, float]
    negated: str | None


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    phrase: str
    term: _Term
    negated: bool = False


@cache
def _yardsticks() -> dict[str, Any]:
    text = resources.files("sitrep").joinpath("data/yardstick.json").read_text(encoding="utf-8")
    raw: dict[str, Any] = json.loads(text)
    terms: dict[str, dict[str, _Term]] = {}
    patterns: list[tuple[re.Pattern[str], _Term]] = []
    for name, ys in raw["yardsticks"].items():
        terms[name] = {}
        for t in ys["terms"]:
            term = _Term(
                name, t["term"], (float(t["range"][0]), float(t["range"][1])), t["negated"]
            )
            terms[name][t["term"]] = term
            for pat in t["patterns"]:
                rx = re.compile(r"(?<![\w-])" + pat.replace(" ", r"\s+") + r"(?![\w-])", re.I)
                patterns.append((rx, term))
    sources = {
        name: re.compile(r"(?<![\w.])(?:" + "|".join(pats) + r")(?![\w])")
        for name, pats in raw["sources"].items()
    }
    words = [w for w in raw["negators_before"] if not w.endswith("n't")]
    before = "|".join(re.escape(w) for w in words)
    return {
        "default": raw["default"],
        "terms": terms,
        "patterns": patterns,
        "sources": sources,
        "neg_before": re.compile(
            r"(?:\b(?:" + before + r")|\b\w*n't)\s+(?:(?:very|particularly|especially|terribly|all"
            r"|that|too|so|at\s+all)\s+)?$",
            re.I,
        ),
        "neg_after": re.compile(
            r"^\s+(?:" + "|".join(re.escape(w) for w in raw["negators_after"]) + r")\b", re.I
        ),
        "comparative": re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in raw["comparatives"]) + r")\s+$", re.I
        ),
    }


def yardstick_for(*sources: str | None) -> str:
    """The yardstick to read a source's words with: "phia" for UK sources, "icd" for US, else the default."""
    ys = _yardsticks()
    for src in sources:
        if not src:
            continue
        for name, rx in ys["sources"].items():
            if rx.search(src):
                return str(name)
    return str(ys["default"])


def _estimates(text: str, yardstick: str | None = None) -> list[_Match]:
    """Every estimative phrase in ``text``, longest first at a position, preferred yardstick first."""
    ys = _yardsticks()
    prefer = yardstick if yardstick in ys["terms"] else ys["default"]
    found = [(m.start(), m.end(), term) for rx, term in ys["patterns"] for m in rx.finditer(text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2].yardstick != prefer))
    out: list[_Match] = []
    last_end = -1
    for start, end, term in found:
        if start < last_end:
            continue
        before, after = text[:start], text[end:]
        if ys["comparative"].search(before):
            last_end = end
            continue
        nb, na = ys["neg_before"].search(before), ys["neg_after"].match(after)
        if nb or na:
            if term.negated is None:
                last_end = end
                continue
            opposite = ys["terms"][term.yardstick][term.negated]
            start = nb.start() if nb else start
            end = end + na.end() if na else end
            out.append(_Match(start, end, text[start:end], opposite, negated=True))
        else:
            out.append(_Match(start, end, text[start:end], term))
        last_end = end
    return out


def estimate(text: str, yardstick: str | None = None) -> tuple[str, list[float]] | None:
    """The first estimative phrase in ``text`` (as written) and its probability range [lo, hi] in 0..1.

    ``yardstick`` is "phia" (the default) or "icd"; a term only the other yardstick defines is read
    with that one. "not likely" and "probably not" read as the yardstick's "unlikely".
    """
    matches = _estimates(text, yardstick)
    if not matches:
        return None
    m = matches[0]
    return m.phrase, [m.term.range[0], m.term.range[1]]


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


# --- assessments --------------------------------------------------------------------------------


def _judgement_verb(sent: Span) -> Token | None:
    """A cognition verb with a judgement: "analysts see the attacks as a response"."""
    lex = lexicon()
    for tok in sent:
        lemma = tok.lemma_.lower()
        if lemma not in lex["assessment_verbs"] or tok.pos_ != "VERB":
            continue
        if tok.dep_ in ("amod", "acl", "relcl") or any(c.dep_ == "auxpass" for c in tok.children):
            continue
        if lemma in ("see", "view", "regard"):
            if any(c.dep_ == "prep" and c.lower_ == "as" for c in tok.children):
                return tok
            continue
        if any(c.dep_ in ("ccomp", "xcomp", "dobj") for c in tok.children):
            return tok
    return None


def _forecast(sent: Span) -> Token | None:
    """A main clause in the future or a modal of possibility ("will", "could", "is expected to")."""
    lex = lexicon()
    for tok in sent:
        if tok.dep_ != "aux" or tok.lower_ not in lex["forecast_markers"]:
            continue
        verb = tok.head
        if verb.dep_ not in ("ROOT", "ccomp", "conj", "xcomp"):
            continue
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if tok.lower_ in lex["modal_markers"] and (
            (subj is not None and subj.lower_ in ("i", "you", "we"))
            or verb.lemma_.lower() in lex["perception_verbs"]
        ):
            continue  # "you could see the smoke" recounts, it does not forecast
        if any(c.lower_ == "have" and c.dep_ == "aux" for c in verb.children):
            continue  # "could have" is a hedge about the past
        if negated(verb) and any(c.dep_ == "auxpass" for c in verb.children):
            continue  # "could not be verified"
        return verb
    m = lex["forecast_rx"].search(sent.text)
    if m:
        return next((t for t in sent if t.idx - sent.start_char >= m.start()), sent.root)
    return None


def find_assessments(
    doc_or_sents: Doc | Span | Sequence[Doc | Span],
    offset: int | Sequence[int] = 0,
    statements: Sequence[Statement] | None = None,
    text: str | None = None,
) -> list[Assessment]:
    """Judgements that are not events (estimates, analysts' judgements, forecasts), one per sentence.

    The speaker of a sentence inside a direct quote is the quote's speaker, carried over a quote that
    runs across paragraphs; else the subject of the judging verb, else the sentence's reporting source.
    """
    units = units_of(doc_or_sents, offset)
    if statements is None:
        statements = find_statements(doc_or_sents, offset, text)
    stmts = list(statements)
    out: list[Assessment] = []
    for u in units:
        inside = (
            s for s in stmts if s.kind == "direct" and min(s.end, u.end) > max(s.start, u.start)
        )
        quote = next(inside, None)
        judge = _judgement_verb(u.sent)
        speaker: Source | None = None
        if judge is not None:
            subj = next((c for c in judge.children if c.dep_ == "nsubj"), None)
            speaker = source_of(subj, u.offset) if subj is not None else None
        if speaker is None and quote is None:
            for frame in frames_in(u.sent, u.offset):
                if frame.act == "say" and frame.sources:
                    speaker = frame.sources[0]
                    break
        name = quote.speaker if quote is not None else speaker.speaker if speaker else None
        role = quote.role if quote is not None else speaker.role if speaker else None
        source = quote.source if quote is not None else speaker.text if speaker else None
        text, start, end = _clean_span(u.slice(u.start, u.end), u.start, u.end)
        found = _estimates(text, yardstick_for(source))
        verb = judge or _forecast(u.sent)
        if not found and verb is None:
            continue
        item = Assessment(text, start, end, speaker=name, role=role)
        if found:
            item.probability, item.estimative = list(found[0].term.range), found[0].phrase
            item.negated = found[0].negated
        else:
            item.kind = "judgement" if judge is not None else "forecast"
            item.negated = verb is not None and negated(verb)
        out.append(item)
    return out


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
