"""Document-level features of an aligned pair, the inputs of the verdict and direction models.

Features without a side suffix are symmetric (they do not change when a and b swap); those
ending in ``_a`` / ``_b`` describe one side and swap names when the sides swap.
"""

from __future__ import annotations

import re

import numpy as np
import numpy.typing as npt

from retold.align import Alignment, Prepared
from retold.text.shingles import U64, covered_by, covered_tokens

__all__ = [
    "CONTAINMENT_N",
    "SIDE_FEATURES",
    "SYMMETRIC_FEATURES",
    "document_features",
    "ngram_containment",
]

# Word n-gram sizes whose containment (share of tokens inside an n-gram the other side shares)
# is measured; 1 is measured on content stems instead.
CONTAINMENT_N = (2, 3, 5)
SIDE_FEATURES = ("c1", "c2", "c3", "c5", "cov", "soft", "hard", "loc", "sem", "u3", "run")
SYMMETRIC_FEATURES = (
    *(f"{name}_{agg}" for name in SIDE_FEATURES for agg in ("max", "min")),
    "doc_cos",
    "copy_rate",
    "passage_score",
    "n_passages",
    "len_ratio",
    "len_min",
    "len_max",
)


def ngram_containment(a: U64, b: U64, n: int) -> tuple[float, float]:
    """Share of a's tokens inside an n-gram b also has, and the same for b (word hashes in)."""
    if len(a) < n or len(b) < n:
        return 0.0, 0.0
    return (
        float(covered_tokens(a, b, n).mean()),
        float(covered_tokens(b, a, n).mean()),
    )


def _covered(
    a: Prepared, b: Prepared, n: int
) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """Tokens of a, and of b, inside a word n-gram the other side also has."""
    grams_a, grams_b = a.ngrams(n), b.ngrams(n)
    return covered_by(grams_a, grams_b), covered_by(grams_b, grams_a)


def _shares(
    covered_a: npt.NDArray[np.bool_], covered_b: npt.NDArray[np.bool_]
) -> tuple[float, float]:
    return (
        int(np.count_nonzero(covered_a)) / len(covered_a),
        int(np.count_nonzero(covered_b)) / len(covered_b),
    )


_QUOTE_CHAR = re.compile('["\u201c\u201d`]')
# Every start of two apostrophes in a row (overlapping: "'''" gives two); the literal first
# character lets the regex engine skip ahead instead of trying a lookahead at each position.
_DOUBLED_APOSTROPHE = re.compile("'(?=')")


def _outside_quotes(prep: Prepared) -> npt.NDArray[np.bool_]:
    """Mask of tokens outside double quotation marks (straight, curly, or PA's `` '')."""
    text = prep.article.text
    starts = prep.tokens.spans[:, 0]
    lo, hi = prep.region.start, prep.region.end
    marks = [m.start() for m in _QUOTE_CHAR.finditer(text, lo, hi)]
    doubled = [m.start() for m in _DOUBLED_APOSTROPHE.finditer(text, lo, hi)]
    if doubled:
        marks = sorted(marks + doubled)
    if len(marks) < 2:
        return np.ones(len(starts), dtype=bool)
    depth = np.searchsorted(np.asarray(marks), starts) % 2
    outside: npt.NDArray[np.bool_] = depth == 0
    return outside


def _mean_run(covered: npt.NDArray[np.bool_]) -> float:
    """Mean length (log) of the maximal runs of covered tokens."""
    total = int(np.count_nonzero(covered))
    if not total:
        return 0.0
    # The mean run length is the covered count over the number of runs (run starts).
    runs = int(covered[0]) + int(np.count_nonzero(covered[1:] > covered[:-1]))
    return float(np.log1p(total / runs))


def _weighted_mean(prep: Prepared, values: npt.NDArray[np.float64]) -> float:
    """Mean of a per-sentence value weighted by the sentence's token count."""
    weights = np.diff(prep.bounds).astype(np.float64)
    total = weights.sum()
    return float(weights @ values / total) if values.size and total else 0.0


