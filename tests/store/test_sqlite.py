from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.errors import StoreError
from retold.model import Article, Origin, Span
from retold.store import Archive, Fingerprint
from retold.store.schema import APPLICATION_ID, MIGRATIONS


def art(text: str, path: str, record: int | None = None, **meta: object) -> Article:
    return Article.from_text(text, origin=Origin(path, record), **meta)


def test_same_text_from_two_files_is_one_article_with_two_origins(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        first = archive.add([art("Flood warning for the valley.", "one.txt")])
        second = archive.add([art("Flood warning for the valley.", "two.jsonl", 4)])
        assert (first.added, first.duplicates) == (1, 0)
        assert (second.added, second.duplicates) == (0, 1)
        assert len(archive) == 1
        (aid,) = archive.ids()
        assert archive.origins([aid])[aid] == (Origin("one.txt"), Origin("two.jsonl", 4))


def test_repeats_inside_one_batch_and_reruns_are_stable(tmp_path: Path) -> None:
    batch = [art("A", "x.txt"), art("B", "y.txt"), art("A", "x.txt"), art("A", "z.txt")]
    with Archive.open(tmp_path / "a.db") as archive:
        r1 = archive.add(batch)
        r2 = archive.add(batch)
        assert (r1.added, r1.duplicates) == (2, 2)
        assert (r2.added, r2.duplicates) == (0, 4)
        a_id = Article.from_text("A").id
        assert archive.origins([a_id])[a_id] == (Origin("x.txt"), Origin("z.txt"))


def test_metadata_body_and_order_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    texts = [f"Story number {n} about the harbour." for n in range(7)]
    with Archive.open(path) as archive:
        archive.add(
            [
                art(
                    t,
                    f"{n}.txt",
                    title=f"T{n}",
                    date="2024-01-02",
                    outlet="Post",
                    url=f"http://x/{n}",
                    body=Span(6, len(t)),
                )
                for n, t in enumerate(texts)
            ]
        )
    with Archive.open(path, create=False) as archive:
        ids = archive.ids()
        assert ids == tuple(Article.from_text(t).id for t in texts)
        got = archive.get([ids[3]])[ids[3]]
        assert got.text == texts[3]
        assert (got.title, got.date, got.outlet, got.url) == (
            "T3",
            "2024-01-02",
            "Post",
            "http://x/3",
        )
        assert got.body == Span(6, len(texts[3]))
        assert got.origin == Origin("3.txt")
        assert [a.id for a in archive.iter_articles(batch=2)] == list(ids)


def test_fingerprints_round_trip_as_matrices(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    arts = [art(f"text {n}", f"{n}.txt") for n in range(5)]
    fps = {
        a.id: Fingerprint(
            rng.integers(0, 2**32, 16, dtype=np.uint64).astype(np.uint32),
            n + 1,
            rng.standard_normal(8).astype(np.float32),
        )
        for n, a in enumerate(arts)
    }
    with Archive.open(tmp_path / "a.db") as archive:
        archive.add(arts[:3], fps)
        archive.add(arts[3:])  # stored without fingerprints
        assert archive.missing_fingerprints() == tuple(a.id for a in arts[3:])
        archive.put_fingerprints({a.id: fps[a.id] for a in arts[3:]})
        sigs, vecs = archive.signatures(), archive.vectors()
    assert sigs.ids == vecs.ids == tuple(a.id for a in arts)
    for row, a in enumerate(arts):
        assert np.array_equal(sigs.matrix[row], fps[a.id].minhash)
        assert sigs.shingles[row] == fps[a.id].shingles
        assert np.array_equal(vecs.matrix[row], fps[a.id].vector)


def test_fingerprints_of_an_unknown_article_are_refused(tmp_path: Path) -> None:
    fp = Fingerprint(np.zeros(4, np.uint32), 1, np.zeros(2, np.float32))
    with Archive.open(tmp_path / "a.db") as archive:
        archive.add([art("kept", "k.txt")])
        with pytest.raises(StoreError, match="no stored article"):
            archive.put_fingerprints({"0123456789abcdef": fp})
        assert archive.missing_fingerprints() == (art("kept", "k.txt").id,)


# Schema 1 as released: origins and fingerprints keyed by the article's hash.
_SCHEMA_1 = (
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE articles (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, text TEXT NOT NULL,"
    " title TEXT, date TEXT, outlet TEXT, url TEXT, body_start INTEGER, body_end INTEGER)",
    "CREATE TABLE origins (article_id TEXT NOT NULL REFERENCES articles(id), path TEXT NOT NULL,"
    " record INTEGER)",
    "CREATE UNIQUE INDEX origins_unique ON origins(article_id, path, ifnull(record, -1))",
    "CREATE TABLE signatures (article_id TEXT PRIMARY KEY REFERENCES articles(id),"
    " shingles INTEGER NOT NULL, minhash BLOB NOT NULL)",
    "CREATE TABLE vectors (article_id TEXT PRIMARY KEY REFERENCES articles(id),"
    " vector BLOB NOT NULL)",
    "CREATE TABLE comparisons (pair TEXT PRIMARY KEY, body TEXT NOT NULL)",
)


def _schema_1_file(path: Path) -> sqlite3.Connection:
    """An empty schema 1 archive at ``path``, and a connection to fill it (commit when done)."""
    db = sqlite3.connect(path)
    for statement in _SCHEMA_1:
        db.execute(statement)
    db.execute(f"PRAGMA application_id={APPLICATION_ID}")
    db.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    return db


def test_archive_upgraded_by_another_process_meanwhile_is_not_upgraded_twice(
    tmp_path: Path,
) -> None:
    """Two processes open one schema 1 archive: the second sees the first's upgrade and stops."""
    path = tmp_path / "old.db"
    with _schema_1_file(path) as db:
        a = art("one story", "one.txt")
        db.execute("INSERT INTO articles(id, text) VALUES (?, ?)", (a.id, a.text))
        db.execute("INSERT INTO origins VALUES (?, 'one.txt', NULL)", (a.id,))
    db.close()
    with sqlite3.connect(path, isolation_level=None) as other:
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("BEGIN IMMEDIATE")  # the other process holds the write lock ...
        seen: list[object] = []

        def open_it() -> None:  # SQLite connections stay in the thread that made them
            aid = art("one story", "one.txt").id
            try:
                with Archive.open(path, timeout=10) as archive:
                    seen.extend(
                        [archive.get_meta("schema_version"), len(archive), archive.origins([aid])]
                    )
            except BaseException as exc:  # reported below
                seen.append(exc)

        worker = threading.Thread(target=open_it)
        worker.start()
        time.sleep(0.5)  # ... while this one reads schema 1 and waits for the lock
        for statement in MIGRATIONS[1]:
            other.execute(statement)
        other.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")
        other.execute("COMMIT")
        worker.join()
    aid = art("one story", "one.txt").id
    assert seen == ["2", 1, {aid: (Origin("one.txt", None),)}]


def test_schema_1_archive_is_upgraded_in_place(tmp_path: Path) -> None:
    """An archive written by schema 1 opens with every article, origin and fingerprint kept."""
    path = tmp_path / "old.db"
    arts = [art(f"story number {n}", f"in/{n}.jsonl", n) for n in range(6)]
    twice = art("story number 2", "in/copy.txt")
    rng = np.random.default_rng(3)
    minhash = rng.integers(0, 2**32, (6, 16), dtype=np.uint64).astype("<u4")
    vectors = rng.standard_normal((6, 8)).astype("<f4")
    with _schema_1_file(path) as db:
        db.execute("INSERT INTO meta VALUES ('minhash', 'k=16')")
        # Stored in reverse, so the hash order and the added order differ.
        for n in reversed(range(6)):
            a = arts[n]
            db.execute("INSERT INTO articles(id, text) VALUES (?, ?)", (a.id, a.text))
            db.execute("INSERT INTO origins VALUES (?, ?, ?)", (a.id, a.origin.path, n))
            if n != 4:  # one article without fingerprints
                db.execute(
                    "INSERT INTO signatures VALUES (?, ?, ?)", (a.id, n, minhash[n].tobytes())
                )
                db.execute("INSERT INTO vectors VALUES (?, ?)", (a.id, vectors[n].tobytes()))
        db.execute("INSERT INTO origins VALUES (?, ?, NULL)", (twice.id, twice.origin.path))
        db.execute("INSERT INTO comparisons VALUES ('a|b', '{}')")
    db.close()
    with Archive.open(path) as archive:
        assert archive.get_meta("schema_version") == "2"
        assert archive.get_meta("minhash") == "k=16"
        assert archive.ids() == tuple(a.id for a in reversed(arts))
        assert archive.origins([arts[2].id])[arts[2].id] == (
            Origin("in/2.jsonl", 2),
            Origin("in/copy.txt", None),
        )
        assert archive.missing_fingerprints() == (arts[4].id,)
        sigs, vecs = archive.signatures(), archive.vectors()
        expect = [n for n in reversed(range(6)) if n != 4]
        assert sigs.ids == vecs.ids == tuple(arts[n].id for n in expect)
        assert np.array_equal(sigs.matrix, minhash[expect])
        assert sigs.shingles.tolist() == expect
        assert np.array_equal(vecs.matrix, vectors[expect])
        assert archive.comparisons([("b", "a")]) == {("a", "b"): "{}"}
        # And it goes on working: a new article, a known one from a new file.
        added = archive.add([art("a new story", "in/new.txt"), art("story number 0", "x.txt")])
        assert (added.added, added.duplicates) == (1, 1)
        assert len(archive.origins([arts[0].id])[arts[0].id]) == 2
    with Archive.open(path) as archive:  # opening again changes nothing
        assert archive.get_meta("schema_version") == "2"
        assert len(archive) == 7


def test_comparison_cache_is_keyed_by_unordered_pair(tmp_path: Path) -> None:
    with Archive.open(tmp_path / "a.db") as archive:
        archive.put_comparisons([("b1", "a1", '{"x": 1}')])
        assert archive.comparisons([("a1", "b1")]) == {("a1", "b1"): '{"x": 1}'}
        assert archive.comparisons([("b1", "a1")]) == {("a1", "b1"): '{"x": 1}'}
        assert archive.comparisons([("a1", "c1")]) == {}


def test_file_that_is_not_sqlite_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a plain text file, not a database" * 100)
    with pytest.raises(StoreError, match=r"notes\.db"):
        Archive.open(path)


def test_truncated_archive_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Archive.open(path) as archive:
        archive.add([art(f"line {n} " * 50, f"{n}.txt") for n in range(200)])
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\xff" * 200 + data[300:])
    with pytest.raises(StoreError, match=r"a\.db"), Archive.open(path) as archive:
        archive.ids()


def test_other_sqlite_database_is_not_an_archive(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a retold archive"):
        Archive.open(path)


def test_missing_archive_without_create(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such archive"):
        Archive.open(tmp_path / "nope.db", create=False)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Archive.open(path).close()
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer"):
        Archive.open(path)


def test_locked_archive_reports_lock(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    Archive.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with (
            pytest.raises(StoreError, match="locked"),
            Archive.open(path, timeout=0.05) as archive,
        ):
            archive.add([art("Late news.", "late.txt")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@settings(max_examples=30, deadline=None)
@given(
    items=st.lists(
        st.tuples(
            st.sampled_from("abcde"),
            st.sampled_from(["f1", "f2", "f3"]),
            st.none() | st.integers(0, 2),
        ),
        max_size=25,
    ),
    cut=st.integers(0, 25),
)
def test_batches_never_change_the_final_state(
    tmp_path_factory: pytest.TempPathFactory,
    items: list[tuple[str, str, int | None]],
    cut: int,
) -> None:
    arts = [art(text * 3, path, rec) for text, path, rec in items]
    states = []
    for batches in ([arts], [arts[:cut], arts[cut:]], [[a] for a in arts]):
        with Archive.open(tmp_path_factory.mktemp("h") / "a.db") as archive:
            added = sum(archive.add(b).added for b in batches)
            ids = archive.ids()
            states.append((added, ids, archive.origins(ids)))
    assert states[0] == states[1] == states[2]
    distinct = list(dict.fromkeys(a.id for a in arts))
    assert states[0][1] == tuple(distinct)
    for aid in distinct:
        want = {a.origin for a in arts if a.id == aid}
        assert set(states[0][2][aid]) == want
