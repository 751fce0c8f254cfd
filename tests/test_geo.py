"""Tests of sitrep.geo: gazetteer build and look-up, toponym recognition, resolution, import.

The gazetteer is compiled once per session into a temporary directory from the pip packages.
GeoNames ids are pinned for well-known places. Sentences are written for these tests.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
import zipfile
from pathlib import Path

import pytest

from sitrep.errors import GazetteerError
from sitrep.geo import Gazetteer, Geoparser, build_gazetteer, find_toponyms
from sitrep.geo.names import haversine_km, normalize

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "gazetteer"

KYIV = 703448
PARIS_FR = 2988507
PARIS_TX = 4717560
ENGELS = 563464
BELGOROD_CITY = 578072
BELGOROD_OBLAST = 578071
DONETSK_OBLAST = 709716
TEXAS = 4736286
WEST_VIRGINIA = 4826850
UNITED_STATES = 6252001


@pytest.fixture(scope="session")
def gazetteer_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gaz") / "gazetteer.sqlite"
    build_gazetteer(path)
    return path


@pytest.fixture(scope="session")
def gaz(gazetteer_path: Path) -> Gazetteer:
    return Gazetteer.open(gazetteer_path)


@pytest.fixture(scope="session")
def geo(gaz: Gazetteer) -> Geoparser:
    return Geoparser(gaz)


def ids(cands: list) -> list[int | None]:
    return [c.geonameid for c in cands]


def place_of(mentions: list, text: str):
    found = [m.place for m in mentions if m.toponym.text == text or m.toponym.name == text]
    assert found, f"{text!r} not resolved: {[m.toponym.text for m in mentions]}"
    return found[0]


# names ------------------------------------------------------------------------------------


def test_normalize_folds_case_diacritics_apostrophes_and_hyphens() -> None:
    assert normalize("Kharkivs’ka Oblast’") == normalize("kharkivska oblast")
    assert normalize("Île-de-France") == "ile de france"
    assert normalize("W.Va.") == "wva"
    assert normalize("  São   Paulo ") == "sao paulo"


def test_haversine_known_distance() -> None:
    # Paris to London is about 344 km
    assert 330 < haversine_km(48.8534, 2.3488, 51.5085, -0.1257) < 360


# gazetteer ---------------------------------------------------------------------------------


def test_build_info_and_layers(gaz: Gazetteer) -> None:
    info = gaz.info()
    assert info["format"] >= 1
    assert info["places"] > 200_000
    assert info["names"] > info["places"]
    for layer in ("cities500", "countries", "admin1", "airfields", "continents", "regions"):
        assert info["sources"].get(layer, 0) > 0, layer
    assert "GeoNames" in info["credit"]


def test_lookup_pins_geonames_ids(gaz: Gazetteer) -> None:
    assert KYIV in ids(gaz.lookup("Kyiv"))
    assert KYIV in ids(gaz.lookup("Київ"))  # Cyrillic alternate name
    assert PARIS_FR in ids(gaz.lookup("paris"))
    assert PARIS_TX in ids(gaz.lookup("Paris"))
    assert ENGELS in ids(gaz.lookup("Engels"))
    assert BELGOROD_OBLAST in ids(gaz.lookup("Belgorod Oblast"))
    assert UNITED_STATES in ids(gaz.lookup("U.S."))
    assert ids(gaz.lookup("W.Va.")) == [WEST_VIRGINIA]


def test_candidate_fields(gaz: Gazetteer) -> None:
    oblast = next(c for c in gaz.lookup("Donetsk") if c.geonameid == DONETSK_OBLAST)
    assert oblast.feature == "A.ADM1"
    assert oblast.admin1 == "Donetsk"
    assert oblast.country == "Ukraine" and oblast.iso3 == "UKR"
    assert oblast.source == "admin1"
    assert 46 < oblast.latitude < 50 and 36 < oblast.longitude < 40
    paris = gaz.get(PARIS_FR)
    assert paris is not None and paris.feature == "P.PPLC" and paris.population > 1_000_000


def test_admin1_names_are_common_english(gaz: Gazetteer) -> None:
    assert gaz.admin1_name("RU", "09") == "Belgorod"
    assert gaz.admin1_name("RU", "67") == "Saratov"
    assert gaz.admin1_name("UA", "05") == "Donetsk"
    assert gaz.admin1_name("UA", "07") == "Kharkiv"
    assert gaz.admin1_name("RU", "47") == "Moscow Oblast"  # kept: "Moscow" is another admin1


def test_pycountry_subdivision_names_reach_the_right_admin1(gaz: Gazetteer) -> None:
    assert ids(gaz.lookup("Donetska oblast")) == [DONETSK_OBLAST]
    assert [c.admin1 for c in gaz.lookup("Saratovskaya oblast'")] == ["Saratov"]


def test_air_base_is_its_own_feature(gaz: Gazetteer) -> None:
    bases = [c for c in gaz.lookup("Engels air base") if c.feature_class == "S"]
    assert bases and bases[0].feature_code == "AIRB"
    assert bases[0].country_code == "RU" and bases[0].admin1 == "Saratov"
    town = gaz.get(ENGELS)
    assert town is not None
    assert haversine_km(town.latitude, town.longitude, bases[0].latitude, bases[0].longitude) < 30
    # the bare name finds the town first, the base only as a stem
    first = gaz.lookup("Engels")[0]
    assert first.geonameid == ENGELS and first.match == "name"


def test_unknown_name_gives_nothing(gaz: Gazetteer) -> None:
    assert gaz.lookup("Qwzxplorvania") == []
    assert gaz.lookup("") == []
    assert not gaz.contains("Qwzxplorvania")


def test_open_and_lookup_are_fast(gazetteer_path: Path) -> None:
    started = time.perf_counter()
    g = Gazetteer.open(gazetteer_path)
    assert time.perf_counter() - started < 1.0
    started = time.perf_counter()
    for _ in range(100):
        g.lookup("Springfield")
    assert (time.perf_counter() - started) / 100 < 0.01
    g.close()


def test_failed_build_leaves_existing_file_alone(
    tmp_path: Path, gazetteer_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sitrep.geo.build as build

    target = tmp_path / "gaz.sqlite"
    shutil.copy(gazetteer_path, target)
    before = target.stat().st_size

    def broken() -> list:
        raise OSError("disk on fire")

    monkeypatch.setattr(build, "_load_cities", broken)
    with pytest.raises(GazetteerError):
        build.build_gazetteer(target)
    assert target.stat().st_size == before
    assert [p.name for p in tmp_path.iterdir()] == ["gaz.sqlite"]
    assert Gazetteer.open(target).lookup("Kyiv")


def test_stale_gazetteer_with_imports_is_kept(gazetteer_path: Path, tmp_path: Path) -> None:
    from sitrep.geo.build import build_fingerprint

    assert Gazetteer.open(gazetteer_path).info()["fingerprint"] == build_fingerprint()
    target = tmp_path / "old.sqlite"
    shutil.copy(gazetteer_path, target)
    with sqlite3.connect(target) as db:
        db.execute("UPDATE meta SET value = 'older' WHERE key = 'fingerprint'")
        db.execute("INSERT INTO meta VALUES ('imports', '[{\"file\": \"XX.txt\"}]')")
    started = time.perf_counter()
    g = Gazetteer.open(target)  # a rebuild would lose the import: kept, with a warning
    assert time.perf_counter() - started < 2
    assert g.info()["fingerprint"] == "older"


def test_open_rejects_a_file_that_is_not_a_gazetteer(tmp_path: Path) -> None:
    bogus = tmp_path / "bogus.sqlite"
    sqlite3.connect(bogus).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(GazetteerError) as err:
        Gazetteer.open(bogus)
    assert err.value.file == str(bogus)


# recognition -------------------------------------------------------------------------------


def test_qualifiers(gaz: Gazetteer) -> None:
    text = (
        "Shelling was reported near Bakhmut and 15 km south of Kramatorsk. Drones hit the "
        "Engels-2 air base and targets in the Belgorod region and in Donetsk Oblast."
    )
    found = {t.name: t for t in find_toponyms(text, gazetteer=gaz)}
    assert found["Bakhmut"].qualifier == "near"
    assert found["Kramatorsk"].qualifier == "distance"
    assert found["Engels"].qualifier == "base"
    assert found["Engels"].text == "Engels-2 air base"
    assert found["Belgorod"].qualifier == "region"
    assert found["Donetsk"].qualifier == "region"
    for t in found.values():
        assert text[t.start : t.end] == t.text


def test_outskirts_and_apposition(gaz: Gazetteer) -> None:
    text = "Troops dug in on the outskirts of Kherson. The factory in Engels, Russia was hit."
    found = {t.name: t for t in find_toponyms(text, gazetteer=gaz)}
    assert found["Kherson"].qualifier == "near"
    assert found["Engels"].container == "Russia"


def test_titles_common_words_and_people_are_not_places(gaz: Gazetteer) -> None:
    text = (
        "Reading the statement aloud, Senator Jordan thanked Mr. Austin and Gov. Lincoln. "
        "Mobile phones were banned. Police said the march would go ahead."
    )
    names = {t.text for t in find_toponyms(text, gazetteer=gaz)}
    assert not names & {"Reading", "Jordan", "Austin", "Lincoln", "Mobile", "Police"}


def test_spacy_entities_are_used_and_demonyms_are_optional(gaz: Gazetteer) -> None:
    text = "Russian forces advanced towards Pokrovsk, Ukrainian officials said."
    ents = [
        (text.index("Pokrovsk"), text.index("Pokrovsk") + 8, "GPE"),
        (0, 7, "NORP"),
        (text.index("Ukrainian"), text.index("Ukrainian") + 9, "NORP"),
    ]
    plain = [t.name for t in find_toponyms(text, ents, gazetteer=gaz)]
    assert plain == ["Pokrovsk"]
    with_demonyms = [t.name for t in find_toponyms(text, ents, gazetteer=gaz, demonyms=True)]
    assert with_demonyms == ["Russian", "Pokrovsk", "Ukrainian"]


def test_place_tagged_as_person_by_the_model_is_kept(gaz: Gazetteer) -> None:
    text = "Air raid sirens sounded in Kyiv overnight."
    start = text.index("Kyiv")
    found = find_toponyms(text, [(start, start + 4, "PERSON")], gazetteer=gaz)
    assert [t.text for t in found] == ["Kyiv"]


def test_empty_text(gaz: Gazetteer) -> None:
    assert find_toponyms("", gazetteer=gaz) == []


# resolution --------------------------------------------------------------------------------


def test_paris_texas_versus_paris_france(geo: Geoparser) -> None:
    texas = geo.parse(
        "The county fair in Paris drew ranchers from Tyler, Sherman and Dallas, Texas."
    )
    assert place_of(texas, "Paris").geonameid == PARIS_TX
    france = geo.parse(
        "Tourists in Paris queued at the Louvre before taking the train to Lyon, France."
    )
    assert place_of(france, "Paris").geonameid == PARIS_FR


def test_apposition_decides_homonym(geo: Geoparser) -> None:
    mentions = geo.parse("A tornado damaged homes in Paris, Texas, on Sunday.")
    paris = place_of(mentions, "Paris")
    assert paris.geonameid == PARIS_TX
    assert paris.admin1 == "Texas" and paris.iso3 == "USA" and paris.geo_precision == 1


def test_near_gives_precision_two(geo: Geoparser) -> None:
    place = place_of(geo.parse("Heavy fighting was reported near Bakhmut on Friday."), "Bakhmut")
    assert place.geo_precision == 2
    assert place.admin1 == "Donetsk" and place.country == "Ukraine"
    place = place_of(geo.parse("A convoy was struck 20 km east of Engels."), "Engels")
    assert place.geo_precision == 2 and place.geonameid == ENGELS


def test_region_gives_precision_three_and_admin1(geo: Geoparser) -> None:
    mentions = geo.parse("Officials in the Belgorod region reported shelling of border villages.")
    place = place_of(mentions, "Belgorod")
    assert place.geonameid == BELGOROD_OBLAST
    assert place.geo_precision == 3 and place.admin1 == "Belgorod" and place.feature == "A.ADM1"


def test_bare_city_name_prefers_the_city_over_its_region(geo: Geoparser) -> None:
    place = place_of(geo.parse("Explosions were heard in Belgorod overnight."), "Belgorod")
    assert place.geonameid == BELGOROD_CITY and place.geo_precision == 1


def test_country_gives_precision_three(geo: Geoparser) -> None:
    place = place_of(geo.parse("Aid convoys crossed into Ukraine."), "Ukraine")
    assert place.feature == "A.PCLI" and place.geo_precision == 3 and place.iso3 == "UKR"
    assert place.admin1 is None


def test_air_base_resolves_to_the_airfield(geo: Geoparser) -> None:
    mentions = geo.parse("Satellite images showed bombers parked at the Engels air base.")
    place = place_of(mentions, "Engels")
    assert place.feature == "S.AIRB"
    assert place.geo_precision == 1 and place.admin1 == "Saratov" and place.iso3 == "RUS"
    assert haversine_km(place.latitude, place.longitude, 51.48, 46.2) < 20


def test_airfield_found_near_a_town_when_not_named_after_it(geo: Geoparser) -> None:
    mentions = geo.parse("Drones attacked the Kursk airfield, the governor said.")
    place = place_of(mentions, "Kursk")
    assert place.feature.startswith("S.")
    assert place.admin1 == "Kursk"


def test_unresolvable_name_gives_nothing(geo: Geoparser) -> None:
    text = "Fighters regrouped near Zvorblinka, a hamlet not on any map."
    start = text.index("Zvorblinka")
    assert geo.parse_spans(text, [(start, start + len("Zvorblinka"))]) == []
    assert all(m.toponym.name != "Zvorblinka" for m in geo.parse(text))


def test_country_hint_tips_a_close_call(geo: Geoparser) -> None:
    text = "The council met in Springfield on Tuesday."
    hinted = place_of(geo.parse(text, country_hint="GB"), "Springfield")
    assert hinted.iso3 in ("GBR", "USA")  # hint is a weight, never a filter
    us = place_of(geo.parse(text, country_hint="USA"), "Springfield")
    assert us.iso3 == "USA"


def test_parse_spans_resolves_given_spans_only(geo: Geoparser) -> None:
    text = "Rockets hit Kharkiv and Zaporizhzhia; Kyiv was quiet."
    spans = [
        (text.index("Kharkiv"), text.index("Kharkiv") + 7),
        (text.index("Kyiv"), text.index("Kyiv") + 4),
    ]
    mentions = geo.parse_spans(text, spans)
    assert [(m.toponym.start, m.toponym.end) for m in mentions] == spans
    assert mentions[1].place.geonameid == KYIV
    assert mentions[0].place.admin1 == "Kharkiv" and mentions[0].place.geo_precision == 1


def test_same_name_resolves_the_same_way_in_one_article(geo: Geoparser) -> None:
    text = (
        "Flooding closed roads around Alexandria, Virginia. Later, Alexandria officials "
        "opened shelters in Arlington."
    )
    places = [m.place for m in geo.parse(text) if m.toponym.name == "Alexandria"]
    assert len(places) == 2 and places[0].geonameid == places[1].geonameid
    assert places[0].admin1 == "Virginia"


# import ------------------------------------------------------------------------------------

needs_shared = pytest.mark.skipif(not SHARED.exists(), reason="shared GeoNames files not present")


@pytest.fixture()
def gaz_copy(tmp_path: Path, gazetteer_path: Path) -> Path:
    target = tmp_path / "gaz.sqlite"
    shutil.copy(gazetteer_path, target)
    return target


def test_default_gazetteer_has_ukrainian_villages_and_admin2(gazetteer_path: Path) -> None:
    g = Gazetteer.open(gazetteer_path)
    # villages from the shipped postal list, by Cyrillic, national romanisation and English spellings
    # (cities500 knows a Heorhiivka in Luhansk oblast only; the postal list adds Donetsk's)
    latin = [c for c in g.lookup("Heorhiivka") if c.admin1 == "Donetsk"]
    assert latin and all(c.source == "ua_postal" and c.geonameid is None for c in latin)
    assert {c.id for c in latin} <= {c.id for c in g.lookup("Георгіївка")}
    assert {c.id for c in latin} <= {c.id for c in g.lookup("Georgiivka")}
    # every village has a raion, and it is one of its own oblast's
    assert all(c.admin2 and c.admin2_code for c in latin)
    # villages cities500 already has are not duplicated
    assert [c.source for c in g.lookup("Берестове") if c.admin1 == "Donetsk"] == ["cities500"]
    # towns carry their admin2 unit; the unit is a place of its own
    kramatorsk = next(c for c in g.lookup("Kramatorsk") if c.feature_class == "P")
    assert kramatorsk.admin2 == "Kramatorskyi"  # ACLED writes admin2 names without designator
    unit = g.admin2_unit(kramatorsk)
    assert unit is not None and unit.feature == "A.ADM2" and unit.admin1 == "Donetsk"


@needs_shared
def test_import_geonames_postal_and_admin_files(gaz_copy: Path) -> None:
    from sitrep.geo.importer import import_files

    files = [
        SHARED / "geonames" / "NL.txt",
        SHARED / "geonames" / "admin2Codes.txt",
        SHARED / "geonames-postal" / "UA.txt",
    ]
    report = import_files(files, gazetteer_path=gaz_copy)
    assert report["files"] == [str(f) for f in files]
    assert report["places_added"] > 10_000
    # the postal list is the shipped layer's source: importing it again adds no village twice
    assert report.get("villages_added", 0) < report["villages_already_known"] / 10
    g = Gazetteer.open(gaz_copy)
    assert [i["file"] for i in g.info()["imports"]] == [str(f) for f in files]
    # a Dutch hamlet too small for cities500 is now known, with its GeoNames id
    assert 2743463 in [c.geonameid for c in g.lookup("Den Oord")]
    amsterdam = g.get(2759794)
    assert amsterdam is not None and amsterdam.admin2


@needs_shared
def test_import_zip_of_geonames_table(gaz_copy: Path) -> None:
    from sitrep.geo.importer import import_files

    archive = SHARED / "geonames" / "cities15000.zip"
    report = import_files([archive], gazetteer_path=gaz_copy)
    assert report["rows"] > 30_000
    g = Gazetteer.open(gaz_copy)
    kharkiv = g.get(706483)
    assert kharkiv is not None and kharkiv.feature == "P.PPLA"  # cities500 has no feature codes
    assert [c.geonameid for c in g.lookup("Kharkiv") if c.feature_class == "P"][:1] == [706483]


def test_ukrainian_romanisation() -> None:
    from sitrep.geo.postal import english_spellings, romanize_ukrainian

    assert romanize_ukrainian("Георгіївка") == "Heorhiivka"
    assert romanize_ukrainian("Берестове") == "Berestove"
    assert romanize_ukrainian("Луганське") == "Luhanske"
    assert romanize_ukrainian("Згурівка") == "Zghurivka"
    assert romanize_ukrainian("Ямпіль") == "Yampil"
    assert romanize_ukrainian("Новоукраїнка") == "Novoukrainka"
    assert romanize_ukrainian("Їжакевич") == "Yizhakevych"
    assert "Avdiyivka" in english_spellings(romanize_ukrainian("Авдіївка"))
    assert "Georgiivka" in english_spellings("Heorhiivka")


def test_import_skips_bad_rows_and_names_them(gaz_copy: Path, tmp_path: Path) -> None:
    from sitrep.geo.importer import import_files

    row = "9999001\tTestville\tTestville\tTestvil\t50.1\t30.2\tP\tPPL\tUA\t\t05\t\t\t\t1200\t\t100\tEurope/Kyiv\t2024-01-01\n"
    good = tmp_path / "XX.txt"
    good.write_text(row, encoding="utf-8")
    bad = tmp_path / "YY.txt"
    bad.write_text(
        row.replace("9999001\tTestville", "9999003\tOtherville")
        + row.replace("9999001\tTestville", "9999004\tFarville").replace("50.1", "150.1")
        + row.replace("9999001\tTestville", "9999005\tZyxwvutown").replace(
            "\tUA\t\t05", "\tUA\t\t77"
        )
        + "9999002\tBrokenburg\tBrokenburg\t\t50.",
        encoding="utf-8",
    )
    report = import_files([good, bad], gazetteer_path=gaz_copy)
    assert report["bad_rows"] == 3
    (line,) = report["skipped"]
    assert line.startswith("YY.txt: 3 bad rows skipped")
    assert "line 2: bad coordinates" in line and "line 3: unknown admin1 code UA.77" in line
    assert "line 4: 5 columns, expected 19" in line
    g = Gazetteer.open(gaz_copy)
    assert g.lookup("Testville") and g.lookup("Otherville")
    assert not g.lookup("Farville") and not g.lookup("Zyxwvutown") and not g.lookup("Brokenburg")


def test_import_of_unreadable_file_changes_nothing(gaz_copy: Path, tmp_path: Path) -> None:
    from sitrep.geo.importer import import_files

    good = tmp_path / "XX.txt"
    good.write_text(
        "9999001\tTestville\tTestville\tTestvil\t50.1\t30.2\tP\tPPL\tUA\t\t05\t\t\t\t1200\t\t100\tEurope/Kyiv\t2024-01-01\n",
        encoding="utf-8",
    )
    bad = tmp_path / "YY.txt"
    bad.write_bytes(b"9999002\tBr\xffkenburg\n")
    before = gaz_copy.read_bytes()
    with pytest.raises(GazetteerError) as err:
        import_files([good, bad], gazetteer_path=gaz_copy)
    assert err.value.file == str(bad)
    assert gaz_copy.read_bytes() == before
    assert Gazetteer.open(gaz_copy).lookup("Testville") == []


def test_import_corrupt_zip_changes_nothing(gaz_copy: Path, tmp_path: Path) -> None:
    from sitrep.geo.importer import import_files

    corrupt = tmp_path / "AB.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(GazetteerError) as err:
        import_files([corrupt], gazetteer_path=gaz_copy)
    assert err.value.file == str(corrupt)


def test_import_wrong_format_is_refused(gaz_copy: Path, tmp_path: Path) -> None:
    from sitrep.geo.importer import import_files

    wrong = tmp_path / "notes.txt"
    wrong.write_text("just some words\nand more words\n", encoding="utf-8")
    with pytest.raises(GazetteerError):
        import_files([wrong], gazetteer_path=gaz_copy)
    archive = tmp_path / "empty.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("readme.md", "nothing")
    with pytest.raises(GazetteerError):
        import_files([archive], gazetteer_path=gaz_copy)


def test_odd_inputs_do_not_crash(geo: Geoparser) -> None:
    text = "— … ’s U.S. \n\n ЖЖЖ 123-456 , , Ga. St. Louis's the The THE Oblast region near"
    ents = [(0, 3, "GPE"), (5, 400, "LOC"), (30, 31, "PERSON")]
    for mention in geo.parse(text, ents, demonyms=True):
        assert text[mention.toponym.start : mention.toponym.end] == mention.toponym.text
        assert mention.place.latitude is not None
    assert geo.parse_spans(text, [(0, 1), (3, 3)]) == []