def _best_match_shares(prep: Prepared, best: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Length-weighted mean best-match probability of a side's sentences, and share above 0.5."""
    if best.size == 0:
        return 0.0, 0.0
    weights = np.diff(prep.bounds).astype(np.float64)
    total = weights.sum()
    if total == 0:
        return 0.0, 0.0
    return float(weights @ best / total), float(weights @ (best >= 0.5) / total)


def document_features(a: Prepared, b: Prepared, al: Alignment) -> dict[str, float]:
    """Compute the features of an aligned pair.

    Args:
        a: First prepared article.
        b: Second prepared article.
        al: Their alignment.

    Returns:
        Feature name to value; see ``SYMMETRIC_FEATURES`` and the ``_a``/``_b`` side features.
    """
    side: dict[str, tuple[float, float]] = {}
    covered = {n: _covered(a, b, n) for n in {*CONTAINMENT_N, 3}}
    for n in CONTAINMENT_N:
        short = min(len(a.hashes), len(b.hashes)) < n
        side[f"c{n}"] = (0.0, 0.0) if short else _shares(*covered[n])
    stems_a, stems_b = a.content_stems, b.content_stems
    shared = len(stems_a & stems_b)
    side["c1"] = (
        shared / len(stems_a) if stems_a else 0.0,
        shared / len(stems_b) if stems_b else 0.0,
    )
    side["cov"] = (al.coverage_a, al.coverage_b)
    qa, qb = _outside_quotes(a), _outside_quotes(b)
    ca3, cb3 = covered[3]
    side["u3"] = (
        float(ca3[qa].mean()) if qa.any() else 0.0,
        float(cb3[qb].mean()) if qb.any() else 0.0,
    )
    side["run"] = (_mean_run(ca3), _mean_run(cb3))
    prob = al.matrices.probability
    soft_a, hard_a = _best_match_shares(a, prob.max(axis=1) if prob.size else np.zeros(0))
    soft_b, hard_b = _best_match_shares(b, prob.max(axis=0) if prob.size else np.zeros(0))
    side["soft"] = (soft_a, soft_b)
    side["hard"] = (hard_a, hard_b)
    m = al.matrices
    empty = np.zeros(0)
    side["loc"] = (
        _weighted_mean(a, m.contain_a.max(axis=1) if m.contain_a.size else empty),
        _weighted_mean(b, m.contain_b.max(axis=0) if m.contain_b.size else empty),
    )
    side["sem"] = (
        _weighted_mean(a, m.semantic.max(axis=1) if m.semantic.size else empty),
        _weighted_mean(b, m.semantic.max(axis=0) if m.semantic.size else empty),
    )
    doc_cos = float(a.doc_vector @ b.doc_vector) if a.doc_vector.size == b.doc_vector.size else 0.0
    weights = [len(p.a) + len(p.b) for p in al.passages]
    total = sum(weights)
    copy = sum(w * r for w, r in zip(weights, al.copy_rates, strict=True)) / total if total else 0.0
    len_a, len_b = a.n_tokens, b.n_tokens
    feats: dict[str, float] = {}
    for name, (va, vb) in side.items():
        feats[f"{name}_a"] = va
        feats[f"{name}_b"] = vb
        feats[f"{name}_max"] = max(va, vb)
        feats[f"{name}_min"] = min(va, vb)
    feats.update(
        doc_cos=round(doc_cos, 6),
        copy_rate=copy,
        passage_score=float(np.mean([p.score for p in al.passages])) if al.passages else 0.0,
        n_passages=float(np.log1p(len(al.passages))),
        len_a=float(len_a),
        len_b=float(len_b),
        len_ratio=abs(float(np.log1p(len_a) - np.log1p(len_b))),
        len_min=float(np.log1p(min(len_a, len_b))),
        len_max=float(np.log1p(max(len_a, len_b))),
    )
    return {k: round(float(v), 6) for k, v in feats.items()}
