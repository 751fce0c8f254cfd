"""Training a typer: features, a multinomial logistic regression, and a temperature fitted on a
held-back part of the training data so that the probabilities mean what they say.

Deterministic for a given seed and data: the same files give the same weights.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sitrep.typer import features
from sitrep.typer.corpus import LabeledText
from sitrep.typer.labels import LABELS
from sitrep.typer.model import Typer

Progress = Callable[[str, float], None]  # (what is being done, fraction done)


@dataclass(frozen=True)
class TrainSettings:
    """The knobs of a training run (their defaults were chosen on the dev split)."""

    seed: int = 13
    c: float = 20.0  # inverse regularisation strength of the logistic regression
    embedding_weight: float = 0.5  # scale of the embedding block against the n-gram block
    min_df: int = 2  # n-grams seen in fewer training texts are dropped
    calibration_fraction: float = 0.1  # held back to fit the temperature
    max_iter: int = 3000


def data_version(items: Sequence[LabeledText]) -> str:
    """A fingerprint of the training data (texts and labels, in order)."""
    h = hashlib.sha256()
    for it in items:
        h.update(it.text.encode("utf-8") + b"\x1f" + it.label.encode("utf-8") + b"\x1e")
    return h.hexdigest()[:16]


def stratified_split(
    items: Sequence[LabeledText], fraction: float, seed: int
) -> tuple[list[LabeledText], list[LabeledText]]:
    """(rest, held) with about ``fraction`` of each label held, chosen with ``seed``."""
    rng = random.Random(seed)
    by_label: dict[str, list[LabeledText]] = {}
    for it in items:
        by_label.setdefault(it.label, []).append(it)
    rest: list[LabeledText] = []
    held: list[LabeledText] = []
    for label in sorted(by_label):
        group = list(by_label[label])
        rng.shuffle(group)
        k = int(round(len(group) * fraction)) if len(group) >= 5 else 0
        held.extend(group[:k])
        rest.extend(group[k:])
    return rest, held


def _idf(counts: Any, min_df: int) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    df = np.asarray((counts > 0).sum(axis=0)).ravel()
    columns = np.flatnonzero(df >= min_df).astype(np.int64)
    n = counts.shape[0]
    idf = (np.log((1.0 + n) / (1.0 + df[columns])) + 1.0).astype(np.float32)
    return columns, idf


def _design(typer: Typer, texts: list[str], emb: NDArray[np.float32]) -> Any:
    from scipy import sparse

    return sparse.hstack(
        [sparse.csr_matrix(emb * typer.embedding_weight), typer.ngram_block(texts)]
    ).tocsr()


def fit_temperature(logits: NDArray[np.float32], y: NDArray[np.int64]) -> float:
    """The temperature that minimises the negative log-likelihood of the true labels."""
    best_t, best_nll = 1.0, math.inf
    for t in np.exp(np.linspace(math.log(0.25), math.log(8.0), 64)):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = float(-logp[np.arange(len(y)), y].mean())
        if nll < best_nll:
            best_t, best_nll = float(t), nll
    return best_t


def fit_none_weight(typer: Typer, held: Sequence[LabeledText]) -> float:
    """The weight on p(none) that gives the best weighted F1 on held-back items: a typer trained
    on more negatives than events otherwise says "none" too readily."""
    from sitrep.typer.evaluate import scores

    probs = typer.predict_proba([it.text for it in held])
    gold = [it.label for it in held]
    best_w, best_f1 = 1.0, -1.0
    for w in np.round(np.linspace(0.1, 1.0, 19), 3):
        choose = probs.copy()
        choose[:, typer.none_index] *= w
        pred = [typer.labels[i] for i in choose.argmax(axis=1)]
        f1 = scores(gold, pred)["weighted_f1"]
        if f1 > best_f1 + 1e-9:
            best_w, best_f1 = float(w), f1
    return best_w


def train_typer(
    items: Sequence[LabeledText],
    settings: TrainSettings | None = None,
    progress: Progress | None = None,
    meta: dict[str, Any] | None = None,
) -> Typer:
    """A typer fitted on ``items`` (each label needs at least two items to be learned)."""
    from sklearn.linear_model import LogisticRegression

    s = settings or TrainSettings()
    say = progress or (lambda what, done: None)
    index = {label: i for i, label in enumerate(LABELS)}
    fit_items, calib_items = stratified_split(items, s.calibration_fraction, s.seed)

    def fit(train_items: Sequence[LabeledText]) -> Typer:
        texts = [it.text for it in train_items]
        say("embedding texts", 0.1)
        emb = features.embed(texts)
        say("counting n-grams", 0.3)
        columns, idf = _idf(features.hashed_counts(texts), s.min_df)
        shell = Typer(
            labels=LABELS,
            columns=columns,
            idf=idf,
            coef=np.zeros((len(LABELS), emb.shape[1] + len(columns)), dtype=np.float32),
            intercept=np.zeros(len(LABELS), dtype=np.float32),
            embedding_weight=s.embedding_weight,
        )
        x = _design(shell, texts, emb)
        y = np.array([index[it.label] for it in train_items])
        say("fitting the linear head", 0.5)
        clf = LogisticRegression(C=s.c, max_iter=s.max_iter, random_state=s.seed)
        clf.fit(x, y)
        coef = np.zeros((len(LABELS), x.shape[1]), dtype=np.float32)
        intercept = np.full(
            len(LABELS), -30.0, dtype=np.float32
        )  # a label never seen: never chosen
        if len(clf.classes_) == 2:  # one logit: the second class against the first
            coef[clf.classes_[0]], intercept[clf.classes_[0]] = 0.0, 0.0
            coef[clf.classes_[1]], intercept[clf.classes_[1]] = clf.coef_[0], clf.intercept_[0]
        else:
            for row, cls in enumerate(clf.classes_):
                coef[cls], intercept[cls] = clf.coef_[row], clf.intercept_[row]
        shell.coef, shell.intercept = coef, intercept
        return shell

    typer = fit(fit_items)
    if calib_items:
        say("calibrating", 0.8)
        logits = typer.logits([it.text for it in calib_items])
        typer.temperature = fit_temperature(
            logits, np.array([index[it.label] for it in calib_items])
        )
        typer.none_weight = fit_none_weight(typer, calib_items)
    temperature, none_weight = typer.temperature, typer.none_weight
    say("refitting on all the data", 0.85)
    typer = fit(list(items))
    typer.temperature, typer.none_weight = temperature, none_weight
    counts = Counter(it.label for it in items)
    typer.meta = {
        "items": len(items),
        "per_label": dict(sorted(counts.items())),
        "data_version": data_version(items),
        "settings": s.__dict__,
        **(meta or {}),
    }
    say("done", 1.0)
    return typer
