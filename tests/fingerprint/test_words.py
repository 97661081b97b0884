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
