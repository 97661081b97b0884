"""Static vectors of words, remembered across articles, and sentence vectors made of them.

Soft word matching (:mod:`retold.align.similarity`) needs the static vector of every content word
of every article, and the static sentence vector is the sum of its words' wordpiece vectors. Most
words of news copy recur from one article to the next, so each distinct word is embedded once
per process and the sum of its pieces kept in a table; an article then costs one dictionary
lookup per word and one gather. The table is bounded (:data:`WORD_MEMO_LIMIT` words) and starts
afresh when full. A word's row does not depend on which other words were embedded with it (see
:meth:`retold.fingerprint.static.StaticEmbedder.piece_sums`), so remembered rows equal freshly
computed ones bit for bit.

Example:
    >>> memo = WordVectors(get_embedder("static"))                # doctest: +SKIP
    >>> memo.lookup(["court", "judge", "court"]).shape           # doctest: +SKIP
    (3, 256)
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, cast

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from retold.fingerprint.static import StaticEmbedder

__all__ = [
    "WORD_MEMO_LIMIT",
    "WordVectors",
    "clear_word_vectors",
    "static_text_vectors",
    "static_word_vectors",
]

F32 = npt.NDArray[np.float32]

# Words remembered before the table starts afresh: 50,000 x 256 float32 is 51 MB, more than the
# distinct words of the whole METER corpus (about 21,000).
WORD_MEMO_LIMIT = 50_000


class WordVectors:
    """Static vectors of words, each word embedded once.

    Safe to share between threads (lookups hold a lock).

    Args:
        embedder: The static embedder (usually the process-wide one).
        limit: Most words kept; the table is emptied when a lookup would pass it.
    """

    def __init__(self, embedder: StaticEmbedder, limit: int = WORD_MEMO_LIMIT) -> None:
        self.embedder = embedder
        self.limit = limit
        self._rows: dict[str, int] = {}
        # Per word: the sum of its wordpiece vectors, and its norm (1 for a zero row).
        self._sums: F32 = np.zeros((0, embedder.dim), np.float32)
        self._norms: F32 = np.ones((0, 1), np.float32)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        """Forget every remembered word."""
        with self._lock:
            self._rows = {}
            self._sums = np.zeros((0, self.embedder.dim), np.float32)
            self._norms = np.ones((0, 1), np.float32)

    def lookup(self, words: Sequence[str]) -> F32:
        """Vectors of ``words``, one row per word (repeats included), in order.

        Args:
            words: The words.

        Returns:
            float32 array of shape ``(len(words), dim)``, rows equal to
            ``embedder.embed(words)``.
        """
        with self._lock:
            picks = self._picks(words)
            return self._sums[picks] / self._norms[picks]

    def text_vectors(
        self, words: Sequence[str], bounds: npt.NDArray[np.int64], keep: npt.NDArray[np.bool_]
    ) -> tuple[F32, F32]:
        """Sentence vectors of a tokenized text, and the vectors of some of its words.

        Args:
            words: The text's words, in order.
            bounds: ``bounds[k]:bounds[k + 1]`` are the words of sentence ``k``.
            keep: Per word, whether to return its own vector.

        Returns:
            The unit vector of each sentence, the normalised sum of its words' wordpiece
            vectors (a zero row for a sentence without words), and :meth:`lookup` of the
            words where ``keep`` is True.
        """
        ends = bounds.tolist()
        out = np.zeros((max(len(ends) - 1, 0), self.embedder.dim), np.float32)
        with self._lock:
            picks = self._picks(words)
            take = self._sums.take
            # One sum per sentence, word after word: 0.5 ms for a 4 KB METER article, against
            # 0.6 ms for a sparse product and 1.0 ms for np.add.reduceat on the gathered rows.
            for k, (lo, hi) in enumerate(pairwise(ends)):
                if lo < hi:
                    np.add.reduce(take(picks[lo:hi], axis=0), axis=0, out=out[k])
            kept = picks[keep]
            vectors = self._sums[kept] / self._norms[kept]
        # What np.linalg.norm(out, axis=1, keepdims=True) computes, without its checks.
        norms = np.sqrt(np.add.reduce(out * out, axis=1, keepdims=True))
        out /= np.where(norms > 0, norms, np.float32(1.0))
        return out, vectors

    def _picks(self, words: Sequence[str]) -> npt.NDArray[np.int64]:
        """Rows of ``words``, embedding the missing ones (the lock is held)."""
        rows = self._rows
        missing = sorted(set(words).difference(rows))
        if missing:
            if len(rows) + len(missing) > self.limit:
                rows = self._rows = {}
                missing = sorted(set(words))
            self._add(missing)
        return np.fromiter(map(rows.__getitem__, words), np.int64, len(words))

    def _add(self, missing: list[str]) -> None:
        sums = self.embedder.piece_sums(missing)
        # As StaticEmbedder.embed normalises, so lookup() equals it bit for bit.
        norms = np.sqrt(np.add.reduce(sums * sums, axis=1, keepdims=True))
        size = len(self._rows)
        need = size + len(missing)
        if need > len(self._sums):
            grow = max(need, 2 * len(self._sums), 1024)
            sums_grown = np.zeros((grow, sums.shape[1]), np.float32)
            sums_grown[:size] = self._sums[:size]
            norms_grown = np.ones((grow, 1), np.float32)
            norms_grown[:size] = self._norms[:size]
            self._sums, self._norms = sums_grown, norms_grown
        self._sums[size:need] = sums
        self._norms[size:need] = np.where(norms > 0, norms, np.float32(1.0))
        self._rows.update(zip(missing, range(size, need), strict=True))


_MEMO: dict[int, WordVectors] = {}
_MEMO_LOCK = threading.Lock()


def _memo() -> WordVectors:
    from retold.fingerprint.embed import get_embedder

    embedder = cast("StaticEmbedder", get_embedder("static"))
    memo = _MEMO.get(id(embedder))
    if memo is None or memo.embedder is not embedder:
        with _MEMO_LOCK:
            memo = _MEMO[id(embedder)] = WordVectors(embedder)
    return memo


def static_word_vectors(words: Sequence[str]) -> F32:
    """Vectors of ``words`` from the process-wide static embedder, remembered across calls.

    Args:
        words: The words.

    Returns:
        float32 array ``(len(words), 256)``, equal to ``get_embedder("static").embed(words)``.
    """
    return _memo().lookup(words)


def static_text_vectors(
    words: Sequence[str], bounds: npt.NDArray[np.int64], keep: npt.NDArray[np.bool_]
) -> tuple[F32, F32]:
    """:meth:`WordVectors.text_vectors` with the process-wide static embedder's memo.

    Args:
        words: A text's words, in order.
        bounds: ``bounds[k]:bounds[k + 1]`` are the words of sentence ``k``.
        keep: Per word, whether to return its own vector.

    Returns:
        Unit sentence vectors, and the unit vectors of the kept words.
    """
    return _memo().text_vectors(words, bounds, keep)


def clear_word_vectors() -> None:
    """Forget the words remembered by :func:`static_word_vectors` (for cold-start timings)."""
    for memo in list(_MEMO.values()):
        memo.clear()
