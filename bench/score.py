"""Score sitrep's events against the hand-written VOA gold (``bench/gold/voa-gold-*.jsonl``).

Usage:
    python bench/score.py                      # run the Extractor in-process over the gold stories
    python bench/score.py --pred events.jsonl  # score events written by ``sitrep extract --format jsonl``
    python bench/score.py --json scores.json --show-errors
    python bench/score.py --agreement          # one gold file against the other, on shared stories

Matching, per article: a gold and a predicted event are candidates when their evidence shares a
character (gold evidence strings are located in the story text with ``str.find``; predicted
evidence carries offsets). A one-to-one matching is chosen greedily, pairs with the same
event_type first, then by the number of shared characters. A *strict* match also has the same
event_type; a *lenient* match is any pair. Field scores are taken over lenient pairs.

Errors (``--show-errors``) are printed for the dev split only: the heldout split is for measuring.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sitrep.taxonomy import sub_event_types

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench/ is not a package

import _machine  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
GOLD_DIR = ROOT / "bench" / "gold"
DEFAULT_STORIES = ROOT.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl"
SPLITS = ("dev", "heldout", "all")
PLACE_KM = 25.0
COL = 26  # width of a split's column in the fields table
WEEK_DAYS = 6  # time_precision 2: the event lies within a week of the gold date

# Words that say nothing about who the source is; the rest are content words.
STOPWORDS = frozenset(
    "a an and the of in on at to for by from with its it his her their our who that this these "
    "those said says say told according as or".split()
)

SUB_EVENT_TYPES: tuple[str, ...] = tuple(sub_event_types())  # ACLED's 25, in taxonomy order


# ---------------------------------------------------------------- records


@dataclass
class Item:
    """One event (gold or predicted) reduced to what the scorer compares."""

    event_type: str
    sub_event_type: str
    event_date: date | None
    time_precision: int | None
    latitude: float | None
    longitude: float | None
    fatalities: int
    background: bool
    status: str | None
    reported_by: list[str]
    actor1: str | None
    actor2: str | None
    spans: list[tuple[int, int]]
    evidence: list[str]


@dataclass
class Story:
    """A gold story: its split, text, gold events and the predictions made for it."""

    article_id: str
    split: str
    text: str
    gold: list[Item]
    pred: list[Item] = field(default_factory=list)
    gold_file: str = ""


@dataclass
class Pairing:
    """The result of matching one story's gold and predicted events."""

    pairs: list[tuple[int, int, int]]  # (gold index, pred index, shared characters)
    gold_left: list[int]
    pred_left: list[int]


@dataclass
class Notes:
    """Problems met while loading, reported under the table."""

    lines: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, key: str, line: str | None = None, article_id: str | None = None) -> None:
        """Count a problem and keep its first few descriptions (none about heldout stories)."""
        self.counts[key] += 1
        if line and self.counts[key] <= 5 and (article_id is None or split_of(article_id) == "dev"):
            self.lines.append(line)


# ---------------------------------------------------------------- loading


def split_of(article_id: str) -> str:
    """The split the guidelines fix by story id: heldout when ``int(id) % 4 == 3``."""
    try:
        return "heldout" if int(article_id) % 4 == 3 else "dev"
    except ValueError:
        return "dev"


def read_jsonl(path: Path) -> Iterable[dict[str, Any]]:
    """Yield the JSON objects of a JSONL file, skipping blank lines."""
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise SystemExit(f"{path}:{n}: not JSON: {e}") from None


def story_text(record: dict[str, Any]) -> str:
    """The text predictions point into: the ingested article text when ingest exists."""
    try:
        from sitrep.ingest import article_from_record  # type: ignore[attr-defined]
    except ImportError:
        return str(record.get("text") or "")
    return str(article_from_record(record).text)


_QUOTES = {
    "'": "['\u2018\u2019]",
    "\u2018": "['\u2018\u2019]",
    "\u2019": "['\u2018\u2019]",
    '"': '["\u201c\u201d]',
    "\u201c": '["\u201c\u201d]',
    "\u201d": '["\u201c\u201d]',
}


