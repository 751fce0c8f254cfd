"""The extractor: Articles in, the events they report out, through the stages of ``pipeline.stages``.

Each article becomes an ``ArticleDoc``; the stages run in order over batches of documents (so the
parser sees the candidate sentences of several articles at once); the filled document becomes an
``ArticleReport``. The stage order is checked once, when the Extractor is built.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sitrep.models import Article, ArticleReport, Event
from sitrep.pipeline.doc import ArticleDoc
from sitrep.pipeline.nlp import load_model
from sitrep.pipeline.stages import Stage, check_order, default_stages

log = logging.getLogger(__name__)

BATCH_ARTICLES = 16  # articles per run of the stages: one spaCy batch of their sentences


class Extractor:
    """Holds the loaded stages (spaCy pipeline, gazetteer); ``extract`` turns an Article into Events."""

    def __init__(
        self,
        nlp: Any,
        geoparser: Any,
        *,
        batch_size: int = 64,
        fast: bool = True,
        events_only: bool = False,
        stages: Sequence[Stage] | None = None,
    ) -> None:
        self.nlp = nlp
        self.geoparser = geoparser
        self.fast = fast  # False: parse every sentence, not only those a trigger may fire in
        self.events_only = events_only  # True: an article with no trigger sentence is not parsed
        self.stages = list(
            stages
            if stages is not None
            else default_stages(
                nlp, geoparser, fast=fast, events_only=events_only, batch_size=batch_size
            )
        )
        check_order(self.stages)

    @classmethod
    def load(
        cls,
        model: str | None = None,
        gazetteer: str | None = None,
        *,
        fast: bool = True,
        events_only: bool = False,
    ) -> Extractor:
        """Load the spaCy pipeline (by name or path) and open the gazetteer."""
        from sitrep.geo import Geoparser

        return cls(load_model(model), Geoparser.open(gazetteer), fast=fast, events_only=events_only)

    def extract(self, article: Article) -> list[Event]:
        """The events one article reports."""
        return next(self.report_batch([article])).events

    def extract_batch(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        """Events for each article, parsing candidate sentences of several articles per spaCy batch."""
        for report in self.report_batch(articles):
            yield report.article, report.events

    def report(self, article: Article) -> ArticleReport:
        """The events of one article with its statements and assessments."""
        return next(self.report_batch([article]))

    def report_batch(self, articles: Iterable[Article]) -> Iterator[ArticleReport]:
        """An ArticleReport per article, in order, parsing several articles per spaCy batch."""
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= BATCH_ARTICLES:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[ArticleReport]:
        docs = [ArticleDoc(article) for article in batch]
        for stage in self.stages:
            stage(docs)
        for doc in docs:
            if doc.skipped:
                yield ArticleReport(doc.article)
            else:
                yield ArticleReport(doc.article, doc.events, doc.statements, doc.assessments)
