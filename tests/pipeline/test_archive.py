from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from retold.errors import StoreError
from retold.ingest.corpora.meter import load_meter
from retold.model import Article, Origin, Relation, Source
from retold.pipeline.archive import candidate_pairs, index, query
from retold.pipeline.outlets import load_source_priors
from retold.pipeline.stories import stories
from retold.store import Archive

REPO = Path(__file__).resolve().parents[2]
NAMES = ["Ada Brown", "Carl Diaz", "Eve Fox", "Gus Hale", "Ivy Jones", "Kai Lee", "Mo Nash"]
TOWNS = ["Leeds", "York", "Hull", "Derby", "Bath", "Ely", "Ripon", "Wells"]


def story(n: int) -> str:
    rng = np.random.default_rng(n)
    name, town = rng.choice(NAMES), rng.choice(TOWNS)
    a, b = int(rng.integers(2, 5000)), int(rng.integers(1, 28))
    return (
        f"Case {n}: {name} appears in {town}\n\n"
        f"{name}, {int(rng.integers(19, 80))}, of {town}, was fined {a} pounds on day {b} "
        f"after a hearing that lasted {int(rng.integers(1, 9))} hours. Magistrates in {town} "
        f"heard that {name} had ignored {int(rng.integers(2, 40))} warnings about case {n}. "
        f"A spokesman said {int(rng.integers(2, 700))} residents had complained."
    )


def write_corpus(root: Path, n: int, *, per_folder: int = 250) -> Path:
    for i in range(n):
        folder = root / f"part{i // per_folder:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"s{i:05d}.txt").write_text(story(i), encoding="utf-8")
    return root


