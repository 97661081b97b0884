"""Labelled-pairs evaluation: the file format, bad lines, and scores on the example corpus."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from retold.cli import main
from retold.cli.errors import SKIPPED
from retold.errors import EmptyInputError, FormatError, InputError
from retold.eval.labelled import LabelledPair, evaluate_labelled, read_labelled
from retold.model import Relation, RewriteKind, Source

CORPUS = Path(__file__).resolve().parents[2] / "examples" / "corpus"

# The example corpus as a labelled file: what each article is, by how it was written.
EXAMPLE_LINES = [
    "# a comment, then a blank line",
    "",
    "wire.txt\tverbatim.txt\twholly_derived\tverbatim\ta",
    "wire.txt\tlight.txt\twholly_derived\tlight\ta",
    '{"a": "heavy.txt", "b": "wire.txt", "relation": "wholly_derived", "source": "b"}',
    "wire.txt\tindependent.txt\tsame_story",
    "wire.txt\tunrelated.txt\tunrelated\t-\t-",
]


def _write(folder: Path, lines: list[str]) -> Path:
    path = folder / "labels.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_read_labelled_parses_tsv_and_json_lines(tmp_path: Path) -> None:
    items = read_labelled(_write(tmp_path, EXAMPLE_LINES))
    assert items[0] == LabelledPair(
        3, "wire.txt", "verbatim.txt", Relation.WHOLLY_DERIVED, RewriteKind.VERBATIM, Source.A
    )
    assert items[2] == LabelledPair(
        5, "heavy.txt", "wire.txt", Relation.WHOLLY_DERIVED, None, Source.B
    )
    assert items[4] == LabelledPair(7, "wire.txt", "unrelated.txt", Relation.UNRELATED)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("a.txt\tb.txt", "expected A, B, relation"),
        ("a.txt\tb.txt\tderived", "'derived' is not one of"),
        ("a.txt\tb.txt\tsame_story\theavy", "kind is given for a same_story pair"),
        ("a.txt\tb.txt\twholly_derived\theavy\tunknown", "must be a, b or shared"),
        ('{"a": "a.txt", "relation": "unrelated"}', "has no 'b'"),
        ('{"a": "a.txt", "b": "b.txt"}', "relation is missing"),
        ("[1, 2]", "expected A, B, relation"),
    ],
)
def test_a_bad_line_is_an_error_naming_its_line(tmp_path: Path, line: str, reason: str) -> None:
    items = read_labelled(_write(tmp_path, ["a.txt\tb.txt\tunrelated", line]))
    assert isinstance(items[0], LabelledPair)
    error = items[1]
    assert isinstance(error, FormatError)
    assert error.record == 2 and error.source == str(tmp_path / "labels.tsv")
    assert reason in str(error)


def test_an_empty_or_missing_pairs_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(EmptyInputError):
        read_labelled(_write(tmp_path, ["# nothing here", ""]))
    with pytest.raises(InputError, match="no such pairs file"):
        read_labelled(tmp_path / "absent.tsv")


def test_example_corpus_scores_and_a_missing_article_loses_only_its_line(tmp_path: Path) -> None:
    for file in CORPUS.glob("*.txt"):
        shutil.copy(file, tmp_path / file.name)
    lines = [*EXAMPLE_LINES, "wire.txt\tgone.txt\tunrelated"]
    result = evaluate_labelled(_write(tmp_path, lines))
    assert len(result.pairs) == 5
    assert [e.record for e in result.skipped] == [8]
    assert "gone.txt" in str(result.skipped[0])
    # Every derived article is judged derived and nothing else is (the corpus is written so).
    assert result.binary.f1 == (1.0, 1.0)
    right = {p["b"]: p["predicted"] == p["relation"] for p in result.pairs}
    assert right["independent.txt"] and right["unrelated.txt"]
    # Direction: each derived pair names the wire (dated two days earlier) its source.
    assert result.direction == {"correct": 3, "wrong": 0, "unknown": 0}
    assert result.kind.accuracy == 1.0


def test_cli_eval_pairs_json_and_exit_code(tmp_path: Path) -> None:
    good = [f"{CORPUS / 'wire.txt'}\t{CORPUS / 'unrelated.txt'}\tunrelated"]
    path = _write(tmp_path, good)
    result = CliRunner().invoke(main, ["eval", "pairs", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["items"] == 1 and data["pairs"][0]["predicted"] == "unrelated"
    path = _write(tmp_path, [*good, "x.txt\ty.txt\tnot_a_relation"])
    result = CliRunner().invoke(main, ["eval", "pairs", str(path)])
    assert result.exit_code == SKIPPED
    assert "record 2" in result.output and "judged wrong: 0" in result.output