def locate(text: str, needle: str) -> tuple[int, int] | None:
    """Where ``needle`` lies in ``text``: ``str.find``, then tolerant of spacing and quote style."""
    needle = needle.strip()
    if not needle:
        return None
    i = text.find(needle)
    if i >= 0:
        return i, i + len(needle)
    parts = [_QUOTES.get(ch, re.escape(ch)) for ch in needle if not ch.isspace() or ch == " "]
    pattern = "".join(r"\s*" if p == " " else p for p in parts)
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def _date(value: Any) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _float(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value or [] if v]


def make_item(d: dict[str, Any], spans: list[tuple[int, int]], evidence: list[str]) -> Item:
    """An Item from a gold event or an Event record (the fields they share)."""
    attribution = d.get("attribution") or {}
    return Item(
        event_type=str(d.get("event_type") or ""),
        sub_event_type=str(d.get("sub_event_type") or ""),
        event_date=_date(d.get("event_date")),
        time_precision=d.get("time_precision"),
        latitude=_float(d.get("latitude")),
        longitude=_float(d.get("longitude")),
        fatalities=_int(d.get("fatalities")),
        background=bool(d.get("background")),
        status=attribution.get("status"),
        reported_by=_strings(attribution.get("reported_by")),
        actor1=d.get("actor1"),
        actor2=d.get("actor2"),
        spans=spans,
        evidence=evidence,
    )


def gold_item(d: dict[str, Any], text: str, where: str, article_id: str, notes: Notes) -> Item:
    """A gold event, its evidence strings located in the story text."""
    evidence = _strings(d.get("evidence"))
    spans = []
    for s in evidence:
        span = locate(text, s)
        if span is None:
            notes.add(
                "gold evidence not found in text",
                f"{where}: gold evidence not found: {s[:80]!r}",
                article_id,
            )
        else:
            spans.append(span)
    return make_item(d, spans, evidence)


def pred_item(d: dict[str, Any], text: str, notes: Notes) -> Item:
    """A predicted event; evidence offsets are checked against the text and re-found if off."""
    spans, evidence = [], []
    for ev in d.get("evidence") or []:
        if isinstance(ev, str):
            ev = {"text": ev}
        s = str(ev.get("text") or "")
        start, end = ev.get("start"), ev.get("end")
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            if not s or text[start:end] == s:
                spans.append((start, end))
                evidence.append(text[start:end])
                continue
        span = locate(text, s)
        if span is None:
            aid = str(d.get("article_id", ""))
            notes.add(
                "predicted evidence not found in text",
                f"{aid}: predicted evidence not found: {s[:80]!r}",
                aid,
            )
        else:
            notes.add("predicted evidence offsets wrong, re-found by text")
            spans.append(span)
            evidence.append(s)
    return make_item(d, spans, evidence)


def load_gold(paths: Sequence[Path], notes: Notes) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Gold lines by article id, each with the file it came from (a story may be in several)."""
    by_id: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for path in paths:
        for rec in read_jsonl(path):
            aid = str(rec.get("article_id", ""))
            if not aid:
                notes.add("gold line without article_id", f"{path.name}: a line has no article_id")
                continue
            if any(f == path.name for f, _ in by_id.get(aid, [])):
                notes.add(
                    "story twice in one gold file",
                    f"{path.name}: {aid} appears twice; kept the first",
                )
                continue
            by_id.setdefault(aid, []).append((path.name, rec))
    return by_id


def build_stories(
    gold: dict[str, list[tuple[str, dict[str, Any]]]],
    records: dict[str, dict[str, Any]],
    notes: Notes,
    which: int = 0,
    shared_only: bool = False,
) -> list[Story]:
    """One Story per gold story, using the ``which``-th file's annotation when several exist."""
    stories = []
    for aid, versions in gold.items():
        if shared_only and which >= len(versions):
            continue
        fname, rec = versions[min(which, len(versions) - 1)]
        if aid not in records:
            notes.add(
                "gold story missing from the stories file",
                f"{fname}: story {aid} is not in the stories file",
            )
            continue
        split = str(rec.get("split") or split_of(aid))
        if split not in ("dev", "heldout"):
            notes.add(
                "unknown split", f"{fname}: story {aid} has split {split!r}; treated as heldout"
            )
            split = "heldout"
        if split != split_of(aid):
            notes.add(
                "split disagrees with id % 4 rule",
                f"{fname}: story {aid} is marked {split} but id % 4 says {split_of(aid)}",
            )
        text = story_text(records[aid])
        items = [gold_item(e, text, f"{fname}:{aid}", aid, notes) for e in rec.get("events") or []]
        stories.append(Story(aid, split, text, items, gold_file=fname))
    return stories


