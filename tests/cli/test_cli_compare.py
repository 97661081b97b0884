"""``retold compare``: input formats, FILE#N, stdin, output files, --with-text, exit codes."""

from __future__ import annotations

import html
import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from retold.cli import main
from retold.cli.errors import SKIPPED
from retold.cli.options import INPUT_FORMATS
from retold.ingest import FORMATS

STORY = (
    "Fire crews from Hull spent seven hours fighting a blaze at the old harbour warehouse on "
    "Friday night. Police said nobody was hurt, and twelve nearby homes were evacuated as a "
    "precaution while the roof collapsed."
)
OTHER = (
    "A new footbridge over the river will open in May, the council said on Monday, after two "
    "years of building work and a long debate about its cost."
)
MENU = ["Home", "World", "Business", "Weather"]


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, ["compare", *args], input=input)


@pytest.fixture
def texts(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(STORY, encoding="utf-8")
    b.write_text(STORY.replace("seven", "six"), encoding="utf-8")
    return a, b


def test_html_page_is_compared_without_markup(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    pytest.importorskip("trafilatura")
    menu = "".join(f"<li><a href='/{m}'>{m}</a></li>" for m in MENU)
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>Warehouse fire - Gazette</title></head><body>"
        f"<nav><ul>{menu}</ul></nav><article><h1>Warehouse fire</h1>"
        f"<p>{html.escape(STORY)}</p></article><footer>Contact us</footer></body></html>",
        encoding="utf-8",
    )
    res = run(str(page), str(texts[0]), "--format", "json", "--with-text")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["a"]["title"] == "Warehouse fire"
    assert STORY in out["a"]["text"]
    assert "<" not in out["a"]["text"]
    assert "Contact us" not in out["a"]["text"]
    assert out["relation"] == "wholly_derived"


def test_several_records_are_an_error_naming_the_file(
    tmp_path: Path, texts: tuple[Path, Path]
) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in (OTHER, STORY, OTHER)))
    res = run(str(path), str(texts[0]))
    assert res.exit_code == 3
    (line,) = res.stderr.strip().splitlines()
    assert str(path) in line
    assert "3 records" in line
    assert "retold index" in line
    res = run(f"{path}#2", str(texts[0]), "--format", "json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["a"]["origin"] == {"path": str(path), "record": 2}
    assert out["relation"] == "wholly_derived"
    res = run(f"{path}#9", str(texts[0]))
    assert res.exit_code == 3
    assert "has no record 9" in res.stderr


def test_a_file_named_with_a_hash_is_read_as_named(
    tmp_path: Path, texts: tuple[Path, Path]
) -> None:
    odd = tmp_path / "notes#2"
    odd.write_text(STORY, encoding="utf-8")
    res = run(str(odd), str(texts[0]), "--format", "json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["a"]["origin"] == {"path": str(odd), "record": None}


def test_csv_column_mapping(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    path = tmp_path / "papers.csv"
    path.write_text(f'headline,story,paper\nFire,"{STORY}",Gazette\n', encoding="utf-8")
    args = [str(path), str(texts[1]), "--format", "json"]
    res = run(*args)
    assert res.exit_code == 3
    assert "no text column" in res.stderr
    res = run(*args, "--column", "text=story", "--column", "outlet=paper")
    assert res.exit_code == 0, res.output
    a = json.loads(res.stdout)["a"]
    assert (a["title"], a["outlet"], a["origin"]["record"]) == ("Fire", "Gazette", 1)
    res = run(*args, "--column", "story")
    assert res.exit_code == 2
    assert "FIELD=NAME" in res.stderr


def test_forced_input_format_applies_to_both_sides(tmp_path: Path) -> None:
    a, b = tmp_path / "a.dat", tmp_path / "b.dat"
    a.write_text(f'text\n"{STORY}"\n', encoding="utf-8")
    b.write_text(f'text\n"{STORY.replace("seven", "six")}"\n', encoding="utf-8")
    detected = json.loads(run(str(a), str(b), "--format", "json", "--with-text").stdout)
    assert detected["a"]["text"].startswith("text\n")
    res = run(str(a), str(b), "--format", "json", "--with-text", "--input-format", "csv")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["a"]["text"] == STORY
    assert out["b"]["origin"] == {"path": str(b), "record": 1}
    res = run(str(a), str(b), "--input-format", "pdf")
    assert res.exit_code == 2


def test_stdin_once(texts: tuple[Path, Path]) -> None:
    res = run("-", str(texts[1]), "--format", "json", input=STORY)
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["a"]["origin"] == {"path": "<stdin>", "record": None}
    res = run("-", "-", input=STORY)
    assert res.exit_code == 2
    assert "standard input can be read only once" in res.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_is_refused(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[Result] = []
    thread = threading.Thread(target=lambda: outcome.append(run(str(fifo), str(texts[0]))))
    thread.daemon = True
    thread.start()
    thread.join(30)
    if thread.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
        pytest.fail("compare blocked on a named pipe")
    assert outcome[0].exit_code == 3
    assert f"{fifo}: is a named pipe" in outcome[0].stderr


def test_output_folder_is_checked_first(tmp_path: Path) -> None:
    # Inputs that do not exist: the output check must come first, with a usage error.
    out = tmp_path / "no" / "such" / "x.json"
    res = run(str(tmp_path / "gone-a.txt"), str(tmp_path / "gone-b.txt"), "-o", str(out))
    assert res.exit_code == 2
    assert "does not exist" in res.stderr
    assert res.exception is None or isinstance(res.exception, SystemExit)
    res = run("--pairs", str(tmp_path / "gone.tsv"), "-o", str(tmp_path))
    assert res.exit_code == 2
    assert "is a directory" in res.stderr


def test_failed_input_keeps_an_existing_output(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    keep = tmp_path / "keep.out"
    keep.write_text("precious\n")
    res = run(str(tmp_path / "gone.txt"), str(texts[0]), "-o", str(keep))
    assert res.exit_code == 3
    assert keep.read_text() == "precious\n"
    res = run("--pairs", str(tmp_path / "gone.tsv"), "-o", str(keep))
    assert res.exit_code == 3
    assert keep.read_text() == "precious\n"
    res = run(*map(str, texts), "--format", "json", "-o", str(keep))
    assert res.exit_code == 0, res.output
    assert json.loads(keep.read_text())["schema"] == "retold.compare/1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt", "keep.out"]


def test_with_text(texts: tuple[Path, Path]) -> None:
    plain = json.loads(run(*map(str, texts), "--format", "json").stdout)
    full = json.loads(run(*map(str, texts), "--format", "json", "--with-text").stdout)
    assert "text" not in plain["a"]
    assert full["a"]["text"] == STORY
    p = full["passages"][0]["a"]
    assert p["text"] == STORY[p["start"] : p["end"]]
    assert run(*map(str, texts), "--with-text").exit_code == 2


def test_pairs_exit_codes_and_with_text(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    ok = tmp_path / "ok.tsv"
    ok.write_text("a.txt\tb.txt\n")
    out = tmp_path / "out.jsonl"
    res = run("--pairs", str(ok), "-o", str(out), "--with-text")
    assert res.exit_code == 0, res.output
    (line,) = [json.loads(x) for x in out.read_text().splitlines()]
    assert line["a"]["text"] == STORY
    some = tmp_path / "some.tsv"
    some.write_text("a.txt\tb.txt\na.txt\tgone.txt\n-\ta.txt\n")
    res = run("--pairs", str(some), "-o", str(out))
    assert res.exit_code == SKIPPED
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    assert "relation" in lines[0]
    assert "gone.txt" in lines[1]["error"]
    assert "stdin" in lines[2]["error"]
    none = tmp_path / "none.tsv"
    none.write_text("a.txt\tgone.txt\n")
    res = run("--pairs", str(none))
    assert res.exit_code == 3
    assert "no pair of" in res.stderr


def test_help_documents_selectors_formats_and_exit_codes() -> None:
    assert set(INPUT_FORMATS) == set(FORMATS)
    text = run("--help").output
    assert "FILE#N" in text
    assert "--with-text" in text and "--column" in text and "--input-format" in text
    top = CliRunner().invoke(main, ["--help"]).output
    assert "Exit codes" in top
    assert f"{SKIPPED} done, but some input was skipped" in " ".join(top.split())


def test_output_through_a_symlink_keeps_the_link(tmp_path: Path, texts: tuple[Path, Path]) -> None:
    target = tmp_path / "real.json"
    target.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    res = run(*map(str, texts), "--format", "json", "-o", str(link))
    assert res.exit_code == 0, res.output
    assert link.is_symlink()
    assert json.loads(target.read_text())["schema"] == "retold.compare/1"
