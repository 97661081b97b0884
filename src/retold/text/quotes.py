"""Where quotations stand in an article: opening and closing marks, paragraph by paragraph.

The fact finder (:mod:`retold.text.entities`) reads each quotation's words as a fact; this
module only finds the marks, with offsets into the original text.

Example:
    >>> text = 'He said "we are done" and left.'
    >>> [(text[s:e], text[i.start : i.end]) for s, e, i in quote_spans(text, 0, len(text))]
    [('"we are done"', 'we are done')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from retold.model import Span

__all__ = ["quote_spans"]

# Opening mark -> closing mark; METER's PA copy writes quotes as ``like this''.
_QUOTE_CLOSE = {'"': '"', "“": "”", "``": "''"}
_QUOTE_MAX = 1000  # characters inside the marks; longer "quotes" are mismatched marks
# Where a quotation ends if its closing mark is missing: a paragraph break (blank line, a line
# indented like Reuters' paragraphs, PA's "^Y" and "<" marks) or a line opening with a mark
# (news style reopens a quote that runs on into the next paragraph and closes only the last).
_QUOTE_STOP = re.compile(
    r"\n[ \t\r\f\v]*\n|\n(?=[ \t]+\S|[\x00-\x08\x0e-\x1f]|[ \t]*(?:[\"“]|``))|<[ \t]*\r?\n"
)
# A paragraph break followed by an opening mark: the quote left open before it runs on (a stray
# mark left open, as in ``<a title="x>`` or ``6" pipe``, is no quotation).
_REOPEN = re.compile(r"[\s<\x00-\x08\x0e-\x1f]*(?:[\"“]|``)")


def quote_spans(text: str, lo: int, hi: int) -> Iterator[tuple[int, int, Span]]:
    """Quotations in ``text[lo:hi]``: start, end (marks included) and the words inside.

    A quotation runs from an opening mark (``"``, ``“`` or two backquotes) to the next closing
    mark (``"``, ``”`` or two apostrophes) within its paragraph. One left open at the paragraph's
    end (see ``_QUOTE_STOP``) ends there, trimmed of space, so the next paragraph's opening mark
    starts a new quotation instead of closing this one, and every quotation after it keeps its
    marks the right way round. It is kept only if the next paragraph reopens it (news style),
    else it was a stray mark.
    ``str.find`` jumps from mark to mark; paragraph ends are only looked up for open quotes.
    """
    found = {mark: text.find(mark, lo, hi) for mark in _QUOTE_CLOSE}
    while waiting := [(i, opening) for opening, i in found.items() if i >= 0]:
        at, mark = min(waiting)
        inner = at + len(mark)
        closing = _QUOTE_CLOSE[mark]
        close = text.find(closing, inner, hi)
        stop, reopened = hi, False
        if close < 0 or text.find("\n", at, close) >= 0:
            # The paragraph's end: no stop holds a quotation mark, so the first one after the
            # mark is the one a scan of the whole text would find (that scan took 50 µs on a
            # METER PA article; this one reads as far as the quote runs).
            end_mark = _QUOTE_STOP.search(text, at + 1, hi)
            stop = hi if end_mark is None else end_mark.start()
            reopened = _REOPEN.match(text, stop, hi) is not None
        if 0 <= close < stop:
            if close - inner <= _QUOTE_MAX:
                yield at, close + len(closing), Span(inner, close)
            resume = close + len(closing)
        else:
            end = stop
            while end > inner and (text[end - 1].isspace() or text[end - 1] == "<"):
                end -= 1
            if reopened and end - inner <= _QUOTE_MAX:
                yield at, end, Span(inner, end)
            resume = stop
        for opening, i in found.items():
            if 0 <= i < resume:
                found[opening] = text.find(opening, resume, hi)
