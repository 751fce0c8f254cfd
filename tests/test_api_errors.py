"""Every API answer is JSON with the security headers, errors included (400 to 503); the limit
message names the real limit; a text filter of punctuation alone is refused; a removed database
answers 503."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from test_api import ARTICLE, TOKEN, StubExtractor, client_for

from sitrep.api import ApiSettings, create_app
from sitrep.store import Store

pytestmark = pytest.mark.anyio
SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "events.db")
    yield store
    store.close()


def assert_json_with_headers(r: httpx.Response, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/json"), r.headers
    for name in SECURITY_HEADERS:
        assert name in r.headers, name
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    body: dict[str, Any] = r.json()
    assert isinstance(body["detail"], str | list) and body["detail"]
    return body


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("GET", "/no/such/page", {}, 404),
        ("GET", "/static/no-such-file.js", {}, 404),
        ("GET", "/api/events/E-none", {}, 404),
        ("DELETE", "/api/events", {}, 405),
        ("GET", "/api/events", {"params": {"limit": "many"}}, 422),
        ("GET", "/api/events", {"headers": {"Host": "attacker.example"}}, 400),
        ("POST", "/api/articles", {"content": b"x" * 5_000}, 413),
    ],
)
async def test_error_answers_are_json_with_the_security_headers(
    store: Store, method: str, path: str, kwargs: dict[str, Any], status: int
) -> None:
    settings = ApiSettings(token=TOKEN, max_body_bytes=1_000)
    async with client_for(create_app(store, settings, extractor=StubExtractor())) as c:
        r = await c.request(method, path, **kwargs)
    assert_json_with_headers(r, status)
    if status == 405:
        assert "GET" in r.headers["allow"]


async def test_an_unexpected_error_is_a_json_500_with_the_headers(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: Any, **kwargs: Any) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setattr(store, "count_events", broken)
    async with client_for(create_app(store, ApiSettings())) as c:
        r = await c.get("/api/health")
        body = assert_json_with_headers(r, 500)
        assert body["detail"] == "internal error on GET /api/health (RuntimeError)"
        assert (await c.get("/api/meta")).status_code == 200  # the server goes on
    logged = [r for r in caplog.records if r.name == "sitrep.api.errors"]
    assert [r.getMessage() for r in logged] == [
        "error on GET /api/health: RuntimeError: a bug"
    ]  # one line; the traceback only at debug level (sitrep --debug serve)
    assert not logged[0].exc_info


async def test_an_extractor_that_crashes_is_a_json_500(store: Store) -> None:
    class Crashing(StubExtractor):
        def extract(self, article: Any, cancel: Any = None) -> Any:
            raise ValueError("[E088] Text of length 1200000 exceeds maximum")

    app = create_app(store, ApiSettings(token=TOKEN), extractor=Crashing())
    async with client_for(app) as c:
        r = await c.post(
            "/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert_json_with_headers(r, 500)


async def test_a_removed_database_answers_503(tmp_path: Path) -> None:
    db = tmp_path / "gone.db"
    store = Store.open(db)
    try:
        async with client_for(create_app(store, ApiSettings())) as c:
            assert (await c.get("/api/events")).status_code == 200
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            for path in ("/api/events", "/api/health", "/api/counts", "/api/search?q=x"):
                body = assert_json_with_headers(await c.get(path), 503)
                assert "database file was removed" in body["detail"], path
    finally:
        store.close()


async def test_a_replaced_database_answers_503(tmp_path: Path) -> None:
    db = tmp_path / "events.db"
    store = Store.open(db)
    try:
        async with client_for(create_app(store, ApiSettings())) as c:
            Store.open(tmp_path / "other.db").close()
            (tmp_path / "other.db").replace(db)
            body = assert_json_with_headers(await c.get("/api/events"), 503)
            assert "replaced" in body["detail"]
    finally:
        store.close()


async def test_the_limit_message_states_the_real_limit(store: Store) -> None:
    async with client_for(create_app(store, ApiSettings())) as c:
        r = await c.get("/api/events", params={"limit": 5000})
        assert assert_json_with_headers(r, 422)["detail"] == "limit must be at most 1000"
        assert (await c.get("/api/events", params={"limit": 1000})).status_code == 200
    async with client_for(create_app(store, ApiSettings(max_page=50))) as c:
        r = await c.get("/api/events", params={"limit": 51})
        assert r.json()["detail"] == "limit must be at most 50"


@pytest.mark.parametrize("route", ["/api/events", "/api/points", "/api/counts"])
async def test_a_text_filter_without_words(store: Store, route: str) -> None:
    async with client_for(create_app(store, ApiSettings())) as c:
        r = await c.get(route, params={"text": "!!! ?"})
        detail = assert_json_with_headers(r, 422)["detail"]
        assert detail.startswith("text has no words to search for")
        assert (await c.get(route, params={"text": "   "})).status_code == 200  # no filter
