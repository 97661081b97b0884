"""Fixtures shared by the alignment tests."""

from __future__ import annotations

import pytest

from retold.fingerprint import get_embedder
from retold.fingerprint.embed import Embedder


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    """The packaged static embedder, loaded once."""
    return get_embedder("static")
