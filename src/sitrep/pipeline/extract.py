"""The extractor: an Article in, the events it reports out.

Stages, each a small function with plain inputs and outputs:
  1. split the cleaned text into sentences (``sentences``);
  2. fast path: keep the sentences a trigger word may fire in (``triggers.quick_match``);
  3. parse those sentences with spaCy in batches (``nlp.pipe``);
  4. geoparse the article once, using the parsed sentences' entities (``geo.Geoparser``);
  5. per sentence: trigger hits, non-events dropped, one mention per clause and group, with its sub-type,
     actors, place, date, casualties, weapons (``_mentions``);
  6. merge mentions of one event within the article (``merge``);
  7. write Events with evidence, attribution and notes (``events``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sitrep.models import Article, ArticleReport, Event, Span
from sitrep.pipeline import actors as actor_stage
from sitrep.pipeline import lexicon, triggers
from sitrep.pipeline.claims import estimate, find_assessments, find_statements
from sitrep.pipeline.nlp import load_model
from sitrep.pipeline.sentences import sentences
from sitrep.taxonomy import event_type_of

log = logging.getLogger(__name__)

_FAR_PREPS = {"from", "to", "toward", "towards", "against", "with"}
_REPLY = re.compile(
    r"\b(?:denied|denies|deny|rejected|dismissed|refuted|confirmed|claimed responsibility)\b",
    re.IGNORECASE,
)
_SPEAKER = re.compile(
    r"\b(?:said|says|told|added|stated|announced|wrote|declared)\b[^.!?]{0,60}:\s*[\"'“‘]?"
)
# "no civilian infrastructure was damaged": a claim that something did not happen
_NOTHING_HAPPENED = re.compile(
    r"\b(?:no|nobody|no one|none|nothing)\b[^.!?]{0,60}\b(?:was|were|has been|have been|is|are)\b",
    re.IGNORECASE,
)
_BLAME_VERBS = {"blame", "accuse", "attribute", "pin"}
_SEPARATE = {"separate", "another", "second", "other", "different"}
_MILITARY_SUBS = {
    "Other",
    "Headquarters or base established",
    "Disrupted weapons use",
    "Non-violent transfer of territory",
}
_ANAPHORA = {"the", "this", "that", "these", "those", "its", "their", "his", "her"}


@dataclass
class Mention:
    """One event mention: a clause of one sentence, before merging."""

    sent_index: int
    sent: Span
    decision: triggers.Decision | None  # None for a casualty-only supporting mention
    group: str
    trigger: Span
    places: list[Any] = field(default_factory=list)  # geo PlaceMention, best first
    date: Any = None  # dates.DateMention
    casualties: list[Any] = field(default_factory=list)
    weapons: list[Any] = field(default_factory=list)
    actor1: str | None = None
    actor2: str | None = None
    anaphoric: bool = False
    separate: bool = False
    support: bool = (
        False  # only supports another mention (a toll, "the attacks"): never an event alone
    )
    doc: Any = None
    heads: list[Any] = field(default_factory=list)


class Extractor:
    """Holds the loaded NLP pipeline and gazetteer; ``extract`` turns an Article into Events."""

    def __init__(
        self,
        nlp: Any,
        geoparser: Any,
        *,
        batch_size: int = 64,
        fast: bool = True,
        events_only: bool = False,
    ) -> None:
        self.nlp = nlp
        self.geoparser = geoparser
        self.batch_size = batch_size
        self.fast = fast  # False: parse every sentence, not only those a trigger may fire in
        self.events_only = events_only  # True: an article with no trigger sentence is not parsed

    @classmethod
    def load(
        cls,
        model: str | None = None,
        gazetteer: str | None = None,
        *,
        fast: bool = True,
        events_only: bool = False,
    ) -> Extractor:
        """Load the spaCy pipeline (by name or path) and open the gazetteer."""
        from sitrep.geo import Geoparser

        return cls(load_model(model), Geoparser.open(gazetteer), fast=fast, events_only=events_only)

    def extract(self, article: Article) -> list[Event]:
        """The events one article reports."""
        return next(self.report_batch([article])).events

    def extract_batch(self, articles: Iterable[Article]) -> Iterator[tuple[Article, list[Event]]]:
        """Events for each article, parsing candidate sentences of several articles per spaCy batch."""
        for report in self.report_batch(articles):
            yield report.article, report.events

    def report(self, article: Article) -> ArticleReport:
        """The events of one article with its statements and assessments."""
        return next(self.report_batch([article]))

    def report_batch(self, articles: Iterable[Article]) -> Iterator[ArticleReport]:
        """An ArticleReport per article, in order, parsing several articles per spaCy batch."""
        batch: list[Article] = []
        for art in articles:
            batch.append(art)
            if len(batch) >= 16:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[ArticleReport]:
        plans: list[tuple[Article, list[Any], list[int]]] = []
        texts: list[str] = []
        for art in batch:
            sents = sentences(art.text)
            cand = [i for i, s in enumerate(sents) if not self.fast or triggers.quick_match(s.text)]
            if self.events_only and not cand:
                plans.append((art, sents, []))  # no trigger: no event, so nothing to parse
                continue
            # a short reply right after a report ("Kyiv denied the claims.") changes its attribution
            follow = {
                i + 1 for i in cand if i + 1 < len(sents) and _REPLY.search(sents[i + 1].text)
            }
            # speakers who open a quote ("X said:") and estimative judgements are parsed too
            talk = {
                i
                for i, s in enumerate(sents)
                if _SPEAKER.search(s.text) or _NOTHING_HAPPENED.search(s.text) or estimate(s.text)
            }
            cand = sorted(set(cand) | follow | talk)
            plans.append((art, sents, cand))
            texts.extend(sents[i].text for i in cand)
        docs = iter(self.nlp.pipe(texts, batch_size=self.batch_size))
        for art, sents, cand in plans:
            parsed = {i: next(docs) for i in cand}
            yield self._article_report(art, sents, parsed)

    # -- per article -------------------------------------------------------------------------

    def _article_report(
        self, art: Article, sents: list[Span], parsed: dict[int, Any]
    ) -> ArticleReport:
        from sitrep.pipeline import events as event_stage
        from sitrep.pipeline import merge

        if self.events_only and not parsed:
            return ArticleReport(art)
        ents = [
            (sents[i].start + e.start_char, sents[i].start + e.end_char, e.label_)
            for i, doc in parsed.items()
            for e in doc.ents
        ]
        found = {i: _hits(doc) for i, doc in parsed.items()}
        # an article whose every trigger is a non-event needs no geoparsing (the costliest stage)
        wanted = any(hits for hits, _ in found.values())
        places = self.geoparser.parse(art.text, ents) if art.text and wanted else []
        home = _article_country(places)
        order = sorted(parsed)
        docs = [parsed[i] for i in order]
        offsets = [sents[i].start for i in order]
        statements = find_statements(docs, offsets, text=art.text) if docs else []
        assessments = (
            find_assessments(docs, offsets, statements=statements, text=art.text) if docs else []
        )
        mentions: list[Mention] = []
        for i, doc in parsed.items():
            mentions.extend(_mentions(doc, i, sents[i], places, art, home, found[i]))
        merged = merge.merge_mentions(mentions)
        replies = {i: (sents[i], doc) for i, doc in parsed.items() if _REPLY.search(sents[i].text)}
        events = event_stage.build_events(art, merged, places, replies, statements)
        return ArticleReport(art, events, statements, _non_event_assessments(assessments, events))


def _hits(doc: Any) -> tuple[list[triggers.Hit], list[Any]]:
    """A sentence's event triggers, and the heads of those dropped as non-events."""
    rejected: list[Any] = []
    return triggers.find_hits(doc, rejected), rejected


