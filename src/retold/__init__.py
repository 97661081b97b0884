"""retold: find out which news stories are retold from which.

Example:
    >>> import retold
    >>> a = retold.Article.from_text("Police said two men were arrested in Leeds on Monday.")
    >>> b = retold.Article.from_text("Two men were arrested in Leeds on Monday, police said.")
    >>> retold.compare(a, b).verdict.relation.derived
    True

Importing ``retold`` loads only the light types; the pipeline (NumPy, the embedder) loads on
first use of :func:`compare`, :class:`Comparer`, :func:`read_article` or :func:`iter_articles`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from retold.config import CompareOptions, ReadOptions
from retold.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    EmptyInputError,
    FormatError,
    InputError,
    MissingExtra,
    ModelError,
    RetoldError,
    StoreError,
    TooLargeError,
)
from retold.model import (
    Article,
    Comparison,
    Direction,
    Evidence,
    FactDiff,
    FactKind,
    FactStatus,
    Origin,
    Passage,
    Relation,
    RewriteKind,
    Source,
    Span,
    Verdict,
)

if TYPE_CHECKING:
    from retold.ingest import iter_articles, read_article
    from retold.pipeline import Comparer, compare

__all__ = [
    "Article",
    "BinaryInputError",
    "CompareOptions",
    "Comparer",
    "Comparison",
    "ConfigError",
    "DecodeError",
    "Direction",
    "EmptyInputError",
    "Evidence",
    "FactDiff",
    "FactKind",
    "FactStatus",
    "FormatError",
    "InputError",
    "MissingExtra",
    "ModelError",
    "Origin",
    "Passage",
    "ReadOptions",
    "Relation",
    "RetoldError",
    "RewriteKind",
    "Source",
    "Span",
    "StoreError",
    "TooLargeError",
    "Verdict",
    "compare",
    "iter_articles",
    "read_article",
]

_LAZY = {
    "Comparer": "retold.pipeline",
    "compare": "retold.pipeline",
    "iter_articles": "retold.ingest",
    "read_article": "retold.ingest",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'retold' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
