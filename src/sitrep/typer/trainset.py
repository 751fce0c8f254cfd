"""sitrep's own training corpus, as shipped in the package: the items of ``corpus/train/`` in the
repository (written by the team in six genres, and sentences of public-domain VOA stories), copied
into ``sitrep/data/typer/corpus-train.jsonl.gz`` by ``scripts/train_typer.py``. ``sitrep train``
adds a user's data to it."""

from __future__ import annotations

from sitrep.resources import data_path
from sitrep.typer.corpus import LabeledText, read_labeled

SNAPSHOT = ("typer", "corpus-train.jsonl.gz")


def bundled_items() -> list[LabeledText]:
    """Every item of the shipped training corpus."""
    return read_labeled(data_path(*SNAPSHOT))