# ---------------------------------------------------------------- predictions


def attach_pred_file(stories: list[Story], path: Path, notes: Notes) -> None:
    """Attach the Event records of a JSONL file to their stories; others are counted and ignored."""
    by_id = {s.article_id: s for s in stories}
    for rec in read_jsonl(path):
        story = by_id.get(str(rec.get("article_id", "")))
        if story is None:
            notes.add("predicted events for stories without gold (ignored)")
            continue
        story.pred.append(pred_item(rec, story.text, notes))


def attach_extractor(
    stories: list[Story],
    records: dict[str, dict[str, Any]],
    model: str | None,
    notes: Notes,
    extractor: Any = None,
    typer: str | None = None,
) -> dict[str, float]:
    """Run the Extractor (``extractor``, else one loaded now) over the gold stories and attach its events."""
    from sitrep.ingest import article_from_record  # type: ignore[attr-defined]

    t0 = time.perf_counter()
    if extractor is None:
        try:
            from sitrep.pipeline import Extractor  # type: ignore[attr-defined]

            extractor = Extractor.load(model, typer=typer)
        except Exception as e:  # report in one line; --pred still works without it
            raise SystemExit(
                f"the Extractor could not be loaded ({type(e).__name__}: {e}); use --pred"
            ) from e
    t1 = time.perf_counter()
    articles = [article_from_record(records[s.article_id]) for s in stories]
    story_of = {a.id: s for a, s in zip(articles, stories, strict=True)}
    for n, (article, events) in enumerate(extractor.extract_batch(articles)):
        story = story_of.get(article.id, stories[n])
        for event in events:
            story.pred.append(pred_item(event.to_dict(), story.text, notes))
    t2 = time.perf_counter()
    return {
        "load_s": round(t1 - t0, 2),
        "extract_s": round(t2 - t1, 2),
        "articles_per_s": round(len(articles) / (t2 - t1), 2) if t2 > t1 else 0.0,
    }


def gold_as_pred(stories: list[Story], other: list[Story]) -> list[Story]:
    """Agreement mode: the second annotation of each shared story becomes its predictions."""
    second = {s.article_id: s for s in other}
    shared = []
    for s in stories:
        if s.article_id in second:
            s.pred = second[s.article_id].gold
            shared.append(s)
    return shared


# ---------------------------------------------------------------- matching


def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def shared_chars(a: Sequence[tuple[int, int]], b: Sequence[tuple[int, int]]) -> int:
    """How many characters the two sets of spans have in common."""
    total = 0
    for s1, e1 in _union(a):
        for s2, e2 in _union(b):
            total += max(0, min(e1, e2) - max(s1, s2))
    return total


def match(gold: Sequence[Item], pred: Sequence[Item]) -> Pairing:
    """Greedy one-to-one matching: same event_type first, then the most shared characters."""
    candidates = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            overlap = shared_chars(g.spans, p.spans)
            if overlap > 0:
                candidates.append((g.event_type == p.event_type, overlap, -gi, -pi))
    candidates.sort(reverse=True)
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, overlap, ngi, npi in candidates:
        gi, pi = -ngi, -npi
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi, overlap))
    pairs.sort()
    return Pairing(
        pairs,
        [i for i in range(len(gold)) if i not in used_g],
        [i for i in range(len(pred)) if i not in used_p],
    )


