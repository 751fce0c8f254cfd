"""A trained typer: a linear head over sentence embeddings and hashed n-grams, with a temperature
that calibrates its probabilities.

Saved as a folder of plain data that cannot run code when loaded: ``typer.json`` (format marker,
labels, provenance, scores) and ``weights.npz`` (numpy arrays, read with ``allow_pickle=False``).
A typer someone shares is data, never a program.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sitrep.errors import SitrepError
from sitrep.resources import data_path
from sitrep.typer import features
from sitrep.typer.labels import LABELS, NONE

FORMAT = "sitrep-typer"
FORMAT_VERSION = 1
_ARRAYS = ("columns", "idf", "coef", "intercept")


class TyperError(SitrepError):
    """A folder that is not a usable sitrep typer; the message names it and says why."""


@dataclass
class Typer:
    """Probabilities over ``labels`` (the 25 sub-event types and ``none``) for short texts."""

    labels: tuple[str, ...]
    columns: NDArray[np.int64]  # the hashed n-gram columns kept, sorted
    idf: NDArray[np.float32]  # their inverse document frequencies
    coef: NDArray[np.float32]  # labels x (embedding dims + kept columns)
    intercept: NDArray[np.float32]
    temperature: float = 1.0
    embedding_weight: float = 1.0
    none_weight: float = (
        1.0  # p(none) is scaled by this when choosing a label (set on held-back data)
    )
    meta: dict[str, Any] = field(default_factory=dict)
    _lookup: dict[int, int] | None = field(default=None, repr=False, compare=False)

    @property
    def none_index(self) -> int:
        return self.labels.index(NONE)

    def ngram_block(self, texts: list[str]) -> Any:
        """The texts' kept n-gram columns, tf-idf weighted and of unit length (sparse)."""
        counts = features.hashed_counts(texts)[:, self.columns]
        weighted = counts.multiply(self.idf.reshape(1, -1)).tocsr()
        norms = np.sqrt(np.asarray(weighted.multiply(weighted).sum(axis=1))).ravel()
        scale = 1.0 / np.maximum(norms, 1e-9)
        return weighted.multiply(scale.reshape(-1, 1)).tocsr()

    def logits(self, texts: list[str]) -> NDArray[np.float32]:
        dims = self.coef.shape[1] - len(self.columns)
        emb = features.embed(texts) * self.embedding_weight
        out = emb @ self.coef[:, :dims].T
        out += self._ngram_logits(texts, self.coef[:, dims:])
        out += self.intercept
        return np.asarray(out, dtype=np.float32)

    def _ngram_logits(self, texts: list[str], coef: NDArray[np.float32]) -> NDArray[np.float32]:
        """The n-gram block's share of the logits, by direct look-up of the kept columns (the
        same values as ``ngram_block`` gives in training, without building a sparse matrix)."""
        if self._lookup is None:
            self._lookup = {int(c): i for i, c in enumerate(self.columns)}
        out = np.zeros((len(texts), coef.shape[0]), dtype=np.float32)
        for row, text in enumerate(texts):
            counts = Counter(
                self._lookup[h] for h in features.ngram_hashes(text) if h in self._lookup
            )
            if not counts:
                continue
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float32, count=len(counts))
            weights = tf * self.idf[idx]
            weights /= max(float(np.linalg.norm(weights)), 1e-9)
            out[row] = coef[:, idx] @ weights
        return out

    def predict_proba(self, texts: list[str]) -> NDArray[np.float32]:
        """One row per text: calibrated probabilities over ``labels``."""
        if not texts:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        z = self.logits(texts) / self.temperature
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return np.asarray(p / p.sum(axis=1, keepdims=True), dtype=np.float32)

    def predict(self, texts: list[str]) -> list[tuple[str, float, float]]:
        """Per text: the most probable label, its probability, and the probability of an event."""
        return [(label, p, event) for label, p, event, _ in self.read(texts)]

    def read(
        self, texts: list[str], likely: float = 0.01
    ) -> list[tuple[str, float, float, dict[str, float]]]:
        """``predict`` and, per text, the probability of every label above ``likely``."""
        probs = self.predict_proba(texts)
        out = []
        for row in probs:
            choose = row.copy()
            choose[self.none_index] *= self.none_weight
            best = int(choose.argmax())
            above = {self.labels[j]: float(row[j]) for j in np.flatnonzero(row >= likely)}
            out.append(
                (self.labels[best], float(row[best]), float(1.0 - row[self.none_index]), above)
            )
        return out

    # -- files --------------------------------------------------------------------------------

    def save(self, folder: str | Path) -> Path:
        """Write the typer to ``folder`` (created or replaced whole; never left half-written)."""
        target = Path(folder)
        if target.exists() and not (target / "typer.json").exists() and any(target.iterdir()):
            raise TyperError(f"{target}: exists and is not a sitrep typer; not overwriting it")
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
        try:
            np.savez_compressed(
                tmp / "weights.npz",
                columns=self.columns,
                idf=self.idf,
                coef=self.coef.astype(np.float32),
                intercept=self.intercept.astype(np.float32),
            )
            info = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "labels": list(self.labels),
                "temperature": self.temperature,
                "embedding_weight": self.embedding_weight,
                "none_weight": self.none_weight,
                "embeddings": "/".join(features.EMBEDDINGS),
                "meta": self.meta,
            }
            (tmp / "typer.json").write_text(
                json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
            )
            if target.exists():
                old = target.with_name(f".{target.name}.old.{os.getpid()}")
                target.rename(old)
                tmp.rename(target)
                shutil.rmtree(old, ignore_errors=True)
            else:
                tmp.rename(target)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return target


