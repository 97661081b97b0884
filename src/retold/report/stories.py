"""Stories as JSON (versioned schema ``retold.stories/1``), GraphML, and one HTML overview.

JSON: each story lists its articles (with their origins: file and record), its likely origin
and why, and its reuse graph; edges are oriented source to copy when ``directed`` (then
``source`` is ``"a"``), else ``a < b`` with ``source`` ``"shared"`` or ``"unknown"``. Per-outlet
figures follow. Floats are rounded to 4 decimals and keys come in a fixed order, so the same
stories always render to the same bytes. Stories of one article are left out unless asked for
(they are counted).

GraphML: one node per article (attributes ``outlet``, ``date``, ``title``, ``origin`` — the file
it was read from —, ``story`` and ``story_origin``), one edge per reuse-graph edge (``relation``,
``kind``, ``source``, ``score``), with ``directed="false"`` on undirected edges. Characters XML
cannot carry are replaced by U+FFFD.

The HTML overview is :func:`render_stories_html` (in :mod:`retold.report.stories_html`).

Example:
    >>> from retold.model import Article, Relation, RewriteKind, Source
    >>> from retold.provenance.stories import Edge, build_stories
    >>> arts = [Article.from_text("wire text", id="w"), Article.from_text("copy", id="c")]
    >>> smap = build_stories(arts, [Edge("c", "w", Relation.WHOLLY_DERIVED,
    ...                                  RewriteKind.LIGHT, 0.9, Source.B)])
    >>> d = stories_to_dict(smap, arts)
    >>> d["schema"], d["stories"][0]["origin"]["id"], d["stories"][0]["edges"][0]["a"]
    ('retold.stories/1', 'w', 'w')
"""

from __future__ import annotations

import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from typing import Any

from retold.model import Article
from retold.provenance.stories import Edge, OutletCount, OutletFigures, Story, StoryMap
from retold.report.jsonout import article_dict, evidence_dict
from retold.report.stories_html import render_stories_html

__all__ = [
    "SCHEMA_VERSION",
    "render_graphml",
    "render_stories_html",
    "render_stories_json",
    "stories_to_dict",
]

SCHEMA_VERSION = "retold.stories/1"
_DIGITS = 4
_GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"
# Characters XML 1.0 does not allow (C0 controls other than tab/newline/CR, lone surrogates,
# U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _num(x: float) -> float | None:
    value = float(x)
    return round(value, _DIGITS) if math.isfinite(value) else None


def _by_id(articles: Iterable[Article] | Mapping[str, Article]) -> Mapping[str, Article]:
    if isinstance(articles, Mapping):
        return articles
    return {a.id: a for a in articles}


def _edge(e: Edge) -> dict[str, Any]:
    return {
        "a": e.a,
        "b": e.b,
        "directed": e.directed,
        "relation": e.relation.value,
        "kind": e.kind.value if e.kind is not None and e.relation.derived else None,
        "source": e.source.value,
        "score": _num(e.score),
        "evidence": [evidence_dict(x) for x in e.evidence],
    }


def _story(s: Story, arts: Mapping[str, Article]) -> dict[str, Any]:
    return {
        "id": s.id,
        "size": len(s),
        "origin": {"id": s.origin_id, "reason": s.origin_reason},
        "articles": [article_dict(arts[i]) for i in s.article_ids],
        "edges": [_edge(e) for e in s.edges],
    }


def _counts(rows: tuple[OutletCount, ...]) -> list[dict[str, Any]]:
    return [{"outlet": r.outlet, "articles": r.articles} for r in rows]


def _outlet(f: OutletFigures) -> dict[str, Any]:
    return {
        "outlet": f.outlet,
        "articles": f.articles,
        "retold": f.retold,
        "retold_share": _num(f.retold_share),
        "sources": _counts(f.sources),
        "retold_by_others": f.retold_by_others,
        "retold_by_others_share": _num(f.retold_by_others_share),
        "copiers": _counts(f.copiers),
    }


