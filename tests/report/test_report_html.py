from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from report_pairs import HOSTILE_A, Builder, hostile_pair, wire_and_rewrite

from retold.model import (
    Article,
    Comparison,
    Direction,
    Origin,
    Passage,
    Relation,
    RewriteKind,
    Source,
    Span,
    Verdict,
)
from retold.report import render_html, to_dict

VOID = {"meta", "br", "img", "hr", "input", "link", "wbr", "col", "area", "base", "source"}
OUR_ATTRS = {"lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "data-p",
             "open"}  # fmt: skip
BAD_CHARS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


@dataclass
class Page(HTMLParser):
    """Checks nesting and collects what the tests look at."""

    errors: list[str] = field(default_factory=list)
    stack: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    attrs: list[tuple[str, str, str]] = field(default_factory=list)
    elements: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    text: dict[str, str] = field(default_factory=lambda: {"a": "", "b": ""})
    highlighted: dict[tuple[str, int], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        HTMLParser.__init__(self, convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = {k: v or "" for k, v in attrs}
        self.elements.append((tag, d))
        for k, v in d.items():
            self.attrs.append((tag, k, v))
        if "id" in d:
            if d["id"] in self.ids:
                self.errors.append(f"duplicate id {d['id']}")
            self.ids.add(d["id"])
        if tag not in VOID:
            self.stack.append((tag, d))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing {tag}")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"unbalanced </{tag}> with open {[t for t, _ in self.stack]}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.stack]
        if tags and tags[-1] == "script":
            self.scripts.append(data)
        if tags and tags[-1] == "style":
            self.styles.append(data)
        side = next((d["id"][5:] for _, d in self.stack if d.get("id", "")[:5] == "text-"), None)
        if side is None or any("cut" in d.get("class", "") for _, d in self.stack):
            return
        self.text[side] += data
        for t, d in self.stack:
            if t == "a" and "seg" in d.get("class", ""):
                for n in d["data-p"].split():
                    key = (side, int(n))
                    self.highlighted[key] = self.highlighted.get(key, "") + data


def parse(page: str) -> Page:
    p = Page()
    p.feed(page)
    p.close()
    assert p.errors == []
    assert p.stack == []
    return p


def _shown(text: str) -> str:
    return BAD_CHARS.sub("\ufffd", text)


def test_page_shows_both_articles_whole_and_every_passage() -> None:
    pair = wire_and_rewrite()
    c = pair.comparison
    page = parse(render_html(c))
    assert page.text == {"a": c.a.text, "b": c.b.text}
    for n, (want_a, want_b) in enumerate(pair.expected, 1):
        assert page.highlighted[("a", n)] == want_a
        assert page.highlighted[("b", n)] == want_b
        assert {f"a-p{n}", f"b-p{n}"} <= page.ids


def test_every_link_is_internal_and_lands_on_the_counterpart() -> None:
    page = parse(render_html(wire_and_rewrite(overlap=True).comparison))
    hrefs = [v for _, k, v in page.attrs if k == "href"]
    assert hrefs
    for href in hrefs:
        assert href.startswith("#")
        assert href[1:] in page.ids
    segs = [d for t, d in page.elements if t == "a" and "seg" in d.get("class", "")]
    assert len(segs) >= 8
    a_text_segs = 0
    for d in segs:
        primary = d["data-p"].split()[0]
        assert re.fullmatch(r"#[ab]-p\d+", d["href"])
        assert d["href"].endswith(f"-p{primary}")
        a_text_segs += d["href"].startswith("#b-")
    assert a_text_segs == len(segs) / 2  # a's highlights point into b and b's into a
    assert not [v for _, k, v in page.attrs if k in ("src", "action", "style")]


def test_overlapping_passages_are_well_formed_and_each_is_whole() -> None:
    pair = wire_and_rewrite(overlap=True)
    page = parse(render_html(pair.comparison))
    for n, (want_a, want_b) in enumerate(pair.expected, 1):
        assert page.highlighted[("a", n)] == want_a
        assert page.highlighted[("b", n)] == want_b
    segs = [d for t, d in page.elements if t == "a" and "seg" in d.get("class", "")]
    # Passage 3 spans passages 2 and 4; where they overlap, the shorter (inner) one leads.
    covers = {d["data-p"]: (d["href"], d["class"]) for d in segs if d["href"][1] == "b"}
    assert covers["2 3"][0] == "#b-p2"
    assert "k-verbatim multi" in covers["2 3"][1]
    assert covers["4 3"][0] == "#b-p4"
    assert covers["3"][0] == "#b-p3"


def test_hostile_article_cannot_inject_markup_or_script() -> None:
    pair = hostile_pair()
    c = pair.comparison
    html = render_html(c)
    page = parse(html)
    js = (files("retold.report") / "templates" / "report.js").read_text(encoding="utf-8")
    assert page.scripts == [js]
    tags = {t for t, _, _ in page.attrs} | {t for t, _ in page.stack}
    assert "img" not in tags
    assert "textarea" not in tags
    assert not re.search(r"<(script|img|textarea|b)\b[^>]*(alert|onerror|onmouseover)", html)
    for tag, name, value in page.attrs:
        assert name in OUR_ATTRS, (tag, name)
        for needle in ("alert", "onmouseover", "onerror", "textarea", "<", ">", '"', "pwned"):
            assert needle not in value or (tag, name) == ("meta", "content"), (tag, name, value)
    # The text still reads as written (control characters shown as U+FFFD).
    assert page.text == {"a": _shown(c.a.text), "b": _shown(c.b.text)}
    for n, (want_a, _) in enumerate(pair.expected, 1):
        assert page.highlighted[("a", n)] == _shown(want_a)
    assert HOSTILE_A[0] in page.text["a"]


def test_csp_allows_exactly_the_inline_style_and_script() -> None:
    page = parse(render_html(wire_and_rewrite().comparison))
    csp = next(v for t, k, v in page.attrs if t == "meta" and k == "content" and "src" in v)
    assert "default-src 'none'" in csp
    assert "http" not in csp
    assert "unsafe" not in csp

    def digest(body: str) -> str:
        return base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()

    assert f"script-src 'sha256-{digest(page.scripts[0])}'" in csp
    assert f"style-src 'sha256-{digest(page.styles[0])}'" in csp
    assert "url(" not in page.styles[0]
    assert "@import" not in page.styles[0]


def test_huge_article_output_is_bounded() -> None:
    b = Builder()
    b.add("x " * 300_000)
    span = b.add("the copied part", "p")
    b.add(" y" * 300_000)
    art = Article.from_text(b.text, id="huge")
    small = Article.from_text("the copied part", id="small")
    c = Comparison(
        art,
        small,
        Verdict(Relation.PARTIALLY_DERIVED, RewriteKind.VERBATIM, 0.5),
        tuple(Passage(span, Span(0, 15), RewriteKind.VERBATIM, 1.0) for _ in range(3)),
        (),
        Direction(Source.UNKNOWN, 0.0),
    )
    html = render_html(c, max_chars=1_000, max_passages=2)
    assert len(html) < 20_000
    page = parse(html)
    assert page.text["a"] == b.text[:1_000]
    assert f"{len(b.text) - 1_000} more characters not shown" in html
    assert "1 more passages not shown" in html
    assert {"a-p1", "a-p2", "b-p1", "b-p2"} <= page.ids
    assert "a-p3" not in page.ids


@st.composite
def comparisons(draw: st.DrawFn) -> Comparison:
    alphabet = st.characters(codec="utf-8") | st.sampled_from("<>&\"'\n\r\t\x00\x1b")
    ta = draw(st.text(alphabet, max_size=60))
    tb = draw(st.text(alphabet, max_size=60))

    def span(n: int) -> st.SearchStrategy[Span]:
        return st.tuples(st.integers(0, n), st.integers(0, n)).map(lambda t: Span(*sorted(t)))

    passages = draw(
        st.lists(
            st.builds(
                Passage,
                span(len(ta)),
                span(len(tb)),
                st.sampled_from(list(RewriteKind)),
                st.floats(0, 1),
                st.floats(0, 1),
                st.floats(-1, 1),
            ),
            max_size=6,
        )
    )
    return Comparison(
        Article.from_text(ta, title=draw(st.text(alphabet, max_size=10)) or None),
        Article.from_text(tb),
        Verdict(Relation.WHOLLY_DERIVED, RewriteKind.LIGHT, draw(st.floats(0, 1))),
        tuple(passages),
        (),
        Direction(Source.UNKNOWN, 0.0),
    )


@settings(max_examples=150, deadline=None)
@given(comparisons())
def test_random_texts_and_spans_give_well_formed_html_and_in_bounds_json(c: Comparison) -> None:
    page = parse(render_html(c))
    assert page.text == {"a": _shown(c.a.text), "b": _shown(c.b.text)}
    for n, p in enumerate(c.passages, 1):
        assert page.highlighted.get(("a", n), "") == _shown(p.a.slice(c.a.text))
        assert page.highlighted.get(("b", n), "") == _shown(p.b.slice(c.b.text))
        assert {f"a-p{n}", f"b-p{n}"} <= page.ids
    d = json.loads(json.dumps(to_dict(c)))
    for p in d["passages"]:
        for side in ("a", "b"):
            assert 0 <= p[side]["start"] <= p[side]["end"] <= d[side]["length"]


def test_real_article_text_renders_whole(seeds: tuple[Path, Path]) -> None:
    # Real text from ../shared; spans placed at fixed fractions, overlapping on purpose.
    ta, tb = (p.read_text(encoding="utf-8") for p in seeds)
    na, nb = len(ta), len(tb)
    passages = (
        Passage(Span(na // 10, na // 2), Span(nb // 5, nb // 2), RewriteKind.LIGHT, 0.7),
        Passage(Span(na // 3, 2 * na // 3), Span(nb // 3, nb), RewriteKind.HEAVY, 0.4),
        Passage(Span(na // 2, na // 2 + 40), Span(0, 40), RewriteKind.VERBATIM, 1.0),
    )
    c = Comparison(
        Article.from_text(ta, origin=Origin(str(seeds[0]))),
        Article.from_text(tb, origin=Origin(str(seeds[1]))),
        Verdict(Relation.PARTIALLY_DERIVED, RewriteKind.LIGHT, 0.6),
        passages,
        (),
        Direction(Source.UNKNOWN, 0.0),
    )
    page = parse(render_html(c))
    assert page.text == {"a": _shown(ta), "b": _shown(tb)}
    for n, p in enumerate(passages, 1):
        assert page.highlighted[("a", n)] == _shown(p.a.slice(ta))
        assert page.highlighted[("b", n)] == _shown(p.b.slice(tb))
