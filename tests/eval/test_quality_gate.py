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
# METER courts, 769 newspaper stories vs joined PA copy: 3-way macro-F1 measured 0.711 with the
# shipped (METER-fitted) coefficients once a pair is derived whenever its two derived relations
# together are likelier than not (2026-11-24); derived-class F1 0.908. Out of fold (python -m
# retold.eval.crossval: 10 folds grouped by story, 3 draws) 0.669 and 0.896. Was 0.712 / 0.906
# (0.668 / 0.890 out of fold) with the likeliest single relation, 0.715 / 0.906 (0.665 / 0.887)
# before the sentence-counterpart features, 0.707 / 0.902 (0.667 / 0.889) before the verdict
# read the names both sides share, 0.702 / 0.900 in sample before the copied-sentence feature.
METER_MACRO_F1_FLOOR = 0.71
METER_DERIVED_F1_FLOOR = 0.905
# Direction on METER pairs judged derived, PA the true source. Measured 2026-11-23 with the
# sentence-counterpart verdict and the shared-source model reading the mutual share at
# threshold 0.2925 (before those, at 0.295, in brackets): against the joined PA copy 424 right,
# 8 wrong (419 / 8); against each single take of a story PA filed several times 525 right, 78
# wrong (529 / 79); between two derived papers of one story (both rewrote PA) 89 of 654 named
# one paper the other's source (90 of 668). The coverage-and-facts rule the model replaced
# gave 406 / 9, 505 / 85 and 337. Since 2026-11-24 the pairs derived only because their derived
# relations together pass a half are asked too, and answer unknown (no shape cues): the same
# rights and wrongs, of 702 sibling pairs.
METER_DIRECTION_JOINED = (420, 8)  # at least this many right, at most this many wrong
METER_DIRECTION_TAKES = (524, 79)
METER_DIRECTION_SIBLINGS_WRONG = 89
# Clough–Stevenson tasks a-c, 57 answers, 4-way (cut/light/heavy/non): measured 0.825 (47/57,
# 2026-11-23, with and without the sentence-counterpart features) once long unbroken runs of
# shared words count as verbatim; 0.789 (45/57) before, 0.737 before the rewrite-kind cut
# points were re-fitted.
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
