"""The analyst's page in real headless Chromium (Debian's package, driven by Playwright for Python).

A real uvicorn server on 127.0.0.1 serves a store seeded by hand; the tests load the page, see the
markers, brush the timeline, open events and see their highlighted evidence, check that the URL keeps
the view, that stored markup is shown as text, and that nothing is fetched from anywhere else.
Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import struct
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect, sync_playwright
from seeding import XSS, seed_synthetic, small_world

from sitrep.api import ApiSettings, create_app
from sitrep.store import Store

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
SYNTHETIC = 1500


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium, installed with apt-get when missing and we are root (as in CI)."""
    if not os.path.exists(CHROMIUM) and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env, timeout=600)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"], check=False, env=env, timeout=1200
        )
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) as root"
        )
    return CHROMIUM


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serving(app: Any) -> Iterator[str]:
    """Run an ASGI app with uvicorn on a free port of 127.0.0.1 in a thread; yields its base URL."""
    port = free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = Store.open(tmp_path_factory.mktemp("web") / "events.db")
    small_world(store)
    seed_synthetic(store, SYNTHETIC)
    yield store
    store.close()


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[str]:
    """The seeded store served by a real uvicorn server on 127.0.0.1."""
    with serving(create_app(store, ApiSettings())) as base:
        yield base


@pytest.fixture(scope="module")
def total(server: str) -> int:
    """How many merged events the store holds (a few synthetic reports merge)."""
    return int(httpx.get(f"{server}/api/health").json()["events"])


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        yield b
        b.close()


class Watched:
    """A page with its console errors, page errors, requests and dialogs recorded."""

    def __init__(self, page: Page, base: str, also: tuple[str, ...] = ()) -> None:
        self.page = page
        self.base = base
        allowed = (base, "data:", *also)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        # the page must work with no internet: anything not on our server is refused
        page.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(allowed) else route.abort()
            ),
        )

    def open(self, query: str = "") -> Page:
        self.page.goto(f"{self.base}/{query}")
        self.page.wait_for_selector("body[data-ready='1']", timeout=30_000)
        return self.page

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


@pytest.fixture
def watched(browser: Browser, server: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 860})
    w = Watched(context.new_page(), server)
    yield w
    context.close()


def drawn(page: Page) -> int:
    return int(page.get_attribute("canvas[data-testid=points]", "data-drawn") or -1)


def painted_pixels(page: Page) -> int:
    """Non-transparent pixels on the point canvas: the markers really were drawn."""
    return int(
        page.evaluate(
            """() => { const c = document.querySelector('canvas[data-testid=points]');
                   const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                   let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; }"""
        )
    )


def wait_until(page: Page, expression: str, timeout: float = 15.0) -> None:
    """Poll ``expression`` in the page (the page's CSP forbids Playwright's in-page eval polling)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_page_shows_markers_timeline_and_list(watched: Watched, total: int) -> None:
    page = watched.open()
    assert drawn(page) == total
    assert painted_pixels(page) > 2_000
    assert int(page.get_attribute("#timeline", "data-bins") or 0) > 50
    assert page.locator("#event-list li").count() == 200
    assert page.locator("#list-count").inner_text().startswith(f"{total} events")
    assert page.locator("#legend").inner_text().count("\n") >= 5
    assert page.locator("#f-type option").count() == 7
    watched.shot("01-page")
    page.click("#list-more")
    assert page.locator("#event-list li").count() == 400
    assert watched.errors == []


def test_brushing_the_timeline_filters_map_and_list(watched: Watched, total: int) -> None:
    page = watched.open()
    box = page.locator("#timeline").bounding_box()
    assert box
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.40, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.50, y, steps=5)
    page.mouse.move(box["x"] + box["width"] * 0.55, y, steps=5)
    page.mouse.up()
    wait_until(page, "document.getElementById('brush-label').textContent.length > 0")
    label = page.locator("#brush-label").inner_text()
    shown = drawn(page)
    assert 0 < shown < total * 0.3
    count = int(page.locator("#list-count").inner_text().split()[0])
    assert count == shown  # every seeded event has a place and a date
    first_day = page.locator("#event-list li .when").first.inner_text().strip()[:10]
    start, end = label.split(" – ")
    assert start <= first_day <= end
    q = query_of(page)
    assert q["from"] == [start] and q["to"] == [end]
    watched.shot("02-brushed")
    page.dblclick("#timeline")
    wait_until(page, "document.getElementById('brush-label').textContent === ''")
    assert drawn(page) == total and "from" not in query_of(page)


def tab_to(page: Page, element_id: str, most: int = 30) -> None:
    """Press Tab until ``#element_id`` has the focus, as someone on the keyboard would."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} is not reached with Tab")


