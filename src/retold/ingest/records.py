"""Multi-record files: JSON (one object or an array), JSON Lines and CSV/TSV.

Every reader yields :class:`Article` or :class:`InputError` values, one per record, so one bad
record (invalid JSON on one line, a missing or empty text field, a value of the wrong type, an
oversized field) never loses the others. Record numbers are 1-based positions that count blank
entries too, so a record keeps its number whatever its neighbours hold: the line number in JSON
Lines, the position in a JSON array, the data row in CSV (the header is not counted; a row whose
quoted field spans several lines is one row; a blank row counts).

Fields are found through a :class:`~retold.ingest.columns.ColumnMapping`; for a field it
leaves at its default (and without one) common names are tried (``text``/``body``/``content``,
``source``/``outlet``/``publisher``, ...), case-insensitively.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path

from retold.config import ReadOptions
from retold.errors import (
    EmptyInputError,
    FormatError,
    InputError,
    TooLargeError,
)
from retold.ingest.columns import FIELDS, ColumnMapping, candidates
from retold.ingest.decode import STDIN, decode_bytes, read_limited
from retold.ingest.lines import numbered_lines, open_binary, os_error
from retold.ingest.plaintext import normalise_date
from retold.model import Article, Origin, Span

__all__ = ["read_csv", "read_json", "read_jsonl"]

_DEFAULT = ReadOptions()
# A JSON document must be parsed whole, so its file may hold this many articles' worth of bytes
# (128 MB with the default 2 MB bound); larger collections belong in JSON Lines.
_JSON_FILE_FACTOR = 64


def _build(
    values: Mapping[str, object],
    *,
    source: str,
    record: int | None,
    options: ReadOptions,
    text_names: tuple[str, ...],
) -> Article:
    """Turn one record's resolved field values into an article (raises InputError)."""
    text = values.get("text")
    if text is None:
        raise FormatError(
            f"no text field (looked for {', '.join(text_names)})", source=source, record=record
        )
    if not isinstance(text, str):
        raise FormatError(
            f"text field holds {type(text).__name__}, expected a string",
            source=source,
            record=record,
        )
    if len(text) * 4 > options.max_bytes and len(text.encode("utf-8")) > options.max_bytes:
        raise TooLargeError(
            f"text is over the limit of {options.max_bytes:,} bytes", source=source, record=record
        )
    if not text or text.isspace():
        raise EmptyInputError("empty text field", source=source, record=record)
    meta: dict[str, str] = {}
    for name in ("id", "title", "date", "outlet", "url"):
        value = values.get(name)
        if value is None or value == "":
            continue
        if name == "id" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise FormatError(
                f"{name} field holds {type(value).__name__}, expected a string",
                source=source,
                record=record,
            )
        value = value.strip()
        if name == "date":
            value = normalise_date(value) or value
        if value:
            meta[name] = value
    start = len(text) - len(text.lstrip())
    return Article.from_text(
        text, origin=Origin(source, record), body=Span(start, len(text.rstrip())), **meta
    )


def _from_object(
    obj: object,
    *,
    source: str,
    record: int | None,
    options: ReadOptions,
    mapping: ColumnMapping | None,
) -> Article | InputError:
    if not isinstance(obj, dict):
        return FormatError(
            f"record is a JSON {type(obj).__name__}, expected an object",
            source=source,
            record=record,
        )
    lowered: dict[str, object] = {}
    for k in reversed(list(obj)):  # the first of keys equal but for case wins
        lowered[str(k).lower()] = k
    values: dict[str, object] = {}
    for name in FIELDS:
        for key in candidates(mapping, name):
            real = key if key in obj else lowered.get(key.lower(), key)
            if real in obj:
                values[name] = obj[real]
                break
    try:
        return _build(
            values,
            source=source,
            record=record,
            options=options,
            text_names=candidates(mapping, "text"),
        )
    except InputError as exc:
        return exc


def read_json(
    path: Path, options: ReadOptions = _DEFAULT, mapping: ColumnMapping | None = None
) -> Iterator[Article | InputError]:
    """Read a JSON file holding one article object or an array of them.

    Args:
        path: The file (``"-"`` for standard input).
        options: Size bound per article and encoding.
        mapping: Field names; ``None`` tries common names.

    Yields:
        An article per object, or an :class:`InputError` per bad record (or one for the file).
    """
    source = "<stdin>" if str(path) == STDIN else str(path)
    limit = options.max_bytes * _JSON_FILE_FACTOR
    try:
        data = read_limited(path, limit=limit, source=source)
        text = decode_bytes(data, source=source, options=replace(options, max_bytes=limit))
    except InputError as exc:
        yield exc
        return
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        yield FormatError(
            f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", source=source
        )
        return
    except RecursionError:
        yield FormatError("JSON nested too deeply", source=source)
        return
    if isinstance(doc, list):
        if not doc:
            yield EmptyInputError("empty JSON array", source=source)
        for number, obj in enumerate(doc, start=1):
            yield _from_object(obj, source=source, record=number, options=options, mapping=mapping)
    elif isinstance(doc, dict):
        yield _from_object(doc, source=source, record=None, options=options, mapping=mapping)
    else:
        yield FormatError(
            f"top level is a JSON {type(doc).__name__}, expected an object or array", source=source
        )


