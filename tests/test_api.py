"""The HTTP API in-process (httpx against the ASGI app) on a store seeded by hand: no NLP needed.

Every endpoint, every filter, every error code, HEAD, response schemas that keep up with the
dataclasses, and the security guards: token, body limit, CSP and headers, host check, data returned
as JSON (never HTML), and no spaCy import on the read path.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from seeding import PLACES, XSS, Seeded, article_and_event, small_world

from sitrep.api import ApiSettings, create_app
from sitrep.api.schemas import MIRRORS, fields_of
from sitrep.api.security import content_security_policy
from sitrep.errors import StoreError
from sitrep.models import (
    Article,
    ArticleReport,
    Attribution,
    Event,
    EventRecord,
    Evidence,
    Figure,
    Report,
    SourceFigure,
)
from sitrep.store import AddResult, PeriodCount, SearchHit, Store

pytestmark = pytest.mark.anyio
TOKEN = "t0ken-for-tests-0123456789abcdef"
WEB = Path(__file__).resolve().parents[1] / "src" / "sitrep" / "web"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Seeded]]:
    store = Store.open(tmp_path_factory.mktemp("api") / "events.db")
    seeded = small_world(store)
    yield store, seeded
    store.close()


@pytest.fixture
def store(seeded: tuple[Store, Seeded]) -> Store:
    return seeded[0]


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1")


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(create_app(store, ApiSettings())) as c:
        yield c


async def ids(client: httpx.AsyncClient, **params: Any) -> list[str]:
    r = await client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    return [e["event_id"] for e in r.json()["items"]]


# -- listing and filters ---------------------------------------------------------------------------


async def test_list_events_default(client: httpx.AsyncClient, store: Store) -> None:
    r = await client.get("/api/events")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert (
        body["total"] == store.count_events() == 9
    )  # 10 articles, two reports merged into one event
    assert body["limit"] == 100 and body["offset"] == 0 and body["next_offset"] is None
    dates = [e["event_date"] for e in body["items"]]
    assert dates == sorted(dates, reverse=True)
    first = body["items"][0]
    assert {"attribution", "evidence", "status", "source_count", "latitude", "notes"} <= set(first)


async def test_pagination_covers_everything_once(client: httpx.AsyncClient) -> None:
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        r = await client.get("/api/events", params={"limit": 3, "offset": offset})
        page = r.json()
        assert page["limit"] == 3 and len(page["items"]) <= 3
        seen += [e["event_id"] for e in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == 9
    assert (await client.get("/api/events", params={"limit": 0})).json()["items"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "Ukraine"}, 3),
        ({"country": "UKR"}, 3),
        ({"country": "Atlantis"}, 0),
        ({"admin1": "Borno"}, 1),
        ({"event_type": "Protests"}, 1),
        ({"sub_event_type": "Armed clash"}, 2),
        ({"actor": "Russia"}, 8),
        ({"actor": "xss-nobody"}, 0),
        ({"text": "Peshawar"}, 1),
        ({"date_from": "2024-03-10", "date_to": "2024-03-20"}, 4),
        ({"date_to": "2024-03-01"}, 1),
        ({"bbox": "20,40,45,55"}, 3),
        ({"bbox": "170,-10,-170,10"}, 0),
        ({"min_sources": 2}, 1),
        ({"min_independent": 2}, 1),
        ({"status": "reported"}, 9),
        ({"status": "confirmed,disputed"}, 0),
    ],
)
async def test_each_filter(
    client: httpx.AsyncClient, params: dict[str, Any], expected: int
) -> None:
    r = await client.get("/api/events", params=params)
    assert r.status_code == 200, r.text
    assert r.json()["total"] == expected == len(r.json()["items"])


async def test_orders(client: httpx.AsyncClient) -> None:
    by_date = await ids(client, order="date")
    assert by_date == list(reversed(await ids(client, order="-date")))
    r = await client.get("/api/events", params={"order": "-fatalities"})
    fats = [e["fatalities"] for e in r.json()["items"]]
    assert fats == sorted(fats, reverse=True)
    r = await client.get("/api/events", params={"order": "-sources"})
    assert r.json()["items"][0]["source_count"] == 2


async def test_geojson(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/events", params={"format": "geojson", "country": "Nigeria"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/geo+json")
    fc = r.json()
    assert fc["type"] == "FeatureCollection" and fc["total"] == 1
    (feature,) = fc["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [PLACES[3][5], PLACES[3][4]]}
    assert feature["properties"]["location"] == "Maiduguri"


@pytest.mark.parametrize(
    "params",
    [
        {"limit": -1},
        {"limit": 1001},
        {"offset": -5},
        {"limit": "many"},
        {"event_type": "Picnics"},
        {"sub_event_type": "Tea party"},
        {"date_from": "2024-13-01"},
        {"date_to": "yesterday"},
        {"bbox": "1,2,3"},
        {"bbox": "0,50,10,40"},
        {"status": "rumoured"},
        {"order": "colour"},
        {"format": "xml"},
        {"min_sources": 0},
        {"text": "x" * 201},
        {"unknown_filter": "1"},
    ],
)
async def test_bad_parameters_are_422(client: httpx.AsyncClient, params: dict[str, Any]) -> None:
    r = await client.get("/api/events", params=params)
    assert r.status_code == 422, r.text
    assert "detail" in r.json()


async def test_store_message_reaches_the_client(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/events", params={"event_type": "Picnics"})
    assert "unknown event type 'Picnics'" in r.json()["detail"]


# -- the page's points ----------------------------------------------------------------------------


async def test_points_columns(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/points")
    assert r.status_code == 200
    d = r.json()
    assert d["total"] == 9 and d["truncated"] is False
    n = len(d["id"])
    for col in (
        "lat",
        "lon",
        "day",
        "type",
        "sub_event_type",
        "location",
        "country",
        "fatalities",
        "sources",
        "status",
    ):
        assert len(d[col]) == n, col
    assert d["event_types"][:6] == [
        "Battles",
        "Explosions/Remote violence",
        "Violence against civilians",
        "Protests",
        "Riots",
        "Strategic developments",
    ]
    i = d["location"].index("Kharkiv")
    assert d["day"][i] == (19783)  # 2024-03-01 in days since 1970-01-01
    assert d["sources"][i] == 2
    assert d["event_types"][d["type"][i]] == "Explosions/Remote violence"


async def test_points_filters_and_truncation(store: Store) -> None:
    async with client_for(create_app(store, ApiSettings(max_points=3))) as c:
        d = (await c.get("/api/points")).json()
        assert d["truncated"] is True and d["total"] == 9 and len(d["id"]) == 3
        d = (await c.get("/api/points", params={"country": "Kenya"})).json()
        assert d["truncated"] is False and d["location"] == ["Nairobi"]
        assert (await c.get("/api/points", params={"status": "nope"})).status_code == 422


# -- one event, its mentions, its articles -------------------------------------------------------


async def event_id_at(client: httpx.AsyncClient, location: str) -> str:
    items = (await client.get("/api/events", params={"text": location})).json()["items"]
    return str(next(e["event_id"] for e in items if e["location"] == location))


async def test_event_detail_with_reports_and_evidence(
    client: httpx.AsyncClient, seeded: tuple[Store, Seeded]
) -> None:
    eid = await event_id_at(client, "Kharkiv")
    r = await client.get(f"/api/events/{eid}")
    assert r.status_code == 200
    ev = r.json()
    assert ev["event_id"] == eid and ev["source_count"] == 2 and ev["mention_count"] == 2
    assert sorted(ev["sources"]) == ["Kyiv Independent", "Reuters"]
    assert {f["source"] for f in ev["source_figures"]} == {"Kyiv Independent", "Reuters"}
    assert "Russian Defence Ministry" in ev["attribution"]["claimed_by"]
    assert ev["attribution"]["hedges"] == ["likely"]
    assert len(ev["reports"]) == 2
    for rep in ev["reports"]:
        text = seeded[1].text_of(rep["article_id"])
        assert rep["evidence"]
        for e in rep["evidence"]:
            assert text[e["start"] : e["end"]] == e["text"]


async def test_unknown_event_is_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/api/events/Enope")).status_code == 404
    assert (await client.get("/api/events/Enope/mentions")).status_code == 404
    assert (await client.get("/api/events/" + "E" * 101)).status_code == 422


async def test_mentions(client: httpx.AsyncClient) -> None:
    eid = await event_id_at(client, "Kharkiv")
    r = await client.get(f"/api/events/{eid}/mentions")
    assert r.status_code == 200
    mentions = r.json()
    assert sorted(m["article_id"] for m in mentions) == ["art-0", "art-100"]
    assert all(m["evidence"] for m in mentions)


async def test_article(client: httpx.AsyncClient, seeded: tuple[Store, Seeded]) -> None:
    r = await client.get("/api/articles/art-3")
    assert r.status_code == 200
    art = r.json()
    assert art["id"] == "art-3" and art["text"] == seeded[1].text_of("art-3")
    assert art["publisher"] == "Reuters" and art["title"].startswith("Attack near Maiduguri")
    assert (await client.get("/api/articles/nope")).status_code == 404
    by_url = await client.get("/api/articles/https://news.example/reuters/3")
    assert by_url.status_code == 200 and by_url.json()["id"] == "art-3"


# -- counts, search, meta, health, schema, pages ------------------------------------------------


async def test_counts_by_day_and_week(client: httpx.AsyncClient) -> None:
    days = (await client.get("/api/counts", params={"by": "day"})).json()
    assert sum(c["events"] for c in days) == 9
    assert {"period", "event_type", "events", "fatalities"} <= set(days[0])
    weeks = (await client.get("/api/counts", params={"by": "week", "country": "Ukraine"})).json()
    assert sum(c["events"] for c in weeks) == 3
    assert all(c["period"] <= "2024-04-10" for c in weeks)
    assert (await client.get("/api/counts", params={"by": "month"})).status_code == 422
    assert (await client.get("/api/counts", params={"event_type": "Nope"})).status_code == 422


async def test_search(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/search", params={"q": "Peshawar"})
    assert r.status_code == 200
    hits = r.json()
    assert [h["article_id"] for h in hits] == ["art-2"]
    assert "[Peshawar]" in hits[0]["snippet"]
    assert (await client.get("/api/search", params={"q": "zzzqqq"})).json() == []
    assert (await client.get("/api/search")).status_code == 422
    assert (await client.get("/api/search", params={"q": "x", "limit": 0})).status_code == 422
    assert (await client.get("/api/search", params={"q": "x", "limit": 101})).status_code == 422


async def test_meta_and_health(client: httpx.AsyncClient) -> None:
    meta = (await client.get("/api/meta")).json()
    assert len(meta["event_types"]) == 6 and "Armed clash" in meta["sub_event_types"]["Battles"]
    assert meta["statuses"] == ["confirmed", "disputed", "reported", "claimed", "unconfirmed"]
    assert meta["writes_enabled"] is False and meta["tile_url"] is None
    assert (await client.get("/api/health")).json() == {"status": "ok", "events": 9}


async def test_openapi_lists_every_endpoint(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    assert set(spec["paths"]) >= {
        "/api/events",
        "/api/points",
        "/api/events/{event_id}",
        "/api/events/{event_id}/mentions",
        "/api/articles/{article_id}",
        "/api/articles",
        "/api/counts",
        "/api/search",
        "/api/meta",
        "/api/health",
    }
    names = {p["name"] for p in spec["paths"]["/api/events"]["get"]["parameters"]}
    assert names >= {
        "date_from",
        "country",
        "event_type",
        "actor",
        "text",
        "bbox",
        "min_sources",
        "status",
        "limit",
        "offset",
        "order",
        "format",
    }


# response schema in /openapi.json -> the dataclass whose fields it serves
SERVED: dict[str, type] = {
    "EventOut": EventRecord,
    "EventDetail": EventRecord,
    "MentionOut": Event,
    "ReportOut": Report,
    "EvidenceOut": Evidence,
    "FigureOut": Figure,
    "AttributionOut": Attribution,
    "SourceFigureOut": SourceFigure,
    "ArticleOut": Article,
    "CountOut": PeriodCount,
    "SearchHitOut": SearchHit,
    "IngestOut": AddResult,
}


async def test_response_schemas_serve_every_dataclass_field(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    mirrors = {model.__name__: mirror for model, mirror in MIRRORS.items()}
    assert {name: mirror.source for name, mirror in mirrors.items()} == SERVED
    for name, source in SERVED.items():
        fields = {f.name for f in dataclasses.fields(source)}
        omitted = mirrors[name].omitted  # the fields left out, each with the reason
        assert set(omitted) <= fields and all(why.strip() for why in omitted.values()), name
        properties = set(schemas[name]["properties"])
        assert fields - set(omitted) <= properties, (name, fields - set(omitted) - properties)
        assert set(schemas[name]["required"]) == properties, name  # every key is in every answer
        assert schemas[name].get("description"), name


async def test_answers_have_the_keys_of_their_schemas(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]

    def keys(name: str) -> set[str]:
        return set(schemas[name]["properties"])

    listed = (await client.get("/api/events")).json()["items"][0]
    assert set(listed) == keys("EventOut")
    ev = (await client.get(f"/api/events/{await event_id_at(client, 'Kharkiv')}")).json()
    assert set(ev) == keys("EventDetail") == keys("EventOut") | {"reports"}
    assert set(ev["attribution"]) == keys("AttributionOut")
    assert set(ev["reports"][0]["evidence"][0]) == keys("EvidenceOut")
    assert set(ev["figures"][0]) == keys("FigureOut")
    assert set(ev["source_figures"][0]) == keys("SourceFigureOut")
    assert set(ev["reports"][0]) == keys("ReportOut")
    mention = (await client.get(f"/api/events/{ev['event_id']}/mentions")).json()[0]
    assert set(mention) == keys("MentionOut") == {f.name for f in dataclasses.fields(Event)}
    assert set((await client.get("/api/articles/art-3")).json()) == keys("ArticleOut")
    assert set((await client.get("/api/counts")).json()[0]) == keys("CountOut")
    hit = (await client.get("/api/search", params={"q": "Peshawar"})).json()[0]
    assert set(hit) == keys("SearchHitOut") and isinstance(hit["article_id"], str)


def test_fields_of_refuses_fields_it_cannot_account_for() -> None:
    with pytest.raises(TypeError, match="without saying why"):

        @fields_of(Figure, omit={"text": " "})
        class Unexplained(BaseModel):
            pass

    with pytest.raises(TypeError, match="not fields of Figure"):

        @fields_of(Figure, omit={"colour": "no such field"})
        class Unknown(BaseModel):
            pass

    with pytest.raises(TypeError, match="no response model for Statement"):

        @fields_of(ArticleReport)
        class Nested(BaseModel):
            pass

    assert {m.__name__ for m in MIRRORS} == set(SERVED)  # the refused ones are not registered


async def test_pages_and_static_assets(client: httpx.AsyncClient) -> None:
    for path, kind in [
        ("/", "text/html"),
        ("/docs", "text/html"),
        ("/static/app.js", "javascript"),
        ("/static/app.css", "text/css"),
        ("/static/panel.js", "javascript"),
        ("/static/favicon.svg", "image/svg+xml"),
        ("/static/vendor/leaflet/leaflet.js", "javascript"),
        ("/static/vendor/world-atlas/countries-50m.json", "json"),
        ("/static/vendor/topojson-client/topojson-client.min.js", "javascript"),
    ]:
        r = await client.get(path)
        assert r.status_code == 200, path
        assert kind in r.headers["content-type"], path
    assert (await client.get("/static/../../pyproject.toml")).status_code == 404
    assert (await client.get("/static/nope.js")).status_code == 404


async def test_vendored_libraries_carry_licences() -> None:
    for lib in ("leaflet", "topojson-client", "world-atlas"):
        assert (WEB / "vendor" / lib / "LICENSE").stat().st_size > 100


# -- security ------------------------------------------------------------------------------------


async def test_security_headers_everywhere(client: httpx.AsyncClient) -> None:
    for path in ("/", "/api/events", "/static/app.js", "/api/events/Enope", "/nowhere", "/docs"):
        r = await client.get(path)
        csp = r.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["referrer-policy"] == "no-referrer"


def test_csp_allows_the_tile_server_only_when_set() -> None:
    assert "img-src 'self' data:;" in content_security_policy(ApiSettings()) + ";"
    csp = content_security_policy(ApiSettings(tile_url="http://127.0.0.1:8080/{z}/{x}/{y}.png"))
    assert "img-src 'self' data: http://127.0.0.1:8080" in csp
    with pytest.raises(ValueError):
        ApiSettings.from_env({}, tile_url="javascript:alert(1)")
    with pytest.raises(ValueError):
        ApiSettings.from_env({"SITREP_TOKEN": "short"})


@pytest.mark.parametrize("page", ["index.html", "docs.html"])
def test_pages_have_no_inline_code(page: str) -> None:
    html = (WEB / page).read_text(encoding="utf-8")
    scripts = re.findall(r"<script\b[^>]*>", html, re.I)
    assert scripts and all(re.search(r'\bsrc="[^"]+"', s) for s in scripts)
    assert not re.search(r"<script\b[^>]*>\s*[^<\s]", html, re.I)  # no body inside a script element
    assert not re.search(r"\son[a-z]+\s*=", html, re.I)  # no event-handler attributes
    assert not re.search(r"\sstyle\s*=", html, re.I) and "<style" not in html
    assert "http://" not in html and "https://" not in html  # nothing fetched from elsewhere


def test_page_script_never_writes_html() -> None:
    scripts = sorted(WEB.glob("*.js"))
    assert {p.name for p in scripts} >= {
        "app.js",
        "util.js",
        "points.js",
        "timeline.js",
        "panel.js",
        "docs.js",
    }
    for path in scripts:
        name, js = path.name, path.read_text(encoding="utf-8")
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in js, (name, sink)
        assert "https://" not in js and "http://" not in js


async def test_stored_markup_comes_back_as_json_text(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/articles/art-200")
    assert r.headers["content-type"].startswith("application/json")
    art = r.json()
    assert XSS in art["title"] and XSS in art["text"]  # stored as given; the page shows it as text
    eid = await event_id_at(client, "Odesa")
    ev = (await client.get(f"/api/events/{eid}")).json()
    assert XSS in ev["notes"] and XSS in ev["actor1"]


async def test_other_host_headers_are_refused(client: httpx.AsyncClient) -> None:
    r = await client.get("/api/events", headers={"Host": "attacker.example"})
    assert r.status_code == 400
    assert "content-security-policy" in r.headers
    assert (await client.get("/api/events", headers={"Host": "localhost:8765"})).status_code == 200
    assert (await client.get("/api/events", headers={"Host": "[::1]:8765"})).status_code == 200


async def asgi_call(
    app: FastAPI, method: str, target: str, host: str = "127.0.0.1", extensions: Any = None
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """One request straight into the app: status, headers and every body byte it sent (httpx drops
    the body of an answer to HEAD, so it cannot tell whether the app sent one)."""
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", host.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8765),
        "extensions": extensions or {},
    }
    sent: list[dict[str, Any]] = []
    requested, answered = False, anyio.Event()

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if requested:  # the client leaves once it has the whole answer
            await answered.wait()
            return {"type": "http.disconnect"}
        requested = True
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body", False):
            answered.set()

    await app(scope, receive, send)
    (start,) = [m for m in sent if m["type"] == "http.response.start"]
    bodies = [m for m in sent if m["type"] != "http.response.start"]
    assert bodies and all(m["type"] == "http.response.body" for m in bodies)
    assert not bodies[-1].get("more_body", False)  # the answer is finished
    return start["status"], list(start["headers"]), b"".join(m["body"] for m in bodies)


async def test_head_answers_like_get_without_the_body(
    client: httpx.AsyncClient, store: Store
) -> None:
    app = create_app(store, ApiSettings())
    eid = await event_id_at(client, "Kharkiv")
    paths = (await client.get("/openapi.json")).json()["paths"]
    targets = [
        p.format(event_id=eid, article_id="art-3") for p, ops in paths.items() if "get" in ops
    ]
    assert {"/api/events", "/api/health", "/api/points", "/api/search"} <= set(targets)
    targets = [t + "?q=attack" if t == "/api/search" else t for t in targets]
    targets += [
        "/",
        "/docs",
        "/openapi.json",
        "/static/app.js",
        "/static/vendor/leaflet/leaflet.js",
        "/api/events?format=geojson",
        "/api/events?format=xml",
        "/api/events/Enope",
        "/api/articles",  # POST only: 405 both ways
        "/nowhere",
    ]
    for target in targets:
        status, headers, body = await asgi_call(app, "GET", target)
        assert body, target
        assert await asgi_call(app, "HEAD", target) == (status, headers, b""), target
        assert (b"content-length", str(len(body)).encode()) in headers, target
        assert any(name == b"content-security-policy" for name, _ in headers), target
    # servers that offer to send files themselves still get an empty body to finish the answer
    pathsend = {"http.response.pathsend": {}}
    assert (await asgi_call(app, "HEAD", "/static/app.js", extensions=pathsend))[::2] == (200, b"")
    r = await client.head("/api/events")
    assert r.status_code == 200 and r.content == b"" and int(r.headers["content-length"]) > 100


async def test_head_goes_through_the_host_check(store: Store) -> None:
    app = create_app(store, ApiSettings())
    status, headers, body = await asgi_call(app, "HEAD", "/api/health", host="attacker.example")
    assert status == 400 and body == b""
    assert any(name == b"content-security-policy" for name, _ in headers)
    assert (await asgi_call(app, "HEAD", "/", host="localhost:8765"))[::2] == (200, b"")


class StubExtractor:
    """Stands in for the NLP: one event whose evidence is the article's first sentence."""

    def __init__(self) -> None:
        self.calls = 0

    def extract(self, article: Article, cancel: Any = None) -> list[Event]:
        self.calls += 1
        _, ev = article_and_event(
            9000 + self.calls,
            day=__import__("datetime").date(2024, 5, 2),
            place=PLACES[4],
            sub_event_type="Suicide bomb",
            publisher="Wire",
            fatalities=4,
        )
        ev.article_id = article.id
        sentence = article.text.split(".")[0] + "."
        ev.evidence = [
            ev.evidence[0].__class__(text=sentence, start=0, end=len(sentence), field="event")
        ]
        return [ev]


