"""Find place names in text: spaCy's place entities plus gazetteer matches, with their qualifiers.

A qualifier says how the text relates to the place: ``near`` ("near X", "outside X"),
``distance`` ("30 km south of X"), ``region`` ("the X region", "X Oblast", "X County") or ``base``
("the X air base", "X-2 airfield"). The patterns live in ``data/geo/patterns.json``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sitrep.geo.containers import UnitReader, _dedupe
from sitrep.geo.gazetteer import Candidate, Gazetteer
from sitrep.geo.lexicon import (
    _CONTRACTION,
    _DIRECTION_WORDS,
    _FEATURE_OF_AFTER,
    _LABEL_AFTER,
    _LOCATIVE_BEFORE,
    _NATURAL_AFTER,
    _NUMBER_SUFFIX,
    _PLACE_APPOSITION,
    _ROMAN,
    _UNIT_AFTER,
    _UNIT_BEFORE,
    _denied_spans,
    _ent_at,
    _inside,
    _known_without_direction,
    _patterns,
    _salient,
    _stray_acronym,
    _strip_possessive,
    _Token,
    _tokens,
)
from sitrep.geo.names import has_article, is_article, normalize
from sitrep.geo.toponyms import Toponym

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
OTHER_NAME_LABELS = frozenset(
    {"PERSON", "ORG", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "LANGUAGE", "NORP"}
)
NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})

_MAX_TOKENS = 6


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer at the default location, opened once per process (built on first use)."""
    return Gazetteer.open()


