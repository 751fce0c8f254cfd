"""Weapons and equipment named in a sentence."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from conftest import VOA, voa_sentence

from sitrep.pipeline.weapons import CATEGORIES, find_weapons, find_weapons_text


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Russia launched Shahed drones and cruise missiles overnight.",
            [("Shahed drone", "drone"), ("cruise missile", "missile")],
        ),
        ("Ukraine said it shot down 40 kamikaze drones.", [("drone", "drone")]),
        (
            "Satellite images show three Su-34 jets were damaged.",
            [("Su-34 fighter jet", "aircraft")],
        ),
        (
            "The bombers fired Kh-101 missiles at power plants.",
            [("bomber", "aircraft"), ("Kh-101 missile", "missile")],
        ),
        ("Six Tu-160s were moved to another airfield.", [("Tu-160 bomber", "aircraft")]),
        ("An S-300 battery was hit near the coast.", [("S-300 air defence system", "missile")]),
        (
            "The army received HIMARS launchers and Iskander missiles.",
            [("HIMARS", "missile"), ("Iskander missile", "missile")],
        ),
        (
            "Mortar rounds and artillery fire hit the village.",
            [("mortar", "artillery"), ("artillery", "artillery")],
        ),
        ("Rebels fired Grad rockets into the town.", [("MLRS", "artillery")]),
        (
            "Tanks and armored personnel carriers crossed the river.",
            [("tank", "armour"), ("armoured vehicle", "armour")],
        ),
        ("A car bomb exploded outside the ministry.", [("car bomb", "explosive")]),
        ("A roadside bomb struck the patrol.", [("IED", "explosive")]),
        (
            "The attacker wore a suicide vest and carried grenades.",
            [("suicide vest", "explosive"), ("grenade", "explosive")],
        ),
        ("The truck hit a landmine on the road.", [("landmine", "explosive")]),
        ("Militants armed with AK-47 rifles stormed the hotel.", [("AK-47 rifle", "small arms")]),
        ("Witnesses heard machine gun fire near the market.", [("small arms", "small arms")]),
        (
            "Attackers wielding machetes and knives killed five people.",
            [("machete", "other"), ("knife", "other")],
        ),
        (
            "Police used tear gas, water cannon and rubber bullets.",
            [("tear gas", "other"), ("water cannon", "other"), ("rubber bullets", "other")],
        ),
        ("An attack helicopter fired on the convoy.", [("helicopter", "aircraft")]),
        ("Airstrikes hit a weapons depot.", [("airstrike aircraft", "aircraft")]),
        (
            "Inspectors found traces of sarin and chlorine gas.",
            [("chemical weapon", "chemical"), ("chemical weapon", "chemical")],
        ),
        (
            "A frigate and a submarine took part in the blockade.",
            [("warship", "naval"), ("submarine", "naval")],
        ),
        ("The F-16 shot down a drone.", [("F-16 fighter jet", "aircraft"), ("drone", "drone")]),
        ("Two T-72 tanks were destroyed.", [("T-72 tank", "armour")]),
    ],
)
def test_finds_weapons(nlp: Any, sentence: str, expected: list[tuple[str, str]]) -> None:
    found = find_weapons(nlp(sentence))
    assert [(w.name, w.category) for w in found] == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "COVID-19 cases rose after the G7 summit in May 2022.",
        "The SARS-CoV-2 virus spread quickly.",
        "A fuel tank blew up at the depot.",
        "A think tank in London published the report.",
        "A bomb threat forced the school to close.",
        "Lawmakers debated new gun control laws.",
        "The Engels-2 base lies near the Volga.",
        "The G-20 leaders met for two days.",
        "The T-10 minutes countdown began.",
        "The fighters retreated into the forest.",
        "Residents said the shell company was closed.",
    ],
)
def test_no_weapon(nlp: Any, sentence: str) -> None:
    assert find_weapons(nlp(sentence)) == []


def test_unknown_designation_takes_noun_category(nlp: Any) -> None:
    (found,) = find_weapons(nlp("They fired a ZX-9 missile at the ship."))
    assert found.category == "missile" and found.name.startswith("ZX-9")


def test_offsets_are_absolute(nlp: Any) -> None:
    article = "Sirens sounded. Reports say two Tu-95 bombers were destroyed at the base."
    start = article.index("Reports")
    (found,) = find_weapons(nlp(article[start:]), start)
    assert article[found.start : found.end] == found.text == "Tu-95 bombers"
    assert found.name == "Tu-95 bomber"


def test_span_of_larger_doc(nlp: Any) -> None:
    doc = nlp("Sirens sounded. Drones attacked the port.")
    sent = list(doc.sents)[1]
    (found,) = find_weapons(sent, 50)
    assert found.start == 50 + doc.text.index("Drones")


def test_plain_text_entry_point() -> None:
    text = "Hamas fired rockets; Israel used Iron Dome."
    found = find_weapons_text(text, 10)
    assert [(w.name, w.start) for w in found] == [
        ("rocket", 10 + text.index("rockets")),
        ("air defence system", 10 + text.index("Iron")),
    ]


def test_lexicon_is_consistent() -> None:
    raw = json.loads(resources.files("sitrep.data").joinpath("weapons.json").read_text("utf-8"))
    assert len(raw["entries"]) >= 40
    assert {e["category"] for e in raw["entries"]} <= set(CATEGORIES)
    for _, (category, _kind) in raw["designation_prefixes"].items():
        assert category in CATEGORIES


@pytest.mark.skipif(not VOA.exists(), reason="VOA corpus not available")
@pytest.mark.parametrize(
    ("story_id", "opening", "names"),
    [
        ("6180015", "Turkish F-16 jets flew low", ["F-16 fighter jet", "S-400 air defence system"]),
        ("8011115", "Central Command also said", ["suicide vest"]),
        ("8007760", "Days later, a roadside bomb", ["IED", "military vehicle"]),
        ("8009719", "No deaths were recorded", []),
    ],
)
def test_voa_sentences(nlp: Any, story_id: str, opening: str, names: list[str]) -> None:
    text, start, end = voa_sentence(story_id, opening)
    found = find_weapons(nlp(text[start:end]), start)
    assert [w.name for w in found] == names
    for w in found:
        assert text[w.start : w.end] == w.text
