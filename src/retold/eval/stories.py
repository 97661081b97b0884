"""Scoring story clusters: pairwise precision/recall/F1, METER's catchline gold, duplicate groups.

Pairwise scores count pairs of articles: a pair is a true positive when the clusters put it
together and the gold does too. Only articles that have a gold label are scored, so a haystack
indexed beside METER does not change METER's score except by pulling its articles into METER
stories (which then costs nothing here but shows up in :func:`split_groups` and purity checks).

Example:
    >>> s = pairwise_f1([("a", "b", "c"), ("d",)], {"a": "x", "b": "x", "c": "y", "d": "y"})
    >>> (round(s.precision, 3), round(s.recall, 3), round(s.f1, 3))
    (0.333, 0.5, 0.4)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from retold.model import Article, content_hash
from retold.provenance.stories import StoryMap

__all__ = ["PairwiseScore", "identical_groups", "meter_gold", "pairwise_f1", "split_groups"]

# .../courts/<dd.mm.yy>/<catchline>/<file>.txt (PA or newspaper, raw text or annotated SGML)
_METER_PATH = re.compile(r"courts/(\d\d\.\d\d\.\d\d)/([^/\\]+)/[^/\\]+$")


@dataclass(frozen=True, slots=True)
class PairwiseScore:
    """Pairwise clustering scores.

    Attributes:
        precision: Share of predicted same-cluster pairs that the gold puts together.
        recall: Share of gold same-cluster pairs that the prediction puts together.
        f1: Harmonic mean of the two.
        true_pairs: Pairs together in both.
        predicted_pairs: Pairs together in the prediction (gold-labelled articles only).
        gold_pairs: Pairs together in the gold.
    """

    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    gold_pairs: int


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def pairwise_f1(clusters: Iterable[Iterable[str]], gold: Mapping[str, str]) -> PairwiseScore:
    """Pairwise precision, recall and F1 of clusters against gold labels.

    Args:
        clusters: Predicted clusters of article ids; ids in no cluster count as singletons.
        gold: Gold label (story) per article id; articles without one are not scored.

    Returns:
        The scores (1.0 where a denominator is zero).
    """
    cells: Counter[tuple[int, str]] = Counter()
    sizes: Counter[int] = Counter()
    for n, cluster in enumerate(clusters):
        for aid in set(cluster):
            label = gold.get(aid)
            if label is not None:
                cells[(n, label)] += 1
                sizes[n] += 1
    tp = sum(_pairs(c) for c in cells.values())
    pred = sum(_pairs(c) for c in sizes.values())
    true = sum(_pairs(c) for c in Counter(gold.values()).values())
    precision = tp / pred if pred else 1.0
    recall = tp / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return PairwiseScore(precision, recall, f1, tp, pred, true)


def meter_gold(articles: Iterable[Article]) -> dict[str, str]:
    """METER's story labels, ``"<date>/<catchline>"``, read from each article's origin path.

    Articles whose origin is not a METER courts file get no label.
    """
    gold: dict[str, str] = {}
    for art in articles:
        if art.origin is None:
            continue
        m = _METER_PATH.search(art.origin.path.replace("\\", "/"))
        if m is not None:
            gold[art.id] = f"{m.group(1)}/{m.group(2)}"
    return gold


def identical_groups(articles: Iterable[Article]) -> list[tuple[str, ...]]:
    """Groups of two or more articles whose bodies are the same string, as sorted id tuples."""
    by_body: dict[str, set[str]] = {}
    for art in articles:
        body = art.body_span.slice(art.text)
        by_body.setdefault(content_hash(body), set()).add(art.id)
    return sorted(tuple(sorted(ids)) for ids in by_body.values() if len(ids) > 1)


def split_groups(story_map: StoryMap, groups: Sequence[Iterable[str]]) -> list[tuple[str, ...]]:
    """The groups whose members do not all land in one story."""
    home = story_map.membership()
    out = []
    for group in groups:
        ids = tuple(group)
        if len({home.get(i) for i in ids}) > 1:
            out.append(ids)
    return out
