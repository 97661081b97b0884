from __future__ import annotations

import gzip
import html
import io
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from retold.config import ReadOptions
from retold.errors import EmptyInputError, FormatError, InputError, MissingExtra, TooLargeError
from retold.ingest.warc import read_warc
from retold.model import Article

pytest.importorskip("trafilatura")
warcio = pytest.importorskip("warcio")
from warcio.statusandheaders import StatusAndHeaders  # noqa: E402
from warcio.warcwriter import WARCWriter  # noqa: E402

STORIES = [
    (
        "Council approves new bridge",
        "The city council voted on Monday to build a new footbridge over the river, ending a "
        "debate that had lasted almost ten years, the mayor's office said.",
    ),
    (
        "Ferry strike called off",
        "Ferry workers called off a planned strike late on Sunday after the operator agreed to "
        "raise wages by four percent over two years, the union announced.",
    ),
    (
        "Museum reopens after flood",
        "The maritime museum reopened its doors on Saturday, eight months after a flood filled "
        "its basement and damaged part of the ship model collection.",
    ),
]


def page_bytes(title: str, body: str, *, encoding: str = "utf-8") -> bytes:
    paragraph = f"<p>{html.escape(body)}</p>"
    page = (
        f"<html><head><title>{html.escape(title)}</title></head><body>"
        "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>{paragraph}{paragraph.replace('The ', 'A ')}"
        "</article><footer>Contact us</footer></body></html>"
    )
    return page.encode(encoding)


@dataclass(frozen=True)
class Written:
    data: bytes
    starts: list[int]  # byte offset where each record (1-based position = index + 1) begins


