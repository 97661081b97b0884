"""Nearest neighbours of every row among all rows: exact, or approximate by an inverted file.

Exact all-against-all search costs ``n² d``: on the 23k-article archive (256-dimension static
vectors) faiss ``IndexFlatIP`` spent 6 s of the 10 s candidate stage in it, and the cost per
article doubles when the archive doubles. Here the rows are cut into cells by spherical k-means
(about :attr:`IvfOptions.cell_size` rows each), every row probes its :attr:`IvfOptions.probes`
nearest cells, and only rows of probed cells are scored. With a fixed cell size a row scores
about ``probes * cell_size`` others whatever the archive size, so the cost per article stays
flat; only training and probing grow with ``n / cell_size`` (a small ``n² / cell_size`` term).

Scoring goes in two passes. Each cell is scored against itself first: a row's k-th best score
among its cell-mates is a lower bound on its k-th best overall, so the later passes keep only
scores at or above that bound (about 20 a row) with a comparison instead of a per-row
selection. Two cells whose rows probe each other are scored as one product serving both
directions. Below :attr:`IvfOptions.exact_below` rows every pair of cells is scored the same
way, which is exact (and on 23k rows faster than ``IndexFlatIP``, thanks to the symmetric
products and the bounds).

Everything is deterministic and depends only on the rows in the order given: the k-means sample
and starting centroids come from a seeded generator over row numbers, Lloyd runs a fixed number
of iterations, and an empty cell keeps its centroid. Callers that want a result independent of
the order rows were added pass the rows in a canonical order (see
:meth:`retold.retrieve.candidates.CandidateIndex.pairs`). Ties are broken by lower row number,
in both paths. The work is one matrix product per block of a cell, never a loop per row.

Example:
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> x = rng.standard_normal((400, 8)).astype(np.float32)
    >>> x /= np.linalg.norm(x, axis=1, keepdims=True)
    >>> opts = IvfOptions(exact_below=0, cell_size=50, probes=8)
    >>> got = self_neighbours(x, 3, floor=-1.0, options=opts)
    >>> got.indices.shape
    (400, 3)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from retold.errors import ConfigError
from retold.retrieve.ann import Neighbours

__all__ = ["IvfOptions", "self_neighbours"]

# Scores per block of one cell's queries: 2M float32 = 8 MB.
_BLOCK_CELLS = 2_000_000
# Rows per block when every row is scored against every centroid.
_PROBE_BLOCK = 4096
_LOW32 = np.uint64(0xFFFFFFFF)
_SHIFT32 = np.uint64(32)


@dataclass(frozen=True, slots=True, kw_only=True)
class IvfOptions:
    """How the all-pairs nearest-vector search is approximated.

    Attributes:
        exact_below: Archives with fewer rows are searched exactly.
        cell_size: Mean rows per k-means cell (``n / cell_size`` cells).
        probes: Cells each row searches, nearest centroid first (its own cell included).
        train_per_cell: K-means sample rows per cell ...
        max_train: ... but never more than this many rows in the sample.
        iterations: Lloyd iterations over the sample.
        seed: Seed of the sample and the starting centroids.
    """

    # Measured on the full archive (METER courts, Reuters-21578, BBC, seeds: 23,073 rows of
    # 256-dimension static vectors, one core): the exact path took 0.9 s at 12k rows and 4.4 s
    # at 23k; the IVF below 1.5-1.9 s at 23k. The exact cost per row grows with n and crosses
    # the IVF's flat cost near 12k rows, so smaller archives stay exact.
    exact_below: int = 12_000
    # Fitted on the same archive against the exact search, as the share of exact
    # CandidateIndex.pairs() output reproduced: pairs from neighbours at cosine >= 0.8 /
    # pairs kept only as one of the 2 nearest (cosine >= 0.6), and CPU seconds of pair_table:
    #   256 rows, 12 probes: 99.51 % / 96.82 %, 2.8 s    384 rows, 12 probes: 99.82 % / 98.64 %
    #   256 rows, 16 probes: 99.82 % / 98.57 %, 3.0 s    192 rows, 20 probes: 99.87 % / 99.05 %
    #   256 rows, 20 probes: 99.94 % / 99.27 %, 3.3 s    128 rows, 28 probes: 99.89 % / 98.86 %
    # (exact: 5.7 s; all pairs 99.89 % at 16 probes). Targets were 99.5 % and 98 %.
    cell_size: int = 256
    probes: int = 16
    # 40 rows a cell and 8 Lloyd iterations: k-means training took 0.15 s of the 1.5 s at 23k;
    # the cells only steer the search, so a rough fit costs recall only through the probes.
    train_per_cell: int = 40
    max_train: int = 40_000
    iterations: int = 8
    seed: int = 0x1BF

    def __post_init__(self) -> None:
        if self.exact_below < 0 or min(self.cell_size, self.probes, self.train_per_cell) < 1:
            raise ConfigError("exact_below must not be negative; cell_size, probes positive")
        if self.iterations < 0 or self.max_train < 1:
            raise ConfigError("iterations must not be negative and max_train positive")


def _normalise(x: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    out: npt.NDArray[np.float32] = (x / np.maximum(norms, 1e-12)).astype(np.float32)
    return out


def train_cells(
    x: npt.NDArray[np.float32], cells: int, options: IvfOptions
) -> npt.NDArray[np.float32]:
    """Unit centroids of ``cells`` spherical k-means cells over a sample of the rows.

    Args:
        x: ``(n, d)`` unit row vectors, ``n >= cells``.
        cells: Number of cells.
        options: Sample size, iterations and seed.

    Returns:
        ``(cells, d)`` float32 centroids.
    """
    n = x.shape[0]
    rng = np.random.default_rng(options.seed)
    size = min(n, max(cells, min(options.max_train, options.train_per_cell * cells)))
    sample = x[np.sort(rng.choice(n, size, replace=False))]
    centroids: npt.NDArray[np.float32] = sample[np.sort(rng.choice(size, cells, replace=False))]
    for _ in range(options.iterations):
        home = _nearest_cell(sample, centroids)
        order = np.argsort(home, kind="stable")
        used, starts = np.unique(home[order], return_index=True)
        sums = np.add.reduceat(sample[order], starts, axis=0)
        centroids[used] = _normalise(sums)
    return centroids


def _nearest_cell(
    x: npt.NDArray[np.float32], centroids: npt.NDArray[np.float32]
) -> npt.NDArray[np.int64]:
    out = np.empty(x.shape[0], dtype=np.int64)
    ct = np.ascontiguousarray(centroids.T)
    for start in range(0, x.shape[0], _PROBE_BLOCK):
        out[start : start + _PROBE_BLOCK] = np.argmax(x[start : start + _PROBE_BLOCK] @ ct, axis=1)
    return out


def probe_cells(
    x: npt.NDArray[np.float32], centroids: npt.NDArray[np.float32], probes: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The ``probes`` nearest cells of every row, and its own (nearest) cell.

    Returns:
        ``(n, probes)`` cell numbers (in no particular order) and the ``(n,)`` home cells.
    """
    n, cells = x.shape[0], centroids.shape[0]
    p = min(probes, cells)
    out = np.empty((n, p), dtype=np.int64)
    home = np.empty(n, dtype=np.int64)
    ct = np.ascontiguousarray(centroids.T)
    for start in range(0, n, _PROBE_BLOCK):
        sims = x[start : start + _PROBE_BLOCK] @ ct
        part = (
            np.argpartition(-sims, p - 1, axis=1)[:, :p] if p < cells else np.argsort(-sims, axis=1)
        )
        out[start : start + sims.shape[0]] = part
        # The home cell is the best probed cell (lowest number among equal scores).
        best = np.take_along_axis(sims, part, axis=1)
        top = np.lexsort((part, -best), axis=1)[:, 0]
        home[start : start + sims.shape[0]] = part[np.arange(sims.shape[0]), top]
    return out, home


