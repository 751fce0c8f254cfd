"""The pipeline's stages: each reads some fields of an ``ArticleDoc`` and fills others.

Every stage declares ``requires`` and ``assigns`` (field names of ``ArticleDoc``), as spaCy's
components do. ``pipeline.registry.default_stages`` lists the built-in ones in order; ``check_order`` verifies once
at start-up that every stage finds what it requires. A stage takes a batch of documents, so the
parser can run over the candidate sentences of many articles at once; ``ArticleStage`` is the
usual kind that handles one document at a time.

To add a stage: write a class with ``name``, ``requires``, ``assigns`` and ``__call__(docs)``
(or subclass ``ArticleStage`` and write ``process(doc)``), and insert it into the list that
``pipeline.registry.default_stages`` returns (or pass your own list to ``Extractor``).
"""

from __future__ import annotations

import re
import time
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from sitrep.errors import SitrepError
from sitrep.models import Assessment, Event
from sitrep.pipeline import bounds, lexicon, triggers
from sitrep.pipeline.claims import estimate, find_assessments, find_statements
from sitrep.pipeline.doc import FIELDS, ArticleDoc, SentenceHits
from sitrep.pipeline.mentions import sentence_mentions
from sitrep.pipeline.merge import merge_mentions
from sitrep.pipeline.sentences import sentences

if TYPE_CHECKING:
    from sitrep.geo import Geoparser
    from sitrep.geo.resolve import PlaceMention

SHORT_SENTENCES = 6  # a text of at most this many sentences is short (a headline, an alert, a note)
TYPED_CANDIDATE = 0.5  # the typer's event probability that makes a sentence worth parsing
# a short reply right after a report ("Kyiv denied the claims.") changes its attribution
REPLY = re.compile(
    r"\b(?:denied|denies|deny|rejected|dismissed|refuted|confirmed|claimed responsibility)\b",
    re.IGNORECASE,
)
_SPEAKER = re.compile(
    r"\b(?:said|says|told|added|stated|announced|wrote|declared)\b[^.!?]{0,60}:\s*[\"'“‘]?"
)
# "no civilian infrastructure was damaged": a claim that something did not happen
_NOTHING_HAPPENED = re.compile(
    r"\b(?:no|nobody|no one|none|nothing)\b[^.!?]{0,60}\b(?:was|were|has been|have been|is|are)\b",
    re.IGNORECASE,
)


class Stage(Protocol):
    """One step of the pipeline over a batch of documents."""

    @property
    def name(self) -> str: ...

    @property
    def requires(self) -> tuple[str, ...]: ...

    @property
    def assigns(self) -> tuple[str, ...]: ...

    def __call__(self, docs: list[ArticleDoc]) -> None: ...


class PipelineError(SitrepError):
    """The stages are not in an order that gives each what it requires."""


def check_order(stages: Sequence[Stage]) -> None:
    """Raise ``PipelineError`` unless every stage's needs are met by the stages before it."""
    have: set[str] = set()
    for stage in stages:
        unknown = (set(stage.requires) | set(stage.assigns)) - FIELDS
        if unknown:
            raise PipelineError(f"stage {stage.name!r} names unknown fields: {sorted(unknown)}")
        missing = [f for f in stage.requires if f not in have]
        if missing:
            raise PipelineError(
                f"stage {stage.name!r} requires {missing}, which no earlier stage assigns"
            )
        have.update(stage.assigns)


def run_timed(doc: ArticleDoc, work: Any) -> None:
    """Run ``work()`` on the document's clock; past its budget (or cancelled) the document is
    marked skipped, with the reason, and later stages leave it alone."""
    doc.budget.resume()
    try:
        doc.budget.check()
        work()
    except bounds.OverBudget as over:
        doc.skipped, doc.over = True, str(over)
    finally:
        doc.budget.pause()


class ArticleStage:
    """A stage that handles one document at a time; documents marked ``skipped`` are left alone."""

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, docs: list[ArticleDoc]) -> None:
        for doc in docs:
            if not doc.skipped:
                run_timed(doc, lambda: self.process(doc))  # noqa: B023 - called at once

    def process(self, doc: ArticleDoc) -> None:
        raise NotImplementedError


class SplitSentences(ArticleStage):
    """The cleaned text cut into sentences."""

    name = "sentences"
    requires = ()
    assigns = ("sentences",)

    def process(self, doc: ArticleDoc) -> None:
        doc.sentences = sentences(doc.article.text)


