"""Static token vectors distilled from the packaged MiniLM, and the embedder that uses them.

Recipe (version :data:`RECIPE`), model2vec-style, run once and cached:

1. Every vocabulary id ``t`` goes through the MiniLM encoder alone, as ``[CLS] t [SEP]``, and the
   three output vectors are mean-pooled (the pooling the sentence model itself uses, so a
   one-word sentence gets about the direction MiniLM gives it).
2. PCA: centred on the mean of the real tokens (ids from 999 on: no ``[PAD]``/``[unusedN]``/
   special tokens), rotated with a NumPy SVD whose component signs are fixed (largest loading
   positive), cut to :data:`DIMS` dimensions. The other rows are zero: they never occur in text.
3. SIF weight from a Zipf law on the vocabulary rank: BERT's uncased vocabulary lists single
   characters (ids 999-1995) and then words roughly by corpus frequency, so ``r = id - 998`` is
   taken as a frequency rank, ``p(r) = 1 / (r * H)`` with ``H = ln V + 0.5772`` the harmonic
   normaliser, and each vector is scaled by ``a / (a + p(r))``. Frequent pieces (punctuation,
   "the", "of") fade; content words keep full weight.

A sentence vector is the sum (equivalently the mean) of its wordpieces' vectors, without special
tokens, L2-normalised.

Choices measured on MSRP train (4,076 pairs; cosine of paraphrase pairs, of non-paraphrase pairs,
of random pairs; accuracy of one cosine threshold, 2-fold cross-validated):

======================  =====  =====  ======  =====  =====
variant                 para   non    random  gap    acc
======================  =====  =====  ======  =====  =====
256 d, no weight        0.906  0.853  0.552   0.053  0.708
256 d, log(1 + r)       0.884  0.809  0.397   0.075  0.720
256 d, SIF a=1e-3       0.881  0.803  0.394   0.078  0.722
256 d, SIF a=1e-4       0.868  0.780  0.291   0.087  0.722
256 d, SIF a=1e-5       0.836  0.731  0.137   0.105  0.698
64 d, SIF a=1e-4        0.899  0.829  0.360   0.071  0.709
128 d, SIF a=1e-4       0.883  0.806  0.318   0.078  0.718
384 d, SIF a=1e-4       0.865  0.776  0.292   0.088  0.726
======================  =====  =====  ======  =====  =====

(L2-normalising the token outputs before PCA changed nothing beyond ±0.005; taking the token's own
output instead of the mean of three gained 0.008 gap at equal accuracy but loses the agreement with
MiniLM's pooling.) A finer sweep of the SIF constant at 256 d (gap / acc): 1e-4 0.087 / 0.722,
5e-5 0.092 / 0.707, 3e-5 0.096 / 0.702, 1e-5 0.105 / 0.698. Chosen: 256 d (about what 384 give, at
two thirds of the cost) and SIF a = 1e-4, the best threshold accuracy; smaller constants widen the
mean gap only by pushing every cosine down, and cost accuracy.

Example:
    >>> embedder = StaticEmbedder()                               # doctest: +SKIP
    >>> embedder.embed(["Rates rose.", ""]).shape                 # doctest: +SKIP
    (2, 256)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from retold.errors import ModelError
from retold.fingerprint.cache import cache_dir, file_sha256, load_array, save_array_atomic
from retold.fingerprint.minilm import MiniLM, load_tokenizer, model_dir
from retold.fingerprint.wordpiece import WordPieceIds

__all__ = ["DIMS", "RECIPE", "StaticEmbedder", "build_static", "derive_table", "static_path"]

F32 = npt.NDArray[np.float32]

RECIPE = 1  # bump whenever the derivation below changes: old cache files are then ignored
DIMS = 256
FIRST_REAL_ID = 999  # BERT uncased: 0 [PAD], 1-998 [unusedN] and [UNK]/[CLS]/[SEP]/[MASK]
# Texts of at most this many pieces are summed together, one step per piece position (see
# ``StaticEmbedder.embed``), when there are at least ``_BATCH`` of them; the others one at a
# time. Set on the words and the sentences of the METER 4 KB articles.
_SHORT = 8
_BATCH = 16
SIF_A = 1e-4  # calibrated on MSRP train, see the module docstring
_EULER = 0.5772156649
_FORWARD_ROWS = 2048  # ``[CLS] t [SEP]`` triples per encoder call while distilling


def static_path(folder: Path | None = None) -> Path:
    """Where the static table for the installed weights lives.

    Args:
        folder: The model folder; default :func:`~retold.fingerprint.minilm.model_dir`.

    Returns:
        ``<cache_dir>/static-<sha256 of model.safetensors, 16 hex>-r<RECIPE>-d<DIMS>.npy``.
    """
    folder = folder if folder is not None else model_dir()
    digest = file_sha256(folder / "model.safetensors")[:16]
    return cache_dir() / f"static-{digest}-r{RECIPE}-d{DIMS}.npy"


def derive_table(model: MiniLM, token_ids: npt.NDArray[np.int64], dims: int = DIMS) -> F32:
    """Run the distillation recipe on the given vocabulary ids.

    Deterministic: the same weights, ids and BLAS give bit-identical tables.

    Args:
        model: The loaded encoder.
        token_ids: Ascending vocabulary ids to distil (the whole vocabulary for the real table;
            tests use a slice).
        dims: PCA dimensions kept.

    Returns:
        ``(model.vocab_size, dims)`` float32 table; rows of ids not given, or below
        :data:`FIRST_REAL_ID`, are zero.

    Raises:
        ModelError: Fewer real ids than ``dims``, or a tokenizer without ``[CLS]``/``[SEP]``.
    """
    real = token_ids[token_ids >= FIRST_REAL_ID]
    if real.size < dims:
        raise ModelError(f"cannot keep {dims} PCA dimensions from {real.size} tokens")
    cls_id = model.tokenizer.token_to_id("[CLS]")
    sep_id = model.tokenizer.token_to_id("[SEP]")
    if cls_id is None or sep_id is None:
        raise ModelError(f"no [CLS]/[SEP] in the tokenizer of {model.folder}")
    raw = np.empty((real.size, model.dim), dtype=np.float32)
    triples = np.empty((real.size, 3), dtype=np.int64)
    triples[:, 0] = cls_id
    triples[:, 1] = real
    triples[:, 2] = sep_id
    mask = np.ones((min(_FORWARD_ROWS, real.size), 3), dtype=bool)
    for start in range(0, real.size, _FORWARD_ROWS):
        chunk = triples[start : start + _FORWARD_ROWS]
        raw[start : start + len(chunk)] = model.forward(chunk, mask[: len(chunk)]).mean(axis=1)

    centred = raw.astype(np.float64)
    centred -= centred.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    components = components[:dims]
    pivots = np.abs(components).argmax(axis=1)
    components *= np.sign(components[np.arange(dims), pivots])[:, None]
    projected = centred @ components.T

    rank = (real - (FIRST_REAL_ID - 1)).astype(np.float64)
    harmonic = np.log(model.vocab_size) + _EULER
    probability = 1.0 / (rank * harmonic)
    projected *= (SIF_A / (SIF_A + probability))[:, None]

    table = np.zeros((model.vocab_size, dims), dtype=np.float32)
    table[real] = projected
    return table


def build_static(force: bool = False) -> Path:
    """Build the static table for the installed weights if it is not cached (or if ``force``).

    Takes about a minute on two cores; the setup script calls it so that first use is fast.
    A cached file that is truncated or malformed is rebuilt.

    Args:
        force: Rebuild even when a valid cache file exists.

    Returns:
        The path of the cache file.

    Raises:
        MissingExtra: The weights package is not installed.
        ModelError: The weights are unreadable.
    """
    folder = model_dir()
    path = static_path(folder)
    if force or _load_valid(path, folder) is None:
        _build(path, folder)
    return path


def _load_valid(path: Path, folder: Path) -> F32 | None:
    from safetensors import safe_open

    with safe_open(str(folder / "model.safetensors"), framework="np") as handle:
        vocab = int(handle.get_slice("embeddings.word_embeddings.weight").get_shape()[0])
    return load_array(path, (vocab, DIMS))


def _build(path: Path, folder: Path) -> F32:
    model = MiniLM(folder)
    table = derive_table(model, np.arange(model.vocab_size, dtype=np.int64))
    save_array_atomic(path, table)
    return table


class StaticEmbedder:
    """Sentence vectors as the normalised sum of distilled wordpiece vectors.

    Roughly 100 times faster than :class:`~retold.fingerprint.minilm.MiniLM` and weaker: it
    sees which words occur, not their order.

    Args:
        folder: The model folder; default :func:`~retold.fingerprint.minilm.model_dir`.

    Raises:
        MissingExtra: The weights package is not installed.
        ModelError: The weights are unreadable.
    """

    name = "static"
    dim = DIMS

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder if folder is not None else model_dir()
        path = static_path(self.folder)
        table = _load_valid(path, self.folder)
        self.table: F32 = table if table is not None else _build(path, self.folder)
        self.tokenizer = load_tokenizer(self.folder, max_length=None)
        self.wordpiece = WordPieceIds(self.tokenizer)

    def embed(self, texts: Sequence[str]) -> F32:
        """Embed sentences.

        Args:
            texts: The sentences.

        Returns:
            float32 array of shape ``(len(texts), 256)``; unit rows, and a zero row for a text
            with no wordpieces (empty or whitespace only).
        """
        count = len(texts)
        out = np.zeros((count, self.dim), dtype=np.float32)
        if not count:
            return out
        encoded = self.wordpiece.encode_flat(texts)
        ids, lengths = encoded.ids, encoded.lengths
        if not len(ids):
            return out
        ends = np.cumsum(lengths)
        starts = ends - lengths
        # Each row is summed piece after piece, in text order, so the float32 result is the same
        # whichever way it is computed. Short texts (words, short phrases) go all at once, one
        # step per piece position; longer ones (sentences) one vectorised sum each. For 70
        # sentences (1,665 pieces) the per-row sums took 1.0 ms against 3.0 ms for
        # np.add.reduceat(axis=0) and 1.1 ms for a padded (sentences, longest, 256) gather; for
        # the 300 distinct words of a 4 KB article, 0.5 ms against 1.3 ms per row.
        # Rows are gathered from the table as they are summed: one (pieces, 256) gather of a
        # whole article would be about 1 MB passing through the cache for nothing.
        table = self.table
        short = np.flatnonzero((lengths > 0) & (lengths <= _SHORT))
        if short.size >= _BATCH:
            out[short] = table[ids[starts[short]]]
            for step in range(1, int(lengths[short].max())):
                short = short[lengths[short] > step]
                out[short] += table[ids[starts[short] + step]]
            rows = np.flatnonzero(lengths > _SHORT).tolist()
        else:
            rows = np.flatnonzero(lengths).tolist()
        take = table.take
        for row, start, end in zip(rows, starts[rows].tolist(), ends[rows].tolist(), strict=True):
            np.add.reduce(take(ids[start:end], axis=0), axis=0, out=out[row])
        # What np.linalg.norm(out, axis=1, keepdims=True) computes, without its checks.
        norms = np.sqrt(np.add.reduce(out * out, axis=1, keepdims=True))
        # A text made only of pieces with zero vectors ([UNK], specials) keeps a zero row.
        out /= np.where(norms > 0, norms, np.float32(1.0))
        return out
