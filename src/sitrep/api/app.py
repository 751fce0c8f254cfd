"""The HTTP API and the analyst's page over one event store: ``create_app(store, settings)``.

Reads need no credentials; the one write (POST an article) needs the operator's bearer token. The
NLP is imported only when the first article is posted, so a read-only server never loads spaCy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from sitrep import taxonomy
from sitrep.api import routes_articles, routes_events
from sitrep.api.cache import PayloadCache
from sitrep.api.errors import JsonErrorsMiddleware, StoreFile, add_error_handlers, require_store
from sitrep.api.head import HeadMiddleware
from sitrep.api.schemas import MetaOut
from sitrep.api.security import BodyLimitMiddleware, SecurityHeadersMiddleware
from sitrep.api.settings import ApiSettings
from sitrep.store import Store
from sitrep.store.query import ORDERS, STATUSES
from sitrep.version import __version__

log = logging.getLogger(__name__)


def web_dir() -> Path:
    """The folder of the page's static files inside the installed package."""
    return Path(str(resources.files("sitrep").joinpath("web")))


def create_app(
    store: Store,
    settings: ApiSettings | None = None,
    *,
    extractor: Any = None,
    load_extractor: Callable[[], Any] | None = None,
) -> FastAPI:
    """A FastAPI app serving ``store``.

    POSTed articles go through ``extractor``, or through the one ``load_extractor()`` returns on the
    first write (the API never imports the NLP itself); with neither, writes answer 503.
    """
    settings = settings or ApiSettings()
    app = FastAPI(
        title="sitrep",
        version=__version__,
        description="Events of armed conflict extracted from news, with the evidence behind each one.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.store = store
    app.state.settings = settings
    app.state.extractor = extractor
    app.state.load_extractor = load_extractor
    app.state.points_cache = PayloadCache(str(store.path))
    app.state.store_file = StoreFile(str(store.path))
    app.include_router(routes_events.router)
    app.include_router(routes_articles.router)
    _add_meta_routes(app, settings)
    _add_pages(app)
    add_error_handlers(app)
    # Starlette runs the middleware added last first: headers wrap everything, even a 413, and
    # HEAD goes through every guard as GET, its body dropped at the very end.
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(settings.allowed_hosts))
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.add_middleware(JsonErrorsMiddleware)  # inside the headers: error answers carry them too
    app.add_middleware(SecurityHeadersMiddleware, settings=settings)
    app.add_middleware(HeadMiddleware)
    return app


def _add_meta_routes(app: FastAPI, settings: ApiSettings) -> None:
    @app.get(
        "/api/meta",
        response_model=MetaOut,
        tags=["meta"],
        summary="Taxonomy, statuses and server settings",
    )
    def meta() -> MetaOut:
        """What the page needs for its filters, and what this server allows."""
        types = taxonomy.event_types()
        return MetaOut(
            version=__version__,
            event_types=types,
            sub_event_types={t: taxonomy.sub_event_types(t) for t in types},
            statuses=list(STATUSES),
            orders=list(ORDERS),
            writes_enabled=settings.writes_enabled,
            tile_url=settings.tile_url,
            tile_attribution=settings.tile_attribution,
            max_page=settings.max_page,
        )

    @app.get(
        "/api/health",
        tags=["meta"],
        summary="Liveness and the size of the store",
        dependencies=[Depends(require_store)],
    )
    def health(request: Request) -> dict[str, Any]:
        """``ok`` with the number of events in the store."""
        store: Store = request.app.state.store
        return {"status": "ok", "events": store.count_events()}


def _add_pages(app: FastAPI) -> None:
    root = web_dir()
    app.mount("/static", StaticFiles(directory=root, check_dir=True), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(root / "index.html", headers={"Cache-Control": "no-cache"})

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(root / "docs.html", headers={"Cache-Control": "no-cache"})
