from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from retold.cli import main

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
    assert res.exit_code == 0, res.output
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
    assert all(m["id"] != lines[1]["query"]["id"] for m in lines[1]["matches"])


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
