"""The all-rows nearest-neighbour search: exact below the threshold, IVF above it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.errors import ConfigError
from retold.retrieve.ann import top_k
from retold.retrieve.ivf import IvfOptions, probe_cells, self_neighbours, train_cells

EXACT = IvfOptions(exact_below=10**9)


def unit(rng: np.random.Generator, n: int, d: int) -> np.ndarray:
    x = rng.standard_normal((n, d)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def brute(x: np.ndarray, k: int, floor: float) -> list[list[tuple[float, int]]]:
    """Per row, its k best (score, row) by float64 inner product, ties by lower row."""
    sims = x.astype(np.float64) @ x.T.astype(np.float64)
    out = []
    for i in range(len(x)):
        ranked = sorted((-sims[i, j], j) for j in range(len(x)) if j != i and sims[i, j] >= floor)
        out.append([(-s, j) for s, j in ranked[:k]])
    return out


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 90),
    st.integers(1, 7),
    st.sampled_from([-1.0, 0.0, 0.3]),
    st.sampled_from([4, 16, 1000]),
    st.integers(0, 10**6),
)
def test_exact_path_equals_brute_force(n: int, k: int, floor: float, cell: int, seed: int) -> None:
    x = unit(np.random.default_rng(seed), n, 6)
    got = self_neighbours(x, k, floor=floor, options=IvfOptions(exact_below=10**9, cell_size=cell))
    assert got.indices.shape == got.scores.shape == (n, k)
    for row, want in enumerate(brute(x, k, floor)):
        found = [int(j) for j in got.indices[row] if j >= 0]
        assert len(found) == len(want)
        assert np.allclose(got.scores[row, : len(found)], [s for s, _ in want], atol=1e-5)
        assert row not in found and len(set(found)) == len(found)
        assert np.all(got.indices[row, len(found) :] == -1)
        assert np.all(np.isneginf(got.scores[row, len(found) :]))


@settings(max_examples=25, deadline=None)
@given(st.integers(30, 300), st.integers(1, 6), st.integers(0, 10**6))
def test_probing_every_cell_is_exact(n: int, k: int, seed: int) -> None:
    x = unit(np.random.default_rng(seed), n, 8)
    every = IvfOptions(exact_below=0, cell_size=10, probes=n)
    got = self_neighbours(x, k, floor=-1.0, options=every)
    want = self_neighbours(x, k, floor=-1.0, options=EXACT)
    assert np.allclose(got.scores, want.scores, atol=1e-5)


def test_equal_vectors_rank_by_lower_row_in_both_paths() -> None:
    rng = np.random.default_rng(3)
    x = unit(rng, 600, 16)
    x[[50, 7, 400, 123, 599, 300]] = x[300]  # six equal rows
    for opts in (EXACT, IvfOptions(exact_below=0, cell_size=40, probes=15)):
        got = self_neighbours(x, 4, floor=0.0, options=opts)
        assert got.indices[300].tolist() == [7, 50, 123, 400]
        assert got.indices[7].tolist() == [50, 123, 300, 400]


def test_no_neighbour_below_the_floor() -> None:
    x = unit(np.random.default_rng(5), 500, 4)
    got = self_neighbours(x, 6, floor=0.9, options=IvfOptions(exact_below=0, cell_size=50))
    kept = got.indices >= 0
    assert np.all(got.scores[kept] >= 0.9)
    assert np.all(np.isneginf(got.scores[~kept]))
    # Scores are the real inner products of the rows named.
    rows = np.nonzero(kept)[0]
    real = np.einsum("ij,ij->i", x[rows], x[got.indices[kept]])
    assert np.allclose(real, got.scores[kept], atol=1e-5)


def test_same_rows_same_answer() -> None:
    x = unit(np.random.default_rng(9), 2000, 12)
    opts = IvfOptions(exact_below=0, cell_size=64, probes=4)
    one = self_neighbours(x, 5, floor=-1.0, options=opts)
    two = self_neighbours(x.copy(), 5, floor=-1.0, options=opts)
    assert np.array_equal(one.indices, two.indices)
    assert np.array_equal(one.scores, two.scores)


def test_cells_partition_the_rows_and_probes_hold_the_home_cell() -> None:
    x = unit(np.random.default_rng(2), 3000, 16)
    opts = IvfOptions(cell_size=100)
    centroids = train_cells(x, 30, opts)
    assert centroids.shape == (30, 16)
    assert np.allclose(np.linalg.norm(centroids, axis=1), 1.0, atol=1e-5)
    probes, home = probe_cells(x, centroids, 5)
    assert probes.shape == (3000, 5)
    assert np.all((probes == home[:, None]).any(axis=1))
    assert np.array_equal(home, np.argmax(x @ centroids.T, axis=1))
    assert np.array_equal(train_cells(x, 30, opts), centroids)  # seeded: the same cells


def test_options_are_checked() -> None:
    with pytest.raises(ConfigError):
        IvfOptions(cell_size=0)
    with pytest.raises(ConfigError):
        IvfOptions(exact_below=-1)
    with pytest.raises(ConfigError):
        IvfOptions(iterations=-1)


def test_exact_path_agrees_with_top_k_on_real_vectors(bbc_prints: Any) -> None:
    x = bbc_prints.vectors[:1500]
    got = self_neighbours(x, 5, floor=-1.0, options=EXACT)
    want = top_k(x, x, 5, exclude_self=True)
    assert np.allclose(got.scores, want.scores, atol=1e-5)


def test_ivf_recall_on_real_vectors(bbc_prints: Any) -> None:
    # Several cells of ~64 rows: the IVF path runs and must find almost every exact neighbour
    # at cosine >= 0.8 (the candidate threshold).
    x = bbc_prints.vectors
    exact = self_neighbours(x, 5, floor=0.8, options=EXACT)
    opts = IvfOptions(exact_below=0, cell_size=64, probes=16)
    approx = self_neighbours(x, 5, floor=0.8, options=opts)
    want = {(i, int(j)) for i, row in enumerate(exact.indices) for j in row if j >= 0}
    got = {(i, int(j)) for i, row in enumerate(approx.indices) for j in row if j >= 0}
    assert len(want) > 5000
    assert len(want & got) / len(want) >= 0.98
    # Where a neighbour is missed, what stands in its place is no better than what was missed.
    ok = approx.indices >= 0
    assert np.all(approx.scores[ok] <= exact.scores[ok] + 1e-5)