class _Finder:
    """One pass over one text."""

    def __init__(
        self, text: str, ents: Sequence[tuple[int, int, str]], gaz: Gazetteer, demonyms: bool
    ) -> None:
        self.text = text
        self.ents = [(int(s), int(e), str(label)) for s, e, label in ents]
        self.gaz = gaz
        self.demonyms = demonyms
        self.p = _patterns()
        self.tokens = _tokens(text, self.p.abbreviations)
        self.lower_words = {t.word.lower() for t in self.tokens if t.word.islower()}
        # surnames: last words of multi-word PERSON entities ("Ben Nelson ... Nelson said")
        self.surnames = {
            text[s:e].split()[-1]
            for s, e, label in self.ents
            if label == "PERSON" and len(text[s:e].split()) > 1
        }
        self._cache: dict[str, list[Candidate]] = {}
        self.units = UnitReader(text, self.p, self.lookup)

    def lookup(self, name: str) -> list[Candidate]:
        key = normalize(name)
        if key not in self._cache:
            found = self.gaz.lookup(name) if self.gaz.contains(name) else []
            if not found and has_article(name):  # "Salah al-Din": GeoNames' "Salah ad Din"
                found = self.gaz.lookup(name, fuzzy=True)
            elif not found:  # "Rylsky (district)": the unit GeoNames spells Ryl'skiy Rayon;
                # "Oromia": the region GeoNames spells Oromiya
                found = [
                    c
                    for c in self.gaz.lookup(name, fuzzy=True)
                    if c.feature_code in ("ADM1", "ADM2")
                ]
            self._cache[key] = found
        return self._cache[key]

    # candidate spans -------------------------------------------------------------------
    def gazetteer_spans(self) -> list[tuple[int, int, int, int]]:
        """(start, end, first token, last token) of capitalised runs that the gazetteer knows."""
        out = []
        toks = self.tokens
        i = 0
        while i < len(toks):
            if not toks[i].capitalised:
                i += 1
                continue
            found = None
            for j in range(min(len(toks), i + _MAX_TOKENS) - 1, i - 1, -1):
                if not self._run_ok(i, j):
                    continue
                surface = _strip_possessive(self.text[toks[i].start : toks[j].end])
                if (
                    self.gaz.contains(surface)
                    or (j > i and has_article(surface) and self.lookup(surface))
                    or (self._after_qualifier(toks[j].end, "district") and self.lookup(surface))
                    or self.gaz.spells_region(surface)
                    or (
                        i == j
                        and _NUMBER_SUFFIX.search(surface)
                        and self.gaz.contains(_NUMBER_SUFFIX.sub("", surface))
                    )
                ):
                    found = j
                    break
            if found is None:
                i += 1
                continue
            end = toks[i].start + len(_strip_possessive(self.text[toks[i].start : toks[found].end]))
            out.append((toks[i].start, end, i, found))
            i = found + 1
        return out

    def _run_ok(self, i: int, j: int) -> bool:
        toks = self.tokens
        if not (toks[j].capitalised or toks[j].articled):
            return False
        for k in range(i, j + 1):
            if k > i:
                gap = self.text[toks[k - 1].end : toks[k].start]
                if gap not in (" ", "-", "‐"):
                    return False
                if toks[k].initial:
                    return False
            if not (toks[k].capitalised or toks[k].articled or toks[k].word in self.p.connectors):
                return False
        return True

    def accept_gazetteer(self, start: int, end: int, i: int, j: int) -> bool:
        """Whether a gazetteer match not backed by a spaCy place entity is a place name here."""
        surface = self.text[start:end]
        cands = self.lookup(surface) or self.lookup(_NUMBER_SUFFIX.sub("", surface))
        kinds = {c.match for c in cands}
        if surface.lower() in self.p.common or (i == j and is_article(surface)):
            return False  # a common word, or a lone article ("Al Wade'a" is no Norwegian Ål)
        feature_of = _FEATURE_OF_AFTER.match(self.text, end)
        if _NATURAL_AFTER.match(self.text, end) or (
            feature_of
            and not feature_of.group(2)
            and not any(label in PLACE_LABELS for _s, _e, label in _ent_at(self.ents, start, end))
            and not any(c.feature_class == "A" for c in self.lookup(feature_of.group(1)))
        ):
            return False  # "the Boni forest", "the Cossack village of X": words about a place
        if kinds <= {"stem"} and not self._after_qualifier(end, "base"):
            return False
        if "demonym" in kinds and not self.demonyms:
            return False  # "Russian", "Brits": a nationality before it is a town
        if _stray_acronym(surface, cands):
            return False  # an acronym ("BLA", "NISA") matching a town's code or alternate name
        if kinds <= {"abbr"}:
            has_form = "." in surface or surface.isupper()
            if not (has_form and any(c.feature_class == "A" for c in cands)):
                return False
        salient = _salient(cands, self.p.salient_population)
        toks = self.tokens
        prev = toks[i - 1] if i > 0 else None
        if prev is not None and prev.word.rstrip(".").lower() in self.p.titles:
            return False
        qualified_end = self._qualified_end(end)
        qualified = (
            qualified_end > end
            or self._before_qualifier(start)
            or self._unit_follows(end)
            or self._locative(start, end)
            or self._alert_label(start, end)
            or self._unit_position(start, cands)
            or _PLACE_APPOSITION.match(self.text, end) is not None
        )
        inside_org = False
        for es, ee, label in _ent_at(self.ents, start, end):
            if label in NUMERIC_LABELS and (es, ee) != (start, end):
                return False  # (NER's date on a lone name, "exploded in Anah", is no date)
            if label in PLACE_LABELS and ee > end and self.text[end : end + 4] == " of ":
                return False  # "Line" in "the Line of Control": the head of a longer name
            if label in OTHER_NAME_LABELS:
                if label == "NORP" and "demonym" in kinds:
                    return self.demonyms
                if es >= start and ee <= qualified_end:
                    # NER often calls a small town an organisation; a person is a riskier guess
                    floor = self.p.org_population if label == "ORG" else self.p.salient_population
                    return qualified or _salient(cands, floor)
                # a place inside an organisation's name ("Dublin Police", "Ohio State University")
                if not (label == "ORG" and (salient or es == start) and "name" in kinds):
                    return False
                inside_org = True
        if qualified:
            return True
        if (
            prev is not None
            and prev.capitalised
            and not toks[i].initial
            and not inside_org
            and self.text[prev.end : start] == " "
            and not self._is_place_word(prev)
        ):
            return False
        nxt = toks[j + 1] if j + 1 < len(toks) else None
        if (
            nxt is not None
            and nxt.capitalised
            and self.text[end : nxt.start] == " "
            and not nxt.initial
            and not self._after_qualifier(end, None)
            and not salient
            and not inside_org
        ):
            return False
        if i == j:
            if _strip_possessive(toks[i].word) in self.surnames:
                return False
            if _ROMAN.match(toks[i].word) or (
                _CONTRACTION.search(toks[i].word) and toks[i].word[:1] == "I"
            ):
                return False
            word = _strip_possessive(toks[i].word).lower()
            if word in self.p.common or word in self.lower_words:
                return False
            if toks[i].initial and not salient:
                return False
        return True

    def _is_place_word(self, tok: _Token) -> bool:
        """A word that may stand before a place's name: a direction, or a region or big town
        (not a small town's name that is a person's or a firm's: "Ariel Henry", "Media Cell")."""
        w = tok.word.lower()
        return (
            w in _DIRECTION_WORDS
            or w == "new"
            or _salient(self.lookup(tok.word), self.p.salient_population)
        )

    def _qualified_end(self, end: int) -> int:
        tail = self.text[end : end + 40]
        for _q, _part, rx, _tail in self.p.after:
            m = rx.match(tail)
            if m:
                return end + m.end()
        return end

    def _locative(self, start: int, end: int) -> bool:
        """ "in X", "near X", "the village of X" (not "in X's"): X names where something is."""
        return _LOCATIVE_BEFORE.search(
            self.text, max(0, start - 40), start
        ) is not None and self.text[end : end + 2] not in ("'s", "’s")

    def _alert_label(self, start: int, end: int) -> bool:
        """ "Kribi: youths clash ...", "Labo, Camarines Norte: ...": an alert's leading place."""
        if self.text[:start].strip() and not self.text[:start].endswith("\n"):
            return False
        return _LABEL_AFTER.match(self.text, end) is not None

    def _unit_position(self, start: int, cands: list[Candidate]) -> bool:
        """ "San Miguel, Surigao del Sur": a region or district written right after a place, where
        the unit that holds it stands (NER calls many a province a person)."""
        return _UNIT_BEFORE.search(self.text, max(0, start - 60), start) is not None and any(
            c.feature_code in ("ADM1", "ADM2") and c.match in ("name", "alt") for c in cands
        )

    def _unit_follows(self, end: int) -> bool:
        """ "X, Donetsk oblast", "X (Bakhmut raion, ...)", "X, Kursk": a unit that holds X follows."""
        m = _UNIT_AFTER.match(self.text, end)
        if not m:
            return False
        unit, rest = m.group(1), self.text[m.end() : m.end() + 40]
        if any(rx.match(rest) and q in ("region", "district") for q, _n, rx, _t in self.p.after):
            return True
        cands = self.lookup(unit)
        if m.group(0).lstrip().startswith("(") and any(c.feature_class == "P" for c in cands):
            return True  # ACLED's "X (District, Region)" with the district named after its town
        return any(c.feature_class == "A" and c.match in ("name", "alt") for c in cands)

    def _before_qualifier(self, start: int) -> bool:
        head = self.text[max(0, start - 100) : start]
        return any(rx.search(head) for _q, rx in self.p.before)

    def _after_qualifier(self, end: int, qualifier: str | None) -> bool:
        tail = self.text[end : end + 40]
        return any(
            rx.match(tail) and (qualifier is None or q == qualifier)
            for q, _part, rx, _tail in self.p.after
        )

    # qualifiers --------------------------------------------------------------------
    def qualify(self, start: int, end: int, name: str) -> Toponym:
        """Attach the qualifier that the surrounding words give, widening the span over designators."""
        qualifier = None
        for q, name_part, _rx, tail_rx in self.p.after:
            m = tail_rx.search(name)
            if m and m.start() > 0:
                qualifier = q
                if not name_part:
                    name = name[: m.start()].strip()
                break
        if qualifier is None:
            tail = self.text[end : end + 40]
            for q, name_part, rx, _tail in self.p.after:
                m = rx.match(tail)
                if m:
                    qualifier = q
                    if name_part:
                        name = name + self.text[end : end + m.end()]
                    end += m.end()
                    break
        head = self.text[max(0, start - 100) : start]
        for q, rx in self.p.before:
            if rx.search(head):
                qualifier = q if qualifier in (None, "region") or q == "distance" else qualifier
                break
        if qualifier == "base":
            name = _NUMBER_SUFFIX.sub("", name)
        return Toponym(start, end, self.text[start:end], name, qualifier)

    def run(self) -> list[Toponym]:
        spans: list[tuple[int, int, int, str]] = []  # (start, end, priority, name)
        for es, ee, label in self.ents:
            if label not in PLACE_LABELS and not (self.demonyms and label == "NORP"):
                continue
            surface = self.text[es:ee]
            lead = re.match(r"(?i)the\s+", surface)
            if lead:
                es += lead.end()
                surface = self.text[es:ee]
            name = surface.rstrip(" ,")
            if (
                name.endswith(".")
                and "." not in name[:-1]
                and name.lower() not in self.p.abbreviations
            ):
                name = name[:-1]
            name = _strip_possessive(name)
            if name.islower() or not name or _NATURAL_AFTER.match(self.text, es + len(name)):
                continue  # "the east bank": no name; "the Seym river": a feature's name
            cands = self.lookup(name)
            if not cands and label in PLACE_LABELS and len(normalize(name).split()) > 1:
                # a place NER found under another transliteration ("Bur Hakaba": Buurhakaba)
                cands = self.gaz.lookup(name, fuzzy=True)
            if not cands and not _known_without_direction(self.gaz, name):
                continue
            if _stray_acronym(name, cands):
                continue  # NER's "GPE" on an acronym ("BLA", "NISA") matching a town's code
            if not self.demonyms and any(c.match == "demonym" for c in cands):
                continue
            if name in self.surnames and not _salient(cands, 10 * self.p.salient_population):
                continue
            if label == "NORP" and not any(c.match == "demonym" for c in self.lookup(name)):
                continue
            spans.append((es, es + len(name), 2, name))
        for start, end, i, j in self.gazetteer_spans():
            if self.accept_gazetteer(start, end, i, j):
                spans.append((start, end, 1, self.text[start:end]))
        chosen: list[tuple[int, int, int, str]] = []
        for span in sorted(spans, key=lambda s: (-(s[1] - s[0]), -s[2], s[0])):
            if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
                chosen.append(span)
        chosen.sort()
        toponyms = [self.qualify(s, e, name) for s, e, _p, name in chosen]
        return self.units.attach(self.units.bracket_regions(_dedupe(toponyms)))


