from __future__ import annotations

import numpy as np

from retold.retrieve.candidates import CandidateIndex, CandidateOptions
from retold.retrieve.minhash import Shingler

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
