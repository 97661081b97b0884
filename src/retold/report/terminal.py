"""A comparison as readable terminal text: verdict, passages side by side, fact diff.

Article text is untrusted. Every piece of it is cleaned before printing: ANSI escape sequences and
other control characters are dropped, bidirectional overrides are removed, and whitespace is
collapsed, so an article cannot move the cursor, recolour the screen or reorder what is shown.
Colour codes, when asked for, come only from this module.

Example:
    >>> from retold.model import Article, Comparison, Direction, Source, Verdict, Relation
    >>> a, b = Article.from_text("x", id="a1"), Article.from_text("y", id="b1")
    >>> c = Comparison(a, b, Verdict(Relation.UNRELATED, None, 0.01), (), (),
    ...                Direction(Source.UNKNOWN, 0.0))
    >>> render_terminal(c, color=False).splitlines()[0]
    'retold: unrelated  score 0.01'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

import click

from retold.model import Comparison, FactDiff, FactStatus, Passage, RewriteKind, Span
from retold.report.phrases import direction_phrase

__all__ = ["render_terminal"]

_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: titles, hyperlinks
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b[ -/]*[0-~]?"  # two-character escapes
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
# C0/C1 controls (tab and newlines are handled as whitespace), bidi embeddings, overrides and
# isolates, and lone surrogates.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_SPACE = re.compile(r"\s+")
_ELLIPSIS = "…"
_MIN_WIDTH = 40

_KIND_COLOUR = {RewriteKind.VERBATIM: "red", RewriteKind.LIGHT: "yellow", RewriteKind.HEAVY: "cyan"}
_STATUS_COLOUR = {
    FactStatus.BOTH: "green",
    FactStatus.ONLY_A: "yellow",
    FactStatus.ONLY_B: "magenta",
    FactStatus.CHANGED: "red",
}
_STATUS_TITLE = {
    FactStatus.CHANGED: "changed",
    FactStatus.ONLY_A: "only in a",
    FactStatus.ONLY_B: "only in b",
    FactStatus.BOTH: "in both",
}


def clean(text: str) -> str:
    r"""Make untrusted text safe to print on one line.

    Args:
        text: Any text, possibly holding escape sequences or control characters.

    Returns:
        The text with escape sequences and control characters removed and every run of
        whitespace turned into one space.

    Example:
        >>> clean("red \x1b[31mALERT\x1b[0m\n done")
        'red ALERT done'
    """
    text = _CONTROL.sub("", _ANSI.sub("", text))
    return _SPACE.sub(" ", text).strip()


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _width(text: str) -> int:
    return len(text) if text.isascii() else sum(_char_width(ch) for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _cut(text: str, width: int) -> str:
    """Longest prefix of ``text`` that fits ``width`` columns."""
    if text.isascii():
        return text[: max(width, 0)]
    used = 0
    for i, ch in enumerate(text):
        used += _char_width(ch)
        if used > width:
            return text[:i]
    return text


def _wrap(text: str, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap by display width, at most ``max_lines`` lines (the last ends in …)."""
    lines: list[str] = []
    line, used = "", 0
    for word in text.split(" "):
        size = _width(word)
        while word:
            if line and used + 1 + size <= width:
                line, used, word = f"{line} {word}", used + 1 + size, ""
            elif not line and size <= width:
                line, used, word = word, size, ""
            elif line:
                lines.append(line)
                line, used = "", 0
            else:  # a word longer than the column: break it
                head = _cut(word, width) or word[0]
                lines.append(head)
                word = word[len(head) :]
                size = _width(word)
            if len(lines) > max_lines:
                return _ellipsize(lines[:max_lines], width)
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        return _ellipsize(lines[:max_lines], width)
    return lines


def _ellipsize(lines: list[str], width: int) -> list[str]:
    lines[-1] = _cut(lines[-1], width - 1) + _ELLIPSIS
    return lines


def _style(text: str, colour: str | None, color: bool, bold: bool = False) -> str:
    if not color or not text or (colour is None and not bold):
        return text
    return click.style(text, fg=colour, bold=bold or None)


def _fit(line: str, width: int) -> str:
    """Cut a plain (uncoloured) line to ``width`` columns, marking the cut with an ellipsis."""
    return line if _width(line) <= width else _cut(line, width - 1) + _ELLIPSIS


def _excerpt(text: str, span: Span, budget: int) -> str:
    """Cleaned text of ``span``, reading no more than ``budget`` characters of it."""
    end = min(span.end, span.start + budget)
    return clean(text[span.start : end])


