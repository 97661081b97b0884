"""The archive's SQLite schema, versioned.

A retold archive marks itself twice: ``PRAGMA application_id`` holds :data:`APPLICATION_ID` and the
``meta`` table holds the schema version. A file without both is not a retold archive.

Example:
    >>> SCHEMA_VERSION >= 1
    True
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "DDL", "SCHEMA_VERSION"]

#: ``b"RTLD"`` read as a big-endian signed 32-bit integer; SQLite stores it in the file header.
APPLICATION_ID = 0x52544C44

#: Bumped whenever a table changes shape; :meth:`retold.store.Archive.open` refuses newer files.
SCHEMA_VERSION = 1

DDL: tuple[str, ...] = (
    """CREATE TABLE IF NOT EXISTS meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # seq is the order articles were first added; id is the content hash of text.
    """CREATE TABLE IF NOT EXISTS articles (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        text TEXT NOT NULL,
        title TEXT,
        date TEXT,
        outlet TEXT,
        url TEXT,
        body_start INTEGER,
        body_end INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS origins (
        article_id TEXT NOT NULL REFERENCES articles(id),
        path TEXT NOT NULL,
        record INTEGER
    )""",
    # NULL records (single-record files) must still collide, hence the expression.
    """CREATE UNIQUE INDEX IF NOT EXISTS origins_unique
        ON origins(article_id, path, ifnull(record, -1))""",
    # minhash: uint32 little-endian values; shingles: size of the shingle set it summarises.
    """CREATE TABLE IF NOT EXISTS signatures (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        shingles INTEGER NOT NULL,
        minhash BLOB NOT NULL
    )""",
    # vector: float32 little-endian, L2-normalised document embedding.
    """CREATE TABLE IF NOT EXISTS vectors (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        vector BLOB NOT NULL
    )""",
    # pair: "<id_a>|<id_b>" with id_a < id_b; body: the Comparison of (a, b) as retold JSON.
    """CREATE TABLE IF NOT EXISTS comparisons (
        pair TEXT PRIMARY KEY,
        body TEXT NOT NULL
    )""",
)
