"""Fingerprints of text: sentence embeddings from the packaged MiniLM weights.

Nothing is loaded at import time; :func:`get_embedder` loads on first use.

Example:
    >>> from retold.fingerprint import get_embedder
    >>> get_embedder("static").dim                                # doctest: +SKIP
    256
"""

from __future__ import annotations

from retold.fingerprint.embed import Embedder, get_embedder
from retold.fingerprint.minilm import model_dir
from retold.fingerprint.static import build_static

__all__ = ["Embedder", "build_static", "get_embedder", "model_dir"]
