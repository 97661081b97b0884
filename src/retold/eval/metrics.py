"""Scores used by the evaluations: accuracy, per-class and macro F1, confusion tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["ClassScores", "f1_scores"]


@dataclass(frozen=True, slots=True)
class ClassScores:
    """Accuracy, per-class F1 and macro F1 over a label set, with the confusion table.

    Attributes:
        labels: The classes, in report order.
        accuracy: Share of items predicted right.
        f1: Per-class F1, in ``labels`` order.
        macro_f1: Unweighted mean of ``f1``.
        confusion: ``confusion[gold][pred]`` counts, indexed like ``labels``.
    """

    labels: tuple[str, ...]
    accuracy: float
    f1: tuple[float, ...]
    macro_f1: float
    confusion: tuple[tuple[int, ...], ...]

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "accuracy": round(self.accuracy, 4),
            "macro_f1": round(self.macro_f1, 4),
            "f1": {k: round(v, 4) for k, v in zip(self.labels, self.f1, strict=True)},
            "confusion": {
                g: dict(zip(self.labels, row, strict=True))
                for g, row in zip(self.labels, self.confusion, strict=True)
            },
        }


def f1_scores(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> ClassScores:
    """Score predictions against gold labels."""
    index = {k: n for n, k in enumerate(labels)}
    table = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        table[index[g]][index[p]] += 1
    f1s: list[float] = []
    for n in range(len(labels)):
        tp = table[n][n]
        fp = sum(table[m][n] for m in range(len(labels))) - tp
        fn = sum(table[n]) - tp
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    correct = sum(table[n][n] for n in range(len(labels)))
    return ClassScores(
        tuple(labels),
        correct / max(len(gold), 1),
        tuple(f1s),
        sum(f1s) / len(f1s),
        tuple(tuple(r) for r in table),
    )