def _header(c: Comparison, color: bool, width: int) -> Iterator[str]:
    v = c.verdict
    kind = f", kind {v.kind.value}" if v.kind is not None and v.relation.derived else ""
    colour = "red" if v.relation.derived else None
    title = f"retold: {v.relation.value}"
    rest = _fit(f"{title}{kind}  score {v.score:.2f}", width)[len(title) :]
    yield f"{_style(title, colour, color, bold=True)}{rest}"
    for side, art in (("a", c.a), ("b", c.b)):
        meta = [m for m in (art.title, art.outlet, art.date) if m]
        extra = f"  ({clean(' | '.join(meta))})" if meta else ""
        yield _fit(f"  {side}: {clean(art.label)}  {len(art.text)} chars{extra}", width)
    for side in ("a", "b"):
        if c.features.get(f"truncated_{side}"):
            cut = f"  note: {side}'s body is past the size bound; only its beginning was compared"
            yield _style(_fit(cut, width), "yellow", color)
    if v.probabilities:
        probs = "  ".join(f"{r.value} {p:.2f}" for r, p in v.probabilities)
        yield _fit(f"  probabilities: {probs}", width)
    d = c.direction
    said = direction_phrase(c)
    yield _fit(f"direction: {said} (confidence {d.confidence:.2f})", width)
    for e in d.evidence:
        favours = f"favours {e.favours.value}"
        yield _fit(f"  {clean(e.cue):<14} {favours:<11} {e.weight:+.2f}  {clean(e.detail)}", width)


def _passage_lines(
    c: Comparison, n: int, p: Passage, col: int, max_lines: int, color: bool
) -> Iterator[str]:
    colour = _KIND_COLOUR.get(p.kind)
    head = f"#{n} {p.kind.value}  score {p.score:.2f}  lexical {p.lexical:.2f}"
    yield _style(_fit(f"{head}  semantic {p.semantic:.2f}", 2 * col + 3), colour, color, True)
    budget = 2 * col * (max_lines + 1)  # enough characters to fill the lines, and no more
    left = _wrap(_excerpt(c.a.text, p.a, budget), col, max_lines)
    right = _wrap(_excerpt(c.b.text, p.b, budget), col, max_lines)
    left.insert(0, f"a [{p.a.start}, {p.a.end})")
    right.insert(0, f"b [{p.b.start}, {p.b.end})")
    for i in range(max(len(left), len(right))):
        lt = _pad(left[i] if i < len(left) else "", col)
        rt = right[i] if i < len(right) else ""
        if i > 0:
            lt, rt = _style(lt, colour, color), _style(rt, colour, color)
        yield f"{lt} │ {rt}".rstrip()


def _fact_line(f: FactDiff, width: int) -> str:
    a = clean(f.a_text or "")
    b = clean(f.b_text or "")
    if f.status is FactStatus.CHANGED:
        shown = f"{a!r} → {b!r}"
    elif f.status is FactStatus.ONLY_B:
        shown = repr(b)
    else:
        shown = repr(a)
    return _fit(f"    {f.kind.value:<12} {shown}", width)


def render_terminal(
    c: Comparison, *, color: bool = True, width: int = 100, max_lines: int = 6
) -> str:
    """Render a comparison for a terminal.

    Args:
        c: The comparison.
        color: Colour passages by rewrite kind and facts by status with ANSI codes.
        width: Total width in columns (at least 40 is used).
        max_lines: Most wrapped lines shown of each passage side; longer sides end in "…".

    Returns:
        The report, lines joined with newlines, ending in a newline.
    """
    width = max(width, _MIN_WIDTH)
    col = (width - 3) // 2
    max_lines = max(max_lines, 1)
    out = list(_header(c, color, width))
    out.append("")
    out.append(_style(f"passages ({len(c.passages)})", None, color, bold=True))
    for n, p in enumerate(c.passages, 1):
        out.append("─" * width)
        out.extend(_passage_lines(c, n, p, col, max_lines, color))
    if c.passages:
        out.append("─" * width)
    out.append("")
    out.append(_style(f"facts ({len(c.facts)})", None, color, bold=True))
    for status in _STATUS_TITLE:
        group = [f for f in c.facts if f.status is status]
        if group:
            title = f"  {_STATUS_TITLE[status]} ({len(group)})"
            out.append(_style(title, _STATUS_COLOUR[status], color, bold=True))
            out.extend(_style(_fact_line(f, width), _STATUS_COLOUR[status], color) for f in group)
    return "\n".join(out) + "\n"
