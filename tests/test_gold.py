"""The extractor over the VOA gold (89 hand-annotated public-domain stories, two annotators), scored
by ``bench/score.py``: strict event F1 may not drop more than the tolerance below the figures
recorded in ``bench/floors.json``. Only aggregate figures are compared or shown; the held-aside
stories are never printed one by one."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest
from conftest import REPO, shared_dir

sys.path.insert(0, str(REPO / "bench"))
import score  # noqa: E402  (bench/ is not a package)

FLOORS = json.loads((REPO / "bench" / "floors.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scores(extractor: Any) -> dict[str, Any]:
    notes = score.Notes()
    stories_file = shared_dir() / "corpus" / "voa" / "voa_stories.jsonl"
    records = {str(r["id"]): r for r in score.read_jsonl(stories_file)}
    gold = score.load_gold(score.gold_paths(None), notes)
    stories = score.build_stories(gold, records, notes)
    score.attach_extractor(stories, records, None, notes, extractor=extractor)
    result: dict[str, Any] = score.score(stories)
    return result


@pytest.mark.parametrize("split", ["heldout", "dev"])
def test_strict_event_f1_holds_its_floor(scores: dict[str, Any], split: str) -> None:
    floor = FLOORS["voa_gold"][f"{split}_all_strict_f1"] - FLOORS["tolerance"]
    f1 = scores[split]["all_strict"]["f1"] or 0.0
    assert f1 >= floor, f"{split} strict event F1 {f1:.3f} is below the floor {floor:.3f}"


def test_every_gold_story_was_scored(scores: dict[str, Any]) -> None:
    assert scores["all"]["all_strict"]["gold"] == 72
