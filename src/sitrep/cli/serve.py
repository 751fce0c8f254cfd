"""``sitrep serve``: the HTTP API and the analyst's page over an event database (argparse)."""

from __future__ import annotations

import argparse
import ipaddress
import logging
import sys
import threading
from typing import Any

from sitrep.api.settings import DEFAULT_HOST, DEFAULT_PORT, LOOPBACK_HOSTS, ApiSettings
from sitrep.cli.common import add_budget_option, budget_from
from sitrep.errors import SitrepError
from sitrep.runner.work import ExtractorSettings


def add_parsers(subparsers: Any) -> None:
    """Register ``serve`` on an argparse sub-parsers object."""
    p = subparsers.add_parser(
        "serve", help="serve the API and the analyst's page over an event database"
    )
    p.add_argument("--db", help="event database (default: $SITREP_DB, else ./sitrep.db)")
    p.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to bind (default {DEFAULT_HOST}: this machine only)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    p.add_argument(
        "--tiles",
        metavar="URL",
        help="tile server URL template, e.g. http://127.0.0.1:8080/{z}/{x}/{y}.png (default: $SITREP_TILE_URL; none: country borders only)",
    )
    p.add_argument(
        "--readonly",
        action="store_true",
        help="open the database read-only (POSTs are then refused)",
    )
    p.add_argument(
        "--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"]
    )
    add_budget_option(p)
    p.set_defaults(handler=run_serve)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str) -> tuple[str, ...]:
    """Host headers to accept: loopback names when bound to loopback, any when bound elsewhere."""
    if _is_loopback(host):
        return tuple(dict.fromkeys((*LOOPBACK_HOSTS, host)))
    return ("*",)


def run_serve(args: argparse.Namespace) -> int:
    """Open the store and run uvicorn until interrupted."""
    import uvicorn

    from sitrep.api.app import create_app
    from sitrep.api.routes_events import warm_points
    from sitrep.store import Store

    try:
        settings = ApiSettings.from_env(tile_url=args.tiles, allowed_hosts=allowed_hosts(args.host))
    except ValueError as exc:
        raise SitrepError(str(exc)) from None
    if getattr(args, "debug", False):  # the traceback of an unhandled error, after its one line
        logging.getLogger("sitrep.api.errors").setLevel(logging.DEBUG)
    if not _is_loopback(args.host):
        print(
            f"sitrep serve: warning: listening on {args.host}, reachable from other machines",
            file=sys.stderr,
        )
    if settings.token and args.readonly:
        print(
            "sitrep serve: SITREP_TOKEN is set but the database is read-only: POSTs will fail",
            file=sys.stderr,
        )
    store = Store.open(args.db, readonly=args.readonly)
    try:
        budget = ExtractorSettings(budget=budget_from(args))
        app = create_app(store, settings, load_extractor=budget)
        threading.Thread(target=warm_points, args=(app,), name="warm-points", daemon=True).start()
        writes = (
            "on (bearer token)"
            if settings.writes_enabled
            else "off (set SITREP_TOKEN to allow POST /api/articles)"
        )
        print(
            f"sitrep: serving {store.path} on http://{args.host}:{args.port}/ (writes {writes})",
            file=sys.stderr,
        )
        uvicorn.run(
            app, host=args.host, port=args.port, log_level=args.log_level, server_header=False
        )
    finally:
        store.close()
    return 0
