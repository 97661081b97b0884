"""Remembered word vectors equal freshly embedded ones."""

from __future__ import annotations

import numpy as np
import pytest

from retold.fingerprint import get_embedder
from retold.fingerprint.words import WordVectors, clear_word_vectors, static_word_vectors

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("weights_installed")]

WORDS = ["court", "fined", "kim's", "well-known", "zelenskyy", "court", "2,000", "fined"]


def test_lookup_equals_embed_bit_for_bit() -> None:
    embedder = get_embedder("static")
    memo = WordVectors(embedder)
    first = memo.lookup(WORDS)
    assert first.dtype == np.float32 and first.shape == (len(WORDS), embedder.dim)
    assert np.array_equal(first, embedder.embed(WORDS))
    assert len(memo) == len(set(WORDS))
    # Later lookups mix remembered and new words.
    more = ["judge", "court", "harbour", "kim's"]
    assert np.array_equal(memo.lookup(more), embedder.embed(more))
    assert memo.lookup([]).shape == (0, embedder.dim)


def test_full_memo_starts_afresh() -> None:
    embedder = get_embedder("static")
    memo = WordVectors(embedder, limit=4)
    memo.lookup(["one", "two", "three"])
    got = memo.lookup(["four", "five", "one"])
    assert len(memo) == 3  # the table started afresh with these three words
    assert np.array_equal(got, embedder.embed(["four", "five", "one"]))
    memo.clear()
    assert len(memo) == 0


def test_process_wide_memo() -> None:
    clear_word_vectors()
    words = ["police", "station", "police"]
    assert np.array_equal(static_word_vectors(words), get_embedder("static").embed(words))
    assert np.array_equal(static_word_vectors(words), get_embedder("static").embed(words))


def test_text_vectors_sum_the_words_of_each_sentence() -> None:
    embedder = get_embedder("static")
    memo = WordVectors(embedder)
    memo.lookup(["harbour", "police"])  # rows already remembered must not change the result
    words = ["police", "closed", "the", "harbour", "kim's", "visit", "police"]
    bounds = np.array([0, 4, 4, 7], dtype=np.int64)  # the middle sentence has no words
    keep = np.array([True, True, False, True, True, True, True])
    sentences, kept = memo.text_vectors(words, bounds, keep)
    assert sentences.shape == (3, embedder.dim) and sentences.dtype == np.float32
    sums = embedder.piece_sums(words)
    for row, (lo, hi) in zip(sentences, [(0, 4), (4, 4), (4, 7)], strict=True):
        if lo == hi:
            assert not row.any()
            continue
        want = sums[lo:hi].sum(axis=0)
        assert np.allclose(row, want / np.linalg.norm(want), atol=1e-6)
    assert np.array_equal(kept, embedder.embed([w for w, k in zip(words, keep, strict=True) if k]))
    # A fresh memo (other rows, other table size) gives the same vectors bit for bit.
    again = WordVectors(embedder).text_vectors(words, bounds, keep)
    assert np.array_equal(again[0], sentences) and np.array_equal(again[1], kept)


def test_text_vectors_agree_with_sentence_embeddings() -> None:
    # Punctuation is left out of the word sums; the static model weighs it next to nothing.
    embedder = get_embedder("static")
    words = ["the", "court", "fined", "him", "500", "pounds", "the", "judge", "said"]
    words += ["police", "closed", "the", "harbour"]
    bounds = np.array([0, 9, 13], dtype=np.int64)
    keep = np.ones(len(words), dtype=bool)
    sentences, _ = WordVectors(embedder).text_vectors(words, bounds, keep)
    full = embedder.embed(
        ["The court fined him 500 pounds, the judge said.", "Police closed the harbour!"]
    )
    assert np.all((sentences * full).sum(axis=1) > 0.99)
