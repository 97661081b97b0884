from __future__ import annotations

import html
import random
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.config import ReadOptions
from retold.errors import (
    BinaryInputError,
    DecodeError,
    EmptyInputError,
    FormatError,
    InputError,
    MissingExtra,
    TooLargeError,
)
from retold.ingest.html import article_from_html, decode_html, read_html
from retold.model import Article

trafilatura = pytest.importorskip("trafilatura")

PARAGRAPHS = [
    "The harbour authority closed the northern pier on Tuesday after a storm damaged two "
    "fishing boats and tore part of the sea wall away, officials said.",
    "Winds reached 120 kilometres per hour overnight, according to the weather service, which "
    "warned that more heavy rain was expected before the weekend.",
    "Repairs to the sea wall will take at least three weeks, the regional council said in a "
    "statement, and the pier will stay shut until engineers have inspected it.",
]
MENU = ["Home", "World", "Business", "Weather"]
SIDEBAR = "Most read: Mayor opens new library in the old market hall"
FOOTER = "Copyright 2024 The Harbour Gazette. All rights reserved."


def news_page(
    paragraphs: list[str] = PARAGRAPHS,
    *,
    title: str = "Storm closes harbour pier",
    charset: str = "utf-8",
    head_extra: str = "",
) -> str:
    menu = "".join(f'<li><a href="/{m.lower()}">{m}</a></li>' for m in MENU)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html><head><meta charset="{charset}">'
        f"<title>{html.escape(title)} - The Harbour Gazette</title>"
        '<meta property="og:site_name" content="The Harbour Gazette">'
        '<meta property="article:published_time" content="2024-03-05T10:20:00+02:00">'
        f"{head_extra}</head><body>"
        f"<header><nav><ul>{menu}</ul></nav></header>"
        f"<main><article><h1>{html.escape(title)}</h1>{body}</article>"
        f"<aside><h2>More</h2><ul><li><a href='/x'>{SIDEBAR}</a></li></ul></aside></main>"
        f"<footer><p>{FOOTER}</p><p><a href='/privacy'>Privacy policy</a></p></footer>"
        "</body></html>"
    )


def test_article_keeps_body_and_drops_boilerplate() -> None:
    art = article_from_html(
        news_page(), source="storm.html", url="https://gazette.example/2024/storm"
    )
    lines = art.text.split("\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in lines
    for junk in [SIDEBAR, FOOTER, "Privacy policy", *MENU]:
        assert junk not in lines
    assert art.title == "Storm closes harbour pier"
    assert art.date is not None
    assert art.date.startswith("2024-03-05")
    assert art.outlet == "The Harbour Gazette"
    assert art.url == "https://gazette.example/2024/storm"
    assert art.origin is not None
    assert art.origin.path == "storm.html"
    # The body span starts after the title line and indexes the text itself.
    assert art.body_span.slice(art.text).split("\n")[0] == PARAGRAPHS[0]


def test_date_keeps_time_and_zone() -> None:
    art = article_from_html(news_page(), source="p.html")
    assert art.date == "2024-03-05T10:20:00+02:00"


def test_date_only_page_gives_a_date_without_time() -> None:
    page = news_page().replace(
        '<meta property="article:published_time" content="2024-03-05T10:20:00+02:00">',
        '<meta name="date" content="5 March 2024">',
    )
    assert article_from_html(page, source="p.html").date == "2024-03-05"


def test_copyright_year_is_not_taken_for_a_date() -> None:
    page = news_page().replace(
        '<meta property="article:published_time" content="2024-03-05T10:20:00+02:00">', ""
    )
    assert article_from_html(page, source="p.html").date is None


def test_short_page_drops_menu() -> None:
    page = news_page([PARAGRAPHS[0]])
    art = article_from_html(page, source="short.html")
    assert PARAGRAPHS[0] in art.text
    assert not any(m in art.text.split("\n") for m in MENU)


def test_table_layout_page_still_gives_the_text() -> None:
    cells = "<br><br>".join(html.escape(p) for p in PARAGRAPHS)
    page = (
        "<html><head><title>Storm</title></head><body><table><tr><td>"
        f"<font size=4><b>Storm</b></font><div>{cells}</div></td>"
        f"<td>{SIDEBAR}</td></tr></table></body></html>"
    )
    art = article_from_html(page, source="old.html")
    for paragraph in PARAGRAPHS:
        assert paragraph in art.text


def test_malformed_html_gives_text_or_a_clear_error() -> None:
    page = (
        "<html><body><div><p>" + PARAGRAPHS[0] + "<p><b>" + PARAGRAPHS[1] + "<div><span>"
        "<i>" + PARAGRAPHS[2] + " &&& <<< >>> </td></tr></table>"
    )
    art = article_from_html(page, source="bad.html")
    for paragraph in PARAGRAPHS:
        assert paragraph in art.text


@pytest.mark.parametrize(
    "page",
    [
        "<html><head><title>x</title></head><body></body></html>",
        "<<<>>> \x01\x02 garbage",
        "<html><body><nav><a href='/'>Home</a></nav></body></html>",
    ],
)
def test_page_without_article_is_an_error_value(page: str) -> None:
    with pytest.raises(EmptyInputError) as info:
        article_from_html(page, source="empty.html", record=4)
    assert info.value.source == "empty.html"
    assert info.value.record == 4
    assert "no article text" in info.value.reason


@pytest.mark.parametrize(
    ("charset", "meta"),
    [
        ("windows-1251", '<meta charset="windows-1251">'),
        ("koi8-r", '<meta http-equiv="Content-Type" content="text/html; charset=KOI8-R">'),
    ],
)
def test_cyrillic_page_decodes_from_meta_charset(tmp_path: Path, charset: str, meta: str) -> None:
    paragraphs = [
        "Шторм закрыл северный причал во вторник, повредив две рыбацкие лодки и часть "
        "морской стены, сообщили официальные лица порта.",
        "Ремонт стены займёт не меньше трёх недель, заявил региональный совет, и причал "
        "останется закрытым до проверки инженерами.",
    ]
    page = news_page(paragraphs, title="Шторм закрыл причал").replace(
        '<meta charset="utf-8">', meta
    )
    path = tmp_path / "ru.html"
    path.write_bytes(page.encode(charset))
    [art] = list(read_html(path, ReadOptions()))
    assert isinstance(art, Article)
    assert paragraphs[0] in art.text
    assert art.title == "Шторм закрыл причал"


def test_latin1_page_decodes_from_meta_charset(tmp_path: Path) -> None:
    paragraphs = [
        "Le café de la gare a fermé ses portes après quarante ans, a annoncé son propriétaire "
        "à la presse régionale mardi matin.",
        "Les habitués déplorent la fin d'une époque ; la mairie étudie déjà un projet de "
        "reprise du bâtiment par une association.",
    ]
    page = news_page(paragraphs, title="Fermeture du café", charset="ISO-8859-1")
    path = tmp_path / "fr.html"
    path.write_bytes(page.encode("iso-8859-1"))
    [art] = list(read_html(path, ReadOptions()))
    assert isinstance(art, Article)
    assert paragraphs[1] in art.text


def test_decode_html_order_of_evidence() -> None:
    text = "Ça coûte 5 €"
    # BOM beats everything declared.
    assert decode_html(("\ufeff" + text).encode("utf-16-le"), source="s") == text
    # Server header beats meta.
    page = f'<meta charset="utf-8"><p>{text}</p>'
    decoded = decode_html(page.encode("cp1252"), source="s", declared="text/html; charset=cp1252")
    assert text in decoded
    # Meta says Latin-1 but the bytes are valid UTF-8: UTF-8 wins.
    page = f'<meta charset="iso-8859-1"><p>{text}</p>'
    assert text in decode_html(page.encode("utf-8"), source="s")
    # Undeclared bytes that are not UTF-8 fall back to cp1252.
    assert text in decode_html(f"<p>{text}</p>".encode("cp1252"), source="s")
    # A "charset" naming a bytes-to-bytes codec is ignored.
    assert text in decode_html(f'<meta charset="zlib"><p>{text}</p>'.encode(), source="s")


def test_forced_encoding_that_does_not_fit_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        decode_html("Ωμέγα".encode(), source="s", encoding="ascii")
    with pytest.raises(DecodeError):
        decode_html(b"abc", source="s", encoding="no-such-codec")


@given(st.binary(max_size=300))
@settings(max_examples=200, deadline=None)
def test_decode_html_returns_text_or_input_error(data: bytes) -> None:
    try:
        out = decode_html(data, source="fuzz")
    except InputError:  # any other exception escaping is the failure this test looks for
        return
    assert isinstance(out, str)


@given(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200)
)
@settings(max_examples=200, deadline=None)
def test_utf8_pages_round_trip(text: str) -> None:
    page = '<meta charset="utf-8">' + text
    assert decode_html(page.encode("utf-8"), source="s") == page


