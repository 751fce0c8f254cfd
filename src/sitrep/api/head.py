"""HEAD for every GET route and static file: the GET answer's status and headers, without the body.

curl users (``curl -I``) and uptime monitors send HEAD; FastAPI routes answer it 405 on their own.
"""

from __future__ import annotations

from sitrep.api.errors import ASGIApp, Message, Receive, Scope, Send

# ways of sending a body that bypass ``http.response.body`` (Starlette's FileResponse uses pathsend)
_BODY_EXTENSIONS = ("http.response.pathsend", "http.response.zerocopysend")


class HeadMiddleware:
    """Run a HEAD request as GET and pass on the response start (Content-Length too), not the body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        as_get = {**scope, "method": "GET"}  # a copy: the server logs the request as it came
        if scope.get("extensions"):
            as_get["extensions"] = {
                k: v for k, v in scope["extensions"].items() if k not in _BODY_EXTENSIONS
            }

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app(as_get, receive, without_body)
