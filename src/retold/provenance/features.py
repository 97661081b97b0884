"""Document-level features of an aligned pair, the inputs of the verdict and direction models.

Features without a side suffix are symmetric (they do not change when a and b swap); those
ending in ``_a`` / ``_b`` describe one side and swap names when the sides swap.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from retold.align import Alignment, Prepared
from retold.align.rewrite import copy_rate, covered_by_shared_ngrams

__all__ = ["SYMMETRIC_FEATURES", "document_features", "ngram_containment"]

SYMMETRIC_FEATURES = (
    "cov_max",
    "cov_min",
    "c3_max",
    "c3_min",
    "c1_max",
    "c1_min",
    "doc_cos",
    "copy_rate",
    "passage_score",
    "n_passages",
    "len_ratio",
)


def ngram_containment(a: Sequence[str], b: Sequence[str], n: int) -> tuple[float, float]:
    """Share of a's tokens inside an n-gram b also has, and the same for b (token coverage)."""
    if len(a) < n or len(b) < n:
        return 0.0, 0.0
    grams_a = {tuple(a[k : k + n]) for k in range(len(a) - n + 1)}
    grams_b = {tuple(b[k : k + n]) for k in range(len(b) - n + 1)}
    shared = grams_a & grams_b
    if not shared:
        return 0.0, 0.0
    return (
        covered_by_shared_ngrams(a, shared, n) / len(a),
        covered_by_shared_ngrams(b, shared, n) / len(b),
    )


def _content_stems(p: Prepared) -> set[str]:
    return {s for s, c in zip(p.tokens.stems, p.content, strict=True) if c}


def document_features(a: Prepared, b: Prepared, al: Alignment) -> dict[str, float]:
    """Compute the features of an aligned pair.

    Args:
        a: First prepared article.
        b: Second prepared article.
        al: Their alignment.

    Returns:
        Feature name to value; see ``SYMMETRIC_FEATURES`` and the ``_a``/``_b`` side features.
    """
    c3_a, c3_b = ngram_containment(a.tokens.words, b.tokens.words, 3)
    stems_a, stems_b = _content_stems(a), _content_stems(b)
    shared = len(stems_a & stems_b)
    c1_a = shared / len(stems_a) if stems_a else 0.0
    c1_b = shared / len(stems_b) if stems_b else 0.0
    doc_cos = float(a.doc_vector @ b.doc_vector) if a.doc_vector.size == b.doc_vector.size else 0.0
    weights = [len(p.a) + len(p.b) for p in al.passages]
    total = sum(weights)
    copy = (
        sum(w * _passage_copy(a, b, p.a.start, p.a.end, p.b.start, p.b.end)
            for w, p in zip(weights, al.passages, strict=True)) / total
        if total
        else 0.0
    )  # fmt: skip
    score = float(np.mean([p.score for p in al.passages])) if al.passages else 0.0
    len_a, len_b = a.n_tokens, b.n_tokens
    feats = {
        "cov_a": al.coverage_a,
        "cov_b": al.coverage_b,
        "cov_max": max(al.coverage_a, al.coverage_b),
        "cov_min": min(al.coverage_a, al.coverage_b),
        "c3_a": c3_a,
        "c3_b": c3_b,
        "c3_max": max(c3_a, c3_b),
        "c3_min": min(c3_a, c3_b),
        "c1_a": c1_a,
        "c1_b": c1_b,
        "c1_max": max(c1_a, c1_b),
        "c1_min": min(c1_a, c1_b),
        "doc_cos": round(doc_cos, 6),
        "copy_rate": copy,
        "passage_score": score,
        "n_passages": float(np.log1p(len(al.passages))),
        "len_a": float(len_a),
        "len_b": float(len_b),
        "len_ratio": abs(float(np.log1p(len_a) - np.log1p(len_b))),
    }
    return {k: round(float(v), 6) for k, v in feats.items()}


def _passage_copy(a: Prepared, b: Prepared, a0: int, a1: int, b0: int, b1: int) -> float:
    sa = a.tokens.spans[:, 0]
    sb = b.tokens.spans[:, 0]
    i0, i1 = np.searchsorted(sa, [a0, a1])
    j0, j1 = np.searchsorted(sb, [b0, b1])
    return copy_rate(a.tokens.words[i0:i1], b.tokens.words[j0:j1])