# ---------------------------------------------------------------- metrics


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def date_within(gold: Item, pred: Item) -> bool:
    """The predicted date falls inside the window the gold date's precision allows."""
    if gold.event_date is None or pred.event_date is None:
        return gold.event_date == pred.event_date
    precision = gold.time_precision or 1
    if precision >= 3:
        return (gold.event_date.year, gold.event_date.month) == (
            pred.event_date.year,
            pred.event_date.month,
        )
    if precision == 2:
        return abs((pred.event_date - gold.event_date).days) <= WEEK_DAYS
    return gold.event_date == pred.event_date


def content_words(s: str) -> set[str]:
    """Lower-cased words of a source name, without function words."""
    return {
        w
        for w in re.findall(r"[a-z0-9][a-z0-9'\-]*", s.lower())
        if w not in STOPWORDS and len(w) > 1
    }


def sources_agree(gold: Sequence[str], pred: Sequence[str]) -> bool:
    """A predicted source shares a content word with a gold source."""
    g = set().union(*(content_words(s) for s in gold)) if gold else set()
    return any(content_words(s) & g for s in pred)


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").strip().lower() == (b or "").strip().lower()


class Tally:
    """Counts for one split, turned into rates by ``summary``."""

    def __init__(self) -> None:
        self.c: Counter[str] = Counter()
        self.sub_tp: Counter[str] = Counter()
        self.sub_gold: Counter[str] = Counter()
        self.sub_pred: Counter[str] = Counter()

    def add_story(self, story: Story, sub_types: frozenset[str]) -> None:
        """Match one story's events and add its counts."""
        c = self.c
        c["stories"] += 1
        c["stories_empty_gold"] += not story.gold
        c["stories_empty_both"] += not story.gold and not story.pred
        for name, keep in (("all", None), ("current", False), ("background", True)):
            gi = [i for i, g in enumerate(story.gold) if keep is None or g.background == keep]
            pi = [i for i, p in enumerate(story.pred) if keep is None or p.background == keep]
            m = match([story.gold[i] for i in gi], [story.pred[i] for i in pi])
            strict = sum(
                story.gold[gi[a]].event_type == story.pred[pi[b]].event_type for a, b, _ in m.pairs
            )
            c[f"{name}_gold"] += len(gi)
            c[f"{name}_pred"] += len(pi)
            c[f"{name}_lenient"] += len(m.pairs)
            c[f"{name}_strict"] += strict
        c["pred_invalid_subtype"] += sum(p.sub_event_type not in sub_types for p in story.pred)
        c["pred_with_no_evidence"] += sum(not p.spans for p in story.pred)
        c["gold_with_no_evidence"] += sum(not g.spans for g in story.gold)

        m = match(story.gold, story.pred)
        for g in story.gold:
            self.sub_gold[g.sub_event_type] += 1
        for p in story.pred:
            self.sub_pred[p.sub_event_type] += 1
        for a, b, _ in m.pairs:
            g, p = story.gold[a], story.pred[b]
            self._pair(g, p)

    def _pair(self, g: Item, p: Item) -> None:
        c = self.c
        c["pairs"] += 1
        c["type_ok"] += g.event_type == p.event_type
        c["sub_ok"] += g.sub_event_type == p.sub_event_type
        if g.event_type == p.event_type and g.sub_event_type == p.sub_event_type:
            self.sub_tp[g.sub_event_type] += 1
        c["date_exact"] += g.event_date == p.event_date
        c["date_within"] += date_within(g, p)
        c["background_ok"] += g.background == p.background
        c["fatalities_exact"] += g.fatalities == p.fatalities
        for actor in ("actor1", "actor2"):
            mine, theirs = getattr(g, actor), getattr(p, actor)
            if mine or theirs:
                c[f"{actor}_pairs"] += 1
                c[f"{actor}_exact"] += _same(mine, theirs)
        if None in (g.latitude, g.longitude):
            c["place_gold_no_coords"] += 1
        elif None in (p.latitude, p.longitude):
            c["place_pred_no_coords"] += 1
        else:
            c["place_pairs"] += 1
            assert g.latitude is not None and g.longitude is not None
            assert p.latitude is not None and p.longitude is not None
            c["place_25km"] += (
                haversine_km(g.latitude, g.longitude, p.latitude, p.longitude) <= PLACE_KM
            )
        if g.status:
            c["status_pairs"] += 1
            c["status_ok"] += g.status == p.status
        if g.reported_by:
            c["reported_by_pairs"] += 1
            c["reported_by_ok"] += sources_agree(g.reported_by, p.reported_by)

    def summary(self) -> dict[str, Any]:
        """Rates with their numerators and denominators."""
        c = self.c
        out: dict[str, Any] = {"counts": dict(c)}
        for name in ("all", "current", "background"):
            for kind in ("strict", "lenient"):
                out[f"{name}_{kind}"] = prf(
                    c[f"{name}_{kind}"], c[f"{name}_pred"], c[f"{name}_gold"]
                )
        pairs = c["pairs"]
        out["event_type_acc"] = rate(c["type_ok"], pairs)
        out["sub_event_type_acc"] = rate(c["sub_ok"], pairs)
        out["date_exact"] = rate(c["date_exact"], pairs)
        out["date_within_precision"] = rate(c["date_within"], pairs)
        out["place_25km"] = rate(c["place_25km"], c["place_pairs"])
        out["place_pairs_lacking_coords"] = {
            "gold": c["place_gold_no_coords"],
            "pred": c["place_pred_no_coords"],
        }
        out["fatalities_exact"] = rate(c["fatalities_exact"], pairs)
        out["background_flag_acc"] = rate(c["background_ok"], pairs)
        out["actor1_exact"] = rate(c["actor1_exact"], c["actor1_pairs"])
        out["actor2_exact"] = rate(c["actor2_exact"], c["actor2_pairs"])
        out["attribution_status_acc"] = rate(c["status_ok"], c["status_pairs"])
        out["reported_by_match"] = rate(c["reported_by_ok"], c["reported_by_pairs"])
        per_sub = {}
        for s in SUB_EVENT_TYPES:
            if self.sub_gold[s] or self.sub_pred[s]:
                per_sub[s] = prf(self.sub_tp[s], self.sub_pred[s], self.sub_gold[s])
        f1s = [v["f1"] for v in per_sub.values()]
        out["sub_type_macro_f1"] = {
            "value": sum(f1s) / len(f1s) if f1s else None,
            "sub_types": len(f1s),
        }
        out["per_sub_type"] = per_sub
        return out


