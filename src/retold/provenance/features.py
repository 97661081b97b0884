"""Document-level features of an aligned pair, the inputs of the verdict and direction models.

Features without a side suffix are symmetric (they do not change when a and b swap); those
ending in ``_a`` / ``_b`` describe one side and swap names when the sides swap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from retold.align import Alignment, Prepared
from retold.model import FactKind
from retold.provenance.counterparts import distinct_shares, mutual_shares, text_weights
from retold.text.shingles import U64, Ngrams, covered_tokens

__all__ = [
    "CONTAINMENT_N",
    "SIDE_FEATURES",
    "SYMMETRIC_FEATURES",
    "document_features",
    "mean_run",
    "ngram_containment",
    "shared_names",
]

# Word n-gram sizes whose containment (share of tokens inside an n-gram the other side shares)
# is measured; 1 is measured on content stems instead.
CONTAINMENT_N = (2, 3, 5)
SIDE_FEATURES = (
    "c1",
    "c2",
    "c3",
    "c5",
    "cov",
    "soft",
    "hard",
    "loc",
    "sem",
    "u3",
    "run",
    "csent",
    "mutual",
    "distinct",
    "soft_out",
    "hard_out",
)
SYMMETRIC_FEATURES = (
    *(f"{name}_{agg}" for name in SIDE_FEATURES for agg in ("max", "min")),
    "doc_cos",
    "names",
    "copy_rate",
    "passage_score",
    "n_passages",
    "len_ratio",
    "len_min",
    "len_max",
)


def ngram_containment(a: U64, b: U64, n: int) -> tuple[float, float]:
    """Share of a's tokens inside an n-gram b also has, and the same for b (word hashes in)."""
    if len(a) < n or len(b) < n:
        return 0.0, 0.0
    return (
        float(covered_tokens(a, b, n).mean()),
        float(covered_tokens(b, a, n).mean()),
    )


def _shared_starts(
    mine: Ngrams, theirs: Ngrams, candidates: npt.NDArray[np.bool_] | None
) -> npt.NDArray[np.bool_]:
    """Per n-gram of ``mine``, whether ``theirs`` has it; only ``candidates`` are looked up."""
    shared = np.zeros(len(mine.hashes), dtype=bool)
    if theirs.hashes.size == 0 or mine.hashes.size == 0:
        return shared
    where_mine = np.flatnonzero(candidates) if candidates is not None else None
    wanted = mine.hashes if where_mine is None else mine.hashes[where_mine]
    where = np.searchsorted(theirs.ordered, wanted)
    where[where == theirs.ordered.size] = 0
    found: npt.NDArray[np.bool_] = theirs.ordered[where] == wanted
    if where_mine is None:
        return found
    shared[where_mine] = found
    return shared


def _spread(starts: npt.NDArray[np.bool_], n_tokens: int, n: int) -> npt.NDArray[np.bool_]:
    """Tokens inside an n-gram whose start is flagged (n-gram ``k`` covers ``k .. k+n-1``)."""
    covered = np.zeros(n_tokens, dtype=bool)
    for k in range(n):
        covered[k : k + len(starts)] |= starts
    return covered


@dataclass(frozen=True, slots=True)
class _Shared:
    """The word n-grams of one size that both sides have.

    Attributes:
        starts_a: Per n-gram of a, whether b has it.
        starts_b: Per n-gram of b, whether a has it.
        covered_a: Per token of a, whether it is inside an n-gram b has (``covered_by(a, b)``).
        covered_b: The same for b.
    """

    starts_a: npt.NDArray[np.bool_]
    starts_b: npt.NDArray[np.bool_]
    covered_a: npt.NDArray[np.bool_]
    covered_b: npt.NDArray[np.bool_]


