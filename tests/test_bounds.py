"""What keeps an article's cost bounded: sentence windows with exact offsets, the caps (reported),
the time budget, and the extractor on texts that used to stall it."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest

from sitrep.errors import OverBudget
from sitrep.models import Article, Span
from sitrep.pipeline import bounds
from sitrep.pipeline.sentences import MAX_SENTENCE_CHARS, sentences

LONG = "gunmen killed 3 people in Kabul and " * 300  # one 10,800-character sentence


def test_a_long_sentence_comes_in_windows_with_exact_offsets() -> None:
    text = "Police said so. " + LONG + "the army said.\n\nAnother paragraph here."
    got = sentences(text)
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in got)
    assert all(text[s.start : s.end] == s.text for s in got)
    assert all(a.end <= b.start for a, b in zip(got, got[1:], strict=False))
    assert got[-1].text == "Another paragraph here." and len(got) == 13
    # cut at a clause break ("... in Kabul | and gunmen ..."), nothing lost but the spaces cut at
    assert all(s.text.endswith("Kabul") for s in got[:-2])
    assert "".join(s.text for s in got).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_a_text_without_spaces_is_cut_hard() -> None:
    text = "x" * 2_500
    got = sentences(text)
    assert [len(s.text) for s in got] == [1_000, 1_000, 500]


def test_abbreviations_still_hold_and_rejected_boundaries_stay_cheap() -> None:
    assert [s.text for s in sentences("Mr. Smith came. Dr. Jones left.")] == [
        "Mr. Smith came.",
        "Dr. Jones left.",
    ]
    text = (
        "Mr. " * 50_000
    )  # 50,000 rejected boundaries, each re-read from the sentence start before
    t0 = time.perf_counter()
    got = sentences(text)
    assert time.perf_counter() - t0 < 2.0
    assert sum(len(s.text) for s in got) >= len(text.strip()) - len(got)


def test_pieces_cover_the_sentences_in_order() -> None:
    sents = [Span("a" * 10, i * 11, i * 11 + 10) for i in range(100)]
    got = bounds.pieces(sents, 100)
    assert got[0][0] == 0 and got[-1][1] == sents[-1].end
    assert all(a[1] == b[0] for a, b in zip(got, got[1:], strict=False))


def test_the_budget_runs_only_while_resumed_and_cancels() -> None:
    budget = bounds.Budget(0.05)
    budget.resume()
    budget.check()
    time.sleep(0.06)
    with pytest.raises(OverBudget, match="over the 0.05 s budget; skipped"):
        budget.check()
    paused = bounds.Budget(0.05)
    paused.resume()
    paused.pause()
    time.sleep(0.06)
    paused.check()  # paused: the clock does not run
    with pytest.raises(OverBudget):
        paused.charge(0.06)
    cancel = threading.Event()
    cancelled = bounds.Budget(None, cancel)
    cancelled.check()
    cancel.set()
    with pytest.raises(OverBudget, match="cancelled") as err:
        cancelled.check()
    assert err.value.cancelled


def test_the_long_sentence_costs_linear_time(extractor) -> None:  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    report = extractor.report(Article(id="long", text=LONG * 4))  # 43 KB: two minutes before
    assert time.perf_counter() - t0 < 30
    assert len(report.events) == 1 and len(report.events[0].evidence) > 40
    assert report.capped == []


def test_reading_is_capped_and_the_cap_reported(
    extractor: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bounds, "MAX_PARSED_CHARS", 2_000)
    text = "Police arrested a man. " * 1_000  # 23,000 characters, every sentence a candidate
    report = extractor.report(Article(id="short", text=text))
    stop = (2_000 // 22) * 23  # where the sentence that passes the cap starts
    assert report.capped[0] == (
        f"not read past character {stop:,} of {len(text):,}: candidate sentences over "
        "2,000 characters"
    )
    assert len(report.events) == 1


def test_evidence_per_event_is_capped_and_the_cap_reported(extractor) -> None:  # type: ignore[no-untyped-def]
    report = extractor.report(Article(id="short", text="Police arrested a man. " * 150))
    assert len(report.events) == 1
    assert report.capped == [f"50 evidence items past {bounds.MAX_EVIDENCE} per event left out"]
    assert report.to_dict()["capped"] == report.capped


def test_an_article_past_its_budget_is_skipped_with_the_reason(extractor) -> None:  # type: ignore[no-untyped-def]
    from sitrep.pipeline import Extractor

    tight = Extractor(extractor.nlp, extractor.geoparser, typer=extractor.typer, budget=0.2)
    reports = list(
        tight.report_batch(
            [
                Article(id="long", text=LONG * 10),
                Article(id="short", text="Gunmen killed three people in Kabul on Monday."),
            ]
        )
    )
    assert reports[0].skipped == "over the 0.2 s budget; skipped" and not reports[0].events
    assert not reports[1].skipped and len(reports[1].events) == 1
    with pytest.raises(OverBudget):
        tight.extract(Article(id="long", text=LONG * 10))