def _non_event_assessments(assessments: list[Any], events: list[Event]) -> list[Any]:
    """Assessments whose sentence is not the main report of an event."""
    main = {e.evidence[0].start for e in events if e.evidence}
    return [a for a in assessments if a.start not in main]


def _article_country(places: list[Any]) -> lexicon.Country | None:
    """The country most of the article's places lie in (the default for unplaced actors)."""
    counts: dict[str, int] = {}
    for pm in places:
        if pm.place.iso3:
            counts[pm.place.iso3] = counts.get(pm.place.iso3, 0) + 1
    if not counts:
        return None
    return lexicon.country_by_iso3(max(counts, key=lambda k: counts[k]))


def _mentions(
    doc: Any,
    index: int,
    sent: Span,
    places: list[Any],
    art: Article,
    home: lexicon.Country | None,
    found: tuple[list[triggers.Hit], list[Any]],
) -> list[Mention]:
    """The event mentions of one parsed sentence, one per clause and group of its trigger ``found``."""
    from sitrep.pipeline.casualties import find_casualties
    from sitrep.pipeline.dates import find_date
    from sitrep.pipeline.weapons import find_weapons

    hits, rejected = found
    if not hits:
        return []
    # places inside a dropped non-event ("Moscow's continued bombing of Ukraine") are not event places
    blocked = {t.i for r in rejected for t in r.subtree}
    # One mention per clause and group; casualty hits join the violent mention of their clause.
    groups: dict[tuple[int, str], list[triggers.Hit]] = {}
    for h in hits:
        key_group = "violent" if h.group == "casualty" else h.group
        groups.setdefault((h.clause, key_group), []).append(h)
    # Violent clauses of one sentence are one event ("shelled the town, killing three civilians")
    # unless a clause says it is another one ("in a separate attack").
    violent_keys = sorted(k for k in groups if k[1] == "violent")
    if len(violent_keys) > 1:
        keep = violent_keys[0]
        for key in violent_keys[1:]:
            if any(t.lower_ in _SEPARATE for h in groups[key] for t in h.head.children):
                keep = key
                continue
            groups[keep].extend(groups.pop(key))
    sent_places = [pm for pm in places if sent.start <= pm.toponym.start < sent.end]
    casualties = find_casualties(doc, sent.start)
    weapons = find_weapons(doc, sent.start)
    out = []
    clause_keys = sorted(groups)
    for key in clause_keys:
        hs = groups[key]
        heads = [h.head for h in hs]
        lo, hi = _clause_range(doc, key[0], [k[0] for k in clause_keys])
        clause_tokens = doc[lo:hi]
        clause_text = clause_tokens.text
        in_clause = (sent.start + clause_tokens.start_char, sent.start + clause_tokens.end_char)
        target_text = " ".join(_phrase_text(t) for h in heads for t in _targets(h))
        decision = triggers.decide(hs, clause_text, target_text or clause_text, doc.text)
        first = min(hs, key=lambda h: h.start)
        trig = Span(
            doc.text[first.start : first.end], sent.start + first.start, sent.start + first.end
        )
        m = Mention(index, sent, decision, key[1], trig, doc=doc, heads=heads)
        m.places = _choose_places(
            doc, sent, sent_places, in_clause, blocked, len(clause_keys) > 1, heads
        )
        m.date = find_date(doc, art.published, sent.start, trigger=first.head)
        if m.date is not None and m.date.future:
            continue  # "will strike on Tuesday": not (yet) an event
        if m.date is not None and m.date.text.lower().startswith(("since", "from ")):
            m.date = None  # "since April 2022" starts a duration; it does not date an event
        m.casualties = (
            [c for c in casualties if in_clause[0] <= c.start < in_clause[1]]
            if len(clause_keys) > 1
            else casualties
        )
        m.weapons = (
            [w for w in weapons if in_clause[0] <= w.start < in_clause[1]]
            if len(clause_keys) > 1
            else weapons
        )
        place_country = lexicon.country_by_iso3(m.places[0].place.iso3) if m.places else None
        violent = key[1] == "violent"
        military = violent or (decision is not None and decision.sub_event_type in _MILITARY_SUBS)
        m.actor1, m.actor2 = actor_stage.find_actors(
            heads, clause_tokens, place_country or home, military
        )
        m.anaphoric = _anaphoric(heads)
        m.separate = any(t.lower_ in _SEPARATE for h in heads for t in h.children)
        out.append(m)
    return out


