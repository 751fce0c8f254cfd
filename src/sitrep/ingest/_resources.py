"""Loading of the packaged data files the ingest layer reads (``sitrep/data/*.json``)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any


@cache
def load_json(name: str) -> dict[str, Any]:
    """The parsed contents of ``sitrep/data/<name>``, read once per process."""
    text = resources.files("sitrep").joinpath("data", name).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
