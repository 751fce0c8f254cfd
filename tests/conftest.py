"""Shared fixtures: paths to the examples and the shared corpus, VOA stories by id, one spaCy pipeline, one Extractor."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "seed-article.txt"
_VOA_CANDIDATES = [
    REPO.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl",
    Path("/work/shared/corpus/voa/voa_stories.jsonl"),
]
# may be absent: tests that read it skip unless VOA.exists()
VOA = next((p for p in _VOA_CANDIDATES if p.exists()), _VOA_CANDIDATES[0])


def shared_dir() -> Path:
    """``../shared`` beside the checkout (CI lays a copy there), else the workplace's copy."""
    for cand in (REPO.parent / "shared", Path("/work/shared")):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("the shared corpus folder is missing")


@pytest.fixture(scope="session")
def extractor():  # type: ignore[no-untyped-def]
    """One Extractor (spaCy pipeline and gazetteer) for the whole session."""
    from sitrep.pipeline import Extractor

    return Extractor.load()


@pytest.fixture(scope="session")
def nlp() -> Any:
    """The spaCy pipeline the extractor uses, loaded once for the session."""
    from sitrep.pipeline.nlp import load_model

    return load_model()


@cache
def voa_text(story_id: str) -> str:
    """The text of one VOA story, by its id."""
    for line in VOA.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        if story["id"] == story_id:
            return str(story["text"])
    raise LookupError(story_id)


def voa_sentence(story_id: str, opening: str) -> tuple[str, int, int]:
    """A VOA story's text and the span of the sentence that begins with ``opening``."""
    text = voa_text(story_id)
    start = text.index(opening)
    end = text.find(". ", start) + 1 or len(text)
    return text, start, end
