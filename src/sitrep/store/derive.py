"""A merged event from its mentions: canonical fields, sources, figures and status. No SQL here.

Rules (documented in ``docs/store.md``):
- reports are one *independent* source when they share a publisher, credit the same wire agency, or
  their texts are near-duplicates (bottom-k sketches of word shingles);
- each publisher's figure is the one of its latest article; the canonical fatalities (and injuries)
  follow ACLED's conservative rule: the lowest figure any source gives, 0 when none gives one;
- the status is ``confirmed`` when at least two independent sources assert or report the event,
  else ``disputed`` when anyone denies it, ``reported`` when one source asserts it, ``claimed`` when
  only a party's claim carries it, and ``unconfirmed`` otherwise.
"""

from __future__ import annotations

import re
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sitrep.models import Article, Attribution, Event, EventRecord, Figure, Report, SourceFigure
from sitrep.store import fusion

_WORD = re.compile(r"\w+", re.UNICODE)
_ASSERTING = {"asserted", "reported"}
_CONTESTED = ["denied", "suspected", "claimed", "unconfirmed", "reported", "asserted"]
STATUSES = ("confirmed", "disputed", "reported", "claimed", "unconfirmed")


@dataclass
class StoredArticle:
    """What merging needs of an article: its source, date, wire credits and text sketch."""

    id: int
    key: str
    source: str
    url: str | None = None
    title: str | None = None
    published: datetime | None = None
    wire: tuple[str, ...] = ()
    signature: bytes | None = None


@dataclass
class StoredMention:
    """One stored mention: the extracted Event, its row id, its article's row id, its fusion score."""

    id: int
    article_id: int
    event: Event
    score: float | None = None


@dataclass
class Merged:
    """The canonical record of a merged event plus what fusion and the index need."""

    record: EventRecord
    window: tuple[int, int]
    terms: list[str] = field(default_factory=list)
    representative: int = 0  # row id of the representative mention
    sketch: fusion.Sketch | None = None


# -- independence ------------------------------------------------------------------------------


def _independence() -> dict[str, object]:
    cfg: dict[str, object] = fusion.settings()["independence"]
    return cfg


def text_signature(text: str) -> bytes:
    """A bottom-k sketch of the text's word shingles (the k smallest CRC32 hashes), as bytes."""
    cfg = _independence()
    n = int(str(cfg["shingle_words"]))
    k = int(str(cfg["sketch_size"]))
    tokens = _WORD.findall(text.casefold())
    if not tokens:
        return b""
    hashes = {
        zlib.crc32(" ".join(tokens[i : i + n]).encode("utf-8"))
        for i in range(max(1, len(tokens) - n + 1))
    }
    return array("I", sorted(hashes)[:k]).tobytes()


def signature_similarity(a: bytes | None, b: bytes | None) -> float:
    """Estimated Jaccard similarity of two texts from their bottom-k sketches."""
    if not a or not b:
        return 0.0
    sa, sb = array("I"), array("I")
    sa.frombytes(a)
    sb.frombytes(b)
    k = min(len(sa), len(sb))
    union = sorted(set(sa) | set(sb))[:k]
    both = set(sa) & set(sb)
    return sum(1 for h in union if h in both) / len(union) if union else 0.0


@cache
def _agency_patterns() -> list[tuple[str, re.Pattern[str]]]:
    agencies = _independence()["wire_agencies"]
    assert isinstance(agencies, dict)
    out = []
    for name, aliases in agencies.items():
        alts = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        out.append((name, re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])")))
    return out


@cache
def _credit_patterns() -> list[re.Pattern[str]]:
    patterns = _independence()["credit_patterns"]
    assert isinstance(patterns, list)
    return [re.compile(p, re.MULTILINE) for p in patterns]


def agencies_in(text: str | None) -> list[str]:
    """The wire agencies named in ``text`` (canonical names)."""
    if not text:
        return []
    return [name for name, pat in _agency_patterns() if pat.search(text)]


