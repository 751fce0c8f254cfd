"""Hand-built articles and events for API, page and benchmark tests: no NLP, only the store's public API.

``xss_article`` carries HTML and script in its title and text, so tests can check the page shows it as
text. ``synthetic`` makes any number of events spread over the world and two years, one article each.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sitrep import taxonomy
from sitrep.models import Article, Attribution, Event, Evidence, Figure
from sitrep.store import Store

XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
PLACES = [
    # location, admin1, country, iso3, lat, lon
    ("Kharkiv", "Kharkiv Oblast", "Ukraine", "UKR", 49.9935, 36.2304),
    ("Bakhmut", "Donetsk Oblast", "Ukraine", "UKR", 48.5956, 38.0003),
    ("Peshawar", "Khyber Pakhtunkhwa", "Pakistan", "PAK", 34.008, 71.5785),
    ("Maiduguri", "Borno", "Nigeria", "NGA", 11.8311, 13.151),
    ("Mogadishu", "Banaadir", "Somalia", "SOM", 2.0469, 45.3182),
    ("Khartoum", "Khartoum", "Sudan", "SDN", 15.5007, 32.5599),
    ("Goma", "North Kivu", "Democratic Republic of Congo", "COD", -1.6792, 29.2228),
    ("Nairobi", "Nairobi", "Kenya", "KEN", -1.2864, 36.8172),
]


@dataclass
class Seeded:
    """What a seeding put in the store: the article ids, and the text of each (by id)."""

    articles: list[Article]

    def text_of(self, article_id: str) -> str:
        return next(a.text for a in self.articles if a.id == article_id)


def article_and_event(
    n: int,
    *,
    day: date,
    place: tuple[str, str, str, str, float, float],
    sub_event_type: str,
    publisher: str,
    fatalities: int = 0,
    title: str | None = None,
    extra_text: str = "",
    attribution: Attribution | None = None,
    actor1: str = "Military Forces of Russia (2000-)",
    actor2: str | None = "Civilians (Ukraine)",
) -> tuple[Article, Event]:
    """One article and the one event it reports, with evidence offsets that point into its text."""
    location, admin1, country, iso3, lat, lon = place
    lead = f"{location} was hit on {day:%B} {day.day}, officials said."
    claim = f"At least {fatalities} people were killed in the attack near {location}, police said."
    text = "\n\n".join(p for p in (lead, extra_text, claim, f"Story number {n}.") if p)
    start = text.index(claim)
    etype = taxonomy.event_type_of(sub_event_type)
    published = datetime(day.year, day.month, day.day, 12, tzinfo=UTC) + timedelta(days=1)
    article = Article(
        id=f"art-{n}",
        text=text,
        title=title or f"Attack near {location} ({n})",
        published=published,
        publisher=publisher,
        url=f"https://news.example/{publisher.lower().replace(' ', '-')}/{n}",
        language="en",
    )
    lead_start = text.index(lead)
    event = Event(
        article_id=article.id,
        event_id=f"m-{n}",
        event_type=etype,
        sub_event_type=sub_event_type,
        confidence=0.8,
        event_date=day,
        time_precision=1,
        actor1=actor1,
        actor2=actor2,
        country=country,
        iso3=iso3,
        admin1=admin1,
        location=location,
        latitude=lat,
        longitude=lon,
        geo_precision=1,
        fatalities=fatalities,
        notes=f"On {day.isoformat()}, an attack near {location} killed {fatalities}.",
        figures=[
            Figure(
                kind="fatalities", value=fatalities, text=f"At least {fatalities}", source="police"
            )
        ],
        attribution=attribution or Attribution(status="reported", reported_by=["police"]),
        evidence=[
            Evidence(text=claim, start=start, end=start + len(claim), field="fatalities"),
            Evidence(text=lead, start=lead_start, end=lead_start + len(lead), field="date"),
        ],
        source=publisher,
        source_url=article.url,
        published=published,
    )
    return article, event


def small_world(store: Store) -> Seeded:
    """A dozen events in known places, one reported by two publishers, one with HTML in its text."""
    base = date(2024, 3, 1)
    subs = [
        "Shelling/artillery/missile attack",
        "Armed clash",
        "Attack",
        "Peaceful protest",
        "Air/drone strike",
    ]
    articles: list[Article] = []
    for i, place in enumerate(PLACES):
        art, ev = article_and_event(
            i,
            day=base + timedelta(days=3 * i),
            place=place,
            sub_event_type=subs[i % len(subs)],
            publisher=["Reuters", "AP", "BBC"][i % 3],
            fatalities=i + 1,
        )
        store.add_article(art, [ev])
        articles.append(art)
    # a second, independent report of event 0 (same place, day and type): merged into one event
    art, ev = article_and_event(
        100,
        day=base,
        place=PLACES[0],
        sub_event_type=subs[0],
        publisher="Kyiv Independent",
        fatalities=3,
        extra_text="Our correspondent in the city counted craters along three streets and spoke to doctors "
        "at the regional hospital, who described a night of heavy shelling and fires in several districts.",
        attribution=Attribution(
            status="claimed",
            claimed_by=["Russian Defence Ministry"],
            hedges=["likely"],
            probability=[0.55, 0.8],
        ),
    )
    store.add_article(art, [ev])
    articles.append(art)
    articles.append(xss_article(store, 200, base + timedelta(days=40)))
    return Seeded(articles)


def xss_article(store: Store, n: int, day: date) -> Article:
    """An article whose title, text and event carry markup and script: it must be shown as text."""
    art, ev = article_and_event(
        n,
        day=day,
        place=("Odesa", "Odesa Oblast", "Ukraine", "UKR", 46.4825, 30.7233),
        sub_event_type="Air/drone strike",
        publisher="Evil <b>Times</b>",
        fatalities=2,
        title=f"Drones hit Odesa {XSS}",
        extra_text=f"Residents wrote {XSS} on the wall.",
        actor1=f"Actor {XSS}",
    )
    ev.notes = f"Note with {XSS}"
    store.add_article(art, [ev])
    return art


def synthetic(
    n: int, seed: int = 7, start: date = date(2023, 1, 1), days: int = 730
) -> Iterator[tuple[Article, Event]]:
    """``n`` articles with one event each, at random places on land-ish latitudes and random days."""
    rng = random.Random(seed)
    subs = taxonomy.sub_event_types()
    publishers = ["Reuters", "AP", "AFP", "BBC", "VOA", "Al Jazeera", "Kyiv Independent", "Dawn"]
    for i in range(n):
        lat = round(rng.uniform(-35, 60), 4)
        lon = round(rng.uniform(-20, 120), 4)
        place = (f"Place {i}", f"Region {i % 50}", f"Country {i % 40}", None, lat, lon)
        yield article_and_event(
            i,
            day=start + timedelta(days=rng.randrange(days)),
            place=place,  # type: ignore[arg-type]
            sub_event_type=rng.choice(subs),
            publisher=rng.choice(publishers),
            fatalities=rng.choice([0, 0, 1, 2, 5, 12]),
        )


def seed_synthetic(store: Store, n: int, seed: int = 7) -> int:
    """Add ``n`` synthetic articles (one event each) through ``Store.add_article``; returns the count."""
    for art, ev in synthetic(n, seed):
        store.add_article(art, [ev])
    return n
