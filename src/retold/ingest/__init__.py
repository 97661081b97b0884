r"""Ingest layer: read articles from files of any supported format, keeping the original text.

Every reader yields :class:`~retold.model.Article` values or :class:`~retold.errors.InputError`
values (never raising on bad input), and every span indexes the decoded original text.

Example:
    >>> from retold.ingest import parse_text_article
    >>> parse_text_article("Headline\n\nThe story.").title
    'Headline'
"""

from __future__ import annotations

from retold.ingest.columns import ColumnMapping
from retold.ingest.decode import decode_bytes
from retold.ingest.detect import FORMATS, detect_format, iter_articles, read_article
from retold.ingest.plaintext import parse_text_article

__all__ = [
    "FORMATS",
    "ColumnMapping",
    "decode_bytes",
    "detect_format",
    "iter_articles",
    "parse_text_article",
    "read_article",
]
