"""The dataset commands: ``sitrep ingest``, ``sitrep events``, ``sitrep rebuild``, ``sitrep stats``.

Each handler returns the exit status (0 ok; 1 some input failed; 2 bad usage); a ``SitrepError``
(a locked or foreign database, say) is turned into one line by ``sitrep.cli.main``.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from sitrep.cli.common import (
    EXIT_INTERRUPTED,
    add_db_option,
    add_inputs,
    add_model_options,
    iter_work,
    output_format,
    settings_from,
    usage,
    write_atomically,
)
from sitrep.models import EventRecord
from sitrep.runner.ingest import IngestOptions, run_ingest, usable_cores
from sitrep.runner.progress import graceful_interrupt
from sitrep.runner.work import DEFAULT_CHUNK
from sitrep.store.query import ORDERS, STATUSES, EventQuery
from sitrep.store.store import Store, default_path

log = logging.getLogger(__name__)

FORMATS = ["table", "jsonl", "csv", "geojson", "parquet", "plover"]

TABLE_LIMIT = 100  # rows shown on a terminal table unless --limit says otherwise


def add_parsers(sub: Any) -> None:
    """Register ingest, events, rebuild and stats on the ``sitrep`` command's subparsers."""
    ing = sub.add_parser(
        "ingest", help="extract events from articles and store them, merging reports of one event"
    )
    add_inputs(ing, "ingest")
    add_db_option(ing)
    add_model_options(ing)  # --model, --gazetteer
    _add_bulk_options(ing)  # --jobs, --dask, --from-parquet, --progress
    ing.set_defaults(handler=cmd_ingest)

    ev = sub.add_parser("events", help="query the merged events and export them")
    add_db_option(ev)
    _filter_args(ev)
    ev.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help=f"at most N events (a terminal table shows {TABLE_LIMIT} unless set)",
    )
    ev.add_argument("--offset", type=int, default=0, metavar="N", help="skip the first N events")
    ev.add_argument(
        "--order", choices=list(ORDERS), default="-date", help="sort order (default: newest first)"
    )
    ev.add_argument(
        "-f",
        "--format",
        choices=FORMATS,
        help="output format (default: table on a terminal, jsonl otherwise)",
    )
    ev.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write to FILE (format from its extension, or --format)",
    )
    ev.set_defaults(handler=cmd_events)

    rb = sub.add_parser("rebuild", help="re-derive every merged event from the stored mentions")
    add_db_option(rb)
    rb.set_defaults(handler=cmd_rebuild)

    st = sub.add_parser(
        "stats", help="counts of the stored articles and events, by week (or day) and type"
    )
    add_db_option(st)
    _filter_args(st)
    st.add_argument("--by", choices=["week", "day"], default="week")
    st.add_argument("-f", "--format", choices=["text", "json"], default="text")
    st.set_defaults(handler=cmd_stats)


def _add_bulk_options(p: argparse.ArgumentParser) -> None:
    """The bulk-run options of ``ingest``."""
    g = p.add_argument_group("bulk and cluster runs")
    g.add_argument(
        "-j",
        "--jobs",
        type=int,
        metavar="N",
        help=f"worker processes, each with its own pipeline (default: all {usable_cores()} cores; 1: in this process)",
    )
    g.add_argument(
        "--chunk-size",
        type=int,
        default=DEFAULT_CHUNK,
        metavar="N",
        help=f"articles per task (default {DEFAULT_CHUNK})",
    )
    g.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run extraction on a Dask cluster: tcp://SCHEDULER:8786, or 'local' for a LocalCluster of --jobs workers",
    )
    g.add_argument(
        "--parquet-out",
        metavar="DIR",
        help="with --dask: workers write Parquet partitions to DIR (shared storage) instead of sending results back",
    )
    g.add_argument(
        "--from-parquet",
        metavar="DIR",
        help="load the Parquet partitions a --parquet-out run wrote into the database",
    )
    g.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress line (default: when standard error is a terminal)",
    )
    g.add_argument(
        "--full-parse",
        action="store_true",
        help="parse every sentence, not only those a trigger word may fire in (slower)",
    )


