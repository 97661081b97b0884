"""Quotation marks found paragraph by paragraph (:mod:`retold.text.quotes`)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from retold.text.quotes import quote_spans

_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")


@given(st.text(alphabet=st.sampled_from("ab \"\u201c\u201d\n<\x19 `'"), max_size=80))
def test_quotes_start_at_an_opening_mark_and_never_span_a_blank_line(text: str) -> None:
    last = 0
    for start, end, inner in quote_spans(text, 0, len(text)):
        assert last <= start < end and text[start] in '"\u201c`'
        assert start < inner.start <= inner.end <= end
        assert not _BREAK.search(text, start, end)
        last = end


@given(
    st.text(alphabet=st.sampled_from("ab \"\u201c\u201d\n `'"), max_size=40),
    st.text(alphabet=st.sampled_from("ab \"\u201c\u201d\n `'"), max_size=60),
)
def test_a_paragraph_before_does_not_change_the_quotes_after_it(before: str, text: str) -> None:
    # Whatever marks a paragraph leaves open, the quotes of the next paragraphs stay the same.
    shift = len(before) + 2
    joined = before + "\n\n" + text
    alone = [(s + shift, e + shift) for s, e, _ in quote_spans(text, 0, len(text))]
    after = [(s, e) for s, e, _ in quote_spans(joined, 0, len(joined)) if s >= shift]
    assert after == alone
