"""Casualty figures linked to death and injury words by the parse."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import VOA, voa_sentence

from sitrep.pipeline.casualties import Casualty, conservative, find_casualties, parse_quantity


def _pairs(found: list[Casualty]) -> list[tuple[str, int]]:
    return [(c.kind, c.value) for c in found]


F, INJ = "fatalities", "injuries"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Seven people were killed when the truck exploded.", [(F, 7)]),
        ("The blast killed at least 12 villagers and wounded 40 others.", [(F, 12), (INJ, 40)]),
        ("Four miners are reported to have died in the collapse.", [(F, 4)]),
        ("Two shopkeepers were hurt in the stampede.", [(INJ, 2)]),
        ("A policeman was killed at the checkpoint.", [(F, 1)]),
        ("Gunmen opened fire on the bus, killing a teacher.", [(F, 1)]),
        ("The death toll from the flooding rose to 58 on Sunday.", [(F, 58)]),
        ("Officials raised the death toll to more than 90.", [(F, 90)]),
        ("The raid left 9 dead and 22 wounded.", [(F, 9), (INJ, 22)]),
        ("Dozens were injured in the clashes.", [(INJ, 12)]),
        ("Tens of people were wounded by shrapnel.", [(INJ, 10)]),
        ("Several protesters were injured by rubber bullets.", [(INJ, 10)]),
        ("Many civilians died in the siege.", [(F, 10)]),
        ("Hundreds of fighters have been killed since the offensive began.", [(F, 100)]),
        ("Scores were wounded when the bridge was bombed.", [(INJ, 20)]),
        ("The army said it killed 1,250 insurgents in the operation.", [(F, 1250)]),
        ("Twenty-three soldiers were killed and a dozen were wounded.", [(F, 23), (INJ, 12)]),
        ("No one was killed in the strike.", [(F, 0)]),
        ("Nobody was hurt when the shell landed.", [(INJ, 0)]),
        ("There were no casualties.", [(F, 0), (INJ, 0)]),
        ("Between 10 and 15 farmers were killed in the attack.", [(F, 10)]),
        ("Police killed 50 militants in the mountains.", [(F, 50)]),
        ("Troops shot dead three suspected smugglers.", [(F, 3)]),
        ("The ambush left at least six soldiers dead.", [(F, 6)]),
        ("Nine guards and two inmates died in the riot.", [(F, 11)]),
        ("Three journalists were among those killed.", [(F, 3)]),
        ("Forty hostages were freed, five of whom were injured.", [(INJ, 5)]),
        ("The shelling resulted in the deaths of 14 civilians.", [(F, 14)]),
        ("The explosion claimed the lives of eight workers.", [(F, 8)]),
        ("Two boys lost their lives in the crossfire.", [(F, 2)]),
        ("Six villagers were hacked to death with machetes.", [(F, 6)]),
        ("The bodies of 17 men were found in a mass grave.", [(F, 17)]),
        ("More than 150 people had sustained injuries.", [(INJ, 150)]),
        ("The strike killed an estimated 40 people.", [(F, 40)]),
        ("Up to 30 fatalities were reported after the raid.", [(F, 30)]),
        ("Rebels executed the village chief.", [(F, 1)]),
        ("The mayor was shot and killed outside his office.", [(F, 1)]),
        ("The bombing caused injuries to eleven pilgrims.", [(INJ, 11)]),
        ("The attack left a 7-year-old girl dead.", [(F, 1)]),
        ("One hundred and twenty people were killed in the massacre.", [(F, 120)]),
        ("At least 9 killed as gunmen storm a mosque.", [(F, 9)]),
        ("A total of 31 passengers were killed.", [(F, 31)]),
        ("The number of dead rose to 52 overnight.", [(F, 52)]),
        ("Three guards were wounded and one later died in hospital.", [(INJ, 3), (F, 1)]),
    ],
)
def test_links_numbers_to_casualty_words(
    nlp: Any, sentence: str, expected: list[tuple[str, int]]
) -> None:
    assert sorted(_pairs(find_casualties(nlp(sentence)))) == sorted(expected)


@pytest.mark.parametrize(
    "sentence",
    [
        "Police arrested 50 militants after the raid.",
        "Reports say two Tu-95 bombers were destroyed.",
        "It has been reported that 14 aircraft flew out of the base.",
        "Both sides agreed to a 30-day ceasefire.",
        "The rebels threatened to kill the hostages.",
        "If you are caught, you can be killed.",
        "Militants killed civilians in several villages.",
        "He was hired to kill a journalist, prosecutors said.",
        "The court handed down a death sentence for the leader.",
        "Thousands of cattle died in the drought.",
        "The deadly attack shocked the nation.",
        "The plot to kill the president was foiled.",
        "Deaths rose by 45% compared with last year.",
        "The soldiers will die for their country, he vowed.",
    ],
)
def test_no_casualty(nlp: Any, sentence: str) -> None:
    assert find_casualties(nlp(sentence)) == []


@pytest.mark.parametrize(
    ("sentence", "qualifier", "exact"),
    [
        ("At least 5 people were killed.", "at least", False),
        ("More than 20 people were killed.", "more than", False),
        ("As many as 9 people were killed.", "up to", False),
        ("About 60 people were killed.", "about", False),
        ("Dozens of people were killed.", "vague", False),
        ("Fifteen people were killed.", None, True),
        ("No one was killed.", None, True),
    ],
)
def test_qualifier(nlp: Any, sentence: str, qualifier: str | None, exact: bool) -> None:
    (found,) = find_casualties(nlp(sentence))
    assert (found.qualifier, found.exact) == (qualifier, exact)


def test_offsets_are_absolute(nlp: Any) -> None:
    article = "Fighting resumed at dawn. The bombardment killed at least 8 people, medics said."
    start = article.index("The bombardment")
    (found,) = find_casualties(nlp(article[start:]), start)
    assert article[found.start : found.end] == found.text
    assert "8 people" in found.text and found.text.startswith("killed")


@pytest.mark.parametrize(
    ("text", "value", "exact", "qualifier"),
    [
        ("5", 5, True, None),
        ("1,200", 1200, True, None),
        ("twenty-one", 21, True, None),
        ("one hundred and fifty", 150, True, None),
        ("three thousand", 3000, True, None),
        ("1.2 million", 1_200_000, True, None),
        ("a dozen", 12, False, "vague"),
        ("dozens", 12, False, "vague"),
        ("tens of thousands", 10_000, False, "vague"),
        ("several hundred", 100, False, "vague"),
        ("between 10 and 15", 10, False, "at least"),
        ("10-15", 10, False, "at least"),
        ("two or three", 2, False, "at least"),
        ("at least 7", 7, False, "at least"),
        ("nearly 400", 400, False, "up to"),
        ("some 40", 40, False, "about"),
    ],
)
def test_parse_quantity(text: str, value: int, exact: bool, qualifier: str | None) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert (q.value, q.exact, q.qualifier) == (value, exact, qualifier)


@pytest.mark.parametrize("text", ["30-day", "5-year-old", "45%", "soldiers", "Tu-95", ""])
def test_parse_quantity_rejects(text: str) -> None:
    assert parse_quantity(text) is None


def test_conservative() -> None:
    assert conservative([]) == 0
    assert conservative([12, 5, 9]) == 5
    assert conservative([0, 3]) == 0


@pytest.mark.skipif(not VOA.exists(), reason="VOA corpus not available")
@pytest.mark.parametrize(
    ("story_id", "opening", "expected"),
    [
        ("8006503", "At least five people including", [(F, 5), (INJ, 5)]),
        ("8009719", "No deaths were recorded", [(F, 0), (INJ, 15)]),
        ("8008152", "The single biggest attack", [(F, 25), (INJ, 60)]),
        ("8011076", "In a news briefing", [(F, 26)]),
        ("8011076", "Chaudhry, director general", [(INJ, 37)]),
        ("8009976", "At least 21 passengers", [(F, 25)]),
        ("6205629", "Meanwhile, officials and victims", [(F, 63)]),
        ("8007760", "Days later, a roadside bomb", [(F, 11)]),
        ("8008126", "Prosecutors say Amirov", []),
    ],
)
def test_voa_sentences(
    nlp: Any, story_id: str, opening: str, expected: list[tuple[str, int]]
) -> None:
    text, start, end = voa_sentence(story_id, opening)
    found = find_casualties(nlp(text[start:end]), start)
    assert sorted(_pairs(found)) == sorted(expected)
    for c in found:
        assert text[c.start : c.end] == c.text
