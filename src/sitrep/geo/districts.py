"""The admin2 unit a text names for a place: "Medina, New York (Orleans County)", "Khaddamari, Jere
LGA", "Heesch (Bernheze, Noord-Brabant)", "Ter Apel, in the municipality of Westerwolde".

The gazetteer knows the admin2 code of a town of 15,000+ people; a smaller place gets the unit of
its nearest such town (``geo.admin2``), which is often the neighbouring district or county. When
the text names the unit, the text wins: the phrases read are those after the place's mention up to
the end of its clause, and a phrase counts only when it names an admin2 unit of the chosen place's
own admin1 region (``Gazetteer.admin2_named``), so a district of another region never moves it.
"""

from __future__ import annotations

import re

from sitrep.geo.gazetteer import Candidate, Gazetteer

# words that make a name an admin2 unit in the countries that use them
_UNIT = (
    r"raion|rayon|district|county|co\.|parish|lga|local government area|zone|department|"
    r"d[ée]partement|division|sub-?county|municipality|municipio|gemeente|cercle|woreda|"
    r"borough|tehsil|upazila"
)
# words that make a name a first-level region: such a phrase is never read as the district
_REGION_WORDS = (
    r"region|oblast|province|provincia|state|governorate|krai|kray|republic|departamento|estado"
)
_REGION = re.compile(rf"(?i)\b(?:{_REGION_WORDS})$")
# a region's name before the district's ("Kharkiv region's Lozova district")
_REGION_WORD = re.compile(rf"(?i)\b(?:{_REGION_WORDS})(?:['’]s)?\b")
_WORD = r"[^\W\d_][\w'’.-]*"
# "Jere LGA", "Gubkinsky urban district", "Trans Mara West sub-county", "Orleans Co."
_UNIT_AFTER = re.compile(
    rf"((?:{_WORD}\s+){{0,4}}?{_WORD})\s+(?:(?:urban|rural|municipal)\s+)?(?:{_UNIT})(?![\w])",
    re.I,
)
# "the municipality of Westerwolde", "municipio de Nahuatzen", "gemeente Hoogeveen"
_UNIT_BEFORE = re.compile(
    rf"(?:{_UNIT})\s+(?:of\s+|de\s+|du\s+|d'\s*)?((?:{_WORD})(?:[\s-]+{_WORD}){{0,4}})", re.I
)
# "(Bernheze, Noord-Brabant)", ", Rhondda Cynon Taf" right after the place
_BRACKET = re.compile(r"\(\s*([^,();]+)")
_BRACKET_ALL = re.compile(r"\(([^();]+)\)")
_APPENDED = re.compile(r"^\s*,\s*([^,();.]+)")
_CLAUSE_END = re.compile(r"[;\n]|\.\s+[A-Z]|\s[-–—]\s")
# "Momo division (", "Bulo Burto district, ", "Pshdar district, ": a unit written
# right before the region that holds it
_UNIT_BEFORE_REGION = re.compile(
    rf"((?:{_WORD}\s+){{0,4}}?{_WORD})\s+(?:(?:urban|rural|municipal)\s+)?(?:{_UNIT})"
    r"\s*(?:,\s*|\(\s*|\s+of\s+(?:the\s+)?|\s+in\s+(?:the\s+)?)$",
    re.I,
)
_WINDOW = 200
# "Izium District Military Administration", "Romny raion state administration": who reports
_DISTRICT_SOURCE = re.compile(
    r"((?:[A-Z][\w'’-]+[\s-]){0,2}[A-Z][\w'’-]+)\s+(?:[Dd]istrict|[Rr]aion|[Rr]ayon)\s+"
    r"(?:(?:[Mm]ilitary|[Ss]tate|[Cc]ivil-[Mm]ilitary)\s+)?[Aa]dministration"
)


def _clause_after(text: str, end: int) -> str:
    window = text[end : end + _WINDOW]
    m = _CLAUSE_END.search(window)
    return window[: m.start()] if m else window


def _prefixes(phrase: str) -> list[str]:
    words = phrase.split()
    return [" ".join(words[:i]) for i in range(len(words), 0, -1)]


