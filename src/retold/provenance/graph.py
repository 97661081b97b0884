"""The reuse graph of a story: edges, the likely origin, and who retells whom per outlet.

An :class:`Edge` is one pairwise result reduced to what stories need. Inside a story an edge is
*directed* (source to copy) when compare found a derivation and which side came first; an edge
whose source is ``shared`` or ``unknown``, and every same-story edge, stays undirected.

Example:
    >>> from retold.model import Relation, RewriteKind, Source
    >>> e = Edge("copy", "wire", Relation.WHOLLY_DERIVED, RewriteKind.LIGHT, 0.9, Source.B)
    >>> o = e.oriented()
    >>> (o.a, o.b, o.source.value, o.directed)
    ('wire', 'copy', 'a', True)
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time

from retold.model import Article, Comparison, Evidence, Relation, RewriteKind, Source

__all__ = [
    "Edge",
    "OutletCount",
    "OutletFigures",
    "has_time",
    "outlet_figures",
    "parse_when",
    "pick_origin",
    "source_share",
]


@dataclass(frozen=True, slots=True)
class Edge:
    """One pairwise result between two articles, as much of it as stories need.

    Attributes:
        a: Id of the first article.
        b: Id of the second article.
        relation: What compare found.
        kind: Rewrite kind when derived.
        score: Calibrated probability that one is derived from the other.
        source: Which side came first (``a``, ``b``, ``shared`` or ``unknown``).
        evidence: The direction cues, phrased with ``a`` and ``b`` as here.
    """

    a: str
    b: str
    relation: Relation
    kind: RewriteKind | None
    score: float
    source: Source
    evidence: tuple[Evidence, ...] = ()

    @classmethod
    def from_comparison(cls, c: Comparison) -> Edge:
        """The edge for a full comparison (its articles' ids, verdict and direction)."""
        v, d = c.verdict, c.direction
        return cls(c.a.id, c.b.id, v.relation, v.kind, v.score, d.source, d.evidence)

    @property
    def directed(self) -> bool:
        """True for a derivation with a known source side."""
        return self.relation.derived and self.source in (Source.A, Source.B)

    def swapped(self) -> Edge:
        """The same edge seen from the other side."""
        ev = tuple(e.swapped() for e in self.evidence)
        return replace(self, a=self.b, b=self.a, source=self.source.swapped(), evidence=ev)

    def oriented(self) -> Edge:
        """The edge with ``a`` as the source when directed, else with ``a < b``."""
        if self.directed:
            return self if self.source is Source.A else self.swapped()
        return self if self.a <= self.b else self.swapped()


@dataclass(frozen=True, slots=True)
class OutletCount:
    """How many articles of one outlet (``None``: unknown outlet) a figure counts."""

    outlet: str | None
    articles: int


@dataclass(frozen=True, slots=True)
class OutletFigures:
    """Who an outlet retells and who retells it.

    Attributes:
        outlet: The outlet name (``None`` for articles without one).
        articles: Its articles.
        retold: Its articles with an incoming derived edge from another outlet.
        sources: Per source outlet, how many of its articles were retold from that outlet.
        retold_by_others: Its articles with an outgoing derived edge to another outlet.
        copiers: Per copying outlet, how many of its articles that outlet retold.
    """

    outlet: str | None
    articles: int
    retold: int
    sources: tuple[OutletCount, ...]
    retold_by_others: int
    copiers: tuple[OutletCount, ...]

    @property
    def retold_share(self) -> float:
        """Share of its articles retold from other outlets."""
        return self.retold / self.articles if self.articles else 0.0

    @property
    def retold_by_others_share(self) -> float:
        """Share of its articles that other outlets retold."""
        return self.retold_by_others / self.articles if self.articles else 0.0

    @property
    def source_share(self) -> float:
        """How often the outlet is the source, not the copy (see :func:`source_share`)."""
        return source_share(self.retold, self.retold_by_others)


def source_share(retold: int, retold_by_others: int) -> float:
    """How often an outlet is the source, not the copy, where outlets retell each other.

    ``(retold_by_others + 1) / (retold_by_others + retold + 2)``: near 1 for a wire service that
    others retell, near 0 for a rewriter, 0.5 without evidence either way.
    """
    return (retold_by_others + 1) / (retold_by_others + retold + 2)


def parse_when(date: str | None) -> datetime | None:
    """An article date as a naive UTC datetime, or ``None`` when missing or unreadable.

    Example:
        >>> parse_when("2000-01-27T13:57+01:00")
        datetime.datetime(2000, 1, 27, 12, 57)
    """
    if not date:
        return None
    try:
        when = datetime.fromisoformat(date.strip())
    except ValueError:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(UTC).replace(tzinfo=None)
    return when


def has_time(date: str | None) -> bool:
    """Whether an article date carries a time of day, not only a day."""
    text = (date or "").strip()
    return "T" in text or " " in text


def _order_key(art: Article, retold: int = 0) -> tuple[int, datetime, int, int, str]:
    # A date without a time counts as the end of that day: a paper dated the 27th printed its
    # story by then at the latest, so it never looks earlier than a timed wire item of that day.
    # Among equal dates, the member most others were retold from comes first, then the fullest.
    when = parse_when(art.date)
    if when is None:
        return (1, datetime.max, -retold, -len(art.body_span), art.id)
    if not has_time(art.date):
        when = datetime.combine(when.date(), time.max)
    return (0, when, -retold, -len(art.body_span), art.id)


def pick_origin(members: Sequence[Article], edges: Iterable[Edge]) -> tuple[str, str]:
    """Choose a story's likely origin and say why.

    The origin is the earliest dated member, among those with no incoming derived edge; among
    equal dates, the one most members were retold from, then the fullest (longest body).
    Undated members come after dated ones. When every member has an incoming derived edge
    (directions that contradict each other), all members are candidates and the reason says so.

    Args:
        members: The story's articles.
        edges: Its edges, oriented (:meth:`Edge.oriented`).

    Returns:
        The origin's id and the reason, in words.
    """
    directed = [e for e in edges if e.directed]
    copies = {e.b for e in directed}
    retold = Counter(e.a for e in directed)
    free = [m for m in members if m.id not in copies]
    pool = free or list(members)
    ranked = sorted(pool, key=lambda m: _order_key(m, retold[m.id]))
    best = ranked[0]
    if len(members) == 1:
        return best.id, "only article of its story"
    key = _order_key(best, retold[best.id])
    if free:
        why = f"{len(free)} of {len(members)} articles have no incoming derived edge"
    else:
        why = "every article has an incoming derived edge (conflicting directions)"
    n = retold[best.id]
    others = "other" if n == 1 else "others"
    chosen = f"the source of {n} {others}" if n else f"fullest ({-key[3]} chars)"
    if key[0] == 1:
        return best.id, f"{why}; none is dated; {chosen}"
    ties = sum(1 for m in pool if _order_key(m)[:2] == key[:2])
    dated = f"{why}; earliest dated ({best.date})"
    if ties > 1:
        return best.id, f"{dated}; {chosen}, of {ties} with that date"
    return best.id, dated


def _same_outlet(a: Article, b: Article) -> bool:
    return a.outlet is not None and a.outlet == b.outlet


def _counts(counter: Counter[str | None]) -> tuple[OutletCount, ...]:
    rows = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0] is None, kv[0] or ""))
    return tuple(OutletCount(o, n) for o, n in rows)


