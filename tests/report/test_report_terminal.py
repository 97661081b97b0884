from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import pytest
from report_pairs import HOSTILE_A, WIRE_P2, Builder, hostile_pair, wire_and_rewrite

from retold.model import (
    Article,
    Comparison,
    Direction,
    Passage,
    Relation,
    RewriteKind,
    Source,
    Span,
    Verdict,
)
from retold.report import render_terminal

SGR = re.compile(r"\x1b\[[0-9;]*m")


def display_width(line: str) -> int:
    return sum(
        0
        if unicodedata.combining(ch)
        else 2
        if unicodedata.east_asian_width(ch) in ("W", "F")
        else 1
        for ch in line
    )


def test_plain_report_has_verdict_evidence_passages_and_facts() -> None:
    c = wire_and_rewrite().comparison
    out = render_terminal(c, color=False)
    lines = out.splitlines()
    assert lines[0].startswith("retold: wholly_derived, kind light  score 0.94")
    assert "direction: a is the source (confidence 0.88)" in out
    assert "`a` is dated 6 hours before `b`" in out
    for p in c.passages:
        assert f"a [{p.a.start}, {p.a.end})" in out
        assert f"b [{p.b.start}, {p.b.end})" in out
    # The verbatim quote appears on both sides of the same rows.
    rows = [ln for ln in lines if "│" in ln and "thunder" in ln]
    assert rows
    assert all(ln.count("We heard a sound") == 2 for ln in rows)
    joined = " ".join(ln.split("│")[0].strip() for ln in lines if "│" in ln)
    assert WIRE_P2 in joined
    changed = lines.index("  changed (1)")
    assert "'12' → '15'" in lines[changed + 1]
    assert lines.index("  only in a (1)") > changed
    assert "'40,000'" in out


def test_color_false_has_no_escape_at_all_even_for_hostile_text() -> None:
    out = render_terminal(hostile_pair().comparison, color=False)
    assert "\x1b" not in out
    assert "\x9b" not in out
    assert not any(unicodedata.category(ch) == "Cc" for ch in out.replace("\n", ""))
    assert "\u202e" not in out
    assert "pwned" not in out
    assert "RED" in out
    assert HOSTILE_A[0] in out


def test_color_true_only_our_sgr_codes_survive() -> None:
    c = hostile_pair().comparison
    out = render_terminal(c, color=True)
    assert SGR.search(out)  # our colours are there
    rest = SGR.sub("", out)
    assert "\x1b" not in rest
    assert "\x9b" not in rest
    assert "\x07" not in rest
    assert "\u202e" not in rest
    # Every escape sequence in the output is a colour code, and taking the colour codes out
    # gives exactly the plain report: nothing from the article survived as an escape.
    assert [m.group() for m in SGR.finditer(out)] == re.findall(r"\x1b[^a-zA-Z]*[a-zA-Z]", out)
    assert rest == render_terminal(c, color=False)


@pytest.mark.parametrize("width", [40, 72, 100, 160])
def test_lines_fit_the_width(width: int) -> None:
    out = render_terminal(wire_and_rewrite(overlap=True).comparison, color=False, width=width)
    assert max(display_width(ln) for ln in out.splitlines()) <= width


def test_long_passages_are_cut_to_max_lines_with_an_ellipsis() -> None:
    a, b = Builder(), Builder()
    sa = a.add("The council met again. " * 4_000, "p")
    sb = b.add("東京の会議がまた開かれた。" * 4_000 + "tail", "p")
    c = Comparison(
        Article.from_text(a.text),
        Article.from_text(b.text),
        Verdict(Relation.WHOLLY_DERIVED, RewriteKind.HEAVY, 0.9),
        (Passage(sa, sb, RewriteKind.HEAVY, 0.7),),
        (),
        Direction(Source.UNKNOWN, 0.0),
    )
    out = render_terminal(c, color=False, width=80, max_lines=5)
    rows = [ln for ln in out.splitlines() if "│" in ln]
    assert len(rows) == 6  # offsets row + 5 text rows
    assert rows[-1].split("│")[0].rstrip().endswith("…")
    assert rows[-1].rstrip().endswith("…")
    assert max(display_width(ln) for ln in out.splitlines()) <= 80
    assert "tail" not in out
    assert len(out) < 5_000


def test_header_shows_unknown_and_shared_direction() -> None:
    c = wire_and_rewrite().comparison
    shared = replace(c, direction=Direction(Source.SHARED, 0.4))
    unknown = replace(c, direction=Direction(Source.UNKNOWN, 0.0), passages=(), facts=())
    assert "both draw on a shared source" in render_terminal(shared, color=False)
    out = render_terminal(unknown, color=False)
    assert "source unknown" in out
    assert "passages (0)" in out
    assert "facts (0)" in out


def test_empty_and_whitespace_passages_render() -> None:
    art = Article.from_text("   \n\n  x")
    c = Comparison(
        art,
        art,
        Verdict(Relation.UNRELATED, None, 0.0),
        (Passage(Span(0, 5), Span(2, 2), RewriteKind.LIGHT, 0.1),),
        (),
        Direction(Source.UNKNOWN, 0.0),
    )
    out = render_terminal(c, color=False)
    assert "a [0, 5)" in out
    assert "b [2, 2)" in out


def test_a_body_cut_to_the_size_bound_is_said_for_its_side_only(seeds) -> None:  # type: ignore[no-untyped-def]
    from retold.config import CompareOptions
    from retold.ingest import read_article
    from retold.pipeline import Comparer

    a, b = (read_article(p) for p in seeds)
    bound = (len(b.text) + len(a.text)) // 2  # between the two lengths
    long_side = "a" if len(a.text) > len(b.text) else "b"
    result = Comparer(CompareOptions(max_chars=bound)).compare(a, b)
    out = render_terminal(result, color=False, width=100)
    notes = [line for line in out.splitlines() if "size bound" in line]
    assert len(notes) == 1 and f"{long_side}'s body" in notes[0]
    swapped = render_terminal(result.swapped(), color=False, width=100)
    other = "b" if long_side == "a" else "a"
    assert f"{other}'s body is past the size bound" in swapped


@pytest.mark.parametrize(
    ("relation", "said"),
    [
        (Relation.WHOLLY_DERIVED, "a is the source"),
        (Relation.PARTIALLY_DERIVED, "a is the source"),
        (Relation.SAME_STORY, "a came first"),
    ],
)
def test_the_direction_is_worded_to_match_the_relation(relation: Relation, said: str) -> None:
    from retold.report import render_html

    c = wire_and_rewrite().comparison
    c = replace(
        c,
        verdict=replace(c.verdict, relation=relation),
        direction=replace(c.direction, source=Source.A),
    )
    assert f"direction: {said}" in render_terminal(c, color=False)
    assert said in render_html(c)
    swapped = render_terminal(c.swapped(), color=False)
    assert f"direction: {said.replace('a ', 'b ', 1)}" in swapped
