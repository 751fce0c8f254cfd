"""The ``sitrep`` command line: parse arguments, call the library, format the result.

The only code that parses arguments: one module per command group (``extract``, ``dataset``,
``watch``, ``places``, ``serve``), the options and helpers they share in ``common``.

Exit status: 0 all inputs processed; 1 at least one input failed (the others were processed);
2 bad usage; 3 a fatal error (pipeline or gazetteer could not be loaded, output not writable).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from sitrep.cli import dataset, extract, places, serve, typer, watch
from sitrep.errors import SitrepError
from sitrep.settings import settings as read_settings
from sitrep.version import __version__

log = logging.getLogger("sitrep")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="sitrep",
        description="Turn news about armed conflict into ACLED-style events, offline.",
    )
    p.add_argument("--version", action="version", version=f"sitrep {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks")
    p.add_argument(
        "-v", "--verbose", action="count", default=0, help="log more (-vv for debug logs)"
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    extract.add_parsers(sub)  # extract, article
    typer.add_parsers(sub)  # train, evaluate
    dataset.add_parsers(sub)  # ingest, events, rebuild, stats
    watch.add_parsers(sub)  # watch
    places.add_parsers(sub)  # gazetteer, geoparse
    serve.add_parsers(sub)  # serve
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        read_settings()  # a malformed SITREP_ variable is one line, before anything reads it
    except ValueError as exc:
        print(f"sitrep: {exc}", file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.command:
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except SitrepError as exc:
        if args.debug:
            raise
        print(f"sitrep: {exc}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("sitrep: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: one line unless --debug
        if args.debug:
            raise
        print(
            f"sitrep: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