def _clause_range(doc: Any, head_i: int, all_heads: list[int]) -> tuple[int, int]:
    """Token range of the clause headed by ``head_i``, cut where a sibling clause begins."""
    head = doc[head_i]
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    for other in all_heads:
        if other == head_i:
            continue
        o = doc[other]
        if lo <= o.left_edge.i and o.right_edge.i < hi:
            # a nested sibling clause: keep our side of it
            if other > head_i:
                hi = min(hi, o.left_edge.i)
            else:
                lo = max(lo, o.right_edge.i + 1)
    if hi <= lo:
        return head.left_edge.i, head.right_edge.i + 1
    return lo, hi


def _targets(head: Any) -> list[Any]:
    out = []
    for child in head.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            out.append(child)
        if child.dep_ == "prep" and child.lower_ in ("on", "against", "at", "in", "targeting"):
            out.extend(c for c in child.children if c.dep_ == "pobj")
        if child.dep_ in ("compound", "amod") and child.pos_ in ("NOUN", "ADJ"):
            out.append(child)
    if head.dep_ in ("dobj", "pobj", "nsubjpass") and head.head.dep_ != "ROOT":
        pass
    if head.dep_ == "nsubjpass" or head.dep_ == "nsubj":
        pass
    # passive verb: the subject is the target ("five civilians were killed")
    if head.pos_ == "VERB":
        out.extend(c for c in head.children if c.dep_ == "nsubjpass")
    return out


