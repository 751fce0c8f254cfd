"""The event's place as a coder writes it: a village qualified by its district and region is
resolved inside them, the units are not the event's place, and every place carries its admin2 unit.

The phrases are the team's own, in several countries and in the forms coders and reporters use;
the figures on the team's place notes come from bench/geo_places.py, not from here.
"""

from __future__ import annotations

from typing import Any

import pytest

from sitrep.geo import Geoparser
from sitrep.geo.names import normalize
from sitrep.ingest import article_from_record

# (text, the place's name as written, the admin1 region the text states)
QUALIFIED = [
    (
        "Shelling hit Novoselivka (Kramatorsk raion, Donetsk oblast) at dawn.",
        "Novoselivka",
        "Donetsk",
    ),
    ("Artillery struck Novoselivka, Kharkiv oblast, overnight.", "Novoselivka", "Kharkiv"),
    ("A drone hit Heorhiivka in the Pokrovsk district of Donetsk region.", "Heorhiivka", "Donetsk"),
    (
        "Clashes were reported near Berestove, Bakhmut raion, Donetsk oblast.",
        "Berestove",
        "Donetsk",
    ),
    ("Gunmen attacked Dikwa (Dikwa, Borno) on Friday.", "Dikwa", "Borno"),
    ("Troops clashed near Shebekino, Belgorod region.", "Shebekino", "Belgorod"),
    ("Protesters gathered in Kent, Ohio, on Monday.", "Kent", "Ohio"),
    ("A drone crashed in Tetkino, Kursk region, on Sunday.", "Tetkino", "Kursk"),
    # an adjective or an apposition before the region, and another region in the next sentence
    (
        "Partisans blew up a rail line near Ivanivka in occupied Zaporizhzhia oblast. Kherson "
        "region officials said the line carried fuel.",
        "Ivanivka",
        "Zaporizhzhia",
    ),
    (
        "Shells hit Stepove, a frontline village in the Zaporizhzhia region. Residents fled to "
        "Dnipropetrovsk region.",
        "Stepove",
        "Zaporizhzhia",
    ),
    # an aside naming the namesake the text does not mean (keep these two last)
    (
        "Police arrested two men in Middelburg, Zeeland (not Middelburg in Mpumalanga, South "
        "Africa) on Monday.",
        "Middelburg",
        "Zeeland",
    ),
    (
        "Shelling hit Mykolaivka in Sumy region - not the Donetsk town of that name - on Sunday.",
        "Mykolaivka",
        "Sumy",
    ),
]


@pytest.fixture(scope="module")
def geo() -> Geoparser:
    return Geoparser.open()  # the default gazetteer, as the extractor uses it


@pytest.mark.parametrize(("text", "name", "region"), QUALIFIED)
def test_a_qualified_place_lies_in_the_stated_region(
    geo: Geoparser, text: str, name: str, region: str
) -> None:
    found = {pm.toponym.text: pm.place for pm in geo.parse(text)}
    place = found[name]
    assert place.admin1 == region
    assert place.geo_precision == (2 if "near" in text else 1)
    assert place.admin2  # every town and village carries its district


def test_the_district_written_in_the_text_is_the_admin2(geo: Geoparser) -> None:
    for text in (
        "Shelling hit Novoselivka (Kramatorsk raion, Donetsk oblast) at dawn.",
        "Shelling hit Novoselivka in the Kramatorsk district of Donetsk region.",
    ):
        place = next(pm.place for pm in geo.parse(text) if pm.toponym.text == "Novoselivka")
        assert place.admin2 == "Kramatorskyi"


# ACLED's "Village (District, Region)" with a district spelt as the coder spells it, which need not
# be how GeoNames spells it nor a unit the gazetteer has a point for: (text, village, admin2)
STATED_DISTRICTS = [
    (
        "A drone crashed near Kastornoye (Kastorensky, Kursk) on Monday.",
        "Kastornoye",
        "Kastorenskiy",
    ),
    (
        "Shelling hit Velykodubove (Zaporizhzhia raion, Zaporizhzhia oblast) overnight.",
        "Velykodubove",
        "Zaporizhzhya",
    ),
    ("Drones struck Rovenki (Rovenskiy, Belgorod) at night.", "Rovenki", "Roven’skiy"),
    ("Gunmen attacked fishermen in Bamusso (Ndian, South-West) on Friday.", "Bamusso", "Ndian"),
    ("Militants attacked a police post in Azare (Hawul, Borno) on Sunday.", "Azare", "Hawul"),
    ("Gunmen killed two farmers in Mbanga (Moungo, Littoral) on Friday.", "Mbanga", "Mungo"),
]


