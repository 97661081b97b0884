from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from retold.cli import main
from retold.cli.errors import SKIPPED

TEXT = (
    "Harbour fire\n\nFire crews from {town} spent {n} hours fighting a blaze at the old "
    "harbour warehouse on {day} night. Police said nobody was hurt, and {n} nearby homes were "
    "evacuated as a precaution while the roof collapsed."
)


def write(folder: Path, name: str, **kw: object) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(TEXT.format(**kw), encoding="utf-8")
    return path


def test_index_then_query_jsonl(tmp_path: Path) -> None:
    write(tmp_path / "in", "a.txt", town="Hull", n=7, day="Friday")
    write(tmp_path / "in", "b.txt", town="York", n=3, day="Monday")
    (tmp_path / "in" / "bad.txt").write_bytes(b"\x00\x00binary\x00" * 40)
    db = tmp_path / "a.db"
    runner = CliRunner()
    res = runner.invoke(main, ["index", str(tmp_path / "in"), "--db", str(db), "--no-progress"])
    assert res.exit_code == SKIPPED, res.output  # all read, but one file was skipped
    assert "bad.txt" in res.stderr
    assert "2 added" in res.stderr
    assert "1 skipped" in res.stderr
    again = runner.invoke(main, ["index", str(tmp_path / "in"), "--db", str(db), "--no-progress"])
    assert "0 added" in again.stderr
    assert "archive holds 2" in again.stderr

    q1 = write(tmp_path / "q", "q1.txt", town="Hull", n=7, day="Saturday")
    q2 = write(tmp_path / "q", "q2.txt", town="York", n=3, day="Monday")
    res = runner.invoke(main, ["query", str(q1), str(q2), "--db", str(db), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    lines = [json.loads(x) for x in res.stdout.splitlines()]
    assert [x["query"]["label"] for x in lines] == [str(q1), str(q2)]
    first = lines[0]["matches"][0]
    assert first["origins"] == [str(tmp_path / "in" / "a.txt")]
    assert first["comparison"]["relation"] in ("wholly_derived", "partially_derived")
    assert lines[1]["exact_duplicates"] == [str(tmp_path / "in" / "b.txt")]
    assert first["versions"] is None  # undated files of no known outlet
    assert all(m["id"] != lines[1]["query"]["id"] for m in lines[1]["matches"])


def test_query_names_a_wire_story_s_versions(tmp_path: Path) -> None:
    # A wire service's first take and its update, filed the same morning; a paper retells both.
    corpus = Path(__file__).resolve().parents[2] / "examples" / "corpus"
    body = (corpus / "wire.txt").read_text(encoding="utf-8").split("\n\n")[2:]
    takes = [body[:3], body[:1] + body[3:]]
    records = [
        {"text": "\n\n".join(t), "outlet": "Northern Wire", "date": f"2025-03-03T0{h}:10:00Z"}
        for t, h in zip(takes, (6, 9), strict=True)
    ]
    wire = tmp_path / "wire.jsonl"
    wire.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "w.db"
    runner = CliRunner()
    args = ["index", str(wire), str(corpus / "unrelated.txt"), "--db", str(db), "--no-progress"]
    assert runner.invoke(main, args).exit_code == 0
    paper = str(corpus / "light.txt")
    res = runner.invoke(main, ["query", paper, "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    matches = json.loads(res.stdout)[0]["matches"]
    assert sorted(o for m in matches for o in m["origins"]) == [f"{wire}#1", f"{wire}#2"]
    ids = sorted(m["id"] for m in matches)
    for m in matches:
        assert sorted(m["versions"]["ids"]) == ids
        assert m["versions"]["labels"] == [f"{wire}#1", f"{wire}#2"]  # by date: take 1 first
        assert m["versions"]["relation"] == "wholly_derived"
        assert m["versions"]["source"] == "b"  # the wire, a day before the paper
        assert m["versions"]["evidence"][0]["cue"] == "date"
    shown = runner.invoke(main, ["query", paper, "--db", str(db)]).stdout
    assert shown.count("one of 2 versions from its outlet that day") == 2
    assert "direction unknown" not in shown


def test_query_says_why_joined_versions_named_the_copy_on_shape_alone_are_unknown(
    shared: Path, tmp_path: Path
) -> None:
    # METER 21.02.00 "abuse": PA's two takes and the Sun's 27-word brief, all of one day. Read
    # joined, the takes are eight times the brief's length and the shape cues call them its
    # copy; the query reports that direction unknown and says why.
    meter, where = shared / "data" / "meter", Path("rawtexts", "courts", "21.02.00", "abuse")
    day, paper = meter / "PA" / where, meter / "newspapers" / where
    wire = tmp_path / "pa.jsonl"
    records = [
        {"text": (day / name).read_text(encoding="latin-1"), "outlet": "PA", "date": "2000-02-21"}
        for name in ("abuse1.txt", "abuse1sub.txt")
    ]
    wire.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    brief = tmp_path / "sun.json"
    text = (paper / "abuse507_sun.txt").read_text(encoding="latin-1")
    brief.write_text(json.dumps({"text": text, "outlet": "Sun", "date": "2000-02-21"}))
    db = tmp_path / "pa.db"
    runner = CliRunner()
    assert (
        runner.invoke(main, ["index", str(wire), "--db", str(db), "--no-progress"]).exit_code == 0
    )
    res = runner.invoke(main, ["query", str(brief), "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    matches = json.loads(res.stdout)[0]["matches"]
    assert len(matches) == 2
    for m in matches:
        assert m["versions"]["source"] == "unknown"
        assert m["versions"]["evidence"][-1]["cue"] == "joined"
    shown = runner.invoke(main, ["query", str(brief), "--db", str(db)]).stdout
    assert shown.count("direction unknown: the shape of the overlap names `a` the source") == 2


def test_query_terminal_and_missing_archive(tmp_path: Path) -> None:
    q = write(tmp_path / "q", "q.txt", town="Ely", n=2, day="Sunday")
    runner = CliRunner()
    res = runner.invoke(main, ["query", str(q), "--db", str(tmp_path / "none.db")])
    assert res.exit_code == 5
    assert "none.db" in res.stderr
    assert "no such archive" in res.stderr
    db = tmp_path / "a.db"
    runner.invoke(main, ["index", str(q), "--db", str(db), "--no-progress"])
    res = runner.invoke(main, ["query", str(q), "--db", str(db)])
    assert res.exit_code == 0
    assert f"identical to {q}" in res.stdout


def test_not_an_archive_exit_code(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    db.write_text("not a database at all" * 50)
    q = write(tmp_path / "q", "q.txt", town="Ely", n=2, day="Sunday")
    res = CliRunner().invoke(main, ["index", str(q), "--db", str(db), "--no-progress"])
    assert res.exit_code == 5
    assert "x.db" in res.stderr


def index(*args: str) -> Result:
    return CliRunner().invoke(main, ["index", *args, "--no-progress"])


def test_index_exit_codes(tmp_path: Path) -> None:
    good = write(tmp_path / "in", "a.txt", town="Hull", n=7, day="Friday")
    empty = tmp_path / "in" / "empty.txt"
    empty.write_text("  \n")
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00binary\x00" * 40)
    db = str(tmp_path / "a.db")
    assert index(str(good), "--db", db).exit_code == 0
    # A file with no text at all is named, but is not a failure.
    res = index(str(tmp_path / "in"), "--db", db)
    assert res.exit_code == 0, res.output
    assert "empty.txt" in res.stderr
    assert "1 skipped (1 with no text)" in res.stderr
    # An unreadable file is: the rest is still read, then the exit code says so.
    res = index(str(tmp_path / "in"), str(binary), "--db", db)
    assert res.exit_code == SKIPPED
    assert "1 already stored" in res.stderr
    # Nothing readable at all is an input error.
    res = index(str(binary), str(tmp_path / "missing.txt"), "--db", db)
    assert res.exit_code == 3
    assert "no article could be read" in res.stderr
    assert "missing.txt" in res.stderr


def test_index_and_query_with_a_column_mapping(tmp_path: Path) -> None:
    rows = [("Hull", 7, "Friday"), ("York", 3, "Monday")]
    lines = "".join(
        f'"H{i}","{TEXT.format(town=t, n=n, day=d)}",Gazette\n' for i, (t, n, d) in enumerate(rows)
    )
    csv_path = tmp_path / "papers.csv"
    csv_path.write_text("headline,story,paper\n" + lines)
    db = str(tmp_path / "a.db")
    res = index(str(csv_path), "--db", db)
    assert res.exit_code == 3
    assert "no text column" in res.stderr and "--column text=NAME" in res.stderr
    res = index(str(csv_path), "--db", db, "--column", "text=story", "--column", "outlet=paper")
    assert res.exit_code == 0, res.output
    assert "2 added" in res.stderr
    res = CliRunner().invoke(
        main, ["query", str(csv_path), "--db", db, "--column", "text=story", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    found = json.loads(res.stdout)
    assert [r["query"]["label"] for r in found] == [f"{csv_path}#1", f"{csv_path}#2"]
    assert [r["query"]["title"] for r in found] == ["H0", "H1"]
    assert found[0]["exact_duplicates"] == [f"{csv_path}#1"]
    res = index(str(csv_path), "--db", db, "--column", "body=story")
    assert res.exit_code == 2
    assert "unknown field 'body'" in res.stderr


def test_query_exit_codes(tmp_path: Path) -> None:
    q = write(tmp_path / "q", "q.txt", town="Ely", n=2, day="Sunday")
    db = str(tmp_path / "a.db")
    index(str(q), "--db", db)
    res = CliRunner().invoke(main, ["query", str(q), str(tmp_path / "gone.txt"), "--db", db])
    assert res.exit_code == SKIPPED
    assert f"identical to {q}" in res.stdout
    assert "gone.txt" in res.stderr
    res = CliRunner().invoke(main, ["query", str(tmp_path / "gone.txt"), "--db", db])
    assert res.exit_code == 3
    assert "no query article could be read" in res.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_index_skips_a_named_pipe(tmp_path: Path) -> None:
    write(tmp_path / "in", "a.txt", town="Hull", n=7, day="Friday")
    fifo = tmp_path / "in" / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[Result] = []
    thread = threading.Thread(
        target=lambda: outcome.append(index(str(tmp_path / "in"), "--db", str(tmp_path / "a.db"))),
        daemon=True,
    )
    thread.start()
    thread.join(30)
    if thread.is_alive():  # unblock the reader before failing
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        pytest.fail("index blocked on a named pipe")
    (res,) = outcome
    assert res.exit_code == SKIPPED
    assert f"skipped: {fifo}: is a named pipe" in res.stderr
    assert "1 added" in res.stderr
