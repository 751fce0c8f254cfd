"""Derive the GeoNames tables sitrep ships from the dump files in ``../shared/data/gazetteer``.

Writes into ``src/sitrep/data/geonames/``:

* ``admin2Codes.txt.gz``: GeoNames' admin2 code table, unchanged (code, name, ASCII name, id).
* ``admin2-seeds.tsv.gz``: for every cities15000 town with an admin2 code, its geonameid, country,
  admin1 and admin2 codes, point and population: the gazetteer gives every smaller place the admin2
  of its nearest seed in the same admin1 region, and each admin2 unit the point of its largest town.
* ``UA-postal.txt.gz``: GeoNames' Ukrainian postal-code list, unchanged (the village layer).

All of it is GeoNames data, CC BY 4.0 (credit: GeoNames, geonames.org).

Usage: python scripts/ship_geonames.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import gzip
import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "sitrep" / "data" / "geonames"


def _write_gz(path: Path, text: str) -> None:
    # mtime=0: the same input gives the same bytes
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as f:
        f.write(text.encode("utf-8"))
    print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args()
    gaz = args.shared / "data" / "gazetteer"
    _write_gz(
        OUT / "admin2Codes.txt.gz",
        (gaz / "geonames" / "admin2Codes.txt").read_text(encoding="utf-8"),
    )
    rows = []
    with zipfile.ZipFile(gaz / "geonames" / "cities15000.zip") as z:
        with z.open("cities15000.txt") as f:
            for line in io.TextIOWrapper(f, encoding="utf-8"):
                c = line.rstrip("\n").split("\t")
                if len(c) == 19 and c[11]:
                    rows.append("\t".join((c[0], c[8], c[10], c[11], c[4], c[5], c[14] or "0")))
    _write_gz(OUT / "admin2-seeds.tsv.gz", "\n".join(rows) + "\n")
    _write_gz(
        OUT / "UA-postal.txt.gz",
        (gaz / "geonames-postal" / "UA.txt").read_text(encoding="utf-8"),
    )


if __name__ == "__main__":
    main()
