"""``read_article``: one article from a file of any format, or a clear error saying why not."""

from __future__ import annotations

import html
import io
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from retold.errors import EmptyInputError, FormatError, InputError
from retold.ingest import ColumnMapping, iter_articles, read_article
from retold.model import Article, Origin

STORY = (
    "The harbour authority closed the northern pier on Tuesday after a storm damaged two fishing "
    "boats and tore part of the sea wall away, officials said. Repairs will take three weeks."
)
MENU = ["Home", "World", "Business", "Weather"]
FOOTER = "Copyright 2024 The Harbour Gazette. All rights reserved."


def page(title: str = "Storm closes harbour pier") -> str:
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in MENU)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} - The Harbour Gazette</title>"
        '<meta property="article:published_time" content="2024-03-05T10:20:00+02:00">'
        f"</head><body><header><nav><ul>{menu}</ul></nav></header>"
        f"<main><article><h1>{html.escape(title)}</h1><p>{html.escape(STORY)}</p>"
        f"<p>{html.escape(STORY.replace('The ', 'A '))}</p></article></main>"
        f"<footer><p>{FOOTER}</p></footer></body></html>"
    )


def jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text(
        "".join(json.dumps({"text": t, "title": f"T{i}"}) + "\n" for i, t in enumerate(texts, 1))
    )
    return path


def test_html_page_is_read_without_boilerplate(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    path = tmp_path / "page.html"
    path.write_text(page(), encoding="utf-8")
    art = read_article(path)
    assert STORY in art.text
    for junk in [FOOTER, *MENU]:
        assert junk not in art.text.split("\n")
    assert "<" not in art.text
    assert art.title == "Storm closes harbour pier"
    assert art.date is not None and art.date.startswith("2024-03-05")
    assert art.origin == Origin(str(path))


def test_single_record_files_are_one_article(tmp_path: Path) -> None:
    one = jsonl(tmp_path / "one.jsonl", [STORY])
    assert read_article(one).origin == Origin(str(one), 1)
    csv_path = tmp_path / "one.csv"
    csv_path.write_text(f'title,text\nPier,"{STORY}"\n')
    art = read_article(csv_path)
    assert (art.title, art.text) == ("Pier", STORY)
    obj = tmp_path / "one.json"
    obj.write_text(json.dumps({"body": STORY, "headline": "Pier"}))
    assert read_article(obj).title == "Pier"


def test_several_records_name_the_file_and_count(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "many.jsonl", ["One story.", "Two story.", "Three story."])
    with pytest.raises(FormatError) as info:
        read_article(path)
    message = str(info.value)
    assert info.value.source == str(path)
    assert "holds 3 records" in message
    assert f"{path}#N" in message
    assert "retold index" in message


def test_folder_is_not_one_article_and_names_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "stories"
    folder.mkdir()
    for name in ("c.txt", "a.txt", "d.txt", "b.txt"):
        (folder / name).write_text(STORY)
    (folder / "inner").mkdir()
    for record in (None, 2):  # ``folder#2`` names no record: a folder is not a file of records
        with pytest.raises(InputError) as info:
            read_article(folder, record=record)
        assert info.value.source == str(folder)
        message = str(info.value)
        assert "is a folder" in message
        assert f"{folder / 'a.txt'}, {folder / 'b.txt'}, {folder / 'c.txt'}, ..." in message
        assert "#N" not in message and "inner" not in message
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="is a folder, not one article: name a file"):
        read_article(empty)


def test_record_selects_one_of_several(tmp_path: Path) -> None:
    path = jsonl(tmp_path / "many.jsonl", ["One story.", "Two story.", "Three story."])
    art = read_article(path, record=2)
    assert (art.text, art.title, art.origin) == ("Two story.", "T2", Origin(str(path), 2))
    with pytest.raises(FormatError, match=r"has no record 7 .*records 1-3"):
        read_article(path, record=7)