def wire_credits(article: Article) -> list[str]:
    """Wire agencies the article is (partly) a copy of: byline, dateline, credit lines, publisher."""
    found: list[str] = []
    found += agencies_in(article.author)
    found += agencies_in(article.publisher)
    for piece in article.removed:
        if piece.kind in ("byline", "dateline"):
            found += agencies_in(piece.text)
        elif piece.kind in ("other", "boilerplate"):
            found += _credited(piece.text)
    found += _credited(article.text[:300])
    found += _credited(article.text[-600:])
    return sorted(set(found))


def _credited(text: str) -> list[str]:
    out: list[str] = []
    for pat in _credit_patterns():
        for m in pat.finditer(text):
            out += agencies_in(m.group("agency"))
    return out


def independence_groups(articles: Sequence[StoredArticle]) -> dict[int, int]:
    """Article row id -> group number (1, 2, ...); articles in one group are one independent source."""
    parent = {a.id: a.id for a in articles}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: int, y: int) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    first: dict[str, int] = {}
    for a in articles:
        for key in [f"s:{a.source}"] + [f"w:{w}" for w in a.wire]:
            if key in first:
                union(a.id, first[key])
            else:
                first[key] = a.id
    cfg = _independence()
    if len(articles) <= int(str(cfg["max_pairwise"])):
        threshold = float(str(cfg["near_duplicate"]))
        for i, a in enumerate(articles):
            for b in articles[i + 1 :]:
                if (
                    find(a.id) != find(b.id)
                    and signature_similarity(a.signature, b.signature) >= threshold
                ):
                    union(a.id, b.id)
    numbers: dict[int, int] = {}
    groups: dict[int, int] = {}
    for a in sorted(articles, key=lambda x: x.id):
        root = find(a.id)
        numbers.setdefault(root, len(numbers) + 1)
        groups[a.id] = numbers[root]
    return groups


# -- canonical values --------------------------------------------------------------------------


def source_figures(
    mentions: Sequence[StoredMention], articles: dict[int, StoredArticle]
) -> list[SourceFigure]:
    """Each publisher's figures for the event, from its latest article that reports it."""
    latest: dict[str, tuple[tuple[datetime, int], SourceFigure]] = {}
    for m in mentions:
        art = articles[m.article_id]
        when = (art.published or datetime.min, art.id)
        fig = latest.get(art.source)
        if fig is not None and fig[0] > when:
            continue
        if fig is not None and fig[0] == when:
            # several mentions of one article: the article's figure is the largest it gives
            fig[1].fatalities = max(fig[1].fatalities, m.event.fatalities)
            fig[1].injuries = max(fig[1].injuries, m.event.injuries)
            continue
        latest[art.source] = (
            when,
            SourceFigure(art.source, m.event.fatalities, m.event.injuries, art.key, art.published),
        )
    return [f for _, f in sorted(latest.values(), key=lambda x: x[0])]


def conservative(values: Iterable[int]) -> int:
    """ACLED's conservative rule: the lowest figure reported, 0 when no source gives one."""
    reported = [v for v in values if v > 0]
    return min(reported) if reported else 0


def merged_status(mentions: Sequence[StoredMention], groups: dict[int, int]) -> str:
    """confirmed, disputed, reported, claimed or unconfirmed (see the module docstring)."""
    asserting = {groups[m.article_id] for m in mentions if m.event.attribution.status in _ASSERTING}
    statuses = {m.event.attribution.status for m in mentions}
    if len(asserting) >= 2:
        return "confirmed"
    if "denied" in statuses:
        return "disputed"
    if asserting:
        return "reported"
    if "claimed" in statuses:
        return "claimed"
    return "unconfirmed"


