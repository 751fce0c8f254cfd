"""Assessments: the judgements of a text that are not events (estimates, judgements, forecasts).

``find_assessments`` keeps, one per sentence, the sentences that carry estimative language, a
judging verb ("analysts see the attacks as a response") or a forecast ("will", "could", "is
expected to"), with their speaker: the speaker of the quote they sit in, else the subject of the
judging verb, else the sentence's reporting source.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.tokens import Doc, Span, Token

from sitrep.models import Assessment, Statement
from sitrep.pipeline.claim_estimates import _estimates, yardstick_for
from sitrep.pipeline.claim_statements import _clean_span, find_statements
from sitrep.pipeline.quote_frames import frames_in, negated
from sitrep.pipeline.quote_lexicon import lexicon
from sitrep.pipeline.quote_marks import units_of
from sitrep.pipeline.quote_sources import Source, source_of

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
