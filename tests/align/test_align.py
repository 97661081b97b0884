"""Alignment on small texts written for these tests."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from retold.align import align, copy_rate, prepare, rewrite_kind, similarity
from retold.align.passages import _near_best, round_half_even
from retold.align.rewrite import copy_rate_hashed, copy_rate_ngrams
from retold.align.similarity import pair_matrices, soft_matches
from retold.fingerprint import get_embedder
from retold.model import Article, RewriteKind
from retold.text.shingles import ngram_hashes, word_hashes

SOURCE = (
    "Fire crews were called to the Harbour Street warehouse at 2am on Tuesday. "
    "Around 60 firefighters fought the blaze for six hours before it was brought under control. "
    "The owner, Mark Ellison, said the building held furniture worth £400,000. "
    "Police have closed the road and asked drivers to avoid the area until Thursday. "
    "An investigation into the cause of the fire has begun."
)
# The same statements, reordered, one sentence split in two, one reworded heavily.
REORDERED = (
    "Drivers have been told by police to keep away from the area, with the road shut until Thursday. "
    "An investigation into the cause of the fire has begun. "
    "Fire crews were called to the Harbour Street warehouse at 2am on Tuesday. "
    "Around 60 firefighters fought the blaze. It took them six hours to bring it under control."
)
UNRELATED = (
    "The library will extend its opening hours from next month. "
    "Readers will be able to borrow books until 9pm on weekdays. "
    "The council said the change followed a survey of 2,000 members."
)


def _prep(text: str, embedder):
    return prepare(Article.from_text(text), embedder)


def _pairs(al, a: str, b: str) -> list[tuple[str, str]]:
    return [(p.a.slice(a), p.b.slice(b)) for p in al.passages]


def test_reordered_passages_are_found(embedder) -> None:
    al = align(_prep(SOURCE, embedder), _prep(REORDERED, embedder))
    pairs = _pairs(al, SOURCE, REORDERED)
    assert any("Harbour Street" in x and "Harbour Street" in y for x, y in pairs)
    assert any("closed the road" in x and "road shut" in y for x, y in pairs)
    assert any("investigation" in x and "investigation" in y for x, y in pairs)
    # The split sentence maps onto both halves.
    assert any("six hours" in x and "six hours" in y and "Around 60" in y for x, y in pairs)


def test_passage_kinds_follow_the_wording(embedder) -> None:
    al = align(_prep(SOURCE, embedder), _prep(REORDERED, embedder))
    by_start = {p.a.slice(SOURCE)[:12]: p.kind for p in al.passages}
    # Copied sentences with one split: a light edit, not a paraphrase.
    assert by_start["Fire crews w"] in (RewriteKind.VERBATIM, RewriteKind.LIGHT)
    # The road closure is reworded throughout.
    road = [p for p in al.passages if "closed the road" in p.a.slice(SOURCE)]
    assert road and road[0].kind is not RewriteKind.VERBATIM


def test_unrelated_text_aligns_little(embedder) -> None:
    al = align(_prep(SOURCE, embedder), _prep(UNRELATED, embedder))
    assert al.coverage_a < 0.2 and al.coverage_b < 0.3


def test_alignment_is_symmetric(embedder) -> None:
    a, b = _prep(SOURCE, embedder), _prep(REORDERED, embedder)
    ab, ba = align(a, b), align(b, a)
    assert ba.passages == ab.swapped().passages
    assert (ba.coverage_a, ba.coverage_b) == (ab.coverage_b, ab.coverage_a)


def test_a_heading_ends_a_passage(embedder) -> None:
    """Two neighbouring statements retold under a section heading make two passages, not one."""
    padded = SOURCE.replace(" Around 60", "\n\nThe Firefight\n\nAround 60")
    plain = align(_prep(SOURCE, embedder), _prep(SOURCE, embedder))
    al = align(_prep(padded, embedder), _prep(SOURCE, embedder))
    assert len(plain.passages) == 1
    assert len(al.passages) == 2
    assert all("The Firefight" not in p.a.slice(padded) for p in al.passages)
    # Both halves are still aligned, each to its own counterpart.
    pairs = _pairs(al, padded, SOURCE)
    assert any(
        "Harbour Street" in x and "Harbour Street" in y and "Around" not in y for x, y in pairs
    )
    assert any("six hours" in x and "six hours" in y and "Harbour" not in y for x, y in pairs)
    # The same from the other side.
    ba = align(_prep(SOURCE, embedder), _prep(padded, embedder))
    assert ba.passages == al.swapped().passages


def test_copy_rate_scale() -> None:
    words = "the owner said the building held furniture worth a lot".split()
    assert copy_rate(words, words) == 1.0
    assert copy_rate(words, "a completely different sentence about library hours".split()) == 0.0
    assert rewrite_kind(copy_rate(words, words)) is RewriteKind.VERBATIM


@given(
    st.lists(st.sampled_from("a b c d e f g".split()), max_size=30),
    st.lists(st.sampled_from("a b c d e f g".split()), max_size=30),
)
def test_copy_rate_is_symmetric_and_bounded(x: list[str], y: list[str]) -> None:
    assert copy_rate(x, y) == copy_rate(y, x)
    assert 0.0 <= copy_rate(x, y) <= 1.0


# Clause-level rewording that a whole-sentence vector blurs: one statement from each of two
# longer sentences, near-synonyms instead of the same words.
SPUN_A = (
    "Officials in the port city declined to comment on the minister's planned tour. "
    "Dock workers walked out on Friday over a dispute about night shifts and overtime pay."
)
SPUN_B = (
    "Stevedores staged a strike on Friday in a row over overtime wages and working nights. "
    "The harbour town's authorities refused to say anything about the minister's upcoming trip."
)


def test_soft_word_matches_find_reworded_counterparts(embedder) -> None:
    a, b = _prep(SPUN_A, embedder), _prep(SPUN_B, embedder)
    m = pair_matrices(a, b)
    # Each sentence's soft-match share is highest with its reworded counterpart.
    assert m.soft_a[0].argmax() == 1 and m.soft_a[1].argmax() == 0
    assert m.soft_b[:, 0].argmax() == 1 and m.soft_b[:, 1].argmax() == 0
    assert ((m.soft_a >= 0) & (m.soft_a <= 1 + 1e-6)).all()


def test_soft_matches_do_not_depend_on_block_size(embedder, monkeypatch) -> None:
    a, b = _prep(SOURCE, embedder), _prep(REORDERED, embedder)
    whole = soft_matches(a, b)
    monkeypatch.setattr(similarity, "_BLOCK", 8)  # a few tokens per block
    blocked = soft_matches(a, b)
    assert np.array_equal(whole[0], blocked[0]) and np.array_equal(whole[1], blocked[1])
    swapped = soft_matches(b, a)
    assert np.array_equal(swapped[0], whole[1].T) and np.array_equal(swapped[1], whole[0].T)


def test_identical_sentences_match_every_word(embedder) -> None:
    a = _prep(SOURCE, embedder)
    soft_a, soft_b = soft_matches(a, a)
    assert np.allclose(np.diag(soft_a), 1.0, atol=1e-5)
    assert np.allclose(np.diag(soft_b), 1.0, atol=1e-5)


def _soft_reference(a, b) -> tuple[np.ndarray, np.ndarray]:
    """Soft match shares by plain loops over sentence pairs (float64 sums)."""
    na, nb = len(a.sentences), len(b.sentences)
    soft_a, soft_b = np.zeros((na, nb)), np.zeros((na, nb))
    for i in range(na):
        rows = a.word_vectors[a.word_sentence == i]
        for j in range(nb):
            cols = b.word_vectors[b.word_sentence == j]
            if len(rows) and len(cols):
                sim = (rows @ cols.T).astype(np.float64)
                sim[sim < similarity.SOFT_WORD_FLOOR] = 0.0
                soft_a[i, j] = sim.max(axis=1).mean()
                soft_b[i, j] = sim.max(axis=0).mean()
    return soft_a, soft_b


def test_soft_matches_equal_a_loop_reference(embedder) -> None:
    for x, y in ((SOURCE, REORDERED), (SPUN_A, SPUN_B), (SOURCE, UNRELATED)):
        a, b = _prep(x, embedder), _prep(y, embedder)
        got, want = soft_matches(a, b), _soft_reference(a, b)
        assert np.allclose(got[0], want[0], atol=2e-6)
        assert np.allclose(got[1], want[1], atol=2e-6)


def test_prepared_keeps_consistent_word_data(embedder) -> None:
    p = _prep(SOURCE + " " + REORDERED, embedder)
    content = p.content.tolist()
    stems = [s for s, c in zip(p.tokens.stems, content, strict=True) if c]
    assert p.content_stems == frozenset(stems)
    assert p.content_before.tolist() == [sum(content[:k]) for k in range(len(content) + 1)]
    for n in (1, 2, 3, 4, 5):
        assert p.ngrams(n).hashes.tolist() == ngram_hashes(p.hashes, n).tolist()
    # Remembered word vectors equal freshly embedded ones.
    words = [w for w, c in zip(p.tokens.words, content, strict=True) if c]
    assert np.array_equal(p.word_vectors, get_embedder("static").embed(words))


@given(
    st.lists(st.sampled_from("a b c d e f".split()), max_size=30),
    st.lists(st.sampled_from("a b c d e f".split()), max_size=30),
)
def test_copy_rate_from_ngrams_equals_copy_rate(x: list[str], y: list[str]) -> None:
    hx, hy = word_hashes(x), word_hashes(y)
    fast = copy_rate_ngrams(hx, hy, ngram_hashes(hx, 3), ngram_hashes(hy, 3))
    assert fast == copy_rate_hashed(hx, hy)


def test_sparse_stem_bags_give_the_dense_result(embedder, monkeypatch) -> None:
    """Long articles take the scipy.sparse path; it must agree with the dense one."""
    a, b = _prep(SOURCE, embedder), _prep(REORDERED, embedder)
    dense = pair_matrices(a, b)
    monkeypatch.setattr(similarity, "_DENSE_LIMIT", 0)
    sparse_path = pair_matrices(a, b)
    for name in ("lexical", "contain_a", "contain_b", "probability"):
        assert np.allclose(getattr(dense, name), getattr(sparse_path, name), atol=1e-6), name


def test_facts_are_extracted_on_first_use_and_kept(embedder) -> None:
    from retold.text.entities import extract_facts

    article = Article.from_text(SOURCE)
    p = prepare(article, embedder)
    assert p.known_facts is None
    facts = p.facts
    assert facts == extract_facts(article.text)
    assert any(f.text == "Mark Ellison" for f in facts)
    assert p.known_facts is facts
    assert p.facts is facts
    # Sentence-pair data sets compare without facts.
    assert prepare(article, embedder, single_unit=True).facts == ()


@given(st.floats(0, 1e6, allow_nan=False), st.integers(0, 8))
def test_round_half_even_is_numpy_round(x: float, decimals: int) -> None:
    assert round_half_even(x, decimals) == float(np.round(x, decimals))


@given(st.sampled_from([k / 20000 for k in range(20001)]), st.integers(2, 4))
def test_round_half_even_on_halfway_values(x: float, decimals: int) -> None:
    assert round_half_even(x, decimals) == float(np.round(x, decimals))


def near_best_reference(keep: np.ndarray, prob: np.ndarray, reach: int) -> np.ndarray:
    """Per column, links more than ``reach`` rows from every strongest link are dropped."""
    out = keep.copy()
    for j in range(keep.shape[1]):
        rows = [i for i in range(keep.shape[0]) if keep[i, j]]
        if len(rows) < 2:
            continue
        top = max(prob[i, j] for i in rows)
        best = [i for i in rows if prob[i, j] == top]
        for i in rows:
            out[i, j] = any(abs(i - b) <= reach for b in best)
    return out


@given(
    st.integers(1, 8),
    st.integers(1, 8),
    st.integers(0, 3),
    st.lists(st.sampled_from([0.0, 0.3, 0.6, 0.6, 0.9]), min_size=64, max_size=64),
    st.lists(st.booleans(), min_size=64, max_size=64),
)
def test_near_best_matches_a_reference(
    rows: int, cols: int, reach: int, values: list[float], soft: list[bool]
) -> None:
    prob = np.array(values[: rows * cols]).reshape(rows, cols)
    # Links kept by probability, or by soft word matches whatever their probability.
    keep = (prob >= 0.5) | np.array(soft[: rows * cols]).reshape(rows, cols)
    assert np.array_equal(_near_best(keep, prob, reach), near_best_reference(keep, prob, reach))


def test_soft_matches_of_degenerate_text_equal_the_loop_reference(embedder) -> None:
    # Machine-made lines where one word is in every sentence: most word pairs pass the floor,
    # which takes the block-reducing path instead of scattering pairs.
    rng = np.random.default_rng(7)
    lines = [
        " ".join(f"item{int(rng.integers(0, 60))} item" for _ in range(8)) + "." for _ in range(40)
    ]
    a, b = _prep("\n".join(lines[:25]), embedder), _prep("\n".join(lines[15:]), embedder)
    assert float(((a.word_vectors @ b.word_vectors.T) >= similarity.SOFT_WORD_FLOOR).mean()) > (
        similarity._DENSE_SHARE
    )
    got, want = soft_matches(a, b), _soft_reference(a, b)
    assert np.allclose(got[0], want[0], atol=2e-6)
    assert np.allclose(got[1], want[1], atol=2e-6)


def test_likeliest_pairs_keep_k_per_row_and_column_and_transpose() -> None:
    rng = np.random.default_rng(3)
    prob = rng.random((12, 9)).round(2)  # rounding makes ties
    mask = similarity.likeliest_pairs(prob, 3)
    assert (mask.sum(axis=1) >= 3).all() and (mask.sum(axis=0) >= 3).all()
    assert np.array_equal(similarity.likeliest_pairs(prob.T, 3), mask.T)
    third = np.sort(prob, axis=1)[:, -3:-2]
    assert (mask | (prob < third)).all()  # every pair at least as likely as a row's third is in


def test_soft_matches_among_marked_pairs_equal_the_loop_reference(embedder) -> None:
    a, b = _prep(SOURCE + " " + SPUN_A, embedder), _prep(REORDERED + " " + SPUN_B, embedder)
    rng = np.random.default_rng(5)
    marked = rng.random((len(a.sentences), len(b.sentences))) < 0.5
    got_a, got_b = similarity.soft_matches_among(a, b, marked)
    want_a, want_b = _soft_reference(a, b)
    assert np.allclose(got_a, np.where(marked, want_a, 0.0), atol=2e-6)
    assert np.allclose(got_b, np.where(marked, want_b, 0.0), atol=2e-6)
    back_b, back_a = similarity.soft_matches_among(b, a, marked.T)
    assert np.array_equal(back_a, got_a.T) and np.array_equal(back_b, got_b.T)
    every = np.ones_like(marked)
    full_a, full_b = soft_matches(a, b)
    among_a, among_b = similarity.soft_matches_among(a, b, every)
    assert np.allclose(among_a, full_a, atol=2e-6) and np.allclose(among_b, full_b, atol=2e-6)


def test_long_articles_keep_the_seed_passages_with_soft_matches_among_likely_pairs(
    seeds, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from retold.ingest import read_article

    emb = get_embedder("static")
    a, b = (prepare(read_article(p), emb) for p in seeds)
    full = align(a, b)
    monkeypatch.setattr(similarity, "_SOFT_BUDGET", 0)  # as if both were long
    among = align(a, b)
    assert len(among.passages) >= 8
    assert {(p.a, p.b) for p in among.passages} == {(p.a, p.b) for p in full.passages}
