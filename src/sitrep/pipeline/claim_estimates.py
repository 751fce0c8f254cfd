"""Estimative language: how sure a text is, read against the PHIA and ICD 203 yardsticks.

Phrases such as "highly likely" or "almost certainly" are found with the patterns of
``data/yardstick.json``, negations ("not likely", "probably not") read as the yardstick's
opposite term; ``estimate`` gives the first phrase and its probability range, and
``yardstick_for`` the yardstick (UK "phia" or US "icd") to read a source's words with.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from sitrep.resources import data_text


@dataclass(frozen=True)
class _Term:
    yardstick: str
    term: str
    range: tuple[float, float]
    negated: str | None


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    phrase: str
    term: _Term
    negated: bool = False


@cache
def _yardsticks() -> dict[str, Any]:
    text = data_text("yardstick.json")
    raw: dict[str, Any] = json.loads(text)
    terms: dict[str, dict[str, _Term]] = {}
    patterns: list[tuple[re.Pattern[str], _Term]] = []
    for name, ys in raw["yardsticks"].items():
        terms[name] = {}
        for t in ys["terms"]:
            term = _Term(
                name, t["term"], (float(t["range"][0]), float(t["range"][1])), t["negated"]
            )
            terms[name][t["term"]] = term
            for pat in t["patterns"]:
                rx = re.compile(r"(?<![\w-])" + pat.replace(" ", r"\s+") + r"(?![\w-])", re.I)
                patterns.append((rx, term))
    sources = {
        name: re.compile(r"(?<![\w.])(?:" + "|".join(pats) + r")(?![\w])")
        for name, pats in raw["sources"].items()
    }
    words = [w for w in raw["negators_before"] if not w.endswith("n't")]
    before = "|".join(re.escape(w) for w in words)
    return {
        "default": raw["default"],
        "terms": terms,
        "patterns": patterns,
        "sources": sources,
        "neg_before": re.compile(
            r"(?:\b(?:" + before + r")|\b\w*n't)\s+(?:(?:very|particularly|especially|terribly|all"
            r"|that|too|so|at\s+all)\s+)?$",
            re.I,
        ),
        "neg_after": re.compile(
            r"^\s+(?:" + "|".join(re.escape(w) for w in raw["negators_after"]) + r")\b", re.I
        ),
        "comparative": re.compile(
            r"\b(?:" + "|".join(re.escape(w) for w in raw["comparatives"]) + r")\s+$", re.I
        ),
    }


def yardstick_for(*sources: str | None) -> str:
    """The yardstick to read a source's words with: "phia" for UK sources, "icd" for US, else the default."""
    ys = _yardsticks()
    for src in sources:
        if not src:
            continue
        for name, rx in ys["sources"].items():
            if rx.search(src):
                return str(name)
    return str(ys["default"])


def _estimates(text: str, yardstick: str | None = None) -> list[_Match]:
    """Every estimative phrase in ``text``, longest first at a position, preferred yardstick first."""
    ys = _yardsticks()
    prefer = yardstick if yardstick in ys["terms"] else ys["default"]
    found = [(m.start(), m.end(), term) for rx, term in ys["patterns"] for m in rx.finditer(text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0]), f[2].yardstick != prefer))
    out: list[_Match] = []
    last_end = -1
    for start, end, term in found:
        if start < last_end:
            continue
        before, after = text[:start], text[end:]
        if ys["comparative"].search(before):
            last_end = end
            continue
        nb, na = ys["neg_before"].search(before), ys["neg_after"].match(after)
        if nb or na:
            if term.negated is None:
                last_end = end
                continue
            opposite = ys["terms"][term.yardstick][term.negated]
            start = nb.start() if nb else start
            end = end + na.end() if na else end
            out.append(_Match(start, end, text[start:end], opposite, negated=True))
        else:
            out.append(_Match(start, end, text[start:end], term))
        last_end = end
    return out


def estimate(text: str, yardstick: str | None = None) -> tuple[str, list[float]] | None:
    """The first estimative phrase in ``text`` (as written) and its probability range [lo, hi] in 0..1.

    ``yardstick`` is "phia" (the default) or "icd"; a term only the other yardstick defines is read
    with that one. "not likely" and "probably not" read as the yardstick's "unlikely".
    """
    matches = _estimates(text, yardstick)
    if not matches:
        return None
    m = matches[0]
    return m.phrase, [m.term.range[0], m.term.range[1]]