def stories_to_dict(
    story_map: StoryMap,
    articles: Iterable[Article] | Mapping[str, Article],
    *,
    include_singletons: bool = False,
) -> dict[str, Any]:
    """Turn stories into plain JSON-ready data (schema ``retold.stories/1``).

    Args:
        story_map: The stories, from :func:`retold.provenance.stories.build_stories`.
        articles: The articles they were built from (a sequence or a mapping by id).
        include_singletons: Also list stories of a single article.

    Returns:
        A dict of str, int, float, bool, None, lists and dicts, keys in a fixed order.
    """
    arts = _by_id(articles)
    shown = [s for s in story_map.stories if include_singletons or len(s) > 1]
    return {
        "schema": SCHEMA_VERSION,
        "counts": {
            "articles": sum(len(s) for s in story_map.stories),
            "stories": sum(1 for s in story_map.stories if len(s) > 1),
            "singletons": sum(1 for s in story_map.stories if len(s) == 1),
            "edges": sum(len(s.edges) for s in story_map.stories),
            "directed_edges": sum(e.directed for s in story_map.stories for e in s.edges),
        },
        "stories": [_story(s, arts) for s in shown],
        "outlets": [_outlet(f) for f in story_map.outlets],
    }


def render_stories_json(
    story_map: StoryMap,
    articles: Iterable[Article] | Mapping[str, Article],
    *,
    include_singletons: bool = False,
    indent: int | None = 2,
) -> str:
    """Stories as a JSON document (see :func:`stories_to_dict`), ending in a newline."""
    data = stories_to_dict(story_map, articles, include_singletons=include_singletons)
    return json.dumps(data, indent=indent, ensure_ascii=False) + "\n"


def _xml(text: object) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


_NODE_KEYS = (
    ("outlet", "string"),
    ("date", "string"),
    ("title", "string"),
    ("origin", "string"),
    ("story", "string"),
    ("story_origin", "boolean"),
)
_EDGE_KEYS = (("relation", "string"), ("kind", "string"), ("source", "string"), ("score", "double"))


def render_graphml(
    story_map: StoryMap,
    articles: Iterable[Article] | Mapping[str, Article],
    *,
    include_singletons: bool = False,
) -> str:
    """The reuse graphs of all stories as one GraphML document.

    Args:
        story_map: The stories.
        articles: The articles they were built from.
        include_singletons: Also give articles whose story has no other member.

    Returns:
        A GraphML document (UTF-8 declared) with ``edgedefault="directed"``.
    """
    arts = _by_id(articles)
    ET.register_namespace("", _GRAPHML_NS)
    root = ET.Element(f"{{{_GRAPHML_NS}}}graphml")
    for scope, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for name, kind in keys:
            attrs = {"id": f"{scope[0]}_{name}", "for": scope, "attr.name": name}
            ET.SubElement(root, f"{{{_GRAPHML_NS}}}key", {**attrs, "attr.type": kind})
    graph = ET.SubElement(root, f"{{{_GRAPHML_NS}}}graph", {"id": "stories"})
    graph.set("edgedefault", "directed")
    for story in story_map.stories:
        if len(story) < 2 and not include_singletons:
            continue
        for aid in story.article_ids:
            art = arts[aid]
            node = ET.SubElement(graph, f"{{{_GRAPHML_NS}}}node", {"id": _xml(aid)})
            values: dict[str, str | None] = {
                "outlet": art.outlet,
                "date": art.date,
                "title": art.title,
                "origin": None if art.origin is None else str(art.origin),
                "story": story.id,
                "story_origin": "true" if aid == story.origin_id else "false",
            }
            _data(node, "n", values)
        for n, e in enumerate(story.edges):
            attrs = {"id": f"{story.id}-e{n}", "source": _xml(e.a), "target": _xml(e.b)}
            if not e.directed:
                attrs["directed"] = "false"
            edge = ET.SubElement(graph, f"{{{_GRAPHML_NS}}}edge", attrs)
            edge_kind = e.kind.value if e.kind is not None and e.relation.derived else None
            edge_values: dict[str, str | None] = {
                "relation": e.relation.value,
                "kind": edge_kind,
                "source": e.source.value,
                "score": repr(_num(e.score) or 0.0),
            }
            _data(edge, "e", edge_values)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _data(parent: ET.Element, scope: str, values: Mapping[str, str | None]) -> None:
    for name, value in values.items():
        if value is not None:
            data = ET.SubElement(parent, f"{{{_GRAPHML_NS}}}data", {"key": f"{scope}_{name}"})
            data.text = _xml(value)