def _covered(grams_a: Sequence[Ngrams], grams_b: Sequence[Ngrams]) -> list[_Shared]:
    """Per n-gram size, the tokens of a, and of b, inside a word n-gram the other side has.

    Args:
        grams_a: The n-grams of a, one :class:`~retold.text.shingles.Ngrams` per size, the
            sizes increasing.
        grams_b: The n-grams of b for the same sizes.

    Returns:
        Per size, the shared n-grams and the tokens they cover on each side.

    Both sides share an n-gram only if they share each smaller n-gram inside it, so a larger
    size looks up only the n-grams whose smaller n-grams were all found (on METER pairs about
    an eighth of the trigrams and of the 5-grams); the binary search of the hashes is most of
    the cost. (This assumes no 64-bit hash collision, as the n-gram hashes do everywhere.)
    """
    out: list[_Shared] = []
    prev: tuple[int, npt.NDArray[np.bool_], npt.NDArray[np.bool_]] | None = None
    for mine, theirs in zip(grams_a, grams_b, strict=True):
        n = mine.n
        cand_a = cand_b = None
        if prev is not None:
            smaller, starts_a, starts_b = prev
            cand_a, cand_b = _inside(starts_a, n - smaller), _inside(starts_b, n - smaller)
        starts_a = _shared_starts(mine, theirs, cand_a)
        starts_b = _shared_starts(theirs, mine, cand_b)
        covered_a = _spread(starts_a, mine.n_tokens, n)
        out.append(_Shared(starts_a, starts_b, covered_a, _spread(starts_b, theirs.n_tokens, n)))
        prev = (n, starts_a, starts_b)
    return out


def _inside(starts: npt.NDArray[np.bool_], extra: int) -> npt.NDArray[np.bool_]:
    """N-grams ``extra`` words longer whose ``extra + 1`` smaller n-grams are all flagged."""
    count = len(starts) - extra
    if count <= 0:
        return np.zeros(0, dtype=bool)
    inside = starts[:count].copy()
    for k in range(1, extra + 1):
        inside &= starts[k : k + count]
    return inside


def _shares(
    covered_a: npt.NDArray[np.bool_], covered_b: npt.NDArray[np.bool_]
) -> tuple[float, float]:
    return (
        int(np.count_nonzero(covered_a)) / len(covered_a),
        int(np.count_nonzero(covered_b)) / len(covered_b),
    )


# Double quotation marks: straight, curly, and the `` of PA's `` ''.
_QUOTE_MARKS = ('"', "\u201c", "\u201d", "`")


def _positions(text: str, needle: str, lo: int, hi: int) -> list[int]:
    """Every start of ``needle`` inside ``text[lo:hi]``, overlapping ones included."""
    out = []
    i = text.find(needle, lo, hi)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1, hi)
    return out


