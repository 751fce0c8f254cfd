"""Extraction in this process: the single-process runner (``--jobs 1``) and the reference for the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from sitrep.runner.work import DEFAULT_CHUNK, Result, Work, chunked, extract_items


def run_local(
    extractor: Any,
    items: Iterable[Work],
    *,
    chunk_size: int = DEFAULT_CHUNK,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[Result]:
    """One result per item, in order, extracted here; stops between chunks once ``stop()`` is true."""
    for chunk in chunked(items, chunk_size):
        if stop():
            return
        yield from extract_items(extractor, chunk)
