"""``retold stories``: terminal summary, JSON, GraphML, and the HTML overview with pair pages."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from retold.cli import main

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli-stories") / "a.db"
    res = CliRunner().invoke(main, ["index", str(CORPUS), "--db", str(path), "--no-progress"])
    assert res.exit_code == 0, res.output
    return path


def run(*args: str) -> str:
    res = CliRunner().invoke(main, ["stories", *args, "--no-progress", "--workers", "1"])
    assert res.exit_code == 0, res.output
    return res.output


def test_terminal_summary_names_origins_and_outlets(db: Path) -> None:
    out = run("--db", str(db))
    assert "stories of two or more" in out
    assert "origin:" in out
    assert "wire.txt" in out.split("origin:")[1].splitlines()[0]
    assert "outlets" in out


def test_json_and_graphml(db: Path, tmp_path: Path) -> None:
    data = json.loads(run("--db", str(db), "--format", "json", "--singletons"))
    assert data["schema"] == "retold.stories/1"
    assert data["counts"]["articles"] == len(list(CORPUS.glob("*.txt")))
    paths = {Path(a["origin"]["path"]).name for s in data["stories"] for a in s["articles"]}
    assert paths == {p.name for p in CORPUS.glob("*.txt")}
    out = tmp_path / "g.graphml"
    run("--db", str(db), "--format", "graphml", "-o", str(out))
    root = ET.parse(out).getroot()
    assert root.tag.endswith("graphml")


def test_html_links_every_edge_to_its_pair_page(db: Path, tmp_path: Path) -> None:
    out, pages = tmp_path / "site" / "stories.html", tmp_path / "site" / "pairs"
    out.parent.mkdir()
    run("--db", str(db), "--format", "html", "-o", str(out), "--pages", str(pages))
    page = out.read_text(encoding="utf-8")
    written = sorted(p.name for p in pages.glob("*.html"))
    assert written
    for name in written:
        assert f'href="pairs/{name}"' in page
        assert "<!DOCTYPE html>" in (pages / name).read_text(encoding="utf-8")[:200]


def test_pages_need_html_and_missing_archive_fails(tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "x.db"), "--pages", "p"])
    assert res.exit_code == 2
    res = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "missing.db")])
    assert res.exit_code == 5
    assert "no such archive" in res.output


def test_output_is_checked_before_any_work(tmp_path: Path) -> None:
    # The archive does not exist either: the output check must fail first, as a usage error.
    missing = str(tmp_path / "missing.db")
    res = CliRunner().invoke(
        main, ["stories", "--db", missing, "-o", str(tmp_path / "x" / "s.json")]
    )
    assert res.exit_code == 2
    assert "does not exist" in res.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    res = CliRunner().invoke(
        main, ["stories", "--db", missing, "--format", "html", "--pages", str(blocker / "p")]
    )
    assert res.exit_code == 2
    assert "cannot write into" in res.stderr


def test_output_replaced_only_on_success(db: Path, tmp_path: Path) -> None:
    keep = tmp_path / "s.json"
    keep.write_text("precious\n")
    res = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "none.db"), "-o", str(keep)])
    assert res.exit_code == 5
    assert keep.read_text() == "precious\n"
    run("--db", str(db), "--format", "json", "-o", str(keep))
    assert json.loads(keep.read_text())["schema"] == "retold.stories/1"
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]


def test_terminal_edges_name_the_source_file_not_its_hash(db: Path) -> None:
    out = run("--db", str(db))
    derived = [line for line in out.splitlines() if "derived" in line and " from " in line]
    assert derived
    for line in derived:
        assert line.split(" from ")[1].split("]")[0].endswith(".txt")


def test_the_progress_bar_is_off_when_stderr_is_not_a_terminal_unless_asked(
    tmp_path: Path,
) -> None:
    db = tmp_path / "p.db"
    quiet = CliRunner().invoke(main, ["index", str(CORPUS), "--db", str(db)])
    assert quiet.exit_code == 0 and "\r" not in quiet.stderr
    forced = CliRunner().invoke(main, ["stories", "--db", str(db), "--progress", "--workers", "1"])
    assert forced.exit_code == 0 and "comparing" in forced.stderr