def test_a_coders_district_names_the_admin2_and_the_region_is_no_place(extractor: Any) -> None:
    """The event is at the village, in the district the note states; the region written after it
    only qualifies it (never the region's capital city)."""
    right = 0
    for n, (text, village, admin2) in enumerate(STATED_DISTRICTS):
        events = extractor.extract(article_from_record({"id": f"d{n}", "text": text}))
        assert events, text
        assert events[0].location == village, (text, events[0].location)
        right += events[0].admin2 == admin2
    assert right >= len(STATED_DISTRICTS) - 1


# the unit as reporters write it elsewhere: its designator after or before the name, alone in
# brackets after a state; in each the nearest big town's unit is another: (text, place, admin2)
UNITS_IN_PROSE = [
    # a short name GeoNames spells otherwise ("Tyre" / Caza de Tyr, "Aley" / Caza de Aaley)
    (
        "An Israeli drone struck a car in Sarafand (Tyre district, South Lebanon) on Monday.",
        "Sarafand",
        "Tyr",
    ),
    (
        "Protesters blocked the road in Bhamdoun el Mhatta (Aley district, Mount Lebanon).",
        "Bhamdoun el Mhatta",
        "Aaley",
    ),
    # a unit GeoNames names with a local designator ("Degmada Badhaadhe")
    (
        "Troops clashed with militants in Kamboni, in the Badhaadhe district of Lower Juba.",
        "Kamboni",
        "Badhaadhe",
    ),
    (
        "Vandals defaced a mosque in Fulton, New York (Oswego County), on Sunday.",
        "Fulton",
        "Oswego",
    ),
    ("Gunmen abducted traders near Gajiram, Nganzai LGA, on Monday.", "Gajiram", "Nganzai"),
    (
        "Farmers blocked roads near Kesteren, in the municipality of Neder-Betuwe, on Friday.",
        "Kesteren",
        "Neder-Betuwe",
    ),
    (
        "Students clashed with police in Sheno, North Shewa zone, on Tuesday.",
        "Sheno",
        "North Shewa",
    ),
    (
        "Troops searched houses in Dessie town, South Wollo zone, on Monday.",
        "Dessie",
        "South Wollo",
    ),
    # a unit of another region, or in another clause, is not the place's
    ("Protesters marched in Ogden, Utah, and later in Boise (Ada County).", "Ogden", "Weber"),
    (
        "Shelling hit Velyka Pysarivka, Okhtyrka raion, on Monday; in the Sumy district, a drone fell.",
        "Velyka Pysarivka",
        "Okhtyrskiy",
    ),
]


@pytest.mark.parametrize(("text", "name", "admin2"), UNITS_IN_PROSE)
def test_the_unit_its_clause_names_is_the_places_admin2(
    geo: Geoparser, text: str, name: str, admin2: str
) -> None:
    place = next(pm.place for pm in geo.parse(text) if pm.toponym.text == name)
    assert place.admin2 == admin2


# ACLED's bracket whose region is also a city's name: (text, where the event is, geo precision)
REGION_NAMED_LIKE_ITS_CAPITAL = [
    (
        "A FAMa patrol hit a mine near Goundam (Goundam cercle, Timbuktu). 2 soldiers killed.",
        "Goundam",
        2,
    ),
    (
        "Gunmen attacked a checkpoint inside Kalar (Kalar district, Sulaymaniyah). 1 wounded.",
        "Kelar",
        1,
    ),
    # the village is unknown to the gazetteer: the region (province), never its capital city
    (
        "On 2 May, a roadside bomb exploded near Arghandab (Arghandab district, Kandahar), "
        "killing 2 civilians.",
        "Kandahar",
        3,
    ),
    (
        "On 9 June, protesters blocked the road in Erati (Erati district, Nampula). Police fired "
        "tear gas; 1 protester killed.",
        "Nampula",
        3,
    ),
]


def test_a_region_named_like_its_capital_is_not_the_capital(extractor: Any) -> None:
    for n, (text, where, precision) in enumerate(REGION_NAMED_LIKE_ITS_CAPITAL):
        events = extractor.extract(article_from_record({"id": f"r{n}", "text": text}))
        assert events, text
        got = (events[0].location, events[0].geo_precision)
        assert got == (where, precision), (text, got)


