"""Fusion: reports of one event from many outlets merge into one record; unrelated events stay apart.

The corpus (tests/fixtures/fusion/) is 15 articles by 10 outlets about 5 real-world events, with
hand-written mentions and the merged records they must make (gold.json).
"""

from __future__ import annotations

import json
import random
from datetime import date, datetime
from pathlib import Path

import pytest

from sitrep.ingest import article_from_record
from sitrep.models import Article, Attribution, Event, Evidence, Removed
from sitrep.store import Store, derive, fusion
from sitrep.taxonomy import event_type_of

FIXTURES = Path(__file__).parent / "fixtures" / "fusion"
GOLD = json.loads((FIXTURES / "gold.json").read_text(encoding="utf-8"))


def load_articles() -> list[Article]:
    lines = (FIXTURES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [article_from_record(json.loads(line)) for line in lines if line.strip()]


def gold_events(article: Article) -> list[Event]:
    """The hand-written mentions of one article, as the extractor would hand them over."""
    out = []
    for i, g in enumerate(GOLD["mentions"][article.id]):
        start = article.text.find(g["evidence"])
        assert start >= 0, f"{article.id}: evidence not in the text: {g['evidence']!r}"
        out.append(
            Event(
                article_id=article.id,
                event_id=f"{article.id}:{i}",
                event_type=event_type_of(g["sub_event_type"]),
                sub_event_type=g["sub_event_type"],
                confidence=0.8,
                event_date=date.fromisoformat(g["event_date"]),
                time_precision=g["time_precision"],
                actor1=g.get("actor1"),
                actor2=g.get("actor2"),
                country=g["country"],
                iso3=g["iso3"],
                admin1=g["admin1"],
                admin2=g.get("admin2"),
                location=g["location"],
                latitude=g["latitude"],
                longitude=g["longitude"],
                geo_precision=g["geo_precision"],
                fatalities=g["fatalities"],
                notes=f"On {g['event_date']}, in {g['location']}: {g['evidence']}.",
                attribution=Attribution(status=g["status"]),
                evidence=[Evidence(g["evidence"], start, start + len(g["evidence"]))],
                source=article.publisher,
                source_url=article.url,
                published=article.published,
            )
        )
    return out


def gold_label(mention_key: str) -> str:
    article_id, n = mention_key.rsplit(":", 1)
    return str(GOLD["mentions"][article_id][int(n)]["event"])


def partition(store: Store) -> set[frozenset[str]]:
    """The merged events as sets of mention keys."""
    return {
        frozenset(r.mention_id for r in store.event(e.event_id).reports) for e in store.events()
    }  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return load_articles()


@pytest.fixture(scope="module")
def gold_store(tmp_path_factory: pytest.TempPathFactory, articles: list[Article]) -> Store:
    store = Store.open(tmp_path_factory.mktemp("gold") / "events.db")
    for art in articles:
        result = store.add_article(art, gold_events(art))
        assert result.added
    return store


def test_corpus_merges_into_the_real_events(gold_store: Store) -> None:
    records = gold_store.events()
    assert len(records) == len(GOLD["expected"]) == 5
    seen = set()
    for rec in records:
        full = gold_store.event(rec.event_id)
        assert full is not None
        labels = {gold_label(r.mention_id) for r in full.reports}
        assert len(labels) == 1, f"{rec.event_id} mixes real events {labels}"
        label = labels.pop()
        seen.add(label)
        want = GOLD["expected"][label]
        assert rec.article_count == want["articles"], label
        assert rec.source_count == want["sources"], label
        assert rec.independent_sources == want["independent"], label
        assert rec.fatalities == want["fatalities"], label
        assert rec.status == want["status"], label
        assert rec.mention_count == len(full.reports)
    assert seen == set(GOLD["expected"])


def test_every_source_keeps_its_figure(gold_store: Store) -> None:
    train = gold_store.events(text="Jaffar Express")
    assert len(train) == 1
    figures = {f.source: f.fatalities for f in train[0].source_figures}
    # VOA's latest report (31) replaces its first one (6); the lowest, 25, is canonical
    assert figures == {
        "Voice of America": 31,
        "Indus Daily": 25,
        "Coastal Times": 26,
        "Lahore Evening Star": 26,
        "Highland Courier": 26,
    }
    assert train[0].fatalities == 25
    assert train[0].sources[0] == "Voice of America"  # in order of first report


def test_unrelated_event_same_day_same_city_stays_apart(gold_store: Store) -> None:
    beledweyne = gold_store.events(country="Somalia", date_from="2025-03-11", date_to="2025-03-11")
    kinds = sorted(r.sub_event_type for r in beledweyne)
    assert kinds == ["Attack", "Peaceful protest"]
    protest = next(r for r in beledweyne if r.sub_event_type == "Peaceful protest")
    assert protest.mention_count == 1 and protest.article_id == "protest-hiiraan-1"


def test_one_article_can_report_two_events(gold_store: Store) -> None:
    hits = [r for r in gold_store.events(country="SOM") if r.mention_count > 1]
    carrying = [
        r
        for r in hits
        if "airstrike-voa-1" in {x.article_id for x in gold_store.event(r.event_id).reports}
    ]  # type: ignore[union-attr]
    assert sorted(r.sub_event_type for r in carrying) == ["Air/drone strike", "Attack"]


def test_syndicated_copies_are_one_independent_source(gold_store: Store) -> None:
    rec = gold_store.events(text="Jaffar Express")[0]
    full = gold_store.event(rec.event_id)
    assert full is not None
    groups = {r.article_id: r.group for r in full.reports}
    assert groups["train-coastal-1"] == groups["train-lahore-1"] == groups["train-highland-1"]
    assert groups["train-voa-1"] == groups["train-voa-2"]  # one publisher
    assert len(set(groups.values())) == 3


def test_ingesting_again_changes_nothing(gold_store: Store, articles: list[Article]) -> None:
    before = (gold_store.stats(), partition(gold_store))
    for art in articles:
        assert not gold_store.add_article(art, gold_events(art)).added
    assert (gold_store.stats(), partition(gold_store)) == before


def test_rebuild_and_reverse_order_give_the_same_events(
    gold_store: Store, articles: list[Article], tmp_path: Path
) -> None:
    before = partition(gold_store)
    gold_store.rebuild()
    assert partition(gold_store) == before
    with Store.open(tmp_path / "reverse.db") as other:
        for art in reversed(articles):
            other.add_article(art, gold_events(art))
        assert partition(other) == before


def test_incremental_join_of_a_new_report(tmp_path: Path, articles: list[Article]) -> None:
    with Store.open(tmp_path / "inc.db") as store:
        first = next(a for a in articles if a.id == "kabul-evening-1")
        store.add_article(first, gold_events(first))
        [rec] = store.events()
        assert (rec.source_count, rec.fatalities, rec.status) == (1, 30, "reported")
        later = next(a for a in articles if a.id == "kabul-hindukush-1")
        result = store.add_article(later, gold_events(later))
        assert (result.new_events, result.updated_events) == (0, 1)
        [rec2] = store.events()
        assert rec2.event_id == rec.event_id
        assert (rec2.source_count, rec2.fatalities, rec2.status) == (2, 30, "confirmed")


# -- the rules, one by one ---------------------------------------------------------------------


def sketch(
    sub: str = "Attack", day: str = "2025-03-11", precision: int = 1, **kw: object
) -> fusion.Sketch:
    d = date.fromisoformat(day)
    lo, hi = fusion.date_window(d, precision)
    base: dict[str, object] = dict(
        event_type=event_type_of(sub),
        sub_event_type=sub,
        day_from=lo,
        day_to=hi,
        time_precision=precision,
        iso3="SOM",
        admin1="Hiiraan",
        location="Beledweyne",
        latitude=4.7358,
        longitude=45.2036,
        geo_precision=1,
    )
    base.update(kw)
    return fusion.Sketch(**base)  # type: ignore[arg-type]


def test_date_windows_follow_time_precision() -> None:
    d = date(2025, 3, 11)
    assert fusion.date_window(d, 1) == (d.toordinal(), d.toordinal())
    assert fusion.date_window(d, 2) == (d.toordinal() - 3, d.toordinal() + 3)
    assert fusion.date_window(d, 3) == (date(2025, 3, 1).toordinal(), date(2025, 3, 31).toordinal())
    published = datetime(2025, 3, 20, 12, 0)
    assert fusion.date_window(None, 1, published)[1] == date(2025, 3, 20).toordinal()


def test_types_that_can_and_cannot_be_one_event() -> None:
    strike = sketch("Air/drone strike")
    assert fusion.type_score(strike, sketch("Shelling/artillery/missile attack")) > 0
    assert fusion.type_score(strike, sketch("Peaceful protest")) == 0
    assert fusion.score(strike, sketch("Peaceful protest", event_id=1)) is None
    assert fusion.type_score(sketch("Arrests"), sketch("Looting/property destruction")) == 0


def test_dates_must_overlap_given_precision() -> None:
    a = sketch(event_id=1)
    assert fusion.date_score(a, sketch(day="2025-03-12")) is not None  # the next day: night events
    assert fusion.date_score(a, sketch(day="2025-03-14")) is None
    assert fusion.date_score(a, sketch(day="2025-03-14", precision=2)) is not None  # a vague week
    assert fusion.date_score(a, sketch(day="2025-03-01", precision=3)) is not None  # "in March"


def test_place_distance_depends_on_geo_precision() -> None:
    town = sketch()
    near = sketch(location="X", latitude=4.7358 + 0.36, geo_precision=1)  # ~40 km north
    assert fusion.place_score(town, near) is None  # two towns 40 km apart
    assert (
        fusion.place_score(town, sketch(location="X", latitude=4.7358 + 0.36, geo_precision=2))
        is not None
    )
    region = sketch(location="Hiiraan", latitude=4.3, longitude=45.3, geo_precision=3)
    assert fusion.place_score(town, region) is not None
    other_region = sketch(admin1="Middle Shabelle", latitude=2.9, longitude=45.5, geo_precision=3)
    assert fusion.place_score(town, other_region) is None
    assert fusion.place_score(town, sketch(iso3="ETH")) is None


def test_blocking_never_hides_a_compatible_event() -> None:
    """Whenever a mention could join an event, the event is filed under one of its search keys."""
    rng = random.Random(7)
    subs = ["Attack", "Air/drone strike", "Armed clash", "Peaceful protest"]
    compatible = 0
    for _ in range(3000):
        a = random_sketch(rng, subs)
        b = random_sketch(rng, subs, near=a)
        if fusion.score(a, b) is None:
            continue
        compatible += 1
        assert set(fusion.search_keys(a)) & set(fusion.index_keys(b)), (a, b)
        lo, hi, min_to = fusion.search_window(a)
        b_from, b_to = fusion.clip_window(b.day_from, b.day_to)
        assert lo <= b_from <= hi and b_to >= min_to, (a, b)
    assert compatible > 300  # towns, regions and countries against each other


def random_sketch(
    rng: random.Random, subs: list[str], near: fusion.Sketch | None = None
) -> fusion.Sketch:
    lat0, lon0 = (
        (near.latitude or 4.7, near.longitude or 45.2)
        if near
        else (rng.uniform(-60, 60), rng.uniform(-179, 179))
    )
    precision = rng.choice([1, 2, 3])
    has_admin1 = rng.random() < 0.8
    day = date(2025, 3, 11).toordinal() + rng.randint(-5, 5)
    tp = rng.choice([1, 1, 2, 3])
    lo, hi = fusion.date_window(date.fromordinal(day), tp)
    no_coords = rng.random() < 0.15
    return fusion.Sketch(
        event_type=event_type_of(s := rng.choice(subs)),
        sub_event_type=s,
        day_from=lo,
        day_to=hi,
        time_precision=tp,
        iso3="SOM",
        admin1=rng.choice(["Hiiraan", "Bay"]) if has_admin1 else None,
        location=rng.choice(["A", "B", None]),
        latitude=None if no_coords else lat0 + rng.uniform(-0.8, 0.8),
        longitude=None if no_coords else lon0 + rng.uniform(-0.8, 0.8),
        geo_precision=precision,
        event_id=1,
    )


def test_best_match_needs_the_threshold() -> None:
    mention = sketch()
    same = sketch(event_id=1)
    vague = sketch(
        event_id=2,
        location=None,
        latitude=None,
        longitude=None,
        admin1=None,
        geo_precision=3,
        day_from=mention.day_from - 20,
        time_precision=3,
    )
    match = fusion.best_match(mention, [vague, same])
    assert match is not None and match.event_id == 1
    assert fusion.best_match(mention, [vague]) is None


# -- independence, figures, status -------------------------------------------------------------


def stored(i: int, source: str, text: str = "", **kw: object) -> derive.StoredArticle:
    return derive.StoredArticle(
        id=i,
        key=f"a{i}",
        source=source,
        signature=derive.text_signature(text) if text else None,
        **kw,
    )  # type: ignore[arg-type]


def test_near_duplicate_texts_are_one_source(articles: list[Article]) -> None:
    by_id = {a.id: a for a in articles}
    sig = {
        k: derive.text_signature(by_id[k].text)
        for k in ("train-coastal-1", "train-lahore-1", "train-highland-1", "train-indus-1")
    }
    assert derive.signature_similarity(sig["train-coastal-1"], sig["train-lahore-1"]) >= 0.8
    assert derive.signature_similarity(sig["train-coastal-1"], sig["train-highland-1"]) >= 0.8
    assert derive.signature_similarity(sig["train-coastal-1"], sig["train-indus-1"]) < 0.2


def test_wire_credits_join_sources() -> None:
    wire = Article(
        id="w",
        text="KABUL (AP) — A car bomb exploded outside a school on Saturday.",
        publisher="Local One",
    )
    assert derive.wire_credits(wire) == ["Associated Press"]
    byline = Article(
        id="b",
        text="Other words entirely.",
        author="Reuters staff",
        publisher="Local Two",
        removed=[Removed("dateline", "KABUL, May 8 (Reuters) -")],
    )
    assert derive.wire_credits(byline) == ["Reuters"]
    quoted = Article(
        id="q", text="An official told Reuters the attack was planned. It happened on Saturday."
    )
    assert derive.wire_credits(quoted) == []  # citing a wire is not copying it
    groups = derive.independence_groups(
        [
            stored(1, "Local One", wire=("Associated Press",)),
            stored(2, "Local Three", wire=("Associated Press",)),
            stored(3, "Local Two", wire=("Reuters",)),
            stored(4, "Local One"),
        ]
    )
    assert groups[1] == groups[2] == groups[4] != groups[3]


def mention(
    i: int, article: int, fatalities: int, status: str = "reported"
) -> derive.StoredMention:
    ev = Event(
        article_id=f"a{article}",
        event_id=f"m{i}",
        event_type="Battles",
        sub_event_type="Armed clash",
        confidence=0.5,
        event_date=date(2025, 3, 1),
        time_precision=1,
        fatalities=fatalities,
        attribution=Attribution(status=status),
    )
    return derive.StoredMention(id=i, article_id=article, event=ev)


def test_conservative_rule_over_latest_figures() -> None:
    arts = {
        1: stored(1, "A", published=datetime(2025, 3, 1, 8)),
        2: stored(2, "A", published=datetime(2025, 3, 2, 8)),
        3: stored(3, "B", published=datetime(2025, 3, 1, 9)),
        4: stored(4, "C", published=datetime(2025, 3, 1, 10)),
    }
    ms = [mention(1, 1, 3), mention(2, 2, 12), mention(3, 3, 9), mention(4, 4, 0)]
    figs = {f.source: f.fatalities for f in derive.source_figures(ms, arts)}
    assert figs == {"A": 12, "B": 9, "C": 0}
    assert derive.conservative(figs.values()) == 9  # C reports no figure; A's latest is 12
    assert derive.conservative([0, 0]) == 0


def test_status_from_attribution() -> None:
    groups = {1: 1, 2: 2, 3: 3}
    assert (
        derive.merged_status([mention(1, 1, 0), mention(2, 2, 0, "asserted")], groups)
        == "confirmed"
    )
    assert derive.merged_status([mention(1, 1, 0), mention(2, 1, 0)], {1: 1}) == "reported"
    assert (
        derive.merged_status([mention(1, 1, 0), mention(2, 2, 0, "denied")], groups) == "disputed"
    )
    assert derive.merged_status([mention(1, 1, 0, "claimed")], groups) == "claimed"
    assert derive.merged_status([mention(1, 1, 0, "unconfirmed")], groups) == "unconfirmed"


# -- the real extractor on the corpus ----------------------------------------------------------


def test_extractor_output_merges_across_outlets(
    extractor, articles: list[Article], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    with Store.open(tmp_path / "real.db") as store:
        for art, events in extractor.extract_batch(articles):
            store.add_article(art, events)
        assert store.check() == []
        reports = {r.event_id: store.event(r.event_id).reports for r in store.events()}  # type: ignore[union-attr]
        train = [
            reps
            for reps in reports.values()
            if {"train-voa-1", "train-coastal-1"} <= {r.article_id for r in reps}
        ]
        assert train, "the first VOA report and the syndicated story should be one event"
        sources = {r.source for r in train[0]}
        assert len(sources) >= 3
        protest = [
            reps
            for reps in reports.values()
            if any(r.article_id == "protest-hiiraan-1" for r in reps)
        ]
        assert protest and all(
            {r.article_id for r in reps} == {"protest-hiiraan-1"} for reps in protest
        )
