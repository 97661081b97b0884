"""Sentence-pair paraphrase scoring: is this sentence a rewording of that one?

Alignment scores every sentence pair of two articles at once with a few vectorised features
(:mod:`retold.align.similarity`). This module scores one pair at a time with a richer, slower set,
for verifying candidate pairs and for sentence-level data such as MSRP:

- the alignment features (embedding cosine, weighted stem overlap, containment, lengths);
- n-gram precision of each side against the other (n = 1..4), BLEU with brevity penalty;
- word-level edit distance and longest common subsequence of stems, character trigram Dice;
- mismatches that change meaning: numbers, capitalised names, content words left unmatched even
  allowing near-synonyms (static-vector cosine ≥ ``SYNONYM_COSINE``);
- greedy soft matching of wordpieces with the static vectors (a BERTScore-style precision/recall);
- the MiniLM sentence cosine when the scorer runs with the ``minilm`` embedder.

Every feature is symmetric (min/max of the two directions), so ``score(a, b) == score(b, a)``.
Coefficients are fitted on MSRP train by ``retold.eval.calibrate`` (see calibration).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from retold.align.calibration import PARAPHRASE_COEF, PARAPHRASE_INTERCEPT
from retold.align.similarity import pair_features, pair_matrices
from retold.align.units import prepare
from retold.fingerprint import get_embedder
from retold.fingerprint.static import StaticEmbedder
from retold.model import Article
from retold.text import STOPWORDS, tokenize

__all__ = ["PARAPHRASE_FEATURES", "ParaphraseScorer", "paraphrase_features"]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Two words count as near-synonyms above this static-vector cosine (checked by hand on word pairs
# from the example corpus: "hurt"/"injured" 0.66, "road"/"street" 0.71, "fire"/"library" 0.31).
SYNONYM_COSINE = 0.6

PARAPHRASE_FEATURES = (
    "semantic", "lexical", "contain_min", "contain_max", "len_ratio", "short_len", "sem_x_lex",
    "p1_min", "p1_max", "p2_min", "p2_max", "p3_min", "p3_max", "p4_min", "p4_max",
    "numbers_differ", "numbers_unmatched", "content_diff", "names_diff", "length_diff",
    "soft_min", "soft_max", "soft_f", "unmatched_weight",
    "edit", "lcs", "lcs_short", "char_dice", "bleu_min", "bleu_max",
    "unmatched_min", "unmatched_max", "long_len", "soft_unmatched_min", "soft_unmatched_max",
    "model_cosine",
)  # fmt: skip


def _precision(a: Sequence[str], b: Sequence[str], n: int) -> float:
    grams_a = {tuple(a[k : k + n]) for k in range(len(a) - n + 1)}
    grams_b = {tuple(b[k : k + n]) for k in range(len(b) - n + 1)}
    return len(grams_a & grams_b) / len(grams_a) if grams_a else 0.0


def _bleu(a: Sequence[str], b: Sequence[str]) -> float:
    logs = 0.0
    for n in (1, 2, 3, 4):
        grams = [tuple(a[k : k + n]) for k in range(len(a) - n + 1)]
        other = {tuple(b[k : k + n]) for k in range(len(b) - n + 1)}
        logs += math.log((sum(g in other for g in grams) + 1) / (len(grams) + 1))
    brevity = min(1.0, math.exp(1 - len(b) / max(len(a), 1)))
    return brevity * math.exp(logs / 4)


def _edit_and_lcs(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    edit = list(range(len(b) + 1))
    lcs = [0] * (len(b) + 1)
    for i, x in enumerate(a, 1):
        e_row = [i] + [0] * len(b)
        l_row = [0] * (len(b) + 1)
        for j, z in enumerate(b, 1):
            same = x == z
            e_row[j] = min(edit[j] + 1, e_row[j - 1] + 1, edit[j - 1] + (not same))
            l_row[j] = lcs[j - 1] + 1 if same else max(lcs[j], l_row[j - 1])
        edit, lcs = e_row, l_row
    return edit[-1], lcs[-1]


def _char_grams(text: str) -> set[str]:
    s = " ".join(text.lower().split())
    return {s[k : k + 3] for k in range(len(s) - 2)}


@dataclass(frozen=True, slots=True)
class _Static:
    table: npt.NDArray[np.float32]
    unit: npt.NDArray[np.float32]
    weight: npt.NDArray[np.float32]


def _static_embedder() -> StaticEmbedder:
    embedder = get_embedder("static")
    if not isinstance(embedder, StaticEmbedder):  # pragma: no cover - get_embedder's contract
        raise TypeError("the static embedder has no token table")
    return embedder


@lru_cache(maxsize=1)
def _static() -> _Static:
    table = _static_embedder().table
    norms = np.linalg.norm(table, axis=1)
    unit = table / np.maximum(norms, 1e-9)[:, None]
    return _Static(table, unit.astype(np.float32), norms.astype(np.float32))


def _piece_ids(texts: Sequence[str]) -> list[list[int]]:
    tokenizer = _static_embedder().tokenizer
    return [e.ids for e in tokenizer.encode_batch(list(texts), add_special_tokens=False)]


def _soft(ids_a: list[int], ids_b: list[int]) -> tuple[float, float, float, float]:
    if not ids_a or not ids_b:
        return 0.0, 0.0, 0.0, 2.0
    st = _static()
    sim = st.unit[ids_a] @ st.unit[ids_b].T
    wa, wb = st.weight[ids_a], st.weight[ids_b]
    best_a, best_b = sim.max(axis=1), sim.max(axis=0)
    p = float(best_a @ wa / max(float(wa.sum()), 1e-9))
    r = float(best_b @ wb / max(float(wb.sum()), 1e-9))
    f = 2 * p * r / (p + r) if p + r > 0 else 0.0
    unmatched = float(((best_a < 0.999) * wa).sum() / max(float(wa.sum()), 1e-9)) + float(
        ((best_b < 0.999) * wb).sum() / max(float(wb.sum()), 1e-9)
    )
    return min(p, r), max(p, r), f, unmatched


def _soft_unmatched(words: list[str], other: list[str]) -> int:
    if not words:
        return 0
    if not other:
        return len(words)
    st = _static()
    pieces = _piece_ids(words + other)

    def vec(ids: list[int]) -> npt.NDArray[np.float32]:
        v = st.unit[ids].mean(axis=0) if ids else np.zeros(st.unit.shape[1], np.float32)
        n = float(np.linalg.norm(v))
        return v / n if n > 0 else v

    vw = np.stack([vec(p) for p in pieces[: len(words)]])
    vo = np.stack([vec(p) for p in pieces[len(words) :]])
    return int(((vw @ vo.T).max(axis=1) < SYNONYM_COSINE).sum())


def paraphrase_features(a: str, b: str, *, model_cosine: float | None = None) -> list[float]:
    """Symmetric features of a sentence pair, in ``PARAPHRASE_FEATURES`` order.

    Args:
        a: First sentence.
        b: Second sentence.
        model_cosine: MiniLM cosine of the pair if known, else the static cosine is repeated.

    Returns:
        The feature values.
    """
    static = get_embedder("static")
    pa = prepare(Article.from_text(a), static, single_unit=True)
    pb = prepare(Article.from_text(b), static, single_unit=True)
    m = pair_matrices(pa, pb)
    base = pair_features(m.semantic, m.lexical, m.contain_a, m.contain_b, m.len_a, m.len_b)
    feats = [float(v) for v in base.reshape(-1, base.shape[-1])[0]] if base.size else [0.0] * 7
    ta, tb = tokenize(a), tokenize(b)
    wa, wb = list(ta.words), list(tb.words)
    for n in (1, 2, 3, 4):
        x, y = _precision(wa, wb, n), _precision(wb, wa, n)
        feats += [min(x, y), max(x, y)]
    na, nb = set(_NUMBER.findall(a)), set(_NUMBER.findall(b))
    content_a = {s for s, w in zip(ta.stems, wa, strict=True) if w not in STOPWORDS}
    content_b = {s for s, w in zip(tb.stems, wb, strict=True) if w not in STOPWORDS}
    caps_a = {w for w, (s, _) in zip(wa, ta.spans.tolist(), strict=True) if a[s].isupper()}
    caps_b = {w for w, (s, _) in zip(wb, tb.spans.tolist(), strict=True) if b[s].isupper()}
    feats += [
        float(na != nb),
        float(len(na ^ nb)),
        len(content_a ^ content_b) / max(len(content_a | content_b), 1),
        len(caps_a ^ caps_b) / max(len(caps_a | caps_b), 1),
        abs(len(wa) - len(wb)) / max(len(wa), len(wb), 1),
    ]
    ids_a, ids_b = _piece_ids([a, b])
    feats += list(_soft(ids_a, ids_b))
    sa, sb = list(ta.stems), list(tb.stems)
    longest = max(len(sa), len(sb), 1)
    edit, lcs = _edit_and_lcs(sa, sb)
    ga, gb = _char_grams(a), _char_grams(b)
    bleu_ab, bleu_ba = _bleu(sa, sb), _bleu(sb, sa)
    feats += [
        edit / longest,
        lcs / longest,
        lcs / max(min(len(sa), len(sb)), 1),
        2 * len(ga & gb) / max(len(ga) + len(gb), 1),
        min(bleu_ab, bleu_ba),
        max(bleu_ab, bleu_ba),
    ]
    only_a, only_b = sorted(content_a - content_b), sorted(content_b - content_a)
    soft_a = _soft_unmatched(only_a, sorted(content_b))
    soft_b = _soft_unmatched(only_b, sorted(content_a))
    feats += [
        float(min(len(only_a), len(only_b))),
        float(max(len(only_a), len(only_b))),
        math.log1p(max(len(wa), len(wb))),
        float(min(soft_a, soft_b)),
        float(max(soft_a, soft_b)),
        feats[0] if model_cosine is None else model_cosine,
    ]
    return feats


class ParaphraseScorer:
    """Probability that two sentences are paraphrases (fitted on MSRP train).

    Args:
        embedder: ``"static"`` uses only static vectors; ``"minilm"`` adds the MiniLM cosine.

    Example:
        >>> s = ParaphraseScorer()
        >>> a = "Police arrested two men on Monday."
        >>> s.score(a, "Two men were arrested by police on Monday.") > 0.5
        True
    """

    def __init__(self, embedder: Literal["static", "minilm"] = "static"):
        self.embedder = embedder
        self._model = get_embedder("minilm") if embedder == "minilm" else None

    def features(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """Feature rows of many pairs (MiniLM runs once over all sentences)."""
        cos: list[float | None] = [None] * len(pairs)
        if self._model is not None and pairs:
            va = self._model.embed([p[0] for p in pairs])
            vb = self._model.embed([p[1] for p in pairs])
            cos = [float(x) for x in np.einsum("ij,ij->i", va, vb)]
        return np.asarray(
            [
                paraphrase_features(a, b, model_cosine=c)
                for (a, b), c in zip(pairs, cos, strict=True)
            ],
            dtype=np.float64,
        )

    def probabilities(self, pairs: Sequence[tuple[str, str]]) -> npt.NDArray[np.float64]:
        """Paraphrase probability of each pair."""
        coef = np.asarray(PARAPHRASE_COEF[self.embedder], dtype=np.float64)
        z = self.features(pairs) @ coef + PARAPHRASE_INTERCEPT[self.embedder]
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def score(self, a: str, b: str) -> float:
        """Paraphrase probability of one pair."""
        return float(self.probabilities([(a, b)])[0])
