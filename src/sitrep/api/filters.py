"""Query parameters of the event routes (the filters of ``sitrep events``), as pydantic models."""

from __future__ import annotations

from typing import Literal

from fastapi import HTTPException
from pydantic import BaseModel, ConfigDict, Field

from sitrep.store.query import ORDERS, EventQuery


class FilterParams(BaseModel):
    """Filters on merged events; all optional, combined with AND; unknown parameters are refused."""

    model_config = ConfigDict(extra="forbid")

    date_from: str | None = Field(None, max_length=10, description="YYYY-MM-DD, inclusive")
    date_to: str | None = Field(None, max_length=10, description="YYYY-MM-DD, inclusive")
    country: str | None = Field(
        None, max_length=100, description="country name or ISO 3166 alpha-3"
    )
    admin1: str | None = Field(None, max_length=100)
    event_type: str | None = Field(None, max_length=100, description="one of ACLED's 6 event types")
    sub_event_type: str | None = Field(None, max_length=100)
    actor: str | None = Field(None, max_length=200, description="part of any actor's name")
    text: str | None = Field(None, max_length=200, description="words that must all appear")
    bbox: str | None = Field(None, max_length=100, description="west,south,east,north in degrees")
    min_sources: int | None = Field(None, ge=1, le=10_000)
    min_independent: int | None = Field(None, ge=1, le=10_000)
    status: str | None = Field(
        None, max_length=100, description="a status, or several joined by commas"
    )

    def query(self, **paging: object) -> EventQuery:
        """The store's query; 422 with the store's message for a filter value it refuses."""
        names = FilterParams.model_fields
        values = {k: v for k, v in self.model_dump().items() if k in names and v not in (None, "")}
        values.update({k: v for k, v in paging.items() if v is not None})
        try:
            return EventQuery.from_filters(**values)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None


class ListParams(FilterParams):
    """Filters plus paging, order and output format for ``GET /api/events``."""

    limit: int = Field(
        100, ge=0, description="events per page (at most the server's max_page, 1000 by default)"
    )
    offset: int = Field(0, ge=0, le=10_000_000)
    order: str = Field("-date", max_length=20, description=f"one of: {', '.join(ORDERS)}")
    format: Literal["json", "geojson"] = "json"


class CountParams(FilterParams):
    """Filters plus the period of ``GET /api/counts``."""

    by: Literal["day", "week"] = "day"
