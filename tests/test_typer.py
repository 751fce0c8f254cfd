"""The learned typer: labelled data in (sitrep JSONL, a made-up ACLED export), a typer out that
loads without running code, scores, and bad inputs refused with one line and nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import REPO

from sitrep.typer import LABELS, TyperError, bundled_typer_path, load_typer
from sitrep.typer.corpus import CorpusError, read_labeled

FIXTURES = REPO / "tests" / "fixtures" / "typer"
CSV = FIXTURES / "acled-notes.csv"
NEGATIVES = FIXTURES / "negatives.jsonl"
HELDOUT = REPO / "corpus" / "test" / "heldout.jsonl"
FLOORS = json.loads((REPO / "bench" / "floors.json").read_text(encoding="utf-8"))


def sitrep(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sitrep.cli", *args],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=cwd,
    )


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("typer") / "mine"
    proc = sitrep("train", str(CSV), str(NEGATIVES), "--only-given", "--output", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "trained a typer on 42 texts" in proc.stderr
    return out


def test_acled_csv_and_jsonl_are_read_with_their_labels() -> None:
    notes = read_labeled(CSV)
    assert len(notes) == 32 and {n.label for n in notes} <= set(LABELS)
    assert all(n.is_event and n.text.startswith("On ") for n in notes)
    assert {n.label for n in read_labeled(NEGATIVES)} == {"none"}


def test_a_trained_typer_round_trips_as_plain_arrays(trained: Path) -> None:
    assert sorted(p.name for p in trained.iterdir()) == ["typer.json", "weights.npz"]
    with np.load(trained / "weights.npz", allow_pickle=False) as npz:  # no objects inside
        assert all(npz[k].dtype != object for k in npz.files)
    typer = load_typer(trained)
    again = load_typer(trained)
    texts = [n.text for n in read_labeled(CSV)][:5]
    assert np.allclose(typer.predict_proba(texts), again.predict_proba(texts))
    # trained on these notes, it reads them back
    hits = [label for label, _, _ in typer.predict(texts)]
    assert hits == [n.label for n in read_labeled(CSV)][:5]
    info = json.loads((trained / "typer.json").read_text(encoding="utf-8"))
    assert info["meta"]["with_sitrep_corpus"] is False and info["meta"]["data_version"]


def test_evaluate_prints_per_class_scores_and_writes_a_report_and_picture(
    trained: Path, tmp_path: Path
) -> None:
    report, picture = tmp_path / "r.json", tmp_path / "c.png"
    proc = sitrep(
        "evaluate", str(CSV), str(NEGATIVES), "--typer", str(trained),
        "--report", str(report), "--confusion", str(picture),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Armed clash" in proc.stdout and "wF1" in proc.stdout
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["overall"]["items"] == 42 and 0 <= data["overall"]["macro_f1"] <= 1
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("content", "name", "problem"),
    [
        ('{"text": "Rebels shelled the town.", "sub_event_type": "Bombardment"}\n', "x.jsonl", "unknown label 'Bombardment'"),
        ('{"text": "   ", "sub_event_type": "Attack"}\n', "x.jsonl", "empty text"),
        ('{"text": ["a"], "sub_event_type": "Attack"}\n', "x.jsonl", "text must be a string"),
        ("event_date,text\n2026-01-01,hello\n", "x.csv", "missing column(s) notes, sub_event_type"),
    ],
)  # fmt: skip
def test_bad_training_data_gets_one_line_and_no_output(
    tmp_path: Path, content: str, name: str, problem: str
) -> None:
    bad = tmp_path / name
    bad.write_text(content, encoding="utf-8")
    out = tmp_path / "typer"
    proc = sitrep("train", str(bad), "--only-given", "--output", str(out))
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and problem in lines[0], proc.stderr
    assert not out.exists()


def test_a_folder_that_is_not_a_typer_is_refused(tmp_path: Path) -> None:
    (tmp_path / "typer.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(TyperError, match="not a sitrep typer"):
        load_typer(tmp_path)
    proc = sitrep("evaluate", str(NEGATIVES), "--typer", str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 3 and proc.stderr.count("\n") == 1
    assert f"{tmp_path}: not a sitrep typer" in proc.stderr
    with pytest.raises(CorpusError, match="no such file"):
        read_labeled(tmp_path / "missing.jsonl")


def test_extract_uses_a_given_typer(trained: Path, tmp_path: Path) -> None:
    story = tmp_path / "s.txt"
    story.write_text(
        "Gunmen shot dead a bus driver at a roadblock near Kauru on Monday, police said.\n",
        encoding="utf-8",
    )
    proc = sitrep("extract", str(story), "--typer", str(trained), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [e["sub_event_type"] for e in events] == ["Attack"]


def test_sitreps_own_typer_holds_its_held_aside_score() -> None:
    """CI's guard: weighted F1 on the held-aside test set may not drop more than 2 points below
    the figure recorded in bench/floors.json (only the aggregate is computed, never printed)."""
    from sitrep.typer.evaluate import evaluate

    report = evaluate(load_typer(bundled_typer_path()), read_labeled(HELDOUT))
    floor = FLOORS["typer_heldout"]["weighted_f1"] - FLOORS["tolerance"]
    assert report["overall"]["weighted_f1"] >= floor
