"""Tests for sitrep.ingest: scraped text, HTML pages, JSON records, files, directories, stdin."""

from __future__ import annotations

import io
import json
import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import sitrep.ingest
from sitrep.errors import IngestError
from sitrep.ingest import (
    article_from_html,
    article_from_record,
    article_from_text,
    clean_text,
    iter_articles,
)
from sitrep.ingest.text import KINDS, repair_glued_sentences
from sitrep.models import Article, Failure

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed-article.txt"
VOA_CANDIDATES = [
    ROOT.parent / "shared" / "corpus" / "voa" / "voa_stories.jsonl",
    Path("/work/shared/corpus/voa/voa_stories.jsonl"),
]
VOA = next((p for p in VOA_CANDIDATES if p.exists()), VOA_CANDIDATES[0])

# A scraped page of my own: kicker, headline, dateline, a caption shown twice (the second time
# with a credit), a byline with an agency, share and audio labels, a caption with a credit in
# brackets, "Read more"/"Related" links, an unrelated story's headline and an advert label.
SCRAPED = """\
World News

Drone strikes hit fuel depot near Sudanese port city as fighting spreads east

Updated: 14 March 2024, 09:05 GMT

Smoke rises over the fuel depot in Port Sudan
Smoke rises over the fuel depot in Port Sudan. Photo: Jane Roe / Example Agency

By Amina Yusuf and Tom Baker, Example Wire

Share this article

Listen to this article

Drones struck a fuel depot on the outskirts of Port Sudan early on Thursday, setting off a fire \
that burned for hours, port officials said.Witnesses described at least three explosions.

The army blamed the Rapid Support Forces for the attack. The paramilitary group did not respond \
to requests for comment.

Sudan's civil war has killed tens of thousands of people since April 2023.

Residents fleeing the fighting in Khartoum (Image: Getty Images)

"We heard the first blast at around 4 a.m.," said Osman Ali, a dock worker.

Read more: Aid agencies warn of famine across Darfur

Floods leave thousands homeless in northern Kenya

A spokesman for the port authority said shipping had not been disrupted and that the fire was \
under control by midday.

The U.S. embassy urged its citizens to avoid the area. Fuel prices in the city rose 2.5 percent \
on Thursday.

Advertisement

Related: Army retakes key bridge in Omdurman
"""

BODY_SENTENCES = [
    "port officials said. Witnesses described at least three explosions.",
    "The army blamed the Rapid Support Forces for the attack.",
    "Sudan's civil war has killed tens of thousands of people since April 2023.",
    '"We heard the first blast at around 4 a.m.," said Osman Ali, a dock worker.',
    "the fire was under control by midday.",
    "The U.S. embassy urged its citizens to avoid the area.",
    "Fuel prices in the city rose 2.5 percent on Thursday.",
]

# Hard-wrapped at a fixed width, with paragraph-ending short lines and a one-line quote.
WRAPPED = """\
Rebels seize town in eastern Congo after two days of fighting

By Marie Dupont

GOMA, Congo - M23 rebels seized the town of Sake on Tuesday after
two days of fighting with the army and allied militia, residents and
a local official said. At least nine civilians were killed by
shellfire, according to a hospital director in the town.

The fighting forced thousands of families to flee towards Goma, the
provincial capital, aid groups said. The army did not comment on the
loss of the town.

"We will take it back"

By Monday, the rebels controlled the main road into the town.
"""

