"""Who says so, and how sure: the claims stage.

War reporting is made of claims. For an event found in some sentences, ``attribute`` says who
reported it, who claimed it, who was blamed and by whom, who denied it, the hedges, and the
probability that estimative language ("highly likely", "almost certainly") puts on it.
``find_statements`` lists direct and indirect statements with their speakers, ``find_assessments``
the judgements that are not events (assessments, forecasts), and ``estimate`` reads estimative
language against the PHIA and ICD 203 yardsticks (``data/yardstick.json``).

Status precedence, when several apply to one event, runs from the most to the least contested:
denied > suspected > claimed > unconfirmed > reported > asserted. A denial outweighs everything
because it means a party contests the event; a suspicion or blame contests who did it; a claim is
one party's word; "unconfirmed" says the publisher could not check it; "reported" only names a
source. See docs/attribution.md.

The code lives by concern in ``claim_estimates`` (estimative language), ``claim_statements``
(statements), ``claim_assessments`` (assessments) and ``claim_attribution`` (the attribution of
an event), built on the quote modules that ``sitrep.pipeline.quotes`` gathers; this module
gathers their public names.
"""

from __future__ import annotations

from sitrep.models import Assessment, Statement
from sitrep.pipeline.claim_assessments import find_assessments
from sitrep.pipeline.claim_attribution import STATEMENTS_KEY, attribute
from sitrep.pipeline.claim_attribution import STATUS_ORDER as STATUS_ORDER
from sitrep.pipeline.claim_estimates import estimate, yardstick_for
from sitrep.pipeline.claim_statements import find_statements

__all__ = [
    "STATEMENTS_KEY",
    "Assessment",
    "Statement",
    "attribute",
    "estimate",
    "find_assessments",
    "find_statements",
    "yardstick_for",
]
