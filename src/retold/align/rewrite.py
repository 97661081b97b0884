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

__all__ = ["copy_rate", "covered_by_shared_ngrams", "rewrite_kind"]


def covered_by_shared_ngrams(words: Sequence[str], shared: set[tuple[str, ...]], n: int) -> int:
    """Count tokens of ``words`` that lie inside an n-gram from ``shared``."""
    if len(words) < n or not shared:
        return 0
    covered = [False] * len(words)
    for k in range(len(words) - n + 1):
        if tuple(words[k : k + n]) in shared:
            for m in range(k, k + n):
                covered[m] = True
    return sum(covered)


def copy_rate(a: Sequence[str], b: Sequence[str], n: int = 3) -> float:
    """Share of the two passages' tokens inside a word n-gram both share (symmetric)."""
    total = len(a) + len(b)
    if total == 0:
        return 0.0
    if len(a) < n or len(b) < n:
        # Very short passages: fall back to the share of identical words.
        common = set(a) & set(b)
        return round((sum(w in common for w in a) + sum(w in common for w in b)) / total, 4)
    grams_a = {tuple(a[k : k + n]) for k in range(len(a) - n + 1)}
    grams_b = {tuple(b[k : k + n]) for k in range(len(b) - n + 1)}
    shared = grams_a & grams_b
    covered = covered_by_shared_ngrams(a, shared, n) + covered_by_shared_ngrams(b, shared, n)
    return round(covered / total, 4)


def rewrite_kind(rate: float) -> RewriteKind:
    """Rewrite kind of a passage (or a document) from its copy rate."""
    if rate >= VERBATIM_RATE:
        return RewriteKind.VERBATIM
    if rate >= LIGHT_RATE:
        return RewriteKind.LIGHT
    return RewriteKind.HEAVY
