"""The extractor end to end on real text: the seed page (acceptance), VOA stories, and general properties."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import SEED, shared_dir

from sitrep.ingest import article_from_record, article_from_text
from sitrep.models import Event
from sitrep.taxonomy import event_type_of, sub_event_types


@pytest.fixture(scope="module")
def seed(extractor):  # type: ignore[no-untyped-def]
    art = article_from_text(SEED.read_text(encoding="utf-8"), source=str(SEED))
    return art, extractor.extract(art)


def _find(events: list[Event], sub: str, admin1: str) -> list[Event]:
    return [e for e in events if e.sub_event_type == sub and e.admin1 == admin1]


def test_seed_metadata(seed) -> None:  # type: ignore[no-untyped-def]
    art, _ = seed
    assert art.published is not None and art.published.date() == date(2022, 12, 7)
    assert (art.published.hour, art.published.minute) == (13, 28)
    assert art.author == "Kit Heren"
    assert art.title and art.title.startswith("Russia sets up defences")


def test_seed_events(seed) -> None:  # type: ignore[no-untyped-def]
    """The seed page's four events, checked for what they are, not for its exact figures
    (those are measured over the VOA gold by tests/test_gold.py)."""
    _, events = seed
    assert any(e.event_type == "Strategic developments" and e.admin1 == "Belgorod" for e in events)
    engels = _find(events, "Air/drone strike", "Saratov")
    assert engels and engels[0].location and engels[0].location.startswith("Engels")
    assert _find(events, "Air/drone strike", "Ryazan")
    assert any(e.background and e.sub_event_type == "Government regains territory" for e in events)
    assert all(not e.background or e.event_date and e.event_date.year == 2022 for e in events)


def test_seed_no_event_from_captions_read_more_or_fears(seed) -> None:  # type: ignore[no-untyped-def]
    art, events = seed
    removed = [r.text for r in art.removed]
    for ev in events:
        for e in ev.evidence:
            assert art.text[e.start : e.end] == e.text
            assert not any(e.text in r or r in e.text for r in removed if len(r) > 20)
        assert (
            "counter-invasion" not in ev.evidence[0].text
            or ev.event_type == "Strategic developments"
        )
    assert not any(e.event_type == "Battles" and not e.background for e in events)


def test_captions_and_other_headlines_never_yield_events(extractor) -> None:  # type: ignore[no-untyped-def]
    page = (
        "Farmers return to fields after harvest festival\n\n"
        "12 March 2024, 09:10\n\n"
        "By Jane Doe\n\n"
        "Farmers across the valley returned to their fields on Monday after the annual harvest festival.\n\n"
        "Soldiers killed in militant attack on army post\n"
        "Soldiers killed in militant attack on army post. Picture: Reuters\n\n"
        "Prices for maize rose slightly, traders said.\n\n"
        "Read more: Gunmen kidnap 20 students from school in Kaduna\n\n"
        "The festival drew thousands of visitors, organisers said."
    )
    events = extractor.extract(article_from_text(page))
    assert events == []


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        (
            "Fears are growing that the militants could attack the capital before the election.",
            None,
        ),
        ("No civilian infrastructure was damaged and no one was hurt, the governor said.", None),
        ("The group has waged a campaign to destroy the country's power grid.", None),
        (
            "Rebels shelled the town of Goma on Monday, killing four civilians, officials said.",
            "Shelling/artillery/missile attack",
        ),
    ],
)
def test_non_events_and_a_control(extractor, text: str, sub: str | None) -> None:  # type: ignore[no-untyped-def]
    art = article_from_record({"id": "x", "text": text, "published": "2024-03-12T10:00:00Z"})
    found = [e.sub_event_type for e in extractor.extract(art)]
    assert found == ([sub] if sub else [])


@pytest.mark.parametrize(
    "text",
    [
        "At least 12 people were killed on Monday when a car bomb and two other explosions hit a "
        "market in Mogadishu, police said.",
        "A roadside bomb and another blast struck an army convoy near Kandahar on Friday, killing "
        "five soldiers.",
        "Gunmen fired on a bus and several other vehicles on the highway outside Maiduguri on "
        "Sunday, killing three passengers.",
    ],
)
def test_other_in_one_phrase_is_one_event(extractor, text: str) -> None:  # type: ignore[no-untyped-def]
    """'a car bomb and two other explosions' names one event's parts, not a separate event."""
    art = article_from_record({"id": "x", "text": text, "published": "2024-03-12T10:00:00Z"})
    events = extractor.extract(art)
    assert len(events) == 1 and events[0].location is not None


