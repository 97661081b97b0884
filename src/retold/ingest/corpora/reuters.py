"""Reuters-21578 (Distribution 1.0): ``<REUTERS>`` records of the ``reut2-NNN.sgm`` files.

The files are SGML, not XML: bytes are ISO-8859-1 (one file is not valid UTF-8), bodies carry
character references (``&lt;``, ``&#3;``) and control characters, and tags are not nested the
way an XML parser expects. Records are cut out with regular expressions.

Each article's text is the unescaped story (``<BODY>``, or the raw ``<TEXT>`` of ``UNPROC``
records), stripped of surrounding blanks and of the control characters the wire left in it, so
:attr:`Article.text` is exactly the text whose offsets are reported. ``BRIEF`` records hold only a
headline and are yielded as :class:`EmptyInputError` values (there is no text to read, which
is not a fault of the file).

Example:
    >>> _unescape("a &lt; b &amp; c&#3;")
    'a < b & c'
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from retold.config import ReadOptions
from retold.errors import EmptyInputError, FormatError, InputError, TooLargeError
from retold.ingest.decode import read_limited
from retold.model import Article, Origin, Span

__all__ = ["read_reuters"]

_DEFAULT = ReadOptions()
# A .sgm file holds 1,000 stories (about 1.3 MB); allow this many articles' worth of bytes.
_FILE_FACTOR = 64

_NEWID = re.compile(r'\bNEWID="(\d+)"')
_UNPROC = 'TYPE="UNPROC"'
_ENTITY = re.compile(r"&(?:(lt|gt|amp|quot|apos)|#(\d{1,7}));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}
# Control characters other than tab and newline (the wire's STX/ETX/SYN/US/DEL markers).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_WHEN = re.compile(r"\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:\s+(\d+):(\d{2}):(\d{2}))?")
_MONTHS = {
    name: number
    for number, name in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}


def _entity(m: re.Match[str]) -> str:
    if m.group(1):
        return _NAMED[m.group(1)]
    code = int(m.group(2))
    return chr(code) if 0 < code <= 0x10FFFF else ""


def _unescape(raw: str) -> str:
    """Resolve SGML character references and drop control characters (tabs and newlines stay)."""
    return _CONTROL.sub("", _ENTITY.sub(_entity, raw))


def _between(raw: str, open_tag: str, close_tag: str) -> str | None:
    """The content between the first ``open_tag`` and the next ``close_tag``, if both occur."""
    start = raw.find(open_tag)
    if start < 0:
        return None
    start += len(open_tag)
    end = raw.find(close_tag, start)
    return raw[start:end] if end >= 0 else None


def _iso(raw: str) -> str | None:
    m = _WHEN.match(raw)
    if m is None:
        return None
    day, month, year, hour, minute, second = m.groups()
    number = _MONTHS.get(month.upper())
    if number is None:
        return None
    try:
        clock = (int(hour), int(minute), int(second))
        return datetime(int(year), number, int(day), *clock).isoformat()
    except (TypeError, ValueError):
        pass
    try:  # a garbled time of day (one record says "605:12:19") still leaves the date
        return date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None


def read_reuters(path: Path, options: ReadOptions = _DEFAULT) -> Iterator[Article | InputError]:
    """Read the stories of one Reuters-21578 ``.sgm`` file.

    Args:
        path: A ``reut2-NNN.sgm`` file.
        options: ``max_bytes`` bounds each story; ``encoding`` overrides ISO-8859-1.

    Yields:
        One :class:`Article` per story (outlet ``"Reuters"``, origin record = ``NEWID``, title
        from ``<TITLE>``, ISO date-time from ``<DATE>``), or a :class:`FormatError` value for a
        record without a story.
    """
    source = str(path)
    try:
        data = read_limited(path, limit=options.max_bytes * _FILE_FACTOR)
        text = data.decode(options.encoding or "iso-8859-1")
    except InputError as exc:
        yield exc
        return
    except (UnicodeDecodeError, LookupError) as exc:
        yield FormatError(f"cannot decode: {exc}", source=source)
        return
    found = False
    for number, chunk in enumerate(text.split("</REUTERS>"), start=1):
        start = chunk.find("<REUTERS")
        if start < 0:
            continue
        found = True
        head_end = chunk.find(">", start)
        newid = _NEWID.search(chunk, start, head_end)
        record = int(newid.group(1)) if newid else number
        try:
            yield _story(chunk[head_end + 1 :], source=source, record=record, options=options)
        except InputError as exc:
            yield exc
    if not found:
        yield FormatError("no <REUTERS> records", source=source)


def _story(raw: str, *, source: str, record: int, options: ReadOptions) -> Article:
    story = _between(raw, "<BODY>", "</BODY>")
    if story is None:
        text_start = raw.find("<TEXT")
        attrs = raw[text_start : raw.find(">", text_start)] if text_start >= 0 else ""
        if _UNPROC not in attrs:
            kind = "headline only (TYPE=BRIEF)" if "BRIEF" in attrs else "no body"
            raise EmptyInputError(f"no story text: {kind}", source=source, record=record)
        story = _between(raw, attrs + ">", "</TEXT>") or ""
    story = _unescape(story).strip()
    if not story:
        raise EmptyInputError("empty story", source=source, record=record)
    if len(story) * 4 > options.max_bytes and len(story.encode("utf-8")) > options.max_bytes:
        raise TooLargeError(
            f"story over the limit of {options.max_bytes:,} bytes", source=source, record=record
        )
    title = _between(raw, "<TITLE>", "</TITLE>")
    title = " ".join(_unescape(title).split()) if title else None
    when = _between(raw, "<DATE>", "</DATE>")
    return Article.from_text(
        story,
        title=title or None,
        date=_iso(when) if when else None,
        outlet="Reuters",
        origin=Origin(source, record),
        body=Span(0, len(story)),
    )