def find_toponyms(
    text: str,
    ents: Sequence[tuple[int, int, str]] = (),
    *,
    gazetteer: Gazetteer | None = None,
    demonyms: bool = False,
) -> list[Toponym]:
    """Place names in ``text``; ``ents`` are optional spaCy (start, end, label) character spans.

    ``demonyms=True`` also returns nationality words ("Russian", "Americans") as toponyms of
    their country, as the LGL corpus annotates them.
    """
    if not text:
        return []
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    denied = _denied_spans(text)  # "(not Wamba in Nasarawa)": places the text does not mean
    return [t for t in _Finder(text, ents, gaz, demonyms).run() if not _inside(t.start, denied)]


def spacy_ents(doc: Any) -> list[tuple[int, int, str]]:
    """(start_char, end_char, label) of a spaCy Doc's entities, the form ``find_toponyms`` takes."""
    return [(e.start_char, e.end_char, e.label_) for e in doc.ents]


def qualify_spans(
    text: str, spans: Sequence[tuple[int, int]], gazetteer: Gazetteer | None = None
) -> list[Toponym]:
    """Toponyms for given (start, end) spans, with qualifiers and containers read from the text."""
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    finder = _Finder(text, (), gaz, demonyms=True)
    out = []
    for s, e in sorted(set(spans)):
        name = _strip_possessive(text[s:e].strip()) or text[s:e]
        t = finder.qualify(s, e, name)
        out.append(replace(t, start=s, end=e, text=text[s:e]))
    return finder.units.attach(out)