ARTICLE = {
    "id": "posted-1",
    "title": "Bomb in Mogadishu",
    "text": "A suicide bomber killed four people at a market in Mogadishu on Thursday, police said. "
    "The attack was claimed by the group, which said it was behind the blast in the capital.",
    "published": "2024-05-03T08:00:00Z",
    "url": "https://news.example/wire/posted-1",
}


@pytest.fixture
def writable(tmp_path: Path) -> Iterator[Store]:
    store = Store.open(tmp_path / "w.db")
    yield store
    store.close()


async def test_writes_refused_without_operator_token(writable: Store) -> None:
    async with client_for(create_app(writable, ApiSettings(), extractor=StubExtractor())) as c:
        r = await c.post(
            "/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert r.status_code == 403
        assert "SITREP_TOKEN" in r.json()["detail"]


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": f"Token {TOKEN}"},
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": f"Bearer {TOKEN}x"},
    ],
)
async def test_missing_or_wrong_token_is_401(writable: Store, headers: dict[str, str]) -> None:
    stub = StubExtractor()
    async with client_for(create_app(writable, ApiSettings(token=TOKEN), extractor=stub)) as c:
        r = await c.post("/api/articles", json=ARTICLE, headers=headers)
        assert r.status_code == 401
        assert r.headers["www-authenticate"] == "Bearer"
    assert stub.calls == 0 and writable.count_events() == 0


