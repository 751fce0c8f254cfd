"""``sitrep gazetteer ...`` and ``sitrep geoparse``: build, inspect and import the gazetteer; geoparse texts."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from sitrep.cli.common import report
from sitrep.geo.build import build_gazetteer, default_path
from sitrep.geo.gazetteer import Gazetteer
from sitrep.runner.work import failure_of, show_tracebacks


def add_parsers(subparsers: Any) -> None:
    """Register the gazetteer and geoparse commands on an argparse sub-parsers object."""
    gaz = subparsers.add_parser(
        "gazetteer", help="build, inspect, import into or query the gazetteer"
    )
    gaz.add_argument("--path", help=f"gazetteer file (default {default_path()})")
    sub = gaz.add_subparsers(dest="gazetteer_command", required=True)
    sub.add_parser("build", help="compile the gazetteer from the installed packages").set_defaults(
        handler=run_build
    )
    sub.add_parser("info", help="show what the gazetteer holds").set_defaults(handler=run_info)
    imp = sub.add_parser("import", help="add GeoNames dump or postal-code files (all or nothing)")
    imp.add_argument("files", nargs="+", type=Path)
    imp.set_defaults(handler=run_import)
    look = sub.add_parser("lookup", help="list the entries a name can refer to")
    look.add_argument("name")
    look.add_argument("-n", "--limit", type=int, default=10)
    look.set_defaults(handler=run_lookup)

    geo = subparsers.add_parser(
        "geoparse",
        help="find and resolve the places of texts (one JSON line per place)",
        description="Inputs are text files, JSONL files of {id, text, toponyms?} records, or - for stdin.",
    )
    geo.add_argument("inputs", nargs="+", metavar="INPUT")
    geo.add_argument("-f", "--format", choices=["jsonl"], default="jsonl")
    geo.add_argument(
        "--toponyms",
        action="store_true",
        help='resolve only the spans given in each record\'s "toponyms": [[start, end], ...]',
    )
    geo.add_argument("--path", help="gazetteer file")
    geo.add_argument("--country", help="ISO country code that tips close calls")
    geo.add_argument(
        "--no-spacy", action="store_true", help="gazetteer matching only, no spaCy NER"
    )
    geo.add_argument("--model", help="spaCy pipeline for entity recognition (name or path)")
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
    """Import files and print the counts; skipped bad rows get one line per file on stderr."""
    from sitrep.geo.importer import import_files

    report = import_files(args.files, gazetteer_path=args.path)
    print(json.dumps(report, indent=2))
    for line in report["skipped"]:
        print(f"sitrep gazetteer import: {line}", file=sys.stderr)
    return 0


def run_lookup(args: argparse.Namespace) -> int:
    """Print the candidates for a name, one per line."""
    for c in Gazetteer.open(args.path).lookup(args.name)[: args.limit]:
        print(
            f"{c.geonameid or '-'}\t{c.name}\t{c.feature}\t{c.admin1 or ''}\t{c.country or ''}\t"
            f"{c.latitude:.4f},{c.longitude:.4f}\tpop {c.population}\t{c.source}\t{c.match}"
        )
    return 0


def run_geoparse(args: argparse.Namespace) -> int:
    """Print one JSON line per resolved place of each input record; bad inputs get one line each."""
    from sitrep.geo import Geoparser

    show_tracebacks(getattr(args, "debug", False))
    geoparser = Geoparser.open(args.path)
    nlp = None
    if not args.no_spacy and not args.toponyms:
        from sitrep.pipeline.nlp import entities, load_model

        nlp = load_model(args.model)
    failures = 0
    for rec in _geoparse_records(args.inputs):
        if isinstance(rec, str):
            failures += 1
            print(f"sitrep: {rec}", file=sys.stderr)
            continue
        rid, text, spans = rec
        if args.toponyms and spans is None:
            failures += 1
            print(f'sitrep: {rid}: record has no "toponyms"', file=sys.stderr)
            continue
        try:
            if args.toponyms:
                found = geoparser.parse_spans(text, [(int(a), int(b)) for a, b in spans])
            else:
                ents = entities(nlp, text) if nlp else []
                found = geoparser.parse(text, ents, country_hint=args.country)
        except Exception as err:  # one record's trouble fails only that record
            failures += 1
            report(failure_of(rid, "cannot geoparse", err))
            continue
        for m in found:
            p = m.place
            row = {
                "id": rid,
                "text": m.toponym.text,
                "start": m.toponym.start,
                "end": m.toponym.end,
                "name": p.name,
                "latitude": p.latitude,
                "longitude": p.longitude,
                "geonameid": p.geonameid,
                "country": p.country,
                "iso3": p.iso3,
                "admin1": p.admin1,
                "feature": p.feature,
                "geo_precision": p.geo_precision,
                "score": p.score,
                "qualifier": m.toponym.qualifier,
            }
            print(json.dumps(row, ensure_ascii=False))
    return 1 if failures else 0


def _geoparse_records(inputs: list[str]) -> Any:
    """(id, text, toponyms or None) per record, or a one-line problem string for a bad input."""
    for name in inputs:
        try:
            raw = sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
            data = raw.decode("utf-8")
        except FileNotFoundError:
            yield f"{name}: no such file or directory"
            continue
        except (OSError, UnicodeDecodeError) as exc:
            yield f"{name}: cannot read ({exc.__class__.__name__}: {exc})"
            continue
        stripped = data.lstrip()
        if (
            name.endswith(".jsonl")
            or (stripped.startswith("{") and "\n{" in stripped)
            or (stripped.startswith("{") and stripped.rstrip().endswith("}"))
        ):
            for n, line in enumerate(data.splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                    yield str(rec.get("id", f"{name}:{n}")), str(rec["text"]), rec.get("toponyms")
                except (ValueError, KeyError, TypeError, AttributeError) as exc:
                    yield f"{name}:{n}: malformed record ({exc.__class__.__name__})"
        elif not stripped:
            yield f"{name}: empty input"
        else:
            yield name, data, None
