"""Stories as one self-contained HTML page: a table of stories, a drawn graph per story, outlets.

Each story's reuse graph is an inline SVG laid out here, deterministically: the likely origin in
the left column, every other article in the column of its derivation depth (steps along directed
edges from the origin; articles reached only through undirected edges go one column right of
their nearest placed neighbour), and within a column by date, then id. Directed edges are
arrows, coloured by rewrite kind; undirected edges are dashed. With ``pair_link``, each edge
links to the side-by-side page of its two articles.

Titles, outlets and every other string from the articles are untrusted: they are only written
escaped, as element content or quoted attribute values. Links from ``pair_link`` are escaped
too and dropped unless they are relative or ``http(s)``. A Content-Security-Policy allows only
the page's own style and script (by hash) and no external loads.

Example:
    >>> from retold.model import Article, Relation, Source
    >>> from retold.provenance.stories import Edge, build_stories
    >>> arts = [Article.from_text("x", id="a1", title="<script>x</script>"),
    ...         Article.from_text("y", id="a2")]
    >>> e = Edge("a1", "a2", Relation.SAME_STORY, None, 0.1, Source.UNKNOWN)
    >>> page = render_stories_html(build_stories(arts, [e]), arts)
    >>> "<script>x" in page, "&lt;script&gt;x" in page
    (False, True)
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from html import escape

from retold.model import Article, RewriteKind
from retold.provenance.graph import Edge, OutletCount, OutletFigures, parse_when
from retold.provenance.stories import Story, StoryMap

__all__ = ["layout_story", "render_stories_html"]

_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_SAFE_LINK = re.compile(r"^(?:https?://|[^:]*$)", re.IGNORECASE)
_COL_W, _ROW_H, _PAD, _R = 230, 58, 30, 9
_KIND_COLOUR = {
    RewriteKind.VERBATIM: "#c0392b",
    RewriteKind.LIGHT: "#e67e22",
    RewriteKind.HEAVY: "#8e44ad",
    None: "#7f8c8d",
}
_OUTLET_COLOURS = ("#2e86c1", "#28b463", "#d4ac0d", "#cb4335", "#7d3c98", "#17a589", "#ca6f1e")

_STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right}
section{border-top:2px solid #ddd;margin-top:1.5em;padding-top:.5em}
svg{display:block;max-width:100%;height:auto;border:1px solid #eee}
svg text{font:11px system-ui,sans-serif}svg a:hover path{stroke-width:4}
.legend span{display:inline-block;margin-right:1em}.sw{width:1.5em;height:.4em;margin-right:.3em}
.muted{color:#777}input{font:inherit;padding:.2em;margin:.5em 0;width:20em}
""".strip()
_SCRIPT = """
document.getElementById('filter').addEventListener('input',function(e){
var q=e.target.value.toLowerCase();
document.querySelectorAll('#stories tbody tr').forEach(function(r){
r.style.display=r.textContent.toLowerCase().indexOf(q)<0?'none':'';});});
""".strip()


def _esc(text: object) -> str:
    return escape(_BAD_CHARS.sub("\ufffd", str(text)), quote=True)


def _csp_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _date_key(art: Article) -> tuple[int, str]:
    when = parse_when(art.date)
    return (0, when.isoformat()) if when is not None else (1, "")


def layout_story(story: Story, articles: Mapping[str, Article]) -> dict[str, tuple[int, int]]:
    """Column and row of each member in the drawing of a story's reuse graph.

    Args:
        story: The story.
        articles: Its articles by id.

    Returns:
        ``{article id: (column, row)}``; the origin is at column 0.
    """
    out_edges: dict[str, list[str]] = {}
    near: dict[str, list[str]] = {}
    for e in story.edges:
        if e.directed:
            out_edges.setdefault(e.a, []).append(e.b)
        near.setdefault(e.a, []).append(e.b)
        near.setdefault(e.b, []).append(e.a)
    depth = {story.origin_id: 0}
    frontier = [story.origin_id]
    while frontier:  # breadth first along directed edges: shortest derivation depth
        frontier = sorted({y for x in frontier for y in out_edges.get(x, ()) if y not in depth})
        for y in frontier:
            depth[y] = 1 + min(depth[x] for x in depth if y in out_edges.get(x, ()))
    rest = sorted(set(story.article_ids) - set(depth))
    while rest:  # the others: one column right of their nearest placed neighbour
        placed = [
            (min(depth[n] for n in near.get(x, ()) if n in depth), x)
            for x in rest
            if any(n in depth for n in near.get(x, ()))
        ]
        if not placed:
            base = max(depth.values()) + 1
            depth.update((x, base) for x in rest)
            break
        for d, x in placed:
            depth[x] = d + 1
        rest = [x for x in rest if x not in depth]
    columns: dict[int, list[str]] = {}
    for aid, d in depth.items():
        columns.setdefault(d, []).append(aid)
    pos = {}
    for d, ids in columns.items():
        for row, aid in enumerate(sorted(ids, key=lambda i: (_date_key(articles[i]), i))):
            pos[aid] = (d, row)
    return pos


