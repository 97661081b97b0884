from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.retrieve import ann
from retold.retrieve.ann import top_k


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 30), st.integers(1, 40), st.integers(1, 8), st.booleans(), st.integers(0, 10**6)
)
def test_top_k_equals_full_sort(q: int, n: int, k: int, self_query: bool, seed: int) -> None:
    rng = np.random.default_rng(seed)
    base = rng.standard_normal((n, 6)).astype(np.float32)
    queries = base if self_query else rng.standard_normal((q, 6)).astype(np.float32)
    got = top_k(queries, base, k, exclude_self=self_query, block=7)
    with mock.patch.object(ann, "_faiss", return_value=None):  # the NumPy path
        plain = top_k(queries, base, k, exclude_self=self_query, block=7)
    assert np.allclose(np.sort(plain.scores, axis=1), np.sort(got.scores, axis=1), atol=1e-4)
    sims = queries.astype(np.float64) @ base.T.astype(np.float64)
    if self_query:
        np.fill_diagonal(sims, -np.inf)
    kk = min(k, n - 1 if self_query else n)
    assert got.indices.shape == (queries.shape[0], kk)
    for row in range(queries.shape[0]):
        want = np.sort(sims[row])[::-1][:kk]
        assert np.allclose(np.sort(got.scores[row])[::-1], want, atol=1e-4)
        assert list(got.scores[row]) == sorted(got.scores[row], reverse=True)
        if self_query:
            assert row not in got.indices[row]