def _filter_args(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("filters")
    g.add_argument(
        "--from", dest="date_from", metavar="YYYY-MM-DD", help="events on or after this date"
    )
    g.add_argument(
        "--to", dest="date_to", metavar="YYYY-MM-DD", help="events on or before this date"
    )
    g.add_argument("--country", help="country name or ISO 3166 alpha-3 code")
    g.add_argument("--admin1", help="first-level administrative division")
    g.add_argument(
        "--type", dest="event_type", metavar="EVENT_TYPE", help="ACLED event type, e.g. 'Battles'"
    )
    g.add_argument(
        "--sub-type",
        dest="sub_event_type",
        metavar="SUB_EVENT_TYPE",
        help="ACLED sub-event type, e.g. 'Air/drone strike'",
    )
    g.add_argument("--actor", help="part of an actor's name")
    g.add_argument(
        "--text", help="words that must all appear in the event's place, actors, notes or evidence"
    )
    g.add_argument(
        "--bbox",
        metavar="W,S,E,N",
        help="bounding box: west,south,east,north in degrees (--bbox=-10,5,20,15 when west is negative)",
    )
    g.add_argument("--min-sources", type=int, metavar="N", help="reported by at least N publishers")
    g.add_argument(
        "--min-independent",
        type=int,
        metavar="N",
        help="reported by at least N independent sources",
    )
    g.add_argument("--status", help=f"one or more of {', '.join(STATUSES)} (comma-separated)")


def _query(args: argparse.Namespace, **extra: Any) -> EventQuery:
    names = (
        "date_from",
        "date_to",
        "country",
        "admin1",
        "event_type",
        "sub_event_type",
        "actor",
        "text",
        "bbox",
        "min_sources",
        "min_independent",
        "status",
    )
    return EventQuery.from_filters(**{n: getattr(args, n, None) for n in names}, **extra)


def cmd_ingest(args: argparse.Namespace) -> int:
    """Extract, store and merge; bad inputs get one line each and exit status 1."""
    if not args.inputs and not args.examples and not args.from_parquet:
        return usage("ingest", "give at least one INPUT (or - for stdin, or --examples)")
    if args.jobs is not None and args.jobs < 1:
        return usage("ingest", "--jobs must be at least 1")
    if args.parquet_out and not args.dask:
        return usage("ingest", "--parquet-out needs --dask")
    options = IngestOptions(
        jobs=args.jobs or usable_cores(),
        chunk_size=args.chunk_size,
        dask=args.dask,
        parquet_out=args.parquet_out,
        from_parquet=args.from_parquet,
        progress=args.progress if args.progress is not None else sys.stderr.isatty(),
    )
    with Store.open(args.db or default_path()) as store:  # before the model loads: fails fast
        items = iter_work(args) if args.inputs or args.examples else None
        with graceful_interrupt() as stop:
            stats = run_ingest(items, store, settings_from(args), options, stop)
        if args.parquet_out:
            where = f"into Parquet partitions in {args.parquet_out}"
        else:
            totals = store.stats()
            where = f"into {store.path}, which holds {totals.events} events from {totals.articles} articles"
    print(f"sitrep: {stats.summary()} {where}", file=sys.stderr)
    if stop.requested:
        print(
            "sitrep: interrupted; run the same command again to go on where it stopped",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return 1 if stats.failed else 0


def cmd_events(args: argparse.Namespace) -> int:
    """Query merged events and write them in the chosen format."""
    fmt = args.format
    out_fmt = None
    if args.output:
        out_fmt = output_format(args.output, fmt)
    else:
        fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    limit = args.limit
    if limit is None and fmt == "table" and not args.output:
        limit = TABLE_LIMIT
    try:
        query = _query(args, limit=limit, offset=args.offset, order=args.order)
    except ValueError as exc:
        return usage("events", str(exc))
    if (fmt == "parquet" and not args.output) and sys.stdout.isatty():
        return usage(
            "events", "Parquet is binary: give -o FILE.parquet or redirect standard output"
        )
    with Store.open(args.db or default_path(), readonly=True) as store:
        records = store.events(query)
        total = store.count_events(query) if limit is not None else len(records)
    if args.output:
        n = _write_file(Path(args.output), records, out_fmt or "jsonl")
        print(f"sitrep: wrote {n} events to {args.output}", file=sys.stderr)
    else:
        assert fmt is not None
        if fmt == "parquet":
            from sitrep.export import write_parquet

            write_parquet(records, sys.stdout.buffer)
        else:
            _writer(fmt)(records, sys.stdout)
        if len(records) < total:
            print(
                f"sitrep: showing {len(records)} of {total} events (use --limit/--offset)",
                file=sys.stderr,
            )
    return 0


def _writer(fmt: str) -> Callable[[list[EventRecord], IO[str]], int]:
    from sitrep.export import write_events, write_plover

    if fmt == "plover":
        return write_plover
    return lambda records, out: write_events(records, out, fmt)


def _write_file(path: Path, records: list[EventRecord], fmt: str) -> int:
    """Write the records to ``path`` in ``fmt``, atomically."""
    if fmt == "parquet":
        from sitrep.export import write_parquet

        return int(write_atomically(path, print, binary=lambda tmp: write_parquet(records, tmp)))
    return int(write_atomically(path, lambda f: _writer(fmt)(records, f)))


# -- rebuild and stats -------------------------------------------------------------------------


def cmd_rebuild(args: argparse.Namespace) -> int:
    """Re-derive all events from the stored mentions."""
    db = args.db or default_path()
    with Store.open(db) as store:
        before = store.stats().events
        result = store.rebuild()
    print(
        f"sitrep: rebuilt {db}: {result.mentions} mentions -> {result.events} events (was {before})",
        file=sys.stderr,
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    """Totals, then events per week (or day) and event type."""
    try:
        query = _query(args)
    except ValueError as exc:
        return usage("stats", str(exc))
    with Store.open(args.db or default_path(), readonly=True) as store:
        stats = store.stats()
        counts = store.counts(args.by, query)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "stats": stats.__dict__,
                    "counts": [c.__dict__ for c in counts],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(
        f"{stats.path}: schema {stats.schema_version}; {stats.articles} articles, {stats.mentions} mentions, "
        f"{stats.events} events from {stats.sources} sources; dates {stats.first_date or '-'} .. {stats.last_date or '-'}"
    )
    if stats.by_status:
        print("status: " + ", ".join(f"{k} {v}" for k, v in stats.by_status.items()))
    print(_counts_table(counts, args.by))
    return 0


def _counts_table(counts: list[Any], by: str) -> str:
    from sitrep.taxonomy import event_types

    types = event_types()
    short = [t.split("/")[0].split(" ")[0] for t in types]
    periods: dict[str, dict[str, int]] = {}
    for c in counts:
        periods.setdefault(c.period, {})[c.event_type] = c.events
    head = ["week of" if by == "week" else "day", *short, "total"]
    widths = [max(10, len(head[0]))] + [max(len(s), 5) for s in short] + [5]
    lines = [
        "  ".join(
            h.rjust(w) if i else h.ljust(w)
            for i, (h, w) in enumerate(zip(head, widths, strict=True))
        )
    ]
    for period in sorted(periods):
        row = periods[period]
        cells = [period] + [str(row.get(t, 0)) for t in types] + [str(sum(row.values()))]
        lines.append(
            "  ".join(
                c.rjust(w) if i else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
        )
    if not periods:
        lines.append("(no dated events)")
    return "\n".join(lines)