async def test_post_article_extracts_and_merges(writable: Store) -> None:
    stub = StubExtractor()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    async with client_for(create_app(writable, ApiSettings(token=TOKEN), extractor=stub)) as c:
        r = await c.post("/api/articles", json=ARTICLE, headers=auth)
        assert r.status_code == 201, r.text
        out = r.json()
        assert out == {
            "article_id": "posted-1",
            "added": True,
            "duplicate": None,
            "mentions": 1,
            "new_events": 1,
            "updated_events": 0,
            "mention_ids": ["m-9001"],
            "note": "stored, with 1 event reports",
        }
        items = (await c.get("/api/events")).json()["items"]
        assert [e["location"] for e in items] == ["Mogadishu"]
        art = (await c.get("/api/articles/posted-1")).json()
        assert art["text"].startswith("A suicide bomber")
        again = await c.post("/api/articles", json={**ARTICLE, "id": "other"}, headers=auth)
        assert stub.calls == 1  # the same text again: answered from the store, not extracted
        assert again.status_code == 200 and again.json() == {
            "article_id": "posted-1",
            "added": False,
            "duplicate": "text",
            "mentions": 1,
            "new_events": 0,
            "updated_events": 0,
            "mention_ids": ["m-9001"],
            "note": "already stored (same text): not extracted again; these are the stored event reports",
        }


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"title": "no text"}, 422),
        ({"text": "   "}, 422),
        (
            {
                "text": "Der Angriff auf die Stadt wurde von der Armee gemeldet, und die Polizei hat es bestätigt."
            },
            422,
        ),
        ({**ARTICLE, "language": "fr"}, 422),
        ({**ARTICLE, "colour": "red"}, 422),
        ({**ARTICLE, "title": "x" * 2001}, 422),
        ([1, 2, 3], 422),
    ],
)
async def test_bad_articles_are_422(writable: Store, body: Any, status: int) -> None:
    async with client_for(
        create_app(writable, ApiSettings(token=TOKEN), extractor=StubExtractor())
    ) as c:
        r = await c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == status, r.text


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ({**ARTICLE, "text": ["a"]}, "text must be a string (got a list)"),
        ({**ARTICLE, "published": 1}, "published must be an ISO date (got a number)"),
        ({**ARTICLE, "id": {"a": 1}}, "id must be a string (got an object)"),
        ({**ARTICLE, "title": 7}, "title must be a string (got a number)"),
    ],
)
async def test_records_of_the_wrong_types_get_the_clis_line(
    writable: Store, body: Any, line: str, tmp_path: Path
) -> None:
    """The API and ``sitrep ingest`` check a record with the same validator and say the same."""
    from sitrep.errors import IngestError
    from sitrep.ingest.records import check_record

    stub = StubExtractor()
    async with client_for(create_app(writable, ApiSettings(token=TOKEN), extractor=stub)) as c:
        r = await c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 422 and r.json()["detail"][0]["msg"] == line
    assert stub.calls == 0
    with pytest.raises(IngestError) as err:
        check_record(body, "r.jsonl:1")
    assert str(err.value) == f"r.jsonl:1: {line}"