def _outlet_colour(outlet: str | None) -> str:
    if outlet is None:
        return "#aaaaaa"
    digest = hashlib.sha256(outlet.encode("utf-8")).digest()
    return _OUTLET_COLOURS[digest[0] % len(_OUTLET_COLOURS)]


def _short(text: str, n: int = 30) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _safe_link(url: str) -> str | None:
    return url if _SAFE_LINK.match(url.strip()) else None


def _edge_svg(
    e: Edge,
    xy: Mapping[str, tuple[float, float]],
    pair_link: Callable[[str, str], str] | None,
) -> str:
    (x1, y1), (x2, y2) = xy[e.a], xy[e.b]
    dx, dy = x2 - x1, y2 - y1
    dist = max((dx * dx + dy * dy) ** 0.5, 1.0)
    # Same column: bow the edge out to the right so it does not run through the nodes between.
    bow = 0.0 if abs(dx) > 1 else min(40.0 + dist / 4, 120.0)
    cx, cy = (x1 + x2) / 2 + bow, (y1 + y2) / 2
    ex = x2 - (x2 - cx) / max(((x2 - cx) ** 2 + (y2 - cy) ** 2) ** 0.5, 1.0) * (_R + 2)
    ey = y2 - (y2 - cy) / max(((x2 - cx) ** 2 + (y2 - cy) ** 2) ** 0.5, 1.0) * (_R + 2)
    kind = e.kind if e.relation.derived else None
    colour = _KIND_COLOUR[kind]
    style = f'stroke="{colour}" stroke-width="2" fill="none"'
    style += f' marker-end="url(#arrow-{kind.value if kind else "none"})"' if e.directed else ""
    style += "" if e.directed else ' stroke-dasharray="5 4"'
    label = f"{e.relation.value} ({kind.value if kind else 'no kind'}), {e.source.value}, "
    label += f"score {e.score:.2f}: {e.a} {'→' if e.directed else '—'} {e.b}"
    path = (
        f'<path d="M{x1:.1f} {y1:.1f} Q{cx:.1f} {cy:.1f} {ex:.1f} {ey:.1f}" {style}>'
        f"<title>{_esc(label)}</title></path>"
    )
    link = _safe_link(pair_link(e.a, e.b)) if pair_link is not None else None
    return f'<a href="{_esc(link)}">{path}</a>' if link is not None else path