def outlet_figures(
    articles: Mapping[str, Article], edges: Iterable[Edge]
) -> tuple[OutletFigures, ...]:
    """Per outlet: its articles, how many it retold from others and from whom, and vice versa.

    Only directed edges between different outlets count (an agency's own updates of its story
    are not retelling). Articles without an outlet form one ``None`` group and count as another
    outlet to everyone.

    Args:
        articles: All articles by id.
        edges: Oriented edges of all stories.

    Returns:
        Figures per outlet, most articles first, the ``None`` group last among equals.
    """
    sources: dict[str, set[str | None]] = {}
    copiers: dict[str, set[str | None]] = {}
    for e in edges:
        if not e.directed:
            continue
        src, cpy = articles[e.a], articles[e.b]
        if _same_outlet(src, cpy):
            continue
        sources.setdefault(cpy.id, set()).add(src.outlet)
        copiers.setdefault(src.id, set()).add(cpy.outlet)
    per: dict[str | None, list[Article]] = {}
    for art in articles.values():
        per.setdefault(art.outlet, []).append(art)
    out = []
    for outlet, arts in per.items():
        src_count: Counter[str | None] = Counter()
        cpy_count: Counter[str | None] = Counter()
        for art in arts:
            src_count.update(sources.get(art.id, ()))
            cpy_count.update(copiers.get(art.id, ()))
        retold = sum(1 for a in arts if a.id in sources)
        by_others = sum(1 for a in arts if a.id in copiers)
        out.append(
            OutletFigures(
                outlet, len(arts), retold, _counts(src_count), by_others, _counts(cpy_count)
            )
        )
    return tuple(sorted(out, key=lambda f: (-f.articles, f.outlet is None, f.outlet or "")))
