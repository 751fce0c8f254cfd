"""Add GeoNames dump files to a compiled gazetteer, all or nothing.

Recognised files (plain ``.txt`` or inside a ``.zip``), told apart by their columns:

* geoname tables (``XX.txt``, ``allCountries.txt``, ``cities*.txt``: 19 columns). Rows are added,
  or update the entry with the same GeoNames id (so an ADM1 row gives the region its real point).
* ``admin1CodesASCII.txt`` and ``admin2Codes.txt`` (4 columns): names of admin codes.
* GeoNames postal-code files (12 columns). Each distinct (name, area, point) becomes a village
  (``P.PPL``, no GeoNames id); bracketed council suffixes are dropped, Ukrainian Cyrillic names also
  get the Ukrainian national 2010 romanisation, and the admin1 region is the one most of the
  area's points fall in (its nearest town's), since postal admin codes differ from GeoNames'.

The gazetteer is copied, the copy is changed, and it replaces the original only when every file
went in. A corrupt, truncated or unknown file raises ``GazetteerError(file=...)`` and leaves the
gazetteer as it was.
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError
from sitrep.geo.build import (
    _Builder,
    _town_names,
    _TownGrid,
    build_gazetteer,
    default_path,
    english_admin1_names,
)
from sitrep.geo.names import haversine_km, normalize

log = logging.getLogger(__name__)

_GEONAME_COLUMNS = 19
_POSTAL_COLUMNS = 12
_CODE_COLUMNS = 4
_COUNCIL_SUFFIX = re.compile(r"\s*\([^)]*\)\s*$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

# Ukrainian national romanisation (Cabinet of Ministers resolution 55, 2010)
_UK_FIRST = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_UK = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
    "’": "",
    "ʼ": "",
}


def romanize_ukrainian(text: str) -> str:
    """Latin spelling of a Ukrainian name by the 2010 national system ('Георгіївка' -> 'Heorhiivka')."""
    out = []
    for m in re.finditer(r"[\w'’ʼ]+|[^\w'’ʼ]+", text):
        word = m.group()
        if not _CYRILLIC.search(word):
            out.append(word)
            continue
        letters = []
        low = word.lower().replace("зг", "zgh")
        for k, ch in enumerate(low):
            latin = _UK_FIRST.get(ch) if k == 0 else None
            letters.append(latin if latin is not None else _UK.get(ch, ch))
        roman = "".join(letters)
        out.append(roman[:1].upper() + roman[1:] if word[:1].isupper() else roman)
    return "".join(out)


def _members(path: Path) -> Iterator[tuple[str, str]]:
    """(name, text) of each data file in ``path`` (a .txt, or the .txt members of a .zip)."""
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as z:
                names = [
                    n
                    for n in z.namelist()
                    if n.lower().endswith(".txt") and "readme" not in n.lower()
                ]
                if not names:
                    raise GazetteerError("zip holds no GeoNames .txt file", file=str(path))
                for n in names:
                    with z.open(n) as f:
                        yield n, io.TextIOWrapper(f, encoding="utf-8", errors="strict").read()
        else:
            yield path.name, path.read_text(encoding="utf-8", errors="strict")
    except GazetteerError:
        raise
    except (zipfile.BadZipFile, UnicodeDecodeError, OSError, EOFError, zipfile.LargeZipFile) as exc:
        raise GazetteerError(f"cannot read: {exc}", file=str(path)) from exc


def _kind_of(lines: list[str]) -> str:
    sample = next((ln for ln in lines if ln.strip() and not ln.startswith("#")), "")
    cols = sample.split("\t")
    if len(cols) == _GEONAME_COLUMNS and cols[0].isdigit():
        return "geonames"
    if len(cols) == _POSTAL_COLUMNS and len(cols[0]) == 2:
        return "postal"
    if len(cols) == _CODE_COLUMNS and re.fullmatch(r"[A-Z]{2}\.[^.\s]+", cols[0]):
        return "admin1"
    if len(cols) == _CODE_COLUMNS and re.fullmatch(r"[A-Z]{2}\.[^.\s]+\.[^.\s]+", cols[0]):
        return "admin2"
    raise ValueError("not a GeoNames geoname, admin code or postal-code table")


def _rows(lines: list[str], width: int) -> Iterator[tuple[int, list[str]]]:
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != width:
            raise ValueError(f"line {n}: {len(cols)} columns, expected {width} (truncated?)")
        yield n, cols


class _Importer:
    """Applies files to an open (copied) gazetteer database."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM place").fetchone()[0]
        self.b = _Builder(db, next_id=next_id)
        self.report: dict[str, Any] = defaultdict(int)

    def geonames(self, lines: list[str], source: str) -> None:
        existing = dict(
            self.db.execute("SELECT geonameid, id FROM place WHERE geonameid IS NOT NULL")
        )
        updates = []
        for n, c in _rows(lines, _GEONAME_COLUMNS):
            try:
                gid, lat, lon = int(c[0]), float(c[4]), float(c[5])
                pop = int(c[14] or 0)
            except ValueError as exc:
                raise ValueError(f"line {n}: {exc}") from exc
            if not (-90 <= lat <= 90 and -180 <= lon <= 180) or not c[6] or not c[1]:
                raise ValueError(f"line {n}: bad coordinates or feature")
            row = {"name": c[1], "alternatenames": [a for a in c[3].split(",") if a]}
            names = [(c[1], "name"), (c[2], "name")] + [
                nm for nm in _town_names(row) if nm[1] != "name"
            ]
            pid = existing.get(gid)
            if pid is None:
                pid = self.b.place(
                    source, c[1], lat, lon, c[6], c[7] or "", c[8], c[10], pop, gid, c[11]
                )
                existing[gid] = pid
                self.report["places_added"] += 1
            else:
                updates.append(
                    (
                        lat,
                        lon,
                        c[6],
                        c[7] or "",
                        c[8] or None,
                        c[10] or None,
                        c[11] or None,
                        pop,
                        pid,
                    )
                )
                self.report["places_updated"] += 1
            self.b.add_names(pid, names)
            self.report["rows"] += 1
        self.b.flush()
        # keep the English names of countries and admin1 regions; take GeoNames' point and codes
        self.db.executemany(
            "UPDATE place SET latitude=?, longitude=?, feature_class=?, feature_code=?, "
            "country_code=coalesce(?, country_code), admin1_code=coalesce(?, admin1_code), "
            "admin2_code=coalesce(?, admin2_code), population=max(population, ?) WHERE id=?",
            updates,
        )

    def admin1(self, lines: list[str]) -> None:
        rows = []
        for _n, c in _rows(lines, _CODE_COLUMNS):
            rows.append((c[0], c[1], c[2], int(c[3]) if c[3].isdigit() else 0))
        english = english_admin1_names(rows)
        self.db.executemany(
            "INSERT OR REPLACE INTO admin1 VALUES (?,?,?,?)",
            [(code, name, english[code], gid or None) for code, name, _a, gid in rows],
        )
        self.report["admin1_codes"] += len(rows)

    def admin2(self, lines: list[str]) -> None:
        rows = []
        for _n, c in _rows(lines, _CODE_COLUMNS):
            rows.append((c[0], c[1], int(c[3]) if c[3].isdigit() else None))
        self.db.executemany("INSERT OR REPLACE INTO admin2 VALUES (?,?,?)", rows)
        self.report["admin2_codes"] += len(rows)

    def postal(self, lines: list[str], source: str) -> None:
        villages: dict[tuple[str, str, str, float, float], tuple[str, str]] = {}
        for n, c in _rows(lines, _POSTAL_COLUMNS):
            try:
                lat, lon = float(c[9]), float(c[10])
            except ValueError as exc:
                raise ValueError(f"line {n}: {exc}") from exc
            name = _COUNCIL_SUFFIX.sub("", c[2]).strip()
            if not name:
                continue
            key = (c[0], normalize(name), c[3], round(lat, 2), round(lon, 2))
            villages.setdefault(key, (name, c[3]))
            self.report["rows"] += 1
        area_admin1 = self._postal_admin1(villages)
        known = self._known_points({k[0] for k in villages})
        for (cc, norm, area, lat, lon), (name, _area) in villages.items():
            if any(haversine_km(lat, lon, a, b) < 5 for a, b in known.get((cc, norm), ())):
                self.report["postal_already_known"] += 1
                continue
            roman = romanize_ukrainian(name) if cc == "UA" and _CYRILLIC.search(name) else name
            pid = self.b.place(source, roman, lat, lon, "P", "PPL", cc, area_admin1.get((cc, area)))
            self.b.add_names(pid, [(roman, "name"), (name, "alt")])
            self.report["places_added"] += 1
        self.b.flush()

    def _postal_admin1(self, villages: dict[Any, Any]) -> dict[tuple[str, str], str]:
        """Admin1 code of each postal area: the one most of its points' nearest towns are in."""
        countries = {k[0] for k in villages}
        towns = []
        for cc in countries:
            for lat, lon, a1 in self.db.execute(
                "SELECT latitude, longitude, admin1_code FROM place WHERE country_code=? AND "
                "feature_class='P' AND population > 0 AND admin1_code IS NOT NULL",
                (cc,),
            ):
                towns.append(
                    {"latitude": lat, "longitude": lon, "admin1code": a1, "countrycode": cc}
                )
        grid = _TownGrid(towns)
        votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for cc, _norm, area, lat, lon in villages:
            near = grid.nearest(lat, lon, 30.0)
            if near:
                votes[(cc, area)][near["admin1code"]] += 1
        return {key: c.most_common(1)[0][0] for key, c in votes.items()}

    def _known_points(
        self, countries: set[str]
    ) -> dict[tuple[str, str], list[tuple[float, float]]]:
        known: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        for cc in countries:
            for norm, lat, lon in self.db.execute(
                "SELECT n.norm, p.latitude, p.longitude FROM place p JOIN name n ON n.place = p.id "
                "WHERE p.country_code = ? AND p.feature_class = 'P'",
                (cc,),
            ):
                known[(cc, norm)].append((lat, lon))
        return known