def _parts(phrase: str) -> list[str]:
    """Its endings, longest first, then every other run of words, longest and latest first
    ("Dyatkovo" in "Bryansk region's Dyatkovo" before "Bryansk region's"; "Horo Guduru" in
    "Horo Guduru Wollega", "Trans Mara" in "Trans Mara West")."""
    words = phrase.split()
    n = len(words)
    runs = [(k, i) for k in range(n, 0, -1) for i in range(n - k, -1, -1)]
    runs.sort(key=lambda r: r[0] + r[1] != n)  # stable: the endings first
    return [" ".join(words[i : i + k]) for k, i in runs]


class DistrictReader:
    """Reads the admin2 unit stated for a chosen place in the text around its mention."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gaz = gazetteer
        self._sources: tuple[str, list[str]] | None = None  # (text, district names that report)

    def _is_region(self, phrase: str, c: Candidate) -> bool:
        """Whether a bare phrase names a first-level region or country ("Kharkiv", "Idlib")."""
        if _REGION.search(phrase.strip()):
            return True
        return any(
            o.feature_code in ("ADM1", "PCLI") and o.country_code == c.country_code
            for o in self.gaz.lookup(phrase)
        )

    def _unit(self, forms: list[str], c: Candidate) -> str | None:
        for form in forms:
            named = self.gaz.admin2_named(form, c.country_code, c.admin1_code)
            if named:
                return named
        return None

    def stated(self, text: str, end: int, c: Candidate) -> str | None:
        """The admin2 unit (ACLED's form of its name) the clause after a place's mention names
        for it, if one of the chosen candidate's admin1 region. A unit with its designator ("Jere
        LGA") beats one in brackets, which beats a bare name appended with a comma ("Newport,
        Shropshire (Telford and Wrekin)"); then the earliest wins."""
        if c.feature_class not in ("P", "S") or not (c.country_code and c.admin1_code):
            return None
        clause = _clause_after(text, end)
        found: list[tuple[int, int, str]] = []
        for m in _UNIT_AFTER.finditer(clause):
            words = _REGION_WORD.split(m.group(1))[-1]  # "Kharkiv region's Lozova": Lozova
            unit = self._unit(_parts(words), c) if words.strip() else None
            if unit:
                found.append((0, m.start(), unit))
        for m in _UNIT_BEFORE.finditer(clause):
            unit = self._unit(_prefixes(m.group(1)), c)
            if unit:
                found.append((0, m.start(), unit))
        for rank, rx in ((1, _BRACKET), (2, _APPENDED)):
            for m in rx.finditer(clause):
                phrase = m.group(1).strip()
                if phrase and not self._is_region(phrase, c):
                    unit = self._unit([phrase], c)
                    if unit:
                        found.append((rank, m.start(), unit))
        # "(Tubah subdivision, Mezam)": a later unit of the bracket when its first is smaller
        for m in _BRACKET_ALL.finditer(clause):
            for part in m.group(1).split(",")[1:]:
                if part.strip() and not self._is_region(part.strip(), c):
                    unit = self._unit([part.strip()], c)
                    if unit:
                        found.append((3, m.start(), unit))
        return min(found)[2] if found else None

    def stated_by_source(self, text: str, c: Candidate) -> str | None:
        """The district whose administration reports ("Izium District Military
        Administration: ... shelled Borova"), if one of the place's admin1 region: the
        places it reports lie in its district."""
        if c.feature_class not in ("P", "S") or not (c.country_code and c.admin1_code):
            return None
        if self._sources is None or self._sources[0] is not text:
            # read once per text, not once per place (linear in the text's length)
            self._sources = (text, [m.group(1) for m in _DISTRICT_SOURCE.finditer(text)][:5])
        for name in self._sources[1]:
            unit = self._unit([name], c)
            if unit:
                return unit
        return None

    def stated_before(self, text: str, start: int, c: Candidate) -> str | None:
        """The admin2 unit written right before a first-level region's mention, when the place
        it held was not found ("near Kalabaydh (Bulo Burto district, Hiiraan)", "in Momo division
        (North-West)"), if it is a unit of that region: the event lies in it."""
        if c.feature_code != "ADM1" or not (c.country_code and c.admin1_code):
            return None
        m = _UNIT_BEFORE_REGION.search(text[max(0, start - _WINDOW) : start])
        if m is None:
            return None
        words = _REGION_WORD.split(m.group(1))[-1]
        return self._unit(_parts(words), c) if words.strip() else None
