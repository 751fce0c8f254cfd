"""Response and request bodies of the HTTP API.

The response models are made from the dataclasses they serve (``sitrep.models`` and the store's
results): ``@fields_of(SomeDataclass)`` gives a model every field of the dataclass that the class
does not declare itself, so a field added to a dataclass is served, or the import fails until it is
named in ``omit`` with the reason it is not. Nested dataclasses become their response models
(``list[Evidence]`` is served as ``list[EvidenceOut]``).
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, create_model, model_validator
from pydantic_core import PydanticCustomError

from sitrep import models
from sitrep.store import AddResult, PeriodCount, SearchHit

Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Mirror:
    """The dataclass a response model serves, and the fields it leaves out, each with the reason."""

    source: type
    omitted: Mapping[str, str]


MIRRORS: dict[type[BaseModel], Mirror] = {}
_MODEL_OF: dict[type, type[BaseModel]] = {}  # a dataclass's first response model, for nesting


def fields_of(
    source: type, *, omit: Mapping[str, str] | None = None
) -> Callable[[type[Model]], type[Model]]:
    """Class decorator: the model plus every field of dataclass ``source`` it does not declare.

    ``omit`` maps each field left out to the reason. The added fields are all required: a model is
    validated from a whole ``source`` instance, so every key is in every answer.
    """
    omitted = dict(omit or {})

    def make(cls: type[Model]) -> type[Model]:
        names = [f.name for f in dataclasses.fields(source)]
        if unknown := sorted(set(omitted) - set(names)):
            raise TypeError(f"{cls.__name__} omits {unknown}, not fields of {source.__name__}")
        if unexplained := sorted(name for name, why in omitted.items() if not why.strip()):
            raise TypeError(f"{cls.__name__} omits {unexplained} without saying why")
        hints = get_type_hints(source)
        added: dict[str, Any] = {
            name: (_served(hints[name]), ...)
            for name in names
            if name not in omitted and name not in cls.model_fields
        }
        model = create_model(
            cls.__name__,
            __base__=cls,
            __module__=cls.__module__,
            __qualname__=cls.__qualname__,
            __doc__=cls.__doc__ or source.__doc__,
            **added,
        )
        MIRRORS[model] = Mirror(source, omitted)
        _MODEL_OF.setdefault(source, model)
        return model

    return make


def _served(hint: Any) -> Any:
    """The type ``hint`` with every dataclass in it replaced by its response model."""
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if hint not in _MODEL_OF:
            raise TypeError(f"no response model for {hint.__name__}: declare it before its users")
        return _MODEL_OF[hint]
    args = get_args(hint)
    served = tuple(_served(arg) for arg in args)
    if served == args:
        return hint
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        return functools.reduce(operator.or_, served)
    return origin[served]


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


_ROW_ID = "the store's row id: the API names an article by its key"


@fields_of(models.Evidence)
class EvidenceOut(_Out):
    """A sentence supporting ``field``; ``text == article.text[start:end]``."""


@fields_of(models.Figure)
class FigureOut(_Out):
    """One source's casualty figure for an event: ``kind`` is fatalities or injuries."""


@fields_of(models.Attribution)
class AttributionOut(_Out):
    """Who reported, claimed, was blamed, denied; the probability words (hedges) and range."""


@fields_of(models.SourceFigure)
class SourceFigureOut(_Out):
    """One publisher's casualty figures for a merged event, from its latest report of it."""


@fields_of(models.Report)
class ReportOut(_Out):
    """One article's report (mention) of the event, with its evidence."""


@fields_of(models.EventRecord, omit={"reports": "a listing leaves them out; EventDetail has them"})
class EventOut(_Out):
    """A merged event as listed: ACLED fields, attribution, evidence and source counts."""


@fields_of(models.EventRecord)
class EventDetail(EventOut):
    """One merged event with every report of it."""


class EventPage(BaseModel):
    """One page of events; ``next_offset`` is null on the last page."""

    total: int
    limit: int
    offset: int
    next_offset: int | None
    items: list[EventOut]


@fields_of(models.Event)
class MentionOut(_Out):
    """A mention as the extractor made it from one article (not merged)."""


@fields_of(
    models.Article, omit={"removed": "not stored: what cleaning dropped is read only at ingest"}
)
class ArticleOut(_Out):
    """A stored article with its cleaned text (evidence offsets point into ``text``)."""


@fields_of(PeriodCount)
class CountOut(_Out):
    """Events and fatalities of one type in one period (a day, or the week starting that Monday)."""


@fields_of(SearchHit, omit={"article_id": _ROW_ID, "article_key": "served as article_id"})
class SearchHitOut(_Out):
    """An article matching a full-text search; the snippet marks matches with [ and ]."""

    article_id: str = Field(validation_alias="article_key")


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

    @model_validator(mode="before")
    @classmethod
    def _record_checks(cls, data: Any) -> Any:
        """The checks ``sitrep ingest`` makes of a JSONL record, with the same one-line messages."""
        from sitrep.errors import IngestError
        from sitrep.ingest.records import check_record

        try:
            return check_record(data, "body")
        except IngestError as exc:
            raise PydanticCustomError("record", exc.problem) from None

    def record(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


@fields_of(AddResult, omit={"article_id": _ROW_ID})
class IngestOut(BaseModel):
    """What storing a POSTed article did."""

    article_id: str
    mention_ids: list[str]  # the extractor's ids of the events found in the article
    note: str  # what happened, in words: stored, or already stored and not extracted again