def test_a_district_alone_is_part_of_a_region(geo: Geoparser) -> None:
    found = {
        pm.toponym.text: pm.place for pm in geo.parse("Drones hit the Bakhmut raion overnight.")
    }
    place = found["Bakhmut raion"]
    assert place.feature == "A.ADM2" and place.admin1 == "Donetsk" and place.geo_precision == 2


# a district written in the English adjective form, not GeoNames' ("-skiy Rayon"), or in a region
# that rules out its larger namesakes
DISTRICTS_AS_WRITTEN = [
    ("Shelling hit Sudzhansky district, Kursk oblast, overnight.", "Kursk"),
    ("Drones attacked the Valuysky district of Belgorod region on Monday.", "Belgorod"),
    ("Artillery struck Trubchevsky district in Bryansk region.", "Bryansk"),
    # the region written after the district holds it, however large a namesake elsewhere
    (
        "Gunmen attacked a police post in Concordia municipality of Magdalena on Monday.",
        "Magdalena",
    ),
    ("Troops clashed with a cartel cell in Metepec municipality, Hidalgo state.", "Hidalgo"),
    ("Dissidents shot two soldiers in Santiago district of Putumayo department.", "Putumayo"),
]


@pytest.mark.parametrize(("text", "admin1"), DISTRICTS_AS_WRITTEN)
def test_a_district_in_its_english_spelling_is_its_unit(
    geo: Geoparser, text: str, admin1: str
) -> None:
    units = [pm.place for pm in geo.parse(text) if pm.place.feature == "A.ADM2"]
    assert units and units[0].admin1 == admin1 and units[0].geo_precision == 2


# words that describe a place or name a feature beside it, and the place the text means
DESCRIBED = [
    (
        "Police detained two men in the Cossack village of Starocherkasskaya, Rostov region.",
        "Cossack",
    ),
    ("Soldiers clashed with gunmen in the Boni forest of Lamu county.", "Boni"),
    ("Gunmen attacked herders near the Tana river in Garissa county.", "Tana"),
    ("Troops raided homes in the Jordan valley on Monday, residents of Tubas said.", "Jordan"),
]


@pytest.mark.parametrize(("text", "word"), DESCRIBED)
def test_a_describing_word_is_no_place(geo: Geoparser, text: str, word: str) -> None:
    names = {pm.toponym.text for pm in geo.parse(text)}
    assert word not in names and names


def test_a_town_named_like_its_region_is_the_town_unless_the_region_is_said(
    geo: Geoparser,
) -> None:
    """ "near Garissa": the town; "in Garissa county": the county."""
    town = geo.parse("Gunmen attacked a bus near Garissa on Monday.")[0].place
    region = geo.parse("Gunmen attacked a bus in Garissa county on Monday.")[0].place
    assert town.feature.startswith("P.") and town.geo_precision == 2
    assert region.feature == "A.ADM1" and region.geo_precision == 3


def test_a_region_named_with_a_designator_geonames_lacks(geo: Geoparser) -> None:
    for text in ("Clashes erupted in Lamu county on Monday.", "Gunmen hit a bus in Kwale County."):
        assert [pm.place.feature for pm in geo.parse(text)] == ["A.ADM1"]


def test_the_event_is_at_the_village_not_its_region(extractor: Any) -> None:
    texts = [text for text, _name, _region in QUALIFIED if "Protesters" not in text]
    for n, text in enumerate(texts):
        events = extractor.extract(article_from_record({"id": f"q{n}", "text": text}))
        assert events, text
        name = next(name for t, name, _r in QUALIFIED if t == text)
        assert events[0].location is not None and events[0].admin2, text
        assert events[0].geo_precision in (1, 2), text
        assert name.lower()[:4] in events[0].location.lower(), (text, events[0].location)


def test_places_hold_their_floor_on_the_held_aside_notes(extractor: Any) -> None:
    """The event's place on the team's held-aside place notes (aggregates only; never printed)."""
    import json
    import sys

    from conftest import REPO

    sys.path.insert(0, str(REPO / "bench"))
    import geo_places  # (bench/ is not a package)

    floors = json.loads((REPO / "bench" / "floors.json").read_text(encoding="utf-8"))
    items = geo_places.read(geo_places.TEST)
    assert len(items) >= 300
    result = geo_places.run(items, extractor, Geoparser.open())["pipeline"]["all"]
    for key in ("within_25km", "admin1", "admin2"):
        floor = floors["places_heldout"][key] - floors["tolerance"]
        assert result[key] >= floor, f"{key} {result[key]:.3f} is below the floor {floor:.3f}"


