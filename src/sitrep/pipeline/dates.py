"""Find when an event happened: date expressions in one sentence, resolved against publication.

Candidate expressions are found with the patterns in ``date_patterns._PATTERNS`` (module-level
data); explicit calendar dates isolated by those patterns are read with ``dateparser``; relative
expressions ("earlier this week", "last night", "two days ago") are resolved in
``date_resolution``. ``find_date`` then ranks the candidates with the spaCy parse, preferring the
one attached to the event verb.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sitrep.pipeline.date_patterns import MONTHS as MONTHS
from sitrep.pipeline.date_patterns import REPORTING_LEMMAS, WEEKDAYS
from sitrep.pipeline.date_patterns import WEAK_PREPOSITIONS as WEAK_PREPOSITIONS
from sitrep.pipeline.date_resolution import FUTURE_TOLERANCE_DAYS as FUTURE_TOLERANCE_DAYS
from sitrep.pipeline.date_resolution import RECENT_DAYS as RECENT_DAYS
from sitrep.pipeline.date_resolution import _Candidate, _candidates, _Resolved, _to_date

logger = logging.getLogger(__name__)

__all__ = ["DateMention", "find_date", "resolve_date_text"]

# A date at least this many days before publication is background, not news.
BACKGROUND_DAYS = 30


@dataclass(frozen=True)
class DateMention:
    """A resolved date expression; ``precision`` follows ACLED (1 day, 2 week, 3 month)."""

    date: date
    precision: int
    text: str
    start: int
    end: int
    background: bool = False
    future: bool = False  # the expression points after publication ("next Tuesday")


# --- mentions ----------------------------------------------------------------------------------


def _mention(cand: _Candidate, text: str, base: int, pub: date | None) -> DateMention:
    res = cand.resolved
    background = pub is not None and (pub - res.date).days >= BACKGROUND_DAYS
    return DateMention(
        date=res.date,
        precision=res.precision,
        text=text[cand.start : cand.end],
        start=base + cand.start,
        end=base + cand.end,
        background=background,
        future=res.future,
    )


def resolve_date_text(text: str, published: datetime | None) -> DateMention | None:
    """Resolve the most specific date expression in a short text; offsets are relative to ``text``."""
    cands = _candidates(text, published)
    if not cands:
        return None
    best = min(cands, key=lambda c: (c.resolved.weak, c.resolved.precision, c.start))
    return _mention(best, text, 0, _to_date(published))


# --- ranking with the parse ----------------------------------------------------------------


def _governing_verb(token: Any) -> Any:
    """The nearest verb above ``token`` (or the sentence root)."""
    node = token
    while node.head.i != node.i:
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            return node
    return node


def _path_to_root(token: Any) -> list[Any]:
    path = [token]
    while path[-1].head.i != path[-1].i:
        path.append(path[-1].head)
    return path


def _is_count(span: Any) -> bool:
    """A bare year that is really a count: "in 2000 attacks"."""
    number = next((t for t in span if t.like_num), span.root)
    return number.dep_ in ("nummod", "compound", "amod") and number.head.pos_ == "NOUN"


FUTURE_AUXILIARIES = frozenset({"will", "'ll", "shall", "wo"})
FUTURE_LEMMAS = frozenset({"schedule", "set", "due", "expect", "plan", "slate"})


def _future_context(token: Any) -> bool:
    """The date modifies a verb in the future: "will meet on Tuesday", "is due to vote Friday"."""
    verb = _governing_verb(token)
    for _ in range(3):
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUXILIARIES for c in verb.children):
            return True
        if verb.lemma_.lower() in FUTURE_LEMMAS and verb.tag_ == "VBN":
            return True
        if verb.dep_ != "xcomp" or verb.head.i == verb.i:
            return False
        verb = verb.head
    return False


def _forward(cand: _Candidate, pub: date) -> _Candidate:
    """Re-resolve a weekday forward from publication for a sentence about the future."""
    if cand.kind != "weekday" or (cand.match["rel"] or "").lower() in ("last", "past", "this past"):
        return cand
    ahead = (WEEKDAYS[cand.match["wd"].lower()] - pub.weekday()) % 7
    resolved = _Resolved(pub + timedelta(days=ahead), 1, future=ahead > 0)
    return _Candidate(cand.kind, cand.start, cand.end, resolved, cand.match)


def _score(cand: _Candidate, span: Any, trigger: Any | None) -> float:
    """Higher for expressions attached to the event verb and not buried in side clauses."""
    score = 0.0
    root = span.root
    path = _path_to_root(root)
    if trigger is not None:
        verb_path = _path_to_root(_governing_verb(root))
        trigger_path = _path_to_root(trigger)
        common = next((t for t in verb_path if t in trigger_path), None)
        hops = (verb_path.index(common) + trigger_path.index(common)) if common is not None else 10
        score += max(0.0, 3.0 - 0.75 * hops)
    verb = _governing_verb(root)
    if verb.lemma_.lower() in REPORTING_LEMMAS:
        score -= 2.0
    elif verb.pos_ in ("VERB", "AUX"):
        score += 1.0
    if any(t.dep_ in ("relcl", "acl") for t in path[1:]) and (
        trigger is None or trigger not in path
    ):
        score -= 1.5
    if cand.resolved.weak:
        score -= 1.0
    if cand.resolved.future:
        score -= 1.0
    score -= 0.2 * (cand.resolved.precision - 1)
    return score


def find_date(
    sent: Any, published: datetime | None, offset: int = 0, trigger: Any | None = None
) -> DateMention | None:
    """Best date expression of one sentence (a spaCy Span or Doc), resolved against ``published``.

    ``offset`` is the article offset of the sentence's Doc (start/end are ``offset + token.idx``
    based); ``trigger`` is an optional event-verb token of the same Doc, to prefer its date.
    """
    text = sent.text
    base = getattr(sent, "start_char", 0)
    doc = sent.doc if hasattr(sent, "doc") else sent
    scored: list[tuple[float, int, int, _Candidate]] = []
    for cand in _candidates(text, published):
        span = doc.char_span(base + cand.start, base + cand.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        if cand.kind == "year" and _is_count(span):
            continue
        pub = _to_date(published)
        if pub is not None and _future_context(span.root):
            cand = _forward(cand, pub)
        score = _score(cand, span, trigger)
        scored.append((score, -cand.resolved.precision, -cand.start, cand))
    if not scored:
        return None
    best = max(scored, key=lambda s: s[:3])[3]
    return _mention(best, text, offset + base, _to_date(published))
