"""The extractor: Articles in, the events they report out, through the stages of ``pipeline.stages``.

Each article becomes an ``ArticleDoc``; the stages run in order over batches of documents (so the
parser sees the candidate sentences of several articles at once); the filled document becomes an
``ArticleReport``. The stage order is checked once, when the Extractor is built.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sitrep.models import Article, ArticleReport, Event
from sitrep.pipeline.bounds import DEFAULT_BUDGET_S, Budget, OverBudget
from sitrep.pipeline.doc import ArticleDoc
from sitrep.pipeline.nlp import load_model
from sitrep.pipeline.registry import default_stages
from sitrep.pipeline.stages import Stage, check_order
from sitrep.typer import Typer, bundled_typer_path, load_typer

NO_TYPER = "none"
BUNDLED_TYPER = "sitrep"
# sitrep's own typer: it leads in short texts (alerts, headlines, notes, posts); in articles the
# rules decide and the typer vetoes what it reads as no event (typing_stage.Thresholds).
DEFAULT_TYPER = BUNDLED_TYPER


def load_typer_setting(typer: str | None) -> Typer | None:
    """The typer a setting names: a folder, "sitrep" for sitrep's own, "none" for the rules alone;
    None for the default."""
    typer = typer or DEFAULT_TYPER
    if typer == NO_TYPER:
        return None
    if typer == BUNDLED_TYPER:
        return load_typer(bundled_typer_path())
    return load_typer(typer)


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
        typer: Any = None,
        stages: Sequence[Stage] | None = None,
        budget: float | None = DEFAULT_BUDGET_S,
    ) -> None:
        self.nlp = nlp
        self.budget = budget  # seconds per article; None: no limit
        self.geoparser = geoparser
        self.fast = fast  # False: parse every sentence, not only those a trigger may fire in
        self.events_only = events_only  # True: an article with no trigger sentence is not parsed
        self.typer = typer  # the learned event typer, or None for the rules alone
        self.stages = list(
            stages
            if stages is not None
            else default_stages(
                nlp,
                geoparser,
                fast=fast,
                events_only=events_only,
                batch_size=batch_size,
                typer=typer,
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
        typer: str | None = None,
        budget: float | None = DEFAULT_BUDGET_S,
    ) -> Extractor:
        """Load the spaCy pipeline (by name or path), open the gazetteer, and load the typer.

        ``typer``: a typer folder, ``"sitrep"`` for the one shipped with sitrep, ``"none"`` for the
        rules alone, None for the default. ``budget``: seconds an article may take (None: no
        limit); an article past it is reported as skipped.
        """
        from sitrep.geo import Geoparser

        return cls(
            load_model(model),
            Geoparser.open(gazetteer),
            fast=fast,
            events_only=events_only,
            typer=load_typer_setting(typer),
            budget=budget,
        )

    def extract(self, article: Article, cancel: threading.Event | None = None) -> list[Event]:
        """The events one article reports; ``OverBudget`` when it runs past the budget or
        ``cancel`` is set (checked between sentences)."""
        report = self.report(article, cancel)
        if report.skipped:
            raise OverBudget(self.budget, cancelled=cancel is not None and cancel.is_set())
        return report.events

    def extract_batch(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        """Events for each article, parsing candidate sentences of several articles per spaCy batch."""
        for report in self.report_batch(articles):
            yield report.article, report.events

    def report(self, article: Article, cancel: threading.Event | None = None) -> ArticleReport:
        """The events of one article with its statements and assessments (``skipped`` says why
        there are none when it ran past the budget or was cancelled)."""
        return next(self._run([article], cancel))

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

    def _run(
        self, batch: list[Article], cancel: threading.Event | None = None
    ) -> Iterator[ArticleReport]:
        docs = [ArticleDoc(article, budget=Budget(self.budget, cancel)) for article in batch]
        for stage in self.stages:
            stage(docs)
        for doc in docs:
            if doc.capped and not doc.over:
                name = doc.article.url or doc.article.source or doc.article.id
                log.warning("%s: %s", name, "; ".join(doc.capped))
            if doc.over:
                yield ArticleReport(doc.article, skipped=doc.over)
            elif doc.skipped:
                yield ArticleReport(doc.article)
            else:
                yield ArticleReport(
                    doc.article, doc.events, doc.statements, doc.assessments, doc.capped
                )