def rate(num: int, den: int) -> dict[str, Any]:
    """A rate as ``{value, num, den}``; value is None when nothing was counted."""
    return {"value": num / den if den else None, "num": num, "den": den}


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, Any]:
    """Precision, recall and F1 with their counts; None where nothing was counted."""
    p = tp / n_pred if n_pred else None
    r = tp / n_gold if n_gold else None
    if p is not None and r is not None:
        f1: float | None = 2 * p * r / (p + r) if p + r else 0.0
    else:
        f1 = 0.0 if n_pred or n_gold else None
    return {"precision": p, "recall": r, "f1": f1, "tp": tp, "pred": n_pred, "gold": n_gold}


def score(stories: Sequence[Story]) -> dict[str, dict[str, Any]]:
    """Scores for the dev split, the heldout split, and both."""
    subs = frozenset(SUB_EVENT_TYPES)
    tallies = {s: Tally() for s in SPLITS}
    for story in stories:
        tallies[story.split].add_story(story, subs)
        tallies["all"].add_story(story, subs)
    return {s: t.summary() for s, t in tallies.items()}


def gold_counts(stories: Sequence[Story]) -> dict[str, dict[str, int]]:
    """How much gold each split holds."""
    out = {}
    for split in SPLITS:
        chosen = [s for s in stories if split in ("all", s.split)]
        events = [e for s in chosen for e in s.gold]
        out[split] = {
            "stories": len(chosen),
            "stories_without_events": sum(not s.gold for s in chosen),
            "events": len(events),
            "background_events": sum(e.background for e in events),
            "predicted_events": sum(len(s.pred) for s in chosen),
        }
    return out


