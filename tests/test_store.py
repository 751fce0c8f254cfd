"""The event database: schema and migrations, de-duplication, queries, the Python API, exports, CLI."""

from __future__ import annotations

import csv
import importlib.util
import json
import random
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from test_fusion import gold_events, load_articles

import sitrep
from sitrep import taxonomy
from sitrep.cli import main
from sitrep.errors import StoreError
from sitrep.export.plover import mapping as plover_mapping
from sitrep.export.writers import ACLED_COLUMNS, RECORD_COLUMNS, SITREP_COLUMNS
from sitrep.models import Article, Attribution, Event, EventRecord, Evidence
from sitrep.store import SCHEMA_VERSION, Store, schema
from sitrep.store.migrations import MIGRATIONS


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding the fusion corpus (15 articles, 5 events), closed."""
    path = tmp_path_factory.mktemp("store") / "sitrep.db"
    with Store.open(path) as store:
        for art in load_articles():
            store.add_article(art, gold_events(art))
    return path


@pytest.fixture()
def store(db: Path) -> Iterator[Store]:
    s = Store.open(db, readonly=True)
    yield s
    s.close()


# -- schema ------------------------------------------------------------------------------------


def test_new_database_is_marked_migrated_and_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Store.open(path).close()
    cx = sqlite3.connect(path)
    meta = dict(cx.execute("SELECT key, value FROM meta"))
    assert meta["application"] == "sitrep"
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    applied = cx.execute(
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
    ).fetchall()
    assert [v for v, _, _ in applied] == [m[0] for m in MIGRATIONS]
    assert cx.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert cx.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    assert cx.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {r[0] for r in cx.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {
        "articles",
        "mentions",
        "events",
        "sources",
        "places",
        "evidence",
        "articles_fts",
    } <= tables
    cx.close()
    Store.open(path).close()  # applying the migrations again changes nothing
    cx = sqlite3.connect(path)
    assert (
        cx.execute(
            "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"
        ).fetchall()
        == applied
    )
    cx.close()


def test_older_schema_is_upgraded_by_a_writer_only(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    cx = sqlite3.connect(path, isolation_level=None)
    assert schema.migrate(cx, str(path), upto=1) == [1]
    cx.execute("INSERT INTO sources (name) VALUES ('Old Source')")
    cx.close()
    with pytest.raises(StoreError, match="older"):
        Store.open(path, readonly=True)
    with Store.open(path) as store:
        assert store.stats().schema_version == SCHEMA_VERSION
        assert store.stats().sources == 1
    cx = sqlite3.connect(path)
    versions = [r[0] for r in cx.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == [m[0] for m in MIGRATIONS]
    cx.close()


# -- articles ----------------------------------------------------------------------------------


def ev(article_id: str, n: int, **kw: object) -> Event:
    base: dict[str, object] = dict(
        article_id=article_id,
        event_id=f"{article_id}:{n}",
        event_type="Battles",
        sub_event_type="Armed clash",
        confidence=0.7,
        event_date=date(2024, 6, 1),
        time_precision=1,
        country="Sudan",
        iso3="SDN",
        admin1="North Darfur",
        location="El Fasher",
        latitude=13.6279,
        longitude=25.3494,
        geo_precision=1,
        actor1="Rapid Support Forces",
        actor2="Military Forces of Sudan",
        fatalities=4,
    )
    base.update(kw)
    return Event(**base)  # type: ignore[arg-type]


def test_same_url_or_same_text_is_stored_once(tmp_path: Path) -> None:
    with Store.open(tmp_path / "d.db") as store:
        a = Article(
            id="x1",
            text="Fighters clashed near El Fasher on Saturday.",
            url="https://News.example/a/?p=1#top",
        )
        first = store.add_article(a, [ev("x1", 0)])
        assert first.added and first.new_events == 1
        same_url = Article(
            id="x2", text="A different text entirely.", url="https://news.example/a?p=1"
        )
        dup = store.add_article(same_url, [ev("x2", 0)])
        assert (dup.added, dup.duplicate, dup.article_id) == (False, "url", first.article_id)
        same_text = Article(id="x3", text=a.text, url="https://other.example/b")
        dup2 = store.add_article(same_text, [ev("x3", 0)])
        assert (dup2.added, dup2.duplicate) == (False, "text")
        s = store.stats()
        assert (s.articles, s.mentions, s.events) == (1, 1, 1)
        assert store.find_article(same_text) == (first.article_id, "text")
        assert store.check() == []


def test_articles_without_events_are_kept_and_searchable(tmp_path: Path) -> None:
    with Store.open(tmp_path / "d.db") as store:
        store.add_article(
            Article(
                id="n1",
                text="The ministers discussed cotton exports in Khartoum.",
                title="Trade talks",
            ),
            [],
        )
        hits = store.search("cotton Khartoum")
        assert [h.article_key for h in hits] == ["n1"]
        assert "[cotton]" in hits[0].snippet
        assert store.search("tanks") == []
        assert store.search('"); DROP TABLE articles; --') == []
        assert store.article("n1").title == "Trade talks"  # type: ignore[union-attr]


# -- queries -----------------------------------------------------------------------------------


def test_filters_agree_with_the_records(store: Store) -> None:
    every = store.events()
    assert len(every) == 5

    def expect(pred, **filters) -> None:  # type: ignore[no-untyped-def]
        want = sorted(r.event_id for r in every if pred(r))
        got = sorted(r.event_id for r in store.events(**filters))
        assert got == want, filters
        assert store.count_events(**filters) == len(want)
        assert want, f"{filters} should match something"

    expect(lambda r: r.event_date >= date(2025, 3, 12), date_from="2025-03-12")
    expect(lambda r: r.event_date <= date(2025, 3, 11), date_to=date(2025, 3, 11))
    expect(lambda r: r.iso3 == "PAK", country="Pakistan")
    expect(lambda r: r.iso3 == "SOM", country="som")
    expect(lambda r: r.admin1 == "Hiiraan", admin1="hiiraan")
    expect(
        lambda r: r.event_type == "Violence against civilians",
        event_type="Violence against civilians",
    )
    expect(lambda r: r.sub_event_type == "Air/drone strike", sub_event_type="Air/drone strike")
    expect(lambda r: "Al Shabaab" in (r.actor1 or "") + (r.actor2 or ""), actor="shabaab")
    expect(
        lambda r: r.location == "Beledweyne" and r.sub_event_type == "Attack", text="Qahira hotel"
    )
    expect(lambda r: r.iso3 == "SOM", bbox=(40.0, -2.0, 52.0, 12.0))
    expect(lambda r: r.iso3 == "SOM", bbox="40,-2,52,12")
    expect(lambda r: r.source_count >= 3, min_sources=3)
    expect(lambda r: r.independent_sources >= 3, min_independent=3)
    expect(lambda r: r.status == "reported", status="reported")
    expect(lambda r: r.status in ("reported", "confirmed"), status=["reported", "confirmed"])
    expect(
        lambda r: r.iso3 == "SOM" and r.status == "confirmed",
        country="SOM",
        status="confirmed",
        date_from="2025-03-01",
    )
    assert store.events(text="nothing like this anywhere") == []
    assert store.events(bbox=(170.0, -10.0, -170.0, 10.0)) == []  # across the antimeridian


def _spread_events(n: int, seed: int) -> list[tuple[Article, Event]]:
    """``n`` one-event articles at random points, many near the antimeridian and the poles."""
    from seeding import article_and_event

    rng = random.Random(seed)
    out = []
    for i in range(n):
        lon = rng.choice([rng.uniform(-180, 180), rng.uniform(170, 180), rng.uniform(-180, -170)])
        lat = round(rng.uniform(-89, 89), 4)
        place = (f"Point {i}", "Region", "Country", None, lat, round(lon, 4))
        out.append(
            article_and_event(
                i,
                day=date(2024, 1, 1) + timedelta(days=i % 90),
                place=place,  # type: ignore[arg-type]
                sub_event_type="Armed clash",
                publisher=f"Outlet {i % 7}",
            )
        )
    return out


def test_bounding_boxes_through_the_spatial_index_match_every_point(tmp_path: Path) -> None:
    path = tmp_path / "spatial.db"
    pairs = _spread_events(400, seed=3)
    cx = sqlite3.connect(path, isolation_level=None)
    schema.migrate(cx, str(path), upto=4)  # a database from before the index ...
    cx.close()
    with Store.open(path) as store:
        for art, ev in pairs[:250]:
            store.add_article(art, [ev])
    cx = sqlite3.connect(path, isolation_level=None)
    cx.execute("DELETE FROM schema_migrations WHERE version = 5")  # ... still without it
    cx.execute("DROP TABLE events_rtree")
    for trigger in ("insert", "update", "delete"):
        cx.execute(f"DROP TRIGGER events_rtree_{trigger}")
    cx.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    cx.close()
    with Store.open(path) as store:  # the upgrade fills the index; later events go in by trigger
        for art, ev in pairs[250:]:
            store.add_article(art, [ev])
        every = store.events()
        rng = random.Random(11)
        points = [(r.longitude, r.latitude) for r in every if r.latitude is not None]
        boxes = [(-180.0, -90.0, 180.0, 90.0), (175.0, -30.0, -175.0, 30.0)]
        lon0, lat0 = points[0]  # edges exactly on a point
        boxes.append((lon0, lat0, lon0, lat0))
        for _ in range(40):
            w, e = sorted(rng.uniform(-180, 180) for _ in range(2))
            s, n = sorted(rng.uniform(-90, 90) for _ in range(2))
            boxes.append((w, s, e, n) if rng.random() < 0.7 else (e, s, w, n))  # or across 180
        for w, s, e, n in boxes:

            def inside(r: EventRecord, w=w, s=s, e=e, n=n) -> bool:  # type: ignore[no-untyped-def]
                lon, lat = r.longitude, r.latitude
                if lat is None or lon is None or not s <= lat <= n:
                    return False
                return w <= lon <= e if w <= e else (lon >= w or lon <= e)

            want = sorted(r.event_id for r in every if inside(r))
            assert sorted(r.event_id for r in store.events(bbox=(w, s, e, n))) == want
            assert store.count_events(bbox=(w, s, e, n)) == len(want)
        assert len(store.events(bbox=(lon0, lat0, lon0, lat0))) >= 1
        assert store.count_events(bbox=(175.0, -30.0, -175.0, 30.0)) > 0
    cx = sqlite3.connect(path)
    indexed = cx.execute("SELECT count(*) FROM events_rtree").fetchone()[0]
    located = cx.execute("SELECT count(*) FROM events WHERE latitude IS NOT NULL").fetchone()[0]
    assert indexed == located == len(points)
    plan = " ".join(
        str(r)
        for r in cx.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM events WHERE id IN "
            "(SELECT id FROM events_rtree WHERE max_lat >= 0 AND min_lat <= 1)"
        )
    )
    assert "events_rtree" in plan
    cx.close()


def test_spatial_index_follows_an_event_that_moves(tmp_path: Path) -> None:
    with Store.open(tmp_path / "move.db") as store:
        ((art, ev),) = _spread_events(1, seed=5)
        store.add_article(art, [ev])
        record = store.events()[0]
        with store._write("moving an event") as cx:  # what a merge that re-places an event does
            cx.execute(
                "UPDATE events SET latitude = 10.5, longitude = -20.25 WHERE event_key = ?",
                (record.event_id,),
            )
        assert [r.event_id for r in store.events(bbox=(-21, 10, -20, 11))] == [record.event_id]
        assert (
            store.events(
                bbox=(
                    record.longitude - 0.01,
                    record.latitude - 0.01,
                    record.longitude + 0.01,
                    record.latitude + 0.01,
                )
            )
            == []
        )
        with store._write("removing an event") as cx:
            cx.execute("UPDATE events SET latitude = NULL, longitude = NULL")
        assert store.events(bbox=(-180, -90, 180, 90)) == []
        with store._write("counting") as cx:
            assert cx.execute("SELECT count(*) FROM events_rtree").fetchone()[0] == 0


def test_event_columns_are_the_records_fields_without_decoding(store: Store) -> None:
    records = store.events(country="SOM", order="-sources")
    rows = store.event_columns(
        ["event_key", "latitude", "event_date", "source_count"], country="SOM", order="-sources"
    )
    assert rows == [
        (r.event_id, r.latitude, r.event_date.isoformat(), r.source_count) for r in records
    ]
    assert len(store.event_columns(["event_key"], limit=2, offset=1)) == 2
    for bad in (["event_key", "id; DROP TABLE events"], ["nope"], []):
        with pytest.raises(ValueError):
            store.event_columns(bad)


def test_order_limit_offset(store: Store) -> None:
    by_date = store.events(order="date")
    dates = [r.event_date for r in by_date]
    assert dates == sorted(dates)
    assert [r.event_id for r in store.events(order="date", limit=2, offset=1)] == [
        r.event_id for r in by_date[1:3]
    ]
    most = store.events(order="-sources", limit=1)[0]
    assert most.source_count == max(r.source_count for r in by_date)


@pytest.mark.parametrize(
    "filters",
    [
        {"event_type": "Battle"},
        {"sub_event_type": "Drone"},
        {"status": "maybe"},
        {"bbox": "1,2,3"},
        {"date_from": "11/03/2025"},
        {"order": "random"},
        {"colour": "red"},
        {"bbox": (0, 10, 5, 5)},
    ],
)
def test_bad_filters_are_refused(store: Store, filters: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        store.events(**filters)


def test_event_keeps_every_report_with_its_evidence(store: Store) -> None:
    [rec] = store.events(text="Jaffar")
    full = store.event(rec.event_id)
    assert full is not None and store.event(rec.event_id + "x") is None
    assert len(full.reports) == full.mention_count == 6
    for rep in full.reports:
        article = store.article(rep.article_id)
        assert article is not None and article.url == rep.url
        for e in rep.evidence:
            assert article.text[e.start : e.end] == e.text
    mentions = store.mentions(rec.event_id)
    assert sorted(m.article_id for m in mentions) == sorted(r.article_id for r in full.reports)
    assert all(isinstance(m, Event) and not isinstance(m, EventRecord) for m in mentions)
    assert store.article(full.reports[0].url or "").id == full.reports[0].article_id  # type: ignore[union-attr]


def test_counts_by_week_and_day(store: Store) -> None:
    weeks = store.counts("week")
    assert sum(c.events for c in weeks) == 5
    assert {c.period for c in weeks} == {"2021-05-03", "2025-03-10"}  # Mondays
    days = store.counts("day", country="Somalia")
    assert {(c.period, c.event_type): c.events for c in days} == {
        ("2025-03-11", "Violence against civilians"): 1,
        ("2025-03-11", "Protests"): 1,
        ("2025-03-12", "Explosions/Remote violence"): 1,
    }
    with pytest.raises(ValueError):
        store.counts("month")


def test_blocking_keeps_fusion_local(tmp_path: Path) -> None:
    """Candidates for a new mention come from its grid cell and date window, not from the whole store."""
    with Store.open(tmp_path / "grid.db") as store:
        n = 0
        for i in range(40):  # 40 places x 15 days
            for d in range(15):
                lat, lon = -30 + (i % 8) * 7.0, -60 + (i // 8) * 25.0
                e = ev(
                    f"g{i}-{d}",
                    0,
                    latitude=lat,
                    longitude=lon,
                    admin1=f"R{i}",
                    location=f"T{i}",
                    event_date=date(2024, 1, 1) + timedelta(days=3 * d),
                    iso3=f"C{i:02d}",
                )
                store.add_article(Article(id=f"g{i}-{d}", text=f"article {i} {d}"), [e])
                n += 1
        assert store.stats().events == n
        probe = ev(
            "probe",
            0,
            latitude=-30.05,
            longitude=-60.02,
            admin1="R0",
            location="T0",
            iso3="C00",
            event_date=date(2024, 1, 7),
        )
        found = store.candidates(probe)
        assert 1 <= len(found) <= 3  # the same town within a day or so, out of 600 events


# -- the Python API ----------------------------------------------------------------------------


def test_sitrep_open_is_a_read_only_view(db: Path) -> None:
    assert "open" in sitrep.__all__ and sitrep.__all__ == sorted(sitrep.__all__)
    with sitrep.open(db) as ds:
        recs = ds.events(country="Pakistan")
        assert [r.sub_event_type for r in recs] == ["Attack"] and isinstance(recs[0], EventRecord)
        frame = ds.events(as_frame=True, country="Pakistan")
        assert list(frame["fatalities"]) == [25] and frame["event_date"].dt.year.tolist() == [2025]
        full = ds.events_frame()
        assert (
            len(full) == 5 and list(full.columns) == ACLED_COLUMNS + SITREP_COLUMNS + RECORD_COLUMNS
        )
        assert (
            str(full["latitude"].dtype) == "Float64" and str(full["source_count"].dtype) == "Int64"
        )
        assert ds.count(min_sources=2) == 4 and ds.stats().events == 5
        with pytest.raises(StoreError, match="read-only"):
            ds.store.add_article(Article(id="z", text="z"), [])
    with pytest.raises(StoreError, match="no such database"):
        sitrep.open(db.parent / "missing.db")


# -- exports -----------------------------------------------------------------------------------


def export(db: Path, tmp_path: Path, name: str, *extra: str) -> Path:
    out = tmp_path / name
    assert main(["events", "--db", str(db), "-o", str(out), *extra]) == 0
    return out


def test_acled_csv_reads_the_same_with_csv_and_pandas(db: Path, tmp_path: Path) -> None:
    import pandas as pd  # pinned with the test dependencies

    out = export(db, tmp_path, "events.csv")
    with open(out, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == ACLED_COLUMNS + SITREP_COLUMNS + RECORD_COLUMNS
        rows = list(reader)
    assert len(rows) == 5
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert frame.to_dict("records") == rows
    typed = pd.read_csv(out)  # as an ACLED script would read it
    assert list(typed.columns[: len(ACLED_COLUMNS)]) == ACLED_COLUMNS
    assert typed["fatalities"].tolist() == [int(r["fatalities"]) for r in rows]
    assert typed["latitude"].tolist() == pytest.approx([float(r["latitude"]) for r in rows])
    assert all("," in r["notes"] for r in rows)  # quoted cells read back the same
    jaffar = next(r for r in rows if "Jaffar" in r["evidence"] or r["admin1"] == "Balochistan")
    assert jaffar["source"].split("; ")[0] == "Voice of America"
    assert jaffar["event_id_cnty"].startswith("PAK") and jaffar["iso"] == "586"
    assert jaffar["fatalities"] == "25" and jaffar["source_count"] == "5"


def test_parquet_validates_and_matches_the_csv(db: Path, tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = export(db, tmp_path, "events.parquet")
    meta = pq.ParquetFile(out).metadata
    assert meta.num_rows == 5
    table = pq.read_table(out)
    types = {f.name: f.type for f in table.schema}
    assert types["event_date"] == pa.date32() and types["fatalities"] == pa.int64()
    assert types["latitude"] == pa.float64() and types["notes"] == pa.string()
    assert table.column_names == ACLED_COLUMNS + SITREP_COLUMNS + RECORD_COLUMNS
    csv_out = export(db, tmp_path, "events.csv")
    with open(csv_out, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    got = table.to_pylist()
    for want, row in zip(rows, got, strict=True):
        assert row["event_id_cnty"] == want["event_id_cnty"]
        assert row["event_date"].isoformat() == want["event_date"]
        assert row["fatalities"] == int(want["fatalities"])
        assert row["source"] == want["source"] and row["status"] == want["status"]


def check_geojson(doc: object) -> None:
    """RFC 7946: a FeatureCollection of Features whose geometry is null or a Point [lon, lat]."""
    assert isinstance(doc, dict) and doc.get("type") == "FeatureCollection"
    assert isinstance(doc.get("features"), list)
    for feature in doc["features"]:
        assert isinstance(feature, dict) and feature.get("type") == "Feature"
        assert isinstance(feature.get("properties"), dict | None)
        geometry = feature.get("geometry", "missing")
        if geometry is None:
            continue
        assert isinstance(geometry, dict) and geometry.get("type") == "Point"
        coords = geometry.get("coordinates")
        assert isinstance(coords, list) and len(coords) in (2, 3)
        assert all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
        assert -180 <= coords[0] <= 180 and -90 <= coords[1] <= 90


def test_geojson_validates(db: Path, tmp_path: Path) -> None:
    out = export(db, tmp_path, "events.geojson")
    doc = json.loads(out.read_text(encoding="utf-8"))
    check_geojson(doc)
    assert len(doc["features"]) == 5
    kabul = next(f for f in doc["features"] if f["properties"]["location"] == "Kabul")
    assert kabul["geometry"]["coordinates"] == [69.17233, 34.52813]  # longitude first
    assert kabul["properties"]["source_count"] == 3 and kabul["properties"]["status"] == "confirmed"


PLOVER_CATEGORIES = {
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "DEMAND",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
}
PLOVER_MODES = {  # the manual's mode tables (draft 0.7b1)
    "ASSAULT": {
        "abduct",
        "beat",
        "torture",
        "execute",
        "sexual",
        "assassinate",
        "destroy",
        "primitive",
        "firearms",
        "explosives",
        "suicide-attack",
        "heavy-weapons",
    },
    "PROTEST": {"demo", "riot", "strike-gen", "strike-lim", "strike-hun", "boycott", "obstruct"},
    "COERCE": {
        "confiscate",
        "restrict",
        "ban",
        "censor",
        "curfew",
        "martial-law",
        "arrest",
        "deport",
        "withhold",
    },
    "MOBILIZE": {"troops", "weapons", "police"},
    "RETREAT": {"withdraw", "release", "return", "disarm", "ceasefire", "access", "resign"},
    "AGREE": set(),
}


def test_plover_table_maps_every_acled_sub_type() -> None:
    table = plover_mapping()["sub_event_types"]
    assert set(table) == set(taxonomy.sub_event_types())
    for sub, spec in table.items():
        if spec["event"] is None:
            assert sub == "Other"
            continue
        assert spec["event"] in PLOVER_CATEGORIES, sub
        assert spec["mode"] is None or spec["mode"] in PLOVER_MODES[spec["event"]], sub


def test_plover_export(db: Path, tmp_path: Path) -> None:
    out = export(db, tmp_path, "events.plover.jsonl", "-f", "plover")
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 5
    for rec in lines:
        assert {"id", "date", "event", "mode", "context", "actor", "recipient", "source"} <= set(
            rec
        )
        assert set(rec["event"]) <= PLOVER_CATEGORIES and rec["has_event"] == bool(rec["event"])
        assert all(
            {"code", "sector", "actor_text"} <= set(a) for a in rec["actor"] + rec["recipient"]
        )
    strike = next(r for r in lines if r["acled_sub_event_type"] == "Air/drone strike")
    assert (
        strike["event"] == ["ASSAULT"]
        and strike["mode"] == ["heavy-weapons"]
        and strike["quad_code"] == 4
    )
    assert strike["actor"][0] == {
        "code": "SOM",
        "sector": "MIL",
        "actor_text": "Military Forces of Somalia",
    }
    assert strike["recipient"][0]["actor_text"] == "Al Shabaab" and strike["dead"] == 40
    protest = next(r for r in lines if r["acled_sub_event_type"] == "Peaceful protest")
    assert protest["event"] == ["PROTEST"] and protest["actor"][0]["sector"] == "CVL"


# -- the command line --------------------------------------------------------------------------


def test_cli_events_stats_rebuild(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    assert main(["events", "--db", str(copy), "-f", "jsonl", "--country", "Afghanistan"]) == 0
    [line] = capsys.readouterr().out.splitlines()
    rec = json.loads(line)
    assert rec["source_count"] == 3 and rec["fatalities"] == 30 and rec["location"] == "Kabul"
    assert main(["events", "--db", str(copy), "-f", "csv", "--limit", "2"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 3 and "showing 2 of 5" in captured.err
    assert main(["events", "--db", str(copy), "--type", "Battle"]) == 2
    assert "unknown event type" in capsys.readouterr().err
    assert main(["stats", "--db", str(copy)]) == 0
    out = capsys.readouterr().out
    assert "5 events" in out and "2025-03-10" in out
    assert main(["stats", "--db", str(copy), "-f", "json", "--by", "day"]) == 0
    assert json.loads(capsys.readouterr().out)["stats"]["events"] == 5
    assert main(["rebuild", "--db", str(copy)]) == 0
    assert "-> 5 events" in capsys.readouterr().err
    monkeypatch.setenv("SITREP_DB", str(copy))
    assert main(["events", "-f", "jsonl", "--min-sources", "5"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_cli_ingest_stores_and_reports_bad_inputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.jsonl"
    lines = (
        (Path(__file__).parent / "fixtures" / "fusion" / "articles.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    good.write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    db = tmp_path / "cli.db"
    jobs = ["--jobs", "1"] if importlib.util.find_spec("sitrep.runner") else []
    assert main(["ingest", "--db", str(db), str(good), str(missing), *jobs]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len([e for e in err if "missing.txt" in e]) == 1
    with Store.open(db, readonly=True) as store:
        first = store.stats()
        assert first.articles == 3 and first.events > 0 and store.check() == []
    assert main(["ingest", "--db", str(db), str(good), *jobs]) == 0
    assert re.search(r"\b3 already stored", capsys.readouterr().err)
    with Store.open(db, readonly=True) as store:
        assert store.stats() == first


def test_evidence_offsets_survive_the_round_trip(tmp_path: Path) -> None:
    text = "Shelling hit Kharkiv overnight. Two people were killed, officials said."
    e = ev(
        "k1",
        0,
        evidence=[
            Evidence("Shelling hit Kharkiv overnight.", 0, 31),
            Evidence("Two people were killed", 32, 54, "fatalities"),
        ],
        attribution=Attribution(status="reported", reported_by=["officials"]),
        weapons=["artillery"],
    )
    with Store.open(tmp_path / "rt.db") as store:
        store.add_article(Article(id="k1", text=text), [e])
        [m] = store.mentions(store.events()[0].event_id)
    assert (
        m.evidence == e.evidence and m.attribution == e.attribution and m.weapons == ["artillery"]
    )
    assert (m.latitude, m.event_date, m.fatalities) == (e.latitude, e.event_date, e.fatalities)


def test_check_names_each_broken_invariant(tmp_path: Path) -> None:
    from seeding import seed_synthetic

    path = tmp_path / "broken.db"
    with Store.open(path) as store:
        seed_synthetic(store, 5)
        assert store.check() == []
    cx = sqlite3.connect(path)
    cx.execute("UPDATE events SET mention_count = 7 WHERE id = 1")
    cx.execute("UPDATE mentions SET event_id = NULL WHERE id = 2")
    cx.commit()
    cx.close()
    with Store.open(path, readonly=True) as store:
        problems = store.check()
    assert "1 mentions belong to no event" in problems
    assert any(p.endswith("events whose mention_count is stale") for p in problems)
