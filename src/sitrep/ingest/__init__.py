"""Ingest: anything in (text, HTML, JSON records; files, directories, stdin), ``Article`` out.

``iter_articles`` never raises for one bad input: it yields a ``Failure`` and goes on.
The ``article_from_*`` builders raise ``sitrep.errors.IngestError`` instead.
"""

from __future__ import annotations

from sitrep.ingest.files import iter_articles, iter_items
from sitrep.ingest.html import article_from_html
from sitrep.ingest.records import article_from_record
from sitrep.ingest.text import CleanedText, article_from_text, clean_text

__all__ = [
    "CleanedText",
    "article_from_html",
    "article_from_record",
    "article_from_text",
    "clean_text",
    "iter_articles",
    "iter_items",
]
