"""The data layer: every lexicon key is read by some code, every data file is read through
``sitrep.resources``, and the concepts that were once defined in several places are defined once."""

from __future__ import annotations

import ast
import json
import re

from conftest import REPO

from sitrep import resources

SRC = REPO / "src" / "sitrep"
DATA = SRC / "data"
TABLES = {"publishers.json"}  # keyed by domain: data rows, not lexicon entries


def _code() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))


def test_every_lexicon_key_is_read_by_some_code() -> None:
    code = _code()
    unread = []
    for path in sorted(DATA.rglob("*.json")):
        if path.name in TABLES or "examples" in path.parts or "typer" in path.parts:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            continue
        for key in data:
            if not key.startswith("_") and f'"{key}"' not in code and f"'{key}'" not in code:
                unread.append(f"{path.relative_to(DATA)}: {key}")
    assert unread == []


def test_data_files_are_read_only_through_the_data_layer() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        if path.name == "resources.py" or "cli" in path.relative_to(SRC).parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(
            r"resources\.files\(\s*[\"']sitrep(?:\.data)?[\"']\s*\)\.joinpath\(\s*[\"']data", text
        ) or re.search(r"resources\.files\(\s*[\"']sitrep\.data[\"']", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_blame_verbs_and_the_country_table_are_defined_once() -> None:
    verbs = resources.blame_verbs()
    assert {"blame", "accuse"} <= verbs
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Set | ast.List | ast.Tuple):
                words = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                assert len(words & verbs) < 3, f"{path.relative_to(SRC)} lists blame verbs again"
    readers = [
        p.relative_to(SRC)
        for p in SRC.rglob("*.py")
        if "countries.tsv" in p.read_text(encoding="utf-8") and p.name != "resources.py"
    ]
    assert readers == []
    iso3 = [c.iso3 for c in resources.countries()]
    assert len(iso3) == len(set(iso3)) > 200
