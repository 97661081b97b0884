"""MSRP (Microsoft Research Paraphrase Corpus, training split): sentence-pair paraphrase scoring.

Each pair goes through the shipped sentence-pair features (:func:`retold.align.pair_features`).
Scores are cross-validated: the pair model is refitted on k-1 folds and scores the held-out fold,
so no item is scored by a model that saw it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retold.align import pair_matrices, prepare
from retold.align.calibration import PAIR_COEF, PAIR_INTERCEPT
from retold.align.similarity import pair_features
from retold.config import CompareOptions
from retold.eval.fit import fit_logistic, kfold_indices
from retold.eval.metrics import ClassScores, f1_scores
from retold.fingerprint import get_embedder
from retold.ingest.corpora.msrp import MsrpPair, load_msrp
from retold.model import Article

__all__ = ["MsrpResult", "evaluate_msrp", "msrp_features"]

# Penalty of the pair model's fit (on standardised features), chosen by cross-validation on the
# MSRP training split (flat between 0.1 and 10).
PAIR_L2 = 1.0


@dataclass(frozen=True, slots=True)
class MsrpResult:
    """Cross-validated and shipped-model scores on MSRP train."""

    cross_validated: ClassScores
    shipped: ClassScores
    folds: int
    items: int
    seconds: float

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "dataset": "msrp-train",
            "items": self.items,
            "folds": self.folds,
            "cross_validated": {
                **self.cross_validated.as_dict(),
                "f1_paraphrase": round(self.cross_validated.f1[0], 4),
            },
            "shipped_model_in_sample": {
                **self.shipped.as_dict(),
                "f1_paraphrase": round(self.shipped.f1[0], 4),
            },
            "seconds": round(self.seconds, 2),
        }


def msrp_features(
    pairs: tuple[MsrpPair, ...], options: CompareOptions | None = None
) -> npt.NDArray[np.float64]:
    """Shipped sentence-pair features of every pair, ``(n, n_features)``."""
    options = options or CompareOptions()
    embedder = get_embedder(options.embedder)
    rows = []
    for pair in pairs:
        a = prepare(Article.from_text(pair.s1), embedder, single_unit=True)
        b = prepare(Article.from_text(pair.s2), embedder, single_unit=True)
        m = pair_matrices(a, b)
        rows.append(
            pair_features(m.semantic, m.lexical, m.contain_a, m.contain_b, m.len_a, m.len_b)[0, 0]
        )
    return np.asarray(rows, dtype=np.float64)


def evaluate_msrp(
    path: Path, options: CompareOptions | None = None, *, folds: int = 10
) -> MsrpResult:
    """Score paraphrase detection on MSRP train, cross-validated.

    Args:
        path: ``msr_paraphrase_train.txt``.
        options: Comparison options (the embedder matters here).
        folds: Number of cross-validation folds.

    Returns:
        Cross-validated scores and the in-sample scores of the shipped coefficients.
    """
    start = time.perf_counter()
    pairs = load_msrp(path)
    x = msrp_features(pairs, options)
    y = np.array([int(p.label) for p in pairs], dtype=np.int64)
    pred = np.zeros(len(y), dtype=np.int64)
    for held in kfold_indices(len(y), folds):
        train = np.setdiff1d(np.arange(len(y)), held)
        model = fit_logistic(x[train], y[train], l2=PAIR_L2)
        pred[held] = (model.predict_proba(x[held]) >= 0.5).astype(np.int64)
    shipped_z = x @ np.asarray(PAIR_COEF) + PAIR_INTERCEPT
    shipped = (shipped_z >= 0).astype(np.int64)
    names = ("paraphrase", "different")

    def lab(v: npt.NDArray[np.int64]) -> list[str]:
        return [names[0] if k else names[1] for k in v]

    return MsrpResult(
        f1_scores(lab(y), lab(pred), names),
        f1_scores(lab(y), lab(shipped), names),
        folds,
        len(y),
        time.perf_counter() - start,
    )
