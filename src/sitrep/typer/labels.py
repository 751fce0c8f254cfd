"""The typer's classes: ACLED's 25 sub-event types and ``none`` (not an event report)."""

from __future__ import annotations

from sitrep.taxonomy import event_type_of, sub_event_types

NONE = "none"
LABELS: tuple[str, ...] = (*sub_event_types(), NONE)


def event_type_for(label: str) -> str:
    """ACLED's event type of a label (``none`` for none)."""
    return NONE if label == NONE else event_type_of(label)
