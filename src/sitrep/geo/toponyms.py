"""A place name found in a text, with what the words around it say about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Toponym:
    """A place name found in the text: ``text == source[start:end]``; ``name`` is what to look up."""

    start: int
    end: int
    text: str
    name: str
    qualifier: str | None = None  # None, "near", "region", "district", "base" or "distance"
    container: str | None = None  # "Paris, Texas": the country or region named right after it
    # the units written after it, innermost first: "Berestove (Bakhmut raion, Donetsk oblast)" ->
    # ((start, end, "Bakhmut", "district"), (start, end, "Donetsk", "region"))
    within: tuple[tuple[int, int, str, str | None], ...] = ()
