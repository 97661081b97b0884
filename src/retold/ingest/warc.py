"""Read news articles out of web archives (WARC files, plain or gzipped).

Only ``response`` records of successful (HTTP 200) fetches of HTML or plain-text pages become
articles; requests, metadata, images and redirects are skipped without a word. Records are
numbered by their position in the file (1-based, every record type counted), so
``Origin("crawl.warc.gz", 7)`` is the seventh record.

A damaged file (truncated download, cut gzip member) yields the articles read before the damage
and then one :class:`~retold.errors.FormatError` naming the record where it broke. warcio on its
own stops silently at a truncated record header, so this module checks each record's length and
what follows it.

Example:
    >>> from pathlib import Path
    >>> from retold.config import ReadOptions
    >>> [type(item).__name__ for item in read_warc(Path("missing.warc"), ReadOptions())]
    ['InputError']
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from io import BufferedReader
from pathlib import Path
from typing import IO, Any

from retold.config import ReadOptions
from retold.errors import EmptyInputError, FormatError, InputError, MissingExtra, TooLargeError
from retold.ingest.html import article_from_html, decode_html
from retold.model import Article, Origin

__all__ = ["read_warc"]

_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_WBITS = 16 + zlib.MAX_WBITS  # zlib with a gzip header and trailer (CRC checked)
_RAW_CHUNK = 64 * 1024
_INFLATE_CHUNK = 256 * 1024
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_TEXT_TYPES = frozenset({"text/plain"})
_SNIFF_BYTES = 512
_HEAD_BYTES = 64
_ARCHIVE_STARTS = (b"WARC/", b"filedesc://")
_HTML_SNIFF = (b"<!doctype html", b"<html")


class _DamagedError(Exception):
    """The compressed stream under the WARC is cut or corrupt.

    Kept apart from EOFError, which warcio takes for a clean end of file.
    """


class _GzipStream:
    """Inflate a WARC.gz (one gzip member per record, or one for the whole file) for warcio.

    Everything inflated before a cut or a corrupt byte is handed out first; the next read then
    raises :class:`_DamagedError`. (``gzip.GzipFile`` drops the data of the read that hits the
    cut, and warcio's own inflater stops silently at it.)
    """

    def __init__(self, raw: IO[bytes]):
        self._raw = raw
        self._inflater = zlib.decompressobj(_GZIP_WBITS)
        self._in_member = False
        self._pending = b""
        self._buffer = bytearray()
        self._error: str | None = None
        self._done = False
        self._pos = 0

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._fill()
        if not self._buffer and self._error is not None:
            raise _DamagedError(self._error)
        size = len(self._buffer) if size < 0 else min(size, len(self._buffer))
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        self._pos += size
        return out

    def tell(self) -> int:
        return self._pos

    @property
    def error(self) -> str | None:
        """What is wrong with the compressed data, once reading has reached it."""
        return self._error

    def peek(self, size: int) -> bytes:
        while not self._done and len(self._buffer) < size:
            self._fill()
        return bytes(self._buffer[:size])

    def _fill(self) -> None:
        data = self._inflater.unconsumed_tail or self._pending or self._raw.read(_RAW_CHUNK)
        self._pending = b""
        if not data:
            self._done = True
            if self._in_member:
                self._error = "the file ends inside a gzip member (truncated download?)"
            return
        if not self._in_member:
            data = data.lstrip(b"\0")  # zero padding between members is allowed
            if not data:
                return
            self._in_member = True
        try:
            # max_length bounds what one compressed chunk may inflate to (decompression bombs).
            self._buffer += self._inflater.decompress(data, _INFLATE_CHUNK)
        except zlib.error as exc:
            self._done = True
            self._error = f"corrupt gzip data ({exc})"
            return
        if self._inflater.eof:
            self._pending = self._inflater.unused_data
            self._inflater = zlib.decompressobj(_GZIP_WBITS)
            self._in_member = False


@dataclass(frozen=True, slots=True)
class _Page:
    """The payload of one record that may hold an article."""

    data: bytes
    content_type: str
    url: str | None


def read_warc(path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    """Read the HTML and plain-text responses of a WARC (or ARC) file as articles.

    Args:
        path: A ``.warc``, ``.warc.gz``, ``.arc`` or ``.arc.gz`` file (gzip is recognised by its
            magic bytes, the format by the first line).
        options: ``max_bytes`` bounds each record's decoded payload; ``encoding`` forces the
            text encoding of every page.

    Yields:
        One article per usable response; an :class:`InputError` value for a response that gives
        no article (too large, empty, no article text) or for the point where the file is
        damaged, after which reading stops.

    Raises:
        MissingExtra: warcio (or trafilatura, for HTML pages) is not installed.
    """
    archive_iterator = _archive_iterator()
    source = str(path)
    try:
        raw = path.open("rb")
    except OSError as exc:
        yield InputError(f"cannot read the file: {exc.strerror or exc}", source=source)
        return
    with raw:
        stream: _GzipStream | BufferedReader = raw
        if raw.peek(2)[:2] == _GZIP_MAGIC:
            stream = _GzipStream(raw)
        head = stream.peek(_HEAD_BYTES)[:_HEAD_BYTES].lstrip()
        damage = stream.error if isinstance(stream, _GzipStream) else None
        if not head and damage is not None:
            yield _broken(source, 1, damage)
        elif not head:
            yield EmptyInputError("the file is empty", source=source)
        elif not head.startswith(_ARCHIVE_STARTS):
            yield FormatError("not a WARC (or ARC) file", source=source, record=1)
        else:
            # arc2warc: ARC records come with WARC-style headers, so one code path reads both.
            records = archive_iterator(stream, arc2warc=True)
            yield from _read_records(records, source, options)


def _read_records(
    records: Any, source: str, options: ReadOptions
) -> Iterator[Article | InputError]:
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    # warcio raises AttributeError on a header block cut before its WARC-Target-URI line.
    damage = (
        ArchiveLoadFailed,
        StatusAndHeadersParserException,
        _DamagedError,
        AttributeError,
        ValueError,
        OSError,
    )
    number = 0
    while True:
        try:
            record = next(records)
        except StopIteration:
            if records.next_line:  # a header began, but the file ended before it did
                yield _broken(source, number + 1, "the file ends inside this record's header")
            elif number == 0:
                yield FormatError("no WARC records in the file", source=source, record=1)
            return
        except damage as exc:
            yield _broken(source, number + 1, str(exc) or type(exc).__name__)
            return
        number += 1
        wanted = _wanted(record)
        outcome: Article | InputError | None = None
        data = b""
        try:
            if wanted is not None:
                data = _read_payload(record, options, source, number)
        except TooLargeError as exc:
            outcome = exc
        except _DamagedError as exc:
            yield _broken(source, number, str(exc))
            return
        except (zlib.error, EOFError, ValueError) as exc:  # bad chunking or content encoding
            outcome = FormatError(f"unreadable payload: {exc}", source=source, record=number)
        damaged: FormatError | None = None
        try:
            records.read_to_end()  # the rest of this record, then the blank lines after it
        except damage as exc:
            # Read-ahead finds damage early: it belongs to this record only if this record is
            # incomplete, else to the next one.
            where = number if _cut_short(record) else number + 1
            damaged = _broken(source, where, str(exc) or type(exc).__name__)
        if _cut_short(record):
            yield damaged or _broken(source, number, "the file ends inside this record")
            return
        if outcome is None and wanted is not None:
            outcome = _article(_Page(data, *wanted), source, number, options)
        if outcome is not None:
            yield outcome
        if damaged is not None:
            yield damaged
            return


def _wanted(record: Any) -> tuple[str, str | None] | None:
    """Content type and URL of a 200 response worth reading; None for every other record."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    if record.http_headers.get_statuscode() != "200":
        return None
    content_type: str = record.http_headers.get_header("Content-Type") or ""
    if _media(content_type) not in _HTML_TYPES | _TEXT_TYPES | {""}:
        return None
    url: str | None = record.rec_headers.get_header("WARC-Target-URI")
    return content_type, url


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _read_payload(record: Any, options: ReadOptions, source: str, number: int) -> bytes:
    # content_stream() undoes chunked transfer and gzip/deflate content encoding, so this bound
    # also stops decompression bombs: at most max_bytes + 1 decoded bytes are ever held.
    data: bytes = record.content_stream().read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        raise TooLargeError(
            f"response is larger than max_bytes={options.max_bytes}", source=source, record=number
        )
    return data


def _cut_short(record: Any) -> bool:
    """True when the file ended before the record's declared Content-Length (or inside it)."""
    declared = record.rec_headers.get_header("Content-Length")
    if record.length is None or not isinstance(declared, str) or not declared.strip().isdigit():
        return True
    remaining = getattr(record.raw_stream, "limit", 0)
    return isinstance(remaining, int) and remaining > 0


def _article(page: _Page, source: str, number: int, options: ReadOptions) -> Article | InputError:
    media = _media(page.content_type)
    if not media:
        head = page.data[:_SNIFF_BYTES].lstrip().lower()
        if not head.startswith(_HTML_SNIFF):
            return FormatError(
                "response has no Content-Type and does not look like HTML",
                source=source,
                record=number,
            )
        media = "text/html"
    try:
        text = decode_html(
            page.data,
            source=source,
            record=number,
            declared=page.content_type,
            encoding=options.encoding,
        )
        if media in _TEXT_TYPES:
            if not text.strip():
                raise EmptyInputError("the response is empty", source=source, record=number)
            return Article.from_text(text, url=page.url, origin=Origin(source, number))
        return article_from_html(text, source=source, url=page.url, record=number)
    except InputError as exc:
        return exc


def _broken(source: str, number: int, why: str) -> FormatError:
    return FormatError(
        f"damaged or truncated WARC, reading stopped here: {why}", source=source, record=number
    )


def _archive_iterator() -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:
        raise MissingExtra("warcio", "warc") from exc
    return ArchiveIterator
