"""Pruning candidate pairs for whole-archive clustering."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.retrieve.candidates import CandidatePair
from retold.retrieve.prune import PruneOptions, prune_pairs


@st.composite
def pair_sets(draw: st.DrawFn) -> tuple[list[CandidatePair], np.ndarray, list[str]]:
    n = draw(st.integers(2, 12))
    ids = draw(
        st.lists(st.text("abcdefgh", min_size=1, max_size=4), min_size=n, max_size=n, unique=True)
    )
    sizes = np.array(draw(st.lists(st.integers(0, 200), min_size=n, max_size=n)), np.int64)
    keys = draw(st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=40))
    pairs = []
    for a, b in sorted((min(x), max(x)) for x in keys if x[0] != x[1]):
        lex = draw(st.sampled_from([0.0, 0.05, 0.1, 0.3, 0.9]))
        sem = draw(st.sampled_from([0.5, 0.8, 0.9, 0.95]))
        pairs.append(CandidatePair(a, b, lex, sem, max(lex, sem)))
    return list(dict.fromkeys(pairs)), sizes, ids


def _eligible(p: CandidatePair, sizes: np.ndarray, o: PruneOptions) -> bool:
    shared = p.lexical * min(sizes[p.a], sizes[p.b])
    return (p.lexical >= o.min_lexical and shared >= o.min_shared) or p.semantic >= o.min_cosine


@settings(max_examples=150, deadline=None)
@given(pair_sets(), st.integers(0, 4))
def test_kept_pairs_are_eligible_and_capped(data, k: int) -> None:  # type: ignore[no-untyped-def]
    pairs, sizes, ids = data
    opts = PruneOptions(neighbours=k)
    kept = prune_pairs(pairs, sizes, ids, opts)
    eligible = [p for p in pairs if _eligible(p, sizes, opts)]
    assert all(p in eligible for p in kept)
    if k == 0:
        assert kept == eligible
        return
    # Every article keeps min(k, its eligible pairs) at least, and each kept pair is in the
    # top k of one of its articles, so no article has more than k pairs it chose itself.
    for row in range(len(ids)):
        mine = [p for p in eligible if row in (p.a, p.b)]
        assert sum(1 for p in kept if row in (p.a, p.b)) >= min(k, len(mine))
    assert len(kept) <= k * len(ids)


@settings(max_examples=100, deadline=None)
@given(pair_sets(), st.randoms(use_true_random=False))
def test_result_does_not_depend_on_row_order(data, rnd) -> None:  # type: ignore[no-untyped-def]
    pairs, sizes, ids = data
    perm = list(range(len(ids)))
    rnd.shuffle(perm)  # row r becomes row perm[r]
    new_ids = [""] * len(ids)
    new_sizes = np.zeros_like(sizes)
    for r, nr in enumerate(perm):
        new_ids[nr], new_sizes[nr] = ids[r], sizes[r]
    moved = [
        CandidatePair(
            min(perm[p.a], perm[p.b]), max(perm[p.a], perm[p.b]), p.lexical, p.semantic, p.score
        )
        for p in pairs
    ]
    rnd.shuffle(moved)
    opts = PruneOptions(neighbours=2)
    one = {frozenset((ids[p.a], ids[p.b])) for p in prune_pairs(pairs, sizes, ids, opts)}
    two = {
        frozenset((new_ids[p.a], new_ids[p.b]))
        for p in prune_pairs(moved, new_sizes, new_ids, opts)
    }
    assert one == two


def test_templated_notices_sharing_a_few_stock_phrases_are_dropped() -> None:
    # Two 12-shingle notices "contained" in each other through 4 shared shingles: dropped.
    # Two reports sharing the same share of 300+ shingles: kept.
    pairs = [CandidatePair(0, 1, 0.35, 0.7, 0.35), CandidatePair(2, 3, 0.35, 0.7, 0.35)]
    sizes = np.array([12, 12, 400, 300])
    kept = prune_pairs(pairs, sizes, ["n1", "n2", "r1", "r2"])
    assert kept == [CandidatePair(2, 3, 0.35, 0.7, 0.35)]