def _merged_attribution(mentions: Sequence[StoredMention]) -> Attribution:
    def union(name: str) -> list[str]:
        seen: dict[str, None] = {}
        for m in mentions:
            for v in getattr(m.event.attribution, name):
                seen.setdefault(v, None)
        return list(seen)

    statuses = {m.event.attribution.status for m in mentions}
    status = next((s for s in _CONTESTED if s in statuses), "asserted")
    probs = [m.event.attribution.probability for m in mentions if m.event.attribution.probability]
    probability = [min(p[0] for p in probs), max(p[1] for p in probs)] if probs else None
    return Attribution(
        status=status,
        reported_by=union("reported_by"),
        claimed_by=union("claimed_by"),
        blamed_on=union("blamed_on"),
        blamed_by=union("blamed_by"),
        denied_by=union("denied_by"),
        hedges=union("hedges"),
        probability=probability,
    )


def _most_common(values: Iterable[str | None], prefer: str | None = None) -> str | None:
    counts = Counter(v for v in values if v)
    if not counts:
        return None
    top = max(counts.values())
    if prefer and counts.get(prefer) == top:
        return prefer
    generic = tuple(fusion.settings()["actors"]["generic_prefixes"])
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].startswith(generic), kv[0]))
    return ranked[0][0]


def _specific_first(values: Iterable[str | None]) -> str | None:
    generic = tuple(fusion.settings()["actors"]["generic_prefixes"])
    vals = [v for v in values if v]
    specific = [v for v in vals if not v.startswith(generic)]
    return _most_common(specific or vals)


def _join_names(values: Iterable[str | None]) -> str | None:
    seen: dict[str, None] = {}
    for v in values:
        for name in (v or "").split(";"):
            if name.strip():
                seen.setdefault(name.strip(), None)
    return "; ".join(seen) or None


def representative(
    mentions: Sequence[StoredMention], articles: dict[int, StoredArticle]
) -> StoredMention:
    """The most informative mention: most precise place, then date, most confident, earliest."""

    def key(m: StoredMention) -> tuple[int, int, float, datetime, int]:
        ev = m.event
        place = ev.geo_precision if ev.geo_precision else (4 if ev.iso3 else 5)
        published = articles[m.article_id].published or datetime.max
        return (place, ev.time_precision if ev.event_date else 9, -ev.confidence, published, m.id)

    return min(mentions, key=key)


