from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retold.config import ReadOptions
from retold.errors import (
    BinaryInputError,
    DecodeError,
    EmptyInputError,
    FormatError,
    InputError,
    TooLargeError,
)
from retold.ingest import read_article
from retold.ingest.plaintext import normalise_date, parse_text_article
from retold.model import Origin

MONTH_DATE = re.compile(
    r"(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}"
)


def _lines(text: str) -> list[tuple[int, str]]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, line))
        pos += len(line) + 1
    return out


def test_seed_with_date_and_title(seeds: tuple[Path, Path]) -> None:
    path = seeds[0]
    art = read_article(path)
    lines = _lines(art.text)
    # The file opens with a "Month D, YYYY" line, then the title line, then a blank line.
    assert MONTH_DATE.fullmatch(lines[0][1])
    assert art.date is not None
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", art.date)
    assert art.date[:4] == lines[0][1][-4:]
    assert art.title == lines[1][1].strip()
    assert lines[2][1].strip() == ""
    assert art.body is not None
    # The body starts on the first paragraph (line 4), after the title line.
    assert art.body.start == lines[3][0]
    assert art.body.start > lines[1][0] + len(lines[1][1])
    body = art.body.slice(art.text)
    assert not body[0].isspace()
    assert not body[-1].isspace()
    assert art.body.end == len(art.text.rstrip())
    assert art.origin == Origin(str(path))


def test_seed_without_header(seeds: tuple[Path, Path]) -> None:
    art = read_article(seeds[1])
    assert art.title is None
    assert art.date is None
    assert art.body is not None
    assert art.body.start == len(art.text) - len(art.text.lstrip())
    assert art.body.end == len(art.text.rstrip())


@pytest.mark.parametrize(
    ("text", "title", "date"),
    [
        ("# Markdown Title\n\nBody text here.", "Markdown Title", None),
        ("## Sub head ##\nBody text right after.", "Sub head", None),
        ("2024-06-23\nTitle Line\n\nBody.", "Title Line", "2024-06-23"),
        ("23 June 2024\n\nA Title\n\nBody.", "A Title", "2024-06-23"),
        ("Jun 3, 2021\nShort title\n\nBody.", "Short title", "2021-06-03"),
        ("Title first\n\nSept. 9, 2020\n\nBody.", "Title first", "2020-09-09"),
        ("Is this a title?\n\nBody.", "Is this a title?", None),
        ("Teaser title...\n\nBody.", "Teaser title...", None),
        ("Not a title.\n\nBody.", None, None),
        ("He said:\n\nBody.", None, None),
        ("Hard wrapped line\ncontinues here.\n\nMore.", None, None),
        ("Only a title line", None, None),
        ("June 23, 2024", None, None),
        ("12345\n\nBody after a number.", None, None),
        ("Title\r\n\r\nBody with CRLF.\r\n", "Title", None),
        ("Title line\nMarch 3, 2025\n\nBody.", "Title line", "2025-03-03"),
        ("Title line\nMarch 3, 2025\nBody right after.", "Title line", "2025-03-03"),
        ("Title: Labelled title\nDate: 2025-03-03\n\nBody.", "Labelled title", "2025-03-03"),
        ("Headline: Labelled\n\nBody.", "Labelled", None),
        ("First line of text\nsecond line of it.\n\nMore.", None, None),
    ],
)
def test_header_detection(text: str, title: str | None, date: str | None) -> None:
    art = parse_text_article(text)
    assert (art.title, art.date) == (title, date)
    assert art.body is not None
    body = art.body.slice(text)
    assert body
    assert not body[0].isspace()
    assert not body[-1].isspace()
    if title is not None and not text.startswith("#"):
        assert title not in body


def test_long_line_is_not_a_title() -> None:
    line = "word " * 50
    art = parse_text_article(f"{line}\n\nBody.")
    assert art.title is None
    assert art.body is not None
    assert art.body.start == 0


def test_given_meta_wins_and_header_modes() -> None:
    art = parse_text_article("Detected\n\nBody.", title="Given", outlet="X")
    assert (art.title, art.outlet) == ("Given", "X")
    assert parse_text_article("Detected\n\nBody.", header="none").title is None
    assert parse_text_article("Ends with a period.\n\nBody.", header="title").title == (
        "Ends with a period."
    )


def test_whitespace_only_raises_empty() -> None:
    with pytest.raises(EmptyInputError, match=r"s\.txt"):
        parse_text_article(" \n\t ", source="s.txt")


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("June 23, 2024", "2024-06-23"),
        ("Sunday, 23rd June 2024", "2024-06-23"),
        ("Published: Jan. 5, 2023 10:30 am EST", "2023-01-05"),
        ("2024-06-23T10:00:00+00:00", "2024-06-23T10:00:00+00:00"),
        ("February 30, 2024", None),
        ("tomorrow", None),
    ],
)
def test_normalise_date(value: str, iso: str | None) -> None:
    assert normalise_date(value) == iso


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_body_span_in_bounds_and_never_raises(text: str) -> None:
    if not text.strip():
        with pytest.raises(EmptyInputError):
            parse_text_article(text)
        return
    art = parse_text_article(text)
    assert art.body is not None
    assert 0 <= art.body.start < art.body.end <= len(text)
    body = art.body.slice(text)
    assert not body[0].isspace()
    assert not body[-1].isspace()
    assert art.text is text


@given(
    st.lists(
        st.text(alphabet="abc XYZ.,:?#-0123456789\t", max_size=40), min_size=1, max_size=8
    ).map(lambda lines: "\n".join(lines))
)
def test_header_title_is_a_line_of_the_text(text: str) -> None:
    if not text.strip():
        return
    art = parse_text_article(text)
    assert art.body is not None
    if art.title is not None:
        assert art.title in text[: art.body.start]


# --- read_article: bad input names the file ------------------------------------------------


def test_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nope.txt"
    with pytest.raises(InputError, match="no such file") as info:
        read_article(missing)
    assert info.value.source == str(missing)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(EmptyInputError) as info:
        read_article(path)
    assert info.value.source == str(path)


def test_whitespace_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("\n   \n\t\n")
    with pytest.raises(EmptyInputError):
        read_article(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(BinaryInputError, match=r"image\.txt"):
        read_article(path)


def test_oversized_file(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("word " * 100)
    with pytest.raises(TooLargeError, match=r"big\.txt"):
        read_article(path, options=ReadOptions(max_bytes=100))


def test_undecodable_with_forced_encoding(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Café society".encode("latin-1"))
    with pytest.raises(DecodeError, match=r"latin\.txt"):
        read_article(path, options=ReadOptions(encoding="utf-8"))
    assert read_article(path).text == "Café society"


def test_folder_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder"):
        read_article(tmp_path)


def test_json_file_with_one_record(tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text('{"title": "T", "body": "Some text.", "source": "Wire"}')
    art = read_article(path)
    assert (art.text, art.title, art.outlet) == ("Some text.", "T", "Wire")
    assert art.origin == Origin(str(path))


def test_json_file_with_many_records_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    path.write_text('[{"text": "a"}, {"text": "b"}]')
    with pytest.raises(FormatError, match="2 records"):
        read_article(path)


def test_json_file_with_a_bad_record_raises_it(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"text": 42}')
    with pytest.raises(FormatError, match="expected a string"):
        read_article(path)


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = io.TextIOWrapper(io.BytesIO(b"Headline\n\nFrom a pipe.\n"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    art = read_article("-")
    assert art.title == "Headline"
    assert art.origin == Origin("<stdin>")