async def test_an_integer_id_is_a_string_id(writable: Store) -> None:
    stub = StubExtractor()
    async with client_for(create_app(writable, ApiSettings(token=TOKEN), extractor=stub)) as c:
        body = {**ARTICLE, "id": 42}
        r = await c.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 201 and r.json()["article_id"] == "42"


async def test_malformed_json_is_422(writable: Store) -> None:
    async with client_for(
        create_app(writable, ApiSettings(token=TOKEN), extractor=StubExtractor())
    ) as c:
        r = await c.post(
            "/api/articles",
            content=b"{not json",
            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        )
        assert r.status_code == 422


async def test_oversized_bodies_are_413(writable: Store) -> None:
    stub = StubExtractor()
    settings = ApiSettings(token=TOKEN, max_body_bytes=10_000)
    auth = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    big = json.dumps({**ARTICLE, "text": ARTICLE["text"] * 200}).encode()
    async with client_for(create_app(writable, settings, extractor=stub)) as c:
        r = await c.post("/api/articles", content=big, headers=auth)
        assert r.status_code == 413
        assert "content-security-policy" in r.headers

        async def chunks() -> AsyncIterator[
            bytes
        ]:  # no Content-Length: the limit is counted as it streams
            for i in range(0, len(big), 4096):
                yield big[i : i + 4096]

        r = await c.post("/api/articles", content=chunks(), headers=auth)
        assert r.status_code == 413
        r = await c.post("/api/articles", content=b"{}", headers={**auth, "Content-Length": "abc"})
        assert r.status_code == 400
    assert stub.calls == 0 and writable.count_events() == 0


