"""Shared fixtures: where ../shared lives, and small helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retold.fingerprint import get_embedder
from retold.fingerprint.embed import Embedder
from retold.ingest.corpora.meter import MeterCorpus, load_meter

REPO = Path(__file__).resolve().parents[1]


def shared_path() -> Path:
    """The shared data folder: $RETOLD_SHARED, else ../shared beside the checkout."""
    env = os.environ.get("RETOLD_SHARED")
    return Path(env) if env else REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    path = shared_path()
    if not (path / "seeds").is_dir():
        pytest.skip(f"shared data not found at {path}")
    return path


@pytest.fixture(scope="session")
def seeds(shared: Path) -> tuple[Path, Path]:
    files = sorted((shared / "seeds").glob("*.txt"))
    return files[0], files[1]


@pytest.fixture(scope="session")
def meter_corpus(shared: Path) -> MeterCorpus:
    """METER courts as loaded once per test session (read-only)."""
    return load_meter(shared / "data" / "meter")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The packaged static embedder, loaded once per test session."""
    return get_embedder("static")
