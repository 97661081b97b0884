"""Quality gate: the shipped pipeline against the real data sets in ../shared/data.

Floors are pinned from measured runs and only ever rise. Each names the data and the metric.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from retold.eval.clough import evaluate_clough
from retold.eval.meter import evaluate_meter
from retold.eval.msrp import evaluate_msrp
from retold.pipeline import Comparer

pytestmark = pytest.mark.quality

# Floors: measured values less a margin of one or two items for floating-point noise.
# METER courts, 769 newspaper stories vs joined PA copy: 3-way macro-F1 measured 0.715 with the
# shipped (METER-fitted) coefficients; derived-class F1 0.906. Out of fold (python -m
# retold.eval.crossval: 10 folds grouped by story, 3 draws) 0.665 and 0.887. Was 0.707 / 0.902
# (0.667 / 0.889 out of fold) before the verdict read the names both sides share (2026-11-23),
# 0.702 / 0.900 in sample before the copied-sentence feature.
METER_MACRO_F1_FLOOR = 0.71
METER_DERIVED_F1_FLOOR = 0.90
# Direction on METER pairs judged derived, PA the true source. Measured 2026-11-23 with the
# shared-source model at threshold 0.295 after the shared-names refit (at 0.29 before it; the
# coverage-and-facts rule the model replaced in brackets): against the joined PA copy 419 right,
# 8 wrong (417 / 9 before; 406 / 9); against each single take of a story PA filed several times
# 529 right, 79 wrong (526 / 78; 505 / 85); between two derived papers of one story (both
# rewrote PA) 90 of 668 named one paper the other's source (87 of 661; 337).
METER_DIRECTION_JOINED = (415, 8)  # at least this many right, at most this many wrong
METER_DIRECTION_TAKES = (524, 80)
METER_DIRECTION_SIBLINGS_WRONG = 90
# Clough–Stevenson tasks a-c, 57 answers, 4-way (cut/light/heavy/non): measured 0.825 (47/57,
# 2026-11-23) once long unbroken runs of shared words count as verbatim; 0.789 (45/57) before,
# 0.737 before the rewrite-kind cut points were re-fitted.
CLOUGH_ACCURACY_FLOOR = 0.80
# MSRP train, 4,076 pairs, 10-fold cross-validated accuracy of the MiniLM sentence-pair scorer:
# measured 0.782 (F1 0.845).
MSRP_CV_ACCURACY_FLOOR = 0.78


@pytest.fixture(scope="module")
def comparer() -> Comparer:
    return Comparer()


def test_meter(shared: Path, comparer: Comparer) -> None:
    result = evaluate_meter(shared / "data" / "meter", comparer)
    assert result.items == 769
    # The one labelled story of the 770 with no PA text is named, not silently dropped.
    assert [u.split("/")[1] for u in result.unscored] == ["policeman"]
    assert result.three_way.macro_f1 >= METER_MACRO_F1_FLOOR
    assert result.binary_f1 >= METER_DERIVED_F1_FLOOR
    for counts, (right, wrong) in (
        (result.direction, METER_DIRECTION_JOINED),
        (result.direction_takes, METER_DIRECTION_TAKES),
    ):
        assert counts["correct"] >= right and counts["wrong"] <= wrong, counts
    assert result.direction_siblings["wrong"] <= METER_DIRECTION_SIBLINGS_WRONG
    assert sum(result.direction_siblings.values()) >= 600  # pairs judged derived


def test_clough(shared: Path, comparer: Comparer) -> None:
    result = evaluate_clough(shared / "data" / "clough-stevenson", comparer)
    assert result.items == 57
    assert result.scores.accuracy >= CLOUGH_ACCURACY_FLOOR


def test_msrp_cross_validated(shared: Path) -> None:
    result = evaluate_msrp(shared / "data" / "msrp" / "msr_paraphrase_train.txt")
    assert result.items == 4076
    assert result.cross_validated.accuracy >= MSRP_CV_ACCURACY_FLOOR
