from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from retold.config import ReadOptions
from retold.errors import (
    BinaryInputError,
    ConfigError,
    EmptyInputError,
    FormatError,
    InputError,
    TooLargeError,
)
from retold.ingest.columns import ColumnMapping
from retold.ingest.records import read_csv, read_json, read_jsonl
from retold.model import Article, Origin


def _split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    arts = [x for x in items if isinstance(x, Article)]
    errs = [x for x in items if isinstance(x, InputError)]
    assert len(arts) + len(errs) == len(items)
    return arts, errs


# --- JSON Lines ---------------------------------------------------------------------------


def test_jsonl_bad_line_in_the_middle(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "First story.", "title": "One", "date": "June 3, 2024"}),
        '{"text": "broken',
        "",
        json.dumps({"body": "Third story.", "publisher": "Wire", "id": 7}),
    ]
    path.write_text("\n".join(lines) + "\n")
    arts, errs = _split(list(read_jsonl(path)))
    assert [a.text for a in arts] == ["First story.", "Third story."]
    assert arts[0].date == "2024-06-03"
    assert arts[0].title == "One"
    assert arts[1].outlet == "Wire"
    assert arts[1].id == "7"
    assert [a.origin for a in arts] == [Origin(str(path), 1), Origin(str(path), 4)]
    assert len(errs) == 1
    assert isinstance(errs[0], FormatError)
    assert errs[0].source == str(path)
    assert errs[0].record == 2
    assert f"{path}, record 2" in str(errs[0])


@pytest.mark.parametrize(
    ("record", "error", "match"),
    [
        ({"title": "no text"}, FormatError, "no text field"),
        ({"text": 12}, FormatError, "expected a string"),
        ({"text": "ok", "title": ["list"]}, FormatError, "title field"),
        ({"text": "  \n "}, EmptyInputError, "empty"),
        ({"text": "x" * 500}, TooLargeError, "limit"),
        ([1, 2], FormatError, "expected an object"),
    ],
)
def test_jsonl_bad_records_each_named(
    tmp_path: Path, record: object, error: type[InputError], match: str
) -> None:
    path = tmp_path / "r.jsonl"
    good = json.dumps({"text": "Good one."})
    path.write_text(f"{good}\n{json.dumps(record)}\n{good}\n")
    arts, errs = _split(list(read_jsonl(path, ReadOptions(max_bytes=200))))
    assert len(arts) == 2
    assert len(errs) == 1
    assert type(errs[0]) is error
    assert errs[0].record == 2
    assert match in errs[0].reason


def test_jsonl_overlong_line_is_skipped_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    long = json.dumps({"text": "y" * 5000})
    path.write_text(f'{{"text": "a"}}\n{long}\n{{"text": "b"}}\n')
    arts, errs = _split(list(read_jsonl(path, ReadOptions(max_bytes=1000))))
    assert [a.text for a in arts] == ["a", "b"]
    assert isinstance(errs[0], TooLargeError)
    assert errs[0].record == 2


def test_jsonl_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_bytes(b"\x00\x01\x02" * 10)
    (err,) = list(read_jsonl(path))
    assert isinstance(err, BinaryInputError)
    assert err.source == str(path)


def test_jsonl_mixed_encodings_per_line(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(
        codecs.BOM_UTF8
        + '{"text": "caf\u00e9"}\n'.encode()
        + '{"text": "\u00a3400 \u201cquoted\u201d"}\n'.encode("cp1252")
    )
    arts, errs = _split(list(read_jsonl(path)))
    assert not errs
    assert [a.text for a in arts] == ["café", "£400 “quoted”"]


def test_jsonl_missing_file(tmp_path: Path) -> None:
    (err,) = list(read_jsonl(tmp_path / "gone.jsonl"))
    assert isinstance(err, InputError)
    assert "no such file" in err.reason


def test_mapping_for_json_fields(tmp_path: Path) -> None:
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({"story": "Body here.", "head": "H", "text": "not this"}) + "\n")
    mapping = ColumnMapping(text="story", title="head")
    (art,) = list(read_jsonl(path, mapping=mapping))
    assert isinstance(art, Article)
    assert (art.text, art.title) == ("Body here.", "H")


def test_default_field_names_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"Content": "  Body. ", "Headline": "H", "Link": "http://x"}))
    (art,) = list(read_jsonl(path))
    assert isinstance(art, Article)
    assert (art.title, art.url) == ("H", "http://x")
    assert art.body is not None
    assert art.body.slice(art.text) == "Body."


# --- JSON -----------------------------------------------------------------------------------


def test_json_array_with_a_bad_element(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"text": "one"}, "oops", {"text": "three"}]))
    arts, errs = _split(list(read_json(path)))
    assert [a.origin for a in arts] == [Origin(str(path), 1), Origin(str(path), 3)]
    assert errs[0].record == 2


def test_json_invalid_document(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"text": "a",\n  oops}')
    (err,) = list(read_json(path))
    assert isinstance(err, FormatError)
    assert "line 2" in err.reason
    assert err.source == str(path)


@pytest.mark.parametrize(("content", "error"), [("[]", EmptyInputError), ("3", FormatError)])
def test_json_empty_array_and_scalar(tmp_path: Path, content: str, error: type[InputError]) -> None:
    path = tmp_path / "x.json"
    path.write_text(content)
    (err,) = list(read_json(path))
    assert type(err) is error


# --- CSV ------------------------------------------------------------------------------------


