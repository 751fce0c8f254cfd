"""The command line, run as a real subprocess: formats, outputs, and one clear line per bad input."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SEED

SITREP = [sys.executable, "-m", "sitrep.cli"]


def run(
    *args: str, stdin: bytes | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*SITREP, *args], input=stdin, capture_output=True, timeout=300, cwd=cwd)


@pytest.fixture(scope="module")
def seed_jsonl() -> list[dict]:
    proc = run("extract", str(SEED), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr.decode()
    return [json.loads(line) for line in proc.stdout.decode().splitlines()]


def test_jsonl_records_carry_the_contract_fields(seed_jsonl: list[dict]) -> None:
    required = {
        "article_id",
        "event_id",
        "event_type",
        "sub_event_type",
        "confidence",
        "event_date",
        "time_precision",
        "actor1",
        "actor2",
        "country",
        "iso3",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "fatalities",
        "injuries",
        "notes",
        "evidence",
        "attribution",
        "weapons",
        "background",
    }
    assert seed_jsonl
    text = SEED.read_text(encoding="utf-8")
    for rec in seed_jsonl:
        assert required <= rec.keys()
        assert 0.0 <= rec["confidence"] <= 1.0
        assert rec["time_precision"] in (1, 2, 3)
        assert rec["notes"].endswith((".", "]"))
        for ev in rec["evidence"]:
            # evidence sentences are real sentences of the article (offsets are into the cleaned text)
            assert ev["end"] > ev["start"]
            assert " ".join(ev["text"].split()[:4]) in " ".join(text.split())


def test_event_ids_are_stable(seed_jsonl: list[dict]) -> None:
    again = [
        json.loads(x)
        for x in run("extract", str(SEED), "--format", "jsonl").stdout.decode().splitlines()
    ]
    assert [r["event_id"] for r in again] == [r["event_id"] for r in seed_jsonl]
    assert len({r["event_id"] for r in seed_jsonl}) == len(seed_jsonl)


def test_csv_has_acled_columns_first_and_reads_back(tmp_path: Path) -> None:
    from sitrep.export.writers import ACLED_COLUMNS

    out = tmp_path / "events.csv"
    proc = run("extract", str(SEED), "--output", str(out))
    assert proc.returncode == 0, proc.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    header = out.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[: len(ACLED_COLUMNS)] == ACLED_COLUMNS
    assert rows and all(r["event_type"] and r["sub_event_type"] for r in rows)
    # the table went to stdout at the same time
    assert "type / sub-type" in proc.stdout.decode()


def test_geojson_is_a_feature_collection(tmp_path: Path) -> None:
    proc = run("extract", str(SEED), "--format", "geojson")
    data = json.loads(proc.stdout)
    assert data["type"] == "FeatureCollection"
    for feat in data["features"]:
        assert feat["type"] == "Feature"
        if feat["geometry"] is not None:
            lon, lat = feat["geometry"]["coordinates"]
            assert -180 <= lon <= 180 and -90 <= lat <= 90


def test_stdin_input() -> None:
    text = "Gunmen killed five villagers in an attack on a village in Zamfara state, Nigeria, on Sunday, police said.\n"
    proc = run("extract", "-", "--format", "jsonl", stdin=text.encode())
    assert proc.returncode == 0, proc.stderr.decode()
    recs = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert any(
        r["event_type"] == "Violence against civilians" and r["fatalities"] == 5 for r in recs
    )


def test_article_command_shows_cleaned_text_and_removed_pieces() -> None:
    proc = run("article", str(SEED), "--format", "json")
    report = json.loads(proc.stdout)
    art = report["article"]
    assert report["events"] and report["assessments"]
    assert art["title"] and art["published"] and art["author"]
    kinds = {r["kind"] for r in art["removed"]}
    assert {"caption", "read_more"} <= kinds
    for r in art["removed"]:
        if r["kind"] in ("caption", "read_more", "other_headline"):
            assert r["text"] not in art["text"]


def _bad_inputs(tmp: Path) -> dict[str, Path]:
    big = tmp / "big.txt"
    with open(big, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    (tmp / "empty.txt").write_bytes(b"")
    (tmp / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (tmp / "latin1.txt").write_bytes(
        "Les soldats ont attaqué le village près de Goma.".encode("latin-1")
    )
    (tmp / "french.txt").write_text(
        "Les soldats ont attaqué le village dimanche et ont tué cinq personnes, selon la police locale. "
        "Les habitants ont fui vers la ville voisine pendant la nuit.",
        encoding="utf-8",
    )
    (tmp / "bad.jsonl").write_text(
        '{"id": "ok1", "text": "Police arrested twelve opposition activists in Harare on Monday, their lawyer said."}\n'
        '{"id": "broken", "text": \n',
        encoding="utf-8",
    )
    return {
        "big": big,
        "empty": tmp / "empty.txt",
        "binary": tmp / "binary.txt",
        "latin1": tmp / "latin1.txt",
        "french": tmp / "french.txt",
        "jsonl": tmp / "bad.jsonl",
        "missing": tmp / "no-such-file.txt",
    }


def test_bad_inputs_get_one_line_each_and_the_rest_still_runs(tmp_path: Path) -> None:
    bad = _bad_inputs(tmp_path)
    proc = run("extract", str(SEED), *map(str, bad.values()), "--format", "jsonl")
    err = proc.stderr.decode()
    assert proc.returncode == 1
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.strip()]
    for name, path in bad.items():
        mine = [x for x in lines if path.name in x]
        assert len(mine) == 1, (name, lines)
    # the good inputs were still processed: the seed's events and the good JSONL line's arrest
    recs = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert any(r["article_id"] == "ok1" for r in recs)
    assert len({r["article_id"] for r in recs}) == 2


def test_debug_shows_the_traceback_of_a_fatal_error(tmp_path: Path) -> None:
    proc = run("extract", str(SEED), "--model", str(tmp_path / "no-model"))
    assert proc.returncode == 3
    assert "Traceback" not in proc.stderr.decode()
    assert "no-model" in proc.stderr.decode()
    proc = run("--debug", "extract", str(SEED), "--model", str(tmp_path / "no-model"))
    assert "Traceback" in proc.stderr.decode()


def test_output_file_is_not_left_half_written(tmp_path: Path) -> None:
    out = tmp_path / "ro" / "events.jsonl"
    out.parent.mkdir()
    out.parent.chmod(0o500)
    try:
        proc = run("extract", str(SEED), "--output", str(out))
        if proc.returncode == 0:  # root ignores permissions: nothing to check then
            assert json.loads(out.read_text().splitlines()[0])
        else:
            assert proc.returncode == 3 and "cannot write" in proc.stderr.decode()
            assert not list(out.parent.iterdir())
    finally:
        out.parent.chmod(0o700)


def test_usage_errors() -> None:
    assert run("extract").returncode == 2
    assert run().returncode == 2


def test_geoparse_resolves_given_spans_only(tmp_path: Path) -> None:
    text = "Shelling hit Kharkiv overnight and a village near Izium, officials in Kyiv said."
    start = text.index("Kharkiv")
    rec = {"id": "g1", "text": text, "toponyms": [[start, start + len("Kharkiv")]]}
    path = tmp_path / "spans.jsonl"
    path.write_text(json.dumps(rec) + "\n", encoding="utf-8")
    proc = run("geoparse", str(path), "--toponyms")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = [json.loads(x) for x in proc.stdout.decode().splitlines()]
    assert [(r["start"], r["geonameid"], r["country"]) for r in rows] == [
        (start, 706483, "Ukraine")
    ]
    full = [json.loads(x) for x in run("geoparse", str(path)).stdout.decode().splitlines()]
    near = [r for r in full if r["text"] == "Izium"]
    assert near and near[0]["geo_precision"] == 2


def test_extract_with_two_workers_gives_the_same_events() -> None:
    one = run("extract", "--examples", str(SEED), "--format", "jsonl")
    two = run("extract", "--examples", str(SEED), "--format", "jsonl", "--jobs", "2")
    assert one.returncode == two.returncode == 0, two.stderr.decode()
    ids = [json.loads(x)["event_id"] for x in one.stdout.decode().splitlines()]
    assert ids and ids == [json.loads(x)["event_id"] for x in two.stdout.decode().splitlines()]


def test_watch_is_a_command() -> None:
    assert run("watch", "--help").returncode == 0
