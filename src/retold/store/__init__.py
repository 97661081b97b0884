"""The persistent archive (SQLite): articles, origins, fingerprints and cached comparisons."""

from __future__ import annotations

from retold.store.schema import SCHEMA_VERSION
from retold.store.sqlite import AddResult, Archive, Fingerprint, Signatures, Vectors

__all__ = ["SCHEMA_VERSION", "AddResult", "Archive", "Fingerprint", "Signatures", "Vectors"]
