"""The attribution lexicon: the words of ``data/attribution.json`` read by the quote and claim modules.

Reporting, claim, denial, blame and suspicion verbs; source, role and person nouns; pronouns;
hedge patterns and forecast phrases. The file is read once; word lists become frozensets, hedges
and forecast phrases compiled regular expressions.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

from sitrep.resources import data_text


@cache
def lexicon() -> dict[str, Any]:
    """The attribution lexicon (``data/attribution.json``); word lists become frozensets."""
    text = data_text("attribution.json")
    raw: dict[str, Any] = json.loads(text)
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = frozenset(v.lower() for v in value)
        else:
            out[key] = value
    phrases = "|".join(p.replace(" ", r"\s+") for p in raw["forecast_phrases"])
    out["forecast_rx"] = re.compile(r"\b(?:" + phrases + r")\b", re.IGNORECASE)
    out["hedges"] = [
        (
            h["phrase"],
            re.compile(h["pattern"], re.IGNORECASE),
            h["implies"],
            h.get("as_written", False),
        )
        for h in raw["hedges"]
    ]
    return out
