from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

import retold.ingest
from retold.errors import BinaryInputError, ConfigError, FormatError, InputError
from retold.ingest import FORMATS, ColumnMapping, detect_format, iter_articles
from retold.model import Article


@pytest.mark.parametrize(
    ("name", "content", "fmt"),
    [
        ("a.txt", b"plain", "text"),
        ("a.MD", b"# t", "text"),
        ("a.json", b"{}", "json"),
        ("a.ndjson", b"{}", "jsonl"),
        ("a.jsonl", b"{}", "jsonl"),
        ("a.tsv", b"a\tb", "csv"),
        ("a.htm", b"<p>", "html"),
        ("a.warc.gz", b"", "warc"),
        ("a.arc.gz", b"", "warc"),
        ("a.sgm", b"", "reuters"),
        ("feed.xml", b'<?xml version="1.0"?>\n<rss version="2.0">', "rss"),
        ("atom.xml", b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>", "rss"),
        ("rdf.xml", b"<rdf:RDF xmlns:rdf='x'>", "rss"),
        ("page", b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
        ("data", b'  {"text": "a"}', "json"),
        ("lines", b'{"text": "a"}\n{"text": "b"}\n', "jsonl"),
        ("crawl", b"WARC/1.0\r\n", "warc"),
        ("notes", b"Just words.", "text"),
        ("doc.sgml", b'<!DOCTYPE lewis SYSTEM "lewis.dtd">\n<REUTERS>', "reuters"),
    ],
)
def test_detect_format(tmp_path: Path, name: str, content: bytes, fmt: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert detect_format(path) == fmt
    assert fmt in FORMATS


def test_detect_gzipped_warc_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "crawl.gz"
    path.write_bytes(gzip.compress(b"WARC/1.1\r\nWARC-Type: warcinfo\r\n"))
    assert detect_format(path) == "warc"


def test_folder_walk_is_sorted_and_mixed(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("Hidden.")
    (tmp_path / "b" / "z.txt").write_text("Title Z\n\nStory z.")
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": "Story a."}) + "\nnot json\n")
    (tmp_path / "c.txt").write_bytes(b"")
    items = list(iter_articles([tmp_path]))
    labels = [x.label if isinstance(x, Article) else f"error:{x.source}" for x in items]
    assert labels == [
        f"{tmp_path / 'a.jsonl'}#1",
        f"error:{tmp_path / 'a.jsonl'}",
        f"error:{tmp_path / 'c.txt'}",
        str(tmp_path / "b" / "z.txt"),
    ]
    assert [x.record for x in items if isinstance(x, InputError)] == [2, None]


def test_missing_paths_and_empty_folders_are_values(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    items = list(iter_articles([tmp_path / "gone.txt", tmp_path / "empty"]))
    assert all(isinstance(x, InputError) for x in items)
    assert [x.source for x in items if isinstance(x, InputError)] == [
        str(tmp_path / "gone.txt"),
        str(tmp_path / "empty"),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_permission_denied_is_a_value(tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("x")
    path.chmod(0)
    (err,) = list(iter_articles([path]))
    assert isinstance(err, InputError)
    assert "permission" in err.reason


def test_dangling_symlink_is_a_value(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "target-gone.txt")
    (err,) = list(iter_articles([tmp_path]))
    assert isinstance(err, InputError)
    assert err.source == str(link)


def test_forced_format_and_mapping(tmp_path: Path) -> None:
    path = tmp_path / "stories.dat"
    path.write_text("headline,story\nH,Body text.\n")
    (art,) = list(
        iter_articles([path], format="csv", mapping=ColumnMapping(text="story", title="headline"))
    )
    assert isinstance(art, Article)
    assert (art.title, art.text) == ("H", "Body text.")


def test_forced_text_on_binary_gives_a_value(tmp_path: Path) -> None:
    path = tmp_path / "blob.bin"
    path.write_bytes(bytes(range(256)))
    (err,) = list(iter_articles([path]))
    assert isinstance(err, BinaryInputError)


def test_unknown_format_name() -> None:
    with pytest.raises(ConfigError, match="unknown format"):
        list(iter_articles(["x"], format="pdf"))


def test_stdin_refuses_folder_formats() -> None:
    (err,) = list(iter_articles(["-"], format="warc"))
    assert isinstance(err, FormatError)
    assert err.source == "<stdin>"


def test_public_api_is_curated() -> None:
    assert len(set(retold.ingest.__all__)) == len(retold.ingest.__all__)
    assert set(retold.ingest.__all__) == {
        "FORMATS",
        "ColumnMapping",
        "decode_bytes",
        "detect_format",
        "iter_articles",
        "parse_text_article",
        "read_article",
    }
