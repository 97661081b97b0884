from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retold.config import ReadOptions
from retold.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    EmptyInputError,
    InputError,
    TooLargeError,
)
from retold.ingest.decode import decode_bytes, read_limited


def test_utf8_kept_exactly_with_crlf() -> None:
    text = "Line one\r\nLíne two\r\n"
    assert decode_bytes(text.encode("utf-8"), source="a.txt") == text


def test_utf8_bom_is_dropped() -> None:
    assert decode_bytes(codecs.BOM_UTF8 + b"hello", source="a.txt") == "hello"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_bom(encoding: str) -> None:
    data = "naïve café".encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert decode_bytes(data, source="a.txt") == "naïve café"


def test_cp1252_fallback_reads_smart_quotes() -> None:
    data = "He said \u201cno\u201d \u2014 \u00a3400".encode("cp1252")
    assert decode_bytes(data, source="a.txt") == "He said \u201cno\u201d \u2014 \u00a3400"


def test_latin1_fallback_for_bytes_cp1252_leaves_undefined() -> None:
    # 0x81 is undefined in cp1252; one such byte in plain Latin-1 text is still read.
    data = b"caf\xe9 " * 200 + b"\x81"
    assert decode_bytes(data, source="a.txt").startswith("café café")


def test_mostly_c1_bytes_are_not_text() -> None:
    with pytest.raises(DecodeError, match=r"a\.bin"):
        decode_bytes(b"ab\x81\x8d\x8f\x90\x9d" * 20, source="a.bin")


def test_too_large() -> None:
    with pytest.raises(TooLargeError, match="over the limit"):
        decode_bytes(b"x" * 101, source="big.txt", options=ReadOptions(max_bytes=100))


def test_nul_bytes_are_binary() -> None:
    with pytest.raises(BinaryInputError, match="NUL"):
        decode_bytes(b"text\x00more", source="x.bin")


def test_many_control_characters_are_binary() -> None:
    with pytest.raises(BinaryInputError, match="control"):
        decode_bytes(bytes(range(1, 32)) * 4 + b"abc", source="x.bin")


def test_a_few_control_characters_are_text() -> None:
    data = b"\x19By a reporter<\n" + b"Some ordinary words of a story.\n" * 5
    assert decode_bytes(data, source="pa.txt").startswith("\x19By")


@pytest.mark.parametrize("data", [b"", b"   \r\n\t  \n"])
def test_empty_and_whitespace(data: bytes) -> None:
    with pytest.raises(EmptyInputError) as info:
        decode_bytes(data, source="blank.txt")
    assert info.value.source == "blank.txt"


def test_forced_encoding_that_fails() -> None:
    with pytest.raises(DecodeError, match="not valid utf-8") as info:
        decode_bytes(b"caf\xe9", source="a.txt", options=ReadOptions(encoding="utf-8"))
    assert info.value.source == "a.txt"


def test_forced_encoding_wins() -> None:
    data = "ÿ".encode("latin-1")
    assert decode_bytes(data, source="a", options=ReadOptions(encoding="koi8-r")) == "Ъ"


def test_unknown_forced_encoding_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        decode_bytes(b"abc", source="a", options=ReadOptions(encoding="no-such-codec"))


def test_read_limited_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file") as info:
        read_limited(tmp_path / "gone.txt", limit=10)
    assert info.value.source == str(tmp_path / "gone.txt")


def test_read_limited_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="folder"):
        read_limited(tmp_path, limit=10)


def test_read_limited_bound(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 11)
    with pytest.raises(TooLargeError):
        read_limited(path, limit=10)
    assert read_limited(path, limit=11) == b"x" * 11


@given(st.text(min_size=1).filter(lambda t: t.removeprefix("\ufeff").strip() and "\x00" not in t))
def test_utf8_round_trip_or_named_error(text: str) -> None:
    result: str | InputError
    try:
        result = decode_bytes(text.encode("utf-8"), source="h.txt")
    except InputError as exc:
        result = exc
    if isinstance(result, str):
        assert result == text.removeprefix("\ufeff")
    else:  # heavy control-character text is refused, never garbled
        assert isinstance(result, BinaryInputError)
        assert result.source == "h.txt"