def read_jsonl(
    path: Path, options: ReadOptions = _DEFAULT, mapping: ColumnMapping | None = None
) -> Iterator[Article | InputError]:
    """Read a JSON Lines file: one article object per line; blank lines are skipped.

    Args:
        path: The file (``"-"`` for standard input).
        options: Size bound per line and encoding.
        mapping: Field names; ``None`` tries common names.

    Yields:
        An article per line, or an :class:`InputError` naming the file and line.
    """
    source = "<stdin>" if str(path) == STDIN else str(path)
    try:
        with open_binary(path) as stream:
            for number, line in numbered_lines(stream, source, options):
                if isinstance(line, InputError):
                    yield line
                    continue
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    yield FormatError(
                        f"invalid JSON (column {exc.colno}): {exc.msg}",
                        source=source,
                        record=number,
                    )
                    continue
                except RecursionError:
                    yield FormatError("JSON nested too deeply", source=source, record=number)
                    continue
                yield _from_object(
                    obj, source=source, record=number, options=options, mapping=mapping
                )
    except OSError as exc:
        yield os_error(exc, source)


def read_csv(
    path: Path,
    options: ReadOptions = _DEFAULT,
    mapping: ColumnMapping | None = None,
    *,
    delimiter: str | None = None,
) -> Iterator[Article | InputError]:
    r"""Read a CSV (or TSV) file with a header row; one article per data row.

    The CSV module's field size limit is process-wide; it is raised (never lowered) to
    ``options.max_bytes`` so long articles fit. TSV files (``.tsv``, or ``delimiter="\t"``)
    are split on tabs without quote handling, as TSV has no quoting.

    Args:
        path: The file (``"-"`` for standard input).
        options: Size bound per field and encoding.
        mapping: Column names; ``None`` tries common names, case-insensitively.
        delimiter: Field separator; default tab for ``.tsv`` files, else comma.

    Yields:
        An article per data row (record = the row's number counting from 1 after the header,
        blank rows included, whatever lines its quoted fields span), or an :class:`InputError`
        per bad row; a single error when the header has no text column.
    """
    source = "<stdin>" if str(path) == STDIN else str(path)
    delim = delimiter or ("\t" if str(path).lower().endswith(".tsv") else ",")
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    try:
        with open_binary(path) as stream:
            yield from _csv_rows(stream, source, options, mapping, delim)
    except OSError as exc:
        yield os_error(exc, source)


def _csv_rows(
    stream: io.BufferedReader,
    source: str,
    options: ReadOptions,
    mapping: ColumnMapping | None,
    delim: str,
) -> Iterator[Article | InputError]:
    pending: list[InputError] = []  # lines the csv reader never saw (too long, undecodable)

    def feed() -> Iterator[str]:
        for _, line in numbered_lines(stream, source, options):
            if isinstance(line, InputError):
                pending.append(line)
            else:
                yield line

    if delim == "\t":
        reader = csv.reader(feed(), delimiter=delim, quoting=csv.QUOTE_NONE)
    else:
        reader = csv.reader(feed(), delimiter=delim)
    columns: dict[str, int] | None = None
    text_names = candidates(mapping, "text")
    rows = 0  # data rows met so far; the header is not one
    while True:
        failure: csv.Error | None = None
        try:
            row = next(reader, None)
        except csv.Error as exc:
            failure, row = exc, []
        for error in pending:  # a skipped line stands for one row, so later rows keep numbers
            if columns is not None:
                rows += 1
            line = f" (line {error.record})" if error.record is not None else ""
            yield type(error)(
                error.reason + line, source=source, record=rows if columns is not None else None
            )
        pending.clear()
        if failure is not None:
            if columns is not None:
                rows += 1
            kind = TooLargeError if "larger than field limit" in str(failure) else FormatError
            record = rows if columns is not None else None
            yield kind(f"bad CSV row: {failure}", source=source, record=record)
            continue
        if row is None:
            break
        if columns is None:
            columns = _resolve_header(row, mapping)
            if "text" not in columns:
                names = ", ".join(c.strip() for c in row) or "none"
                yield FormatError(
                    f"no text column (looked for {', '.join(text_names)}; columns are: {names}; "
                    "map one with --column text=NAME)",
                    source=source,
                )
                return
            continue
        rows += 1
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        values = {name: (row[i] if i < len(row) else None) for name, i in columns.items()}
        try:
            yield _build(values, source=source, record=rows, options=options, text_names=text_names)
        except InputError as exc:
            yield exc
    if columns is None:
        yield EmptyInputError("no header row", source=source)


def _resolve_header(header: list[str], mapping: ColumnMapping | None) -> dict[str, int]:
    index = {name.strip().lower(): i for i, name in reversed(list(enumerate(header)))}
    exact = {name.strip(): i for i, name in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    for name in FIELDS:
        for candidate in candidates(mapping, name):
            found = exact.get(candidate, index.get(candidate.lower()))
            if found is not None:
                columns[name] = found
                break
    return columns
