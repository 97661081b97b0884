"""Stories output: JSON schema, GraphML validity, and the self-contained HTML overview."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from retold.model import Article, Evidence, Origin, Relation, RewriteKind, Source
from retold.provenance.stories import Edge, StoryMap, build_stories
from retold.report.stories import (
    SCHEMA_VERSION,
    render_graphml,
    render_stories_html,
    render_stories_json,
    stories_to_dict,
)
from retold.report.stories_html import layout_story

G = "{http://graphml.graphdrawing.org/xmlns}"
HOSTILE = "<script>alert('x')</script> & \"quotes\" \x01\x0b"


def corpus() -> tuple[list[Article], list[Edge]]:
    """A wire story with two copies and a same-story article; a second pair; a loner."""
    arts = [
        Article.from_text(
            "w" * 900,
            id="wire",
            title="Court hears appeal",
            date="2000-01-27T03:03",
            outlet="PA",
            origin=Origin("pa/wire.txt"),
        ),
        Article.from_text(
            "c" * 400,
            id="sun",
            title=HOSTILE,
            date="2000-01-28",
            outlet="sun",
            origin=Origin("feed.jsonl", 3),
        ),
        Article.from_text(
            "t" * 500, id="times", title="Appeal heard", date="2000-01-28", outlet="times"
        ),
        Article.from_text(
            "g" * 700, id="guardian", title="Own reporting", date="2000-01-28", outlet="guardian"
        ),
        Article.from_text("x" * 300, id="other1", title="Other", date="2000-02-03", outlet="PA"),
        Article.from_text(
            "y" * 300, id="other2", title="Other copy", date="2000-02-03", outlet="mail"
        ),
        Article.from_text("z" * 300, id="loner", title="Loner", date="2000-03-01"),
    ]
    ev = Evidence("date", Source.A, 1.5, "`a` is dated before `b`")
    edges = [
        Edge("wire", "sun", Relation.WHOLLY_DERIVED, RewriteKind.VERBATIM, 0.95, Source.A, (ev,)),
        Edge("times", "wire", Relation.PARTIALLY_DERIVED, RewriteKind.HEAVY, 0.7, Source.B),
        Edge("guardian", "wire", Relation.SAME_STORY, None, 0.1, Source.UNKNOWN),
        Edge("guardian", "times", Relation.SAME_STORY, None, 0.1, Source.UNKNOWN),
        Edge("sun", "times", Relation.PARTIALLY_DERIVED, RewriteKind.LIGHT, 0.6, Source.SHARED),
        Edge("other1", "other2", Relation.WHOLLY_DERIVED, RewriteKind.LIGHT, 0.9, Source.A),
        Edge("loner", "wire", Relation.UNRELATED, None, 0.0, Source.UNKNOWN),
    ]
    return arts, edges


def story_map() -> tuple[list[Article], StoryMap]:
    arts, edges = corpus()
    return arts, build_stories(arts, edges)


def test_json_schema_lists_stories_with_origins_and_oriented_edges() -> None:
    arts, smap = story_map()
    data = json.loads(render_stories_json(smap, arts))
    assert data["schema"] == SCHEMA_VERSION
    assert data["counts"] == {
        "articles": 7,
        "stories": 2,
        "singletons": 1,
        "edges": 6,
        "directed_edges": 3,
    }
    big = data["stories"][0]
    assert big["origin"]["id"] == "wire"
    assert {a["id"] for a in big["articles"]} == {"wire", "sun", "times", "guardian"}
    sun = next(a for a in big["articles"] if a["id"] == "sun")
    assert sun["origin"] == {"path": "feed.jsonl", "record": 3}
    edges = {(e["a"], e["b"]): e for e in big["edges"]}
    assert edges["wire", "times"]["directed"] is True  # given as times <- wire, source b
    assert edges["wire", "times"]["source"] == "a"
    assert edges["sun", "times"]["directed"] is False
    assert edges["guardian", "wire"]["kind"] is None
    assert edges["wire", "sun"]["evidence"][0]["favours"] == "a"
    outlets = {o["outlet"]: o for o in data["outlets"]}
    assert outlets["times"]["retold"] == 1
    assert outlets["PA"]["retold_by_others"] == 2
    with_single = stories_to_dict(smap, arts, include_singletons=True)
    assert len(with_single["stories"]) == 3


def test_json_is_byte_stable_across_input_order() -> None:
    arts, edges = corpus()
    one = render_stories_json(build_stories(arts, edges), arts)
    two = render_stories_json(build_stories(arts[::-1], edges[::-1]), arts[::-1])
    assert one == two


def test_graphml_parses_with_right_counts_and_attributes() -> None:
    arts, smap = story_map()
    text = render_graphml(smap, arts)
    root = ET.fromstring(text.encode("utf-8"))
    graph = root.find(f"{G}graph")
    assert graph is not None
    assert graph.get("edgedefault") == "directed"
    nodes = graph.findall(f"{G}node")
    edges = graph.findall(f"{G}edge")
    assert len(nodes) == 6  # the loner is left out
    assert len(edges) == sum(len(s.edges) for s in smap.stories) == 6
    keys = {k.get("id"): k.get("attr.name") for k in root.findall(f"{G}key")}
    for needed in ("outlet", "date", "title", "origin"):
        assert f"n_{needed}" in keys
    for needed in ("relation", "kind", "source", "score"):
        assert f"e_{needed}" in keys
    sun = next(n for n in nodes if n.get("id") == "sun")
    title = next(d.text for d in sun.findall(f"{G}data") if d.get("key") == "n_title")
    assert title is not None
    assert title.startswith("<script>alert('x')</script> & \"quotes\"")
    undirected = [e for e in edges if e.get("directed") == "false"]
    assert len(undirected) == 3
    node_ids = {n.get("id") for n in nodes}
    assert all(e.get("source") in node_ids and e.get("target") in node_ids for e in edges)
    full = ET.fromstring(render_graphml(smap, arts, include_singletons=True).encode("utf-8"))
    assert len(full.findall(f"{G}graph/{G}node")) == 7


class _Checker(HTMLParser):
    VOID = frozenset({"meta", "input", "br", "img", "hr", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []
        self.hrefs: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.scripts += 1
        if tag == "a":
            self.hrefs.extend(v or "" for k, v in attrs if k == "href")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> with open {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.errors == []
    assert checker.stack == []
    return checker


def test_html_escapes_hostile_title_and_is_well_formed() -> None:
    arts, smap = story_map()
    page = render_stories_html(smap, arts)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "\x01" not in page
    assert "\x0b" not in page
    checker = check_html(page)
    assert checker.scripts == 1  # only the page's own filter script
    assert "http" not in page.replace("http-equiv", "").replace("http://www.w3.org/2000/svg", "")
    assert "Content-Security-Policy" in page
    assert "default-src 'none'" in page
    assert page.count("<svg xmlns") == 2  # one drawn graph per story of two or more
    text = "".join(checker.text)
    assert "Court hears appeal" in text
    assert "Loner" not in text


def test_html_links_edges_to_pair_pages_and_drops_unsafe_links() -> None:
    arts, smap = story_map()
    page = render_stories_html(smap, arts, pair_link=lambda a, b: f"pairs/{a}--{b}.html?x=1&y=2")
    hrefs = check_html(page).hrefs
    pair_hrefs = [h for h in hrefs if h.startswith("pairs/")]
    assert len(pair_hrefs) == 6
    assert "pairs/wire--sun.html?x=1&y=2" in pair_hrefs
    assert "?x=1&amp;y=2" in page
    evil = render_stories_html(smap, arts, pair_link=lambda a, b: "javascript:alert(1)")
    assert "javascript:" not in evil


def test_layout_puts_origin_left_and_copies_by_depth() -> None:
    arts, smap = story_map()
    by_id = {a.id: a for a in arts}
    pos = layout_story(smap.stories[0], by_id)
    assert pos["wire"] == (0, 0)
    assert pos["sun"][0] == pos["times"][0] == 1
    assert pos["guardian"][0] == 1  # reached only through undirected edges from the origin
    assert len(set(pos.values())) == len(pos)