def _groups(
    keys: npt.NDArray[np.int64], count: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    # Positions sorted by key (stable: row order within a key) and each key's start.
    order = np.argsort(keys, kind="stable")
    starts = np.searchsorted(keys[order], np.arange(count + 1))
    return order, starts


def self_neighbours(
    x: npt.NDArray[np.float32],
    k: int,
    *,
    floor: float,
    options: IvfOptions | None = None,
) -> Neighbours:
    """The ``k`` nearest other rows of every row, by inner product, at or above ``floor``.

    Below :attr:`IvfOptions.exact_below` rows every cell is scored against every cell, so the
    search is exact; above it each row scores only the cells it probes, and a neighbour in an
    unprobed cell is missed.

    Args:
        x: ``(n, d)`` unit row vectors (in the order that fixes the result).
        k: Neighbours per row.
        floor: Neighbours scoring below this are never returned.
        options: Cell size, probes, threshold.

    Returns:
        ``(n, k)`` neighbours, best first (ties: lower row first); ``-1`` with score ``-inf``
        pad rows with fewer than ``k`` neighbours at or above ``floor``.
    """
    opts = options or IvfOptions()
    n, k = x.shape[0], max(k, 0)
    x = np.ascontiguousarray(x, dtype=np.float32)
    cells = max(1, n // opts.cell_size)
    if n < 2 or k == 0:
        return _best(n, k, np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32))
    centroids = train_cells(x, cells, opts) if cells > 1 else x[:1]
    if n < opts.exact_below or cells == 1:
        # Every pair of cells whole: exact, and the cells still give tight early bounds.
        home = _nearest_cell(x, centroids)
        first, second = np.triu_indices(cells, 1)
        whole = np.stack((first, second), axis=1).astype(np.int64)
        plan = _Plan(whole, np.zeros(0, np.int64), np.zeros(0, np.int64))
    else:
        probes, home = probe_cells(x, centroids, opts.probes)
        plan = _plan(probes, home, cells)
    return _best(n, k, *_scan(x, home, cells, k, floor, plan))


@dataclass(frozen=True, slots=True)
class _Plan:
    # Cell pairs (a < b) scored whole in both directions, and the other (row, probed cell)
    # entries, scored row by row.
    whole: npt.NDArray[np.int64]
    rows: npt.NDArray[np.int64]
    cells: npt.NDArray[np.int64]


def _plan(probes: npt.NDArray[np.int64], home: npt.NDArray[np.int64], cells: int) -> _Plan:
    # Two cells whose rows probe each other heavily are scored whole: one product serves both
    # directions and costs no more than scoring the probing rows of each separately.
    n, p = probes.shape
    size = np.maximum(np.bincount(home, minlength=cells), 1).astype(np.float64)
    away = probes != home[:, None]
    rows = np.repeat(np.arange(n, dtype=np.int64), p)[away.reshape(-1)]
    cols = probes[away]
    keys, counts = np.unique(home[rows] * cells + cols, return_counts=True)
    src, dst = np.divmod(keys, cells)
    back = _lookup(keys, dst * cells + src)
    counts_back = np.where(back >= 0, counts[back], 0)
    whole = counts / size[src] + counts_back / size[dst] >= 1.0
    lo, hi = np.minimum(src, dst)[whole], np.maximum(src, dst)[whole]
    whole_keys = np.unique(lo * cells + hi)
    key = np.minimum(home[rows], cols) * cells + np.maximum(home[rows], cols)
    covered = _lookup(whole_keys, key) >= 0
    return _Plan(np.stack(np.divmod(whole_keys, cells), axis=1), rows[~covered], cols[~covered])


def _lookup(
    sorted_keys: npt.NDArray[np.int64], keys: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    # Position of each key in sorted_keys, -1 when absent.
    if sorted_keys.size == 0:
        return np.full(keys.size, -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_keys, keys), sorted_keys.size - 1)
    return np.where(sorted_keys[at] == keys, at, -1)


def _scan(
    x: npt.NDArray[np.float32],
    home: npt.NDArray[np.int64],
    cells: int,
    k: int,
    floor: float,
    plan: _Plan,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    # Every (row, other row) score that can still be among the row's k best. First each cell
    # against itself: a row's k-th best score among its cell-mates bounds its k-th best overall
    # from below. Then the other cells of the plan, keeping only scores at or above that bound
    # (a few a row), with no per-row selection.
    members, starts = _groups(home, cells)
    xs = x[members]  # rows grouped by cell: each cell is one slice
    bound = np.full(x.shape[0], floor, dtype=np.float32)
    found = _Found()
    for cell in range(cells):
        lo, hi = int(starts[cell]), int(starts[cell + 1])
        for top in range(lo, hi, max(1, _BLOCK_CELLS // max(hi - lo, 1))):
            end = min(hi, top + max(1, _BLOCK_CELLS // (hi - lo)))
            sims = xs[top:end] @ xs[lo:hi].T
            sims[np.arange(end - top), np.arange(top - lo, end - lo)] = -np.inf
            rows = members[top:end]
            if hi - lo > k:
                kth = np.partition(sims, hi - lo - k, axis=1)[:, hi - lo - k]
                bound[rows] = np.maximum(kth, floor)
            found.add(sims, rows, members[lo:hi], bound[rows])
    for first, second in plan.whole.tolist():
        a0, a1, b0, b1 = starts[first], starts[first + 1], starts[second], starts[second + 1]
        cols = members[b0:b1]
        for top in range(a0, a1, max(1, _BLOCK_CELLS // max(b1 - b0, 1))):
            end = min(a1, top + max(1, _BLOCK_CELLS // max(b1 - b0, 1)))
            sims = xs[top:end] @ xs[b0:b1].T
            rows = members[top:end]
            found.add(sims, rows, cols, bound[rows])
            found.add_columns(sims, rows, cols, bound[cols])
    by_cell, cell_starts = _groups(plan.cells, cells)
    queries_of = plan.rows[by_cell]
    for cell in range(cells):
        qs = queries_of[cell_starts[cell] : cell_starts[cell + 1]]
        lo, hi = int(starts[cell]), int(starts[cell + 1])
        if hi == lo or qs.size == 0:
            continue
        base_t = np.ascontiguousarray(xs[lo:hi].T)
        step = max(1, _BLOCK_CELLS // (hi - lo))
        for top in range(0, qs.size, step):
            rows = qs[top : top + step]
            found.add(x[rows] @ base_t, rows, members[lo:hi], bound[rows])
    return found.arrays()


@dataclass(slots=True)
class _Found:
    rows: list[npt.NDArray[np.int64]] = field(default_factory=list)
    cols: list[npt.NDArray[np.int64]] = field(default_factory=list)
    scores: list[npt.NDArray[np.float32]] = field(default_factory=list)

    def add(
        self,
        sims: npt.NDArray[np.float32],
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
        bound: npt.NDArray[np.float32],
    ) -> None:
        # flatnonzero: 8x faster than a 2-D nonzero over sparse masks (NumPy 2.x).
        hits = np.flatnonzero(sims >= bound[:, None])
        r, c = np.divmod(hits, sims.shape[1])
        self.rows.append(rows[r])
        self.cols.append(cols[c])
        self.scores.append(sims.reshape(-1)[hits])

    def add_columns(
        self,
        sims: npt.NDArray[np.float32],
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
        bound: npt.NDArray[np.float32],
    ) -> None:
        # The columns as queries: what add(sims.T, cols, rows, bound) keeps, without a copy.
        hits = np.flatnonzero(sims >= bound[None, :])
        r, c = np.divmod(hits, sims.shape[1])
        self.rows.append(cols[c])
        self.cols.append(rows[r])
        self.scores.append(sims.reshape(-1)[hits])

    def arrays(
        self,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float32]]:
        if not self.rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(self.rows), np.concatenate(self.cols), np.concatenate(self.scores)


def _best(
    n: int,
    k: int,
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float32],
) -> Neighbours:
    # Per row: best score first, ties by lower column, k at most. A row probes a cell once and
    # a column lives in one cell, so each (row, col) comes once. One plain sort of a packed
    # (row, descending score) key finds each row's k-th best score; a lexsort then orders only
    # the entries at or above it (about k a row, from about 20).
    indices = np.full((n, k), -1, dtype=np.int64)
    best = np.full((n, k), -np.inf, dtype=np.float32)
    if rows.size == 0:
        return Neighbours(indices, best)
    packed = (rows.astype(np.uint64) << _SHIFT32) | _descending(scores)
    ordered = np.sort(packed)
    starts = np.searchsorted(ordered >> _SHIFT32, np.arange(n, dtype=np.uint64))
    ends = np.append(starts[1:], ordered.size)
    kth = ordered[np.clip(np.minimum(starts + k, ends) - 1, 0, ordered.size - 1)]
    keep = packed <= kth[rows]
    rows, cols, scores = rows[keep], cols[keep], scores[keep]
    order = np.lexsort((cols, -scores, rows))
    rows, cols, scores = rows[order], cols[order], scores[order]
    starts = np.flatnonzero(np.concatenate(([True], rows[1:] != rows[:-1])))
    rank = np.arange(rows.size) - np.repeat(starts, np.diff(np.append(starts, rows.size)))
    keep = rank < k
    indices[rows[keep], rank[keep]] = cols[keep]
    best[rows[keep], rank[keep]] = scores[keep]
    return Neighbours(indices, best)


def _descending(scores: npt.NDArray[np.float32]) -> npt.NDArray[np.uint64]:
    # uint32 codes that sort float32 scores from highest to lowest (IEEE order trick).
    plus = np.ascontiguousarray(scores, dtype=np.float32) + np.float32(0.0)  # -0.0 -> 0.0
    bits = plus.view(np.uint32).astype(np.uint64)
    negative = (bits >> np.uint64(31)).astype(bool)
    ascending = np.where(negative, ~bits & _LOW32, bits | np.uint64(0x80000000))
    return _LOW32 - ascending
