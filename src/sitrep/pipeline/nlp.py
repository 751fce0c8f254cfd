"""Loading the spaCy pipeline: the pinned English model by default, any installed pipeline by name or path."""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from sitrep.errors import PipelineError
from sitrep.settings import settings

log = logging.getLogger(__name__)

# The extractor needs the tagger, parser, lemmatizer and NER; nothing else is loaded.
_NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@cache
def load_model(name: str | None = None) -> Any:
    """Load a spaCy pipeline by package name or path (``SITREP_MODEL`` or the pinned default)."""
    name = name or settings().model_name
    try:
        import spacy

        nlp = spacy.load(name)
    except (OSError, ImportError, ValueError) as exc:
        raise PipelineError(f"cannot load spaCy pipeline {name!r}: {exc}", model=name) from exc
    missing = [p for p in ("parser", "ner") if p not in nlp.pipe_names]
    if missing:
        raise PipelineError(f"spaCy pipeline {name!r} lacks {', '.join(missing)}", model=name)
    disable = [p for p in nlp.pipe_names if p not in _NEEDED]
    if disable:
        nlp.select_pipes(disable=disable)
    log.info("loaded spaCy pipeline %s (%s)", name, ", ".join(nlp.pipe_names))
    return nlp


def entities(nlp: Any, text: str) -> list[tuple[int, int, str]]:
    """spaCy's named entities of a text of any length, as (start, end, label) offsets into it: the
    whole text when it is under the pipeline's ``max_length``, else pieces of whole sentences
    (never an E088 error)."""
    from sitrep.pipeline.bounds import pieces
    from sitrep.pipeline.sentences import sentences

    if len(text) < nlp.max_length:
        return [(e.start_char, e.end_char, e.label_) for e in nlp(text).ents]
    out: list[tuple[int, int, str]] = []
    for a, b in pieces(sentences(text), nlp.max_length // 2):
        out.extend((a + e.start_char, a + e.end_char, e.label_) for e in nlp(text[a:b]).ents)
    return out