def write_warc(*, gz: bool, extra: list[tuple[str, str, bytes]] | None = None) -> Written:
    """warcinfo, 3 HTML responses, 1 image response, 1 request (+ extra responses)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    starts: list[int] = []

    def add(record: object) -> None:
        starts.append(buf.tell())
        writer.write_record(record)

    add(writer.create_warcinfo_record("test.warc", {"software": "retold tests"}))
    for i, (title, body) in enumerate(STORIES):
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        add(
            writer.create_warc_record(
                f"https://news.example/story/{i}",
                "response",
                payload=io.BytesIO(page_bytes(title, body)),
                http_headers=headers,
            )
        )
    image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
    add(
        writer.create_warc_record(
            "https://news.example/logo.png",
            "response",
            payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
            http_headers=image,
        )
    )
    request = StatusAndHeaders(
        "GET /story/0 HTTP/1.1", [("Host", "news.example")], is_http_request=True
    )
    add(
        writer.create_warc_record(
            "https://news.example/story/0",
            "request",
            payload=io.BytesIO(b""),
            http_headers=request,
        )
    )
    for url, status_and_type, payload in extra or []:
        status, content_type = status_and_type.split("|")
        headers = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
        add(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(payload), http_headers=headers
            )
        )
    return Written(buf.getvalue(), starts)


def read(path: Path, **options: object) -> list[Article | InputError]:
    return list(read_warc(path, ReadOptions(**options)))  # type: ignore[arg-type]


@pytest.mark.parametrize("gz", [False, True])
def test_html_responses_become_articles(tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(write_warc(gz=gz).data)
    items = read(path)
    assert all(isinstance(item, Article) for item in items)
    arts = [item for item in items if isinstance(item, Article)]
    assert len(arts) == 3
    for i, (art, (title, body)) in enumerate(zip(arts, STORIES, strict=True)):
        assert art.url == f"https://news.example/story/{i}"
        assert art.origin is not None
        assert art.origin.path == str(path)
        assert art.origin.record == i + 2  # record 1 is the warcinfo
        assert art.title == title
        assert body in art.text.split("\n")
        assert "Contact us" not in art.text


def test_other_statuses_and_types_are_skipped_plain_text_is_read(tmp_path: Path) -> None:
    extra = [
        ("https://news.example/gone", "404 Not Found|text/html", page_bytes(*STORIES[0])),
        ("https://news.example/moved", "301 Moved|text/html", b"<html>moved</html>"),
        ("https://news.example/app.js", "200 OK|application/javascript", b"var x = 1;"),
        ("https://news.example/wire.txt", "200 OK|text/plain", STORIES[1][1].encode()),
    ]
    path = tmp_path / "mixed.warc"
    path.write_bytes(write_warc(gz=False, extra=extra).data)
    arts = read(path)
    assert [a.url for a in arts if isinstance(a, Article)] == [
        *(f"https://news.example/story/{i}" for i in range(3)),
        "https://news.example/wire.txt",
    ]
    plain = arts[-1]
    assert isinstance(plain, Article)
    assert plain.text == STORIES[1][1]
    assert plain.origin is not None
    assert plain.origin.record == 10


def test_charset_from_http_header(tmp_path: Path) -> None:
    title, body = (
        "Мост через реку",
        (
            "Городской совет в понедельник проголосовал за строительство нового пешеходного "
            "моста через реку, завершив спор, длившийся почти десять лет."
        ),
    )
    extra = [
        (
            "https://news.example/ru",
            "200 OK|text/html; charset=windows-1251",
            page_bytes(title, body, encoding="windows-1251"),
        )
    ]
    path = tmp_path / "ru.warc"
    path.write_bytes(write_warc(gz=False, extra=extra).data)
    art = read(path)[-1]
    assert isinstance(art, Article)
    assert body in art.text


def test_page_without_article_is_an_error_value_and_reading_goes_on(tmp_path: Path) -> None:
    extra = [
        ("https://news.example/empty", "200 OK|text/html", b"<html><body></body></html>"),
        ("https://news.example/late", "200 OK|text/html", page_bytes(*STORIES[2])),
    ]
    path = tmp_path / "crawl.warc"
    path.write_bytes(write_warc(gz=True, extra=extra).data)
    items = read(path)
    errors = [item for item in items if isinstance(item, InputError)]
    assert len(errors) == 1
    assert isinstance(errors[0], EmptyInputError)
    assert errors[0].record == 7
    assert errors[0].source == str(path)
    last = items[-1]
    assert isinstance(last, Article)
    assert last.url == "https://news.example/late"


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_keeps_articles_before_the_cut(tmp_path: Path, gz: bool) -> None:
    written = write_warc(gz=gz)
    cut = (written.starts[2] + written.starts[3]) // 2  # inside record 3 (the second story)
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(written.data[:cut])
    items = read(path)
    assert len(items) == 2
    first, error = items
    assert isinstance(first, Article)
    assert first.url == "https://news.example/story/0"
    assert isinstance(error, FormatError)
    assert error.source == str(path)
    assert error.record == 3
    assert str(path) in str(error)


@pytest.mark.parametrize("gz", [True, False])
def test_every_cut_inside_a_record_is_reported_at_that_record(tmp_path: Path, gz: bool) -> None:
    written = write_warc(gz=gz)
    full = [
        item for item in read(_write(tmp_path / "full", written.data)) if isinstance(item, Article)
    ]
    ends = [*written.starts[1:], len(written.data)]
    for number, (start, end) in enumerate(zip(written.starts, ends, strict=True), start=1):
        # From a few bytes into the record to a few bytes before its end (the separator
        # between uncompressed records is blank lines, and a cut there loses nothing).
        for cut in range(start + 3, end - 6, max(1, (end - start) // 9)):
            items = read(_write(tmp_path / f"cut{cut}", written.data[:cut]))
            assert items, (number, cut)
            *before, last = items
            assert isinstance(last, FormatError), (number, cut, items)
            assert last.record == number, (cut, last)
            assert [_key(a) for a in before] == [_key(a) for a in full if _key(a)[0] < number]


def _key(item: Article | InputError) -> tuple[int, str, str | None]:
    assert isinstance(item, Article)
    assert item.origin is not None
    assert item.origin.record is not None
    return item.origin.record, item.text, item.url


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_single_gzip_stream_is_read_too(tmp_path: Path) -> None:
    path = tmp_path / "whole.warc.gz"
    path.write_bytes(gzip.compress(write_warc(gz=False).data))
    assert sum(isinstance(item, Article) for item in read(path)) == 3


def test_corrupt_gzip_is_a_format_error(tmp_path: Path) -> None:
    written = write_warc(gz=True)
    damaged = bytearray(written.data)
    middle = (written.starts[3] + written.starts[4]) // 2
    damaged[middle : middle + 8] = b"\xff" * 8
    items = read(_write(tmp_path / "bad.warc.gz", bytes(damaged)))
    assert isinstance(items[-1], FormatError)
    assert items[-1].record == 4
    assert [a.url for a in items if isinstance(a, Article)] == [
        "https://news.example/story/0",
        "https://news.example/story/1",
    ]


def test_compressed_bomb_payload_is_bounded(tmp_path: Path) -> None:
    bomb = gzip.compress(b"<p>" + b" " * 20_000_000 + b"</p>")
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    headers = StatusAndHeaders(
        "200 OK",
        [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
        protocol="HTTP/1.1",
    )
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/bomb", "response", payload=io.BytesIO(bomb), http_headers=headers
        )
    )
    ok = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://news.example/ok",
            "response",
            payload=io.BytesIO(page_bytes(*STORIES[0])),
            http_headers=ok,
        )
    )
    items = read(_write(tmp_path / "bomb.warc.gz", buf.getvalue()), max_bytes=1_000_000)
    assert isinstance(items[0], TooLargeError)
    assert items[0].record == 1
    assert isinstance(items[1], Article)
    assert items[1].url == "https://news.example/ok"


def test_files_that_are_not_warcs(tmp_path: Path) -> None:
    [missing] = read(tmp_path / "nope.warc")
    assert type(missing) is InputError
    [empty] = read(_write(tmp_path / "empty.warc", b""))
    assert isinstance(empty, EmptyInputError)
    [not_warc] = read(_write(tmp_path / "page.warc", page_bytes(*STORIES[0])))
    assert isinstance(not_warc, FormatError)
    assert not_warc.record == 1


def _arc_record(fields: list[str], body: bytes) -> bytes:
    return (" ".join([*fields, str(len(body))]) + "\n").encode() + body + b"\n"


@pytest.mark.parametrize("gz", [False, True])
def test_arc_files_are_read_too(tmp_path: Path, gz: bool) -> None:
    title, body = STORIES[2]
    http = b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n\r\n" + page_bytes(title, body)
    data = _arc_record(
        ["filedesc://t.arc", "0.0.0.0", "20240305102000", "text/plain"],
        b"1 0 Test\nURL IP-address Archive-date Content-type Archive-length\n",
    ) + _arc_record(["https://old.example/a", "1.2.3.4", "20240305102000", "text/html"], http)
    path = _write(tmp_path / "old.arc", gzip.compress(data) if gz else data)
    [art] = read(path)
    assert isinstance(art, Article)
    assert art.url == "https://old.example/a"
    assert art.origin is not None
    assert art.origin.record == 2
    assert body in art.text


def test_missing_warcio_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path / "c.warc", write_warc(gz=False).data)
    monkeypatch.setitem(sys.modules, "warcio.archiveiterator", None)
    with pytest.raises(MissingExtra) as info:
        read(path)
    assert info.value.extra == "warc"
