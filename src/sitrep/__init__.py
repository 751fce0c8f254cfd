"""sitrep: news reporting about armed conflict in, an ACLED-style event dataset out."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

from sitrep.errors import SitrepError
from sitrep.models import Article, Event, Place
from sitrep.version import __version__

if TYPE_CHECKING:
    from sitrep.store.dataset import Dataset

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Article", "Event", "Place", "SitrepError", "__version__", "open"]


def open(path: str | os.PathLike[str] | None = None) -> Dataset:  # noqa: A001
    """Open an event database read-only: ``sitrep.open("sitrep.db").events(country="Sudan")``.

    ``path`` defaults to ``$SITREP_DB``, else ``./sitrep.db``; see ``sitrep.store.Dataset``.
    """
    from sitrep.store.dataset import open_dataset

    return open_dataset(path)
