"""``sitrep watch``: poll feeds and pages until interrupted (or once), storing what is new."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sitrep.cli.common import EXIT_INTERRUPTED, add_db_option, add_model_options, settings_from
from sitrep.errors import SitrepError
from sitrep.ingest.addresses import parse_networks
from sitrep.runner.progress import graceful_interrupt
from sitrep.runner.watch import WatchConfig, Watcher, parse_duration
from sitrep.settings import settings as read_settings
from sitrep.store import Store, default_path


def add_parsers(sub: Any) -> None:
    """Register ``watch``."""
    p = sub.add_parser(
        "watch", help="poll RSS/Atom feeds and article URLs, and ingest new articles as they appear"
    )
    p.add_argument(
        "sources",
        metavar="FEEDS.txt",
        help="the watch list: one URL a line ('feed URL' or 'page URL' to say which)",
    )
    p.add_argument(
        "--every",
        default="15m",
        metavar="DURATION",
        help="time between polls, e.g. 30s, 15m, 2h (default 15m)",
    )
    p.add_argument("--once", action="store_true", help="poll once and exit")
    p.add_argument(
        "--timeout", type=float, default=20.0, metavar="SECONDS", help="per request (default 20)"
    )
    p.add_argument(
        "--retries",
        type=int,
        default=2,
        metavar="N",
        help="retries of a timed-out or failing request (default 2)",
    )
    p.add_argument(
        "--per-host",
        type=float,
        default=1.0,
        metavar="SECONDS",
        help="seconds between two requests to one host (default 1)",
    )
    p.add_argument(
        "--max-size",
        type=int,
        default=10_000_000,
        metavar="BYTES",
        help="largest page or feed read (default 10 MB)",
    )
    p.add_argument(
        "--fetchers",
        type=int,
        default=8,
        metavar="N",
        help="requests in flight at once, to different hosts (default 8)",
    )
    p.add_argument(
        "--state", metavar="FILE", help="the watcher's state file (default: DB.watch.sqlite)"
    )
    p.add_argument(
        "--allow-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="let links and redirects reach this internal network, e.g. 10.0.0.0/8 (repeatable; "
        "also $SITREP_ALLOW_NETWORKS, comma-separated); by default loopback, private, link-local, "
        "multicast and reserved addresses are refused",
    )
    add_db_option(p)
    add_model_options(p)
    p.set_defaults(handler=cmd_watch)


def watch_config(args: argparse.Namespace) -> WatchConfig:
    """The configuration the command line asks for; ``SitrepError`` for a bad duration."""
    try:
        every = parse_duration(args.every)
        allowed = parse_networks([read_settings().allow_networks, *args.allow_network])
    except ValueError as err:
        raise SitrepError(str(err)) from err
    return WatchConfig(
        sources=Path(args.sources),
        every=every,
        timeout=args.timeout,
        retries=args.retries,
        per_host_interval=args.per_host,
        max_bytes=args.max_size,
        fetchers=args.fetchers,
        state=Path(args.state) if args.state else None,
        allow_networks=allowed,
    )


def cmd_watch(args: argparse.Namespace) -> int:
    """``sitrep watch FEEDS.txt``: poll, extract and store until interrupted (or once)."""
    config = watch_config(args)
    with Store.open(args.db or default_path()) as store:
        extractor = settings_from(args)()
        with graceful_interrupt() as stop, Watcher(config, store, extractor) as watcher:
            last = watcher.run(once=args.once, stop=stop)
    if stop.requested:
        return EXIT_INTERRUPTED
    if args.once and last is not None:
        print(last.outcome(), file=sys.stderr)
        return 1 if last.failed else 0
    return 0