def expect_period(page: Page, start: str | None, end: str | None = None) -> None:
    """The timeline says the period, the URL keeps it and the label shows it (None: all dates)."""
    timeline = page.locator("#timeline")
    if start is None:
        expect(timeline).to_have_attribute("aria-valuetext", re.compile(r"^All dates \("))
        expect(page).not_to_have_url(re.compile(r"[?&](from|to)="))
        expect(page.locator("#brush-label")).to_have_text("")
        return
    expect(timeline).to_have_attribute("aria-valuetext", f"Dates {start} to {end}")
    expect(page).to_have_url(re.compile(rf"[?&]from={start}&to={end}(&|$)"))
    expect(page.locator("#brush-label")).to_have_text(f"{start} – {end}")


def expect_shown(page: Page, n: int) -> None:
    """``n`` events are drawn on the map and counted in the list."""
    expect(page.locator("canvas[data-testid=points]")).to_have_attribute("data-drawn", str(n))
    expect(page.locator("#list-count")).to_have_text(re.compile(rf"^{n} events? "))
    expect(page.locator("#event-list li")).to_have_count(min(n, 200))


def test_timeline_is_a_focusable_labelled_slider(watched: Watched) -> None:
    page = watched.open("?country=Ukraine")
    timeline = page.locator("#timeline")
    expect(timeline).to_have_attribute("role", "slider")
    expect(timeline).to_have_attribute("aria-label", re.compile("[Pp]eriod"))
    expect(timeline).to_have_attribute("aria-valuetext", "All dates (2024-03-01 to 2024-04-10)")
    keys = page.locator("#" + (timeline.get_attribute("aria-describedby") or "missing"))
    expect(keys).to_contain_text("Escape")
    outline = "getComputedStyle(document.getElementById('timeline')).outlineStyle"
    assert page.evaluate(outline) == "none"
    page.focus("#f-reset")
    tab_to(page, "timeline")
    assert page.evaluate(outline) == "solid"  # the focus is seen, not only announced
    watched.shot("08-timeline-focused")
    page.keyboard.press("Tab")
    assert page.evaluate(outline) == "none"
    assert watched.errors == []


def test_keyboard_moves_resizes_and_clears_the_period(watched: Watched) -> None:
    page = watched.open("?country=Ukraine")  # 2024: Kharkiv 03-01, Bakhmut 03-04, Odesa 04-10
    expect_shown(page, 3)
    tab_to(page, "timeline")
    steps = [
        ("ArrowRight", "03-01", "03-01", 1),  # nothing picked: the first day of the data
        ("Shift+ArrowLeft", "03-01", "03-01", 1),  # the end cannot pass the start
        ("Shift+ArrowRight", "03-01", "03-02", 1),
        ("Shift+ArrowRight", "03-01", "03-03", 1),
        ("Shift+ArrowRight", "03-01", "03-04", 2),
        ("ArrowRight", "03-02", "03-05", 1),
        ("Shift+ArrowLeft", "03-02", "03-04", 1),
        ("ArrowLeft", "03-01", "03-03", 1),
        ("ArrowLeft", "03-01", "03-03", 1),  # the period stays inside the data
        ("End", "04-08", "04-10", 1),
        ("Shift+ArrowRight", "04-08", "04-10", 1),
        ("ArrowRight", "04-08", "04-10", 1),
        ("Home", "03-01", "03-03", 1),
    ]
    for key, start, end, shown in steps:
        page.keyboard.press(key)
        expect_period(page, f"2024-{start}", f"2024-{end}")
        expect_shown(page, shown)
    expect(page.locator("#event-list li")).to_have_text([re.compile("Kharkiv")])
    page.keyboard.press("Escape")
    expect_period(page, None)
    expect_shown(page, 3)
    page.keyboard.press("ArrowLeft")  # nothing picked: the last day of the data
    expect_period(page, "2024-04-10", "2024-04-10")
    expect(page.locator("#event-list li")).to_have_text([re.compile("Odesa")])
    page.keyboard.press("Delete")
    expect_period(page, None)
    expect_shown(page, 3)
    assert page.evaluate("document.activeElement.id") == "timeline"
    assert watched.errors == []


