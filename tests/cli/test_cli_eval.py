"""``retold eval``: the data-set commands print their scores (slow ones marked ``quality``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from retold.cli import main


@pytest.mark.quality
def test_eval_meter_words_prints_json(shared: Path) -> None:
    root = shared / "data" / "meter"
    result = CliRunner().invoke(main, ["eval", "meter-words", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dataset"] == "meter-courts-word-tags" and data["papers"] == 354
    assert set(data["aligned_share"]) == {"verbatim", "rewrite", "new"}
    assert data["aligned_share"]["verbatim"] > data["aligned_share"]["new"]
    assert 0.0 < data["share_rule_ceiling"]["macro_f1"] <= 1.0


def test_eval_of_a_folder_without_meter_gives_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["eval", "meter-words", str(tmp_path)])
    assert result.exit_code != 0
    assert "meter" in result.output.lower() or str(tmp_path) in result.output
