"""Calibration rows: one compared pair of a data set, its features and its gold label.

Example:
    >>> from retold.model import Article
    >>> from retold.pipeline import Comparer
    >>> text = "The court heard that Smith was fined 500 pounds in Leeds on Monday."
    >>> row = make_row("meter", "wholly_derived", Comparer().compare(
    ...     Article.from_text(text), Article.from_text(text + " He will appeal.")))
    >>> RELATIONS[row.relation], row.own_a, row.features["u3_max"]
    ('wholly_derived', 0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass

from retold.model import Comparison, FactStatus
from retold.provenance.calibration import RELATIONS
from retold.provenance.direction import settling

__all__ = ["VerdictRow", "make_row"]


@dataclass(frozen=True, slots=True)
class VerdictRow:
    """One training pair for the verdict, kind and direction constants.

    Attributes:
        source: Which set the pair comes from (``meter``, ``meter-take``, ``clough``, ...).
        relation: Index of the gold relation in ``RELATIONS``.
        features: The comparison's document features.
        category: The data set's own label, where it has one (Clough's cut/light/heavy/non).
        own_a: Facts only side a states.
        own_b: Facts only side b states.
        group: What the pair must share a cross-validation fold with
            (:mod:`retold.eval.crossval`): a METER story (its papers share the PA side), one
            Clough answer, one synthetic MSRP document.
        settled: Signed weight of the pair's dates, times and credit lines (positive favours
            a; see :func:`~retold.provenance.direction.settling`).
        strong: Whether the pair has any date, time or credit line cue.
    """

    source: str
    relation: int
    features: dict[str, float]
    category: str | None = None
    own_a: int = 0
    own_b: int = 0
    group: str = ""
    settled: float = 0.0
    strong: bool = False


def make_row(
    source: str, relation: str, c: Comparison, category: str | None = None, group: str = ""
) -> VerdictRow:
    """The calibration row of a comparison whose gold relation is ``relation``."""
    own_a = sum(f.status is FactStatus.ONLY_A for f in c.facts)
    own_b = sum(f.status is FactStatus.ONLY_B for f in c.facts)
    settled, strong = settling(c.direction.evidence)
    index = RELATIONS.index(relation)
    return VerdictRow(source, index, c.features, category, own_a, own_b, group, settled, strong)