def test_an_event_set_earlier_is_not_the_days_event(extractor) -> None:  # type: ignore[no-untyped-def]
    """ "Earlier this month, a bomber ..." after the day's operation is another event."""
    sentences = [
        "Troops killed 12 insurgents in an operation near Mandera on Tuesday, the army said.",
        "The operation followed weeks of raids on police posts in the county.",
        "Officials said the insurgents had crossed from Somalia.",
        "Earlier this month, a suicide bomber blew himself up at a checkpoint in Wajir, killing "
        "two officers.",
        "The army said it would keep up the operations.",
    ]
    record = {"id": "x", "text": " ".join(sentences), "published": "2024-03-20T10:00:00Z"}
    art = article_from_record(record)
    events = {e.location: e.sub_event_type for e in extractor.extract(art)}
    # nor does the day's fighting take the earlier bombing's weapon
    assert events.get("Wajir") == "Suicide bomb" and events.get("Mandera") == "Armed clash", events


def test_voa_stories_give_valid_records(extractor) -> None:  # type: ignore[no-untyped-def]
    path = shared_dir() / "corpus" / "voa" / "voa_stories.jsonl"
    arts = [
        article_from_record(json.loads(line))
        for line in path.read_text(encoding="utf-8").splitlines()[:30]
    ]
    total = 0
    for art, events in extractor.extract_batch(arts):
        assert len({ev.event_id for ev in events}) == len(events)  # the store keys events by id
        for ev in events:
            total += 1
            assert ev.sub_event_type in sub_event_types()
            assert event_type_of(ev.sub_event_type) == ev.event_type
            assert ev.time_precision in (1, 2, 3)
            assert ev.geo_precision in (None, 1, 2, 3)
            assert ev.fatalities >= 0 and ev.injuries >= 0
            assert ev.evidence and all(art.text[e.start : e.end] == e.text for e in ev.evidence)
            if ev.event_date and art.published:
                assert ev.event_date <= art.published.date()
    assert total > 5


def test_seed_attribution_and_estimative_language(extractor) -> None:  # type: ignore[no-untyped-def]
    """The acceptance list of the claims issue, on the seed page."""
    report = extractor.report(article_from_text(SEED.read_text(encoding="utf-8")))
    by_sub = {(e.sub_event_type, e.admin1): e for e in report.events}
    engels = by_sub[("Air/drone strike", "Saratov")].attribution
    assert engels.status == "suspected" and "Ukraine" in engels.blamed_on and not engels.claimed_by
    ryazan = by_sub[("Air/drone strike", "Ryazan")].attribution
    assert {"it has been claimed", "apparently"} <= set(ryazan.hedges)
    shelling = next(
        e for e in report.events if e.sub_event_type == "Shelling/artillery/missile attack"
    )
    assert shelling.attribution.status == "denied" and shelling.attribution.denied_by
    assert shelling.attribution.blamed_on and shelling.attribution.blamed_by
    ranges = {a.estimative: a.probability for a in report.assessments if a.estimative}
    assert ranges.get("realistic possibility") == [0.4, 0.5]
    assert ranges.get("almost certainly") == [0.95, 1.0]
    assert ranges.get("probably") == [0.55, 0.75]
    # the governor's reassurance is his claim, not an event
    negated = [s for s in report.statements if s.negated]
    assert any(s.speaker for s in negated)
    for e in report.events:
        assert not any(n.start == e.evidence[0].start for n in negated)
