r"""Plain-text and Markdown articles: header detection (date and title lines) and body span.

A plain-text article may open with a date line (``June 23, 2024``, ``23 June 2024``,
``2024-06-23``, ``Jun 23, 2024``, optionally labelled ``Date:``) and a title line (short, not
ending like a sentence, followed by a blank line or by the date line; or a Markdown ``# Title``;
or labelled ``Title:`` / ``Headline:``), in either order. They are reported in
:attr:`Article.title` and :attr:`Article.date`; :attr:`Article.body` spans the rest of the
*original* text, from its first to its last non-blank character.

Example:
    >>> art = parse_text_article("May 2, 2024\nBig news\n\nIt happened today.\n")
    >>> (art.date, art.title, art.body.slice(art.text))
    ('2024-05-02', 'Big news', 'It happened today.')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Literal

from retold.config import ReadOptions
from retold.errors import EmptyInputError, InputError
from retold.ingest.decode import STDIN, decode_bytes, read_limited
from retold.model import Article, Origin, Span

__all__ = ["HeaderMode", "normalise_date", "parse_text_article", "read_text"]

HeaderMode = Literal["auto", "title", "none"]
"""``auto`` detects date and title lines; ``title`` takes the first line as the title (a date
line before it is still detected); ``none`` keeps the whole text as the body."""

_DEFAULT = ReadOptions()

# Longest line taken for a title. News headlines run to about 120 characters; 200 leaves room
# for long ones while rejecting one-line opening paragraphs (seed 002 and METER newspaper leads
# are 200+ characters).
_MAX_TITLE_CHARS = 200
# Lines a header may hold (date, title, date), so a header never reaches deep into a body.
_MAX_HEADER_LINES = 3

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_PREFIX = (
    r"(?:(?:published|updated|posted|date)(?:\s+on)?:?\s+)?"
    r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
)
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s+[a-z]{2,4})?)?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
_DATE_PATTERNS = (
    re.compile(_PREFIX + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _TIME, re.IGNORECASE),
    re.compile(_PREFIX + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + _TIME, re.IGNORECASE),
    re.compile(
        _PREFIX + r"(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})"
        r"(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
        re.IGNORECASE,
    ),
)
_LINE = re.compile(r"[^\r\n]*")
_NEWLINE = re.compile(r"\r\n|\r|\n")
_NONSPACE = re.compile(r"\S")
_MARKDOWN_TITLE = re.compile(r"#{1,6}\s+(?P<title>.*?)(?:\s+#+)?")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_TITLE_LABEL = re.compile(r"(?:title|headline)\s*:\s*", re.IGNORECASE)
# A title does not end like a sentence or a clause (closing quotes and brackets looked through);
# a trailing ellipsis is allowed (BBC teaser titles such as "Rivals of the ... Apple...").
_SENTENCE_END = re.compile(r"(?<!\.\.)[.,;:]['\"”’)\]]*$")


def normalise_date(value: str) -> str | None:
    """Read a date in a common news format and return it as ISO 8601 text.

    Args:
        value: ``2024-06-23``, ``2024-06-23T10:00:00Z``, ``June 23, 2024``, ``Jun 23, 2024``,
            ``23 June 2024``, optionally with a weekday or a ``Published:`` prefix.

    Returns:
        ISO date (``YYYY-MM-DD``), or the value itself when it already is an ISO date-time;
        ``None`` when the value is not a date we recognise.

    Example:
        >>> normalise_date("Sunday, 23rd June 2024")
        '2024-06-23'
    """
    value = value.strip()
    if not value or len(value) > 80:
        return None
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        if len(value) > 10:
            return value
    for pattern in _DATE_PATTERNS:
        m = pattern.fullmatch(value)
        if m is None:
            continue
        groups = m.groupdict()
        name = groups.get("month")
        month = _MONTHS[name.lower()[:3]] if name else int(groups["mnum"])
        try:
            return date(int(groups["year"]), month, int(groups["day"])).isoformat()
        except ValueError:
            return None
    return None


def _line_at(text: str, pos: int) -> tuple[int, int, int]:
    """The line starting at ``pos``: (start, end before newline, start of next line)."""
    m = _LINE.match(text, pos)
    end = m.end() if m else pos
    nl = _NEWLINE.match(text, end)
    return pos, end, nl.end() if nl else end


def _next_content_line(text: str, pos: int) -> tuple[int, int, int] | None:
    while pos < len(text):
        line = _line_at(text, pos)
        if not text[line[0] : line[1]].isspace() and line[1] > line[0]:
            return line
        pos = line[2]
    return None


def _is_blank_line_after(text: str, nxt: int) -> bool:
    if nxt >= len(text):
        return False
    start, end, _ = _line_at(text, nxt)
    return text[start:end].strip() == ""


def _is_date_line_after(text: str, nxt: int) -> bool:
    line = _next_content_line(text, nxt)
    return line is not None and normalise_date(text[line[0] : line[1]]) is not None


def _title_of(text: str, line: tuple[int, int, int], mode: HeaderMode) -> str | None:
    start, end, nxt = line
    content = text[start:end].strip()
    md = _MARKDOWN_TITLE.fullmatch(content)
    if md is not None:
        title = md.group("title").strip()
        return title or None
    labelled = _TITLE_LABEL.match(content)
    if labelled is not None:  # "Title: ..." / "Headline: ..."
        return content[labelled.end() :].strip() or None
    if mode == "title":
        return content
    if (
        len(content) > _MAX_TITLE_CHARS
        or not _HAS_LETTER.search(content)
        or _SENTENCE_END.search(content)
        or not (_is_blank_line_after(text, nxt) or _is_date_line_after(text, nxt))
    ):
        return None
    return content


def _split_header(text: str, mode: HeaderMode) -> tuple[str | None, str | None, int]:
    """Detect the header; return (title, ISO date, position where the body may start)."""
    title: str | None = None
    found_date: str | None = None
    pos = 0
    if mode == "none":
        return None, None, 0
    for _ in range(_MAX_HEADER_LINES):
        line = _next_content_line(text, pos)
        if line is None:
            break
        start, end, nxt = line
        if _NONSPACE.search(text, nxt) is None:
            break  # a header needs a body after it
        if found_date is None:
            iso = normalise_date(text[start:end])
            if iso is not None:
                found_date, pos = iso, nxt
                continue
        if title is None:
            candidate = _title_of(text, line, mode)
            if candidate is not None:
                title, pos = candidate, nxt
                continue
        break
    return title, found_date, pos


def parse_text_article(
    text: str, *, source: str | None = None, header: HeaderMode = "auto", **meta: object
) -> Article:
    r"""Build an article from plain text, detecting an optional date line and title line.

    Args:
        text: The decoded original text (kept exactly; spans index it).
        source: Where it came from; named in errors and used as the origin unless ``meta``
            gives one.
        header: How to treat the top lines (see :data:`HeaderMode`).
        **meta: Article fields (``id``, ``title``, ``date``, ``outlet``, ``url``, ``origin``);
            given values win over detected ones.

    Returns:
        The article, with :attr:`Article.body` spanning the text after the header lines.

    Raises:
        EmptyInputError: The text is empty or whitespace only.

    Example:
        >>> art = parse_text_article("# Headline\n\nBody.", source="a.md")
        >>> (art.title, art.body, str(art.origin))
        ('Headline', Span(start=12, end=17), 'a.md')
    """
    first = _NONSPACE.search(text)
    if first is None:
        raise EmptyInputError("no text (empty or whitespace only)", source=source)
    title, found_date, pos = _split_header(text, header)
    after = _NONSPACE.search(text, pos)
    body_start = after.start() if after is not None else first.start()
    body_end = len(text.rstrip())
    fields: dict[str, object] = {"title": title, "date": found_date}
    if source is not None:
        fields["origin"] = Origin(source)
    fields.update({k: v for k, v in meta.items() if v is not None})
    fields["body"] = Span(body_start, body_end)
    return Article.from_text(text, **fields)  # type: ignore[arg-type]  # meta is caller-typed


def read_text(path: Path, options: ReadOptions = _DEFAULT) -> Iterator[Article | InputError]:
    """Read a text file as one article, yielding the article or the error (reader protocol).

    Args:
        path: The file (``"-"`` for standard input, named ``<stdin>``).
        options: Size bound and encoding.

    Yields:
        One :class:`Article`, or one :class:`InputError` saying why the file was not read.
    """
    name = "<stdin>" if str(path) == STDIN else str(path)
    try:
        data = read_limited(path, limit=options.max_bytes, source=name)
        yield parse_text_article(decode_bytes(data, source=name, options=options), source=name)
    except InputError as exc:
        yield exc