PAGE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Shelling hits Kharkiv market | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2023-05-02T08:15:00+03:00">
<meta name="author" content="Olena Petrenko">
<link rel="canonical" href="https://www.example-news.org/world/kharkiv-market-shelling">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport and football results</a></li></ul></nav>
<header><h1>Shelling hits Kharkiv market</h1><p class="byline">By Olena Petrenko</p></header>
<article>
<p>Russian artillery shelled a crowded market in the eastern Ukrainian city of Kharkiv on Monday
morning, killing four civilians and wounding eleven others, regional officials said.</p>
<figure><img src="market.jpg" alt="market"><figcaption>Smoke rises above the market.
Photo: Example Agency</figcaption></figure>
<p>The regional governor said the strike hit shortly after nine o'clock, when stallholders were
setting out fruit and vegetables for the {day} trade.</p>
<p>Emergency crews spent several hours putting out fires that spread to a nearby warehouse,
according to the state emergency service.</p>
<p>Moscow did not comment on the attack. Russia denies targeting civilians in the war it
launched in February 2022.</p>
</article>
<footer><p>Copyright 2023 Example News. All rights reserved.</p>
<a href="/privacy">Privacy policy and cookie settings</a></footer>
</body></html>
"""

FRENCH = (
    "Les forces russes ont bombardé la ville de Kharkiv dans la nuit de lundi à mardi, tuant au "
    "moins quatre civils, selon les autorités régionales. Le gouverneur a précisé que plusieurs "
    "immeubles avaient été touchés et que les secours étaient toujours à pied d'oeuvre. La Russie "
    "dément viser des civils depuis le début de son invasion en février 2022.\n"
)

SHORT_ENGLISH = "Two soldiers were killed in an ambush near Gao on Monday, the army said.\n"


def _articles(results: list[Article | Failure]) -> list[Article]:
    return [r for r in results if isinstance(r, Article)]


def _failures(results: list[Article | Failure]) -> list[Failure]:
    return [r for r in results if isinstance(r, Failure)]


def _sentences_ending_in_period(text: str) -> int:
    return len(re.findall(r"[a-z0-9)][.][\"'\u201d\u2019]?(?=\s|$)", text))


# ---------------------------------------------------------------- the seed article


def test_seed_metadata_is_recovered() -> None:
    raw = SEED.read_text(encoding="utf-8")
    article = article_from_text(raw, source=str(SEED))
    first_line = next(line.strip() for line in raw.splitlines() if line.strip())
    assert article.title == first_line
    assert article.published == datetime(2022, 12, 7, 13, 28)
    assert article.author and article.author[0].isupper()
    bylines = [r.text for r in article.removed if r.kind == "byline"]
    assert bylines and article.author in bylines[0]
    assert article.source == str(SEED)
    assert re.fullmatch(r"[0-9a-f]{16}", article.id)


def test_seed_removed_lines_are_gone_and_body_kept() -> None:
    raw = SEED.read_text(encoding="utf-8")
    article = article_from_text(raw)
    kinds = {r.kind for r in article.removed}
    assert {"headline", "dateline", "byline", "caption", "audio", "read_more"} <= kinds
    assert kinds <= set(KINDS)
    paragraphs = article.text.split("\n\n")
    for item in article.removed:
        assert item.text in raw  # removed pieces are verbatim input lines
        if item.kind in {"caption", "read_more", "audio", "other_headline"}:
            assert item.text not in article.text
    # Every line of the input ends up either in the body or in ``removed``.
    removed_texts = {r.text for r in article.removed}
    body = re.sub(r"\s+", " ", article.text)
    for line in raw.splitlines():
        line = line.strip()
        if line and line not in removed_texts:
            assert re.sub(r"(?<=[a-z0-9])\.(?=[A-Z])", ". ", line) in body
    assert _sentences_ending_in_period(article.text) >= 25
    assert len(paragraphs) >= 20
    assert all(p == p.strip() and p for p in paragraphs)
    assert not re.search(r"[a-z]\.[A-Z][a-z]", article.text)  # glued sentences repaired


# ---------------------------------------------------------------- scraped text of my own


def test_scraped_text_each_kind_removed_and_body_kept() -> None:
    cleaned = clean_text(SCRAPED)
    by_kind: dict[str, list[str]] = {}
    for item in cleaned.removed:
        by_kind.setdefault(item.kind, []).append(item.text)
    assert by_kind["headline"] == [
        "Drone strikes hit fuel depot near Sudanese port city as fighting spreads east"
    ]
    assert by_kind["dateline"] == ["Updated: 14 March 2024, 09:05 GMT"]
    assert by_kind["byline"] == ["By Amina Yusuf and Tom Baker, Example Wire"]
    assert len(by_kind["caption"]) == 3
    assert by_kind["audio"] == ["Listen to this article"]
    assert len(by_kind["read_more"]) == 2
    assert by_kind["other_headline"] == ["Floods leave thousands homeless in northern Kenya"]
    assert "Advertisement" in by_kind["boilerplate"]
    assert cleaned.title == by_kind["headline"][0]
    assert cleaned.author == "Amina Yusuf and Tom Baker"
    assert cleaned.published == datetime.fromisoformat("2024-03-14T09:05:00+00:00")
    assert cleaned.published and cleaned.published.utcoffset() == timedelta(0)
    for sentence in BODY_SENTENCES:
        assert sentence in cleaned.text
    for item in cleaned.removed:
        assert item.text not in cleaned.text
    assert len(cleaned.text.split("\n\n")) == 6


def test_hard_wrapped_text_is_rejoined_and_quote_kept() -> None:
    cleaned = clean_text(WRAPPED)
    paragraphs = cleaned.text.split("\n\n")
    assert paragraphs[0].startswith("GOMA, Congo") and paragraphs[0].endswith("in the town.")
    assert "residents and a local official said." in paragraphs[0]
    assert '"We will take it back"' in paragraphs
    assert paragraphs[-1] == "By Monday, the rebels controlled the main road into the town."
    assert cleaned.author == "Marie Dupont"
    assert [r.kind for r in cleaned.removed] == ["headline", "byline"]


def test_wire_style_byline_and_zoned_dateline() -> None:
    raw = (
        "Drones hit Kyiv overnight, killing 2\n\n"
        "By JOHN SMITH and MARIA GARCIA\n"
        "Updated 3:41 PM EST, December 7, 2022\n\n"
        "KYIV, Ukraine (XP) \u2014 Drones struck residential buildings in Kyiv overnight, "
        "killing two people, the city's mayor said Wednesday.\n\n"
        "___\n\n"
        "Air defenses shot down 15 of the 17 drones, the air force said.\n"
    )
    cleaned = clean_text(raw)
    assert cleaned.author == "John Smith and Maria Garcia"
    assert cleaned.published == datetime.fromisoformat("2022-12-07T15:41:00-05:00")
    assert [r.kind for r in cleaned.removed] == ["headline", "byline", "dateline", "boilerplate"]
    assert cleaned.text.count("\n\n") == 1 and cleaned.text.endswith("the air force said.")


def test_date_crosshead_deep_in_body_is_not_the_publication_date() -> None:
    paragraphs = [
        "Shelling went on through the night in Kherson, officials said.",
        "Shelling went on through the night in Kharkiv, officials said.",
        "The army reported heavy fighting near Bakhmut.",
        "Nobody could say when the attacks would end.",
    ]
    raw = "Gen. Petrov says shelling went on all night\n\n" + "\n\n".join(
        paragraphs[:3] + ["24 February 2022"] + paragraphs[3:]
    )
    cleaned = clean_text(raw)
    assert cleaned.title == "Gen. Petrov says shelling went on all night"
    assert cleaned.published is None
    assert [r.kind for r in cleaned.removed] == ["headline", "dateline"]
    assert cleaned.text.split("\n\n") == paragraphs


def test_credit_glued_to_a_long_paragraph_drops_only_the_credit() -> None:
    paragraph = (
        "Russian forces shelled the city for a third night, killing two people and wounding "
        "seven, according to the regional governor, who said that rescue teams were still "
        "searching the rubble of a five-storey building hit shortly after midnight on Monday."
    )
    cleaned = clean_text(f"{paragraph} Picture: Example Agency\n\nThe army did not comment.\n")
    assert cleaned.text.split("\n\n") == [paragraph, "The army did not comment."]
    assert [(r.kind, r.text) for r in cleaned.removed] == [("caption", "Picture: Example Agency")]


def test_one_line_paragraphs_are_not_dropped() -> None:
    raw = (
        "Troops killed 12 militants in a raid near Gao on Monday, the army said.\n\n"
        '"It was terrifying," a resident told reporters.\n\n'
        "He added: \u201cWe saw the drones coming\u201d\n\n"
        "By nightfall, the town was calm.\n\n"
        "Nobody claimed the attack.\n"
    )
    cleaned = clean_text(raw)
    assert cleaned.removed == []
    assert cleaned.text.count("\n\n") == 4
    assert cleaned.title is None and cleaned.author is None


def test_front_matter_header_gives_metadata() -> None:
    raw = (
        "Title: Clashes in Tripoli leave two dead\n"
        "URL: https://www.voanews.com/a/clashes-tripoli/123.html\n"
        "Published: 2024-08-01T18:00:00+02:00\n\n"
        "Armed groups clashed in the Libyan capital overnight, killing two people, the health "
        "ministry said.\n"
    )
    article = article_from_text(raw)
    assert article.title == "Clashes in Tripoli leave two dead"
    assert article.publisher == "Voice of America"
    assert article.url and article.url.endswith("123.html")
    assert article.published == datetime.fromisoformat("2024-08-01T18:00:00+02:00")
    assert article.text.startswith("Armed groups clashed")


@pytest.mark.parametrize(
    ("raw", "fixed"),
    [
        ("from Ukraine.Reports say", "from Ukraine. Reports say"),
        ("in 2022.The army", "in 2022. The army"),
        ("was over?Nobody knew", "was over? Nobody knew"),
        ("the U.S. Army and U.K. forces", "the U.S. Army and U.K. forces"),
        ("rose 2.5 percent", "rose 2.5 percent"),
        ("see https://example.org/News.Html today", "see https://example.org/News.Html today"),
    ],
)
def test_repair_glued_sentences(raw: str, fixed: str) -> None:
    assert repair_glued_sentences(raw) == fixed


def test_text_ids_are_stable_and_differ() -> None:
    a1 = article_from_text(SCRAPED)
    a2 = article_from_text(SCRAPED)
    a3 = article_from_text(WRAPPED)
    assert a1.id == a2.id != a3.id


def test_text_with_nothing_left_raises() -> None:
    with pytest.raises(IngestError, match="no article text"):
        article_from_text("Advertisement\n\nListen to this article\n")


# ---------------------------------------------------------------- HTML


def test_html_page_body_and_metadata() -> None:
    article = article_from_html(PAGE.replace("{day}", "day's"), source="page.html")
    assert article.title == "Shelling hits Kharkiv market"
    assert article.author == "Olena Petrenko"
    assert article.publisher == "Example News"
    assert article.url == "https://www.example-news.org/world/kharkiv-market-shelling"
    assert article.published == datetime.fromisoformat("2023-05-02T08:15:00+03:00")
    assert article.published and article.published.tzinfo is not None
    assert article.text.startswith("Russian artillery shelled a crowded market")
    assert "launched in February 2022." in article.text
    assert len(article.text.split("\n\n")) == 4
    for junk in ("Sport and football results", "Privacy policy", "All rights reserved"):
        assert junk not in article.text
    assert {r.kind for r in article.removed} >= {"headline", "byline", "dateline"}
    assert article.source == "page.html"


def test_html_publisher_from_known_domain_and_declared_charset() -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("{day}", "caf\u00e9")
    article = article_from_html(
        page.encode("cp1252"), url="https://www.voanews.com/a/kharkiv-market/1.html"
    )
    assert article.publisher == "Voice of America"
    assert "caf\u00e9 trade" in article.text


def test_html_without_article_text_fails() -> None:
    page = "<html><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav></body></html>"
    with pytest.raises(IngestError, match="no article text found in HTML"):
        article_from_html(page)


# ---------------------------------------------------------------- JSON records


@pytest.fixture(scope="module")
def voa_records() -> list[dict[str, object]]:
    if not VOA.exists():
        pytest.skip(f"VOA corpus not found at {VOA}")
    return [json.loads(line) for line in VOA.read_text(encoding="utf-8").splitlines()]


def test_voa_jsonl_records(voa_records: list[dict[str, object]]) -> None:
    results = list(iter_articles([str(VOA)]))
    assert not _failures(results)
    articles = _articles(results)
    assert [a.id for a in articles] == [str(r["id"]) for r in voa_records]
    for i, (article, record) in enumerate(zip(articles, voa_records, strict=True), start=1):
        assert article.title == record["title"]
        assert article.author == record["author"]
        assert article.url == record["url"]
        assert article.publisher == "Voice of America"
        assert article.language == "en"
        assert article.source == f"{VOA}:{i}"
        assert article.published and article.published.utcoffset() == timedelta(0)
        assert article.published.strftime("%Y-%m-%d %H:%M:%S") == str(record["published"])[:19]
        assert len(article.text) > 0.9 * len(str(record["text"]))


def test_record_without_id_gets_stable_hash_and_html_record() -> None:
    record = {"text": SHORT_ENGLISH, "url": "https://www.reuters.com/world/x"}
    a, b = article_from_record(record), article_from_record(dict(record))
    assert a.id == b.id and re.fullmatch(r"[0-9a-f]{16}", a.id)
    assert a.publisher == "Reuters"
    no_url = article_from_record({"text": SHORT_ENGLISH})
    assert no_url.id != a.id and re.fullmatch(r"[0-9a-f]{16}", no_url.id)

    html_record = {"id": 7, "html": PAGE.replace("{day}", "day's"), "title": "Market shelled"}
    article = article_from_record(html_record, source="r.json")
    assert article.id == "7" and article.title == "Market shelled"
    assert article.text.startswith("Russian artillery")


def test_record_without_text_raises() -> None:
    with pytest.raises(IngestError, match="record has no text"):
        article_from_record({"id": "1", "title": "Nothing here"})


# ---------------------------------------------------------------- bad inputs


def test_each_bad_input_gives_one_failure_and_good_ones_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good_text = tmp_path / "good.txt"
    good_text.write_text(SCRAPED, encoding="utf-8")
    good_html = tmp_path / "good.html"
    good_html.write_text(PAGE.replace("{day}", "day's"), encoding="utf-8")
    empty_dir = tmp_path / "empty_dir"
    empty_dir.mkdir()
    (empty_dir / "notes.csv").write_text("a,b\n", encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\n\t \n", encoding="utf-8")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    noise = tmp_path / "noise.text"
    noise.write_bytes(bytes((i * 37) % 255 + 1 for i in range(2000)))  # no NULs, many controls
    latin1 = tmp_path / "latin1.txt"
    prefix = SHORT_ENGLISH.encode("utf-8")
    latin1.write_bytes(prefix + "Le caf\u00e9 a \u00e9t\u00e9 touch\u00e9.\n".encode("latin-1"))
    french = tmp_path / "french.txt"
    french.write_text(FRENCH, encoding="utf-8")
    big = tmp_path / "big.txt"
    big.write_text(SHORT_ENGLISH * 200, encoding="utf-8")
    lines = tmp_path / "records.jsonl"
    lines.write_text(
        json.dumps({"id": "a", "text": SHORT_ENGLISH})
        + "\n"
        + '{"id": "b", "text": "unterminated\n'
        + "\n"
        + json.dumps({"id": "c", "title": "No body"})
        + "\n"
        + json.dumps({"id": "d", "text": SHORT_ENGLISH})
        + "\n",
        encoding="utf-8",
    )
    no_text = tmp_path / "record.json"
    no_text.write_text(json.dumps({"id": "x", "title": "Only a title"}), encoding="utf-8")
    locked = tmp_path / "locked.txt"
    locked.write_text(SHORT_ENGLISH, encoding="utf-8")
    locked.chmod(0)
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    if os.geteuid() == 0:  # root reads anything: simulate the refusal
        monkeypatch.setattr(Path, "open", deny)

    missing = tmp_path / "missing.txt"
    inputs = [
        good_text,
        missing,
        empty_dir,
        empty,
        blank,
        binary,
        noise,
        latin1,
        french,
        big,
        lines,
        no_text,
        locked,
        good_html,
    ]
    results = list(iter_articles([str(p) for p in inputs], max_bytes=len(SHORT_ENGLISH) * 100))
    locked.chmod(0o644)

    problems = {f.input: f.problem for f in _failures(results)}
    assert len(problems) == len(_failures(results))  # one Failure per bad input
    assert problems[str(missing)] == "no such file or directory"
    assert problems[str(empty_dir)].startswith("no readable files in directory")
    assert problems[str(empty)] == "empty input"
    assert problems[str(blank)] == "empty input"
    assert problems[str(binary)] == "binary file, not text"
    assert problems[str(noise)] == "binary file, not text"
    offset = len(prefix) + len("Le caf")
    assert problems[str(latin1)] == f"not valid UTF-8 (byte 0xe9 at offset {offset})"
    assert problems[str(french)] == "not English (too few English words)"
    assert re.fullmatch(r"too large \(\d+\.\d kB, limit \d+\.\d kB\)", problems[str(big)])
    assert problems[f"{lines}:2"].startswith("malformed JSON: ")
    assert problems[f"{lines}:4"] == "record has no text"
    assert problems[str(no_text)] == "record has no text"
    assert problems[str(locked)] == "permission denied"
    assert len(problems) == 13

    articles = _articles(results)
    assert [a.source for a in articles] == [
        str(good_text),
        f"{lines}:1",
        f"{lines}:5",
        str(good_html),
    ]
    assert [a.id for a in articles][1:3] == ["a", "d"]


def test_non_latin_script_is_not_english(tmp_path: Path) -> None:
    path = tmp_path / "ru.txt"
    path.write_text(
        "Российские войска обстреляли Харьков ночью, погибли по меньшей мере четыре мирных "
        "жителя, сообщили региональные власти. Губернатор сообщил о разрушениях.\n",
        encoding="utf-8",
    )
    (failure,) = iter_articles([str(path)])
    assert isinstance(failure, Failure) and failure.problem.startswith("not English")


def test_short_english_texts_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "short.txt"
    path.write_text("Gunmen killed five villagers in Zamfara.\n", encoding="utf-8")
    (article,) = iter_articles([str(path)])
    assert isinstance(article, Article) and article.language == "en"


def test_malformed_whole_json_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"id": 1, "text": ', encoding="utf-8")
    (failure,) = iter_articles([str(path)])
    assert isinstance(failure, Failure) and failure.problem.startswith("malformed JSON: ")


def test_legacy_encoded_text_is_reported_as_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1251.txt"
    path.write_bytes("Обстрел Харькова".encode("cp1251"))
    (failure,) = iter_articles([str(path)])
    assert isinstance(failure, Failure)
    assert failure.problem == "not valid UTF-8 (byte 0xce at offset 0)"


def test_jsonl_content_in_a_json_file(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text(
        json.dumps({"id": "l1", "text": SHORT_ENGLISH})
        + "\n"
        + json.dumps({"id": "l2", "text": SHORT_ENGLISH})
        + "\n",
        encoding="utf-8",
    )
    assert [a.id for a in _articles(list(iter_articles([str(path)])))] == ["l1", "l2"]


def test_json_array_of_records(tmp_path: Path) -> None:
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([{"id": "p", "text": SHORT_ENGLISH}, {"id": "q"}]), encoding="utf-8")
    article, failure = iter_articles([str(path)])
    assert isinstance(article, Article) and article.id == "p"
    assert isinstance(failure, Failure) and failure.input == f"{path}[1]"


# ---------------------------------------------------------------- stdin and directories


def test_stdin_text_html_and_empty() -> None:
    (article,) = iter_articles(["-"], stdin=io.BytesIO(SCRAPED.encode("utf-8")))
    assert isinstance(article, Article) and article.source == "-"
    assert article.title and article.title.startswith("Drone strikes")
    page = PAGE.replace("{day}", "day's").encode("utf-8")
    (html_article,) = iter_articles(["-"], stdin=io.BytesIO(page))
    assert isinstance(html_article, Article) and html_article.author == "Olena Petrenko"
    (failure,) = iter_articles(["-"], stdin=io.BytesIO(b"   \n"))
    assert failure == Failure("-", "empty input")
    (too_big,) = iter_articles(["-"], stdin=io.BytesIO(SCRAPED.encode()), max_bytes=100)
    assert isinstance(too_big, Failure) and too_big.problem.startswith("too large")


def test_directory_is_walked_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "in"
    (root / "b" / "deeper").mkdir(parents=True)
    (root / ".hidden").mkdir()
    (root / "b" / "deeper" / "z.html").write_text(PAGE.replace("{day}", "day's"), "utf-8")
    (root / "b" / "a.jsonl").write_text(
        json.dumps({"id": "r1", "text": SHORT_ENGLISH}) + "\n", "utf-8"
    )
    (root / "c.TXT").write_text(WRAPPED, "utf-8")
    (root / "a.text").write_text(SCRAPED, "utf-8")
    (root / "skip.csv").write_text("x,y\n", "utf-8")
    (root / ".hidden" / "h.txt").write_text(SHORT_ENGLISH, "utf-8")
    results = list(iter_articles([str(root)]))
    assert not _failures(results)
    assert [r.source for r in _articles(results)] == [
        str(root / "a.text"),
        f"{root / 'b' / 'a.jsonl'}:1",
        str(root / "b" / "deeper" / "z.html"),
        str(root / "c.TXT"),
    ]


def test_public_api_is_sorted_and_complete() -> None:
    assert sitrep.ingest.__all__ == sorted(sitrep.ingest.__all__)
    for name in sitrep.ingest.__all__:
        assert hasattr(sitrep.ingest, name)
