"""How much wording survived between two passages, and the rewrite kind that follows from it.

The copy rate is the share of tokens (both sides together) that sit inside a word trigram found
on the other side: 1.0 for a verbatim copy, near 0 for a full paraphrase. Trigrams rather than
single words, because a heavy paraphrase keeps the names and numbers but not the phrasing.

Example:
    >>> copy_rate("the court was told".split(), "the court was told".split())
    1.0
    >>> rewrite_kind(0.1).value
    'heavy'
"""

from __future__ import annotations

from collections.abc import Sequence

from retold.align.calibration import LIGHT_RATE, VERBATIM_RATE
from retold.model import RewriteKind
from retold.text.shingles import (
    SMALL_NGRAMS,
    U64,
    contains,
    covered_count,
    covered_tokens,
    covered_tokens_of,
    word_hashes,
)

__all__ = ["copy_rate", "copy_rate_hashed", "copy_rate_ngrams", "rewrite_kind"]


def copy_rate(a: Sequence[str], b: Sequence[str], n: int = 3) -> float:
    """Share of the two passages' tokens inside a word n-gram both share (symmetric)."""
    return copy_rate_hashed(word_hashes(a), word_hashes(b), n)


def copy_rate_hashed(a: U64, b: U64, n: int = 3) -> float:
    """:func:`copy_rate` on precomputed word hashes (see :mod:`retold.text.shingles`)."""
    total = len(a) + len(b)
    if total == 0:
        return 0.0
    if len(a) < n or len(b) < n:
        # Very short passages: fall back to the share of identical words.
        covered = int(contains(b, a).sum() + contains(a, b).sum())
    else:
        covered = int(covered_tokens(a, b, n).sum() + covered_tokens(b, a, n).sum())
    return round(covered / total, 4)


def copy_rate_ngrams(a: U64, b: U64, grams_a: U64, grams_b: U64, n: int = 3) -> float:
    """:func:`copy_rate_hashed` given also the n-gram hashes of both passages.

    Args:
        a: Word hashes of passage a.
        b: Word hashes of passage b.
        grams_a: ``ngram_hashes(a, n)`` (for instance a slice of the whole article's).
        grams_b: ``ngram_hashes(b, n)``.
        n: The n-gram size.

    Returns:
        The copy rate, equal to ``copy_rate_hashed(a, b, n)``.
    """
    if len(a) < n or len(b) < n:
        return copy_rate_hashed(a, b, n)
    if len(grams_a) + len(grams_b) < SMALL_NGRAMS:
        # Few n-grams (a passage of a few sentences): Python sets and a count beat NumPy.
        list_a, list_b = grams_a.tolist(), grams_b.tolist()
        shared = set(list_a).intersection(list_b)
        if not shared:
            return 0.0
        covered = covered_count(list_a, shared, n) + covered_count(list_b, shared, n)
    else:
        covered = int(covered_tokens_of(grams_a, grams_b, len(a), n).sum())
        covered += int(covered_tokens_of(grams_b, grams_a, len(b), n).sum())
    return round(covered / (len(a) + len(b)), 4)


def rewrite_kind(rate: float) -> RewriteKind:
    """Rewrite kind of a passage (or a document) from its copy rate."""
    if rate >= VERBATIM_RATE:
        return RewriteKind.VERBATIM
    if rate >= LIGHT_RATE:
        return RewriteKind.LIGHT
    return RewriteKind.HEAVY
