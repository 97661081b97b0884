"""Word probes against compare's own rewrite kind, on the real Clough–Stevenson answers."""

from __future__ import annotations

from pathlib import Path

import pytest

from retold.ingest.corpora.clough import load_clough
from retold.model import RewriteKind
from retold.pipeline import Comparer
from retold.provenance.calibration import KIND_VERBATIM_RATE
from retold.provenance.probes import WordProbe, verbatim_signals

pytestmark = pytest.mark.quality


def test_probes_never_rule_out_a_pair_compare_calls_verbatim(shared: Path) -> None:
    comparer = Comparer()
    verbatim = by_runs = ruled_out = 0
    for item in load_clough(shared / "data" / "clough-stevenson"):
        comp = comparer.compare(item.answer, item.source)
        signals = verbatim_signals(WordProbe.of(item.answer), WordProbe.of(item.source))
        assert (round(signals.share, 6), round(signals.run, 6)) == (
            comp.features["u3_max"],
            comp.features["run_max"],
        )
        if comp.verdict.kind is RewriteKind.VERBATIM:
            verbatim += 1
            assert signals.may_be_verbatim(), item.answer.origin
            by_runs += signals.share < KIND_VERBATIM_RATE
        ruled_out += not signals.may_be_verbatim()
    # Both cut points are at work: pasted answers that only the long runs make verbatim, and
    # most answers ruled out outright.
    assert verbatim >= 8 and by_runs >= 2
    assert ruled_out >= 40
