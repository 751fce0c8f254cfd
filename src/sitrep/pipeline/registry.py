"""The ordered list of built-in stages (the pipeline's one registry).

``Extractor`` runs the list ``default_stages`` returns and checks its order once with
``check_order``; to add a stage, write it beside the others and insert it here (or pass your own list
to ``Extractor(stages=...)``).
"""

from __future__ import annotations

from typing import Any

from sitrep.geo import Geoparser
from sitrep.pipeline.stages import (
    ChooseCandidates,
    FindClaims,
    FindMentions,
    FindTriggers,
    Geoparse,
    MergeMentions,
    Parse,
    SplitSentences,
    Stage,
    WriteEvents,
)
from sitrep.pipeline.typing_stage import TypeMentions, TypeSentences
from sitrep.typer import Typer


def default_stages(
    nlp: Any,
    geoparser: Geoparser,
    *,
    fast: bool = True,
    events_only: bool = False,
    batch_size: int = 64,
    typer: Typer | None = None,
) -> list[Stage]:
    """The built-in stages, in order; with a ``typer``, its two stages join them."""
    typed = typer is not None
    stages: list[Stage] = [SplitSentences()]
    if typer is not None:
        stages.append(TypeSentences(typer))
    stages += [
        ChooseCandidates(fast=fast, events_only=events_only, typed=typed),
        Parse(nlp, batch_size=batch_size),
        FindTriggers(),
        Geoparse(geoparser, typed=typed),
        FindClaims(),
        FindMentions(),
    ]
    if typed:
        stages.append(TypeMentions())
    stages += [MergeMentions(), WriteEvents()]
    return stages
