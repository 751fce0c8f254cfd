"""The NLP stages: sentences, triggers, actors, dates, casualties, weapons, claims, merging, events."""

from sitrep.pipeline.extract import Extractor

__all__ = ["Extractor"]
