"""Clough–Stevenson short-answer corpus, tasks a–c: 4-way rewrite-kind accuracy.

Each answer is compared with its Wikipedia source. Categories map onto retold's answers:
``cut`` → verbatim, ``light`` → light, ``heavy`` → heavy (all derived), ``non`` → not derived.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from retold.eval.metrics import ClassScores, f1_scores
from retold.ingest.corpora.clough import load_clough
from retold.model import Comparison, RewriteKind
from retold.pipeline import Comparer

__all__ = ["CATEGORIES", "KIND_TO_CATEGORY", "CloughResult", "clough_category", "evaluate_clough"]

CATEGORIES = ("cut", "light", "heavy", "non")
KIND_TO_CATEGORY = {
    RewriteKind.VERBATIM: "cut",
    RewriteKind.LIGHT: "light",
    RewriteKind.HEAVY: "heavy",
}


@dataclass(frozen=True, slots=True)
class CloughResult:
    """Scores of a Clough–Stevenson run."""

    scores: ClassScores
    items: int
    seconds: float

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "dataset": "clough-stevenson",
            "items": self.items,
            "four_way": self.scores.as_dict(),
            "seconds": round(self.seconds, 2),
        }


def clough_category(result: Comparison) -> str:
    """Map a comparison onto the corpus' four categories."""
    kind = result.verdict.kind
    if not result.verdict.relation.derived or kind is None:
        return "non"
    return KIND_TO_CATEGORY[kind]


def evaluate_clough(
    root: Path, comparer: Comparer | None = None, tasks: str = "abc"
) -> CloughResult:
    """Run the shipped pipeline over the corpus and score the 4-way categories.

    Args:
        root: The corpus folder (``file_information.csv`` and the answer files).
        comparer: The comparer to use (default options when None).
        tasks: Which tasks to include.

    Returns:
        The scores.
    """
    start = time.perf_counter()
    comparer = comparer or Comparer()
    items = load_clough(root, tasks)
    gold = [i.category for i in items]
    pred = [clough_category(comparer.compare(i.answer, i.source)) for i in items]
    return CloughResult(f1_scores(gold, pred, CATEGORIES), len(items), time.perf_counter() - start)
