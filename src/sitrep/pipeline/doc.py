"""The document the pipeline's stages share: one article and what each stage has found in it.

Stages (``sitrep.pipeline.stages``) read some fields of an ``ArticleDoc`` and fill others; each
declares which, and ``Extractor`` checks the order once at start-up. ``Mention`` and ``Cluster`` are
the records between the per-sentence stages and the event writer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sitrep.models import Article, Assessment, Event, Span, Statement
from sitrep.pipeline.bounds import Budget

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from sitrep.geo.resolve import PlaceMention
    from sitrep.pipeline.casualties import Casualty
    from sitrep.pipeline.dates import DateMention
    from sitrep.pipeline.lexicon import Country
    from sitrep.pipeline.triggers import Decision, Hit
    from sitrep.pipeline.weapons import WeaponMention


@dataclass
class Mention:
    """One event mention: a clause of one sentence, before merging."""

    sent_index: int
    sent: Span
    decision: Decision | None  # None for a casualty-only supporting mention
    group: str
    trigger: Span
    places: list[PlaceMention] = field(default_factory=list)  # best first
    date: DateMention | None = None
    casualties: list[Casualty] = field(default_factory=list)
    weapons: list[WeaponMention] = field(default_factory=list)
    actor1: str | None = None
    actor2: str | None = None
    anaphoric: bool = False
    separate: bool = False
    support: bool = (
        False  # only supports another mention (a toll, "the attacks"): never an event alone
    )
    doc: Doc | None = None
    heads: list[Token] = field(default_factory=list)


@dataclass
class Cluster:
    """The mentions of one event, in article order."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def primary(self) -> list[Mention]:
        return [m for m in self.mentions if m.decision is not None and not m.support]

    @property
    def group(self) -> str:
        return self.mentions[0].group

    def best(self) -> Decision:
        """The decision of the cluster: the most confident specific one, else the most confident."""
        decisions = [m.decision for m in self.primary if m.decision]
        specific = [d for d in decisions if d.specific]
        return max(specific or decisions, key=lambda d: d.confidence)

    def place(self) -> PlaceMention | None:
        for m in self.mentions:
            if m.places:
                return m.places[0]
        return None

    def date(self) -> DateMention | None:
        """The first date given by a mention that reports the event (not by a supporting one)."""
        for m in self.primary:
            if m.date is not None:
                return m.date
        return None


@dataclass(frozen=True)
class SentenceType:
    """The learned typer's reading of one sentence."""

    label: str  # a sub-event type, or "none"
    probability: float  # of that label
    event_probability: float  # of any event (1 - p(none))
    probabilities: dict[str, float] = field(default_factory=dict)  # of the likelier labels


@dataclass
class SentenceHits:
    """A parsed sentence's event triggers, and the heads of those dropped as non-events."""

    hits: list[Hit] = field(default_factory=list)
    rejected: list[Token] = field(default_factory=list)


@dataclass
class ArticleDoc:
    """One article on its way through the stages. Field names are the stages' keys."""

    article: Article
    sentences: list[Span] = field(default_factory=list)
    sentence_types: list[SentenceType] = field(default_factory=list)  # one per sentence
    text_type: SentenceType | None = None  # the typer's reading of a short text as a whole
    candidates: list[int] = field(default_factory=list)  # sentences worth parsing, in order
    parses: dict[int, Doc] = field(default_factory=dict)  # sentence index -> spaCy parse
    hits: dict[int, SentenceHits] = field(default_factory=dict)
    places: list[PlaceMention] = field(default_factory=list)
    home: Country | None = None  # the country most of the article's places lie in
    statements: list[Statement] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    clusters: list[Cluster] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    skipped: bool = False  # no sentence worth parsing: later stages leave it alone
    budget: Budget = field(default_factory=Budget)  # its time, checked between sentences
    over: str = ""  # why it was stopped ("over the 30 s budget; skipped")
    capped: list[str] = field(default_factory=list)  # what the caps left out, one line each


FIELDS = frozenset(ArticleDoc.__dataclass_fields__) - {
    "article",
    "skipped",
    "budget",
    "over",
    "capped",
}