def test_a_county_or_province_beats_a_small_namesake_abroad(geo: Geoparser) -> None:
    """An English county is not a small US town of its name; a province abbreviation after a town
    names that province."""
    kent = next(pm.place for pm in geo.parse("Farmers protested in Kent against the levy."))
    assert kent.country == "United Kingdom"
    for text, province in (
        ("The rally in Toronto, Ont., drew thousands.", "Ontario"),
        ("A crash near Halifax, N.S., killed two.", "Nova Scotia"),
    ):
        assert geo.parse(text)[0].place.admin1 == province


# Districts named by a Slavic adjective from their seat, as GeoNames spells them, and the towns of
# their region (with decoys sharing a prefix); a non-Slavic county must not take a look-alike town.
SEATS_BY_NAME = [
    ("RU.09.1", "Novooskol'skiy Rayon", "Novyy Oskol"),
    ("RU.09.2", "Krasnoyaruzhskiy Rayon", "Krasnaya Yaruga"),
    ("RU.41.3", "Bol'shesoldatskiy Rayon", "Bol'shoye Soldatskoye"),
    ("RU.38.4", "Kavkazskiy Rayon", "Kavkazskaya"),
    ("RU.38.5", "Temruksky rayon", "Temryuk"),
    ("RU.38.6", "Timashevskiy Rayon", "Timashyovsk"),
    ("US.AL.7", "Marengo County", None),
    ("SO.03.8", "Bossaso", "Bosaso"),  # doubled letters are one spelling's habit
    ("SO.09.9", "Kismaayo", "Kismayo"),
]
SEAT_TOWNS = [
    ("RU", "09", "Novyy Oskol"),
    ("RU", "09", "Novaya Derevnya"),
    ("RU", "09", "Krasnaya Yaruga"),
    ("RU", "09", "Krasnoye"),
    ("RU", "41", "Bol'shoye Soldatskoye"),
    ("RU", "41", "Bol'shoye Gorodkovo"),
    ("RU", "38", "Kavkazskaya"),
    ("RU", "38", "Temryuk"),
    ("RU", "38", "Timashyovsk"),
    ("US", "AL", "Marion"),
    ("SO", "03", "Bosaso"),
    ("SO", "03", "Qardho"),
    ("SO", "09", "Kismayo"),
]


def test_districts_find_their_seat_town_by_name() -> None:
    from sitrep.geo.admin2 import named_centres

    codes = tuple((code, name, name, None) for code, name, _seat in SEATS_BY_NAME)
    towns = [
        {"geonameid": i, "name": name, "countrycode": cc, "admin1code": a1, "population": 1000,
         "latitude": 50.0, "longitude": 37.0}
        for i, (cc, a1, name) in enumerate(SEAT_TOWNS)
    ]  # fmt: skip
    names = {t["geonameid"]: t["name"] for t in towns}
    found = {
        f"{s.country}.{s.admin1}.{s.admin2}": names[s.geonameid]
        for s in named_centres(codes, towns)
    }
    for code, district, seat in SEATS_BY_NAME:
        assert found.get(code) == seat, (district, found.get(code))


# A region written after a place the gazetteer does not know, in the ways coders and wires write
# it: the event still lies in that region (the villages here are made up).
UNKNOWN_PLACE_IN_A_STATED_REGION = [
    ("On 4 May 2024, drones struck a depot in Zhurbovka (Plovsky, Kursk). No casualties.", "Kursk"),
    ("On 2 June, shelling hit a farm in Kvasovo (Shchirsky, Belgorod). 1 injured.", "Belgorod"),
    ("IED hits army patrol in Tall Hafrun, Salah al-Din; 2 killed.", "Salah ad Din"),
    ("Gunmen ambushed a convoy near Wadi Zubaydi, Deir ez-Zor, on Friday.", "Deir ez-Zor"),
]


def test_an_unknown_place_still_lies_in_the_region_written_after_it(extractor: Any) -> None:
    for n, (text, region) in enumerate(UNKNOWN_PLACE_IN_A_STATED_REGION):
        events = extractor.extract(article_from_record({"id": f"u{n}", "text": text}))
        assert events, text
        assert events[0].admin1 == region, (text, events[0].admin1)


