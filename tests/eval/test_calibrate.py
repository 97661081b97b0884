"""The rewrite-kind fit on the real Clough–Stevenson answers, and the constants it shipped."""

from __future__ import annotations

from itertools import combinations, pairwise
from pathlib import Path

import pytest

from retold.eval.calibrate import VerdictRow, fit_kind
from retold.ingest.corpora.clough import load_clough
from retold.pipeline import Comparer
from retold.provenance import calibration

pytestmark = pytest.mark.quality


@pytest.fixture(scope="module")
def clough_rows(shared: Path) -> list[VerdictRow]:
    comparer = Comparer()
    rows = []
    for item in load_clough(shared / "data" / "clough-stevenson"):
        features = dict(comparer.compare(item.answer, item.source).features)
        rows.append(VerdictRow("clough", 0, features, item.category))
    return rows


def _correct(rows: list[VerdictRow], hi: float, lo: float) -> int:
    ok = 0
    for r in rows:
        if r.category == "non":
            continue
        value = r.features[calibration.KIND_FEATURE]
        pred = "cut" if value >= hi else "light" if value >= lo else "heavy"
        ok += pred == r.category
    return ok


def test_no_pair_of_cut_points_beats_the_fit(clough_rows: list[VerdictRow]) -> None:
    hi, lo = fit_kind(clough_rows)
    assert lo < hi
    values = sorted(
        {r.features[calibration.KIND_FEATURE] for r in clough_rows if r.category != "non"}
    )
    # Every partition of the sorted values into heavy < light < cut, cut points in the gaps.
    gaps = [(x + y) / 2 for x, y in pairwise(values)]
    best = max(_correct(clough_rows, h, low) for low, h in combinations(gaps, 2))
    assert _correct(clough_rows, hi, lo) == best


def test_shipped_cut_points_are_the_fit_on_current_features(
    clough_rows: list[VerdictRow],
) -> None:
    # Fails when features drift without re-running ``python -m retold.eval.calibrate --write``.
    assert fit_kind(clough_rows) == (calibration.KIND_VERBATIM_RATE, calibration.KIND_LIGHT_RATE)
