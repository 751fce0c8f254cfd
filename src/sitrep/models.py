"""Plain records passed between sitrep's layers.

Nothing here imports spaCy: the store, exports, API and page see only these dataclasses.
Field names of ``Event`` are the output contract documented in ``docs/record.md``; keep them stable.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class Removed:
    """A piece of the raw input that cleaning dropped, and why (``kind``)."""

    kind: str  # headline, dateline, byline, caption, audio, read_more, other_headline, boilerplate
    text: str


@dataclass
class Article:
    """One news article after ingest: metadata plus the cleaned body the extractor reads."""

    id: str
    text: str  # cleaned body; paragraphs separated by a blank line; evidence offsets point here
    title: str | None = None
    published: datetime | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    source: str | None = None  # the input it came from: a path, "-" for stdin, path:line for JSONL
    language: str | None = None
    removed: list[Removed] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["published"] = self.published.isoformat() if self.published else None
        return d


@dataclass(frozen=True)
class Failure:
    """An input that could not be read, with one line saying why."""

    input: str
    problem: str

    def __str__(self) -> str:
        return f"{self.input}: {self.problem}"


@dataclass(frozen=True)
class Span:
    """A piece of the cleaned article text: ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int


@dataclass
class Place:
    """A resolved location. ``geo_precision`` follows ACLED: 1 town, 2 near/part of, 3 region."""

    name: str
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int = 3
    geonameid: int | None = None
    feature: str | None = None  # GeoNames feature class.code, e.g. "P.PPL", "A.ADM1", "S.AIRB"
    score: float = 0.0
    # a region's largest town (latitude, longitude): where an event known only at the region's
    # level is coded, as ACLED codes it at the provincial capital; the region keeps its own point
    seat: tuple[float, float] | None = None


@dataclass
class Evidence:
    """A sentence (or part of one) that supports ``field`` of an event."""

    text: str
    start: int
    end: int
    field: str = "event"  # event, date, location, actors, fatalities, injuries, weapons


@dataclass
class Figure:
    """One source's casualty figure for an event."""

    kind: str  # fatalities | injuries
    value: int
    text: str
    source: str | None = None


@dataclass
class Attribution:
    """Who says an event happened and how sure they are (filled by the claims stage)."""

    status: str = "asserted"  # asserted, reported, claimed, suspected, denied, unconfirmed
    reported_by: list[str] = field(default_factory=list)
    claimed_by: list[str] = field(default_factory=list)
    blamed_on: list[str] = field(default_factory=list)
    blamed_by: list[str] = field(default_factory=list)
    denied_by: list[str] = field(default_factory=list)
    hedges: list[str] = field(default_factory=list)
    probability: list[float] | None = None


@dataclass
class Statement:
    """A direct quote or an indirect statement, one per sentence it covers (offsets into the text).

    ``kind`` is direct, indirect or according_to; ``act`` is say, claim or deny; ``source`` is the
    speaker as written with the role ("police spokesman Ahmed Ali"); ``negated`` is True when the
    statement says something did not happen ("no one was hurt"); ``probability`` [lo, hi] comes from
    estimative language in it (``estimative`` is the phrase).
    """

    text: str
    start: int
    end: int
    speaker: str | None = None
    role: str | None = None
    kind: str = "direct"
    probability: list[float] | None = None
    negated: bool = False
    act: str = "say"
    estimative: str | None = None
    source: str | None = None


@dataclass
class Assessment:
    """A judgement that is not an event: an estimate, an analyst's judgement, or a forecast.

    ``kind`` is estimate (estimative language), judgement ("analysts see X as Y") or forecast
    ("will", "could", "is expected to"); the speaker is carried over multi-paragraph quotes.
    """

    text: str
    start: int
    end: int
    speaker: str | None = None
    role: str | None = None
    kind: str = "estimate"
    probability: list[float] | None = None
    negated: bool = False
    estimative: str | None = None


@dataclass
class Event:
    """One event an article reports, in ACLED's taxonomy, with the evidence for each field."""

    article_id: str
    event_id: str
    event_type: str
    sub_event_type: str
    confidence: float
    event_date: date | None
    time_precision: int
    actor1: str | None = None
    assoc_actor_1: str | None = None
    actor2: str | None = None
    assoc_actor_2: str | None = None
    country: str | None = None
    iso3: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    fatalities: int = 0
    injuries: int = 0
    weapons: list[str] = field(default_factory=list)
    notes: str = ""
    background: bool = False
    civilian_targeting: bool = False
    figures: list[Figure] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)
    evidence: list[Evidence] = field(default_factory=list)
    source: str | None = None
    source_url: str | None = None
    published: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["event_date"] = self.event_date.isoformat() if self.event_date else None
        d["published"] = self.published.isoformat() if self.published else None
        return d


@dataclass
class ArticleReport:
    """Everything sitrep reads in one article: its events, and the statements and assessments in it."""

    article: Article
    events: list[Event] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)
    # what the per-article caps left out, one line each (``pipeline.bounds``); usually empty
    capped: list[str] = field(default_factory=list)
    skipped: str = ""  # why the article was not extracted ("over the 30 s budget; skipped")

    def to_dict(self) -> dict[str, Any]:
        out = {
            "article": self.article.to_dict(),
            "events": [e.to_dict() for e in self.events],
            "statements": [dataclasses.asdict(s) for s in self.statements],
            "assessments": [dataclasses.asdict(a) for a in self.assessments],
        }
        if self.capped:
            out["capped"] = list(self.capped)
        return out


@dataclass
class SourceFigure:
    """One publisher's casualty figures for a merged event, from its latest report of it."""

    source: str
    fatalities: int
    injuries: int
    article_id: str
    published: datetime | None = None


@dataclass
class Report:
    """One article's report (mention) of a merged event, with its article and evidence."""

    mention_id: str  # the extractor's event_id for this article
    article_id: str
    source: str | None
    url: str | None
    title: str | None
    published: datetime | None
    sub_event_type: str
    event_date: date | None
    time_precision: int
    location: str | None
    fatalities: int
    injuries: int
    status: str  # the mention's attribution status
    group: int  # independence group: reports with the same group are one independent source
    score: float | None = (
        None  # fusion score when it joined; None for the report that founded the event
    )
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EventRecord(Event):
    """A merged event: every report of one real-world event, its sources, figures and status.

    The Event fields hold the canonical values; ``article_id``, ``evidence`` and ``notes`` come from
    the representative report, ``fatalities``/``injuries`` follow ACLED's conservative rule over
    ``source_figures``, ``source`` lists the publishers and ``published`` is the latest report.
    """

    status: str = "reported"  # confirmed, disputed, reported, claimed, unconfirmed
    sources: list[str] = field(default_factory=list)
    source_count: int = 0
    independent_sources: int = 0
    mention_count: int = 0
    article_count: int = 0
    first_reported: datetime | None = None
    last_reported: datetime | None = None
    source_figures: list[SourceFigure] = field(default_factory=list)
    reports: list[Report] = field(
        default_factory=list
    )  # filled by Store.event(); empty in listings

    def to_dict(self) -> dict[str, Any]:
        d = super().to_dict()
        for key in ("first_reported", "last_reported"):
            value = getattr(self, key)
            d[key] = value.isoformat() if value else None
        for fig, figure in zip(d["source_figures"], self.source_figures, strict=True):
            fig["published"] = figure.published.isoformat() if figure.published else None
        for rep, report in zip(d["reports"], self.reports, strict=True):
            rep["published"] = report.published.isoformat() if report.published else None
            rep["event_date"] = report.event_date.isoformat() if report.event_date else None
        return d