class ChooseCandidates(ArticleStage):
    """The sentences worth parsing: those a trigger word may fire in (all of them unless ``fast``),
    replies right after them, speakers who open a quote, and estimative judgements.

    With ``events_only``, an article with no trigger sentence is skipped: it reports no event.
    """

    name = "candidates"
    assigns = ("candidates",)

    def __init__(self, fast: bool = True, events_only: bool = False, typed: bool = False) -> None:
        self.fast = fast
        self.events_only = events_only
        self.typed = typed  # the typer's event sentences are candidates too

    @property
    def requires(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("sentences", "sentence_types") if self.typed else ("sentences",)

    def process(self, doc: ArticleDoc) -> None:
        sents = doc.sentences
        chosen: list[int] = []
        found = after = False  # a trigger sentence seen; the last sentence was one
        chars = 0
        for i, s in enumerate(sents):
            if i % 256 == 0:
                doc.budget.check()
            cand = self._is_candidate(doc, i)
            # a trigger sentence, a reply right after one, a speaker, a claim of nothing, a judgement
            if (
                cand
                or (after and REPLY.search(s.text))
                or _SPEAKER.search(s.text)
                or _NOTHING_HAPPENED.search(s.text)
                or estimate(s.text)
            ):
                chars += len(s.text)
                if chars > bounds.MAX_PARSED_CHARS:
                    doc.capped.append(bounds.parse_cap_line(s.start, len(doc.article.text)))
                    found = found or any(self._is_candidate(doc, k) for k in range(i, len(sents)))
                    break
                chosen.append(i)
            found, after = found or cand, cand
        if self.events_only and not found:
            doc.skipped = True
            return
        doc.candidates = chosen

    def _is_candidate(self, doc: ArticleDoc, i: int) -> bool:
        """A sentence a trigger word may fire in (every one unless ``fast``); the typer's word
        alone makes one too: every sentence of a short text it read whole, and a sentence it calls
        an event (in articles only when its thresholds read them)."""
        return bool(
            not self.fast
            or triggers.quick_match(doc.sentences[i].text)
            or (
                self.typed
                and (
                    doc.text_type is not None
                    or doc.sentence_types[i].event_probability >= TYPED_CANDIDATE
                )
            )
        )


PARSE_GROUP_CHARS = (
    20_000  # a spaCy batch holds at most this much text (64 news sentences: ~10,000)
)


class Parse:
    """spaCy parses of the candidate sentences of every document of the batch, in batches of
    ``batch_size`` sentences and at most ``PARSE_GROUP_CHARS`` characters; each parse is charged
    to its own document's clock, and a document past its budget (or cancelled) sends no more."""

    name = "parse"
    requires = ("sentences", "candidates")
    assigns = ("parses",)

    def __init__(self, nlp: Any, batch_size: int = 64) -> None:
        self.nlp = nlp
        self.batch_size = batch_size

    def __call__(self, docs: list[ArticleDoc]) -> None:
        last = time.monotonic()
        for group in self._groups(docs):
            group = [(d, i) for d, i in group if not d.skipped]
            texts = [d.sentences[i].text for d, i in group]
            for (d, i), parse in zip(
                group, self.nlp.pipe(texts, batch_size=self.batch_size), strict=True
            ):
                now = time.monotonic()
                if not d.skipped:
                    d.parses[i] = parse
                    try:
                        d.budget.charge(now - last)
                    except bounds.OverBudget as over:
                        d.skipped, d.over = True, str(over)
                last = now

    def _groups(self, docs: list[ArticleDoc]) -> Iterator[list[tuple[ArticleDoc, int]]]:
        group: list[tuple[ArticleDoc, int]] = []
        chars = 0
        for d in docs:
            for i in d.candidates if not d.skipped else ():
                group.append((d, i))
                chars += len(d.sentences[i].text)
                if len(group) >= self.batch_size or chars >= PARSE_GROUP_CHARS:
                    yield group
                    group, chars = [], 0
        if group:
            yield group


class FindTriggers(ArticleStage):
    """Each parsed sentence's event triggers, with non-events dropped (and remembered)."""

    name = "triggers"
    requires = ("parses",)
    assigns = ("hits",)

    def process(self, doc: ArticleDoc) -> None:
        short = len(doc.sentences) <= SHORT_SENTENCES
        for i, parse in doc.parses.items():
            doc.budget.check()
            found = SentenceHits()
            found.hits = triggers.find_hits(parse, found.rejected, short)
            doc.hits[i] = found


# prepositions whose object names where ("in X", "near X", "an attack on X", "the village of X")
_LOCATIVE_PREPS = frozenset(
    {"in", "near", "at", "on", "into", "towards", "toward", "outside", "around", "of", "from"}
)
# nouns whose "of X" names a place even when NER calls X a person ("residents of Kagara")
_SETTLED = frozenset(
    "village town city settlement hamlet outskirts suburb resident inhabitant people mayor "
    "governor centre center part area district region province port capital municipality "
    "commune county".split()
)
_OBJECT_DEPS = frozenset({"dobj", "obj", "advmod", "npadvmod", "oprd"})  # the parser's guesses
_RELABEL = frozenset({"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "FAC", "PERSON"})


_BRACKET = re.compile(r"[()\[\]]")


def _place_role(ent: Any, violent_heads: frozenset[int]) -> str:
    """An entity's label for the geoparser: a name NER calls an organisation, a product or a
    person (often a small village it has never seen) counts as a place when the parse puts it where
    a place goes: the object of a locative preposition, of a verb (not for a person), or of a
    violent event word ("shelled X", "attacked X"). The gazetteer still has to know the name."""
    label = str(ent.label_)
    if label not in _RELABEL:
        return label
    root = ent.root
    if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE_PREPS:
        if label == "PERSON" and root.head.lower_ == "of" and root.head.head.lemma_ not in _SETTLED:
            return label  # "the resignation of Ariel Henry" (but "the village of Kozacha Lopan")
        return "GPE"
    if root.dep_ in _OBJECT_DEPS and root.head.pos_ == "VERB":
        if label != "PERSON" or root.head.i in violent_heads:
            return "GPE"
    return label


class Geoparse(ArticleStage):
    """The article's places, resolved once with the parsed sentences' entities; skipped when every
    trigger was a non-event (geoparsing is the costliest stage)."""

    name = "geoparse"
    assigns = ("places", "home")

    def __init__(self, geoparser: Geoparser, typed: bool = False) -> None:
        self.geoparser = geoparser
        self.typed = typed  # a sentence the typer calls an event wants places too

    @property
    def requires(self) -> tuple[str, ...]:  # type: ignore[override]
        base = ("sentences", "parses", "hits")
        return (*base, "sentence_types") if self.typed else base

    def process(self, doc: ArticleDoc) -> None:
        violent = {
            i: frozenset(h.head.i for h in found.hits if h.group == "violent")
            for i, found in doc.hits.items()
        }
        ents = [
            (
                doc.sentences[i].start + e.start_char,
                doc.sentences[i].start + e.end_char,
                _place_role(e, violent.get(i, frozenset())),
            )
            for i, parse in doc.parses.items()
            for e in parse.ents
            if not _BRACKET.search(e.text)  # "Khanaqin (Khanaqin": NER cut across a bracket
        ]
        wanted = any(found.hits for found in doc.hits.values()) or (
            self.typed
            and (
                doc.text_type is not None
                or any(
                    doc.sentence_types[i].event_probability >= TYPED_CANDIDATE for i in doc.parses
                )
            )
        )
        text = doc.article.text
        doc.places = (
            bounds.geoparse(self.geoparser, text, doc.sentences, ents, doc.parses, doc.budget)
            if text and wanted
            else []
        )
        doc.home = _article_country(doc.places)


class FindClaims(ArticleStage):
    """Statements (who said what, claims that something did not happen) and assessments."""

    name = "claims"
    requires = ("sentences", "parses")
    assigns = ("statements", "assessments")

    def process(self, doc: ArticleDoc) -> None:
        order = sorted(doc.parses)
        if not order:
            return
        parses = [doc.parses[i] for i in order]
        offsets = [doc.sentences[i].start for i in order]
        text = doc.article.text
        doc.statements = find_statements(parses, offsets, text=text)
        doc.assessments = find_assessments(parses, offsets, statements=doc.statements, text=text)


class FindMentions(ArticleStage):
    """One mention per clause and trigger group, with its sub-type, places, date, casualties,
    weapons and actors."""

    name = "mentions"
    requires = ("sentences", "parses", "hits", "places", "home")
    assigns = ("mentions",)

    def process(self, doc: ArticleDoc) -> None:
        places = sorted(doc.places, key=lambda pm: pm.toponym.start)  # the geoparser's order
        starts = [pm.toponym.start for pm in places]
        for i, parse in doc.parses.items():
            doc.budget.check()
            sent = doc.sentences[i]
            here = places[bisect_left(starts, sent.start) : bisect_left(starts, sent.end)]
            doc.mentions.extend(
                sentence_mentions(parse, i, sent, here, doc.article, doc.home, doc.hits[i])
            )


class MergeMentions(ArticleStage):
    """Mentions of one event within the article grouped into clusters."""

    name = "merge"
    requires = ("mentions",)
    assigns = ("clusters",)

    def process(self, doc: ArticleDoc) -> None:
        doc.clusters = merge_mentions(doc.mentions, doc.capped, doc.budget)


class WriteEvents(ArticleStage):
    """Events with evidence, attribution and notes; assessments that are an event's main report
    are dropped from the article's assessments."""

    name = "events"
    requires = ("sentences", "parses", "places", "statements", "assessments", "clusters")
    assigns = ("events", "assessments")

    def process(self, doc: ArticleDoc) -> None:
        from sitrep.pipeline.events import build_events

        replies = {
            i: (doc.sentences[i], parse)
            for i, parse in doc.parses.items()
            if REPLY.search(doc.sentences[i].text)
        }
        doc.events = build_events(doc.article, doc.clusters, doc.places, replies, doc.statements)
        doc.assessments = _non_event_assessments(doc.assessments, doc.events)


def _non_event_assessments(assessments: list[Assessment], events: list[Event]) -> list[Assessment]:
    """Assessments whose sentence is not the main report of an event."""
    main = {e.evidence[0].start for e in events if e.evidence}
    return [a for a in assessments if a.start not in main]


def _article_country(places: list[PlaceMention]) -> lexicon.Country | None:
    """The country most of the article's places lie in (the default for unplaced actors)."""
    counts: dict[str, int] = {}
    for pm in places:
        if pm.place.iso3:
            counts[pm.place.iso3] = counts.get(pm.place.iso3, 0) + 1
    if not counts:
        return None
    return lexicon.country_by_iso3(max(counts, key=lambda k: counts[k]))