# The town of a subject that a nested clause cuts off from its verb ("Residents of X, who fled
# shelling, rallied"): the rally is in X, and the nested act does not take it.
SUBJECT_TOWNS = [
    # a participle's protest is its verb's subject's, with a dateline elsewhere
    (
        "SUMY, Ukraine — Residents of Velyka Pysarivka blocked the main road on Friday, protesting "
        "against the detention of a local man by recruitment officers, police said.",
        "Velyka Pysarivka",
    ),
    (
        "MAIDUGURI, Nigeria — Women of Bama blocked the highway on Tuesday, protesting against the "
        "arrest of their sons by soldiers, residents said.",
        "Bama",
    ),
    (
        "Residents of Rylsk who fled shelling rallied outside the administration on Tuesday "
        "demanding compensation.",
        "Rylsk",
    ),
    (
        "Traders of Kupiansk whose stalls burned in a strike marched to the town hall on Friday "
        "to demand aid.",
        "Kupiansk",
    ),
]


def _assert_events_at(extractor: Any, cases: list[tuple[str, str]], every: bool) -> None:
    """Each text yields events, the last (``every``: each) at a place whose name has ``town``."""
    for n, (text, town) in enumerate(cases):
        events = extractor.extract(article_from_record({"id": f"t{n}", "text": text}))
        checked = events if every else events[-1:]
        assert events and all(e.location and town in e.location for e in checked), (
            text,
            [(e.sub_event_type, e.location) for e in events],
        )


def test_a_subjects_town_is_the_place_of_its_verb(extractor: Any) -> None:
    _assert_events_at(extractor, [(text, town[:5]) for text, town in SUBJECT_TOWNS], every=False)


def test_a_lone_arabic_article_is_no_place(geo: Geoparser) -> None:
    text = "An IED hit a patrol in Al Wadi'ah (Al Wadi'ah district, Abyan) on Monday."
    names = {pm.toponym.text for pm in geo.parse(text)}
    assert "Al" not in names and "Abyan" in names


# words that are no place of the event: a person's or an office's name whose words are also small
# towns', where the wounded were taken or people fled or the fire came from, the head of a longer
# name ("the Line of Control"); (text, the event's place)
NO_PLACE_OF_THE_EVENT = [
    (
        "ZAPORIZHZHIA, Ukraine — Shelling from across the Dnipro wounded two men in Stepnohirsk "
        "on Monday, officials said.",
        "Stepnohirsk",
    ),
    (
        "Protesters demanding the resignation of Prime Minister Ariel Henry burned tyres in "
        "Gonaives on Monday.",
        "Gona",
    ),
    (
        "Security Media Cell: Iraqi troops destroyed an ISIS hideout near Baqubah on Sunday and "
        "seized explosives.",
        "Baq",
    ),
    (
        "Shells fired from across the border hit houses in Uri early on Friday, killing a man and "
        "wounding several others, who were shifted to the district hospital in Baramulla, "
        "officials said.",
        "Uri",
    ),
    (
        "Rockets fired from across the river hit homes in Nikopol late on Monday, killing a woman "
        "and wounding several others, who were taken to the regional hospital in Dnipro, the "
        "governor said.",
        "Nikopol",
    ),
    (
        "Pakistani shelling across the Line of Control damaged houses in Uri on Friday, officials "
        "said.",
        "Uri",
    ),
]


def test_a_persons_name_a_destination_or_a_names_head_is_no_place(extractor: Any) -> None:
    _assert_events_at(extractor, NO_PLACE_OF_THE_EVENT, every=True)


def test_a_namesake_the_text_denies_is_neither_place_nor_context(geo: Geoparser) -> None:
    for text, _name, _region in QUALIFIED[-2:]:  # the cases with an aside that denies a namesake
        assert all(pm.toponym.start < text.index("not ") for pm in geo.parse(text))


def test_an_actors_country_is_no_place_and_a_countryside_is_its_region(extractor: Any) -> None:
    """A country that qualifies an actor, even in a coordination, is whose, not where; "the
    eastern Daraa countryside" places the event in Daraa."""
    text = "Israeli or U.S. aircraft struck fuel tanks at the port of Ras Kanatib on Thursday."
    events = extractor.extract(article_from_record({"id": "a", "text": text}))
    assert events and all(e.country != "United States" for e in events)
    text = "Gunmen killed two shepherds in the eastern Daraa countryside on Tuesday."
    events = extractor.extract(article_from_record({"id": "b", "text": text}))
    assert events and events[0].admin1 == "Daraa"


