"""Article routes: read one stored article; POST one to extract its events and merge them (token)."""

from __future__ import annotations

import dataclasses
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response

from sitrep.api.errors import require_store
from sitrep.api.schemas import ArticleIn, ArticleOut, IngestOut
from sitrep.api.security import require_token
from sitrep.errors import IngestError
from sitrep.store import AddResult, Store

router = APIRouter(prefix="/api", tags=["articles"], dependencies=[Depends(require_store)])

ArticleId = Annotated[
    str, Path(min_length=1, max_length=2_000, description="the article's id (or its URL)")
]
_load_lock = threading.Lock()


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
        422: {"description": "not an article: no text, not English, bad field"},
    },
)
def post_article(request: Request, response: Response, body: ArticleIn) -> IngestOut:
    """Clean the article, run the extractor on it and store it with its events in one transaction."""
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
    if found is not None:  # the same URL or text: answer what is stored, extract nothing again
        response.status_code = 200
        return _stored(store, AddResult(article_id=found[0], added=False, duplicate=found[1]))
    events = extractor_of(request).extract(article)
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
