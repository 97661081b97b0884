"""The outlet source figures ``stories`` records and ``query`` ranks with."""

from __future__ import annotations

from pathlib import Path

import pytest

from retold.pipeline.outlets import OUTLET_SOURCES_KEY, load_source_priors, save_outlet_sources
from retold.provenance.graph import OutletFigures
from retold.store import Archive


def _figures(outlet: str | None, retold: int, by_others: int) -> OutletFigures:
    return OutletFigures(outlet, retold + by_others, retold, (), by_others, ())


def test_priors_round_trip_through_the_archive(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        assert load_source_priors(archive) == {}  # stories never ran
        save_outlet_sources(
            archive, [_figures("PA", 9, 334), _figures("sun", 14, 10), _figures(None, 3, 0)]
        )
        priors = load_source_priors(archive)
    assert set(priors) == {"PA", "sun"}  # articles without an outlet get no prior
    assert priors["PA"] == pytest.approx(335 / 345 - 0.5)
    assert priors["sun"] == pytest.approx(11 / 26 - 0.5)


@pytest.mark.parametrize("raw", ["not json", "[1, 2]", '{"PA": 3}', '{"PA": ["a", 1]}'])
def test_a_damaged_record_gives_no_priors(tmp_path: Path, raw: str) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.set_meta(OUTLET_SOURCES_KEY, raw)
        assert load_source_priors(archive) == {}