def _phrase_text(tok: Any) -> str:
    return tok.doc[tok.left_edge.i : tok.right_edge.i + 1].text


def _anaphoric(heads: list[Any]) -> bool:
    """A definite reference to an event told before ("the attack", "the blast in the base")."""
    for h in heads:
        if h.pos_ == "NOUN" and any(
            c.dep_ in ("det", "poss") and c.lower_ in _ANAPHORA for c in h.children
        ):
            return True
        for c in h.subtree:
            if c.pos_ == "NOUN" and any(
                d.dep_ == "det" and d.lower_ in ("the", "this", "that") for d in c.children
            ):
                if c.dep_ == "pobj" and c.lemma_ in (
                    "base",
                    "site",
                    "facility",
                    "airfield",
                    "scene",
                    "area",
                    "town",
                    "city",
                    "village",
                ):
                    return True
    return False


def _choose_places(
    doc: Any,
    sent: Span,
    sent_places: list[Any],
    clause: tuple[int, int],
    blocked: set[int],
    strict: bool,
    heads: list[Any],
) -> list[Any]:
    """The sentence's places ranked for this mention, best first.

    A place counts when it lies in the mention's clause (with ``strict``, several mentions in one
    sentence, only there) and is not an actor or a reference point ("Moscow blamed", "miles from
    Ukraine", "a U.S.-designated group"). Places attached to the event word come first, then the
    most precise.
    """
    attached = {t.i for h in heads for t in h.subtree}
    ranked = []
    for pm in sent_places:
        if not pm.place.iso3:
            continue  # "the Middle East", "Africa": no country, too vague to place an event
        t = pm.toponym
        inside = 0 if clause[0] <= t.start < clause[1] else 1
        tok = doc.char_span(t.start - sent.start, t.end - sent.start, alignment_mode="expand")
        far, near_trigger = 0, 1
        if tok is not None and len(tok):
            root = tok.root
            far = int(_reference_only(root, blocked))
            near_trigger = 0 if root.i in attached else 1
        country_level = (
            1 if (pm.place.feature or "").startswith("A.PCL") or not pm.place.admin1 else 0
        )
        rank = (inside + far * 2, near_trigger, country_level, pm.place.geo_precision)
        if rank[0] < (1 if strict else 2):
            ranked.append((rank, pm))
    ranked.sort(key=lambda x: x[0])
    return [pm for _, pm in ranked]


_PLACE_NOUNS = {
    "city",
    "town",
    "village",
    "province",
    "region",
    "state",
    "county",
    "district",
    "capital",
    "area",
}


def _reference_only(root: Any, blocked: set[int]) -> bool:
    """A place named as an actor, a modifier or a reference point rather than where something happened."""
    if root.i in blocked:
        return True
    if root.dep_ == "nsubj" and root.head.pos_ == "VERB":
        return True  # metonymy: "Moscow blamed", "Kyiv denied" name an actor, not the place
    if root.dep_ in ("amod", "compound", "npadvmod") and root.head.lemma_ not in _PLACE_NOUNS:
        return True  # "a U.S.-designated group", "French army base": whose, not where
    prep = root.head if root.dep_ == "pobj" else None
    if prep is None:
        return False
    if prep.lower_ in _FAR_PREPS or prep.head.lemma_ in _BLAME_VERBS:
        return True  # "miles from X", "blamed on Ukraine"
    return prep.lower_ == "of" and prep.head.lemma_ in (
        "border",
        "mile",
        "kilometre",
        "kilometer",
        "km",
    )


def sub_event(decision: triggers.Decision) -> tuple[str, str]:
    return event_type_of(decision.sub_event_type), decision.sub_event_type
