"""Hand-built comparisons for the report tests.

Each article is assembled from parts; the builder records where every part lands, so passage spans
are known without searching the text. The stories are invented for these tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from retold.model import (
    Article,
    Comparison,
    Direction,
    Evidence,
    FactDiff,
    FactKind,
    FactStatus,
    Origin,
    Passage,
    Relation,
    RewriteKind,
    Source,
    Span,
    Verdict,
)


@dataclass
class Builder:
    """Concatenates parts, remembering the span of each named part."""

    parts: list[str] = field(default_factory=list)
    spans: dict[str, Span] = field(default_factory=dict)
    size: int = 0

    def add(self, text: str, name: str | None = None) -> Span:
        span = Span(self.size, self.size + len(text))
        self.parts.append(text)
        self.size += len(text)
        if name is not None:
            self.spans[name] = span
        return span

    @property
    def text(self) -> str:
        return "".join(self.parts)


@dataclass(frozen=True)
class Pair:
    """A comparison plus the passage texts it was built from (a side, b side)."""

    comparison: Comparison
    expected: tuple[tuple[str, str], ...]


WIRE_P1 = (
    "PORT ELLIS, March 3 (Wirepress) - A construction crane collapsed onto the Harbour Bridge on "
    "Tuesday, injuring 4 workers and closing the crossing to traffic."
)
QUOTE_LEAD = '"We heard a sound like thunder," said dock supervisor '
WIRE_P2 = QUOTE_LEAD + "Maria Okafor."
COST_LEAD = "Officials said repairs would cost about "
WIRE_P3 = COST_LEAD + "12 million dollars."
REWRITE_P1 = (
    "A crane came down on the Harbour Bridge on Tuesday, hurting four workers and shutting the "
    "crossing."
)
REWRITE_COST_LEAD = "City officials said repairs could cost about "
REWRITE_P3 = REWRITE_COST_LEAD + "15 million dollars."


def wire_and_rewrite(*, overlap: bool = False, source: Source = Source.A) -> Pair:
    """A short wire story (a) and a newspaper rewrite of it (b).

    Args:
        overlap: Also add a passage spanning the second and third sentences on both sides,
            overlapping two others.
        source: The side the direction names as the source.
    """
    a, b = Builder(), Builder()
    a.add("Harbour bridge closed after crane collapse\n\n")
    a.add(WIRE_P1, "p1")
    a.add(" ")
    a.add(WIRE_P2, "p2")
    a.add(" ")
    a.add(WIRE_P3, "p3")
    a.add(" The bridge carries roughly ")
    a.add("40,000", "n40")
    a.add(" vehicles a day.\n")

    b.add("Crane crash shuts bridge\n\nBy a staff reporter\n\n")
    b.add(REWRITE_P1, "p1")
    b.add("\n\n")
    b.add(WIRE_P2, "p2")
    b.add(" ")
    b.add(REWRITE_P3, "p3")
    b.add(" Shop owners said the closure was a disaster.\n")

    # Facts: positions inside the parts, from known offsets of the parts themselves.
    name_at, a_cost, b_cost = len(QUOTE_LEAD), len(COST_LEAD), len(REWRITE_COST_LEAD)
    a_name = Span(a.spans["p2"].start + name_at, a.spans["p2"].start + name_at + 12)
    b_name = Span(b.spans["p2"].start + name_at, b.spans["p2"].start + name_at + 12)
    a_12 = Span(a.spans["p3"].start + a_cost, a.spans["p3"].start + a_cost + 2)
    b_15 = Span(b.spans["p3"].start + b_cost, b.spans["p3"].start + b_cost + 2)

    art_a = Article.from_text(
        a.text,
        title="Harbour bridge closed after crane collapse",
        date="2024-03-03T09:12:00Z",
        outlet="Wirepress",
        origin=Origin("/data/wire/bridge.txt"),
        body=Span(a.spans["p1"].start, a.size),
    )
    art_b = Article.from_text(
        b.text,
        title="Crane crash shuts bridge",
        date="2024-03-03T15:40:00Z",
        outlet="The Daily Example",
        url="https://example.org/news/bridge",
        origin=Origin("papers/example.jsonl", record=7),
    )
    passages = [
        Passage(a.spans["p1"], b.spans["p1"], RewriteKind.HEAVY, 0.6125, 0.4, 0.83),
        Passage(a.spans["p2"], b.spans["p2"], RewriteKind.VERBATIM, 1.0, 1.0, 1.0),
        Passage(a.spans["p3"], b.spans["p3"], RewriteKind.LIGHT, 0.8812, 0.75, 0.95),
    ]
    if overlap:
        wide_a = a.spans["p2"].cover(a.spans["p3"])
        wide_b = b.spans["p2"].cover(b.spans["p3"])
        passages.append(Passage(wide_a, wide_b, RewriteKind.LIGHT, 0.9, 0.85, 0.97))
    passages.sort(key=lambda p: (p.a.start, p.a.end, p.b.start, p.b.end))
    facts = (
        FactDiff(FactKind.NAME, FactStatus.BOTH, a_name, b_name, "Maria Okafor", "Maria Okafor"),
        FactDiff(FactKind.NUMBER, FactStatus.CHANGED, a_12, b_15, "12", "15"),
        FactDiff(FactKind.NUMBER, FactStatus.ONLY_A, a.spans["n40"], None, "40,000", None),
    )
    evidence = (
        Evidence("date", source, 1.25, "`a` is dated 6 hours before `b`"),
        Evidence("containment", source, 0.5, "most of `b` is found in `a`"),
    )
    c = Comparison(
        art_a,
        art_b,
        Verdict(
            Relation.WHOLLY_DERIVED,
            RewriteKind.LIGHT,
            0.9375,
            (
                (Relation.UNRELATED, 0.0125),
                (Relation.SAME_STORY, 0.05),
                (Relation.PARTIALLY_DERIVED, 0.2),
                (Relation.WHOLLY_DERIVED, 0.7375),
            ),
        ),
        tuple(passages),
        facts,
        Direction(source, 0.875, evidence),
        {"containment_a": 0.8125, "containment_b": 0.5, "passages": 3.0},
    )
    expected = tuple((p.a.slice(a.text), p.b.slice(b.text)) for p in passages)
    return Pair(c, expected)


HOSTILE_A = (
    '<script>alert("a")</script>',
    '" onmouseover="alert(1)" x="',
    "</textarea><textarea>",
    "'><img src=x onerror=alert(2)>",
    "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x9b2J \u202eevil\u202c \x00\x07\x08",
)


def hostile_pair() -> Pair:
    """Articles full of markup, quotes and terminal escapes, each piece inside a passage."""
    a, b = Builder(), Builder()
    a.add("Plain opening words. ")
    b.add("Another opening. ")
    for i, piece in enumerate(HOSTILE_A):
        a.add(piece, f"h{i}")
        a.add(" and then ")
        b.add("copied: ")
        b.add(piece, f"h{i}")
        b.add("\n")
    art_a = Article.from_text(
        a.text, title='</title><script>alert("t")</script>', origin=Origin('x/"><b>.txt')
    )
    art_b = Article.from_text(b.text, title="\x1b[2J<b onmouseover=alert(3)>", outlet="&amp;")
    passages = tuple(
        Passage(a.spans[f"h{i}"], b.spans[f"h{i}"], RewriteKind.VERBATIM, 1.0, 1.0, 1.0)
        for i in range(len(HOSTILE_A))
    )
    facts = (
        FactDiff(
            FactKind.QUOTE,
            FactStatus.BOTH,
            a.spans["h0"],
            b.spans["h0"],
            HOSTILE_A[0],
            HOSTILE_A[0],
        ),
        FactDiff(FactKind.NAME, FactStatus.ONLY_B, None, b.spans["h4"], None, HOSTILE_A[4]),
    )
    direction = Direction(
        Source.A, 0.5, (Evidence("<cue>", Source.A, 1.0, '"><script>x</script> \x1b[5m'),)
    )
    c = Comparison(
        art_a,
        art_b,
        Verdict(Relation.PARTIALLY_DERIVED, RewriteKind.VERBATIM, 0.75),
        passages,
        facts,
        direction,
    )
    return Pair(c, tuple((p.a.slice(a.text), p.b.slice(b.text)) for p in passages))