# ---------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    """The machine, Python and code version the numbers were taken on."""
    try:
        commit = (
            subprocess.run(
                ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                capture_output=True,
                text=True,
                timeout=5,
            ).stdout.strip()
            or None
        )
    except (OSError, subprocess.SubprocessError):
        commit = None
    try:
        import sitrep

        version = getattr(sitrep, "__version__", None)
    except ImportError:
        version = None
    return {**_machine.machine(), "sitrep": version, "commit": commit}


# ---------------------------------------------------------------- output


def _fmt(r: dict[str, Any] | None, key: str = "value") -> str:
    if not r or r.get(key) is None:
        return "-"
    if "den" in r:
        return f"{r[key]:.3f} ({r['num']}/{r['den']})"
    return f"{r[key]:.3f}"


def _prf_cells(r: dict[str, Any]) -> str:
    def f(x: float | None) -> str:
        return "  -  " if x is None else f"{x:.3f}"

    return f"P {f(r['precision'])} R {f(r['recall'])} F1 {f(r['f1'])} ({r['tp']}/{r['pred']}p/{r['gold']}g)"


def render(result: dict[str, Any], show_subtypes: bool = True) -> str:
    """The readable report."""
    m, g, s = result["machine"], result["gold"], result["scores"]
    lines = [
        f"sitrep scorer  {m['when']}  sitrep {m['sitrep']}  commit {m['commit'] or '-'}",
        f"machine: {_machine.describe(m)}",
        f"gold: {', '.join(result['gold_files'])}; predictions: {result['predictions']}",
    ]
    if result.get("run"):
        r = result["run"]
        lines.append(
            f"extractor run: load {r['load_s']} s, extract {r['extract_s']} s, {r['articles_per_s']} articles/s"
        )
    lines.append("")
    lines.append(f"{'gold':<26}" + "".join(f"{x:>14}" for x in SPLITS))
    for key, label in (
        ("stories", "stories"),
        ("stories_without_events", "  of which no events"),
        ("events", "events"),
        ("background_events", "  of which background"),
        ("predicted_events", "predicted events"),
    ):
        lines.append(f"{label:<26}" + "".join(f"{g[x][key]:>14}" for x in SPLITS))
    lines.append("")
    lines.append("event detection (P/R/F1, tp/pred/gold)")
    for key, label in (
        ("all_strict", "all, strict"),
        ("all_lenient", "all, lenient"),
        ("current_strict", "current, strict"),
        ("current_lenient", "current, lenient"),
        ("background_strict", "background, strict"),
        ("background_lenient", "background, lenient"),
    ):
        for split in SPLITS:
            lines.append(f"  {label:<22}{split:<8} {_prf_cells(s[split][key])}")
    lines.append("")
    lines.append(
        "fields over matched pairs (lenient)".ljust(34) + "".join(f"{x:>{COL}}" for x in SPLITS)
    )
    for key, label in (
        ("event_type_acc", "event type accuracy"),
        ("sub_event_type_acc", "sub-event type accuracy"),
        ("sub_type_macro_f1", "sub-type macro-F1"),
        ("date_exact", "date exact"),
        ("date_within_precision", "date within precision"),
        ("place_25km", f"place within {PLACE_KM:.0f} km"),
        ("fatalities_exact", "fatalities exact"),
        ("background_flag_acc", "background flag"),
        ("actor1_exact", "actor1 exact"),
        ("actor2_exact", "actor2 exact"),
        ("attribution_status_acc", "attribution status"),
        ("reported_by_match", "reported_by match"),
    ):
        cells = []
        for split in SPLITS:
            v = s[split][key]
            cell = _fmt(v)
            if key == "sub_type_macro_f1" and v["value"] is not None:
                cell = f"{v['value']:.3f} ({v['sub_types']} types)"
            cells.append(f"{cell:>{COL}}")
        lines.append(f"  {label:<32}" + "".join(cells))
    lacking = "; ".join(
        f"{x}: gold {s[x]['place_pairs_lacking_coords']['gold']}, pred {s[x]['place_pairs_lacking_coords']['pred']}"
        for x in SPLITS
    )
    lines.append(f"  pairs lacking coordinates -> {lacking}")
    if show_subtypes:
        lines.append("")
        lines.append(
            "per sub-event type: F1 (tp/pred/gold)".ljust(38) + "".join(f"{x:>22}" for x in SPLITS)
        )
        for sub in SUB_EVENT_TYPES:
            if not any(sub in s[x]["per_sub_type"] for x in SPLITS):
                continue
            cells = []
            for x in SPLITS:
                r = s[x]["per_sub_type"].get(sub)
                cell = "-" if r is None else f"{r['f1']:.2f} ({r['tp']}/{r['pred']}/{r['gold']})"
                cells.append(f"{cell:>22}")
            lines.append(f"  {sub:<36}" + "".join(cells))
    if result["notes"]:
        lines.append("")
        lines.append("notes:")
        lines.extend(f"  {k}: {v}" for k, v in sorted(result["notes"].items()))
    return "\n".join(lines)


