"""Who says what: quotation marks, the people and bodies quoted, and the verbs that attribute.

The claims stage (``sitrep.pipeline.claims``) builds on three things found here:

- ``scan_quotes``: where direct quotes open and close, over paragraphs, tolerating unbalanced marks and
  quotes that run over several paragraphs (each new paragraph reopens the quote, the last one closes it);
- ``source_of``: the noun phrase naming a source, as written, split into a name and a role;
- ``frames_in``: the attribution frames of a sentence: "X said", "according to X", "X claimed",
  "X denied", "X blamed Y", "Y is suspected".

Offsets are absolute in the article: the offset of the sentence's doc plus ``token.idx``.

The code lives by concern in ``quote_marks`` (sentences, paragraphs and quotation marks),
``quote_sources`` (who is speaking), ``quote_frames`` (reporting frames) and ``quote_lexicon``
(the attribution words); this module gathers their public names.
"""

from __future__ import annotations

from sitrep.pipeline.quote_frames import Frame, frames_in, governs, negated
from sitrep.pipeline.quote_lexicon import lexicon
from sitrep.pipeline.quote_marks import (
    Paragraph,
    QuoteSegment,
    Unit,
    paragraphs_of,
    scan_quotes,
    units_of,
)
from sitrep.pipeline.quote_sources import Source, Speakers, source_of, sources_of

__all__ = [
    "Frame",
    "Paragraph",
    "QuoteSegment",
    "Source",
    "Speakers",
    "Unit",
    "frames_in",
    "governs",
    "lexicon",
    "negated",
    "paragraphs_of",
    "scan_quotes",
    "source_of",
    "sources_of",
    "units_of",
]