def table(db: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as con:
        arts = con.execute("SELECT seq, id, text, title FROM articles ORDER BY seq").fetchall()
        origins = con.execute(
            "SELECT article_seq, path, record FROM origins ORDER BY article_seq, path"
        ).fetchall()
        fps = con.execute(
            "SELECT s.article_seq, s.minhash, v.vector FROM signatures s "
            "JOIN vectors v USING (article_seq) ORDER BY s.article_seq"
        ).fetchall()
    return [arts, origins, fps]


def test_second_run_adds_nothing_and_counts_are_stable(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in", 60)
    db = tmp_path / "a.db"
    first = index([corpus], db, batch=25)
    before = table(db)
    second = index([corpus], db, batch=25)
    assert (first.read, first.added, first.duplicates, first.total) == (60, 60, 0, 60)
    assert (second.read, second.added, second.duplicates, second.total) == (60, 0, 60, 60)
    assert table(db) == before


def test_same_text_in_two_files_is_one_article_with_both_origins(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    one, two = tmp_path / "in" / "one.txt", tmp_path / "in" / "two.txt"
    one.write_text(story(1), encoding="utf-8")
    two.write_text(story(1), encoding="utf-8")
    db = tmp_path / "a.db"
    report = index([tmp_path / "in"], db)
    assert (report.read, report.added, report.duplicates) == (2, 1, 1)
    (result,) = query([next(iter(_articles(db)))], db)
    assert set(result.exact_duplicates) == {Origin(str(one)), Origin(str(two))}


def _articles(db: Path):  # type: ignore[no-untyped-def]
    with Archive.open(db) as archive:
        return list(archive.iter_articles())


def test_bad_records_are_reported_and_the_rest_indexed(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in", 5)
    (corpus / "part000" / "empty.txt").write_text("   \n", encoding="utf-8")
    (corpus / "part000" / "binary.txt").write_bytes(b"\x00\x01\x02garbage\x00" * 50)
    seen = []
    report = index([corpus], tmp_path / "a.db", on_error=seen.append)
    assert report.added == 5
    assert len(report.errors) == 2 == len(seen)
    assert {Path(str(e.source)).name for e in report.errors} == {"empty.txt", "binary.txt"}


def test_not_an_archive_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    db.write_text("hello, not sqlite" * 40)
    corpus = write_corpus(tmp_path / "in", 2)
    with pytest.raises(StoreError, match=r"a\.db"):
        index([corpus], db)


def test_kill_9_then_rerun_equals_an_uninterrupted_run(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path / "in", 3000)
    killed, clean = tmp_path / "killed.db", tmp_path / "clean.db"
    cmd = [
        sys.executable,
        "-m",
        "retold",
        "index",
        str(corpus),
        "--db",
        str(killed),
        "--no-progress",
    ]
    env = dict(os.environ)
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        if killed.exists():
            try:
                with sqlite3.connect(killed, timeout=0.2) as con:
                    stored = con.execute("SELECT count(*) FROM articles").fetchone()[0]
            except sqlite3.Error:
                stored = 0
            if stored >= 500:
                break
        time.sleep(0.05)
    assert proc.poll() is None, "indexing finished before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert 500 <= stored < 3000
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert "archive holds 3000" in rerun.stderr
    index([corpus], clean)
    assert table(killed) == table(clean)


@pytest.fixture(scope="module")
def meter_archive(tmp_path_factory: pytest.TempPathFactory, shared: Path):  # type: ignore[no-untyped-def]
    corpus = load_meter(shared / "data" / "meter")
    keys = sorted(corpus.pa)[:40]  # a subset of stories for speed
    db = tmp_path_factory.mktemp("meter") / "m.db"
    from retold.pipeline.archive import fingerprint

    pa = [a for key in keys for a in corpus.pa[key]]
    news = [i for i in corpus.newspapers if (i.date, i.catchline) in set(keys)]
    with Archive.open(db) as archive:
        arts = pa + [i.article for i in news]
        archive.add(arts, fingerprint(arts))
    return corpus, keys, news, db


def test_meter_query_puts_the_pa_source_first(meter_archive) -> None:  # type: ignore[no-untyped-def]
    corpus, _keys, news, db = meter_archive
    wholly = [i for i in news if i.label == "wholly"][:12]
    assert wholly
    results = query([i.article for i in wholly], db, top=5)
    firsts = 0
    for item, res in zip(wholly, results, strict=True):
        assert res.exact_duplicates  # the query article itself is archived ...
        assert item.article.id not in [m.article_id for m in res.matches]  # ... but no match
        assert all(m.comparison.verdict.relation is not Relation.UNRELATED for m in res.matches)
        pa_ids = {a.id for a in corpus.sources(item)}
        same_story_news = {
            n.article.id for n in news if (n.date, n.catchline) == (item.date, item.catchline)
        }
        # Other papers' versions of the same story may rank first; the first article that is
        # not one of them must be a PA file of the same catchline.
        rest = [m for m in res.matches if m.article_id not in same_story_news]
        if rest and rest[0].article_id in pa_ids:
            firsts += 1
            assert rest[0].origins
            assert "PA" in rest[0].origins[0].path
    assert firsts >= len(wholly) - 1


def test_a_paper_written_from_several_wire_versions_finds_them_joined(meter_archive) -> None:  # type: ignore[no-untyped-def]
    # Each exams PA version alone explains too little of these papers for them to rank above
    # the other papers of the story; joined, the versions do (both missed before versions).
    corpus, _keys, news, db = meter_archive
    papers = [
        i
        for i in news
        if i.article.origin.path.endswith(("exams199_sun.txt", "exams211_telegraph.txt"))
    ]
    assert len(papers) == 2
    pa_ids = {a.id for a in corpus.pa[("1999-07-14", "exams")]}
    story = {i.article.id for i in news if i.catchline == "exams"}
    for res in query([i.article for i in papers], db, top=5):
        first_pa = next(m for m in res.matches if m.article_id in pa_ids)
        above = res.matches[: res.matches.index(first_pa)]
        assert all(m.article_id in story for m in above)
        assert first_pa.versions is not None and set(first_pa.versions.ids) == pa_ids
        assert first_pa.versions.verdict.score > first_pa.comparison.verdict.score
        assert first_pa.versions.direction.source is not Source.A  # the paper is not first


def test_candidate_pairs_are_unique_and_deterministic(meter_archive) -> None:  # type: ignore[no-untyped-def]
    _, _, _, db = meter_archive
    first = list(candidate_pairs(db))
    assert first == list(candidate_pairs(db))
    keys = [(a, b) for a, b, _ in first]
    assert len(keys) == len(set(keys)) == len({frozenset(k) for k in keys})
    assert all(a != b for a, b in keys)


def test_an_empty_archive_answers_queries_and_stories(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    db = tmp_path / "e.db"
    report = index([tmp_path / "empty.txt"], db)
    assert report.added == 0
    probe = Article.from_text(story(1))
    [result] = query([probe], db)
    assert result.matches == () and result.exact_duplicates == ()
    assert stories(db).stories.stories == ()


def test_a_file_name_that_is_not_utf8_is_stored_escaped_beside_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(story(1), encoding="utf-8")
    bad = os.fsencode(folder) + b"/bad\xffname.txt"
    with open(bad, "w", encoding="utf-8") as handle:
        handle.write(story(2))
    db = tmp_path / "a.db"
    report = index([folder], db)
    assert report.added == 2
    with sqlite3.connect(db) as con:
        paths = sorted(Path(str(r[0])).name for r in con.execute("SELECT path FROM origins"))
    assert paths == ["bad\\xffname.txt", "ok.txt"]


def _records(path: Path, title: str, outlet: str) -> None:
    rows = [{"text": story(n), "title": f"{title} {n}", "outlet": outlet} for n in (1, 2)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_a_text_read_from_two_files_keeps_the_first_files_metadata_in_any_order(
    tmp_path: Path,
) -> None:
    _records(tmp_path / "a.jsonl", "From A", "Outlet A")
    _records(tmp_path / "b.jsonl", "From B", "Outlet B")
    kept = []
    for name, order in (("ab.db", ["a.jsonl", "b.jsonl"]), ("ba.db", ["b.jsonl", "a.jsonl"])):
        db = tmp_path / name
        for file in order:  # two runs, as an archive grows
            index([tmp_path / file], db)
        with sqlite3.connect(db) as con:
            kept.append(sorted(con.execute("SELECT title, outlet FROM articles").fetchall()))
    assert kept[0] == kept[1] == [("From A 1", "Outlet A"), ("From A 2", "Outlet A")]


def test_a_query_reports_its_own_metadata_not_the_archived_copys(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", 30)
    db = tmp_path / "a.db"
    index([tmp_path / "in"], db)
    stories(db)  # fills the comparison cache
    archived = Article.from_text(story(3), title="Archived title", date="2024-01-01")
    [result] = query([archived], db)
    assert result.matches and result.exact_duplicates
    for match in result.matches:
        assert match.comparison.a.title == "Archived title"
        assert match.comparison.a.date == "2024-01-01"


def test_matches_dated_after_the_query_come_after_its_possible_sources(
    tmp_path: Path, meter_corpus
) -> None:  # type: ignore[no-untyped-def]
    # The minibus trial of 26 January 2000 and its reports of the 27th: a paper of the 26th
    # shares more words with the next day's papers than with its PA source, but those cannot
    # be what it reuses.
    from retold.pipeline.archive import fingerprint
    from retold.pipeline.query import _rank
    from retold.store import Archive

    keys = [k for k in meter_corpus.pa if k[1] == "minibus"]
    assert sorted(k[0] for k in keys) == ["2000-01-26", "2000-01-27"]
    # The archive holds one PA take of the 26th (read with its other take, the two are joined
    # into one source that outranks the next day's papers anyway).
    arts = [a for k in keys for a in meter_corpus.pa[k] if k[0] == "2000-01-27"]
    arts += [a for a in meter_corpus.pa[("2000-01-26", "minibus")] if a.label.endswith("1.txt")]
    arts += [i.article for i in meter_corpus.newspapers if (i.date, i.catchline) in keys]
    db = tmp_path / "m.db"
    with Archive.open(db) as archive:
        archive.add(arts, fingerprint(arts))
    (paper,) = [a for a in arts if a.origin is not None and a.origin.path.endswith("667_sun.txt")]
    (res,) = query([paper], db, top=10)
    days = [m.comparison.b.date for m in res.matches]
    later = [d is not None and d > "2000-01-26" for d in days]
    assert any(later) and later == sorted(later), days  # every later one after the others
    pa = {a.id for a in meter_corpus.pa[("2000-01-26", "minibus")]}
    first_pa = next(n for n, m in enumerate(res.matches) if m.article_id in pa)
    assert first_pa < 5
    # By score alone a later paper would come first.
    assert max(_rank(m) for m, late in zip(res.matches, later, strict=True) if late) > _rank(
        res.matches[first_pa]
    )


def test_stories_teach_query_which_outlet_is_the_wire(  # type: ignore[no-untyped-def]
    meter_archive, tmp_path: Path
) -> None:
    corpus, _keys, news, db = meter_archive
    copy = tmp_path / "m.db"  # stories records its figures there; the fixture stays without
    with sqlite3.connect(db) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    stories(copy)
    with Archive.open(copy, create=False) as archive:
        priors = load_source_priors(archive)
    assert priors["PA"] > 0.3  # retold by the papers, rarely retelling them
    papers = {i.article.outlet for i in news} & set(priors)
    assert papers and all(priors[o] < 0 for o in papers)
    derived = [i for i in news if i.label in ("wholly", "partially")]

    def pa_in_top_5(path: Path) -> int:
        hits = 0
        for item, res in zip(
            derived, query([i.article for i in derived], path, top=5), strict=True
        ):
            for m in res.matches:
                known = priors if path == copy else {}
                assert m.source_prior == known.get(m.comparison.b.outlet or "", 0.0)
            pa_ids = {a.id for a in corpus.sources(item)}
            hits += any(m.article_id in pa_ids for m in res.matches)
        return hits

    without, with_priors = pa_in_top_5(db), pa_in_top_5(copy)
    assert with_priors >= without
