from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.retrieve.minhash import (
    Shingler,
    band_keys,
    estimate_jaccard,
    lsh_pairs,
    token_hashes,
)

WORDS = [
    "court",
    "jury",
    "police",
    "said",
    "the",
    "a",
    "man",
    "judge",
    "fined",
    "Leeds",
    "Crown",
    "trial",
    "heard",
    "yesterday",
    "pounds",
    "prison",
    "appeal",
    "charge",
]


def exact_shingles(text: str, n: int) -> set[tuple[str, ...]]:
    toks = re.findall(r"\w+", text.lower())
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i : i + n]) for i in range(len(toks) - n + 1)}


def test_token_hashes_are_case_insensitive_and_positional() -> None:
    hashes, doc = token_hashes(["The court, the COURT!", "court"])
    assert doc.tolist() == [0, 0, 0, 0, 1]
    assert hashes[0] == hashes[2]
    assert hashes[1] == hashes[3] == hashes[4]
    assert hashes[0] != hashes[1]


def test_shingle_counts_match_exact_sets() -> None:
    texts = ["a b c d e f", "a b", "", "x y z x y z x y z", "Ünïcode wörds ärë wörds"]
    sk = Shingler(n=3)
    _, offsets = sk.shingle_hashes(texts)
    assert np.diff(offsets).tolist() == [len(exact_shingles(t, 3)) for t in texts]


def test_short_and_empty_texts() -> None:
    batch = Shingler(n=5).signatures(["Brief wire", "", "Brief wire"])
    assert batch.shingles.tolist() == [1, 0, 1]
    assert np.array_equal(batch.matrix[0], batch.matrix[2])
    assert (batch.matrix[1] == 0xFFFFFFFF).all()


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=30, max_size=120),
    st.lists(st.sampled_from(WORDS), min_size=30, max_size=120),
    st.integers(0, 60),
)
def test_estimate_tracks_exact_jaccard(a: list[str], b: list[str], keep: int) -> None:
    ta = " ".join(a)
    tb = " ".join(a[:keep] + b)
    sk = Shingler(n=3, num_perm=256)
    sig = sk.signatures([ta, tb]).matrix
    sa, sb = exact_shingles(ta, 3), exact_shingles(tb, 3)
    exact = len(sa & sb) / len(sa | sb)
    # Standard error of the estimate is sqrt(J(1-J)/256) <= 0.032; allow four of them.
    assert abs(estimate_jaccard(sig[0], sig[1]) - exact) < 0.13


def test_signatures_do_not_depend_on_batch_company() -> None:
    sk = Shingler()
    alone = sk.signatures(["the jury heard the case at the crown court"]).matrix[0]
    among = sk.signatures(["other", "the jury heard the case at the crown court"]).matrix[1]
    assert np.array_equal(alone, among)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.sampled_from([(8, 2), (4, 4), (16, 1)]), st.integers(0, 10**6))
def test_band_join_equals_brute_force(n: int, shape: tuple[int, int], seed: int) -> None:
    bands, rows = shape
    rng = np.random.default_rng(seed)
    sig = rng.integers(0, 4, size=(n, bands * rows)).astype(np.uint32)  # many collisions
    valid = rng.random(n) > 0.2
    keys = band_keys(sig, bands)
    got = {tuple(p) for p in lsh_pairs(keys, valid).tolist()}
    want = set()
    for i in range(n):
        for j in range(i + 1, n):
            if not (valid[i] and valid[j]):
                continue
            bi = sig[i].reshape(bands, rows)
            bj = sig[j].reshape(bands, rows)
            if (bi == bj).all(axis=1).any():
                want.add((i, j))
    assert got == want


def test_band_join_separates_keys_equal_in_their_folded_halves() -> None:
    # lsh_pairs sorts keys folded to 32 bits (high ^ low) first; keys that agree there but
    # differ in full must not pair.
    def key(high: int, low: int) -> int:
        return (high << 32) | low

    keys = np.array(
        [
            [key(1, 2), key(7, 7)],
            [key(2, 1), key(8, 8)],  # folds like row 0 in band 0, differs in full
            [key(1, 2), key(9, 9)],  # equals row 0 in band 0
            [key(5, 5), key(8, 8)],  # equals row 1 in band 1
        ],
        dtype=np.uint64,
    )
    got = lsh_pairs(keys, np.ones(4, dtype=bool)).tolist()
    assert got == [[0, 2], [1, 3]]
    assert lsh_pairs(keys, np.array([True, True, False, True])).tolist() == [[1, 3]]
