"""Shingle hashes: membership and covered tokens against plain Python references."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from retold.text.shingles import (
    contains,
    covered_by,
    covered_count,
    covered_tokens,
    covered_tokens_of,
    distinct,
    ngram_hashes,
    ngrams,
    unique_inverse,
    word_hashes,
)

WORDS = st.lists(
    st.sampled_from(["the", "court", "was", "told", "a", "man", "had", "stolen", "cars"]),
    max_size=60,
)


@given(st.lists(st.integers(0, 2**64 - 1)), st.lists(st.integers(0, 2**64 - 1)))
def test_contains_is_isin(pool: list[int], values: list[int]) -> None:
    p, v = np.array(pool, dtype=np.uint64), np.array(values, dtype=np.uint64)
    assert contains(p, v).tolist() == np.isin(v, p).tolist()


@given(WORDS, WORDS, st.integers(1, 5))
def test_covered_tokens_match_a_python_reference(a: list[str], b: list[str], n: int) -> None:
    grams_b = {tuple(b[i : i + n]) for i in range(len(b) - n + 1)}
    expected = [False] * len(a)
    for i in range(len(a) - n + 1):
        if tuple(a[i : i + n]) in grams_b:
            expected[i : i + n] = [True] * n
    assert covered_tokens(word_hashes(a), word_hashes(b), n).tolist() == expected


def test_large_inputs_take_the_sorted_path() -> None:
    a = [f"w{i % 97}" for i in range(900)]
    b = [f"w{(i * 7) % 97}" for i in range(900)]
    got = covered_tokens(word_hashes(a), word_hashes(b), 2)
    grams_b = {tuple(b[i : i + 2]) for i in range(len(b) - 1)}
    expected = np.zeros(len(a), dtype=bool)
    for i in range(len(a) - 1):
        if tuple(a[i : i + 2]) in grams_b:
            expected[i : i + 2] = True
    assert got.tolist() == expected.tolist()
    assert len(ngram_hashes(word_hashes(a), 2)) == 899


def test_word_hashes_are_python_hashes_modulo_2_64() -> None:
    words = ["court", "", "£2,000", "x" * 50]
    assert word_hashes(words).tolist() == [hash(w) % 2**64 for w in words]


@given(WORDS, WORDS, st.integers(1, 6))
def test_prepared_ngrams_cover_the_same_tokens(a: list[str], b: list[str], n: int) -> None:
    ha, hb = word_hashes(a), word_hashes(b)
    expected = covered_tokens(ha, hb, n).tolist()
    assert covered_by(ngrams(ha, n), ngrams(hb, n)).tolist() == expected
    grams_a, grams_b = ngram_hashes(ha, n), ngram_hashes(hb, n)
    assert covered_tokens_of(grams_a, grams_b, len(a), n).tolist() == expected


def test_ngrams_are_sorted_copies() -> None:
    h = word_hashes("the court was told the court was told again".split())
    grams = ngrams(h, 3)
    assert grams.n == 3 and grams.n_tokens == 9
    assert grams.hashes.tolist() == ngram_hashes(h, 3).tolist()
    assert grams.ordered.tolist() == sorted(grams.hashes.tolist())


@given(
    st.lists(st.integers(0, 6), max_size=400),
    st.sets(st.integers(0, 6)),
    st.integers(1, 5),
)
def test_covered_count_counts_the_covered_tokens(
    grams: list[int], shared: set[int], n: int
) -> None:
    """Both ways of counting (a Python loop below 160 n-grams, NumPy above) agree with a mask."""
    covered = [False] * (len(grams) + n - 1)
    for k, g in enumerate(grams):
        if g in shared:
            covered[k : k + n] = [True] * n
    assert covered_count(grams, shared, n) == sum(covered)


@given(st.lists(st.integers(0, 2**64 - 1), max_size=60))
def test_unique_inverse_and_distinct_equal_numpy_unique(values: list[int]) -> None:
    keys = np.array(values, dtype=np.uint64)
    want_values, want_inverse = np.unique(keys, return_inverse=True)
    got_values, got_inverse = unique_inverse(keys)
    assert np.array_equal(got_values, want_values)
    assert np.array_equal(got_inverse, want_inverse.reshape(-1))
    small = (keys % np.uint64(50)).astype(np.int64)
    assert np.array_equal(distinct(small), np.unique(small))
