"""Format detection and the one entry point that reads any mix of files and folders.

Readers follow one protocol, ``(path, options) -> Iterator[Article | InputError]``, and are found
by module name when first needed, so optional readers (HTML, WARC, feeds) cost nothing until used
and a missing optional dependency only matters for files that need it.

Example:
    >>> from pathlib import Path
    >>> detect_format(Path("story.md")), detect_format(Path("crawl.warc.gz"))
    ('text', 'warc')
"""

from __future__ import annotations

import gzip
import importlib
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from retold.config import ReadOptions
from retold.errors import ConfigError, FormatError, InputError
from retold.ingest.columns import ColumnMapping
from retold.ingest.decode import STDIN, special_file_error
from retold.model import Article

__all__ = ["FORMATS", "detect_format", "iter_articles", "read_article"]

Reader = Callable[[Path, ReadOptions], Iterator[Article | InputError]]

_DEFAULT = ReadOptions()

# Format name -> (module under retold.ingest, reader function name).
_READERS: dict[str, tuple[str, str]] = {
    "text": ("plaintext", "read_text"),
    "json": ("records", "read_json"),
    "jsonl": ("records", "read_jsonl"),
    "csv": ("records", "read_csv"),
    "html": ("html", "read_html"),
    "warc": ("warc", "read_warc"),
    "rss": ("feed", "read_feed"),
    "reuters": ("corpora.reuters", "read_reuters"),
    "bbc": ("corpora.bbc", "read_bbc"),
    "meter": ("corpora.meter", "iter_meter"),
}
FORMATS: tuple[str, ...] = tuple(sorted(_READERS))
"""Every format name :func:`iter_articles` accepts."""

_RECORD_FORMATS = frozenset({"json", "jsonl", "csv"})
_FOLDER_FORMATS = frozenset({"bbc", "meter"})  # whole-corpus readers that take the root folder
_STDIN_FORMATS = frozenset({"text", "json", "jsonl", "csv"})

_SUFFIXES: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".warc": "warc",
    ".arc": "warc",
    ".rss": "rss",
    ".atom": "rss",
    ".sgm": "reuters",
}
_SNIFFED_SUFFIXES = frozenset({".xml", ".sgml", ".gz"})
_SNIFF_BYTES = 4096


def detect_format(path: str | Path) -> str:
    """Name the format of one file from its name, looking at its first bytes when needed.

    Args:
        path: A file (``"-"`` for standard input is always ``"text"``).

    Returns:
        One of :data:`FORMATS`. Unknown extensions are sniffed: an HTML doctype or tag gives
        ``html``, a feed root (``<rss``, ``<feed``, ``<rdf``) ``rss``, a leading ``{``/``[`` JSON
        (``jsonl`` when the second line is another object), ``WARC/`` ``warc``; else ``text``.
        Unreadable files are ``text``, so the reader reports why they cannot be read.

    Example:
        >>> detect_format("notes.ndjson")
        'jsonl'
    """
    p = Path(path)
    if str(path) == STDIN:
        return "text"
    name = p.name.lower()
    for double in (".warc.gz", ".arc.gz"):
        if name.endswith(double):
            return "warc"
    suffix = p.suffix.lower()
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    return _sniff(_head(p), default="rss" if suffix in (".rss", ".atom") else "text")


def _head(path: Path) -> bytes:
    if special_file_error(path) is not None:
        return b""  # never open a named pipe or device just to sniff it
    try:
        with open(path, "rb") as stream:
            head = stream.read(_SNIFF_BYTES)
    except OSError:
        return b""
    if head.startswith(b"\x1f\x8b"):
        try:
            return zlib.decompressobj(wbits=31).decompress(head, _SNIFF_BYTES)
        except zlib.error:
            return b""
    return head


def _sniff(head: bytes, *, default: str) -> str:
    lower = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lower.startswith(b"warc/"):
        return "warc"
    if lower.startswith((b"{", b"[")):
        lines = [line for line in lower.splitlines() if line.strip()]
        if len(lines) > 1 and lines[0].rstrip().endswith(b"}") and lines[1].startswith(b"{"):
            return "jsonl"
        return "json"
    if lower.startswith(b"<"):
        if b"<reuters" in lower or b"<!doctype lewis" in lower:
            return "reuters"
        if b"<rss" in lower or b"<feed" in lower or b"<rdf:rdf" in lower:
            return "rss"
        if (
            lower.startswith((b"<!doctype html", b"<html"))
            or b"<html" in lower
            or b"<body" in lower
        ):
            return "html"
    return default


