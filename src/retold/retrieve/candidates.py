"""Candidate pairs: the union of MinHash LSH hits (copies) and embedding neighbours (rewrites).

Only candidates reach the full alignment, so this stage decides what ``query`` and ``stories``
can ever find. The two sources cover each other's blind spots: word 5-gram MinHash finds
verbatim and lightly edited reuse whatever the topic, and document-vector neighbours find
rewrites that share few 5-grams (METER's newspaper rewrites of PA copy share a median Jaccard
of only 0.06 with their source).

:meth:`CandidateIndex.pairs` lists the candidate pairs of the whole archive: the LSH band join,
and every article's nearest vectors (exact below ``CandidateOptions.ann.exact_below`` rows, an
IVF above, :mod:`retold.retrieve.ivf`). Given the article ids as ``keys`` it works in id order,
so the pairs depend only on the set of articles, not on the order they were added.

Example:
    >>> import numpy as np
    >>> from retold.retrieve.minhash import Shingler
    >>> texts = ["the jury heard the case today in the crown court at leeds",
    ...          "the jury heard the case today in the crown court at york", "rain"]
    >>> sig = Shingler(n=2).signatures(texts)
    >>> vec = np.eye(3, dtype=np.float32)
    >>> index = CandidateIndex(sig.matrix, sig.shingles, vec)
    >>> [(p.a, p.b) for p in index.pairs()]
    [(0, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from retold.errors import ConfigError
from retold.retrieve.ivf import IvfOptions, self_neighbours
from retold.retrieve.minhash import DEFAULT_BANDS, band_keys, lsh_pairs

__all__ = ["Candidate", "CandidateIndex", "CandidateOptions", "CandidatePair", "PairTable"]

_PAIR_BLOCK = 65_536


@dataclass(frozen=True, slots=True, kw_only=True)
class CandidateOptions:
    """How candidates are drawn.

    Attributes:
        bands: LSH bands over the MinHash signature (rows per band = num_perm / bands).
        neighbours: Embedding neighbours per article for :meth:`CandidateIndex.pairs`.
        min_cosine: Embedding neighbours below this cosine are not candidates. Calibrated on
            METER courts with the static embedder (see ``benchmarks/archive_scale.py``).
        min_lexical: Lexical hits need at least this estimated containment (of the smaller
            shingle set in the larger).
        min_matches: ... and at least this many equal signature values: with 128 values,
            one or two agreements are what a few shared stock phrases ("the court heard that")
            produce between unrelated stories, and they make the containment estimate of a
            short text against a long one swing widely.
        nearest: :meth:`CandidateIndex.search` keeps this many nearest vectors of each query
            even below ``min_cosine`` (but not below ``nearest_floor``): the vector of a
            short article sits far from that of the long report it was cut from.
        nearest_floor: Cosine under which even the nearest vectors are not candidates.
        pair_nearest: :meth:`CandidateIndex.pairs` keeps this many nearest vectors of each
            article even below ``min_cosine`` (but not below ``nearest_floor``).
        ann: How :meth:`CandidateIndex.pairs` finds every article's nearest vectors (exact
            below :attr:`~retold.retrieve.ivf.IvfOptions.exact_below` rows, else an IVF).
    """

    bands: int = DEFAULT_BANDS
    neighbours: int = 5
    min_cosine: float = 0.8
    min_lexical: float = 0.1
    min_matches: int = 3
    # Calibrated on METER courts in the full archive (with Reuters-21578 and BBC): of 604
    # derived newspaper stories, 13 had no PA source among the query candidates at min_cosine
    # 0.8; for 11 of them a PA source is among the 10 nearest vectors, at cosines 0.69-0.80
    # (newspaper briefs of 20-70 words against PA reports of 100-600 words). Each kept
    # neighbour costs the query one more comparison (about 19 per METER query with these).
    nearest: int = 10
    nearest_floor: float = 0.6
    # Calibrated on the full archive (METER courts, Reuters-21578, BBC, the seeds): of the METER
    # articles clustered alone, away from their story, 99 had no candidate pair with it; for a
    # quarter of them a story member is the nearest vector, at cosine 0.6-0.8 (a brief against
    # the long report). Two nearest vectors add 4,003 raw pairs (to 188,962) and lift METER
    # story F1 from 0.898 to 0.910 with the default PruneOptions; three gave 0.912.
    pair_nearest: int = 2
    ann: IvfOptions = field(default_factory=IvfOptions)

    def __post_init__(self) -> None:
        if self.bands <= 0 or min(self.neighbours, self.nearest, self.pair_nearest) < 0:
            raise ConfigError("bands must be positive, neighbours and nearest not negative")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One archived article proposed for a query.

    Attributes:
        row: Row of the article in the index.
        lexical: Estimated containment of the smaller shingle set in the larger (MinHash).
        semantic: Cosine of the two document vectors.
        score: ``max(lexical, semantic)``, the retrieval rank key.
    """

    row: int
    lexical: float
    semantic: float
    score: float


