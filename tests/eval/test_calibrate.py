"""The rewrite-kind fit on the real Clough–Stevenson answers, and the constants it shipped."""

from __future__ import annotations

from itertools import combinations, pairwise
from pathlib import Path

import pytest

from retold.eval.calibrate import NO_RUN_CUT, fit_kind
from retold.eval.rows import VerdictRow
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


def _correct(rows: list[VerdictRow], hi: float, lo: float, run: float) -> int:
    ok = 0
    for r in rows:
        if r.category == "non":
            continue
        value = r.features[calibration.KIND_FEATURE]
        verbatim = value >= hi or r.features[calibration.KIND_RUN_FEATURE] >= run
        pred = "cut" if verbatim else "light" if value >= lo else "heavy"
        ok += pred == r.category
    return ok


def _gaps(rows: list[VerdictRow], feature: str) -> list[float]:
    values = sorted({r.features[feature] for r in rows if r.category != "non"})
    return [(x + y) / 2 for x, y in pairwise(values)]


def test_no_triple_of_cut_points_beats_the_fit(clough_rows: list[VerdictRow]) -> None:
    hi, lo, run = fit_kind(clough_rows)
    assert lo < hi
    # Every partition of the sorted shares into heavy < light < cut, cut points in the gaps,
    # with every run cut point (or none) on top.
    runs = [*_gaps(clough_rows, calibration.KIND_RUN_FEATURE), NO_RUN_CUT]
    best = max(
        _correct(clough_rows, h, low, r)
        for low, h in combinations(_gaps(clough_rows, calibration.KIND_FEATURE), 2)
        for r in runs
    )
    assert _correct(clough_rows, hi, lo, run) == best
    # The run cut point earns its place: without it the best partition is worse.
    assert run != NO_RUN_CUT
    assert _correct(clough_rows, hi, lo, NO_RUN_CUT) < best


def test_shipped_cut_points_are_the_fit_on_current_features(
    clough_rows: list[VerdictRow],
) -> None:
    # Fails when features drift without re-running ``python -m retold.eval.calibrate --write``.
    shipped = (
        calibration.KIND_VERBATIM_RATE,
        calibration.KIND_LIGHT_RATE,
        calibration.KIND_VERBATIM_RUN,
    )
    assert fit_kind(clough_rows) == shipped