def test_keyboard_steps_by_one_bar_over_all_events(
    watched: Watched, server: str, total: int
) -> None:
    days = [
        date(1970, 1, 1) + timedelta(days=d)
        for d in httpx.get(f"{server}/api/points").json()["day"]
    ]

    def within(start: date, end: date) -> int:
        return sum(start <= d <= end for d in days)

    def period() -> tuple[date, date]:
        q = query_of(page)
        return date.fromisoformat(q["from"][0]), date.fromisoformat(q["to"][0])

    page = watched.open()
    page.focus("#timeline")
    page.keyboard.press("Home")
    expect(page).to_have_url(re.compile(r"[?&]from="))
    start, end = period()
    bar = (end - start).days + 1  # one bar of the histogram: several days for two years of events
    bins = int(page.get_attribute("#timeline", "data-bins") or 0)
    assert start == min(days) and 1 < bar and bins * bar >= (max(days) - min(days)).days + 1
    expect_shown(page, within(start, end))
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    moved = (start + timedelta(days=10 * bar), end + timedelta(days=10 * bar))
    expect_period(page, *(d.isoformat() for d in moved))
    expect_shown(page, within(*moved))
    for _ in range(30):
        page.keyboard.press("Shift+ArrowRight")
    grown = (moved[0], moved[1] + timedelta(days=30 * bar))
    expect_period(page, *(d.isoformat() for d in grown))
    assert 0 < within(*grown) < total
    expect_shown(page, within(*grown))
    page.keyboard.press("End")
    expect(page).to_have_url(re.compile(rf"[?&]to={max(days).isoformat()}(&|$)"))
    assert (period()[1] - period()[0]) == grown[1] - grown[0]
    expect_shown(page, within(*period()))
    page.keyboard.press("Escape")
    expect_period(page, None)
    expect_shown(page, total)


def test_click_a_marker_opens_the_event_with_highlighted_evidence(watched: Watched) -> None:
    page = watched.open("?country=Kenya")  # one event: the map centres on it
    assert drawn(page) == 1
    box = page.locator("#map").bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("#event-panel:not([hidden]) h2")
    assert "Nairobi" in page.locator("#panel-body").inner_text()
    marks = page.locator(".report .article-text mark.ev")
    marks.first.wait_for(state="visible")
    assert marks.all_inner_texts() == [
        "Nairobi was hit on March 22, officials said.",
        "At least 8 people were killed in the attack near Nairobi, police said.",
    ]
    evidence = page.locator(".report .evidence li").all_inner_texts()
    assert any("At least 8 people were killed" in e for e in evidence)
    assert query_of(page)["event"]
    watched.shot("03-event-from-marker")
    assert watched.errors == []


def test_merged_event_shows_sources_attribution_and_every_report(watched: Watched) -> None:
    page = watched.open("?text=Kharkiv")
    page.locator("#event-list li", has_text="Kharkiv").first.click()
    page.wait_for_selector(".report >> nth=1")
    body = page.locator("#panel-body")
    expect(page.locator(".report")).to_have_count(2)
    attribution = page.locator("[data-testid=attribution]")
    for words in ("Russian Defence Ministry", "likely", "55–80 %"):
        expect(attribution).to_contain_text(words)
    for outlet in ("Reuters", "Kyiv Independent"):
        expect(page.locator("table.sources")).to_contain_text(outlet)
    expect(body).to_contain_text("2 sources, 2 independent")
    # the first report opens at once, its evidence marked
    expect(page.locator(".report").nth(0).locator("mark.ev")).to_have_count(2)
    page.locator(".report").nth(1).locator("summary").click()
    page.locator(".report").nth(1).locator("mark.ev").first.wait_for(state="visible")
    watched.shot("04-merged-event")