@dataclass(frozen=True, slots=True)
class CandidatePair:
    """One unordered pair of archived rows (``a < b``) with its retrieval scores."""

    a: int
    b: int
    lexical: float
    semantic: float
    score: float


@dataclass(frozen=True, slots=True)
class PairTable:
    """Candidate pairs as parallel arrays (what :meth:`CandidateIndex.pairs` lists as objects).

    Attributes:
        a: ``int64`` lower row of each pair.
        b: ``int64`` higher row.
        lexical: Estimated containment (MinHash) of each pair.
        semantic: Cosine of the two document vectors.
        score: ``max(lexical, semantic)``.
    """

    a: npt.NDArray[np.int64]
    b: npt.NDArray[np.int64]
    lexical: npt.NDArray[np.float64]
    semantic: npt.NDArray[np.float64]
    score: npt.NDArray[np.float64]

    def __len__(self) -> int:
        """Number of pairs."""
        return int(self.a.size)

    def pairs(self) -> list[CandidatePair]:
        """The pairs as :class:`CandidatePair` objects, in table order."""
        return list(
            map(
                CandidatePair,
                self.a.tolist(),
                self.b.tolist(),
                self.lexical.tolist(),
                self.semantic.tolist(),
                self.score.tolist(),
            )
        )


def _containment(
    equal: npt.NDArray[np.float64], size_a: npt.NDArray[np.int64], size_b: npt.NDArray[np.int64]
) -> npt.NDArray[np.float64]:
    # |A ∩ B| = J (|A| + |B|) / (1 + J); divided by the smaller set it is the containment.
    inter = equal * (size_a + size_b) / (1.0 + equal)
    small = np.maximum(np.minimum(size_a, size_b), 1)
    return np.clip(inter / small, 0.0, 1.0)


