"""Sentence-by-sentence similarity of two prepared articles, all pairs at once.

Three views, each vectorised over the whole ``n_a × n_b`` grid:

- lexical: weighted overlap of content-word stems. A stem's weight falls with the number of
  sentences it occurs in (within each article), so the story's ever-present words ("Kim",
  "visit") count for less than a detail shared by exactly one sentence on each side;
- semantic: cosine of sentence embeddings;
- soft word matching: each content word is matched to its most similar content word of the other
  sentence (static word vectors; near-synonyms such as "concerns"/"apprehensions" count, unlike
  in the lexical view); the share of a sentence's words so matched tolerates the clause-level
  rewording of heavy spin that a whole-sentence cosine blurs.

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
from retold.text.shingles import distinct, unique_inverse

__all__ = [
    "SOFT_WORD_FLOOR",
    "PairMatrices",
    "likeliest_pairs",
    "pair_features",
    "pair_matrices",
    "pair_probability",
    "soft_matches",
    "soft_matches_among",
]

FloatMatrix = npt.NDArray[np.float64]

# Word-vector cosine below which two words do not match at all; set by hand from word pairs of
# the example corpus and the seeds: "concerns"/"apprehensions" 0.62, "police"/"police" 1.0,
# "flags"/"visit" 0.31; an unrelated word's best match in a sentence is usually 0.3-0.45.
SOFT_WORD_FLOOR = 0.5
# Largest sentence-by-stem matrix built dense (elements); beyond it scipy.sparse is used.
_DENSE_LIMIT = 1 << 21
# Largest word-similarity block computed at once (elements); bounds memory on long articles.
_BLOCK = 1 << 22
# Above this share of word pairs passing SOFT_WORD_FLOOR, soft_matches reduces whole blocks
# instead of scattering pairs. News never comes near it (0.4-1% on METER, Reuters and BBC);
# one line of 10,000 machine-made words ("word1234": "word" is in every sentence) had 40% and
# took 24 s to compare with itself instead of 5 s.
_DENSE_SHARE = 1 / 32
# Past this many content-word pairs (two ~45 KB articles), soft word matches are computed only
# for each sentence's likeliest counterparts: the _SOFT_CANDIDATES most probable pairs of its
# row and of its column (ties kept). All pairs of two 200 KB Reuters texts took 5.6 s of a 8.7 s
# compare; a 4 KB METER pair has about 120k word pairs and never gets here.
_SOFT_BUDGET = 1 << 24
_SOFT_CANDIDATES = 8


def _segments(
    sentence: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Segments (runs of content tokens of one sentence) of a non-empty token list.

    Returns:
        The segment number (rank among the non-empty sentences) of every content token, and
        the index of the first content token of each segment.
    """
    first = np.empty(len(sentence), dtype=bool)
    first[0] = True
    np.not_equal(sentence[1:], sentence[:-1], out=first[1:])
    return np.cumsum(first) - 1, np.flatnonzero(first)


def _run_lengths(starts: npt.NDArray[np.int64], total: int) -> npt.NDArray[np.int64]:
    """``np.diff(starts, append=total)`` (lengths of the runs starting at ``starts``), cheaper."""
    out = np.empty_like(starts)
    np.subtract(starts[1:], starts[:-1], out=out[:-1])
    out[-1] = total - starts[-1]
    return out


def _soft_zeros(a: Prepared, b: Prepared) -> tuple[FloatMatrix, FloatMatrix, bool]:
    """Two zero ``(n_a, n_b)`` matrices, and whether the pair has word vectors to match."""
    shape = (len(a.sentences), len(b.sentences))
    wa, wb = a.word_table, b.word_table
    matchable = bool(len(wa) and len(wb) and wa.shape[1] == wb.shape[1])
    return np.zeros(shape), np.zeros(shape), matchable


