"""Property tests (Hypothesis): random and adversarial records and texts, fed to the record reader,
to ``sitrep extract`` and ``sitrep ingest`` on a JSONL file, and to the API. None may end in a
traceback; every bad record gets exactly one line; the API answers JSON, never a 500.

The extractor is a stand-in (the NLP has its own tests): these are about reading and reporting.
Examples are small and few, so the whole file runs in seconds.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_api import TOKEN, StubExtractor
from test_run_survives import GOOD, CrashingSettings

from sitrep.api import ApiSettings, create_app
from sitrep.cli import main
from sitrep.ingest.reading import build
from sitrep.ingest.records import article_from_record
from sitrep.models import Article, Failure
from sitrep.store import Store

FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
texts = st.sampled_from(
    [
        GOOD.format(n=1),
        "",
        "   ",
        "!!! ??? ...",
        "\x00\x01 binary",
        "Взрыв в Киеве убил трёх человек.",
        "<script>alert(1)</script> Gunmen killed 3 people in Kabul on Monday.",
        "killed " * 200,
    ]
) | st.text(max_size=120)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=10) | json_values,
        "text": texts | json_values,
        "html": st.sampled_from(["<p>" + GOOD.format(n=2) + "</p>", "<html", ""]) | json_values,
        "title": st.text(max_size=20) | json_values,
        "published": st.sampled_from(["2024-05-01T10:00:00Z", "yesterday", "", "1700000000"])
        | json_values,
        "url": st.sampled_from(["https://news.example/a", "javascript:alert(1)", ""]) | json_values,
        "author": st.lists(st.text(max_size=8), max_size=2) | json_values,
        "language": st.sampled_from(["en", "fr", "EN-gb"]) | json_values,
    },
)
lines = (
    records.map(json.dumps)
    | json_values.map(json.dumps)
    | st.text(min_size=1, max_size=40).map(lambda s: s.replace("\n", " "))
).filter(lambda s: s.strip())


@FAST
@given(record=records | json_values)
def test_a_record_is_an_article_or_one_line(record: Any) -> None:
    result = build("r.jsonl:1", article_from_record, record, "r.jsonl:1")
    assert isinstance(result, Article | Failure)
    if isinstance(result, Failure):
        assert result.input == "r.jsonl:1" and result.problem and "\n" not in result.problem
    else:
        assert isinstance(result.id, str) and result.text
        assert result.published is None or result.published.year > 1970


def run_cli(argv: list[str]) -> tuple[int, list[str], list[str]]:
    out, err = io.StringIO(), io.StringIO()
    with (
        pytest.MonkeyPatch.context() as mp,
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        stand_in = lambda args, events_only=True: CrashingSettings()  # noqa: E731
        mp.setattr("sitrep.cli.extract.settings_from", stand_in)
        mp.setattr("sitrep.cli.dataset.settings_from", stand_in)
        code = main(argv)
    return code, out.getvalue().splitlines(), err.getvalue().splitlines()


def check_lines(code: int, reported: int, err: list[str], path: Path, n: int) -> None:
    failures = [line for line in err if line.startswith(f"sitrep: {path}:")]
    assert not [line for line in err if "Traceback" in line or "internal error" in line], err
    assert reported + len(failures) == n, (reported, err)  # each record: a report or one line
    assert code == (1 if failures else 0)


@FAST
@given(body=st.lists(lines, min_size=1, max_size=6))
def test_extract_gives_each_bad_record_one_line(body: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
        code, out, err = run_cli(["extract", str(path), "--format", "json"])
    check_lines(code, len(out), err, path, len(body))


@settings(FAST, max_examples=20)
@given(body=st.lists(lines, min_size=1, max_size=6))
def test_ingest_gives_each_bad_record_one_line(body: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "in.jsonl"
        path.write_text("\n".join(body) + "\n", encoding="utf-8")
        db = Path(tmp) / "events.db"
        code, _, err = run_cli(["ingest", str(path), "--db", str(db), "--jobs", "1"])
    summary = err.pop()  # the run's summary line: "... N failed in ..."
    failed = int(re.search(r"(\d+) failed in ", summary).group(1))  # type: ignore[union-attr]
    assert not [line for line in err if "Traceback" in line or "internal error" in line], err
    assert len(err) == failed and all(line.startswith(f"sitrep: {path}:") for line in err), err
    assert code == (1 if failed else 0)


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Any:
    store = Store.open(tmp_path_factory.mktemp("fuzz") / "events.db")
    app = create_app(store, ApiSettings(token=TOKEN), extractor=StubExtractor())
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        yield client
    store.close()


@FAST
@given(body=records | json_values)
def test_the_api_answers_any_body_with_json(api: TestClient, body: Any) -> None:
    r = api.post("/api/articles", json=body, headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code in (200, 201, 422), r.text
    assert r.headers["content-type"].startswith("application/json")
    assert "content-security-policy" in r.headers and r.json()


@FAST
@given(
    params=st.dictionaries(
        st.sampled_from(["text", "actor", "country", "date_from", "bbox", "limit", "status"]),
        st.text(max_size=30),
        max_size=3,
    )
)
def test_the_api_answers_any_filter_with_json(api: TestClient, params: dict[str, str]) -> None:
    for route in ("/api/events", "/api/counts"):
        r = api.get(route, params=params)
        assert r.status_code in (200, 422), r.text
        assert r.headers["content-type"].startswith("application/json") and r.json() is not None