class CandidateIndex:
    """Signatures and vectors of the archive, searchable both ways.

    Args:
        signatures: ``uint32`` MinHash matrix, one row per archived article.
        shingles: Shingle-set size of each row (0 rows never match lexically).
        vectors: ``float32`` unit document vectors, rows aligned with ``signatures``.
        options: Candidate options.
        keys: A distinct sortable key per row (the article ids). :meth:`pairs` works in the
            order of the keys, so its pairs depend only on the set of articles, not on the
            order they were added; without keys, row order is that order.
    """

    def __init__(
        self,
        signatures: npt.NDArray[np.uint32],
        shingles: npt.NDArray[np.int64],
        vectors: npt.NDArray[np.float32],
        options: CandidateOptions | None = None,
        *,
        keys: Sequence[str] | None = None,
    ) -> None:
        """Build the band keys; nothing else is precomputed."""
        if signatures.shape[0] != vectors.shape[0] or shingles.shape[0] != signatures.shape[0]:
            raise ValueError("signatures, shingles and vectors must have one row per article")
        if keys is not None and len(keys) != signatures.shape[0]:
            raise ValueError("keys must have one entry per article")
        self.options = options or CandidateOptions()
        self.signatures = signatures
        self.shingles = shingles
        self.vectors = vectors
        self.keys = keys
        self._keys = band_keys(signatures, self.options.bands)

    def __len__(self) -> int:
        """Number of archived rows."""
        return int(self.signatures.shape[0])

    def _scores(
        self,
        sig_a: npt.NDArray[np.uint32],
        size_a: npt.NDArray[np.int64],
        vec_a: npt.NDArray[np.float32],
        rows_b: npt.NDArray[np.int64],
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        equal = np.count_nonzero(sig_a == self.signatures[rows_b], axis=1)
        lexical = _containment(equal / sig_a.shape[-1], size_a, self.shingles[rows_b])
        lexical[(equal < self.options.min_matches) | (self.shingles[rows_b] == 0)] = 0.0
        semantic = (vec_a * self.vectors[rows_b]).sum(axis=1, dtype=np.float64)
        return lexical, semantic

    def search(
        self,
        signatures: npt.NDArray[np.uint32],
        shingles: npt.NDArray[np.int64],
        vectors: npt.NDArray[np.float32],
        *,
        k: int,
        exclude: Sequence[int | None] | None = None,
    ) -> list[list[Candidate]]:
        """Candidates for a batch of query articles, each list best first.

        Args:
            signatures: ``(q, num_perm)`` MinHash signatures of the queries.
            shingles: Their shingle-set sizes.
            vectors: ``(q, dim)`` document vectors.
            k: Neighbours taken from each side: the ``k`` highest estimated containments
                (every signature is scanned) and the ``k`` nearest vectors.
            exclude: Per query, a row never to return (the query itself when archived).

        Returns:
            Per query: lexical hits above ``min_lexical``, nearest vectors above
            ``min_cosine``, and the ``nearest`` closest vectors above ``nearest_floor``,
            deduplicated, ranked by score then row.
        """
        opts = self.options
        n, q = len(self), signatures.shape[0]
        if n == 0 or q == 0:
            return [[] for _ in range(q)]
        skip = list(exclude) if exclude is not None else [None] * q
        semantic_all = (vectors @ self.vectors.T).astype(np.float64)
        out: list[list[Candidate]] = []
        for i in range(q):
            # A scan of every signature (25k x 128 comparisons, a few ms) keeps contained
            # short texts that LSH bands miss: an 80-word brief inside a long report has
            # Jaccard ~0.1 but containment ~1.
            equal = np.count_nonzero(self.signatures == signatures[i], axis=1)
            lexical = _containment(equal / signatures.shape[1], shingles[i], self.shingles)
            lexical[(equal < opts.min_matches) | (self.shingles == 0)] = 0.0
            if shingles[i] == 0:
                lexical[:] = 0.0
            semantic = semantic_all[i].copy()
            if skip[i] is not None:
                lexical[skip[i]] = semantic[skip[i]] = -np.inf
            kk = min(k, n)
            lex_rows = np.argpartition(-lexical, kk - 1)[:kk]
            # The k nearest vectors above min_cosine, and the `nearest` ones above the floor.
            ks = min(max(k, opts.nearest), n)
            sem_rows = np.argpartition(-semantic, ks - 1)[:ks]
            sem_rows = sem_rows[np.lexsort((sem_rows, -semantic[sem_rows]))]
            near = sem_rows[: opts.nearest]
            top = sem_rows[:kk]
            picked = np.union1d(
                np.union1d(
                    lex_rows[lexical[lex_rows] >= opts.min_lexical],
                    top[semantic[top] >= opts.min_cosine],
                ),
                near[semantic[near] >= opts.nearest_floor],
            )
            found = [
                Candidate(
                    int(r),
                    float(lexical[r]),
                    float(semantic[r]),
                    float(max(lexical[r], semantic[r])),
                )
                for r in picked
            ]
            found.sort(key=lambda c: (-c.score, c.row))
            out.append(found)
        return out

    def pairs(self) -> list[CandidatePair]:
        """Every candidate pair among the archived rows, each once, ordered by ``(a, b)``.

        The same pairs as :meth:`pair_table`, as objects (building them costs about 5 us a
        pair; callers that can take arrays should use the table).
        """
        return self.pair_table().pairs()

    def pair_table(self) -> PairTable:
        """Every candidate pair among the archived rows, each once, ordered by ``(a, b)``.

        A pair is a candidate when its two rows share an LSH band key and their estimated
        containment reaches ``min_lexical``, or when one row is among the ``neighbours``
        nearest vectors of the other at ``min_cosine`` or more, or among its ``pair_nearest``
        nearest at ``nearest_floor`` or more. Nearest vectors are exact on archives of fewer
        than ``ann.exact_below`` rows and approximate (an IVF, see :mod:`retold.retrieve.ivf`)
        on larger ones; either way they depend only on the set of rows when ``keys`` are given.
        """
        opts = self.options
        n = len(self)
        lex = lsh_pairs(self._keys, self.shingles > 0)
        close, near = self._vector_pairs()
        keys = _sorted_unique(np.concatenate((lex[:, 0] * n + lex[:, 1], close, near)))
        a, b = np.divmod(keys, n)
        lexical = np.empty(keys.size, dtype=np.float64)
        semantic = np.empty(keys.size, dtype=np.float64)
        for start in range(0, keys.size, _PAIR_BLOCK):
            part = slice(start, start + _PAIR_BLOCK)
            lexical[part], semantic[part] = self._scores(
                self.signatures[a[part]], self.shingles[a[part]], self.vectors[a[part]], b[part]
            )
        # Nearest-vector pairs stay whatever their scores.
        keep = (lexical >= opts.min_lexical) | (semantic >= opts.min_cosine) | _member(keys, near)
        return PairTable(
            a[keep], b[keep], lexical[keep], semantic[keep], np.maximum(lexical, semantic)[keep]
        )

    def _canonical(self) -> npt.NDArray[np.int64]:
        # Row numbers in key order (stable, so equal keys keep row order).
        if self.keys is None:
            return np.arange(len(self), dtype=np.int64)
        return np.argsort(np.asarray(self.keys, dtype=object), kind="stable").astype(np.int64)

    def _vector_pairs(self) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
        # Sorted unique pair keys a * n + b: pairs from the `neighbours` nearest vectors at
        # min_cosine or more, and the other pairs from the `pair_nearest` nearest at the floor.
        opts = self.options
        n = len(self)
        k = max(opts.neighbours, opts.pair_nearest)
        if k == 0 or n < 2:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        floor = opts.min_cosine
        if opts.pair_nearest > 0:
            floor = min(floor, opts.nearest_floor)
        order = self._canonical()
        found = self_neighbours(self.vectors[order], k, floor=floor, options=opts.ann)
        kk = found.indices.shape[1]
        got = found.indices.reshape(-1)
        score = found.scores.reshape(-1)
        col = np.tile(np.arange(kk), n)
        ok = got >= 0
        close = ok & (col < opts.neighbours) & (score >= opts.min_cosine)
        nearest = ok & (col < opts.pair_nearest) & (score >= opts.nearest_floor) & ~close
        q = np.repeat(order, kk)
        nb = order[np.where(ok, got, 0)]
        lo, hi = np.minimum(q, nb), np.maximum(q, nb)
        return _sorted_unique(lo[close] * n + hi[close]), _sorted_unique(
            lo[nearest] * n + hi[nearest]
        )


def _sorted_unique(keys: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    # np.sort (SIMD) and a mask: several times faster than np.unique on int64 keys.
    keys = np.sort(keys)
    first = np.ones(keys.size, dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return keys[first]


def _member(
    keys: npt.NDArray[np.int64], sorted_set: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    if sorted_set.size == 0:
        return np.zeros(keys.size, dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, keys), sorted_set.size - 1)
    return np.asarray(sorted_set[at] == keys)