def _reader(fmt: str, mapping: ColumnMapping | None) -> Reader | InputError:
    module_name, function = _READERS[fmt]
    try:
        module = importlib.import_module(f"retold.ingest.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name is not None and exc.name.startswith("retold."):
            return FormatError(f"no reader for format {fmt!r} in this build of retold")
        raise
    reader: Reader = getattr(module, function)
    if fmt in _RECORD_FORMATS and mapping is not None:
        return partial(reader, mapping=mapping)  # type: ignore[call-arg]
    return reader


def _walk(root: Path) -> Iterator[Path | InputError]:
    """Files under ``root`` in a deterministic (sorted) order; hidden entries skipped.

    Folders that cannot be listed are yielded as errors in their place.
    """
    failures: list[OSError] = []
    for folder, dirs, files in os.walk(root, onerror=failures.append):
        for exc in failures:
            yield InputError(f"cannot list folder: {exc.strerror or exc}", source=exc.filename)
        failures.clear()
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(folder) / name
    for exc in failures:
        yield InputError(f"cannot list folder: {exc.strerror or exc}", source=exc.filename)


def _run(reader: Reader, path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    try:
        yield from reader(path, options)
    except InputError as exc:
        yield exc
    except (OSError, UnicodeError, RecursionError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        yield InputError(f"cannot read: {exc}", source=str(path))


def iter_articles(
    paths: Iterable[str | Path],
    *,
    format: str | None = None,
    options: ReadOptions = _DEFAULT,
    mapping: ColumnMapping | None = None,
) -> Iterator[Article | InputError]:
    """Read articles from files and folders of any supported format, lazily.

    Folders are walked in sorted order and each file's format detected (see
    :func:`detect_format`); ``format`` forces one format for every file. ``bbc`` and ``meter``
    take corpus root folders. Bad input never raises: each problem is yielded as an
    :class:`InputError` naming the file (and record), and reading goes on. Named pipes,
    devices and sockets (given, or met in a folder) are such problems: they are never opened.

    Args:
        paths: Files, folders, or ``"-"`` for standard input.
        format: One of :data:`FORMATS`, or ``None`` to detect per file.
        options: Size bound and encoding.
        mapping: A :class:`~retold.ingest.columns.ColumnMapping` for JSON/JSONL/CSV fields.

    Yields:
        Articles and input errors, in path order.

    Raises:
        ConfigError: ``format`` is not a known format name.
        MissingExtra: A file needs an optional dependency that is not installed.

    Example:
        >>> [type(x).__name__ for x in iter_articles(["/no/such/file.txt"])]
        ['InputError']
    """
    if format is not None and format not in _READERS:
        raise ConfigError(f"unknown format {format!r}; use one of: {', '.join(FORMATS)}")
    readers: dict[str, Reader | InputError] = {}

    def read(path: Path, fmt: str) -> Iterator[Article | InputError]:
        if fmt not in readers:
            readers[fmt] = _reader(fmt, mapping)
        reader = readers[fmt]
        if isinstance(reader, InputError):
            yield type(reader)(reader.reason, source=str(path))
        else:
            yield from _run(reader, path, options)

    def read_file(path: Path) -> Iterator[Article | InputError]:
        special = special_file_error(path)  # a named pipe would block the reader for ever
        if special is not None:
            yield special
        else:
            yield from read(path, format or detect_format(path))

    for item in paths:
        path = Path(item)
        if str(item) == STDIN:
            fmt = format or "text"
            if fmt not in _STDIN_FORMATS:
                yield FormatError(
                    f"format {fmt!r} cannot be read from standard input", source="<stdin>"
                )
                continue
            yield from read(Path(STDIN), fmt)
        elif path.is_dir() and format in _FOLDER_FORMATS:
            yield from read(path, format)
        elif path.is_dir():
            found = False
            for file in _walk(path):
                found = True
                if isinstance(file, InputError):
                    yield file
                else:
                    yield from read_file(file)
            if not found:
                yield InputError("folder holds no files", source=str(path))
        elif not path.exists() and not path.is_symlink():
            yield InputError("no such file or folder", source=str(path))
        else:
            yield from read_file(path)


def read_article(
    path: str | Path,
    *,
    format: str | None = None,
    options: ReadOptions = _DEFAULT,
    mapping: ColumnMapping | None = None,
    record: int | None = None,
) -> Article:
    """Read the one article a file holds, in any format :func:`iter_articles` reads.

    The file's format is detected as for :func:`iter_articles` (an HTML page loses its
    boilerplate and keeps its title and date); ``"-"`` reads standard input as plain text
    unless ``format`` says otherwise.

    Args:
        path: A file, or ``"-"`` for standard input.
        format: One of :data:`FORMATS`, or ``None`` to detect it.
        options: Size bound and encoding.
        mapping: Field names for JSON/JSONL/CSV files.
        record: Take the record with this number (as in ``Origin.record`` and in error
            messages: the line of a JSON Lines file, the data row of a CSV file, the item of a
            feed, ...) from a multi-record file.

    Returns:
        The article, with ``origin`` naming the file (and record).

    Raises:
        InputError: The file cannot be read, holds no article, holds several records and no
            ``record`` was given, or has no record ``record``; subclasses say what is wrong
            with the content (empty, binary, too large, undecodable, malformed).
        ConfigError: ``format`` is not a known format name.
        MissingExtra: The file needs an optional dependency that is not installed.

    Example:
        >>> read_article("/no/such/file.txt")
        Traceback (most recent call last):
        ...
        retold.errors.InputError: /no/such/file.txt: no such file or folder
    """
    name = "<stdin>" if str(path) == STDIN else str(path)
    if name != "<stdin>" and os.path.isdir(path):
        raise InputError(_folder_reason(Path(path)), source=name)
    articles: list[Article] = []
    errors: list[InputError] = []
    for item in iter_articles([path], format=format, options=options, mapping=mapping):
        number = item.record if isinstance(item, InputError) else _number(item)
        if record is not None and number == record:
            if isinstance(item, InputError):
                raise item
            return item
        if isinstance(item, InputError):
            errors.append(item)
        else:
            articles.append(item)
    if record is not None:
        whole = [e for e in errors if e.record is None]
        if whole:
            raise whole[0]
        held = _numbers([n for a in articles if (n := _number(a)) is not None])
        raise FormatError(
            f"has no record {record}" + (f" (its articles are records {held})" if held else ""),
            source=name,
        )
    if len(articles) == 1 and not errors:
        return articles[0]
    if not articles:
        if len(errors) == 1:
            raise errors[0]
        kinds = {type(e) for e in errors}
        cls = kinds.pop() if len(kinds) == 1 else InputError
        shown = "; ".join(
            e.reason if e.record is None else f"record {e.record}: {e.reason}" for e in errors[:3]
        )
        more = f"; and {len(errors) - 3} more" if len(errors) > 3 else ""
        raise cls(f"no article could be read ({shown}{more})", source=name)
    bad = sum(1 for e in errors if e.record is not None)
    held = _numbers([n for a in articles if (n := _number(a)) is not None])
    count = _plural(len(articles) + bad, "record")
    if bad:
        count += f" ({_plural(len(articles), 'article')}, {bad} unreadable)"
    problem = f" ({errors[0].reason})" if len(errors) > bad else ""  # a file-level problem
    raise FormatError(
        f"holds {count}{problem}, not one article: pick one as {name}#N (N = {held or '?'}), "
        "or use `retold index` and `retold query` for many",
        source=name,
    )


def _folder_reason(folder: Path) -> str:
    """Why a folder is not one article, naming a few of its files to pick from."""
    try:
        files = sorted(e.name for e in os.scandir(folder) if e.is_file())
    except OSError:
        files = []
    shown = ", ".join(str(folder / f) for f in files[:3]) + (", ..." if len(files) > 3 else "")
    pick = f"name one of its files ({shown})" if files else "name a file"
    return (
        f"is a folder, not one article: {pick}, or use `retold index` and `retold query` for many"
    )


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _number(article: Article) -> int | None:
    return article.origin.record if article.origin is not None else None


def _numbers(numbers: list[int]) -> str:
    """Record numbers in short form: ``1-3``, ``2, 5, 9``, ``1, 2, 3, 4, ... 40``."""
    if not numbers:
        return ""
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))) and len(numbers) > 2:
        return f"{numbers[0]}-{numbers[-1]}"
    if len(numbers) > 5:
        return ", ".join(map(str, numbers[:4])) + f", ... {numbers[-1]}"
    return ", ".join(map(str, numbers))
