"""Which candidate pairs are worth a full comparison when a whole archive is clustered.

Candidate retrieval (:mod:`retold.retrieve.candidates`) is generous on purpose: a query looks at
its few best candidates anyway. Clustering a whole archive compares every pair it keeps, and on
Reuters-21578 the generous rule yields 174k pairs, most between templated one-line notices
("Qtly div 7-1/2 cts vs 7-1/2 cts prior") or between unrelated commodity reports whose static
document vectors sit at cosine 0.8. :func:`prune_pairs` keeps a pair when

* it shares text: estimated containment at least :attr:`PruneOptions.min_lexical` *and* at least
  :attr:`PruneOptions.min_shared` shingles in common (a 12-shingle notice is "contained" in any
  other notice through three stock 3-grams), or its document vectors are very close
  (:attr:`PruneOptions.min_cosine`); and
* it is among the :attr:`PruneOptions.neighbours` best such pairs of one of its two articles
  (best by lexical + semantic score, ties by the other article's id, so the choice does not
  depend on the order articles were added).

Example:
    >>> import numpy as np
    >>> from retold.retrieve.candidates import CandidatePair
    >>> pairs = [CandidatePair(0, 1, 0.9, 0.95, 0.95), CandidatePair(0, 2, 0.0, 0.81, 0.81)]
    >>> kept = prune_pairs(pairs, np.array([40, 50, 60]), ["a", "b", "c"])
    >>> [(p.a, p.b) for p in kept]
    [(0, 1)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from retold.errors import ConfigError
from retold.retrieve.candidates import CandidatePair

__all__ = ["PruneOptions", "prune_pairs"]


@dataclass(frozen=True, slots=True, kw_only=True)
class PruneOptions:
    """Which candidate pairs a whole-archive clustering compares.

    Attributes:
        min_lexical: Estimated containment (smaller shingle set in the larger) for a pair to
            count as sharing text.
        min_shared: ... together with at least this many shared 3-gram shingles (estimated).
        min_cosine: Document-vector cosine for a pair that shares little text to be compared.
        neighbours: Pairs kept per article (a pair stays when either article keeps it);
            ``0`` keeps every eligible pair.
    """

    # Calibrated on the full archive (METER courts, Reuters-21578, BBC News, the seeds: 23,073
    # articles, 192,965 raw candidate pairs with CandidateOptions.pair_nearest 2), every pair
    # judged by the verdict model fitted on the soft-link alignment and clustered with the
    # default ClusterOptions. METER pairwise F1 / pairs kept: neighbours 4, min_cosine 0.88
    # 0.887 / 48k; 6 / 0.88 0.897 / 62k; 6 / 0.85 (these) 0.910 / 74k; 8 / 0.85 0.911 / 83k
    # (with the previous verdict model 4 / 0.88 gave 0.919 and 8 / 0.85 0.940). Pairs of
    # articles dated days apart cost almost nothing: stories skips those that cannot tie (31k of
    # the 47k pairs of 4 / 0.88), so the cost is in the 23k pairs of articles dated together.
    # min_shared 8 cost 0.01 F1; 0 lets templated notices through.
    min_lexical: float = 0.03
    min_shared: int = 5
    min_cosine: float = 0.85
    neighbours: int = 6

    def __post_init__(self) -> None:
        if not 0.0 <= self.min_lexical <= 1.0 or not -1.0 <= self.min_cosine <= 1.0:
            raise ConfigError("min_lexical must be in [0, 1] and min_cosine in [-1, 1]")
        if self.min_shared < 0 or self.neighbours < 0:
            raise ConfigError("min_shared and neighbours must not be negative")


def _arrays(
    pairs: Sequence[CandidatePair],
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.float64]
]:
    a = np.fromiter((p.a for p in pairs), np.int64, len(pairs))
    b = np.fromiter((p.b for p in pairs), np.int64, len(pairs))
    lex = np.fromiter((p.lexical for p in pairs), np.float64, len(pairs))
    sem = np.fromiter((p.semantic for p in pairs), np.float64, len(pairs))
    return a, b, lex, sem


def _top_per_row(
    rows: npt.NDArray[np.int64],
    key: npt.NDArray[np.float64],
    tie: npt.NDArray[np.int64],
    k: int,
) -> npt.NDArray[np.bool_]:
    # Rank each entry within its row by key (descending), then tie (ascending); keep rank < k.
    order = np.lexsort((tie, -key, rows))
    sorted_rows = rows[order]
    starts = np.flatnonzero(np.concatenate(([True], sorted_rows[1:] != sorted_rows[:-1])))
    sizes = np.diff(np.concatenate((starts, [sorted_rows.size])))
    rank = np.arange(sorted_rows.size) - np.repeat(starts, sizes)
    keep = np.zeros(rows.size, dtype=bool)
    keep[order] = rank < k
    return keep


def _top_of_either(
    a: npt.NDArray[np.int64],
    b: npt.NDArray[np.int64],
    key: npt.NDArray[np.float64],
    ids: Sequence[str],
    among: npt.NDArray[np.bool_],
    k: int,
) -> npt.NDArray[np.bool_]:
    # Pairs of ``among`` that are in the top k (by key, ties by the other article's id) of
    # either of their two articles.
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[np.argsort(np.asarray(ids, dtype=object), kind="stable")] = np.arange(len(ids))
    idx = np.flatnonzero(among)
    both_rows = np.concatenate((a[idx], b[idx]))
    both_tie = np.concatenate((id_rank[b[idx]], id_rank[a[idx]]))
    top = _top_per_row(both_rows, np.concatenate((key[idx], key[idx])), both_tie, k)
    out = np.zeros(a.size, dtype=bool)
    out[idx[top[: idx.size] | top[idx.size :]]] = True
    return out


def prune_pairs(
    pairs: Sequence[CandidatePair],
    shingles: npt.NDArray[np.int64],
    ids: Sequence[str],
    options: PruneOptions | None = None,
) -> list[CandidatePair]:
    """The candidate pairs worth comparing (see the module docstring for the rule).

    Args:
        pairs: Candidate pairs over rows of an index.
        shingles: Shingle-set size of each row.
        ids: Article id of each row (ties are broken by id, not by row).
        options: The rule's constants.

    Returns:
        The kept pairs, in their input order.
    """
    opts = options or PruneOptions()
    if not pairs:
        return []
    a, b, lex, sem = _arrays(pairs)
    small = np.minimum(shingles[a], shingles[b]).astype(np.float64)
    shares = (lex >= opts.min_lexical) & (lex * small >= opts.min_shared)
    eligible = shares | (sem >= opts.min_cosine)
    if opts.neighbours > 0:
        eligible = _top_of_either(a, b, lex + sem, ids, eligible, opts.neighbours)
    return [p for p, keep in zip(pairs, eligible, strict=True) if keep]