def merge(
    event_key: str, mentions: Sequence[StoredMention], articles: dict[int, StoredArticle]
) -> Merged:
    """The canonical record of one event from all its stored mentions."""
    if not mentions:
        raise ValueError("an event needs at least one mention")
    rep = representative(mentions, articles)
    ev = rep.event
    groups = independence_groups([articles[i] for i in sorted({m.article_id for m in mentions})])

    votes: dict[str, float] = {}
    for m in mentions:
        votes[m.event.sub_event_type] = (
            votes.get(m.event.sub_event_type, 0.0) + m.event.confidence + 0.01
        )
    top = max(votes.values())
    sub = (
        ev.sub_event_type
        if votes[ev.sub_event_type] == top
        else max(votes, key=lambda s: (votes[s], s))
    )
    etype = next(m.event.event_type for m in mentions if m.event.sub_event_type == sub)

    dated = [m.event for m in mentions if m.event.event_date is not None]
    if dated:
        best_prec = min(e.time_precision for e in dated)
        days = Counter(e.event_date for e in dated if e.time_precision == best_prec)
        event_date = min(days, key=lambda d: (-days[d], d))
        precision = best_prec
    else:
        event_date, precision = None, ev.time_precision

    figures = source_figures(mentions, articles)
    fatalities = conservative(f.fatalities for f in figures)
    injuries = conservative(f.injuries for f in figures)
    first_seen: dict[str, tuple[datetime, int]] = {}
    for m in mentions:
        art = articles[m.article_id]
        when = (art.published or datetime.min, art.id)
        first_seen[art.source] = min(first_seen.get(art.source, when), when)
    sources = sorted(first_seen, key=lambda s: first_seen[s])
    weapons = Counter(w for m in mentions for w in m.event.weapons)
    all_figures: dict[tuple[str, int, str, str | None], Figure] = {}
    for m in mentions:
        for f in m.event.figures:
            all_figures.setdefault((f.kind, f.value, f.text, f.source), f)
    published = [a.published for a in (articles[i] for i in groups) if a.published]
    rep_art = articles[rep.article_id]

    reports = []
    for m in sorted(
        mentions, key=lambda x: ((articles[x.article_id].published or datetime.min), x.id)
    ):
        art = articles[m.article_id]
        reports.append(
            Report(
                mention_id=m.event.event_id,
                article_id=art.key,
                source=art.source,
                url=art.url,
                title=art.title,
                published=art.published,
                sub_event_type=m.event.sub_event_type,
                event_date=m.event.event_date,
                time_precision=m.event.time_precision,
                location=m.event.location,
                fatalities=m.event.fatalities,
                injuries=m.event.injuries,
                status=m.event.attribution.status,
                group=groups[m.article_id],
                score=m.score,
                evidence=list(m.event.evidence),
            )
        )

    record = EventRecord(
        article_id=rep_art.key,
        event_id=event_key,
        event_type=etype,
        sub_event_type=sub,
        confidence=max(m.event.confidence for m in mentions),
        event_date=event_date,
        time_precision=precision,
        actor1=_specific_first(m.event.actor1 for m in mentions) or ev.actor1,
        assoc_actor_1=_join_names(m.event.assoc_actor_1 for m in mentions),
        actor2=_specific_first(m.event.actor2 for m in mentions) or ev.actor2,
        assoc_actor_2=_join_names(m.event.assoc_actor_2 for m in mentions),
        country=ev.country,
        iso3=ev.iso3,
        admin1=ev.admin1,
        admin2=ev.admin2,
        location=ev.location,
        latitude=ev.latitude,
        longitude=ev.longitude,
        geo_precision=ev.geo_precision,
        fatalities=fatalities,
        injuries=injuries,
        weapons=[w for w, _ in weapons.most_common()],
        notes=ev.notes,
        background=all(m.event.background for m in mentions),
        civilian_targeting=any(
            m.event.civilian_targeting for m in mentions if m.event.sub_event_type == sub
        ),
        figures=list(all_figures.values()),
        attribution=_merged_attribution(mentions),
        evidence=list(ev.evidence),
        source="; ".join(sources) or None,
        source_url=rep_art.url,
        published=max(published) if published else None,
        status=merged_status(mentions, groups),
        sources=sources,
        source_count=len(sources),
        independent_sources=len(set(groups.values())),
        mention_count=len(mentions),
        article_count=len(groups),
        first_reported=min(published) if published else None,
        last_reported=max(published) if published else None,
        source_figures=figures,
        reports=reports,
    )
    windows = [
        fusion.date_window(m.event.event_date, m.event.time_precision, m.event.published)
        for m in mentions
    ]
    canonical = fusion.date_window(event_date, precision, record.published)
    counts: Counter[str] = Counter()
    for m in mentions:
        counts.update(fusion.event_terms(m.event))
    terms = fusion.top_terms(counts)
    sketch = fusion.Sketch(
        event_type=etype,
        sub_event_type=sub,
        day_from=canonical[0],
        day_to=canonical[1],
        time_precision=precision if event_date else 3,
        iso3=ev.iso3,
        admin1=ev.admin1,
        location=ev.location,
        latitude=ev.latitude,
        longitude=ev.longitude,
        geo_precision=ev.geo_precision,
        actors=frozenset().union(*(fusion.actor_names(m.event) for m in mentions)),
        terms=terms,
        articles=frozenset(articles[i].key for i in groups),
    )
    window = fusion.clip_window(min(w[0] for w in windows), max(w[1] for w in windows))
    return Merged(
        record=record, window=window, terms=sorted(terms), representative=rep.id, sketch=sketch
    )