def test_read_html_file_errors(tmp_path: Path) -> None:
    missing = list(read_html(tmp_path / "nope.html", ReadOptions()))
    assert len(missing) == 1
    assert type(missing[0]) is InputError
    assert "nope.html" in str(missing[0])

    big = tmp_path / "big.html"
    big.write_text(news_page())
    [too_large] = list(read_html(big, ReadOptions(max_bytes=100)))
    assert isinstance(too_large, TooLargeError)

    binary = tmp_path / "img.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    [err] = list(read_html(binary, ReadOptions()))
    assert isinstance(err, BinaryInputError)

    empty = tmp_path / "empty.html"
    empty.write_bytes(b"  \n")
    [err] = list(read_html(empty, ReadOptions()))
    assert isinstance(err, EmptyInputError)

    folder = list(read_html(tmp_path, ReadOptions()))
    assert len(folder) == 1
    assert isinstance(folder[0], InputError)


def test_errors_are_values_not_format_errors_for_good_pages(tmp_path: Path) -> None:
    path = tmp_path / "ok.html"
    path.write_text(news_page(), encoding="utf-8")
    [art] = list(read_html(path, ReadOptions()))
    assert isinstance(art, Article)
    assert not isinstance(art, FormatError)
    assert art.origin is not None
    assert art.origin.path == str(path)


def test_bbc_bodies_survive_boilerplate(shared: Path) -> None:
    """Pages built at test time from BBC News stories: body paragraphs kept, chrome dropped."""
    files = sorted((shared / "data" / "bbc-news").glob("*/*.txt"))
    rng = random.Random(11)
    kept = total = 0
    for path in rng.sample(files, 25):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:  # one file of the set is not UTF-8
            text = raw.decode("latin-1")
        lines = [ln.strip() for ln in text.splitlines()]
        title, paragraphs = lines[0], [ln for ln in lines[1:] if ln]
        art = article_from_html(news_page(paragraphs, title=title), source=str(path))
        got = set(art.text.split("\n"))
        kept += sum(p in got for p in paragraphs)
        total += len(paragraphs)
        assert FOOTER not in art.text
        assert SIDEBAR not in art.text
    assert kept / total > 0.97


def test_missing_trafilatura_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # makes the import fail
    path = tmp_path / "p.html"
    path.write_text(news_page())
    with pytest.raises(MissingExtra) as info:
        list(read_html(path, ReadOptions()))
    assert info.value.extra == "html"