def import_files(
    paths: Sequence[str | os.PathLike[str]], gazetteer_path: str | os.PathLike[str] | None = None
) -> dict[str, Any]:
    """Import GeoNames files into the gazetteer atomically; return counts of what changed."""
    target = Path(gazetteer_path) if gazetteer_path is not None else default_path()
    if not target.exists():
        build_gazetteer(target)
    started = time.perf_counter()
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".import", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        shutil.copyfile(target, tmp)
        db = sqlite3.connect(tmp)
        try:
            imp = _Importer(db)
            done = []
            for raw in paths:
                path = Path(raw)
                kinds = []
                for member, text in _members(path):
                    lines = text.split("\n")
                    source = (
                        f"import:{path.name}"
                        if member == path.name
                        else f"import:{path.name}/{member}"
                    )
                    try:
                        kind = _kind_of(lines)
                        if kind == "geonames":
                            imp.geonames(lines, source)
                        elif kind == "postal":
                            imp.postal(lines, source.replace("import:", "postal:"))
                        elif kind == "admin1":
                            imp.admin1(lines)
                        else:
                            imp.admin2(lines)
                    except (ValueError, sqlite3.Error) as exc:
                        raise GazetteerError(f"{member}: {exc}", file=str(path)) from exc
                    kinds.append(kind)
                done.append(
                    {"file": str(path), "kinds": kinds, "at": time.strftime("%Y-%m-%dT%H:%M:%S")}
                )
            history = json.loads(
                (db.execute("SELECT value FROM meta WHERE key='imports'").fetchone() or ["[]"])[0]
            )
            db.execute(
                "INSERT OR REPLACE INTO meta VALUES ('imports', ?)", (json.dumps(history + done),)
            )
            db.commit()
        finally:
            db.close()
        tmp.chmod(0o644)
        os.replace(tmp, target)
    except GazetteerError:
        tmp.unlink(missing_ok=True)
        raise
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise GazetteerError(f"import failed: {exc}", file=str(target)) from exc
    report = dict(imp.report)
    report["files"] = [str(Path(p)) for p in paths]
    report["seconds"] = round(time.perf_counter() - started, 2)
    log.info("imported %s into %s", report["files"], target)
    return report
