r"""Where a capital letter says nothing about a name: headings, sentence starts, common words.

The name finder (:mod:`retold.text.entities`) asks these questions of every capitalised word:
is it on a heading line (title case or all caps), does it start a sentence, and does the same
word also occur in lower case elsewhere in the article (so it is a common word)?

Example:
    >>> text = "COURT REPORT\nThe judge said Smith lied."
    >>> heading_lines(text, 0, len(text))
    ([0], [12])
    >>> sentence_initial(text, 13), sentence_initial(text, 31)
    (True, False)
    >>> "Judge" in LowerWords(text), "Smith" in LowerWords(text)
    (True, False)
"""

from __future__ import annotations

import re

from retold.text.factwords import find_words

__all__ = ["LowerWords", "heading_lines", "sentence_initial"]

_HEADING_END = frozenset('.!?;,"”’)<')  # "<" ends paragraphs in METER wire copy
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-z]+(?![^\W\d_])")


def heading_lines(text: str, lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Starts and ends of heading lines (title case or all caps, no closing punctuation).

    A line that continues a sentence wrapped on the line before (which stopped on a lowercase
    word or a comma) is not a heading.
    """
    starts: list[int] = []
    ends: list[int] = []
    if text.find("\n", lo, hi) < 0:
        return starts, ends
    prev_end, prev_last = -2, "."
    end = lo - 1
    # The non-empty pieces between newlines are the lines (what ``[^\n]+`` would match).
    for raw in text[lo:hi].split("\n"):
        start = end + 1
        end = start + len(raw)
        if not raw:
            continue
        line = raw.rstrip()
        wrapped = start == prev_end + 1 and (prev_last.islower() or prev_last in ",;-")
        prev_end, prev_last = end, line[-1:] or "."
        if line.upper() == line:  # all caps: a headline or a slug line
            starts.append(start)
            ends.append(end)
            continue
        if line[-1] in _HEADING_END or wrapped:
            continue
        words = line.split()
        if len(words) > 14:
            continue
        initials = [w[0] for w in words if len(w) > 3]  # of the words longer than three letters
        if sum(map(str.isupper, initials)) * 2 >= len(initials):
            starts.append(start)
            ends.append(end)
    return starts, ends


def sentence_initial(text: str, i: int) -> bool:
    """Whether position ``i`` starts a sentence, a paragraph or a line after a heading."""
    i -= 1
    while i >= 0 and text[i] in " \t\"'“‘(":
        i -= 1
    if i < 0 or text[i] in ".!?":
        return True
    if text[i] not in "\n\r":
        return False
    newlines = 0
    while i >= 0 and text[i] in " \t\r\n":
        newlines += text[i] == "\n"
        i -= 1
    # After one line break, a line that stopped on a lowercase word or a comma was wrapped
    # mid-sentence (METER wire copy); any other line (a heading, a date) ended a sentence.
    return newlines > 1 or i < 0 or not (text[i].islower() or text[i] in ",;-")


class LowerWords:
    """Answers "does this word also occur in lower case?" (so it is a common word)."""

    # Above this length one pass collecting all lower-case words beats a scan per question.
    _SCAN_LIMIT = 20_000

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: set[str] | None = None

    def __contains__(self, word: str) -> bool:
        low = word.lower()
        if len(self.text) <= self._SCAN_LIMIT:
            return any(True for _ in find_words(self.text, low, 0, len(self.text)))
        if self.words is None:
            self.words = set(_LOWER_WORD.findall(self.text))
        return low in self.words
