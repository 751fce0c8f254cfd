"""Loading stored mentions with their evidence and articles: the queries that fusion (re-deriving
an event) and reads (showing one) share.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sitrep.models import Event, Evidence
from sitrep.store import rows
from sitrep.store.connection import StoreConnection

_MENTION_SELECT = """
    SELECT m.*, a.article_key, a.url, a.published, s.name AS source
    FROM mentions m JOIN articles a ON a.id = m.article_id JOIN sources s ON s.id = a.source_id
"""
_ARTICLE_SELECT = """
    SELECT a.id, a.article_key, a.url, a.title, a.published, a.wire, a.signature, s.name AS source
    FROM articles a JOIN sources s ON s.id = a.source_id
"""


class StoreMentions(StoreConnection):
    """The stored mentions of an article or an event, decoded back into ``Event``."""

    def _mentions_of(
        self, cx: sqlite3.Connection, condition: str, params: list[Any]
    ) -> list[tuple[int, Event]]:
        found = cx.execute(f"{_MENTION_SELECT} WHERE {condition} ORDER BY m.id", params).fetchall()
        evidence = _evidence_for(cx, [r["id"] for r in found])
        return [(r["id"], rows.mention_from_row(r, evidence.get(r["id"], []))) for r in found]

    def _mentions_with_articles(
        self, cx: sqlite3.Connection, event_id: int
    ) -> list[tuple[int, Event, int, float | None, int | None]]:
        """(mention id, mention, article id, fusion score, place id) of each mention of an event."""
        found = cx.execute(
            f"{_MENTION_SELECT} WHERE m.event_id = ? ORDER BY m.id", (event_id,)
        ).fetchall()
        evidence = _evidence_for(cx, [r["id"] for r in found])
        return [
            (
                r["id"],
                rows.mention_from_row(r, evidence.get(r["id"], [])),
                r["article_id"],
                r["match_score"],
                r["place_id"],
            )
            for r in found
        ]


def _evidence_for(cx: sqlite3.Connection, mention_ids: list[int]) -> dict[int, list[Evidence]]:
    out: dict[int, list[Evidence]] = {}
    for i in range(0, len(mention_ids), 500):
        chunk = mention_ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        for r in cx.execute(
            f"SELECT mention_id, field, text, char_start, char_end FROM evidence"
            f" WHERE mention_id IN ({marks}) ORDER BY id",
            chunk,
        ):
            out.setdefault(r[0], []).append(Evidence(text=r[2], start=r[3], end=r[4], field=r[1]))
    return out
