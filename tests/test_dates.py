"""Date expressions resolved against a publication date."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from sitrep.pipeline.dates import DateMention, find_date, resolve_date_text
from sitrep.pipeline.nlp import load_model

ROOT = Path(__file__).resolve().parents[1]
VOA_CANDIDATES = [
    ROOT.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl",
    Path("/work/shared/corpus/voa/voa_stories.jsonl"),
]
VOA = next((p for p in VOA_CANDIDATES if p.exists()), VOA_CANDIDATES[0])
WED = datetime(2023, 5, 17, 9, 30)  # a Wednesday
MON = datetime(2024, 2, 5, 18, 0)  # a Monday
JAN = datetime(2024, 1, 4, 8, 0)  # early January, a Thursday


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load_model()


def _find(nlp: Any, text: str, published: datetime | None, offset: int = 0) -> DateMention | None:
    return find_date(nlp(text), published, offset)


@pytest.mark.parametrize(
    ("sentence", "published", "expected", "precision"),
    [
        # explicit dates
        ("On May 12 militants ambushed a patrol near the border.", WED, date(2023, 5, 12), 1),
        ("Rebels shelled the airport on 3 April, officials said.", WED, date(2023, 4, 3), 1),
        ("The convoy was attacked on March 9, 2021, near Goma.", WED, date(2021, 3, 9), 1),
        ("Protesters marched on Sept. 30 in the capital.", WED, date(2022, 9, 30), 1),
        ("Police raided the camp on the 2nd of May.", WED, date(2023, 5, 2), 1),
        # a day-month far after publication belongs to the year before
        ("Gunmen attacked the church on December 28.", JAN, date(2023, 12, 28), 1),
        # month and year, month alone, year alone
        (
            "Fighting has continued in the region since at least June 2021.",
            WED,
            date(2021, 6, 1),
            3,
        ),
        ("The army recaptured the valley in April 2022.", WED, date(2022, 4, 1), 3),
        ("The town fell to insurgents in February.", WED, date(2023, 2, 1), 3),
        ("The town fell to insurgents in November.", WED, date(2022, 11, 1), 3),
        ("The massacre took place in 2014, witnesses recalled.", WED, date(2014, 1, 1), 3),
        ("Militias clashed in mid-March along the river.", WED, date(2023, 3, 1), 3),
        # weekdays
        ("Drones struck a fuel depot on Monday.", WED, date(2023, 5, 15), 1),
        ("Soldiers opened fire on the crowd Tuesday night.", WED, date(2023, 5, 16), 1),
        ("Riots broke out again on Wednesday.", WED, date(2023, 5, 17), 1),
        ("Last Wednesday, a bomb exploded at the market.", WED, date(2023, 5, 10), 1),
        ("Two villages were raided on Sunday evening.", MON, date(2024, 2, 4), 1),
        ("Thursday's attack destroyed a bridge.", MON, date(2024, 2, 1), 1),
        # days relative to publication
        ("Artillery pounded the city today.", WED, date(2023, 5, 17), 1),
        ("Explosions shook the port this morning.", WED, date(2023, 5, 17), 1),
        ("Blasts were heard in the early hours of this morning.", WED, date(2023, 5, 17), 1),
        ("Air-raid sirens sounded overnight across the region.", WED, date(2023, 5, 17), 1),
        ("A rocket hit the barracks last night.", WED, date(2023, 5, 16), 1),
        ("Gunmen kidnapped a priest yesterday.", WED, date(2023, 5, 16), 1),
        ("Clashes erupted two days ago in the north.", WED, date(2023, 5, 15), 1),
        # weeks, recent days, months
        ("Two bases came under attack earlier this week.", WED, date(2023, 5, 15), 2),
        ("Strikes intensified this week, monitors say.", MON, date(2024, 2, 5), 2),
        ("Militants torched a school last week.", WED, date(2023, 5, 8), 2),
        ("Looting spread over the weekend.", MON, date(2024, 2, 3), 2),
        ("Several villages have been shelled in recent days.", WED, date(2023, 5, 14), 2),
        ("The checkpoint was recently overrun by rebels.", WED, date(2023, 5, 14), 2),
        ("The massacre happened three weeks ago.", WED, date(2023, 4, 26), 2),
        ("Troops withdrew from the town earlier this month.", WED, date(2023, 5, 1), 3),
        ("Troops withdrew from the town last month.", WED, date(2023, 4, 1), 3),
        ("Troops withdrew from the town last month.", JAN, date(2023, 12, 1), 3),
        ("The insurgents seized the mine last year.", WED, date(2022, 1, 1), 3),
    ],
)
def test_resolves_expression(
    nlp: Any, sentence: str, published: datetime, expected: date, precision: int
) -> None:
    found = _find(nlp, sentence, published)
    assert found is not None
    assert (found.date, found.precision) == (expected, precision)


@pytest.mark.parametrize(
    ("sentence", "published", "background"),
    [
        ("The massacre took place in 2014, witnesses recalled.", WED, True),
        ("Fighting has continued in the region since at least June 2021.", WED, True),
        ("The recapture of the port in March was a turning point.", WED, True),
        ("Troops withdrew from the town last month.", WED, True),
        ("Drones struck a fuel depot on Monday.", WED, False),
        ("Two bases came under attack earlier this week.", WED, False),
        ("Militants torched a school last week.", WED, False),
        ("Troops withdrew from the town earlier this month.", WED, False),
    ],
)
def test_background(nlp: Any, sentence: str, published: datetime, background: bool) -> None:
    found = _find(nlp, sentence, published)
    assert found is not None
    assert found.background is background


@pytest.mark.parametrize(
    "sentence",
    [
        "Reports say two Tu-95 bombers were destroyed at the base.",
        "Rebels may attack the town again, analysts warn.",
        "The 14 aircraft flew out of the airfield.",
        "They killed 25 people in 2000 attacks across the country.",
        "COVID-19 cases rose sharply after the G7 meeting.",
        "The soldiers marched toward the front line.",
        "A 30-day ceasefire was agreed between the two sides.",
    ],
)
def test_no_date(nlp: Any, sentence: str) -> None:
    assert _find(nlp, sentence, WED) is None


def test_prefers_event_verb_over_reporting_verb(nlp: Any) -> None:
    found = _find(
        nlp, "Officials said on Friday that the commander was killed Monday in a raid.", WED
    )
    assert found is not None and found.text == "Monday" and found.date == date(2023, 5, 15)


def test_relative_clause_date_is_weaker(nlp: Any) -> None:
    sentence = (
        "The governor, who was elected in 2020, said the attack on Monday killed five people."
    )
    found = _find(nlp, sentence, WED)
    assert found is not None and found.date == date(2023, 5, 15)


def test_trigger_token_picks_its_own_date(nlp: Any) -> None:
    doc = nlp("Rebels took the town in March and shelled the airport on Tuesday.")
    took = next(t for t in doc if t.lemma_ == "take")
    shelled = next(t for t in doc if t.lemma_ == "shell")
    assert find_date(doc, WED, trigger=took).date == date(2023, 3, 1)
    assert find_date(doc, WED, trigger=shelled).date == date(2023, 5, 16)


def test_future_weekday_points_forward(nlp: Any) -> None:
    found = _find(nlp, "The envoy will meet rebel leaders on Friday.", WED)
    assert found is not None
    assert found.date == date(2023, 5, 19) and found.future
    past = _find(nlp, "The envoy met rebel leaders on Friday.", WED)
    assert past is not None and past.date == date(2023, 5, 12) and not past.future


def test_offsets_are_absolute(nlp: Any) -> None:
    article = "Heavy fighting was reported. Militants stormed the base on Tuesday night."
    start = article.index("Militants")
    found = _find(nlp, article[start:], WED, offset=start)
    assert found is not None
    assert article[found.start : found.end] == found.text == "on Tuesday night"


def test_span_of_larger_doc(nlp: Any) -> None:
    doc = nlp("Shelling was heavy. Rebels retreated yesterday.")
    sent = list(doc.sents)[1]
    found = find_date(sent, WED, offset=100)
    assert found is not None
    assert found.start == 100 + doc.text.index("yesterday")


def test_without_publication_date(nlp: Any) -> None:
    assert _find(nlp, "Rebels attacked on Tuesday.", None) is None
    found = _find(nlp, "Rebels attacked the town on 4 June 2019.", None)
    assert found is not None and found.date == date(2019, 6, 4) and not found.background


def test_timezone_aware_publication(nlp: Any) -> None:
    published = datetime(2023, 5, 17, 9, 30, tzinfo=UTC)
    found = _find(nlp, "Police fired tear gas on Monday.", published)
    assert found is not None and found.date == date(2023, 5, 15)


@pytest.mark.parametrize(
    ("text", "expected", "precision"),
    [
        ("earlier this week", date(2023, 5, 15), 2),
        ("7 December 2022, 13:28", date(2022, 12, 7), 1),
        ("last Tuesday", date(2023, 5, 16), 1),
        ("two weeks ago", date(2023, 5, 3), 2),
        ("in recent weeks", date(2023, 5, 3), 3),
    ],
)
def test_resolve_date_text(text: str, expected: date, precision: int) -> None:
    found = resolve_date_text(text, WED)
    assert found is not None
    assert (found.date, found.precision) == (expected, precision)
    assert text[found.start : found.end] == found.text


def test_resolve_date_text_nothing() -> None:
    assert resolve_date_text("two Tu-95 bombers", WED) is None


def _voa(story_id: str) -> tuple[str, datetime]:
    for line in VOA.read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        if story["id"] == story_id:
            return story["text"], datetime.fromisoformat(story["published"].replace("Z", "+00:00"))
    raise LookupError(story_id)


@pytest.mark.skipif(not VOA.exists(), reason="VOA corpus not available")
@pytest.mark.parametrize(
    ("story_id", "opening", "expected", "precision"),
    [
        ("8006503", "Gunmen stormed a hotel", date(2025, 3, 11), 1),
        ("8011115", "Iraqi special forces, in a subsequent post", date(2025, 3, 13), 1),
        ("6203525", "Secretary-General Antonio Guterres", date(2021, 3, 19), 1),
        ("8009719", "Tropical Cyclone Jude slammed", date(2025, 3, 10), 2),
        ("8007760", "Last month, BLA insurgents", date(2025, 2, 1), 3),
    ],
)
def test_voa_sentences(
    nlp: Any, story_id: str, opening: str, expected: date, precision: int
) -> None:
    text, published = _voa(story_id)
    start = text.index(opening)
    end = text.find(". ", start) + 1 or len(text)
    found = find_date(nlp(text[start:end]), published, start)
    assert found is not None
    assert (found.date, found.precision) == (expected, precision)
    assert text[found.start : found.end] == found.text