def test_csv_with_bom_quotes_and_multiline_field(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(
        codecs.BOM_UTF8
        + b'Title,Text,Outlet\r\n"A, B","Line one\r\n\r\nline two",Wire\r\nSecond,Plain text,\r\n'
    )
    arts, errs = _split(list(read_csv(path)))
    assert not errs
    assert arts[0].title == "A, B"
    assert arts[0].text == "Line one\r\n\r\nline two"
    assert arts[0].outlet == "Wire"
    assert arts[1].outlet is None
    # Records are data rows (header not counted), whatever lines a quoted field spans.
    assert [a.origin for a in arts] == [Origin(str(path), 1), Origin(str(path), 2)]


def test_csv_missing_text_column_is_one_error(tmp_path: Path) -> None:
    path = tmp_path / "n.csv"
    path.write_text("title,author\nA,B\nC,D\n")
    (err,) = list(read_csv(path))
    assert isinstance(err, FormatError)
    assert err.record is None
    assert "no text column" in err.reason
    assert "title, author" in err.reason


def test_csv_mapping_and_short_or_empty_rows(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("id,story\n1,First.\n2\n3,\n\n4,Fourth.\n")
    items = list(read_csv(path, mapping=ColumnMapping(text="story")))
    arts, errs = _split(items)
    assert [(a.id, a.text) for a in arts] == [("1", "First."), ("4", "Fourth.")]
    assert [(type(e), e.record) for e in errs] == [(FormatError, 2), (EmptyInputError, 3)]
    # The blank row (row 4) keeps its number, so the last row is row 5, as in JSON Lines.
    assert [a.origin.record for a in arts if a.origin] == [1, 5]


def test_csv_huge_field_within_bound(tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    big = "word " * 60_000  # 300 kB, over the csv module's default 128 kB field limit
    path.write_text(f'text\n"{big}"\nsmall\n')
    arts, errs = _split(list(read_csv(path)))
    assert not errs
    assert len(arts) == 2
    assert len(arts[0].text) == len(big)


def test_csv_field_over_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "over.csv"
    path.write_text("text\n" + "z" * 3000 + "\nsmall\n")
    arts, errs = _split(list(read_csv(path, ReadOptions(max_bytes=1000))))
    assert [a.text for a in arts] == ["small"]
    assert isinstance(errs[0], TooLargeError)
    # The oversized line is data row 1 (file line 2, named in the reason); "small" is row 2.
    assert errs[0].record == 1
    assert "line 2" in errs[0].reason
    assert [a.origin.record for a in arts if a.origin] == [2]


def test_tsv_has_no_quoting(tmp_path: Path) -> None:
    path = tmp_path / "q.tsv"
    path.write_text('title\ttext\n"Quoted" title\tHe said "hi\tthere.\n')
    (art,) = list(read_csv(path))
    assert isinstance(art, Article)
    assert art.title == '"Quoted" title'
    assert art.text == 'He said "hi'


def test_csv_utf16_from_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("text,title\r\nNaïve story.,T\r\n".encode("utf-16"))
    (art,) = list(read_csv(path))
    assert isinstance(art, Article)
    assert art.text == "Naïve story."


def test_csv_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("")
    (err,) = list(read_csv(path))
    assert isinstance(err, EmptyInputError)


def test_csv_records_are_data_rows_with_multiline_fields(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    rows = [("One", "First line.\n\nSecond paragraph."), ("Two", "A\nB\nC"), ("Three", "")]
    body = "".join(f'{t},"{x}"\n' for t, x in rows)
    path.write_text("title,text\n" + body)
    items = list(read_csv(path))
    numbers = [x.origin.record if isinstance(x, Article) and x.origin else x.record for x in items]
    assert numbers == [1, 2, 3]
    assert [x.title for x in items if isinstance(x, Article)] == ["One", "Two"]
    assert isinstance(items[2], EmptyInputError)
    assert f"{path}, record 3" in str(items[2])


def test_csv_and_jsonl_number_the_same_records_alike(tmp_path: Path) -> None:
    """Record N is the N-th entry after the header (CSV) or the N-th line (JSON Lines)."""
    texts = ["Alpha story.", "", "Gamma story."]
    csv_path, jsonl_path = tmp_path / "r.csv", tmp_path / "r.jsonl"
    csv_path.write_text("text\n" + "".join(f"{t}\n" for t in texts))
    jsonl_path.write_text("".join(json.dumps({"text": t}) + "\n" if t else "\n" for t in texts))
    for items in (list(read_csv(csv_path)), list(read_jsonl(jsonl_path))):
        arts, _ = _split(items)
        assert [(a.text, a.origin.record if a.origin else None) for a in arts] == [
            ("Alpha story.", 1),
            ("Gamma story.", 3),
        ]


def test_mapping_default_fields_keep_common_names(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("Headline,story,paper,Link\nH1,Body one.,Gazette,http://x/1\n")
    (art,) = list(read_csv(path, mapping=ColumnMapping.parse(["text=story", "outlet=paper"])))
    assert isinstance(art, Article)
    assert (art.text, art.title, art.outlet, art.url) == (
        "Body one.",
        "H1",
        "Gazette",
        "http://x/1",
    )
    (art,) = list(read_csv(path, mapping=ColumnMapping.parse(["text=story", "title="])))
    assert isinstance(art, Article)
    assert art.title is None


@pytest.mark.parametrize(
    ("specs", "match"),
    [
        (["body=story"], "unknown field 'body'"),
        (["text"], "not FIELD=NAME"),
        (["=story"], "not FIELD=NAME"),
        (["text=a", "TEXT=b"], "mapped twice"),
        (["text="], "needs a column name"),
    ],
)
def test_mapping_parse_refuses_bad_specs(specs: list[str], match: str) -> None:
    with pytest.raises(ConfigError, match=match):
        ColumnMapping.parse(specs)
