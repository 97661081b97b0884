"""Immutable, typed options for each stage.

Options are plain frozen keyword-only dataclasses; behaviour lives in the stage functions that
take them. A TOML file maps onto the same dataclasses (:func:`load_toml`).

Example:
    >>> ReadOptions(max_bytes=1000).max_bytes
    1000
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Literal

from retold.errors import ConfigError

__all__ = ["CompareOptions", "ReadOptions", "load_toml"]

EmbedderName = Literal["static", "minilm"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadOptions:
    """How articles are read.

    Attributes:
        max_bytes: Largest input accepted per article (bytes before decoding). News articles are
            a few KB; 2 MB leaves room for long reports while bounding untrusted input.
        encoding: Force an encoding; ``None`` tries UTF-8 (with or without BOM), then cp1252,
            then ISO-8859-1 for bytes that are neither.
    """

    max_bytes: int = 2_000_000
    encoding: str | None = None

    def __post_init__(self) -> None:
        if self.max_bytes <= 0:
            raise ConfigError("max_bytes must be positive")


@dataclass(frozen=True, slots=True, kw_only=True)
class CompareOptions:
    """How two articles are compared.

    Attributes:
        embedder: ``"static"`` (distilled static vectors, fast) or ``"minilm"`` (the full
            MiniLM forward pass on every sentence, about 100x slower, more accurate on
            sentence-level paraphrase).
        max_chars: Largest article body compared; longer bodies are cut (and said so).
    """

    embedder: EmbedderName = "static"
    max_chars: int = 200_000

    def __post_init__(self) -> None:
        if self.embedder not in ("static", "minilm"):
            raise ConfigError(f"unknown embedder {self.embedder!r}; use 'static' or 'minilm'")
        if self.max_chars <= 0:
            raise ConfigError("max_chars must be positive")


_SECTIONS: dict[str, type[Any]] = {"read": ReadOptions, "compare": CompareOptions}


def load_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML file into option dataclasses, one per known section.

    Args:
        path: The TOML file, with optional ``[read]`` and ``[compare]`` tables.

    Returns:
        A mapping from section name to its options object.

    Raises:
        ConfigError: The file is missing, not TOML, or names an unknown section or key.
    """
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    out: dict[str, Any] = {}
    for section, values in data.items():
        cls = _SECTIONS.get(section)
        if cls is None or not isinstance(values, dict):
            raise ConfigError(f"{path}: unknown section [{section}]")
        known = {f.name for f in fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"{path}: unknown keys in [{section}]: {', '.join(sorted(unknown))}")
        out[section] = cls(**values)
    return out