def _short(text: str, n: int = 160) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


def describe(e: Item) -> str:
    """One line naming an event's type, date, fatalities and flags."""
    bits = [f"{e.event_type} / {e.sub_event_type}", str(e.event_date or "no date")]
    if e.fatalities:
        bits.append(f"{e.fatalities} killed")
    if e.background:
        bits.append("background")
    return ", ".join(bits)


def render_errors(stories: Sequence[Story]) -> str:
    """Misses, false alarms and field disagreements, for dev stories only."""
    out = ["", "errors on the dev split (heldout errors are never shown)"]
    for story in stories:
        if story.split != "dev" or split_of(story.article_id) != "dev":
            continue
        m = match(story.gold, story.pred)
        lines = []
        for a, b, _ in m.pairs:
            g, p = story.gold[a], story.pred[b]
            if g.event_type != p.event_type or g.sub_event_type != p.sub_event_type:
                lines.append(
                    f"  TYPE   gold {g.event_type} / {g.sub_event_type} -> pred {p.event_type} / {p.sub_event_type}"
                )
                lines.append(f"         {_short(g.evidence[0] if g.evidence else '')!r}")
            diffs = []
            if g.event_date != p.event_date:
                diffs.append(
                    f"date {g.event_date}/{g.time_precision} vs {p.event_date}/{p.time_precision}"
                )
            if g.fatalities != p.fatalities:
                diffs.append(f"fatalities {g.fatalities} vs {p.fatalities}")
            if None not in (g.latitude, g.longitude, p.latitude, p.longitude):
                km = haversine_km(g.latitude, g.longitude, p.latitude, p.longitude)  # type: ignore[arg-type]
                if km > PLACE_KM:
                    diffs.append(f"place {km:.0f} km off")
            if g.status and g.status != p.status:
                diffs.append(f"status {g.status} vs {p.status}")
            if diffs:
                lines.append(f"  FIELD  {g.sub_event_type}: " + "; ".join(diffs))
        for a in m.gold_left:
            g = story.gold[a]
            lines.append(f"  MISS   {describe(g)}")
            lines.extend(f"         {_short(t)!r}" for t in g.evidence[:2])
        for b in m.pred_left:
            p = story.pred[b]
            lines.append(f"  FALSE  {describe(p)}")
            lines.extend(f"         {_short(t)!r}" for t in p.evidence[:2])
        if lines:
            out.append(f"- {story.article_id} ({story.gold_file})")
            out.extend(lines)
    return "\n".join(out)


def _clean(o: Any) -> Any:
    """JSON-ready numbers: floats rounded to 4 places."""
    if isinstance(o, float):
        return round(o, 4)
    if isinstance(o, dict):
        return {k: _clean(v) for k, v in o.items()}
    if isinstance(o, list):
        return [_clean(v) for v in o]
    return o


