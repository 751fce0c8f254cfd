"""ACLED's event taxonomy, loaded once from ``data/taxonomy.json``."""

from __future__ import annotations

from functools import cache

from sitrep.resources import load_json


@cache
def _load() -> dict[str, dict[str, object]]:
    data: dict[str, dict[str, object]] = load_json("taxonomy.json")["event_types"]
    return data


def event_types() -> list[str]:
    return list(_load())


def sub_event_types(event_type: str | None = None) -> list[str]:
    types = [event_type] if event_type else event_types()
    return [s for t in types for s in _load()[t]["sub_event_types"]]  # type: ignore[attr-defined]


def event_type_of(sub_event_type: str) -> str:
    """The event type a sub-event type belongs to; ``KeyError`` for an unknown sub-type."""
    for t in event_types():
        if sub_event_type in sub_event_types(t):
            return t
    raise KeyError(sub_event_type)


def disorder_type(event_type: str) -> str:
    return str(_load()[event_type]["disorder_type"])
