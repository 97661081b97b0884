"""The archive's SQLite schema, versioned.

A retold archive marks itself twice: ``PRAGMA application_id`` holds :data:`APPLICATION_ID` and the
``meta`` table holds the schema version. A file without both is not a retold archive.
:func:`prepare_schema` creates the schema in a new file and upgrades an older one.

Example:
    >>> SCHEMA_VERSION >= 1
    True
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from retold.errors import StoreError
from retold.store.records import Transaction

__all__ = ["APPLICATION_ID", "DDL", "MIGRATIONS", "SCHEMA_VERSION", "prepare_schema"]

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


def prepare_schema(db: sqlite3.Connection, path: Path, *, fresh: bool) -> None:
    """Set an archive file up for use: create the schema in a new file, upgrade an older one.

    Args:
        db: An open connection to the file (autocommit: ``isolation_level=None``).
        path: The file, to name it in errors.
        fresh: The file is new or empty: create the schema.

    Raises:
        StoreError: The file is an SQLite database but not a retold archive, has no schema
            version, or has a schema newer than this retold.
        sqlite3.Error: The file cannot be read or written (the caller names it).
    """
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if not fresh and (app_id != APPLICATION_ID or tables == 0):
        if app_id == 0 and tables == 0:
            fresh = True  # an empty SQLite file, e.g. left by a crash before the schema
        else:
            raise StoreError(f"{path}: an SQLite database, but not a retold archive")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    if fresh:
        with Transaction(db):
            for statement in DDL:
                db.execute(statement)
            db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)",
                (str(SCHEMA_VERSION),),
            )
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None:
        raise StoreError(f"{path}: a retold archive without a schema version (corrupt)")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: archive schema {version} is newer than this retold "
            f"(schema {SCHEMA_VERSION}); upgrade retold"
        )
    while version < SCHEMA_VERSION:
        with Transaction(db):
            # Read again under the write lock: another process may have upgraded the file
            # since the version above was read.
            row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            version = int(row[0])
            if version >= SCHEMA_VERSION:
                break
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            version += 1
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