def load_typer(folder: str | Path) -> Typer:
    """A typer saved by ``Typer.save``; ``TyperError`` for anything else."""
    path = Path(folder)
    info_file = path / "typer.json"
    if not info_file.is_file():
        raise TyperError(f"{path}: not a sitrep typer (no typer.json)")
    try:
        info = json.loads(info_file.read_text(encoding="utf-8"))
    except (ValueError, OSError) as err:
        raise TyperError(f"{path}: not a sitrep typer (typer.json unreadable: {err})") from None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        raise TyperError(f"{path}: not a sitrep typer (typer.json has no sitrep-typer format)")
    if info.get("format_version") != FORMAT_VERSION:
        raise TyperError(f"{path}: typer format version {info.get('format_version')!r} unknown")
    labels = tuple(info.get("labels") or ())
    if set(labels) != set(LABELS) or len(labels) != len(LABELS):
        raise TyperError(f"{path}: the typer's labels are not ACLED's 25 sub-event types and none")
    try:
        with np.load(path / "weights.npz", allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in _ARRAYS}
    except (OSError, KeyError, ValueError) as err:
        raise TyperError(f"{path}: weights.npz missing or damaged ({err})") from None
    coef = arrays["coef"]
    if (
        coef.ndim != 2
        or coef.shape[0] != len(labels)
        or arrays["intercept"].shape != (len(labels),)
    ):
        raise TyperError(f"{path}: weights do not match the labels")
    if len(arrays["columns"]) != len(arrays["idf"]) or coef.shape[1] <= len(arrays["columns"]):
        raise TyperError(f"{path}: weights do not match the n-gram columns")
    return Typer(
        labels=labels,
        columns=arrays["columns"].astype(np.int64),
        idf=arrays["idf"].astype(np.float32),
        coef=coef.astype(np.float32),
        intercept=arrays["intercept"].astype(np.float32),
        temperature=float(info.get("temperature") or 1.0),
        embedding_weight=float(info.get("embedding_weight") or 1.0),
        none_weight=float(info.get("none_weight") or 1.0),
        meta=dict(info.get("meta") or {}),
    )


def bundled_typer_path() -> Path:
    """The typer trained on sitrep's own corpus, shipped in the package."""
    return data_path("typer", "model")