# ---------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument(
        "--gold",
        type=Path,
        nargs="+",
        help="gold JSONL files (default: bench/gold/voa-gold-*.jsonl, else voa-gold.jsonl)",
    )
    p.add_argument(
        "--pred", type=Path, help="Event JSONL as `sitrep extract --format jsonl` writes it"
    )
    p.add_argument("--stories", type=Path, default=DEFAULT_STORIES, help="the VOA stories JSONL")
    p.add_argument("--model", help="model name passed to Extractor.load")
    p.add_argument(
        "--typer", help="typer folder passed to Extractor.load ('none': the rules alone)"
    )
    p.add_argument(
        "--agreement",
        action="store_true",
        help="score the second gold file against the first on the stories both annotated",
    )
    p.add_argument(
        "--annotation",
        type=int,
        default=0,
        help="for a story in several gold files, score with the Nth of them (0: first by name)",
    )
    p.add_argument("--json", type=Path, help="write the numbers to this JSON file")
    p.add_argument(
        "--show-errors", action="store_true", help="list misses and false alarms (dev split only)"
    )
    p.add_argument("--no-subtypes", action="store_true", help="leave out the per-sub-type table")
    p.add_argument(
        "--fail-under", type=float, help="exit 1 when dev strict F1 (all events) is below this"
    )
    return p.parse_args(argv)


def gold_paths(given: Sequence[Path] | None) -> list[Path]:
    """The gold files to read."""
    if given:
        return list(given)
    paths = sorted(GOLD_DIR.glob("voa-gold-*.jsonl")) or sorted(GOLD_DIR.glob("voa-gold.jsonl"))
    if not paths:
        raise SystemExit(f"no gold files in {GOLD_DIR}")
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    """Score and print; return the exit code."""
    args = parse_args(argv)
    notes = Notes()
    paths = gold_paths(args.gold)
    if not args.stories.exists():
        raise SystemExit(f"stories file not found: {args.stories} (use --stories)")
    records = {str(r["id"]): r for r in read_jsonl(args.stories)}
    gold = load_gold(paths, notes)
    several = sum(len(v) > 1 for v in gold.values())
    if several:
        notes.counts[
            f"stories in several gold files (scored with file #{args.annotation} of each)"
        ] = several
    stories = build_stories(gold, records, notes, args.annotation)
    stories.sort(key=lambda s: s.article_id)
    run = None
    if args.agreement:
        if len(paths) < 2:
            raise SystemExit("--agreement needs two gold files")
        other = build_stories(gold, records, Notes(), 1, shared_only=True)
        stories = gold_as_pred(stories, other)
        predictions = f"second annotation ({len(stories)} shared stories)"
    elif args.pred:
        attach_pred_file(stories, args.pred, notes)
        predictions = str(args.pred)
    else:
        run = attach_extractor(stories, records, args.model, notes, typer=args.typer)
        predictions = f"Extractor.load({args.model!r}) in-process"

    result: dict[str, Any] = {
        "machine": machine(),
        "gold_files": [p.name for p in paths],
        "predictions": predictions,
        "run": run,
        "gold": gold_counts(stories),
        "scores": score(stories),
        "notes": dict(notes.counts),
        "settings": {
            "place_km": PLACE_KM,
            "week_days": WEEK_DAYS,
            "stories_file": str(args.stories),
        },
    }
    print(render(result, show_subtypes=not args.no_subtypes))
    if notes.lines:
        print("\n".join(f"  ! {line}" for line in notes.lines))
    if args.show_errors:
        print(render_errors(stories))
    if args.json:
        args.json.write_text(
            json.dumps(_clean(result), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print(f"\nwrote {args.json}")
    if args.fail_under is not None:
        f1 = result["scores"]["dev"]["all_strict"]["f1"] or 0.0
        if f1 < args.fail_under:
            print(f"FAIL: dev strict F1 {f1:.3f} is below {args.fail_under}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
