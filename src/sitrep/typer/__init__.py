"""The learned event typer: is a sentence (or a short text) an event report, and of which of ACLED's
25 sub-event types, with a calibrated probability.

``corpus`` reads labelled data (sitrep's JSONL, a user's ACLED export CSV), ``features`` turns texts
into vectors (static sentence embeddings distilled from MiniLM, and hashed word n-grams), ``model``
holds a trained typer and saves it as numpy arrays and JSON (never pickle), ``train`` fits one,
``evaluate`` scores one. The pipeline uses it through ``sitrep.pipeline.typing_stage``.
"""

from __future__ import annotations

from sitrep.typer.labels import LABELS, NONE
from sitrep.typer.model import Typer, TyperError, bundled_typer_path, load_typer

__all__ = ["LABELS", "NONE", "Typer", "TyperError", "bundled_typer_path", "load_typer"]
