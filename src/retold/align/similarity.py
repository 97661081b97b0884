"""Sentence-by-sentence similarity of two prepared articles, all pairs at once.

Two views, both vectorised over the whole ``n_a × n_b`` grid:

- lexical: weighted overlap of content-word stems. A stem's weight falls with the number of
  sentences it occurs in (within each article), so the story's ever-present words ("Kim",
  "visit") count for less than a detail shared by exactly one sentence on each side;
- semantic: cosine of sentence embeddings.

:func:`pair_probability` combines them into the probability that two sentences say the same thing
(a logistic model whose coefficients live in :mod:`retold.align.calibration`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from retold.align.calibration import PAIR_COEF, PAIR_FEATURES, PAIR_INTERCEPT
from retold.align.units import Prepared

__all__ = ["PairMatrices", "pair_features", "pair_matrices", "pair_probability"]

FloatMatrix = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class PairMatrices:
    """All-pairs sentence similarities of articles a (rows) and b (columns).

    Attributes:
        semantic: Cosine of the sentence embeddings.
        lexical: Weighted Dice overlap of content stems.
        contain_a: Share of a-sentence's stem weight found in the b-sentence.
        contain_b: Share of b-sentence's stem weight found in the a-sentence.
        len_a: Content words per a-sentence (column vector shape ``(n_a, 1)``).
        len_b: Content words per b-sentence (row vector shape ``(1, n_b)``).
        probability: Calibrated probability that the two sentences say the same thing.
    """

    semantic: FloatMatrix
    lexical: FloatMatrix
    contain_a: FloatMatrix
    contain_b: FloatMatrix
    len_a: FloatMatrix
    len_b: FloatMatrix
    probability: FloatMatrix


def _presence(
    prep: Prepared, vocab: dict[str, int]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Unique (sentence, stem id) pairs of content words."""
    n = len(prep.sentences)
    if n == 0 or prep.n_tokens == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    sent_of_token = np.repeat(np.arange(n, dtype=np.int64), np.diff(prep.bounds))
    mask = prep.content[: len(sent_of_token)]
    stems = [s for s, c in zip(prep.tokens.stems, mask, strict=False) if c]
    ids = np.fromiter((vocab.setdefault(s, len(vocab)) for s in stems), np.int64, len(stems))
    sents = sent_of_token[mask]
    width = max(len(vocab), 1)
    keys = np.unique(sents * width + ids)
    return keys // width, keys % width


def pair_matrices(a: Prepared, b: Prepared) -> PairMatrices:
    """Compute every sentence-pair similarity of two prepared articles.

    Args:
        a: First article (rows).
        b: Second article (columns).

    Returns:
        The similarity matrices; symmetric in the sense that swapping ``a`` and ``b`` transposes
        every matrix (values are rounded to 1e-6 so summation order cannot break ties).
    """
    na, nb = len(a.sentences), len(b.sentences)
    vocab: dict[str, int] = {}
    sa, va = _presence(a, vocab)
    sb, vb = _presence(b, vocab)
    size = max(len(vocab), 1)
    df_a = np.bincount(va, minlength=size)
    df_b = np.bincount(vb, minlength=size)
    weight = 1.0 / (1.0 + np.log(np.maximum(np.maximum(df_a, df_b), 1)))
    xa = sparse.csr_matrix((weight[va], (sa, va)), shape=(na, size))
    xb = sparse.csr_matrix((np.ones(len(vb)), (sb, vb)), shape=(nb, size))
    inter = np.asarray((xa @ xb.T).todense(), dtype=np.float64).reshape(na, nb)
    wa = np.asarray(xa.sum(axis=1), dtype=np.float64).reshape(na, 1)
    wb = np.bincount(sb, weights=weight[vb], minlength=nb).astype(np.float64).reshape(1, nb)
    with np.errstate(divide="ignore", invalid="ignore"):
        lexical = np.nan_to_num(2.0 * inter / (wa + wb))
        contain_a = np.nan_to_num(inter / wa)
        contain_b = np.nan_to_num(inter / wb)
    semantic = (a.vectors @ b.vectors.T).astype(np.float64) if na and nb else np.zeros((na, nb))
    len_a = np.bincount(sa, minlength=na).astype(np.float64).reshape(na, 1)
    len_b = np.bincount(sb, minlength=nb).astype(np.float64).reshape(1, nb)
    semantic, lexical, contain_a, contain_b = (
        np.round(m, 6) for m in (semantic, lexical, contain_a, contain_b)
    )
    prob = pair_probability(pair_features(semantic, lexical, contain_a, contain_b, len_a, len_b))
    return PairMatrices(semantic, lexical, contain_a, contain_b, len_a, len_b, prob)


def pair_features(
    semantic: FloatMatrix,
    lexical: FloatMatrix,
    contain_a: FloatMatrix,
    contain_b: FloatMatrix,
    len_a: FloatMatrix,
    len_b: FloatMatrix,
) -> FloatMatrix:
    """Stack the symmetric per-pair features named in ``PAIR_FEATURES`` along a last axis."""
    shape = np.broadcast_shapes(semantic.shape, len_a.shape, len_b.shape)
    short = np.minimum(len_a, len_b)
    long = np.maximum(len_a, len_b)
    feats = {
        "semantic": semantic,
        "lexical": lexical,
        "contain_min": np.minimum(contain_a, contain_b),
        "contain_max": np.maximum(contain_a, contain_b),
        "len_ratio": np.log1p(long) - np.log1p(short),
        "short_len": np.log1p(short),
        "sem_x_lex": semantic * lexical,
    }
    return np.stack([np.broadcast_to(feats[name], shape) for name in PAIR_FEATURES], axis=-1)


def pair_probability(features: FloatMatrix) -> FloatMatrix:
    """Calibrated probability that sentence pairs say the same thing (see calibration).

    Args:
        features: Output of :func:`pair_features` (features on the last axis).
    """
    z = features @ np.asarray(PAIR_COEF, dtype=np.float64) + PAIR_INTERCEPT
    return np.round(1.0 / (1.0 + np.exp(-z)), 6)
