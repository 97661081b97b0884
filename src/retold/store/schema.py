"""The archive's SQLite schema, versioned.

A retold archive marks itself twice: ``PRAGMA application_id`` holds :data:`APPLICATION_ID` and the
``meta`` table holds the schema version. A file without both is not a retold archive.

Example:
    >>> SCHEMA_VERSION >= 1
    True
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "DDL", "MIGRATIONS", "SCHEMA_VERSION"]

#: ``b"RTLD"`` read as a big-endian signed 32-bit integer; SQLite stores it in the file header.
APPLICATION_ID = 0x52544C44

#: Bumped whenever a table changes shape; :meth:`retold.store.Archive.open` refuses newer files
#: and upgrades older ones with :data:`MIGRATIONS`.
SCHEMA_VERSION = 2

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
    # The tables below are keyed by the article's seq, not its hash: new rows go at the end of
    # each B-tree instead of at random places (schema 1 used the hash; storing 23k articles
    # cost 0.115 ms of CPU each, against 0.090 ms for the first 5k; keyed by seq 0.073 / 0.064).
    """CREATE TABLE IF NOT EXISTS origins (
        article_seq INTEGER NOT NULL REFERENCES articles(seq),
        path TEXT NOT NULL,
        record INTEGER
    )""",
    # NULL records (single-record files) must still collide, hence the expression.
    """CREATE UNIQUE INDEX IF NOT EXISTS origins_unique
        ON origins(article_seq, path, ifnull(record, -1))""",
    # minhash: uint32 little-endian values; shingles: size of the shingle set it summarises.
    """CREATE TABLE IF NOT EXISTS signatures (
        article_seq INTEGER PRIMARY KEY REFERENCES articles(seq),
        shingles INTEGER NOT NULL,
        minhash BLOB NOT NULL
    )""",
    # vector: float32 little-endian, L2-normalised document embedding.
    """CREATE TABLE IF NOT EXISTS vectors (
        article_seq INTEGER PRIMARY KEY REFERENCES articles(seq),
        vector BLOB NOT NULL
    )""",
    # pair: "<id_a>|<id_b>" with id_a < id_b; body: the Comparison of (a, b) as retold JSON.
    """CREATE TABLE IF NOT EXISTS comparisons (
        pair TEXT PRIMARY KEY,
        body TEXT NOT NULL
    )""",
)

#: Statements upgrading an archive from the schema version of the key to the next one, run in
#: one transaction. Version 1 keyed origins and fingerprints by the article's hash.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    1: (
        "ALTER TABLE origins RENAME TO origins_v1",
        "ALTER TABLE signatures RENAME TO signatures_v1",
        "ALTER TABLE vectors RENAME TO vectors_v1",
        "DROP INDEX origins_unique",
        *DDL[2:6],
        """INSERT INTO origins(article_seq, path, record)
            SELECT a.seq, o.path, o.record FROM origins_v1 o JOIN articles a ON a.id = o.article_id
            ORDER BY a.seq, o.path, o.record""",
        """INSERT INTO signatures(article_seq, shingles, minhash)
            SELECT a.seq, s.shingles, s.minhash FROM signatures_v1 s
            JOIN articles a ON a.id = s.article_id ORDER BY a.seq""",
        """INSERT INTO vectors(article_seq, vector)
            SELECT a.seq, v.vector FROM vectors_v1 v JOIN articles a ON a.id = v.article_id
            ORDER BY a.seq""",
        "DROP TABLE origins_v1",
        "DROP TABLE signatures_v1",
        "DROP TABLE vectors_v1",
    ),
}
