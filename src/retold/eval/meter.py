"""METER courts evaluation: each newspaper story against the PA copy of its date and catchline.

The PA versions of one story (``name1.txt``, ``name2.txt``, ``name1sub.txt`` …) are joined into one
source text, since a newspaper may draw on any of them. Scored 3-way (wholly / partially /
non-derived) by macro-F1 and 2-way (derived or not) by the derived class's F1. Published anchor:
best ternary average F1 0.664 (Clough et al., ACL 2002). Direction is scored against the joined
copy, against each single take, and between two derived papers of one story (both rewrote PA,
so neither is the other's source).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from retold.eval.metrics import ClassScores, f1_scores
from retold.ingest.corpora.meter import MeterCorpus, MeterItem, load_meter
from retold.model import Article, Comparison, Relation, Source
from retold.pipeline import Comparer

if TYPE_CHECKING:
    from retold.align import Prepared

__all__ = ["MeterResult", "evaluate_meter", "meter_label", "meter_pairs", "pa_source"]

THREE_WAY = ("wholly", "partially", "non")


@dataclass(frozen=True, slots=True)
class MeterResult:
    """Scores of a METER run.

    Attributes:
        three_way: wholly / partially / non-derived scores.
        binary: derived / non scores (``binary_f1`` is the derived class's F1).
        binary_f1: F1 of the derived class.
        direction: Counts of the direction answers on derived items (PA is the true source).
        direction_takes: The same, comparing each derived item with each single PA take of its
            story where PA filed the story more than once (the newspaper then merges several
            takes, so it is often the longer text); pairs judged derived only.
        direction_siblings: Direction answers between every two derived newspaper stories of
            one story, pairs judged derived only: ``shared`` and ``unknown`` are right (both
            rewrote PA), ``wrong`` names one paper the other's source.
        items: Newspaper stories scored.
        seconds: Wall time of the run (loading, comparing, scoring).
        unscored: Labelled newspaper stories with no PA text for their date and catchline
            (the corpus has one: ``08.12.99/policeman``), as ``date/catchline/file name``.
    """

    three_way: ClassScores
    binary: ClassScores
    binary_f1: float
    direction: dict[str, int]
    items: int
    seconds: float
    unscored: tuple[str, ...] = ()
    direction_takes: dict[str, int] = field(default_factory=dict)
    direction_siblings: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON output."""
        return {
            "dataset": "meter-courts",
            "items": self.items,
            "three_way": self.three_way.as_dict(),
            "binary": self.binary.as_dict(),
            "binary_f1_derived": round(self.binary_f1, 4),
            "direction": self.direction,
            "direction_takes": self.direction_takes,
            "direction_siblings": self.direction_siblings,
            "unscored": list(self.unscored),
            "seconds": round(self.seconds, 2),
        }


def meter_label(relation: Relation) -> str:
    """Map a relation onto METER's three labels."""
    if relation is Relation.WHOLLY_DERIVED:
        return "wholly"
    if relation is Relation.PARTIALLY_DERIVED:
        return "partially"
    return "non"


def pa_source(corpus: MeterCorpus, date: str, catchline: str) -> Article | None:
    """The PA versions of one story joined into one source article (None when there are none)."""
    versions = corpus.pa.get((date, catchline), ())
    if not versions:
        return None
    text = "\n\n".join(v.body_span.slice(v.text) for v in versions)
    return Article.from_text(text, outlet="PA", date=versions[0].date, title=versions[0].title)


def meter_pairs(corpus: MeterCorpus) -> Iterator[tuple[MeterItem, Article]]:
    """Each labelled newspaper story with its joined PA source."""
    cache: dict[tuple[str, str], Article | None] = {}
    for item in corpus.newspapers:
        if item.label is None:
            continue
        key = (item.date, item.catchline)
        if key not in cache:
            cache[key] = pa_source(corpus, *key)
        source = cache[key]
        if source is not None:
            yield item, source


def evaluate_meter(
    root: Path,
    comparer: Comparer | None = None,
    *,
    predict: Callable[[Comparison], Relation] | None = None,
) -> MeterResult:
    """Run the shipped pipeline over METER courts and score it.

    Args:
        root: The METER folder (``PA/``, ``newspapers/``, ``file_index/``).
        comparer: The comparer to use (default options when None).
        predict: Override of the relation read from each comparison (used by cross-validation).

    Returns:
        The scores and the wall time.
    """
    start = time.perf_counter()
    comparer = comparer or Comparer()
    corpus = load_meter(root)
    gold: list[str] = []
    pred: list[str] = []
    direction = {"correct": 0, "wrong": 0, "shared": 0, "unknown": 0}
    direction_takes = dict(direction)
    siblings = {"shared": 0, "unknown": 0, "wrong": 0}
    papers: dict[tuple[str, str], list[Prepared]] = {}
    prepared: dict[str, Prepared] = {}
    for item, source in meter_pairs(corpus):
        if source.id not in prepared:
            prepared[source.id] = comparer.prepare(source)
        paper = comparer.prepare(item.article)
        result = comparer.compare(paper, prepared[source.id])
        relation = predict(result) if predict else result.verdict.relation
        gold.append(item.label or "non")
        pred.append(meter_label(relation))
        if item.label != "non" and relation.derived:
            direction[_direction_key(result)] += 1
        if item.label in ("wholly", "partially"):
            papers.setdefault((item.date, item.catchline), []).append(paper)
        takes = corpus.pa.get((item.date, item.catchline), ())
        if item.label != "non" and len(takes) > 1:
            for take in takes:
                if take.id not in prepared:
                    prepared[take.id] = comparer.prepare(take)
                one = comparer.compare(paper, prepared[take.id])
                if one.verdict.relation.derived:
                    direction_takes[_direction_key(one)] += 1
    for _key, group in sorted(papers.items()):
        for n, first in enumerate(group):
            for second in group[n + 1 :]:
                pair = comparer.compare(first, second)
                if pair.verdict.relation.derived:
                    src = pair.direction.source
                    siblings["wrong" if src in (Source.A, Source.B) else src.value] += 1
    three = f1_scores(gold, pred, THREE_WAY)
    bin_gold = ["derived" if g != "non" else "non" for g in gold]
    bin_pred = ["derived" if p != "non" else "non" for p in pred]
    binary = f1_scores(bin_gold, bin_pred, ("derived", "non"))
    unscored = tuple(
        f"{item.date}/{item.catchline}/{Path(item.article.origin.path).name}"
        if item.article.origin is not None
        else f"{item.date}/{item.catchline}"
        for item in corpus.newspapers
        if item.label is not None and not corpus.pa.get((item.date, item.catchline))
    )
    return MeterResult(
        three,
        binary,
        binary.f1[0],
        direction,
        len(gold),
        time.perf_counter() - start,
        unscored,
        direction_takes,
        siblings,
    )


def _direction_key(result: Comparison) -> str:
    """``correct`` when the direction names PA (side b) the source, ``wrong`` for the paper."""
    src = result.direction.source
    return {Source.B: "correct", Source.A: "wrong"}.get(src, src.value)