def _outside_quotes(
    text: str, lo: int, hi: int, starts: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """Which token ``starts`` stand outside double quotation marks in ``text[lo:hi]``.

    Marks are straight and curly double quotes and PA's `` '' pairs; every mark toggles.
    """
    # One ``str.find`` scan per mark: a regex class holding the non-ASCII curly quotes scanned
    # a 4 KB METER article six times slower. Two apostrophes in a row count at every start
    # ("'''" gives two).
    marks = [i for mark in (*_QUOTE_MARKS, "''") for i in _positions(text, mark, lo, hi)]
    if len(marks) < 2:
        return np.ones(len(starts), dtype=bool)
    # Few marks, many tokens: place each mark among the (strictly increasing) token starts,
    # then count the marks before each token: five times faster than a binary search per token.
    after = np.searchsorted(starts, marks, side="right")  # the first token after each mark
    depth = np.cumsum(np.bincount(after, minlength=len(starts) + 1)[: len(starts)])
    outside: npt.NDArray[np.bool_] = depth % 2 == 0
    return outside


def _copied_sentences(
    bounds: npt.NDArray[np.int64], starts: npt.NDArray[np.bool_], outside: npt.NDArray[np.bool_]
) -> float:
    """Share of tokens in sentences whose words outside quotes are mostly in shared 5-grams.

    Reports of one court case quote the same speech whether or not one copied the other, so
    only shared 5-grams wholly outside quotation marks count (``He said: "..."`` before a shared
    quotation is not copying), and a sentence with nothing outside quotes is not copied.
    Added 2026-11-22: with it, grouped 10-fold cross-validation of the verdict on METER courts
    rose from 0.672 to 0.685 macro-F1 (3-way) and from 0.891 to 0.898 derived F1 (the same
    share with quotes counted: 0.673 and 0.893).

    Args:
        bounds: Token index where each sentence starts, then the token count.
        starts: Per 5-gram, whether the other side has it.
        outside: Per token, whether it stands outside quotation marks.
    """
    total = int(bounds[-1] - bounds[0])
    if total <= 0:
        return 0.0
    free = starts & _inside(outside, 4) if len(starts) else starts
    covered = _spread(free, len(outside), 5)
    mine = np.concatenate(([0], np.cumsum(covered)))
    told = np.concatenate(([0], np.cumsum(outside)))
    hit = mine[bounds[1:]] - mine[bounds[:-1]]
    out = told[bounds[1:]] - told[bounds[:-1]]
    copied = (out > 0) & (2 * hit >= out)
    sizes = np.diff(bounds)
    return int(sizes[copied].sum()) / total


_NAMED = (FactKind.NAME, FactKind.PLACE)


def shared_names(a: Prepared, b: Prepared) -> float:
    """Share of the distinct names and places (fact keys) of the side naming fewer the other has.

    A same-event signal that does not need shared wording: two reports of one event, however
    differently told, name the same people and places, while unrelated articles of one field
    share at most a capital or a county. On METER courts a paper and the PA copy of its story
    share a median 58 % (non-derived) to 76 % (wholly derived) of the names of the side naming
    fewer, a paper and the next story's PA copy a median 0 % (90th percentile 5 %). Added
    2026-11-23 so that an independent report of the same event, told from another angle with
    little wording in common (the example corpus's ``independent.txt``), reads as the same
    story.
    """
    na = {f.key for f in a.facts if f.kind in _NAMED}
    nb = {f.key for f in b.facts if f.kind in _NAMED}
    fewer = min(len(na), len(nb))
    return len(na & nb) / fewer if fewer else 0.0


def mean_run(covered: npt.NDArray[np.bool_]) -> float:
    """``log1p`` of the mean length of the maximal runs of covered tokens (0 without any)."""
    total = int(np.count_nonzero(covered))
    if not total:
        return 0.0
    # The mean run length is the covered count over the number of runs (run starts).
    runs = int(covered[0]) + int(np.count_nonzero(covered[1:] > covered[:-1]))
    return float(np.log1p(total / runs))


@dataclass(frozen=True, slots=True)
class _SentenceWeights:
    """Token count of each sentence of one side, and their total (computed once per pair)."""

    weights: npt.NDArray[np.float64]
    total: float

    @classmethod
    def of(cls, prep: Prepared) -> _SentenceWeights:
        weights = np.diff(prep.bounds).astype(np.float64)
        return cls(weights, weights.sum())

    @classmethod
    def outside(cls, prep: Prepared, outside: npt.NDArray[np.bool_]) -> _SentenceWeights:
        """Each sentence weighted by its tokens outside quotation marks."""
        told = np.concatenate(([0], np.cumsum(outside)))
        weights = (told[prep.bounds[1:]] - told[prep.bounds[:-1]]).astype(np.float64)
        return cls(weights, weights.sum())

    def mean(self, values: npt.NDArray[np.float64]) -> float:
        """Mean of a per-sentence value weighted by the sentence's token count."""
        return float(self.weights @ values / self.total) if values.size and self.total else 0.0

    def best_match_shares(self, best: npt.NDArray[np.float64]) -> tuple[float, float]:
        """Weighted mean best-match probability of the sentences, and weighted share >= 0.5."""
        if best.size == 0 or self.total == 0:
            return 0.0, 0.0
        return (
            float(self.weights @ best / self.total),
            float(self.weights @ (best >= 0.5) / self.total),
        )


def document_features(a: Prepared, b: Prepared, al: Alignment) -> dict[str, float]:
    """Compute the features of an aligned pair.

    Args:
        a: First prepared article.
        b: Second prepared article.
        al: Their alignment.

    Returns:
        Feature name to value; see ``SYMMETRIC_FEATURES`` and the ``_a``/``_b`` side features.
    """
    side: dict[str, tuple[float, float]] = {}
    sizes = sorted({*CONTAINMENT_N, 3})
    masks = _covered([a.ngrams(n) for n in sizes], [b.ngrams(n) for n in sizes])
    covered = dict(zip(sizes, masks, strict=True))
    for n in CONTAINMENT_N:
        short = min(len(a.hashes), len(b.hashes)) < n
        side[f"c{n}"] = (0.0, 0.0) if short else _shares(covered[n].covered_a, covered[n].covered_b)
    stems_a, stems_b = a.content_stems, b.content_stems
    shared = len(stems_a & stems_b)
    side["c1"] = (
        shared / len(stems_a) if stems_a else 0.0,
        shared / len(stems_b) if stems_b else 0.0,
    )
    side["cov"] = (al.coverage_a, al.coverage_b)
    qa, qb = (
        _outside_quotes(p.article.text, p.region.start, p.region.end, p.tokens.spans[:, 0])
        for p in (a, b)
    )
    ca3, cb3 = covered[3].covered_a, covered[3].covered_b
    side["u3"] = (
        float(ca3[qa].mean()) if qa.any() else 0.0,
        float(cb3[qb].mean()) if qb.any() else 0.0,
    )
    side["run"] = (mean_run(ca3), mean_run(cb3))
    five = covered[5]
    side["csent"] = (
        (0.0, 0.0)
        if min(len(a.hashes), len(b.hashes)) < 5
        else (
            _copied_sentences(a.bounds, five.starts_a, qa),
            _copied_sentences(b.bounds, five.starts_b, qb),
        )
    )
    wa, wb = _SentenceWeights.of(a), _SentenceWeights.of(b)
    m = al.matrices
    prob = m.probability
    best_a = prob.max(axis=1) if prob.size else np.zeros(0)
    best_b = prob.max(axis=0) if prob.size else np.zeros(0)
    # The same two shares with each sentence weighted by its words outside quotation marks too:
    # reports of one hearing quote the same speech whether or not one copied the other.
    oa, ob = _SentenceWeights.outside(a, qa), _SentenceWeights.outside(b, qb)
    for suffix, (ma, mb) in (("", (wa, wb)), ("_out", (oa, ob))):
        soft_a, hard_a = ma.best_match_shares(best_a)
        soft_b, hard_b = mb.best_match_shares(best_b)
        side[f"soft{suffix}"] = (soft_a, soft_b)
        side[f"hard{suffix}"] = (hard_a, hard_b)
    ta, tb = text_weights(a), text_weights(b)
    side["mutual"] = mutual_shares(prob, ta, tb)
    side["distinct"] = distinct_shares(m.semantic, ta, tb)
    empty = np.zeros(0)
    side["loc"] = (
        wa.mean(m.contain_a.max(axis=1) if m.contain_a.size else empty),
        wb.mean(m.contain_b.max(axis=0) if m.contain_b.size else empty),
    )
    side["sem"] = (
        wa.mean(m.semantic.max(axis=1) if m.semantic.size else empty),
        wb.mean(m.semantic.max(axis=0) if m.semantic.size else empty),
    )
    doc_cos = float(a.doc_vector @ b.doc_vector) if a.doc_vector.size == b.doc_vector.size else 0.0
    weights = [len(p.a) + len(p.b) for p in al.passages]
    total = sum(weights)
    copy = sum(w * r for w, r in zip(weights, al.copy_rates, strict=True)) / total if total else 0.0
    len_a, len_b = a.n_tokens, b.n_tokens
    # Characters inside aligned passages on each side (a direction cue: a copy usually says what
    # it took in fewer words). Overlapping passages count once per passage.
    chars_a = sum(len(p.a) for p in al.passages)
    chars_b = sum(len(p.b) for p in al.passages)
    feats: dict[str, float] = {}
    for name, (va, vb) in side.items():
        feats[f"{name}_a"] = va
        feats[f"{name}_b"] = vb
        feats[f"{name}_max"] = max(va, vb)
        feats[f"{name}_min"] = min(va, vb)
    feats.update(
        doc_cos=round(doc_cos, 6),
        names=shared_names(a, b),
        copy_rate=copy,
        passage_score=float(np.mean([p.score for p in al.passages])) if al.passages else 0.0,
        n_passages=float(np.log1p(len(al.passages))),
        len_a=float(len_a),
        len_b=float(len_b),
        len_ratio=abs(float(np.log1p(len_a) - np.log1p(len_b))),
        len_min=float(np.log1p(min(len_a, len_b))),
        len_max=float(np.log1p(max(len_a, len_b))),
        aligned_chars_a=float(chars_a),
        aligned_chars_b=float(chars_b),
    )
    return {k: round(float(v), 6) for k, v in feats.items()}