def _passing_pairs(
    a: Prepared, b: Prepared
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp], npt.NDArray[np.float32]] | None:
    """Content-token pairs whose words' cosine passes ``SOFT_WORD_FLOOR``, with the cosines.

    The cosines are computed between distinct words (about half the products of all tokens on
    4 KB articles; a product does not depend on the other rows, so each token pair gets the
    very value the all-tokens product holds), then spread to every token pair of those words.

    Returns:
        ``(ti, tj, values)``: token indices into a's and b's content tokens and the cosine of
        each pair (in no particular order), or None when more than ``_DENSE_SHARE`` of all token
        pairs pass.
    """
    sim = a.word_table @ b.word_table.T
    ui, uj = np.divmod(np.flatnonzero(sim >= SOFT_WORD_FLOOR), sim.shape[1])
    ids_a, ids_b = a.word_ids, b.word_ids
    count_a = np.bincount(ids_a, minlength=sim.shape[0])
    count_b = np.bincount(ids_b, minlength=sim.shape[1])
    per = count_a[ui] * count_b[uj]  # token pairs of each passing word pair
    total = int(per.sum())
    if total > len(ids_a) * len(ids_b) * _DENSE_SHARE:
        return None
    # Tokens grouped by word: word w's tokens are order[first[w] : first[w] + count[w]].
    order_a, order_b = np.argsort(ids_a, kind="stable"), np.argsort(ids_b, kind="stable")
    first_a, first_b = np.cumsum(count_a) - count_a, np.cumsum(count_b) - count_b
    pick = np.repeat(np.arange(len(per)), per)
    rank = np.arange(total) - np.repeat(np.cumsum(per) - per, per)
    width = count_b[uj][pick]
    ti = order_a[first_a[ui][pick] + rank // width]
    tj = order_b[first_b[uj][pick] + rank % width]
    return ti, tj, sim[ui, uj][pick]


def soft_matches(a: Prepared, b: Prepared) -> tuple[FloatMatrix, FloatMatrix]:
    """Soft word-match shares of every sentence pair, from each side.

    Returns:
        ``(soft_a, soft_b)``, each of shape ``(n_a, n_b)``: for pair ``(i, j)``, the mean over
        the words of a's sentence ``i`` (resp. b's sentence ``j``) of the cosine of their best
        match among the other sentence's words, counting cosines below ``SOFT_WORD_FLOOR`` as 0.
    """
    soft_a, soft_b, matchable = _soft_zeros(a, b)
    if not matchable:
        return soft_a, soft_b
    sent_a, sent_b = a.word_sentence, b.word_sentence
    n_a, n_b = len(sent_a), len(sent_b)
    seg_a, starts_a = _segments(sent_a)
    seg_b, starts_b = _segments(sent_b)
    rows_b = sent_b[starts_b]
    count_b = _run_lengths(starts_b, n_b).astype(np.float64)
    ends_a = starts_a + _run_lengths(starts_a, n_a)
    step = max(1, _BLOCK // n_b)
    # All of a in one block (every news article): pairs found among distinct words.
    passing = _passing_pairs(a, b) if n_a <= step else None
    wa, wb = (a.word_vectors, b.word_vectors) if passing is None else (a.word_table, b.word_table)
    k = 0
    while k < len(starts_a):
        # A block of whole a-sentences, about ``step`` tokens (at least one sentence).
        stop = max(int(np.searchsorted(ends_a, starts_a[k] + step, side="right")), k + 1)
        lo, hi = int(starts_a[k]), int(ends_a[stop - 1])
        local = starts_a[k:stop] - lo
        rows_a = sent_a[starts_a[k:stop]]
        count_a = _run_lengths(local, hi - lo).astype(np.float64)
        if passing is None:
            sim = wa[lo:hi] @ wb.T
            hit = sim >= SOFT_WORD_FLOOR
        if passing is None and np.count_nonzero(hit) > sim.size * _DENSE_SHARE:
            # Degenerate text (one word in every sentence, a list of near-identical lines):
            # scattering the passing pairs one by one would cost far more than reducing the
            # whole block. The same maxima, as cosines below the floor count as 0 either way.
            np.multiply(sim, hit, out=sim)
            best_in_b = np.maximum.reduceat(sim, starts_b, axis=1).T  # (b-sentences, tokens)
            best_in_a = np.maximum.reduceat(sim, local, axis=0)  # (block a-sentences, b tokens)
        else:
            # Few word pairs pass the floor (about 0.4% on METER 4 KB pairs), so the maxima are
            # scattered from those pairs alone instead of reduced over the whole block.
            if passing is None:
                ti, tj = np.divmod(np.flatnonzero(hit), sim.shape[1])  # 3x np.nonzero
                values = sim[ti, tj]
            else:
                ti, tj, values = passing
            best_in_b = np.zeros((len(starts_b), hi - lo), wa.dtype)
            np.maximum.at(best_in_b, (seg_b[tj], ti), values)
            best_in_a = np.zeros((stop - k, n_b), wa.dtype)
            np.maximum.at(best_in_a, (seg_a[lo + ti] - k, tj), values)
        shares_a = np.add.reduceat(best_in_b.T, local, axis=0) / count_a[:, None]
        shares_b = np.add.reduceat(np.ascontiguousarray(best_in_a.T), starts_b, axis=0)
        if (len(rows_a), len(rows_b)) == soft_a.shape:
            # Every sentence holds content words (rows are sorted and distinct): no scatter.
            soft_a[:] = shares_a
            soft_b[:] = shares_b.T / count_b
        else:
            soft_a[np.ix_(rows_a, rows_b)] = shares_a
            soft_b[np.ix_(rows_a, rows_b)] = shares_b.T / count_b
        k = stop
    return soft_a.round(6, out=soft_a), soft_b.round(6, out=soft_b)


def likeliest_pairs(prob: FloatMatrix, k: int) -> npt.NDArray[np.bool_]:
    """Pairs among the ``k`` most probable of their row or of their column (ties included).

    Transposing ``prob`` transposes the answer.
    """
    na, nb = prob.shape
    mask = np.zeros((na, nb), dtype=bool)
    if na == 0 or nb == 0:
        return mask
    if nb > k:
        row_kth = -np.partition(-prob, k - 1, axis=1)[:, k - 1 : k]
        mask |= prob >= row_kth
    else:
        mask[:] = True
    if na > k:
        col_kth = -np.partition(-prob, k - 1, axis=0)[k - 1 : k, :]
        mask |= prob >= col_kth
    else:
        mask[:] = True
    return mask


def soft_matches_among(
    a: Prepared, b: Prepared, pairs: npt.NDArray[np.bool_]
) -> tuple[FloatMatrix, FloatMatrix]:
    """:func:`soft_matches` for the sentence pairs ``pairs`` marks only; 0 elsewhere.

    One a-sentence at a time against the words of its marked b-sentences: linear in the
    number of marked pairs instead of quadratic in words.
    """
    soft_a, soft_b, matchable = _soft_zeros(a, b)
    if not matchable:
        return soft_a, soft_b
    na, nb = soft_a.shape
    # Rows gathered sentence by sentence from the distinct words (no whole-article gather).
    wa, wb = a.word_table, b.word_table
    ids_a, ids_b = a.word_ids, b.word_ids
    lo_a = np.searchsorted(a.word_sentence, np.arange(na + 1))
    lo_b = np.searchsorted(b.word_sentence, np.arange(nb + 1))
    words_b = np.diff(lo_b)
    for i in np.flatnonzero(np.diff(lo_a)).tolist():
        js = np.flatnonzero(pairs[i] & (words_b > 0))
        if not js.size:
            continue
        counts = words_b[js]
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        take = np.repeat(lo_b[js] - starts, counts) + np.arange(int(counts.sum()))
        sim = (wa[ids_a[lo_a[i] : lo_a[i + 1]]] @ wb[ids_b[take]].T).astype(np.float64)
        np.multiply(sim, sim >= SOFT_WORD_FLOOR, out=sim)
        # Both shares are sums of per-word maxima over a count, as seen from either side.
        soft_a[i, js] = np.maximum.reduceat(sim, starts, axis=1).sum(axis=0) / len(sim)
        soft_b[i, js] = np.add.reduceat(sim.max(axis=0), starts) / counts
    return soft_a.round(6, out=soft_a), soft_b.round(6, out=soft_b)


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
        soft_a: Mean over the a-sentence's content words of their best word match in the
            b-sentence (cosine, 0 below ``SOFT_WORD_FLOOR``).
        soft_b: The same for the b-sentence's words.
    """

    semantic: FloatMatrix
    lexical: FloatMatrix
    contain_a: FloatMatrix
    contain_b: FloatMatrix
    len_a: FloatMatrix
    len_b: FloatMatrix
    probability: FloatMatrix
    soft_a: FloatMatrix
    soft_b: FloatMatrix

    def swapped(self) -> PairMatrices:
        """The same matrices seen from b (transposed, sides exchanged)."""
        return PairMatrices(
            self.semantic.T, self.lexical.T, self.contain_b.T, self.contain_a.T, self.len_b.T,
            self.len_a.T, self.probability.T, self.soft_b.T, self.soft_a.T,
        )  # fmt: skip


def _presence(
    prep: Prepared, ids: npt.NDArray[np.int64], width: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Unique (sentence, stem id) pairs of content words, given each content token's stem id."""
    keys = distinct(prep.word_sentence * width + ids)
    return keys // width, keys % width


def _bag(
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    values: FloatMatrix,
    shape: tuple[int, int],
) -> FloatMatrix | sparse.csr_matrix:
    """Sentence-by-stem matrix: dense while small (faster), sparse for long articles."""
    if shape[0] * shape[1] <= _DENSE_LIMIT:
        out = np.zeros(shape)
        out[rows, cols] = values
        return out
    return sparse.csr_matrix((values, (rows, cols)), shape=shape)


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
    ids = unique_inverse(np.concatenate([a.stem_keys, b.stem_keys]))[1].astype(np.int64, copy=False)
    size = int(ids.max()) + 1 if len(ids) else 1
    sa, va = _presence(a, ids[: len(a.stem_keys)], size)
    sb, vb = _presence(b, ids[len(a.stem_keys) :], size)
    df_a = np.bincount(va, minlength=size)
    df_b = np.bincount(vb, minlength=size)
    weight = 1.0 / (1.0 + np.log(np.maximum(np.maximum(df_a, df_b), 1)))
    xa = _bag(sa, va, weight[va], (na, size))
    xb = _bag(sb, vb, np.ones(len(vb)), (nb, size))
    if isinstance(xa, np.ndarray) and isinstance(xb, np.ndarray):
        inter: FloatMatrix = xa @ xb.T
    else:
        inter = np.asarray((sparse.csr_matrix(xa) @ sparse.csr_matrix(xb).T).todense())
    inter = inter.astype(np.float64).reshape(na, nb)
    wa = np.bincount(sa, weights=weight[va], minlength=na).astype(np.float64).reshape(na, 1)
    wb = np.bincount(sb, weights=weight[vb], minlength=nb).astype(np.float64).reshape(1, nb)
    # A sentence without content words has no weight and no overlap: its shares are 0.
    total = wa + wb
    lexical = np.divide(2.0 * inter, total, out=np.zeros((na, nb)), where=total > 0)
    contain_a = np.divide(inter, wa, out=np.zeros((na, nb)), where=wa > 0)
    contain_b = np.divide(inter, wb, out=np.zeros((na, nb)), where=wb > 0)
    semantic = (a.vectors @ b.vectors.T).astype(np.float64) if na and nb else np.zeros((na, nb))
    len_a = np.bincount(sa, minlength=na).astype(np.float64).reshape(na, 1)
    len_b = np.bincount(sb, minlength=nb).astype(np.float64).reshape(1, nb)
    for m in (semantic, lexical, contain_a, contain_b):
        m.round(6, out=m)
    prob = pair_probability(pair_features(semantic, lexical, contain_a, contain_b, len_a, len_b))
    if len(a.word_ids) * len(b.word_ids) > _SOFT_BUDGET:
        soft_a, soft_b = soft_matches_among(a, b, likeliest_pairs(prob, _SOFT_CANDIDATES))
    else:
        soft_a, soft_b = soft_matches(a, b)
    return PairMatrices(semantic, lexical, contain_a, contain_b, len_a, len_b, prob, soft_a, soft_b)


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
    out = np.empty((*shape, len(PAIR_FEATURES)))
    for k, name in enumerate(PAIR_FEATURES):
        out[..., k] = feats[name]
    return out


def pair_probability(features: FloatMatrix) -> FloatMatrix:
    """Calibrated probability that sentence pairs say the same thing (see calibration).

    Args:
        features: Output of :func:`pair_features` (features on the last axis).
    """
    z = features @ np.asarray(PAIR_COEF, dtype=np.float64) + PAIR_INTERCEPT
    return np.round(1.0 / (1.0 + np.exp(-z)), 6)
