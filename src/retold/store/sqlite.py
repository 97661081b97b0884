"""The persistent archive: one SQLite file holding articles, origins, fingerprints and results.

The file runs in WAL mode with ``synchronous=NORMAL``: a committed batch survives the process
being killed, and each :meth:`Archive.add` call is one transaction, so an interrupted indexing run
loses at most the batch it was writing. Articles are keyed by the content hash of their text; the
same text read twice is stored once and keeps every origin it was read from.

Example:
    >>> import tempfile, os
    >>> from retold.model import Article, Origin
    >>> path = os.path.join(tempfile.mkdtemp(), "news.db")
    >>> with Archive.open(path) as archive:
    ...     archive.add([Article.from_text("Rain fell.", origin=Origin("a.txt"))])
    ...     archive.add([Article.from_text("Rain fell.", origin=Origin("b.txt"))])
    AddResult(added=1, duplicates=0)
    AddResult(added=0, duplicates=1)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType

import numpy as np

from retold.errors import StoreError
from retold.model import Article, Origin
from retold.store.records import (
    ARTICLE_COLUMNS,
    AddResult,
    Fingerprint,
    Signatures,
    Transaction,
    Vectors,
    article_from_row,
    article_row,
    pair_key,
    store_error,
)
from retold.store.schema import prepare_schema

__all__ = ["AddResult", "Archive", "Fingerprint", "Signatures", "Vectors"]

# SQLite caps bound parameters per statement (32766 in 3.32+); stay well below.
_CHUNK = 900


class Archive:
    """A retold archive in one SQLite file. Use :meth:`open`, ideally as a context manager."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        """Wrap an open connection; call :meth:`open` instead."""
        self.path = path
        self._db = connection

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, create: bool = True, timeout: float = 5.0) -> Archive:
        """Open an archive, creating it when the file does not exist and ``create`` is true.

        Args:
            path: The archive file.
            create: Create a new, empty archive when ``path`` does not exist.
            timeout: Seconds to wait for another process's write lock before giving up.

        Returns:
            The open archive.

        Raises:
            StoreError: The file is missing (with ``create=False``), is not an SQLite database,
                is an SQLite database that is not a retold archive, has a newer schema, is
                corrupt, or is locked.
        """
        path = Path(path)
        exists = path.exists()
        if not exists and not create:
            raise StoreError(f"{path}: no such archive")
        if exists and path.is_dir():
            raise StoreError(f"{path}: is a folder, not an archive file")
        try:
            db = sqlite3.connect(path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise store_error(path, exc) from exc
        archive = cls(path, db)
        try:
            prepare_schema(db, path, fresh=not exists or path.stat().st_size == 0)
        except sqlite3.Error as exc:
            db.close()
            raise store_error(path, exc) from exc
        except StoreError:
            db.close()
            raise
        return archive

    def _transaction(self) -> Transaction:
        return Transaction(self._db)

    def close(self) -> None:
        """Close the file. Committed batches are safe; nothing is pending outside a batch."""
        self._db.close()

    def __enter__(self) -> Archive:
        """Return the archive itself."""
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Close the archive."""
        self.close()

    # -- writing ---------------------------------------------------------------------------
    def add(
        self,
        articles: Sequence[Article],
        fingerprints: Mapping[str, Fingerprint] | None = None,
    ) -> AddResult:
        """Store a batch of articles, their origins and fingerprints in one transaction.

        Args:
            articles: Articles to store; repeats (same id) are stored once with all origins.
            fingerprints: Fingerprints of new articles by article id; articles without one are
                stored without (see :meth:`missing_fingerprints`).

        Returns:
            How many articles were new and how many were already there.

        Raises:
            StoreError: The write failed (disk full, locked, read-only file, ...).
        """
        fingerprints = fingerprints or {}
        try:
            with self._transaction():
                known = self._seqs(a.id for a in articles)
                added = 0
                for article in articles:
                    seq = known.get(article.id)
                    if seq is None:
                        seq = known[article.id] = self._insert_article(
                            article, fingerprints.get(article.id)
                        )
                        added += 1
                    elif article.origin is not None:
                        self._prefer(seq, article, article.origin)
                    if article.origin is not None:
                        self._db.execute(
                            "INSERT OR IGNORE INTO origins(article_seq, path, record) "
                            "VALUES (?, ?, ?)",
                            (seq, article.origin.path, article.origin.record),
                        )
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc
        return AddResult(added=added, duplicates=len(articles) - added)

    def _prefer(self, seq: int, article: Article, origin: Origin) -> None:
        """Keep the metadata of the copy read from the first origin (by path, then record).

        The same text read from two files is one article; which file's title, date and outlet
        it keeps must not depend on the order the files were indexed in. Comparisons cached
        with the old metadata (dates weigh in the direction) are dropped.
        """
        new = article_row(article)
        row = self._db.execute(
            "SELECT title, date, outlet, url, body_start, body_end FROM articles WHERE seq = ?",
            (seq,),
        ).fetchone()
        if row is None or tuple(row) == new:
            return
        first = self._db.execute(
            "SELECT path, record FROM origins WHERE article_seq = ? "
            "ORDER BY path, COALESCE(record, -1) LIMIT 1",
            (seq,),
        ).fetchone()
        if first is not None and (first[0], -1 if first[1] is None else first[1]) <= (
            origin.path,
            -1 if origin.record is None else origin.record,
        ):
            return
        self._db.execute(
            "UPDATE articles SET title = ?, date = ?, outlet = ?, url = ?, body_start = ?, "
            "body_end = ? WHERE seq = ?",
            (*new, seq),
        )
        self._db.execute(
            "DELETE FROM comparisons WHERE pair LIKE ? OR pair LIKE ?",
            (f"{article.id}|%", f"%|{article.id}"),
        )

    def _insert_article(self, article: Article, fp: Fingerprint | None) -> int:
        """Insert one new article (and its fingerprint); return its seq."""
        cursor = self._db.execute(
            f"INSERT INTO articles({ARTICLE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (article.id, article.text, *article_row(article)),
        )
        seq = cursor.lastrowid
        if seq is None:  # pragma: no cover - an INSERT into a rowid table always sets it
            raise StoreError(f"{self.path}: no row id for article {article.id}")
        if fp is not None:
            self._put_fingerprint(seq, fp)
        return seq

    def _put_fingerprint(self, seq: int, fp: Fingerprint) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO signatures(article_seq, shingles, minhash) VALUES (?, ?, ?)",
            (seq, int(fp.shingles), np.ascontiguousarray(fp.minhash, "<u4").tobytes()),
        )
        self._db.execute(
            "INSERT OR REPLACE INTO vectors(article_seq, vector) VALUES (?, ?)",
            (seq, np.ascontiguousarray(fp.vector, "<f4").tobytes()),
        )

    def put_fingerprints(self, fingerprints: Mapping[str, Fingerprint]) -> None:
        """Store (or replace) fingerprints of already stored articles, in one transaction.

        Raises:
            StoreError: An id is not stored, or the write failed.
        """
        try:
            with self._transaction():
                seqs = self._seqs(fingerprints)
                for article_id, fp in fingerprints.items():
                    if article_id not in seqs:
                        raise StoreError(f"{self.path}: no stored article {article_id}")
                    self._put_fingerprint(seqs[article_id], fp)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    def put_comparisons(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Cache comparison results as ``(id_a, id_b, json)`` with ``id_a < id_b``."""
        try:
            with self._transaction():
                self._db.executemany(
                    "INSERT OR REPLACE INTO comparisons(pair, body) VALUES (?, ?)",
                    ((pair_key(a, b), body) for a, b, body in items),
                )
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    def clear_comparisons(self) -> None:
        """Drop every cached comparison (for example after the compare model changed)."""
        try:
            with self._transaction():
                self._db.execute("DELETE FROM comparisons")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    def set_meta(self, key: str, value: str) -> None:
        """Record one setting of the archive (for example the fingerprint parameters)."""
        try:
            with self._transaction():
                self._db.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value)
                )
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    # -- reading ---------------------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        """One setting of the archive, or ``None`` when it was never set."""
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def _query(self, sql: str, params: Sequence[object] = ()) -> list[tuple[object, ...]]:
        try:
            return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    def _chunked(self, sql: str, ids: Sequence[str]) -> Iterator[tuple[object, ...]]:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            yield from self._query(sql.format(marks=marks), chunk)

    def __len__(self) -> int:
        """Number of distinct articles stored."""
        count = self._query("SELECT count(*) FROM articles")[0][0]
        return count if isinstance(count, int) else 0

    def known_ids(self, ids: Iterable[str]) -> set[str]:
        """The subset of ``ids`` already stored."""
        return set(self._seqs(ids))

    def _seqs(self, ids: Iterable[str]) -> dict[str, int]:
        """The seq of each of ``ids`` already stored."""
        wanted = sorted(set(ids))
        rows = self._chunked("SELECT id, seq FROM articles WHERE id IN ({marks})", wanted)
        return {str(row[0]): int(row[1]) for row in rows}  # type: ignore[call-overload]

    def ids(self) -> tuple[str, ...]:
        """Every stored article id, in the order articles were first added."""
        return tuple(str(r[0]) for r in self._query("SELECT id FROM articles ORDER BY seq"))

    def origins(self, ids: Iterable[str]) -> dict[str, tuple[Origin, ...]]:
        """Every origin of each stored article among ``ids`` (sorted by path, then record)."""
        out: dict[str, list[Origin]] = {}
        sql = (
            "SELECT a.id, o.path, o.record FROM origins o JOIN articles a ON a.seq = o.article_seq "
            "WHERE a.id IN ({marks}) ORDER BY a.id, o.path, ifnull(o.record, -1)"
        )
        for aid, path, record in self._chunked(sql, sorted(set(ids))):
            out.setdefault(str(aid), []).append(
                Origin(str(path), int(record) if record is not None else None)  # type: ignore[call-overload]
            )
        return {k: tuple(v) for k, v in out.items()}

    def get(self, ids: Iterable[str]) -> dict[str, Article]:
        """Stored articles by id; each carries its first origin (see :meth:`origins` for all)."""
        wanted = sorted(set(ids))
        origins = self.origins(wanted)
        sql = f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id IN ({{marks}})"
        return {
            str(row[0]): article_from_row(row, origins.get(str(row[0]), ()))
            for row in self._chunked(sql, wanted)
        }

    def iter_articles(self, *, batch: int = 1000) -> Iterator[Article]:
        """Every stored article in the order it was first added, read in batches."""
        ids = self.ids()
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            found = self.get(chunk)
            yield from (found[i] for i in chunk)

    def missing_fingerprints(self) -> tuple[str, ...]:
        """Ids of stored articles without a signature or vector, in added order."""
        rows = self._query(
            "SELECT id FROM articles WHERE seq NOT IN (SELECT article_seq FROM signatures) "
            "OR seq NOT IN (SELECT article_seq FROM vectors) ORDER BY seq"
        )
        return tuple(str(r[0]) for r in rows)

    def signatures(self) -> Signatures:
        """All stored MinHash signatures as one matrix."""
        rows = self._query(
            "SELECT a.id, s.shingles, s.minhash FROM signatures s "
            "JOIN articles a ON a.seq = s.article_seq ORDER BY s.article_seq"
        )
        ids = tuple(str(r[0]) for r in rows)
        sizes = np.array([r[1] for r in rows], dtype=np.int64)
        blob = b"".join(r[2] for r in rows)  # type: ignore[misc]
        flat = np.frombuffer(blob, dtype="<u4").astype(np.uint32)
        width = flat.size // len(ids) if ids else 0
        return Signatures(ids, flat.reshape(len(ids), width), sizes)

    def vectors(self) -> Vectors:
        """All stored document vectors as one matrix."""
        rows = self._query(
            "SELECT a.id, v.vector FROM vectors v "
            "JOIN articles a ON a.seq = v.article_seq ORDER BY v.article_seq"
        )
        ids = tuple(str(r[0]) for r in rows)
        blob = b"".join(r[1] for r in rows)  # type: ignore[misc]
        flat = np.frombuffer(blob, dtype="<f4").astype(np.float32)
        width = flat.size // len(ids) if ids else 0
        return Vectors(ids, flat.reshape(len(ids), width))

    def comparisons(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Cached comparison JSON for the given id pairs, keyed ``(min_id, max_id)``."""
        keys = sorted({pair_key(a, b) for a, b in pairs})
        rows = self._chunked("SELECT pair, body FROM comparisons WHERE pair IN ({marks})", keys)
        out: dict[tuple[str, str], str] = {}
        for pair, body in rows:
            a, b = str(pair).split("|", 1)
            out[(a, b)] = str(body)
        return out
