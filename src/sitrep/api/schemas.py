"""Response and request bodies of the HTTP API: pydantic mirrors of ``sitrep.models`` records."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class EvidenceOut(_Out):
    """A sentence supporting ``field``; ``text == article.text[start:end]``."""

    text: str
    start: int
    end: int
    field: str


class FigureOut(_Out):
    kind: str
    value: int
    text: str
    source: str | None = None


class AttributionOut(_Out):
    """Who reported, claimed, was blamed, denied; the probability words (hedges) and range."""

    status: str
    reported_by: list[str] = []
    claimed_by: list[str] = []
    blamed_on: list[str] = []
    blamed_by: list[str] = []
    denied_by: list[str] = []
    hedges: list[str] = []
    probability: list[float] | None = None


class SourceFigureOut(_Out):
    source: str
    fatalities: int
    injuries: int
    article_id: str
    published: datetime | None = None


class ReportOut(_Out):
    """One article's report (mention) of the event, with its evidence."""

    mention_id: str
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
    status: str
    group: int
    score: float | None = None
    evidence: list[EvidenceOut] = []


class EventOut(_Out):
    """A merged event as listed: ACLED fields, attribution, evidence and source counts."""

    event_id: str
    article_id: str
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
    weapons: list[str] = []
    notes: str = ""
    background: bool = False
    civilian_targeting: bool = False
    figures: list[FigureOut] = []
    attribution: AttributionOut
    evidence: list[EvidenceOut] = []
    source: str | None = None
    source_url: str | None = None
    published: datetime | None = None
    status: str
    sources: list[str] = []
    source_count: int = 0
    independent_sources: int = 0
    mention_count: int = 0
    article_count: int = 0
    first_reported: datetime | None = None
    last_reported: datetime | None = None
    source_figures: list[SourceFigureOut] = []


class EventDetail(EventOut):
    """One merged event with every report of it."""

    reports: list[ReportOut] = []


class EventPage(BaseModel):
    """One page of events; ``next_offset`` is null on the last page."""

    total: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[EventOut]


class MentionOut(_Out):
    """A mention as the extractor made it from one article (not merged)."""

    event_id: str
    article_id: str
    event_type: str
    sub_event_type: str
    confidence: float
    event_date: date | None
    time_precision: int
    actor1: str | None = None
    actor2: str | None = None
    country: str | None = None
    admin1: str | None = None
    location: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    fatalities: int = 0
    injuries: int = 0
    notes: str = ""
    attribution: AttributionOut
    evidence: list[EvidenceOut] = []
    figures: list[FigureOut] = []
    source: str | None = None
    source_url: str | None = None
    published: datetime | None = None


class ArticleOut(_Out):
    """A stored article with its cleaned text (evidence offsets point into ``text``)."""

    id: str
    title: str | None = None
    text: str
    published: datetime | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None


class CountOut(_Out):
    """Events and fatalities of one type in one period (a day, or the week starting that Monday)."""

    period: str
    event_type: str
    events: int
    fatalities: int


class SearchHitOut(_Out):
    """An article matching a full-text search; the snippet marks matches with [ and ]."""

    article_id: str = Field(validation_alias="article_key")
    title: str | None
    url: str | None
    published: str | None
    snippet: str


class MetaOut(BaseModel):
    """What the page needs to draw its filters, and what the server allows."""

    version: str
    event_types: list[str]
    sub_event_types: dict[str, list[str]]
    statuses: list[str]
    orders: list[str]
    writes_enabled: bool
    tile_url: str | None
    tile_attribution: str | None
    max_page: int


class ArticleIn(BaseModel):
    """An article to ingest: ``text`` (or ``html``) and optional metadata, as in a JSONL record."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, max_length=200)
    text: str | None = None
    html: str | None = None
    title: str | None = Field(None, max_length=2_000)
    published: str | None = Field(None, max_length=100)
    url: str | None = Field(None, max_length=2_000)
    author: str | None = Field(None, max_length=500)
    publisher: str | None = Field(None, max_length=500)
    language: str | None = Field(None, max_length=20)

    def record(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class IngestOut(BaseModel):
    """What storing a POSTed article did."""

    article_id: str
    added: bool
    duplicate: str | None = None
    mentions: int
    new_events: int
    updated_events: int
    mention_ids: list[str]  # the extractor's ids of the events found in the article