def _story_svg(
    story: Story, arts: Mapping[str, Article], pair_link: Callable[[str, str], str] | None
) -> str:
    pos = layout_story(story, arts)
    xy = {a: (_PAD + c * _COL_W, _PAD + r * _ROW_H) for a, (c, r) in pos.items()}
    width = _PAD * 2 + max(c for c, _ in pos.values()) * _COL_W + 190
    height = _PAD * 2 + max(r for _, r in pos.values()) * _ROW_H + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img"><defs>'
    ]
    for kind, colour in _KIND_COLOUR.items():
        name = kind.value if kind is not None else "none"
        parts.append(
            f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z" fill="{colour}"/></marker>'
        )
    parts.append("</defs>")
    parts.extend(_edge_svg(e, xy, pair_link) for e in story.edges)
    for aid in sorted(pos):
        art, (x, y) = arts[aid], xy[aid]
        ring = ' stroke="#000" stroke-width="3"' if aid == story.origin_id else ' stroke="#fff"'
        name = art.title or art.label
        tip = f"{name} | {art.outlet or 'unknown outlet'} | {art.date or 'undated'} | {aid}"
        parts.append(
            f'<g><title>{_esc(tip)}</title><circle cx="{x}" cy="{y}" r="{_R}" '
            f'fill="{_outlet_colour(art.outlet)}"{ring}/>'
            f'<text x="{x + 13}" y="{y - 2}">{_esc(_short(art.outlet or "?", 24))}'
            f" {_esc(art.date or '')}</text>"
            f'<text x="{x + 13}" y="{y + 11}" fill="#555">{_esc(_short(name))}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _counts_html(rows: tuple[OutletCount, ...]) -> str:
    return ", ".join(f"{_esc(r.outlet or 'unknown')} ({r.articles})" for r in rows) or "—"


def _outlets_table(figures: Iterable[OutletFigures]) -> str:
    rows = [
        "<table id='outlets'><thead><tr><th>outlet</th><th>articles</th>"
        "<th>retold from others</th><th>from whom</th><th>retold by others</th>"
        "<th>by whom</th></tr></thead><tbody>"
    ]
    for f in figures:
        rows.append(
            f"<tr><td>{_esc(f.outlet or 'unknown')}</td><td class='n'>{f.articles}</td>"
            f"<td class='n'>{f.retold} ({f.retold_share:.0%})</td>"
            f"<td>{_counts_html(f.sources)}</td>"
            f"<td class='n'>{f.retold_by_others} ({f.retold_by_others_share:.0%})</td>"
            f"<td>{_counts_html(f.copiers)}</td></tr>"
        )
    rows.append("</tbody></table>")
    return "".join(rows)


def _story_row(s: Story, arts: Mapping[str, Article]) -> str:
    origin = arts[s.origin_id]
    outlets = sorted({arts[i].outlet or "unknown" for i in s.article_ids})
    directed = sum(e.directed for e in s.edges)
    return (
        f"<tr><td><a href='#{_esc(s.id)}'>{_esc(s.id)}</a></td><td class='n'>{len(s)}</td>"
        f"<td>{_esc(origin.title or origin.label)}</td><td>{_esc(origin.outlet or 'unknown')}</td>"
        f"<td>{_esc(origin.date or '')}</td><td>{_esc(', '.join(outlets))}</td>"
        f"<td class='n'>{directed} / {len(s.edges)}</td></tr>"
    )


def _story_section(
    s: Story, arts: Mapping[str, Article], pair_link: Callable[[str, str], str] | None
) -> str:
    origin = arts[s.origin_id]
    members = "".join(
        f"<tr><td>{_esc(a.outlet or 'unknown')}</td><td>{_esc(a.date or '')}</td>"
        f"<td>{_esc(a.title or '')}</td><td>{_esc(a.origin or '')}</td><td>{_esc(a.id)}</td></tr>"
        for a in sorted((arts[i] for i in s.article_ids), key=lambda a: (_date_key(a), a.id))
    )
    return (
        f"<section id='{_esc(s.id)}'><h2>Story {_esc(s.id)} — {len(s)} articles</h2>"
        f"<p>Likely origin: <b>{_esc(origin.title or origin.label)}</b> "
        f"({_esc(origin.outlet or 'unknown outlet')}). "
        f"<span class='muted'>{_esc(s.origin_reason)}</span></p>"
        f"{_story_svg(s, arts, pair_link)}"
        "<table><thead><tr><th>outlet</th><th>date</th><th>title</th><th>read from</th>"
        f"<th>id</th></tr></thead><tbody>{members}</tbody></table></section>"
    )


def _legend() -> str:
    items = [
        f"<span><svg class='sw' viewBox='0 0 10 2'><rect width='10' height='2' "
        f"fill='{colour}'/></svg>{kind.value if kind else 'same story / no kind (dashed)'}</span>"
        for kind, colour in _KIND_COLOUR.items()
    ]
    return "<p class='legend'>Edges: " + "".join(items) + " — origin ringed in black.</p>"


def render_stories_html(
    story_map: StoryMap,
    articles: Iterable[Article] | Mapping[str, Article],
    *,
    pair_link: Callable[[str, str], str] | None = None,
    title: str = "retold — stories",
) -> str:
    """Render all stories of two or more articles, with their graphs, as one HTML page.

    Args:
        story_map: The stories.
        articles: The articles they were built from (a sequence or a mapping by id).
        pair_link: Gives the URL of the side-by-side page of two article ids; each edge links
            there. Only relative and ``http(s)`` URLs are used.
        title: The page title.

    Returns:
        The page, self-contained (inline style and script, no external resources).
    """
    arts = articles if isinstance(articles, Mapping) else {a.id: a for a in articles}
    shown = [s for s in story_map.stories if len(s) > 1]
    singles = len(story_map.stories) - len(shown)
    csp = (
        f"default-src 'none'; style-src {_csp_hash(_STYLE)}; script-src {_csp_hash(_SCRIPT)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    table = "".join(_story_row(s, arts) for s in shown)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        f"<title>{_esc(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_esc(title)}</h1><p>{len(shown)} stories of two or more articles; "
        f"{singles} articles stand alone.</p>"
        "<input id='filter' type='search' placeholder='filter stories'>"
        "<table id='stories'><thead><tr><th>story</th><th>articles</th><th>origin</th>"
        "<th>outlet</th><th>date</th><th>outlets</th><th>directed / edges</th></tr></thead>"
        f"<tbody>{table}</tbody></table><h2>Outlets</h2>{_outlets_table(story_map.outlets)}"
        f"{_legend()}{''.join(_story_section(s, arts, pair_link) for s in shown)}"
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