def test_url_keeps_the_view(watched: Watched, total: int) -> None:
    page = watched.open()
    page.select_option("#f-type", "Protests")
    page.fill("#f-min", "1")
    page.click("#f-apply")
    wait_until(page, "new URLSearchParams(location.search).get('event_type') === 'Protests'")
    wait_until(page, "document.getElementById('status-line').textContent.endsWith(' events')")
    protests = drawn(page)
    assert 0 < protests < total
    page.locator("#event-list li").first.click()
    page.wait_for_selector("#event-panel:not([hidden]) h2")
    shared = page.url
    assert {"event_type", "min_sources", "event", "view"} <= set(query_of(page))
    other = watched.page.context.new_page()
    other.goto(shared)
    other.wait_for_selector("body[data-ready='1']")
    assert other.input_value("#f-type") == "Protests" and other.input_value("#f-min") == "1"
    assert drawn(other) == protests
    other.wait_for_selector("#event-panel:not([hidden]) h2")
    assert other.get_attribute("#event-panel", "data-event-id") == query_of(page)["event"][0]
    other.close()
    page.goto(f"{watched.base}/?from=2024-03-01&to=2024-03-31&country=Ukraine")
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("#brush-label").inner_text() == "2024-03-01 – 2024-03-31"
    assert drawn(page) == 2  # Kharkiv and Bakhmut; Odesa is in April


def test_stored_markup_is_shown_as_text_never_run(watched: Watched) -> None:
    page = watched.open("?text=Odesa")
    page.locator("#event-list li", has_text="Odesa").first.click()
    page.wait_for_selector(".report .article-text mark.ev")
    panel = page.locator("#panel-body").inner_text()
    assert XSS in panel  # the title, actor, notes and article text, literally
    assert "Evil <b>Times</b>" in panel
    assert page.locator("#event-panel script, #event-panel img, #event-panel b").count() == 0
    assert page.evaluate("window.__xss") is None
    assert watched.dialogs == []
    watched.shot("05-xss-as-text")


def test_nothing_is_fetched_from_elsewhere_and_csp_holds(watched: Watched) -> None:
    page = watched.open()
    page.locator("#event-list li").first.click()
    page.wait_for_selector(".report .article-text mark.ev, .report .article-text")
    outside = [
        u for u in watched.requests if not u.startswith(watched.base) and not u.startswith("data:")
    ]
    assert outside == []
    assert not [e for e in watched.errors if "Content Security Policy" in e]
    assert watched.errors == []


def test_docs_page_lists_the_endpoints(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/docs")
    page.wait_for_selector("section.op")
    text = page.locator("#endpoints").inner_text()
    for path in (
        "/api/events",
        "/api/points",
        "/api/events/{event_id}",
        "/api/articles",
        "/api/counts",
        "/api/search",
    ):
        assert path in text
    watched.shot("06-docs")
    assert watched.errors == []


def tile_png() -> bytes:
    """A 256x256 one-colour PNG, built by hand."""
    raw = b"".join(b"\x00" + b"\xc8\xdc\xe6" * 256 for _ in range(256))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 256, 256, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_optional_tile_server_is_used_and_allowed_by_the_csp(
    browser: Browser, store: Store
) -> None:
    png = tile_png()
    hits: list[str] = []

    async def tiles(scope: Any, receive: Any, send: Any) -> None:  # a bare ASGI tile server
        if scope["type"] != "http":
            return
        hits.append(scope["path"])
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"image/png")],
            }
        )
        await send({"type": "http.response.body", "body": png})

    with serving(tiles) as tile_base:
        settings = ApiSettings(
            tile_url=tile_base + "/{z}/{x}/{y}.png",
            tile_attribution='Local tiles <img src=x data-testid="injected">',
        )
        with serving(create_app(store, settings)) as base:
            context = browser.new_context(viewport={"width": 1000, "height": 700})
            w = Watched(context.new_page(), base, also=(tile_base,))
            page = w.open("?country=Kenya")
            wait_until(page, "document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
            assert hits and all(p.endswith(".png") for p in hits)
            credit = page.locator(".tile-credit")  # the operator's line is text, never HTML
            assert credit.inner_text() == 'Local tiles <img src=x data-testid="injected">'
            assert page.locator("[data-testid=injected]").count() == 0
            assert not [e for e in w.errors if "Content Security Policy" in e]
            w.shot("07-tiles")
            context.close()
