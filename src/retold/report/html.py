"""A comparison as one self-contained HTML page.

The page holds the verdict and direction evidence, both articles side by side in full with every
aligned passage highlighted (coloured by rewrite kind), and the fact diff as a table. Each
highlight links to its counterpart: passage ``n`` (1-based, in the order of
``Comparison.passages``) starts at anchors ``#a-pn`` and ``#b-pn``, which work without
JavaScript; a few lines of inline script add hover and click highlighting.

Article text is untrusted. It is only ever written as escaped element content, never into an
attribute or the script; attributes carry only numbers and names this module makes. Passages may
overlap: each side's text is cut at every passage boundary and each piece is wrapped once, with
the classes of all passages covering it, so the markup stays well formed. A Content-Security-Policy
allows only the page's own style and script (by hash) and no external loads.

Example:
    >>> from retold.model import Article, Comparison, Direction, Source, Verdict, Relation
    >>> a, b = Article.from_text("<b>hi</b>", id="a1"), Article.from_text("yo", id="b1")
    >>> c = Comparison(a, b, Verdict(Relation.UNRELATED, None, 0.0), (), (),
    ...                Direction(Source.UNKNOWN, 0.0))
    >>> "&lt;b&gt;hi&lt;/b&gt;" in render_html(c)
    True
"""

from __future__ import annotations

import base64
import hashlib
import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import cache
from html import escape
from importlib.resources import files

from retold.model import Article, Comparison, FactDiff, Passage, RewriteKind, Span
from retold.report.phrases import direction_phrase

__all__ = ["render_html"]

# Characters HTML does not allow in text (C0/C1 controls other than whitespace, lone surrogates).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_OTHER = {"a": "b", "b": "a"}


def _esc(text: str) -> str:
    return escape(_BAD_CHARS.sub("\ufffd", text), quote=True)


@cache
def _asset(name: str) -> str:
    return (files("retold.report") / "templates" / name).read_text(encoding="utf-8")


def _csp_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _segments(
    text: str, spans: list[tuple[int, Span]], limit: int
) -> tuple[list[int], list[list[int]]]:
    """Cut ``text[:limit]`` at every span boundary; list the spans covering each piece."""
    cuts = (
        {0, limit} | {min(s.start, limit) for _, s in spans} | {min(s.end, limit) for _, s in spans}
    )
    bounds = sorted(cuts)
    cover: list[list[int]] = [[] for _ in range(len(bounds) - 1)]
    for n, s in spans:
        lo, hi = bisect_left(bounds, min(s.start, limit)), bisect_left(bounds, min(s.end, limit))
        for i in range(lo, hi):
            cover[i].append(n)
    return bounds, cover


def _text_html(art: Article, side: str, passages: dict[int, Passage], limit: int) -> Iterator[str]:
    spans = [(n, p.a if side == "a" else p.b) for n, p in passages.items()]
    size = {n: len(s) for n, s in spans}
    anchors: dict[int, list[int]] = {}
    for n, s in spans:
        anchors.setdefault(min(s.start, limit), []).append(n)
    bounds, cover = _segments(art.text, spans, limit)
    other = _OTHER[side]
    for i, ns in enumerate(cover):
        start, end = bounds[i], bounds[i + 1]
        for n in anchors.get(start, ()):
            yield f'<span class="anchor" id="{side}-p{n}"></span>'
        piece = _esc(art.text[start:end])
        if not ns:
            yield piece
            continue
        primary = min(ns, key=lambda n: (size[n], n))  # the innermost passage leads
        order = [primary, *sorted(x for x in ns if x != primary)]
        cls = f"seg k-{passages[primary].kind.value}" + (" multi" if len(ns) > 1 else "")
        data = " ".join(map(str, order))
        yield f'<a class="{cls}" href="#{other}-p{primary}" data-p="{data}">{piece}</a>'
    for n in anchors.get(limit, ()):  # passages starting at the end (or beyond the cut)
        yield f'<span class="anchor" id="{side}-p{n}"></span>'
    if limit < len(art.text):
        yield f'<span class="cut">[{len(art.text) - limit} more characters not shown]</span>'


def _doc_html(art: Article, side: str, passages: dict[int, Passage], max_chars: int) -> str:
    known = [_esc(m) for m in (art.title, art.outlet, art.date, art.url) if m]
    meta = " · ".join([*known, f"{len(art.text)} characters"])
    limit = min(len(art.text), max_chars)
    body = "".join(_text_html(art, side, passages, limit))
    return (
        f'<section class="doc" id="doc-{side}">'
        f"<h2>{side}: {_esc(art.label)}</h2>"
        f'<p class="meta">{meta}</p>'
        f'<div class="text" id="text-{side}">{body}</div></section>'
    )


