"""Every answer of the API is JSON, errors included: a JSON body for each status of 400 or more
(whatever raised it: a route, the host check, a static file), a JSON 500 for an unhandled error,
and a 503 when the database file the server opened has been removed or replaced.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sitrep.errors import SitrepError, StoreError

log = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_KEPT_HEADERS = frozenset({b"allow", b"www-authenticate", b"retry-after"})


async def send_json(
    send: Send, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    """Send a whole ``{"detail": ...}`` answer."""
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _is_json(start: Message) -> bool:
    for name, value in start.get("headers", []):
        if name.lower() == b"content-type":
            return b"json" in value.lower()
    return False


class JsonErrorsMiddleware:
    """Turn a non-JSON error answer into ``{"detail": its text}`` and an unhandled error into a
    JSON 500; it sits inside the security headers, so these answers carry them too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False
        held: Message | None = None  # the start of a non-JSON error answer, rewritten at its end
        chunks: list[bytes] = []

        async def json_send(message: Message) -> None:
            nonlocal started, held
            if message["type"] == "http.response.start":
                started = True
                if message["status"] >= 400 and not _is_json(message):
                    held = message
                    return
            elif held is not None and message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                status = int(held["status"])
                text = b"".join(chunks).decode("utf-8", "replace").strip()[:500]
                kept = [(k, v) for k, v in held.get("headers", []) if k.lower() in _KEPT_HEADERS]
                await send_json(send, status, text or _phrase(status), kept)
                return
            await send(message)

        try:
            await self.app(scope, receive, json_send)
        except Exception as exc:
            what = f"{scope.get('method', '')} {scope.get('path', '')}".strip()
            log.error("error on %s: %s: %s", what, type(exc).__name__, exc)
            log.debug("traceback of the error on %s", what, exc_info=exc)
            if not started:
                await send_json(send, 500, f"internal error on {what} ({type(exc).__name__})")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


class StoreFile:
    """The database file a server opened: a removed or replaced file is a ``StoreError`` (503),
    not answers read from the old file that SQLite keeps open."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.identity = _identity(path)

    def check(self) -> None:
        if self.identity is None:  # not a file on disk (in memory): nothing to watch
            return
        now = _identity(self.path)
        if now is None:
            raise StoreError("the database file was removed; restore it and restart the server")
        if now != self.identity:
            raise StoreError("the database file was replaced; restart the server to serve it")


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def require_store(request: Request) -> None:
    """Dependency of the routes that read the store: 503 when its file is gone."""
    store_file: StoreFile | None = getattr(request.app.state, "store_file", None)
    if store_file is not None:
        store_file.check()


def add_error_handlers(app: FastAPI) -> None:
    """A store error is a 503, any other ``SitrepError`` a 500, both JSON."""

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> JSONResponse:
        log.warning("store error on %s: %s", request.url.path, exc)
        return JSONResponse({"detail": f"event store unavailable: {exc.problem}"}, status_code=503)

    @app.exception_handler(SitrepError)
    async def sitrep_error(request: Request, exc: SitrepError) -> JSONResponse:
        log.error("error on %s: %s", request.url.path, exc)
        return JSONResponse({"detail": str(exc)}, status_code=500)