def test_a_name_in_title_case_is_no_airport_code(geo: Geoparser) -> None:
    """GeoNames lists airport codes among a city's names (LAL: Lakeland); "Lal" is a town."""
    found = geo.parse("Nomads and villagers clashed over pastures in Lal on Sunday.")
    assert [pm.place.iso3 for pm in found] == ["AFG"]


def test_a_deployment_is_where_the_troops_go(extractor: Any) -> None:
    """ "to X" names where something went, not where it happened, save for a deployment."""
    cases = [
        ("Ukraine sent reinforcements to Pokrovsk on Tuesday, the general staff said.", "Pokrovsk"),
        ("The army deployed two battalions to Gao on Friday after the attacks.", "Gao"),
    ]
    _assert_events_at(extractor, cases, every=True)


REGIONS_SPELT_OTHERWISE = [
    ("Militants abducted three officials in Oromia on Monday.", "Oromiya"),
    ("Fighters overran an army post in Hiraan, local elders said.", "Hiiraan"),
    ("Police dispersed a rally in Cabo Delgado province on Friday.", "Cabo Delgado"),
]


@pytest.mark.parametrize(("text", "admin1"), REGIONS_SPELT_OTHERWISE)
def test_a_region_in_another_spelling_is_its_region(geo: Geoparser, text: str, admin1: str) -> None:
    """English spellings of first-level regions differ from GeoNames' by a letter or two."""
    found = geo.parse(text)
    assert [(pm.place.feature, pm.place.admin1) for pm in found] == [("A.ADM1", admin1)]


def test_a_groups_acronym_is_no_place(geo: Geoparser) -> None:
    """ "OLA militants": an acronym that matches a town's name or a unit's stem is a group."""
    for text in (
        "OLA militants abducted officials in Oromia on Monday.",
        "ADF rebels attacked a village in North Kivu on Friday.",
    ):
        assert len(geo.parse(text)) == 1


def test_a_report_naming_no_place_of_its_own_takes_its_sentences_town(extractor: Any) -> None:
    """A town the report's own sentence names, though not as the event's place ("on the X axis
    east of Y"), places the event when it names none, before the sentences around it do."""
    cases = [
        ("Bandits ambush travellers on Mokwa axis north of Minna - residents.", "Mokwa"),
        ("Gunmen torch a clinic on Dikwa axis east of Maiduguri - residents.", "Dikwa"),
    ]
    _assert_events_at(extractor, cases, every=True)


def test_the_object_of_a_march_or_an_advance_is_a_place(extractor: Any) -> None:
    """ "marched through X", "reached X": where, even when NER calls the name a person."""
    cases = [
        (
            "Hundreds of dockers marched through Sittingbourne on Saturday against the port's "
            "closure.",
            "Sittingbourne",
        ),
        ("Army units reached Ceel Dheer on Thursday without a fight.", "Ceeldheer"),
    ]
    _assert_events_at(extractor, cases, every=True)


def test_a_town_inside_the_region_of_the_event_word_is_the_place(extractor: Any) -> None:
    """ "the streets of X ... one of the largest rallies in Y region": the town, inside the region
    the event word names, is the more specific place of the same event."""
    cases = [
        (
            "Crowds filled the streets of downtown Eldoret on Saturday in one of the largest "
            "rallies in Uasin Gishu this year.",
            "Eldoret",
        ),
        (
            "Marchers filled the main square of Kisumu on Friday for one of the largest "
            "demonstrations in Kisumu county.",
            "Kisumu",
        ),
    ]
    _assert_events_at(extractor, cases, every=True)
    for n, (text, _town) in enumerate(cases):
        events = extractor.extract(article_from_record({"id": f"r{n}", "text": text}))
        assert all(e.geo_precision == 1 for e in events)


def test_a_province_named_after_its_designator_holds_the_town(extractor: Any) -> None:
    """GeoNames names some provinces "Province of X" (the Philippines' are its admin2 units): X
    written after a town is that province, though NER calls it a person."""
    cases = [
        ("Gunmen killed a village councillor in Santa Cruz, Davao del Sur, on Sunday.", "Davao"),
        ("Soldiers clashed with communist rebels in San Miguel, Surigao del Sur.", "Caraga"),
    ]
    for n, (text, region) in enumerate(cases):
        events = extractor.extract(article_from_record({"id": f"v{n}", "text": text}))
        assert events and events[0].admin1 == region and events[0].geo_precision == 1, text


