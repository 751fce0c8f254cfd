"""Article routes: read one stored article; POST one to extract its events and merge them (token)."""

from __future__ import annotations

import dataclasses
import threading
from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from sitrep.api.errors import require_store
from sitrep.api.schemas import ArticleIn, ArticleOut, IngestOut
from sitrep.api.security import require_token
from sitrep.errors import IngestError, OverBudget
from sitrep.store import AddResult, Store

router = APIRouter(prefix="/api", tags=["articles"], dependencies=[Depends(require_store)])

ArticleId = Annotated[
    str, Path(min_length=1, max_length=2_000, description="the article's id (or its URL)")
]
_load_lock = threading.Lock()
_DISCONNECT_POLL_S = 0.1  # how often a running extraction looks whether its client has gone


@router.get(
    "/articles/{article_id:path}",
    response_model=ArticleOut,
    summary="One article with its cleaned text",
)
def get_article(request: Request, article_id: ArticleId) -> ArticleOut:
    """The stored article; evidence offsets of its events point into ``text``."""
    store: Store = request.app.state.store
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, "no such article")
    return ArticleOut.model_validate(article)


def extractor_of(request: Request) -> Any:
    """The app's extractor, loaded on the first write by the loader the app was given."""
    state = request.app.state
    if state.extractor is None:
        if state.load_extractor is None:
            raise HTTPException(503, "this server does not extract events (no pipeline given)")
        with _load_lock:
            if state.extractor is None:
                state.extractor = state.load_extractor()
    return state.extractor


@router.post(
    "/articles",
    response_model=IngestOut,
    status_code=201,
    summary="Ingest an article: extract its events and merge them (needs the token)",
    dependencies=[Depends(require_token)],
    responses={
        200: {"description": "the same article (URL or text) was already stored; nothing changed"},
        401: {"description": "missing or wrong bearer token"},
        403: {"description": "writes are disabled (no SITREP_TOKEN set)"},
        413: {"description": "body over the size limit"},
        422: {
            "description": "not an article: no text, not English, bad field; over the time budget"
        },
        503: {"description": "the client went away before its article was extracted"},
    },
)
async def post_article(request: Request, response: Response, body: ArticleIn) -> IngestOut:
    """Clean the article, run the extractor on it and store it with its events in one transaction.

    The work runs in worker threads, off the event loop; the extraction is cancelled (between
    sentences) when the client disconnects, and stopped past the server's per-article budget.
    """
    article, stored = await run_in_threadpool(_prepare, request, body)
    if stored is not None:  # the same URL or text: answer what is stored, extract nothing again
        response.status_code = 200
        return stored
    extractor = await run_in_threadpool(extractor_of, request)
    try:
        events = await _extract_while_connected(request, extractor, article)
    except OverBudget as over:
        raise HTTPException(503 if over.cancelled else 422, str(over)) from None
    return await run_in_threadpool(_store, request, response, article, events)


async def _extract_while_connected(request: Request, extractor: Any, article: Any) -> Any:
    """The article's events, extracted in a worker thread that stops when the client goes away."""
    cancel = threading.Event()

    async def watch() -> None:
        while not await request.is_disconnected():
            await anyio.sleep(_DISCONNECT_POLL_S)
        cancel.set()

    def extract() -> tuple[Any, BaseException | None]:
        try:
            return extractor.extract(article, cancel), None
        except Exception as err:  # raised below, outside the task group (not in an ExceptionGroup)
            return None, err

    async with anyio.create_task_group() as tasks:
        tasks.start_soon(watch)
        events, err = await anyio.to_thread.run_sync(extract)
        tasks.cancel_scope.cancel()
    if err is not None:
        raise err
    return events


def _prepare(request: Request, body: ArticleIn) -> tuple[Any, IngestOut | None]:
    """The cleaned English article, and the answer when it is stored already."""
    from sitrep.ingest.language import check_language
    from sitrep.ingest.records import article_from_record

    try:
        article = article_from_record(body.record(), source="api")
    except IngestError as exc:
        raise HTTPException(422, exc.problem) from None
    if article.language and not article.language.startswith("en"):
        raise HTTPException(422, f"not English (record says {article.language!r})")
    if not check_language(article.text).is_english:
        raise HTTPException(422, "not English (too few English words)")
    article.language = "en"
    store: Store = request.app.state.store
    found = store.find_article(article)
    if found is not None:
        return article, _stored(
            store, AddResult(article_id=found[0], added=False, duplicate=found[1])
        )
    return article, None


def _store(request: Request, response: Response, article: Any, events: Any) -> IngestOut:
    """Store the article with its events in one transaction; the answer names them."""
    store: Store = request.app.state.store
    result = store.add_article(article, events)
    if not result.added:  # stored by another request meanwhile
        response.status_code = 200
        return _stored(store, result)
    served = {
        "article_id": article.id,
        "mention_ids": [e.event_id for e in events],
        "note": f"stored, with {result.mentions} event reports",
    }
    return IngestOut.model_validate({**dataclasses.asdict(result), **served})


def _stored(store: Store, result: AddResult) -> IngestOut:
    """The answer for an article already stored: its stored id and mentions, nothing re-run."""
    stored = store.article(result.article_id)
    mentions = store.article_mentions(result.article_id)
    served = {
        "article_id": stored.id if stored else str(result.article_id),
        "mentions": len(mentions),
        "mention_ids": [m.event_id for m in mentions],
        "note": f"already stored (same {result.duplicate}): not extracted again; "
        "these are the stored event reports",
    }
    return IngestOut.model_validate({**dataclasses.asdict(result), **served})
