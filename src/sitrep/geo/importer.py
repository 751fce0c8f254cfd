"""Add GeoNames dump files to a compiled gazetteer, all or nothing.

Recognised files (plain ``.txt`` or inside a ``.zip``), told apart by their columns:

* geoname tables (``XX.txt``, ``allCountries.txt``, ``cities*.txt``: 19 columns). Rows are added,
  or update the entry with the same GeoNames id (so an ADM1 row gives the region its real point).
* ``admin1CodesASCII.txt`` and ``admin2Codes.txt`` (4 columns): names of admin codes.
* GeoNames postal-code files (12 columns): villages, read as ``sitrep.geo.postal`` says.

Rows with the wrong number of columns, bad numbers or coordinates, or unknown country or admin1
codes are skipped and counted (``bad_rows``; ``skipped`` names the first of them per file); the
good rows go in.

The gazetteer is copied, the copy is changed, and it replaces the original only when every file
went in. A corrupt or unknown file raises ``GazetteerError(file=...)`` and leaves the
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
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sitrep.errors import GazetteerError
from sitrep.geo.admin2 import Admin2Index, admin2_index
from sitrep.geo.build import (
    _Builder,
    _town_names,
    build_gazetteer,
    default_path,
    english_admin1_names,
)
from sitrep.geo.postal import BadRows, add_villages, rows

log = logging.getLogger(__name__)

_GEONAME_COLUMNS = 19
_POSTAL_COLUMNS = 12
_CODE_COLUMNS = 4


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


class _Importer:
    """Applies files to an open (copied) gazetteer database; bad rows are skipped and counted."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        next_id = db.execute("SELECT coalesce(max(id), 0) + 1 FROM place").fetchone()[0]
        self.b = _Builder(db, next_id=next_id)
        self.report: dict[str, Any] = defaultdict(int)
        self.countries = {r[0] for r in db.execute("SELECT code FROM country")}
        self.admin1_codes = {r[0] for r in db.execute("SELECT code FROM admin1")}

    def geonames(self, lines: list[str], source: str, bad: BadRows) -> None:
        existing = dict(
            self.db.execute("SELECT geonameid, id FROM place WHERE geonameid IS NOT NULL")
        )
        updates = []
        for n, c in rows(lines, _GEONAME_COLUMNS, bad):
            try:
                gid, lat, lon = int(c[0]), float(c[4]), float(c[5])
                pop = int(c[14] or 0)
            except ValueError as exc:
                bad.add(n, f"bad number ({exc})")
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                bad.add(n, "bad coordinates")
                continue
            if not c[6] or not c[1]:
                bad.add(n, "no name or feature class")
                continue
            why = self._unknown_codes(c[8], c[10])
            if why:
                bad.add(n, why)
                continue
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

    def _unknown_codes(self, country: str, admin1: str) -> str | None:
        if country and country not in self.countries:
            return f"unknown country code {country!r}"
        if admin1 and admin1 != "00" and f"{country}.{admin1}" not in self.admin1_codes:
            return f"unknown admin1 code {country}.{admin1}"
        return None

    def admin1(self, lines: list[str], bad: BadRows) -> None:
        found = [
            (c[0], c[1], c[2], int(c[3]) if c[3].isdigit() else 0)
            for _n, c in rows(lines, _CODE_COLUMNS, bad)
        ]
        english = english_admin1_names(found)
        self.db.executemany(
            "INSERT OR REPLACE INTO admin1 VALUES (?,?,?,?)",
            [(code, name, english[code], gid or None) for code, name, _a, gid in found],
        )
        self.admin1_codes.update(code for code, *_ in found)
        self.report["admin1_codes"] += len(found)

    def admin2(self, lines: list[str], bad: BadRows) -> None:
        found = [
            (c[0], c[1], int(c[3]) if c[3].isdigit() else None)
            for _n, c in rows(lines, _CODE_COLUMNS, bad)
        ]
        self.db.executemany("INSERT OR REPLACE INTO admin2 VALUES (?,?,?)", found)
        self.report["admin2_codes"] += len(found)

    def _admin2(self) -> Admin2Index:
        towns = [
            {
                "geonameid": gid,
                "name": name,
                "latitude": lat,
                "longitude": lon,
                "countrycode": cc,
                "admin1code": a1,
                "population": pop,
            }
            for gid, name, lat, lon, cc, a1, pop in self.db.execute(
                "SELECT geonameid, name, latitude, longitude, country_code, admin1_code, population "
                "FROM place WHERE feature_class = 'P' AND admin1_code IS NOT NULL"
            )
        ]
        return admin2_index(towns)

    def postal(self, lines: list[str], source: str, bad: BadRows) -> None:
        towns = [
            {"latitude": lat, "longitude": lon, "admin1code": a1, "countrycode": cc}
            for lat, lon, a1, cc in self.db.execute(
                "SELECT latitude, longitude, admin1_code, country_code FROM place WHERE "
                "feature_class='P' AND population > 0 AND admin1_code IS NOT NULL"
            )
        ]
        known: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
        for norm, lat, lon, cc in self.db.execute(
            "SELECT n.norm, p.latitude, p.longitude, p.country_code FROM place p "
            "JOIN name n ON n.place = p.id WHERE p.feature_class = 'P'"
        ):
            known[(cc, norm)].append((lat, lon))
        counts = add_villages(self.b, lines, source, towns, known, self._admin2(), bad)
        for key, value in counts.items():
            self.report[key] += value
        self.b.flush()


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
            skipped: list[str] = []
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
                        bad = BadRows()
                        if kind == "geonames":
                            imp.geonames(lines, source, bad)
                        elif kind == "postal":
                            imp.postal(lines, source.replace("import:", "postal:"), bad)
                        elif kind == "admin1":
                            imp.admin1(lines, bad)
                        else:
                            imp.admin2(lines, bad)
                    except (ValueError, sqlite3.Error) as exc:
                        raise GazetteerError(f"{member}: {exc}", file=str(path)) from exc
                    kinds.append(kind)
                    if bad.count:
                        imp.report["bad_rows"] += bad.count
                        skipped.append(
                            f"{member}: {bad.count} bad rows skipped ({'; '.join(bad.examples)})"
                        )
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
    report["skipped"] = skipped
    report["files"] = [str(Path(p)) for p in paths]
    report["seconds"] = round(time.perf_counter() - started, 2)
    log.info("imported %s into %s", report["files"], target)
    return report