def test_a_district_written_before_its_region_is_the_regions_admin2(geo: Geoparser) -> None:
    """ "in Pshdar district, Sulaymaniyah", "(Bulo Burto district, Hiiraan)": when nothing smaller
    resolves, the region's place carries the district the text states (a unit of that region)."""
    cases = [
        ("Militants hit a village in Pshdar district, Sulaymaniyah province.", "Pshdar"),
        (
            "Gunmen raided a farm near Kalabaydh (Bulo Burto district, Hiiraan) on Friday.",
            "Bulo Burto",
        ),
        ("Shelling hit a school in Sayid Sadiq district, Sulaymaniyah province.", "Sayyid Sadiq"),
    ]
    for text, unit in cases:
        regions = [pm.place for pm in geo.parse(text) if pm.place.feature == "A.ADM1"]
        assert regions and normalize(unit) in normalize(regions[0].admin2 or ""), (text, regions)
    # a district of another region never becomes the region's
    other = geo.parse("Militants hit a village in Pshdar district, Kirkuk province.")
    assert all(pm.place.admin2 is None for pm in other if pm.place.feature == "A.ADM1")


def test_a_district_administrations_report_places_its_villages_in_that_district(
    geo: Geoparser,
) -> None:
    """ "Izium District Military Administration: ... shelled Borova": the district that reports
    is the village's, when the text names no other (Borova's nearest seat is Kupiansk's)."""
    text = "Izium District Military Administration: on 3 March the enemy shelled Borova."
    found = {pm.toponym.text: pm.place for pm in geo.parse(text)}
    assert found["Borova"].admin2 == "Iziumska"


def test_a_hromada_picks_the_village_among_its_namesakes(geo: Geoparser) -> None:
    """ "Myrne, Tokmak hromada, Zaporizhzhia oblast": of the oblast's villages named Myrne, the
    one by the community's town; the raion and oblast after the hromada still hold it."""
    from sitrep.geo.names import haversine_km

    for village, town, oblast in (
        ("Myrne", "Tokmak", "Zaporizhzhia"),
        ("Novoselivka", "Tsarychanka", "Dnipropetrovsk"),
    ):
        text = f"Russian drones attacked {village}, {town} hromada, {oblast} oblast, on Monday."
        found = {pm.toponym.text: pm.place for pm in geo.parse(text)}
        place, anchor = found[village], found[f"{town} hromada"]
        assert place.admin1 == oblast
        km = haversine_km(place.latitude, place.longitude, anchor.latitude, anchor.longitude)
        assert km < 30, (text, place, km)


@pytest.mark.parametrize(
    "text",
    [
        "Stepanivka, a village north of Sumy, came under mortar fire on Friday.",
        "Dikwa, a town in Borno state, was attacked overnight.",
        "Zolochiv, a small town near the border, was shelled.",
    ],
)
def test_a_name_a_village_or_town_apposition_follows_is_a_place(geo: Geoparser, text: str) -> None:
    first = text.split(",")[0]
    assert first in [pm.toponym.text for pm in geo.parse(text)]


def test_a_district_written_without_its_region_holds_the_village(geo: Geoparser) -> None:
    """ "X in the Konotop district": X's namesakes outside the district's region are not it, a
    district named after its town is that town's (not a village Konotop's elsewhere), and with no
    namesake in the district's region the district itself is the place."""
    for text, village, region in (
        (
            "Drones hit a farm in Mykolaivka in the Konotop district overnight.",
            "Mykolaivka",
            "Sumy",
        ),
        ("Artillery hit Ivanivka in the Kupiansk district on Sunday.", "Ivanivka", "Kharkiv"),
    ):
        found = {pm.toponym.text: pm.place for pm in geo.parse(text)}
        assert found[village].admin1 == region, (text, found[village])
        assert found[village].geo_precision == 1
    text = "A drone struck a shop in Kirovsky in the Sudzha district on Friday."
    places = [pm.place for pm in geo.parse(text)]
    assert [(p.feature, p.admin1, p.geo_precision) for p in places] == [("A.ADM2", "Kursk", 2)]
