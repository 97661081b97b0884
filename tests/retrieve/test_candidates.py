from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from retold.retrieve.candidates import CandidateIndex, CandidateOptions
from retold.retrieve.ivf import IvfOptions
from retold.retrieve.minhash import Shingler, band_keys, lsh_pairs

NAMES = ["Ada Brown", "Carl Diaz", "Eve Fox", "Gus Hale", "Ivy Jones", "Kai Lee", "Mo Nash"]
TOWNS = ["Leeds", "York", "Hull", "Derby", "Bath", "Ely", "Ripon"]


def report(seed: int, words: int) -> str:
    rng = np.random.default_rng(seed)
    out: list[str] = []
    while len(" ".join(out).split()) < words:
        name, town = rng.choice(NAMES), rng.choice(TOWNS)
        n = int(rng.integers(2, 900))
        out.append(
            rng.choice(
                [
                    f"{name} of {town} was fined {n} pounds on day {n % 31} of the hearing.",
                    f"Police in {town} said {name} had been seen near the depot {n} times.",
                    f"The jury at {town} heard that {name} owed {n} pounds to a neighbour.",
                    f"A spokesman for {town} council said {n} homes were affected by {name}.",
                ]
            )
        )
    return " ".join(out)


def orthogonal(n: int) -> np.ndarray:
    return np.eye(n, dtype=np.float32)


def test_short_wire_brief_inside_long_report_is_found_lexically() -> None:
    brief = report(1, 80)
    long_report = report(2, 300) + " " + brief + " " + report(3, 300)
    haystack = [report(s, 400) for s in range(10, 40)]
    texts = [long_report, *haystack]
    sk = Shingler()
    sig = sk.signatures(texts)
    index = CandidateIndex(sig.matrix, sig.shingles, orthogonal(len(texts)))
    q = sk.signatures([brief])
    vec = np.zeros(len(texts), np.float32)
    (found,) = index.search(q.matrix, q.shingles, vec[None, :], k=3)
    assert found
    assert found[0].row == 0
    assert found[0].lexical > 0.6


