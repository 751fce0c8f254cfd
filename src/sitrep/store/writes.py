"""Writing the event database: storing an article and its mentions, and fusing each mention into
the event it reports (a new one when none matches), or re-deriving every event from the mentions.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sitrep.models import Article, Event
from sitrep.store import derive, fusion, rows, schema
from sitrep.store.mentions import _ARTICLE_SELECT, StoreMentions

_SKETCH_COLUMNS = ", ".join(
    f"e.{c}"
    for c in (
        "id",
        "event_type",
        "sub_event_type",
        "event_date",
        "time_precision",
        "last_reported",
        "iso3",
        "admin1",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "actor1",
        "actor2",
        "assoc_actor_1",
        "assoc_actor_2",
        "terms",
    )
)


@dataclass(frozen=True)
class AddResult:
    """What ``Store.add_article`` did with one article."""

    article_id: int  # the stored article's row id (the existing one for a duplicate)
    added: bool  # False when the same URL or the same text was already stored: nothing changed
    duplicate: str | None = None  # "url" or "text" for a duplicate
    mentions: int = 0
    new_events: int = 0
    updated_events: int = 0


@dataclass(frozen=True)
class RebuildResult:
    """What ``Store.rebuild`` re-derived."""

    mentions: int
    events: int


class StoreWrites(StoreMentions):
    """Adding articles and fusing their mentions into events, each article in one transaction."""

    def find_article(self, article: Article) -> tuple[int, str] | None:
        """The row id of an article already stored with the same URL or text, and which matched."""
        url = rows.normal_url(article.url)
        sha = rows.text_sha256(article.text)
        with self._read("looking up an article") as cx:
            return _find_article(cx, url, sha)

    def add_article(self, article: Article, events: Sequence[Event]) -> AddResult:
        """Store an article, its mentions and their fusion into events, in one transaction.

        An article already stored (same URL, or same cleaned text) changes nothing.
        """
        url = rows.normal_url(article.url)
        sha = rows.text_sha256(article.text)
        signature = derive.text_signature(article.text)
        wire = derive.wire_credits(article)
        with self._write(f"storing article {article.id}") as cx:
            found = _find_article(cx, url, sha)
            if found:
                return AddResult(article_id=found[0], added=False, duplicate=found[1])
            source = rows.source_name(article)
            source_id = self._source_id(
                cx, source, rows.host(article.url), bool(derive.agencies_in(source))
            )
            row = rows.article_row(article, sha, url, source_id)
            row.update(
                wire=rows.dumps(wire),
                signature=signature,
                ingested_at=schema.now(),
                mention_count=len(events),
            )
            art_id = _insert(cx, "articles", row)
            touched: dict[int, bool] = {}
            for ev in events:
                mention_id = self._insert_mention(cx, art_id, ev)
                event_id, created = self._fuse(cx, art_id, article.id, sha, mention_id, ev, touched)
                touched[event_id] = touched.get(event_id, False) or created
        new = sum(1 for created in touched.values() if created)
        return AddResult(
            article_id=art_id,
            added=True,
            mentions=len(events),
            new_events=new,
            updated_events=len(touched) - new,
        )

    def rebuild(self) -> RebuildResult:
        """Re-derive every event from the stored mentions, in ingest order, in one transaction."""
        with self._write("rebuilding the events") as cx:
            cx.execute("DELETE FROM event_blocks")
            cx.execute("DELETE FROM events_fts")
            cx.execute("UPDATE mentions SET event_id = NULL, match_score = NULL")
            cx.execute("DELETE FROM events")
            arts = cx.execute(
                "SELECT id, article_key, text_sha256 FROM articles ORDER BY id"
            ).fetchall()
            n = 0
            for art in arts:
                touched: dict[int, bool] = {}
                for mention_id, ev in self._mentions_of(cx, "m.article_id = ?", [art["id"]]):
                    event_id, created = self._fuse(
                        cx,
                        art["id"],
                        art["article_key"],
                        art["text_sha256"],
                        mention_id,
                        ev,
                        touched,
                    )
                    touched[event_id] = touched.get(event_id, False) or created
                    n += 1
            events = cx.execute("SELECT count(*) FROM events").fetchone()[0]
        return RebuildResult(mentions=n, events=events)

    def candidates(self, ev: Event, article_key: str = "") -> list[str]:
        """Keys of the stored events fusion would compare ``ev`` with (its blocking candidates)."""
        sketch = fusion.sketch_mention(ev, article_key or ev.article_id)
        with self._read("finding candidates") as cx:
            found = self._candidates(cx, sketch, article_key, {})
            keys = [
                cx.execute("SELECT event_key FROM events WHERE id = ?", (c.event_id,)).fetchone()[0]
                for c in found
            ]
        return keys

    def _source_id(
        self, cx: sqlite3.Connection, name: str, domain: str | None, is_wire: bool
    ) -> int:
        cx.execute(
            "INSERT OR IGNORE INTO sources (name, domain, is_wire) VALUES (?, ?, ?)",
            (name, domain, int(is_wire)),
        )
        return int(cx.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()[0])

    def _place_id(self, cx: sqlite3.Connection, ev: Event) -> int | None:
        key = rows.place_key(ev)
        if key is None:
            return None
        cx.execute(
            "INSERT OR IGNORE INTO places (place_key, name, country, iso3, admin1, admin2, latitude, longitude)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                key,
                ev.location,
                ev.country,
                ev.iso3,
                ev.admin1,
                ev.admin2,
                ev.latitude,
                ev.longitude,
            ),
        )
        return int(cx.execute("SELECT id FROM places WHERE place_key = ?", (key,)).fetchone()[0])

    def _insert_mention(self, cx: sqlite3.Connection, art_id: int, ev: Event) -> int:
        row = rows.mention_row(ev)
        row.update(article_id=art_id, place_id=self._place_id(cx, ev))
        mention_id = _insert(cx, "mentions", row)
        cx.executemany(
            "INSERT INTO evidence (mention_id, field, text, char_start, char_end) VALUES (?, ?, ?, ?, ?)",
            [(mention_id, e.field, e.text, e.start, e.end) for e in ev.evidence],
        )
        return mention_id

    def _fuse(
        self,
        cx: sqlite3.Connection,
        art_id: int,
        article_key: str,
        sha: str,
        mention_id: int,
        ev: Event,
        touched: dict[int, bool],
    ) -> tuple[int, bool]:
        """Attach one mention to the event it reports (a new one if none matches); refresh that event."""
        sketch = fusion.sketch_mention(ev, article_key)
        match = fusion.best_match(sketch, self._candidates(cx, sketch, article_key, touched))
        if match is not None:
            event_id, created = match.event_id, False
        else:
            key = "E" + hashlib.sha1(f"{sha}:{ev.event_id}".encode()).hexdigest()[:15]
            event_id = _insert(
                cx,
                "events",
                {
                    "event_key": key,
                    "event_type": ev.event_type,
                    "sub_event_type": ev.sub_event_type,
                    "status": "reported",
                    "updated_at": schema.now(),
                },
            )
            created = True
        cx.execute(
            "UPDATE mentions SET event_id = ?, match_score = ? WHERE id = ?",
            (event_id, match.score if match else None, mention_id),
        )
        self._refresh(cx, event_id)
        return event_id, created

    def _candidates(
        self,
        cx: sqlite3.Connection,
        sketch: fusion.Sketch,
        article_key: str,
        touched: dict[int, bool],
    ) -> list[fusion.Sketch]:
        """Stored events filed under the mention's blocking keys with a date window near its own."""
        keys = fusion.search_keys(sketch)
        lo, hi, min_to = fusion.search_window(sketch)
        marks = ", ".join("?" * len(keys))
        found = cx.execute(
            f"SELECT DISTINCT {_SKETCH_COLUMNS} FROM event_blocks b JOIN events e ON e.id = b.event_id"
            f" WHERE b.key IN ({marks}) AND b.day_from BETWEEN ? AND ? AND b.day_to >= ?",
            [*keys, lo, hi, min_to],
        ).fetchall()
        return [
            rows.event_sketch(
                row, frozenset({article_key}) if row["id"] in touched else frozenset()
            )
            for row in found
        ]

    def _refresh(self, cx: sqlite3.Connection, event_id: int) -> None:
        """Re-derive one event's row, blocking keys and search text from all its mentions."""
        found = self._mentions_with_articles(cx, event_id)
        mentions = [
            derive.StoredMention(id=mid, article_id=art_id, event=ev, score=score)
            for mid, ev, art_id, score, _ in found
        ]
        place_ids = {mid: place_id for mid, _, _, _, place_id in found}
        art_ids = sorted({m.article_id for m in mentions})
        marks = ", ".join("?" * len(art_ids))
        articles = {
            r["id"]: rows.stored_article(r)
            for r in cx.execute(f"{_ARTICLE_SELECT} WHERE a.id IN ({marks})", art_ids)
        }
        key = cx.execute("SELECT event_key FROM events WHERE id = ?", (event_id,)).fetchone()[0]
        merged = derive.merge(key, mentions, articles)
        record = merged.record
        row = rows.event_row(record)
        row.update(
            place_id=place_ids[merged.representative],
            representative_mention_id=merged.representative,
            terms=rows.dumps(merged.terms),
            updated_at=schema.now(),
        )
        sets = ", ".join(f"{k} = ?" for k in row)
        cx.execute(f"UPDATE events SET {sets} WHERE id = ?", [*row.values(), event_id])
        cx.execute("DELETE FROM event_blocks WHERE event_id = ?", (event_id,))
        assert merged.sketch is not None
        cx.executemany(
            "INSERT INTO event_blocks (event_id, key, day_from, day_to) VALUES (?, ?, ?, ?)",
            [
                (event_id, k, merged.window[0], merged.window[1])
                for k in fusion.index_keys(merged.sketch)
            ],
        )
        cx.execute("DELETE FROM events_fts WHERE rowid = ?", (event_id,))
        actors = "; ".join(
            a
            for a in (record.actor1, record.actor2, record.assoc_actor_1, record.assoc_actor_2)
            if a
        )
        place = ", ".join(
            x for x in (record.location, record.admin2, record.admin1, record.country) if x
        )
        evidence = " ".join(
            e.text for r in record.reports for e in r.evidence if e.field == "event"
        )
        cx.execute(
            "INSERT INTO events_fts (rowid, location, actors, notes, evidence) VALUES (?, ?, ?, ?, ?)",
            (event_id, place, actors, record.notes, evidence),
        )


def _insert(cx: sqlite3.Connection, table: str, row: dict[str, Any]) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" * len(row))
    cur = cx.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values()))
    assert cur.lastrowid is not None
    return int(cur.lastrowid)


def _find_article(cx: sqlite3.Connection, url: str | None, sha: str) -> tuple[int, str] | None:
    row = cx.execute("SELECT id FROM articles WHERE text_sha256 = ?", (sha,)).fetchone()
    if row:
        return int(row[0]), "text"
    if url:
        row = cx.execute("SELECT id FROM articles WHERE url = ?", (url,)).fetchone()
        if row:
            return int(row[0]), "url"
    return None
