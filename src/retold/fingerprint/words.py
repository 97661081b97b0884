"""Static vectors of single words, remembered across articles.

Soft word matching (:mod:`retold.align.similarity`) needs the static vector of every content word
of every article. Most words of news copy recur from one article to the next, so each distinct
word is embedded once per process and its row kept in a table; an article then costs one
dictionary lookup per word and one gather. The table is bounded (:data:`WORD_MEMO_LIMIT`
words) and starts afresh when full. A word's vector does not depend on which other words were
embedded with it (see :meth:`retold.fingerprint.static.StaticEmbedder.embed`), so remembered
rows equal freshly computed ones bit for bit.

Example:
    >>> from retold.fingerprint import get_embedder
    >>> memo = WordVectors(get_embedder("static"))                # doctest: +SKIP
    >>> memo.lookup(["court", "judge", "court"]).shape           # doctest: +SKIP
    (3, 256)
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from retold.text.shingles import unique_inverse

if TYPE_CHECKING:
    from retold.fingerprint.embed import Embedder

__all__ = [
    "WORD_MEMO_LIMIT",
    "WordVectors",
    "clear_word_vectors",
    "static_word_table",
    "static_word_vectors",
]

F32 = npt.NDArray[np.float32]

# Words remembered before the table starts afresh: 50,000 x 256 float32 is 51 MB, more than the
# distinct words of the whole METER corpus (about 21,000).
WORD_MEMO_LIMIT = 50_000


class WordVectors:
    """Unit vectors of words from one embedder, each word embedded once.

    Safe to share between threads (lookups hold a lock).

    Args:
        embedder: The embedder (usually the process-wide static one).
        limit: Most words kept; the table is emptied when a lookup would pass it.
    """

    def __init__(self, embedder: Embedder, limit: int = WORD_MEMO_LIMIT) -> None:
        self.embedder = embedder
        self.limit = limit
        self._rows: dict[str, int] = {}
        self._table: F32 = np.zeros((0, embedder.dim), np.float32)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._rows)

    def clear(self) -> None:
        """Forget every remembered word."""
        with self._lock:
            self._rows = {}
            self._table = np.zeros((0, self.embedder.dim), np.float32)

    def lookup(self, words: Sequence[str]) -> F32:
        """Vectors of ``words``, one row per word (repeats included), in order.

        Args:
            words: The words.

        Returns:
            float32 array of shape ``(len(words), dim)``, rows equal to
            ``embedder.embed(words)``.
        """
        with self._lock:
            picks = self._picks(words)  # may grow the table: read it after
            return self._table[picks]

    def lookup_distinct(self, words: Sequence[str]) -> tuple[F32, npt.NDArray[np.intp]]:
        """Vectors of the distinct ``words`` and the row of each word among them.

        Args:
            words: The words.

        Returns:
            ``(table, ids)``: float32 ``(n_distinct, dim)`` rows (in no particular order) and
            an index per word, so that ``table[ids]`` equals :meth:`lookup` of ``words``.
        """
        with self._lock:
            picks = self._picks(words)  # may grow the table: read it after
            rows, ids = unique_inverse(picks)
            return self._table[rows], ids

    def _picks(self, words: Sequence[str]) -> npt.NDArray[np.int64]:
        """Rows of ``words`` in the table, embedding the missing ones (lock held)."""
        rows = self._rows
        try:
            return np.fromiter(map(rows.__getitem__, words), np.int64, len(words))
        except KeyError:
            pass  # some words are new (the usual case needs no set of the words)
        missing = sorted(set(words).difference(rows))
        if missing:
            if len(rows) + len(missing) > self.limit:
                rows = self._rows = {}
                missing = sorted(set(words))
            self._add(missing)
        return np.fromiter(map(rows.__getitem__, words), np.int64, len(words))

    def _add(self, missing: list[str]) -> None:
        vectors = self.embedder.embed(missing)
        size = len(self._rows)
        need = size + len(missing)
        if need > len(self._table):
            grown = np.zeros((max(need, 2 * len(self._table), 1024), vectors.shape[1]), np.float32)
            grown[:size] = self._table[:size]
            self._table = grown
        self._table[size:need] = vectors
        self._rows.update(zip(missing, range(size, need), strict=True))


_MEMO: dict[int, WordVectors] = {}
_MEMO_LOCK = threading.Lock()


def _static_memo() -> WordVectors:
    """The memo of the process-wide static embedder."""
    from retold.fingerprint.embed import get_embedder

    embedder = get_embedder("static")
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
    return _static_memo().lookup(words)


def static_word_table(words: Sequence[str]) -> tuple[F32, npt.NDArray[np.intp]]:
    """:func:`static_word_vectors` as distinct rows and a row index per word.

    Args:
        words: The words.

    Returns:
        ``(table, ids)`` with ``table[ids]`` equal to ``static_word_vectors(words)`` (see
        :meth:`WordVectors.lookup_distinct`).
    """
    return _static_memo().lookup_distinct(words)


def clear_word_vectors() -> None:
    """Forget the words remembered by :func:`static_word_vectors` (for cold-start timings)."""
    for memo in list(_MEMO.values()):
        memo.clear()