def test_paraphrase_found_through_vectors_only() -> None:
    texts = [report(s, 200) for s in range(20)]
    sk = Shingler()
    sig = sk.signatures(texts)
    rng = np.random.default_rng(0)
    vecs = rng.standard_normal((20, 16)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    index = CandidateIndex(sig.matrix, sig.shingles, vecs, CandidateOptions(min_cosine=0.9))
    query = sk.signatures(["an unrelated text about the weather in spring and rain"])
    near = vecs[7] + 0.05 * rng.standard_normal(16).astype(np.float32)
    near /= np.linalg.norm(near)
    (found,) = index.search(query.matrix, query.shingles, near[None, :], k=2)
    assert [c.row for c in found] == [7]
    assert found[0].lexical == 0.0
    assert found[0].semantic > 0.9


def test_search_excludes_the_query_row() -> None:
    texts = [report(s, 150) for s in range(8)]
    sk = Shingler()
    sig = sk.signatures(texts)
    index = CandidateIndex(sig.matrix, sig.shingles, orthogonal(8))
    (found,) = index.search(
        sig.matrix[3:4], sig.shingles[3:4], orthogonal(8)[3:4], k=5, exclude=[3]
    )
    assert 3 not in [c.row for c in found]


def test_pairs_find_near_copies_and_neighbours_once() -> None:
    base = [report(s, 250) for s in range(30)]
    copy = base[4].replace("pounds", "GBP", 3)  # a light edit of row 4
    texts = [*base, copy]
    sk = Shingler()
    sig = sk.signatures(texts)
    vecs = orthogonal(31)
    vecs[12] = vecs[20] = (
        np.eye(31, dtype=np.float32)[12] + np.eye(31, dtype=np.float32)[20]
    ) / np.sqrt(2)
    index = CandidateIndex(sig.matrix, sig.shingles, vecs, CandidateOptions(min_cosine=0.95))
    pairs = index.pairs()
    keys = [(p.a, p.b) for p in pairs]
    assert (4, 30) in keys
    assert (12, 20) in keys
    assert keys == sorted(set(keys))
    assert all(p.a < p.b for p in pairs)
    by_key = {(p.a, p.b): p for p in pairs}
    assert by_key[(4, 30)].lexical > 0.8
    assert by_key[(12, 20)].semantic > 0.99


def test_nearest_vectors_below_min_cosine_are_kept_down_to_the_floor() -> None:
    # A brief's vector sits at cosine ~0.7 from its long source: under min_cosine, but among
    # the query's nearest vectors, so it is a candidate; one at ~0.5 (under the floor) is not.
    texts = [report(s, 200) for s in range(12)]
    sk = Shingler()
    sig = sk.signatures(texts)
    vecs = orthogonal(12)
    query = sk.signatures(["an unrelated text about the weather in spring and rain"])
    q = np.zeros(12, np.float32)
    q[4], q[9], q[0] = 0.7, 0.5, np.sqrt(1 - 0.7**2 - 0.5**2)
    opts = CandidateOptions(min_cosine=0.8, nearest=2, nearest_floor=0.6)
    (found,) = CandidateIndex(sig.matrix, sig.shingles, vecs, opts).search(
        query.matrix, query.shingles, q[None, :], k=5
    )
    assert [c.row for c in found] == [4]
    assert abs(found[0].semantic - 0.7) < 1e-6
    strict = CandidateOptions(min_cosine=0.8, nearest=0)
    (none,) = CandidateIndex(sig.matrix, sig.shingles, vecs, strict).search(
        query.matrix, query.shingles, q[None, :], k=5
    )
    assert none == []


def test_pairs_keep_each_articles_nearest_vectors_down_to_the_floor() -> None:
    # Row 0's nearest vector is row 1 at cosine 0.7 (under min_cosine, over the floor); row 2
    # sits at 0.5 from row 0 (under the floor). The texts share nothing lexically.
    texts = [report(s, 200) for s in range(6)]
    sk = Shingler()
    sig = sk.signatures(texts)
    vecs = orthogonal(6)
    vecs[0] = 0.0
    vecs[0, 1], vecs[0, 2], vecs[0, 5] = 0.7, 0.5, np.sqrt(1 - 0.7**2 - 0.5**2)

    def pairs(nearest: int) -> set[tuple[int, int]]:
        opts = CandidateOptions(
            min_cosine=0.8, min_lexical=1.1, nearest_floor=0.6, pair_nearest=nearest
        )
        return {(p.a, p.b) for p in CandidateIndex(sig.matrix, sig.shingles, vecs, opts).pairs()}

    assert pairs(1) == {(0, 1)}
    assert pairs(3) == {(0, 1)}
    assert pairs(0) == set()


def _index(prints: Any, options: CandidateOptions) -> CandidateIndex:
    return CandidateIndex(
        prints.signatures, prints.shingles, prints.vectors, options, keys=prints.ids
    )


def _by_id(prints: Any, index: CandidateIndex) -> dict[tuple[str, str], tuple[float, float]]:
    out = {}
    for p in index.pairs():
        a, b = prints.ids[p.a], prints.ids[p.b]
        out[(min(a, b), max(a, b))] = (p.lexical, p.semantic)
    return out


IVF = CandidateOptions(ann=IvfOptions(exact_below=1000, cell_size=64, probes=12))


@pytest.mark.parametrize("options", [CandidateOptions(), IVF], ids=["exact", "ivf"])
def test_pairs_do_not_depend_on_row_order(bbc_prints: Any, options: CandidateOptions) -> None:
    first = _by_id(bbc_prints, _index(bbc_prints, options))
    order = np.random.default_rng(11).permutation(len(bbc_prints.ids))
    again = _by_id(bbc_prints.permuted(order), _index(bbc_prints.permuted(order), options))
    assert len(first) > 3000
    assert first == again  # the same id pairs with bit-identical scores


def test_pair_table_and_pairs_agree(bbc_prints: Any) -> None:
    index = _index(bbc_prints, IVF)
    table = index.pair_table()
    pairs = index.pairs()
    assert len(table) == len(pairs)
    assert [(p.a, p.b) for p in pairs] == list(zip(table.a.tolist(), table.b.tolist(), strict=True))
    assert np.array_equal(table.score, np.maximum(table.lexical, table.semantic))
    keys = table.a * len(index) + table.b
    assert np.all(table.a < table.b) and np.all(np.diff(keys) > 0)


def _reference_pairs(index: CandidateIndex) -> set[tuple[int, int]]:
    # The rule written out plainly: full similarity matrix, ranks by (-cosine, key).
    o = index.options
    n = len(index)
    sims = index.vectors.astype(np.float64) @ index.vectors.T.astype(np.float64)
    np.fill_diagonal(sims, -np.inf)
    key_rank = np.argsort(np.argsort(np.asarray(index.keys, dtype=object)))
    keep: set[tuple[int, int]] = set()
    for i in range(n):
        ranked = np.lexsort((key_rank, -sims[i]))
        for col, j in enumerate(ranked[: max(o.neighbours, o.pair_nearest)]):
            close = col < o.neighbours and sims[i, j] >= o.min_cosine
            near = col < o.pair_nearest and sims[i, j] >= o.nearest_floor
            if close or near:
                keep.add((min(i, int(j)), max(i, int(j))))
    keys = band_keys(index.signatures, o.bands)
    for i, j in lsh_pairs(keys, index.shingles > 0).tolist():
        equal = np.count_nonzero(index.signatures[i] == index.signatures[j])
        jac = equal / index.signatures.shape[1]
        inter = jac * (index.shingles[i] + index.shingles[j]) / (1 + jac)
        lexical = min(inter / max(min(index.shingles[i], index.shingles[j]), 1), 1.0)
        if (equal >= o.min_matches and lexical >= o.min_lexical) or sims[i, j] >= o.min_cosine:
            keep.add((i, j))
    return keep


def test_below_the_threshold_pairs_are_exact(bbc_prints: Any) -> None:
    rows = np.arange(0, len(bbc_prints.ids), 3)[:1200]
    prints = bbc_prints.permuted(rows)
    index = _index(prints, CandidateOptions())
    got = {(p.a, p.b) for p in index.pairs()}
    want = _reference_pairs(index)
    # Float32 products may order two cosines closer than 1e-6 differently from float64.
    assert len(got ^ want) <= 2
    assert len(want) > 500


def test_ivf_pairs_recall_against_exact(bbc_prints: Any) -> None:
    exact = _index(bbc_prints, CandidateOptions()).pair_table()
    approx = _index(bbc_prints, IVF).pair_table()
    n = len(bbc_prints.ids)
    want = exact.a * n + exact.b
    got = approx.a * n + approx.b
    close = exact.semantic >= 0.8
    assert np.isin(want[close], got).mean() >= 0.99
    assert np.isin(want, got).mean() >= 0.99
