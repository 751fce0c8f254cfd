"""Shared fixtures: paths to the repository's examples and the shared corpus, and one loaded Extractor."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "examples" / "seed-article.txt"


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
