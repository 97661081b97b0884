r"""Read news articles out of RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom feeds.

One article per item (entry): its text is the item's full content (``content:encoded``, Atom
``content``) or else its summary (``description``), with the HTML turned into plain text, one
paragraph per line. Title, link, publication time (ISO 8601, UTC) and the feed's title as the
outlet come along. Items are numbered from 1 in document order.

feedparser (the ``rss`` extra) is given the file's bytes only, never a path or URL, so it fetches
nothing; it drops DOCTYPE entity declarations other than plain internal ones and turns off
external entities in the XML parser, so a feed cannot read local files.

Example:
    >>> html_to_text("<p>One &amp; two.</p><p>Three<br>four</p>")
    'One & two.\nThree\nfour'
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from retold.config import ReadOptions
from retold.errors import EmptyInputError, FormatError, InputError, MissingExtra, TooLargeError
from retold.ingest.decode import read_limited
from retold.model import Article, Origin

__all__ = ["html_to_text", "read_feed"]

# A feed holds many items, so the whole file may be larger than one article: up to this many
# times ReadOptions.max_bytes (32 MB by default). Each item's text is still bounded by max_bytes.
_FEED_SIZE_FACTOR = 16

_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
        "ol", "p", "pre", "section", "table", "tr", "ul",
    }
)  # fmt: skip
_SKIPPED_TAGS = frozenset(
    {"head", "iframe", "math", "noscript", "object", "script", "style", "svg", "template"}
)
_SPACES = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r" ?\n[\n ]*")
# feedparser marks problems it recovered from in its own way; a missing HTTP content type is
# not one of ours (we pass bytes from a file, not an HTTP response).
_HARMLESS_BOZO = frozenset({"NonXMLContentType"})


def read_feed(path: Path, options: ReadOptions) -> Iterator[Article | InputError]:
    """Read every item of a feed file as an article.

    Args:
        path: An RSS or Atom file.
        options: ``max_bytes`` bounds each item's text (the file may be 16 times larger);
            ``encoding`` overrides the encoding the feed declares.

    Yields:
        One article per item in document order, an :class:`InputError` value for an item with
        no usable text, and, when the feed is malformed, one :class:`FormatError` after the
        items that could still be read.

    Raises:
        MissingExtra: feedparser is not installed.
    """
    feedparser = _feedparser()
    source = str(path)
    try:
        data = read_limited(path, limit=options.max_bytes * _FEED_SIZE_FACTOR, source=source)
    except InputError as exc:
        yield exc
        return
    if not data.strip():
        yield EmptyInputError("the feed file is empty", source=source)
        return
    headers = None
    if options.encoding is not None:
        headers = {"content-type": f"application/xml; charset={options.encoding}"}
    parsed = feedparser.parse(
        io.BytesIO(data),  # a stream: feedparser treats a str or bytes as a possible path/URL
        response_headers=headers,
        resolve_relative_uris=False,
        sanitize_html=True,
    )
    outlet = _plain(parsed.feed.get("title_detail"), parsed.feed.get("title"))
    entries = parsed.get("entries", [])
    good = 0
    for number, entry in enumerate(entries, start=1):
        item = _article(entry, number, source, outlet, options)
        good += isinstance(item, Article)
        yield item
    problem = _problem(parsed, good)
    if problem is not None:
        yield FormatError(problem, source=source)
    elif not entries:
        if parsed.get("version"):
            yield EmptyInputError("the feed has no items", source=source)
        else:
            yield FormatError("not an RSS or Atom feed", source=source)


def html_to_text(fragment: str) -> str:
    """Turn an HTML fragment into plain text, one block (paragraph, list item, ...) per line.

    Scripts, styles and similar elements are dropped with their content; character references
    are resolved; runs of whitespace (line breaks in the source too) become one space.

    Args:
        fragment: HTML markup (a feed item's content or summary).

    Returns:
        The text, with no leading or trailing whitespace.
    """
    parser = _TextCollector()
    parser.feed(fragment)
    parser.close()
    return _LINE_BREAKS.sub("\n", "".join(parser.parts)).strip()


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:  # newlines in HTML source are spaces; only blocks break lines
            self.parts.append(_SPACES.sub(" ", data))


def _article(
    entry: Any, number: int, source: str, outlet: str | None, options: ReadOptions
) -> Article | InputError:
    text = _entry_text(entry)
    if not text:
        return FormatError(
            "item has no text (no content, summary or description)", source=source, record=number
        )
    if len(text.encode("utf-8")) > options.max_bytes:
        return TooLargeError(
            f"item text is larger than max_bytes={options.max_bytes}", source=source, record=number
        )
    link = entry.get("link")
    return Article.from_text(
        text,
        title=_plain(entry.get("title_detail"), entry.get("title")),
        date=_iso_time(entry),
        outlet=outlet,
        url=_web_link(link),
        origin=Origin(source, number),
    )


def _web_link(link: object) -> str | None:
    """The item's link when it is a web address (feedparser falls back to ids like ``urn:1``)."""
    if not isinstance(link, str):
        return None
    link = link.strip()
    return link if link.lower().startswith(("http://", "https://")) else None


def _entry_text(entry: Any) -> str:
    """Plain text of the longest content block, else of the summary."""
    candidates = [c for c in entry.get("content", []) if str(c.get("value", "")).strip()]
    if candidates:
        best = max(candidates, key=lambda c: len(c["value"]))
        return _plain(best, best["value"]) or ""
    return _plain(entry.get("summary_detail"), entry.get("summary")) or ""


def _plain(detail: Any, value: object) -> str | None:
    """A feed text construct as plain text: HTML is stripped, plain text is kept."""
    if not isinstance(value, str):
        return None
    kind = detail.get("type", "text/html") if detail is not None else "text/html"
    text = html_to_text(value) if kind in _HTML_TYPES else value.strip()
    return text or None


def _iso_time(entry: Any) -> str | None:
    """Published time (else updated or created) as ISO 8601 in UTC, as feedparser normalised it."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed is not None:
            return datetime.fromtimestamp(calendar.timegm(parsed), UTC).isoformat()
    return None


def _problem(parsed: Any, good: int) -> str | None:
    if not parsed.get("bozo"):
        return None
    exc = parsed.get("bozo_exception")
    name = type(exc).__name__ if exc is not None else "unknown problem"
    if name in _HARMLESS_BOZO:
        return None
    line = getattr(exc, "getLineNumber", None)
    where = f" (line {line()})" if callable(line) else ""
    read = f"{good} of its items could still be read" if good else "no item could be read"
    return f"malformed feed{where}: {exc or name}; {read}"


def _feedparser() -> Any:
    try:
        import feedparser
    except ImportError as exc:
        raise MissingExtra("feedparser", "rss") from exc
    return feedparser
