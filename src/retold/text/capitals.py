r"""Where a capital letter says nothing about a name: headings, sentence starts, common words.

The name finder (:mod:`retold.text.entities`) asks these questions of every capitalised word:
is it on a heading line (title case or all caps), does it start a sentence, and does the same
word also occur in lower case elsewhere in the article (so it is a common word)?
:func:`capital_runs` finds the runs of capitalised words and answers the first two.

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

from retold.text.factwords import COMPOUND_TAILS, STOP_CAPS, UPPER, find_words, words

__all__ = ["LowerWords", "Run", "Tok", "capital_runs", "heading_lines", "sentence_initial"]

_HEADING_END = frozenset('.!?;,"”’)<')  # "<" ends paragraphs in METER wire copy
_LOWER_WORD = re.compile(r"(?<![^\W\d_])[a-z]+(?![^\W\d_])")
_DOT_TITLES = words("Mr Ms Dr St Jr Sr Lt Mrs Gen Col Sgt Rev Sen Rep Gov Det Capt Prof Supt")
# A capitalised run: tokens of capitalised words and initials, joined by single spaces and
# the connectors of names ("Bank of England", "Ludwig van Beethoven").
_UP = UPPER
_TOKEN = rf"(?:[{_UP}]\.(?:[ ]?[{_UP}]\.)*|[{_UP}][^\W_]*(?:['’\-][{_UP}][^\W_]*)*)"
# Between tokens: a space, after a title's full stop ("Mr. Smith") and before a connector. The
# full stop is matched before the titles are looked behind for: most tokens end without one
# (the run scan of a 4 KB METER article takes 88 instead of 105 µs).
_SEP = (
    r"(?:\.(?:(?<=Mr\.|Ms\.|Dr\.|St\.|Jr\.|Sr\.|Lt\.)|"
    r"(?<=Mrs\.|Gen\.|Col\.|Sgt\.|Rev\.|Sen\.|Rep\.|Gov\.|Det\.)|(?<=Capt\.|Prof\.|Supt\.)))?"
    r"[ ](?:(?:of[ ]the|of|de|da|di|du|del|der|den|van|von|la|le|bin|ibn)[ ])?"
)
_RUN = re.compile(rf"{_TOKEN}(?:{_SEP}{_TOKEN})*")
# A hyphenated given name may end a run of two words or more with a lower-case syllable:
# "Kim Jong-un", "Moon Jae-in", "Ban Ki-moon" (the head 2-5 letters, the tail 2-6).
_NAME_TAIL = re.compile(r"-([a-z]{2,6})(?![^\W_]|-)")

Tok = tuple[int, int, str]  # start, end, token as written


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
        follows, before = start == prev_end + 1, prev_last  # the line before, for ``wrapped``
        prev_end, prev_last = end, line[-1:] or "."
        if line.upper() == line:  # all caps: a headline or a slug line
            starts.append(start)
            ends.append(end)
            continue
        if line[-1] in _HEADING_END:
            continue
        if follows and (before.islower() or before in ",;-"):
            continue  # wrapped: the line continues a sentence
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


def _tokens(run: str, start: int) -> list[Tok]:
    """Capitalised tokens of a run with their offsets; connectors ("of", "van") are left out."""
    out = []
    pos = start
    for piece in run.split(" "):
        if piece and not piece[0].islower():
            tok = piece[:-1] if piece[-1] == "." and piece[:-1] in _DOT_TITLES else piece
            out.append((pos, pos + len(tok), tok))
        pos += len(piece) + 1
    return out


# After a space, a run starts a sentence only if one of these stands before the space.
_MAYBE_INITIAL = frozenset(" \t\"'“‘(.!?\n\r")
# A capitalised run: start, end, the run as written, its tokens (None for a one-word run), and
# whether it is on a heading line and starts a sentence.
Run = tuple[int, int, str, list[Tok] | None, bool, bool]


def capital_runs(text: str, lo: int, hi: int) -> tuple[list[Run], set[str]]:
    """The capitalised runs in ``text[lo:hi]`` that may hold names, in order.

    Returns:
        The runs, and the words seen capitalised off headings and sentence starts.
    """
    h_starts, h_ends = heading_lines(text, lo, hi)
    n_lines, line = len(h_starts), 0  # the first heading line not ending before the run
    runs: list[Run] = []
    known: set[str] = set()
    for m in _RUN.finditer(text, lo, hi):
        run = m[0]
        if " " in run and (tail := _NAME_TAIL.match(text, m.end(), hi)) is not None:
            head = run[run.rfind(" ") + 1 :]
            if 2 <= len(head) <= 5 and head.isalpha() and tail[1] not in COMPOUND_TAILS:
                run = text[m.start() : tail.end()]
        if run in STOP_CAPS:
            continue  # most runs are one sentence-initial function word
        start = m.start()
        if start > 0 and ((c := text[start - 1]).isalnum() or c in "'’_"):
            continue  # a capital inside a word ("iPhone") or after an apostrophe
        while line < n_lines and h_ends[line] <= start:
            line += 1
        heading = line < n_lines and h_starts[line] <= start
        if heading:
            initial = False
        elif start > 1 and text[start - 1] == " " and text[start - 2] not in _MAYBE_INITIAL:
            initial = False  # what sentence_initial answers, without the call (70 % of runs)
        else:
            initial = sentence_initial(text, start)
        if " " not in run:
            runs.append((start, start + len(run), run, None, heading, initial))
            if not heading and not initial:
                known.add(run)
        else:
            toks = _tokens(run, start)
            runs.append((start, start + len(run), run, toks, heading, initial))
            if not heading:
                known.update([t[2] for t in toks[initial:]])
    return runs, known