async def test_extractor_loads_lazily_on_first_write(writable: Store) -> None:
    stub = StubExtractor()
    loads: list[int] = []

    def load() -> StubExtractor:
        loads.append(1)
        return stub

    app = create_app(writable, ApiSettings(token=TOKEN), load_extractor=load)
    assert app.state.extractor is None and not loads
    async with client_for(app) as c:
        r = await c.post(
            "/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"}
        )
        assert r.status_code == 201
        r = await c.post(
            "/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert app.state.extractor is stub and loads == [1]


async def test_a_server_without_a_pipeline_refuses_writes_with_503(writable: Store) -> None:
    async with client_for(create_app(writable, ApiSettings(token=TOKEN))) as c:
        r = await c.post(
            "/api/articles", json=ARTICLE, headers={"Authorization": f"Bearer {TOKEN}"}
        )
    assert r.status_code == 503 and "no pipeline" in r.json()["detail"]
    assert writable.count_events() == 0


async def test_real_extractor_through_the_api(writable: Store, extractor: Any) -> None:
    from importlib import resources

    from sitrep.cli.common import EXAMPLES  # the bundled VOA stories

    line = (
        resources.files("sitrep")
        .joinpath("data", EXAMPLES)
        .read_text(encoding="utf-8")
        .splitlines()[0]
    )
    record = {
        k: v
        for k, v in json.loads(line).items()
        if k in {"id", "text", "title", "published", "url"}
    }
    async with client_for(create_app(writable, ApiSettings(token=TOKEN), extractor=extractor)) as c:
        r = await c.post("/api/articles", json=record, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 201, r.text
        assert r.json()["mentions"] == len(r.json()["mention_ids"])
        page = (await c.get("/api/events")).json()
        assert page["total"] == r.json()["new_events"]


class BrokenStore:
    """A store whose database went away: every read raises StoreError."""

    path = "gone.db"

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise StoreError("database is locked by another process", self.path)

        return fail


async def test_store_errors_are_503() -> None:
    async with client_for(create_app(BrokenStore(), ApiSettings())) as c:  # type: ignore[arg-type]
        r = await c.get("/api/events")
        assert r.status_code == 503
        assert "locked" in r.json()["detail"]


# -- no NLP on the read path, loopback by default ------------------------------------------------


def test_read_api_never_imports_the_nlp(tmp_path: Path) -> None:
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from starlette.testclient import TestClient
        from seeding import small_world
        from sitrep.api import create_app
        from sitrep.store import Store
        store = Store.open({str(tmp_path / "x.db")!r})
        small_world(store)
        client = TestClient(create_app(store), base_url="http://127.0.0.1")
        eid = client.get("/api/events").json()["items"][0]["event_id"]
        for path in ["/", "/api/points", f"/api/events/{{eid}}", f"/api/events/{{eid}}/mentions", "/api/articles/art-1",
                     "/api/counts", "/api/search?q=attack", "/api/meta", "/openapi.json",
                     "/api/events?format=geojson"]:
            assert client.get(path).status_code == 200, path
        assert client.post("/api/articles", json={{"text": "x"}}).status_code == 403
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("spacy", "thinc", "trafilatura")
                        or m.startswith("sitrep.pipeline"))
        print(loaded)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_serve_binds_to_loopback_by_default() -> None:
    import argparse

    from sitrep.cli.serve import add_parsers, allowed_hosts

    parser = argparse.ArgumentParser()
    add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve"])
    assert args.host == "127.0.0.1" and args.port == 8765 and args.db is None
    assert allowed_hosts("127.0.0.1") == ("127.0.0.1", "localhost", "[::1]")
    assert allowed_hosts("0.0.0.0") == ("*",)
    assert ApiSettings().allowed_hosts == ("127.0.0.1", "localhost", "[::1]")
    assert ApiSettings().token is None
