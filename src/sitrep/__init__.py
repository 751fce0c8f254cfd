"""sitrep: news reporting about armed conflict in, an ACLED-style event dataset out."""

from __future__ import annotations

import logging

from sitrep.errors import SitrepError
from sitrep.models import Article, Event, Place

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Article", "Event", "Place", "SitrepError"]
__version__ = "0.1.0"
