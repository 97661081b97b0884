"""Soft word matching over distinct words equals matching every token pair."""

from __future__ import annotations

import numpy as np
import pytest

from retold.align import prepare, similarity
from retold.fingerprint.words import WordVectors
from retold.model import Article

A = (
    "The court heard the court clerk read the charge. It was there. "
    "The judge told the court the clerk had read the charge twice, and the judge fined him."
)
B = (
    "A clerk read out the charge in court. The judge said the charge was read twice. "
    "He was then fined by the judge."
)


def _prep(text: str, embedder):
    return prepare(Article.from_text(text), embedder)


def test_word_table_rows_are_the_token_vectors(embedder) -> None:
    p = _prep(A, embedder)
    assert len(p.word_table) < len(p.word_ids)  # repeated words are stored once
    assert np.array_equal(p.word_table[p.word_ids], p.word_vectors)
    words = [w for w, c in zip(p.tokens.words, p.content.tolist(), strict=True) if c]
    assert np.array_equal(p.word_vectors, embedder.embed(words))


def test_passing_pairs_are_those_of_every_token_pair(embedder, monkeypatch) -> None:
    a, b = _prep(A, embedder), _prep(B, embedder)
    assert similarity._passing_pairs(a, b) is None  # a short pair: many pairs pass the floor
    monkeypatch.setattr(similarity, "_DENSE_SHARE", 1.0)
    full = a.word_vectors @ b.word_vectors.T
    want = {
        (i, j, float(full[i, j]))
        for i, j in zip(*np.nonzero(full >= similarity.SOFT_WORD_FLOOR), strict=True)
    }
    passing = similarity._passing_pairs(a, b)
    assert passing is not None
    ti, tj, values = passing
    got = {(i, j, v) for i, j, v in zip(ti.tolist(), tj.tolist(), values.tolist(), strict=True)}
    assert len(got) == len(ti) and got == want


@pytest.mark.parametrize("share", [1 / 32, 1.0])
def test_soft_matches_with_a_sentence_of_stop_words_equal_the_block_path(
    embedder, monkeypatch, share: float
) -> None:
    # "It was there." holds no content word: its row stays 0 and the others are scattered.
    monkeypatch.setattr(similarity, "_DENSE_SHARE", share)
    a, b = _prep(A, embedder), _prep(B, embedder)
    assert 1 not in a.word_sentence.tolist()
    got = similarity.soft_matches(a, b)
    monkeypatch.setattr(similarity, "_BLOCK", 8)  # one a-sentence a block: all token pairs
    want = similarity.soft_matches(a, b)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])
    assert not got[0][1].any() and not got[1][1].any()


def test_distinct_lookup_while_the_table_grows(embedder) -> None:
    memo = WordVectors(embedder)
    words = [f"w{k % 1500}x" for k in range(3000)]  # past the first table of 1,024 rows
    table, ids = memo.lookup_distinct(words)
    assert len(table) == 1500
    assert np.array_equal(table[ids], embedder.embed(words))
    assert np.array_equal(memo.lookup(["w1x", "new"]), embedder.embed(["w1x", "new"]))
