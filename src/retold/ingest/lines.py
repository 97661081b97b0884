r"""Bounded line reading for multi-record files (JSON Lines, CSV).

Lines are read from the byte stream one at a time, each bounded by ``ReadOptions.max_bytes``, so
a huge or binary file never sits in memory whole. Without a forced encoding each line is decoded
on its own (UTF-8, else cp1252, else ISO-8859-1): one mis-encoded line does not spoil the file.
A UTF-16 byte-order mark (spreadsheet exports) or a forced encoding switches to a decoding
stream. Newlines are kept, so CSV fields that span lines are rebuilt exactly.

Example:
    >>> import io
    >>> stream = io.BufferedReader(io.BytesIO(b"a\n\xe9t\xe9\n"))
    >>> [line for _, line in numbered_lines(stream, "x.jsonl", ReadOptions())]
    ['a\n', 'été\n']
"""

from __future__ import annotations

import codecs
import io
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import cast

from retold.config import ReadOptions
from retold.errors import BinaryInputError, ConfigError, DecodeError, InputError, TooLargeError
from retold.ingest.decode import STDIN

__all__ = ["numbered_lines", "open_binary", "os_error"]

_SNIFF_BYTES = 8192


def open_binary(path: Path) -> AbstractContextManager[io.BufferedReader]:
    """Open a file for binary reading; ``"-"`` gives standard input (left open on exit)."""
    if str(path) == STDIN:
        return nullcontext(cast(io.BufferedReader, sys.stdin.buffer))
    return open(path, "rb")


def _decode_line(line: bytes) -> str:
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return line.decode("cp1252")
    except UnicodeDecodeError:
        return line.decode("iso-8859-1")


def numbered_lines(
    stream: io.BufferedReader, source: str, options: ReadOptions
) -> Iterator[tuple[int, str | InputError]]:
    """Numbered text lines (newlines kept), each bounded by ``options.max_bytes``.

    Without a forced encoding each line is decoded on its own (UTF-8, else cp1252, else
    ISO-8859-1), so one mis-encoded line does not spoil the file.
    """
    head = stream.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]
    encoding = options.encoding
    if encoding is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    if encoding is None and b"\x00" in head:
        yield 1, BinaryInputError("looks binary (holds NUL bytes)", source=source)
        return
    if encoding is not None:
        yield from _wrapped_lines(stream, encoding, source, options.max_bytes)
        return
    limit = options.max_bytes
    number = 0
    while line := stream.readline(limit + 1):
        number += 1
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if len(line) > limit and not line.endswith(b"\n"):
            while (more := stream.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield (
                number,
                TooLargeError(
                    f"line over the limit of {limit:,} bytes", source=source, record=number
                ),
            )
            continue
        yield number, _decode_line(line)


def _wrapped_lines(
    stream: io.BufferedReader, encoding: str, source: str, limit: int
) -> Iterator[tuple[int, str | InputError]]:
    try:
        codecs.lookup(encoding)
    except LookupError as exc:
        raise ConfigError(f"unknown encoding {encoding!r}") from exc
    wrapper = io.TextIOWrapper(stream, encoding=encoding, newline="")
    number = 0
    try:
        while line := wrapper.readline(limit + 1):
            number += 1
            if number == 1:
                line = line.removeprefix("\ufeff")
            if len(line) > limit and not line.endswith("\n"):
                while (more := wrapper.readline(1 << 20)) and not more.endswith("\n"):
                    pass
                yield (
                    number,
                    TooLargeError(
                        f"line over the limit of {limit:,} characters", source=source, record=number
                    ),
                )
                continue
            yield number, line
    except UnicodeDecodeError as exc:
        yield (
            number + 1,
            DecodeError(f"not valid {encoding}: {exc.reason}", source=source, record=number + 1),
        )
    finally:
        wrapper.detach()


def os_error(exc: OSError, source: str) -> InputError:
    """Turn an OS error on ``source`` into an :class:`InputError` a user can act on."""
    if isinstance(exc, FileNotFoundError):
        return InputError("no such file", source=source)
    if isinstance(exc, IsADirectoryError):
        return InputError("is a folder, not a file", source=source)
    if isinstance(exc, PermissionError):
        return InputError("permission denied", source=source)
    return InputError(f"cannot read: {exc.strerror or exc}", source=source)
