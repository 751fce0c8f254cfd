"""Scoring a typer on labelled texts: event detection, sub-type agreement, per-class precision,
recall and F1, weighted and macro F1, the false-alarm rate on negatives, and the confusion matrix
(as numbers in a JSON report and as a PNG picture)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from sitrep.typer.corpus import LabeledText
from sitrep.typer.labels import LABELS, NONE
from sitrep.typer.model import Typer


def scores(gold: Sequence[str], pred: Sequence[str]) -> dict[str, Any]:
    """Every figure for one set of gold and predicted labels."""
    from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

    labels = list(LABELS)
    p, r, f, support = precision_recall_fscore_support(gold, pred, labels=labels, zero_division=0)
    present = [i for i, n in enumerate(support) if n > 0]
    weighted = float(np.average(f[present], weights=support[present])) if present else 0.0
    macro = float(np.mean(f[present])) if present else 0.0
    g_event = np.array([g != NONE for g in gold])
    p_event = np.array([x != NONE for x in pred])
    tp = int((g_event & p_event).sum())
    det_p = tp / p_event.sum() if p_event.sum() else 0.0
    det_r = tp / g_event.sum() if g_event.sum() else 0.0
    det_f = 2 * det_p * det_r / (det_p + det_r) if det_p + det_r else 0.0
    both = g_event & p_event
    sub_acc = (
        float(np.mean([g == x for g, x, b in zip(gold, pred, both, strict=True) if b]))
        if both.any()
        else 0.0
    )
    negatives = ~g_event
    return {
        "items": len(gold),
        "accuracy": float(np.mean([g == x for g, x in zip(gold, pred, strict=True)]))
        if gold
        else 0.0,
        "weighted_f1": weighted,
        "macro_f1": macro,
        "event_detection": {"precision": det_p, "recall": det_r, "f1": det_f},
        "sub_type_accuracy_on_detected_events": sub_acc,
        "false_alarm_rate": float(p_event[negatives].mean()) if negatives.any() else 0.0,
        "per_class": {
            label: {
                "precision": float(p[i]),
                "recall": float(r[i]),
                "f1": float(f[i]),
                "support": int(support[i]),
            }
            for i, label in enumerate(labels)
        },
        "confusion": {
            "labels": labels,
            "matrix": confusion_matrix(gold, pred, labels=labels).tolist(),
        },
    }


def evaluate(typer: Typer, items: Sequence[LabeledText]) -> dict[str, Any]:
    """The typer's scores overall and per genre."""
    return by_genre(items, [label for label, _, _ in typer.predict([it.text for it in items])])


def by_genre(items: Sequence[LabeledText], predicted: Sequence[str]) -> dict[str, Any]:
    """Scores of ``predicted`` labels (one per item) overall and per genre."""
    gold = [it.label for it in items]
    report: dict[str, Any] = {"overall": scores(gold, predicted), "by_genre": {}}
    for genre in sorted({it.genre for it in items}):
        idx = [i for i, it in enumerate(items) if it.genre == genre]
        report["by_genre"][genre] = scores([gold[i] for i in idx], [predicted[i] for i in idx])
    return report


def summary_lines(report: dict[str, Any], per_class: bool = True) -> list[str]:
    """The report as text: per-class table, then overall and per-genre figures."""
    lines = []
    overall = report["overall"]
    if per_class:
        lines.append(f"{'class':<40} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}")
        for label, c in overall["per_class"].items():
            if c["support"]:
                lines.append(
                    f"{label:<40} {c['precision']:6.3f} {c['recall']:6.3f} {c['f1']:6.3f} {c['support']:5d}"
                )
        lines.append("")
    head = f"{'':<14} {'items':>6} {'wF1':>6} {'macroF1':>8} {'detP':>6} {'detR':>6} {'detF1':>6} {'subAcc':>7} {'falseAl':>8}"
    lines.append(head)
    rows = [("overall", overall), *report["by_genre"].items()]
    for name, s in rows:
        d = s["event_detection"]
        lines.append(
            f"{name:<14} {s['items']:6d} {s['weighted_f1']:6.3f} {s['macro_f1']:8.3f} {d['precision']:6.3f} "
            f"{d['recall']:6.3f} {d['f1']:6.3f} {s['sub_type_accuracy_on_detected_events']:7.3f} "
            f"{s['false_alarm_rate']:8.3f}"
        )
    return lines


def confusion_png(report: dict[str, Any], path: str | Path, title: str = "typer") -> Path:
    """Draw the overall confusion matrix (rows: gold, columns: predicted) to a PNG file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    conf = report["overall"]["confusion"]
    labels = conf["labels"]
    m = np.array(conf["matrix"], dtype=float)
    rows = m.sum(axis=1, keepdims=True)
    share = np.divide(m, rows, out=np.zeros_like(m), where=rows > 0)
    fig, ax = plt.subplots(figsize=(12, 11), dpi=100)
    ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(f"{title}: share of each gold class (counts in cells)")
    for i in range(len(labels)):
        for j in range(len(labels)):
            if m[i, j]:
                ax.text(
                    j,
                    i,
                    str(int(m[i, j])),
                    ha="center",
                    va="center",
                    fontsize=6,
                    color="white" if share[i, j] > 0.5 else "black",
                )
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    plt.close(fig)
    return out


def write_json(report: dict[str, Any], path: str | Path) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return out