def test_record_of_a_bad_record_raises_its_own_error(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(json.dumps({"text": STORY}) + "\n" + json.dumps({"text": " "}) + "\n")
    with pytest.raises(EmptyInputError) as info:
        read_article(path, record=2)
    assert info.value.record == 2
    with pytest.raises(FormatError, match=r"2 records \(1 article, 1 unreadable\)"):
        read_article(path)
    assert read_article(path, record=1).text == STORY


def test_csv_record_and_mapping(tmp_path: Path) -> None:
    path = tmp_path / "stories.csv"
    path.write_text(f'headline,story\nA,"{STORY}"\nB,"Second\n\nstory."\n')
    mapping = ColumnMapping.parse(["text=story"])
    art = read_article(path, mapping=mapping, record=2)
    assert (art.title, art.text) == ("B", "Second\n\nstory.")
    with pytest.raises(FormatError, match="no text column"):
        read_article(path, record=2)


def test_no_article_at_all_lists_the_problems(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": ""}\n{oops\n')
    with pytest.raises(InputError, match="no article could be read") as info:
        read_article(path)
    assert "record 1" in str(info.value) and "record 2" in str(info.value)


def test_one_error_is_raised_as_is(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        read_article(tmp_path / "gone.txt")
    assert info.value.source == str(tmp_path / "gone.txt")


def test_forced_format(tmp_path: Path) -> None:
    path = tmp_path / "stories.dat"
    path.write_text(f'text\n"{STORY}"\n')
    assert read_article(path, format="csv").text == STORY
    assert read_article(path).text.startswith("text\n")


def test_warc_with_one_page(tmp_path: Path) -> None:
    pytest.importorskip("trafilatura")
    warcio = pytest.importorskip("warcio")
    from warcio.statusandheaders import StatusAndHeaders

    buf = io.BytesIO()
    writer = warcio.warcwriter.WARCWriter(buf, gzip=True)
    writer.write_record(writer.create_warcinfo_record("t.warc.gz", {"software": "tests"}))
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/pier",
            "response",
            payload=io.BytesIO(page().encode()),
            http_headers=headers,
        )
    )
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(buf.getvalue())
    art = read_article(path)
    assert STORY in art.text
    assert art.origin == Origin(str(path), 2)
    assert art.url == "https://news.example/pier"


def test_stdin_is_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    data = b'{"text": "not parsed"}\n'
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    art = read_article("-")
    assert art.text == data.decode()
    assert art.origin == Origin("<stdin>")


# --- named pipes and devices are refused, never opened ---------------------------------------


def without_blocking(read: Callable[[], object], fifo: Path) -> object:
    """Run ``read``; if it blocks on the pipe, unblock it and fail."""
    out: list[object] = []

    def run() -> None:
        try:
            out.append(read())
        except Exception as exc:  # handed back to the test
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    blocked = thread.is_alive()
    if blocked:  # the reader waits on the pipe: give it a writer that closes at once
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
    assert not blocked, "reading a named pipe blocked"
    return out[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("name", ["pipe.txt", "pipe"])
def test_named_pipe_is_an_input_error(tmp_path: Path, name: str) -> None:
    fifo = tmp_path / name
    os.mkfifo(fifo)
    err = without_blocking(lambda: read_article(fifo), fifo)
    assert isinstance(err, InputError)
    assert err.source == str(fifo)
    assert "named pipe" in err.reason


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_named_pipe_in_a_folder_is_skipped_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    fifo = tmp_path / "b.txt"
    os.mkfifo(fifo)
    (tmp_path / "c.txt").write_text("Another story entirely.")
    items = without_blocking(lambda: list(iter_articles([tmp_path])), fifo)
    assert isinstance(items, list)
    assert [x.origin.path for x in items if isinstance(x, Article) and x.origin] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "c.txt"),
    ]
    (err,) = [x for x in items if isinstance(x, InputError)]
    assert err.source == str(fifo)
    assert "not a regular file" in err.reason


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_device_is_an_input_error() -> None:
    with pytest.raises(InputError, match="character device"):
        read_article("/dev/null")
    (err,) = list(iter_articles(["/dev/null"], format="jsonl"))
    assert isinstance(err, InputError)
    assert "character device" in err.reason
