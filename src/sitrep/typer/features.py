"""Texts as vectors for the typer's linear head.

Two blocks, concatenated:
- **embeddings**: static sentence embeddings (model2vec) distilled once from all-MiniLM-L6-v2; they
  carry meaning across wordings ("stormed", "overran", "seized");
- **n-grams**: hashed word unigrams and bigrams weighted by inverse document frequency; they
  carry the exact cues a sub-type turns on ("tear gas", "defused", "suicide bomber").

Only the n-gram columns seen in training are kept, so a saved typer stays small.
"""

from __future__ import annotations

import re
import zlib
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sitrep.resources import data_path

EMBEDDINGS = ("typer", "minilm-static")  # under sitrep/data: the distilled model2vec model
HASH_FEATURES = 2**20
_TOKEN = re.compile(r"\b\w[\w'-]*\b")
_DIGITS = re.compile(r"\d")


def normalise(text: str) -> str:
    """Digits folded to 0 so that numbers do not become cues of their own."""
    return _DIGITS.sub("0", text)


MAX_TOKENS = 512


@cache
def _static_model(path: str) -> tuple[Any, NDArray[np.float32]]:
    """The distilled model's tokenizer and token vectors (read with ``tokenizers`` and
    ``safetensors``: no torch, no model2vec, nothing that runs code from the files)."""
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(Path(path) / "tokenizer.json"))
    vectors = load_file(str(Path(path) / "model.safetensors"))["embeddings"].astype(np.float32)
    return tokenizer, vectors


def embeddings_dir() -> Path:
    return data_path(*EMBEDDINGS)


def embed(texts: list[str]) -> NDArray[np.float32]:
    """Unit-length sentence embeddings (the mean of the texts' token vectors), one row per text."""
    tokenizer, vectors = _static_model(str(embeddings_dir()))
    out = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
    for row, enc in enumerate(tokenizer.encode_batch(texts, add_special_tokens=False)):
        ids = enc.ids[:MAX_TOKENS]
        if ids:
            out[row] = vectors[ids].mean(axis=0)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    unit: NDArray[np.float32] = out / np.maximum(norms, 1e-9)
    return unit


def ngram_hashes(text: str) -> list[int]:
    """The hashed columns of a text's lower-cased word unigrams and bigrams (with repeats)."""
    words = _TOKEN.findall(normalise(text).lower())
    grams = words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    return [zlib.crc32(g.encode("utf-8")) % HASH_FEATURES for g in grams]


def hashed_counts(texts: list[str]) -> Any:
    """Sparse counts of hashed word uni- and bigrams (a CSR matrix, HASH_FEATURES columns).

    Used in training; at run time ``Typer`` looks the kept columns up directly."""
    from scipy import sparse

    rows: list[int] = []
    cols: list[int] = []
    for i, text in enumerate(texts):
        hashes = ngram_hashes(text)
        rows.extend([i] * len(hashes))
        cols.extend(hashes)
    data = np.ones(len(cols), dtype=np.float32)
    m = sparse.csr_matrix((data, (rows, cols)), shape=(len(texts), HASH_FEATURES))
    m.sum_duplicates()
    return m
