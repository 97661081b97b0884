"""Records the archive stores and reads back, and the SQLite plumbing around them.

Plain data (:class:`AddResult`, :class:`Fingerprint`, :class:`Signatures`, :class:`Vectors`),
the mapping between an article row and an :class:`~retold.model.Article`, the error wording for
SQLite failures and the ``BEGIN IMMEDIATE`` transaction used by every write.

Example:
    >>> import numpy as np
    >>> fp = Fingerprint(np.zeros(4, np.uint32), 3, np.ones(2, np.float32))
    >>> fp.shingles, pair_key("b", "a")
    (3, 'a|b')
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

import numpy as np
import numpy.typing as npt

from retold.errors import StoreError
from retold.model import Article, Origin, Span

__all__ = [
    "ARTICLE_COLUMNS",
    "AddResult",
    "Fingerprint",
    "Signatures",
    "Transaction",
    "Vectors",
    "article_from_row",
    "article_row",
    "pair_key",
    "store_error",
]

#: Columns of ``articles`` read back into an :class:`~retold.model.Article`, in row order.
ARTICLE_COLUMNS = "id, text, title, date, outlet, url, body_start, body_end"


@dataclass(frozen=True, slots=True)
class AddResult:
    """What one :meth:`Archive.add` call changed.

    Attributes:
        added: Articles stored for the first time.
        duplicates: Articles whose text was already stored (or repeated within the call); only
            their origins were recorded.
    """

    added: int
    duplicates: int


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """The retrieval fingerprints of one article, stored beside it.

    Attributes:
        minhash: MinHash signature, ``uint32`` of length ``num_perm``.
        shingles: Size of the shingle set the signature summarises.
        vector: L2-normalised document embedding, ``float32``.
    """

    minhash: npt.NDArray[np.uint32]
    shingles: int
    vector: npt.NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Signatures:
    """All stored MinHash signatures, rows in the order articles were added.

    Attributes:
        ids: Article id of each row.
        matrix: ``uint32`` array of shape ``(len(ids), num_perm)``.
        shingles: ``int64`` shingle-set size of each row.
    """

    ids: tuple[str, ...]
    matrix: npt.NDArray[np.uint32]
    shingles: npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Vectors:
    """All stored document vectors, rows in the order articles were added.

    Attributes:
        ids: Article id of each row.
        matrix: ``float32`` array of shape ``(len(ids), dim)``.
    """

    ids: tuple[str, ...]
    matrix: npt.NDArray[np.float32]


def store_error(path: Path, exc: sqlite3.Error) -> StoreError:
    """A :class:`~retold.errors.StoreError` naming the file and what went wrong, in words."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return StoreError(f"{path}: the archive is locked by another process ({text})")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreError(f"{path}: not a retold archive or corrupt ({text})")
    return StoreError(f"{path}: {text}")


def pair_key(a: str, b: str) -> str:
    """The cache key of an unordered pair of article ids: ``"<smaller>|<larger>"``."""
    return f"{a}|{b}" if a < b else f"{b}|{a}"


def article_from_row(row: tuple[object, ...], origins: tuple[Origin, ...]) -> Article:
    """An article from its ``articles`` row (:data:`ARTICLE_COLUMNS`), with its first origin."""
    aid, text, title, date, outlet, url, start, end = row
    body = Span(int(start), int(end)) if start is not None and end is not None else None  # type: ignore[call-overload]
    return Article(
        text=str(text),
        id=str(aid),
        title=None if title is None else str(title),
        date=None if date is None else str(date),
        outlet=None if outlet is None else str(outlet),
        url=None if url is None else str(url),
        origin=origins[0] if origins else None,
        body=body,
    )


class Transaction:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``, rolled back on any exception.

    Args:
        db: A connection opened with ``isolation_level=None`` (autocommit).
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._db.execute("COMMIT")
        elif self._db.in_transaction:
            self._db.execute("ROLLBACK")


def article_row(article: Article) -> tuple[str | int | None, ...]:
    """Title, date, outlet, url, body start and end: the ``ARTICLE_COLUMNS`` after id and text."""
    body = article.body
    return (
        article.title,
        article.date,
        article.outlet,
        article.url,
        body.start if body is not None else None,
        body.end if body is not None else None,
    )
