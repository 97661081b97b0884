r"""Bytes to text: size bound, binary sniffing and encoding detection.

The decoded string is kept exactly as decoded: newlines (``\r\n`` included), tabs and odd
control characters stay where they are, because every span retold reports indexes this string.
Only a leading byte-order mark is dropped (it is part of the encoding, not of the text).

Encodings are tried in this order unless :attr:`ReadOptions.encoding` forces one: UTF-8 (with or
without BOM), UTF-32/UTF-16 when a BOM says so, cp1252, and ISO-8859-1 when it yields printable
text.

Example:
    >>> decode_bytes("caf\u00e9\r\n".encode("cp1252"), source="menu.txt")
    'café\r\n'
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from retold.config import ReadOptions
from retold.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    EmptyInputError,
    InputError,
    TooLargeError,
)

__all__ = ["STDIN", "decode_bytes", "read_limited", "special_file_error"]

STDIN = "-"
"""The path that stands for standard input."""

_DEFAULT = ReadOptions()

# C0 control bytes other than tab, LF, VT, FF and CR. ESC and the METER wire markers (0x19) are
# control bytes too, so the threshold below is loose.
_CONTROL = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13))
# Share of control bytes above which input is taken for binary. Calibrated on /work/shared/data:
# METER PA wire copy peaks at 1.2% (0x19 paragraph markers); real binaries (gzip, PNG, PDF
# streams) are far above 10%.
_MAX_CONTROL_SHARE = 0.10
# Share of C1 control characters (U+0080..U+009F) an ISO-8859-1 reading may hold before we say the
# bytes are not text in any encoding we know. cp1252 only fails on the five bytes it leaves
# undefined, so a legitimate Latin-1 text that reaches this fallback holds very few of them.
_MAX_C1_SHARE = 0.01

_C1 = re.compile("[\x80-\x9f]")

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_bytes(data: bytes, *, source: str, options: ReadOptions = _DEFAULT) -> str:
    r"""Decode one input's bytes to text, refusing what is not text.

    Args:
        data: The raw bytes.
        source: Where the bytes came from (named in every error).
        options: The size bound and an optional forced encoding.

    Returns:
        The decoded text, unchanged apart from a leading byte-order mark.

    Raises:
        TooLargeError: More than ``options.max_bytes`` bytes.
        BinaryInputError: NUL bytes or many control characters.
        DecodeError: The forced encoding does not decode the bytes, or no encoding gives text.
        EmptyInputError: Nothing but whitespace.
        ConfigError: The forced encoding name is unknown.

    Example:
        >>> decode_bytes(b"\xef\xbb\xbfhello", source="a.txt")
        'hello'
    """
    if len(data) > options.max_bytes:
        raise TooLargeError(
            f"{len(data):,} bytes is over the limit of {options.max_bytes:,}", source=source
        )
    if options.encoding is not None:
        text = _forced(data, options.encoding, source)
    else:
        text = _detect(data, source)
    if not text or text.isspace():
        raise EmptyInputError("no text (empty or whitespace only)", source=source)
    return text


def _forced(data: bytes, encoding: str, source: str) -> str:
    try:
        codec = codecs.lookup(encoding)
    except LookupError as exc:
        raise ConfigError(f"unknown encoding {encoding!r}") from exc
    if codec.name == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if not codec.name.startswith(("utf-16", "utf-32")):
        _check_binary(data, source)
    try:
        return data.decode(codec.name)
    except UnicodeDecodeError as exc:
        raise DecodeError(
            f"not valid {encoding} (byte {exc.object[exc.start]:#04x} at offset {exc.start})",
            source=source,
        ) from exc


def _detect(data: bytes, source: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    else:
        for bom, name in _BOMS:
            if data.startswith(bom):
                try:
                    return data.decode(name)
                except UnicodeDecodeError as exc:
                    raise DecodeError(
                        f"invalid {name} after its byte-order mark", source=source
                    ) from exc
    _check_binary(data, source)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    text = data.decode("iso-8859-1")
    c1 = len(_C1.findall(text))
    if c1 > _MAX_C1_SHARE * len(text):
        raise DecodeError(
            "not text in UTF-8, UTF-16, cp1252 or ISO-8859-1 (set an encoding to force one)",
            source=source,
        )
    return text


def _check_binary(data: bytes, source: str) -> None:
    if b"\x00" in data:
        raise BinaryInputError("looks binary (holds NUL bytes)", source=source)
    if data:
        control = len(data) - len(data.translate(None, _CONTROL))
        if control > _MAX_CONTROL_SHARE * len(data):
            raise BinaryInputError(
                f"looks binary ({control / len(data):.0%} control characters)", source=source
            )


def special_file_error(path: str | Path, source: str | None = None) -> InputError | None:
    """Say why ``path`` is not a regular file retold can read, without opening it.

    Opening a named pipe blocks until something writes to it, and a device or socket is no
    article, so these are refused before any reader opens them.

    Args:
        path: A file system path (not ``"-"``).
        source: Name used in the error (default: the path as given).

    Returns:
        An :class:`InputError` for a folder, named pipe, device or socket; ``None`` for a
        regular file (or a symlink to one) and for a path that cannot be looked at (missing,
        dangling link, no permission), whose reader then says what is wrong.

    Example:
        >>> str(special_file_error("/dev/null"))
        '/dev/null: is a character device, not a regular file; give files, folders or - for stdin'
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    name = source if source is not None else str(path)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return InputError("is a folder, not a file", source=name)
    if stat.S_ISFIFO(mode):
        kind = "named pipe (FIFO)"
    elif stat.S_ISCHR(mode):
        kind = "character device"
    elif stat.S_ISBLK(mode):
        kind = "block device"
    elif stat.S_ISSOCK(mode):
        kind = "socket"
    else:
        kind = "special file"
    return InputError(
        f"is a {kind}, not a regular file; give files, folders or - for stdin", source=name
    )


def read_limited(path: str | Path, *, limit: int, source: str | None = None) -> bytes:
    """Read a whole file (or standard input for ``"-"``), refusing more than ``limit`` bytes.

    Args:
        path: The file, or ``"-"`` for standard input.
        limit: Largest number of bytes accepted.
        source: Name used in errors (default: the path as given).

    Returns:
        The file's bytes.

    Raises:
        InputError: The file is missing, a folder, not a regular file (a named pipe, device or
            socket: refused before opening, which could block), or cannot be read.
        TooLargeError: The file holds more than ``limit`` bytes.
    """
    name = source if source is not None else ("<stdin>" if str(path) == STDIN else str(path))
    if str(path) == STDIN:
        return _read_stream(sys.stdin.buffer, limit, name)
    special = special_file_error(path, name)
    if special is not None:
        raise special
    try:
        with open(path, "rb") as stream:
            return _read_stream(stream, limit, name)
    except FileNotFoundError as exc:
        raise InputError("no such file", source=name) from exc
    except IsADirectoryError as exc:
        raise InputError("is a folder, not a file", source=name) from exc
    except PermissionError as exc:
        raise InputError("permission denied", source=name) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", source=name) from exc


def _read_stream(stream: BinaryIO, limit: int, name: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(f"more than {limit:,} bytes", source=name)
    return data