def _direction_html(c: Comparison) -> str:
    d = c.direction
    said = direction_phrase(c)
    items = "".join(
        f'<li><span class="cue">{_esc(e.cue)}</span> favours '
        f'<span class="f-{e.favours.value}">{e.favours.value}</span> '
        f"({e.weight:+.2f}): {_esc(e.detail)}</li>"
        for e in d.evidence
    )
    ev = f'<ul class="evidence">{items}</ul>' if items else ""
    return f'<p class="facts-line">Direction: {said} (confidence {d.confidence:.2f})</p>{ev}'


def _header_html(c: Comparison) -> str:
    v = c.verdict
    kind = f" — {v.kind.value} rewrite" if v.kind is not None and v.relation.derived else ""
    derived = " derived" if v.relation.derived else ""
    probs = ", ".join(f"{r.value} {p:.2f}" for r, p in v.probabilities)
    probs_html = f'<p class="facts-line">Probabilities: {probs}</p>' if probs else ""
    legend = "".join(f'<span class="k-{k.value}">{k.value}</span>' for k in RewriteKind)
    return (
        f'<header><h1 class="verdict{derived}">{v.relation.value.replace("_", " ")}{kind}</h1>'
        f'<p class="facts-line">Score {v.score:.2f} · {len(c.passages)} aligned passages · '
        f"{len(c.facts)} facts</p>{probs_html}{_direction_html(c)}"
        f'<p class="legend">{legend}</p></header>'
    )


def _passages_table(passages: dict[int, Passage], total: int) -> str:
    rows = "".join(
        f'<tr class="k-{p.kind.value}"><td class="num">{n}</td>'
        f'<td class="kind">{p.kind.value}</td><td class="num">{p.score:.2f}</td>'
        f'<td class="num">{p.lexical:.2f}</td><td class="num">{p.semantic:.2f}</td>'
        f'<td><a href="#a-p{n}" data-p="{n}">a [{p.a.start}, {p.a.end})</a></td>'
        f'<td><a href="#b-p{n}" data-p="{n}">b [{p.b.start}, {p.b.end})</a></td></tr>'
        for n, p in passages.items()
    )
    more = total - len(passages)
    note = f'<p class="note">{more} more passages not shown.</p>' if more > 0 else ""
    return (
        f'<details class="passages" open><summary>Aligned passages ({total})</summary>'
        "<table><thead><tr><th>#</th><th>kind</th><th>score</th><th>lexical</th>"
        f"<th>semantic</th><th>in a</th><th>in b</th></tr></thead><tbody>{rows}</tbody>"
        f"</table>{note}</details>"
    )


def _where(s: Span | None) -> str:
    return "" if s is None else f" <small>[{s.start}, {s.end})</small>"


def _facts_table(facts: tuple[FactDiff, ...], max_facts: int) -> str:
    shown = facts[:max_facts]
    rows = "".join(
        f'<tr class="s-{f.status.value}"><td>{f.kind.value}</td>'
        f'<td class="status">{f.status.value.replace("_", " ")}</td>'
        f"<td>{_esc(f.a_text or '')}{_where(f.a)}</td>"
        f"<td>{_esc(f.b_text or '')}{_where(f.b)}</td></tr>"
        for f in shown
    )
    more = len(facts) - len(shown)
    note = f'<p class="note">{more} more facts not shown.</p>' if more > 0 else ""
    return (
        f'<section class="facts"><h2>Facts ({len(facts)})</h2><table><thead><tr>'
        "<th>kind</th><th>status</th><th>in a</th><th>in b</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>{note}</section>"
    )


def render_html(
    c: Comparison, *, max_chars: int = 1_000_000, max_passages: int = 5_000, max_facts: int = 5_000
) -> str:
    """Render a comparison as one self-contained HTML page.

    Args:
        c: The comparison.
        max_chars: Most characters of each article shown; the rest is cut with a note (passages
            beyond the cut keep their anchors at the cut).
        max_passages: Most passages highlighted and listed; the rest are left out with a note.
        max_facts: Most facts listed.

    Returns:
        The page as text (UTF-8 declared). Its size is about bounded by the sum of the limits:
        escaped text is at most 6x the characters shown, plus a fixed amount per passage piece.
    """
    passages = dict(enumerate(c.passages[:max_passages], 1))
    css, js = _asset("report.css"), _asset("report.js")
    csp = (
        f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
        "img-src 'none'; base-uri 'none'; form-action 'none'"
    )
    title = f"retold: {c.verdict.relation.value} — {c.a.label} vs {c.b.label}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(title)}</title><style>{css}</style></head>\n<body>"
        f"{_header_html(c)}{_passages_table(passages, len(c.passages))}"
        f'<main class="cols">{_doc_html(c.a, "a", passages, max_chars)}'
        f"{_doc_html(c.b, 'b', passages, max_chars)}</main>"
        f"{_facts_table(c.facts, max_facts)}<script>{js}</script></body></html>\n"
    )
