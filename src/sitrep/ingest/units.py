"""Splitting scraped text into units: whitespace normalised, hard-wrapped paragraphs re-joined,
and the space between sentences that scraping lost put back.
"""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_SENTENCE_END = re.compile(r"[.!?\u2026][" + re.escape(_CLOSERS) + r"]*$")
_GLUED = re.compile(r"(?<=[a-z0-9])([.!?])(?=[A-Z][a-z])")

# Hard-wrapped text: most lines that continue in the same block come close to the wrap width.
WRAP_MAX_WIDTH = 100
WRAP_NEAR_WIDTH = 0.6
WRAP_SHARE = 0.8


def normalise_line(line: str) -> str:
    """One line with invisible characters dropped and runs of blanks made one space."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", line)).strip()


def repair_glued_sentences(text: str) -> str:
    """Put back the space scraping lost between sentences: "Ukraine.Reports" -> "Ukraine. Reports".

    Only a lower-case letter or digit, then ``.``/``!``/``?``, then a capitalised word counts, so
    "U.S.", decimals and web addresses are left alone.
    """

    def fix(m: re.Match[str]) -> str:
        start = text.rfind(" ", 0, m.start()) + 1
        end = text.find(" ", m.end())
        token = text[start : end if end >= 0 else len(text)]
        if "/" in token or "@" in token or "www." in token.lower():
            return m.group(0)
        return m.group(1) + " "

    return _GLUED.sub(fix, text)


def _ends_sentence(line: str) -> bool:
    return bool(_SENTENCE_END.search(line))


def _hard_wrapped(blocks: list[list[str]]) -> bool:
    """True when the text was wrapped at a fixed width (paragraph lines broken mid-sentence)."""
    inner = [line for block in blocks for line in block[:-1]]
    if len(inner) < 3:
        return False
    width = max(len(line) for block in blocks for line in block)
    if width > WRAP_MAX_WIDTH:
        return False
    near = sum(1 for line in inner if len(line) >= WRAP_NEAR_WIDTH * width)
    ending = sum(1 for line in inner if _ends_sentence(line))
    return near >= WRAP_SHARE * len(inner) and ending <= 0.5 * len(inner)


def _join(left: str, right: str) -> str:
    if left.endswith("-") and not left.endswith(" -") and right[:1].islower():
        return left + right
    return f"{left} {right}"


def _units(raw: str, unwrap: bool) -> list[str]:
    """Split raw text into units: paragraphs or stand-alone lines, whitespace normalised."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = normalise_line(line)
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    if not blocks:
        return []
    wrapped = unwrap and _hard_wrapped(blocks)
    width = max(len(line) for block in blocks for line in block)
    units: list[str] = []
    for block in blocks:
        current = block[0]
        for prev, line in zip(block, block[1:], strict=False):
            if wrapped:
                joins = len(prev) >= WRAP_NEAR_WIDTH * width
            else:
                joins = unwrap and not _ends_sentence(prev) and line[:1].islower()
            if joins:
                current = _join(current, line)
            else:
                units.append(current)
                current = line
        units.append(current)
    return units
