"""Wire versions: several articles of one story from one outlet, read as one source.

A news agency files a story several times a day -- a first snap, updates, a fuller lead -- and a
paper writes from all of them. Compared one at a time, each take explains only a part of the
paper; it is often shorter than the paper, which turns the pair's direction around (the
direction model learnt that a copy is the cut-down text); and other papers of the story, written
from the same takes, explain more of it. So the takes are read joined:

- ``query`` joins the versions among its matches (:func:`version_groups`), compares the query
  with them, ranks each version by the better of its own comparison and the joined one, and
  reports the joined direction (:class:`VersionGroup`);
- ``stories`` finds versions from its edges (:func:`versions_from_edges`), compares each
  article of another outlet that retells one of them, or tells its story, with the versions
  joined (:func:`unit_pairs`), and directs those edges by that comparison
  (:func:`redirect_by_versions`). A same_story edge becomes derived when the joined versions
  are its source and retell no other outlet's article: a paper that drew a paragraph from each
  of four takes is a partial copy of none of them alone.

Joining has a pull of its own: the joined text is longer than any version and more of it lies
outside the passages another article shares, and the direction model reads both as marks of a
copy. So a joined comparison that names a single article the source of the versions on the shape
of the overlap alone, with no date, time or credit line to settle it, says no more than joining
does; both uses leave that direction ``unknown`` (:func:`joined_direction`). Read the other way
(the versions the source) it goes against the pull and stands. On METER's full archive this
leaves two edges undirected and changes no other: the Sun's 27-word "abuse" brief had been named
the source of PA's two takes, and a Star report the source of the Sun's two articles of its day.

Versions are articles from the same outlet dated the same day that the compare judges to tell
one story -- any relation but unrelated -- taken transitively, up to ``MAX_JOINED_CHARS`` of
text together. ``stories`` also joins an outlet's articles of one day that its clustering put in
one story: a trial's takes on different witnesses compare as unrelated to each other, yet a paper
drew on several of them, and read one part at a time they look like the paper's cut-down copies.

Example:
    >>> a = Article.from_text("Fire at the mill.", outlet="PA", date="1999-07-12")
    >>> b = Article.from_text("Fire at the old mill.", outlet="PA", date="1999-07-12")
    >>> joined_versions([b, a]) == joined_versions([a, b])
    True
    >>> sorted(joined_versions([a, b]).text.splitlines())
    ['', 'Fire at the mill.', 'Fire at the old mill.']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from retold.model import Article, Direction, Evidence, Relation, Source, Verdict
from retold.provenance.calibration import DIRECTION_MARGIN
from retold.provenance.clusters import calendar_day, days_apart
from retold.provenance.direction import evidence_confidence, settling
from retold.provenance.graph import Edge

__all__ = [
    "MAX_JOINED_CHARS",
    "VersionGroup",
    "joined_direction",
    "joined_versions",
    "redirect_by_versions",
    "unit_pairs",
    "version_groups",
    "versions_direction",
    "versions_from_edges",
]


@dataclass(frozen=True, slots=True)
class VersionGroup:
    """The versions a match belongs to, compared with the query as one joined text.

    Attributes:
        ids: The versions' article ids, in the order they were joined.
        labels: Their labels in the same order (file and record, else title or id).
        date: The earliest version's date, if known.
        verdict: The query compared with the joined versions.
        direction: Which came first, the query or the joined versions (``b``), as
            :func:`joined_direction` leaves it.
        explained: Mean over the query's sentences of their best semantic match in the joined
            versions (the ``sem_a`` feature of that comparison).
    """

    ids: tuple[str, ...]
    labels: tuple[str, ...]
    date: str | None
    verdict: Verdict
    direction: Direction
    explained: float


# Versions whose bodies together pass this many characters stay single articles: a live blog's
# hundred updates of one day would make every comparison with them cost seconds. METER's largest
# story is seven PA takes of 17,300 characters.
MAX_JOINED_CHARS = 60_000


def _order_key(article: Article) -> tuple[str, str, str]:
    return (article.date or "", article.label, article.id)


def joined_versions(versions: Sequence[Article]) -> Article:
    """The bodies of several versions joined into one article, whatever their input order.

    Versions are joined by date, then label (origin), then id; the joined article takes the
    earliest version's outlet, date and title.
    """
    ordered = sorted(versions, key=_order_key)
    text = "\n\n".join(v.body_span.slice(v.text) for v in ordered)
    first = ordered[0]
    return Article.from_text(text, outlet=first.outlet, date=first.date, title=first.title)


def _outlet(article: Article) -> str:
    return " ".join((article.outlet or "").split()).casefold()


def joined_direction(direction: Direction, versions: Source, count: int) -> Direction:
    """The direction of a comparison with joined versions, as far as joining leaves it standing.

    Args:
        direction: The comparison's direction.
        versions: The side holding the joined versions (``a`` or ``b``); the other is one article.
        count: How many versions were joined.

    Returns:
        ``direction``, unless it names the single article the source with no date, time or
        credit line settling it: then ``unknown``, its evidence kept and a ``joined`` cue
        added that says why (see the module's notes).
    """
    single = versions.swapped()
    if direction.source is not single or abs(settling(direction.evidence)[0]) >= DIRECTION_MARGIN:
        return direction
    note = Evidence(
        "joined",
        Source.UNKNOWN,
        0.0,
        f"the shape of the overlap names `{single.value}` the source of the {count} versions "
        f"read as one text in `{versions.value}`, but joining alone makes a text read as a copy "
        "(longer, more of it outside the shared passages): left unknown",
    )
    return Direction(Source.UNKNOWN, direction.confidence, (*direction.evidence, note))


def _may_be_versions(a: Article, b: Article) -> bool:
    # Undated articles are never versions: an outlet's undated archive (BBC's) spans months.
    if not _outlet(a) or _outlet(a) != _outlet(b):
        return False
    return days_apart(a.date, b.date) == 0


def version_groups(
    articles: Sequence[Article], relation: Callable[[Article, Article], Relation]
) -> list[tuple[str, ...]]:
    """Which of ``articles`` are versions of one story from one outlet.

    Args:
        articles: Candidate versions (a query's matches).
        relation: How two of them relate; called only for pairs from the same outlet and day.

    Returns:
        Groups of two or more article ids, each in joining order; groups ordered by their first
        id. Articles in no group are left out.
    """
    by_id = {a.id: a for a in articles}
    ids = sorted(by_id)
    found = _Groups(ids)
    for n, x in enumerate(ids):
        for y in ids[n + 1 :]:
            a, b = by_id[x], by_id[y]
            if found.root(x) == found.root(y) or not _may_be_versions(a, b):
                continue
            if relation(a, b) is not Relation.UNRELATED:
                found.join(x, y)
    return found.groups(by_id)


class _Groups:
    """Union-find over article ids; groups come out sorted and in joining order."""

    def __init__(self, ids: Iterable[str]) -> None:
        self.parent = {i: i for i in ids}

    def root(self, i: str) -> str:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def join(self, x: str, y: str) -> None:
        rx, ry = self.root(x), self.root(y)
        self.parent[max(rx, ry)] = min(rx, ry)

    def groups(self, articles: Mapping[str, Article]) -> list[tuple[str, ...]]:
        members: dict[str, list[Article]] = {}
        for i in sorted(self.parent):
            members.setdefault(self.root(i), []).append(articles[i])
        found = [
            tuple(a.id for a in sorted(group, key=_order_key))
            for group in members.values()
            if len(group) > 1 and sum(len(a.body_span) for a in group) <= MAX_JOINED_CHARS
        ]
        return sorted(found, key=min)


def versions_from_edges(
    articles: Mapping[str, Article],
    edges: Iterable[Edge],
    stories: Iterable[Sequence[str]] = (),
) -> list[tuple[str, ...]]:
    """Version groups of a whole corpus from its pairwise results.

    Two articles are versions when they come from one outlet on one day and an edge between
    them is not unrelated, or one of ``stories`` holds both; groups are taken transitively.
    Pairs with no edge count as unrelated.

    Args:
        articles: The corpus, by id.
        edges: Pairwise results.
        stories: Story clusters (groups of ids), as clustering the same edges gives.

    Returns:
        Groups of two or more ids, each in joining order; groups ordered by their first id.
    """
    found = _Groups(articles)
    for e in edges:
        if e.relation is Relation.UNRELATED or e.a not in articles or e.b not in articles:
            continue
        if _may_be_versions(articles[e.a], articles[e.b]):
            found.join(e.a, e.b)
    for story in stories:
        first: dict[tuple[str, int], str] = {}
        for i in sorted(story):
            a = articles.get(i)
            day = None if a is None else calendar_day(a.date)
            if a is None or day is None or not _outlet(a):
                continue
            key = (_outlet(a), day)
            if key in first:
                found.join(first[key], i)
            else:
                first[key] = i
    return found.groups(articles)


def _unit_of(groups: Sequence[tuple[str, ...]]) -> dict[str, int]:
    return {i: n for n, ids in enumerate(groups) for i in ids}


def unit_pairs(
    articles: Mapping[str, Article], edges: Iterable[Edge], groups: Sequence[tuple[str, ...]]
) -> list[tuple[str | int, str | int]]:
    """The pairs to compare so that edges touching a version are judged by its group.

    A unit is a version group (its index in ``groups``) or an article in none (its id). Each
    edge but an unrelated one between two units, one of them a group, across outlets, needs its
    two units compared; within one outlet, versions and their outlet's other articles keep
    their edges.

    Returns:
        Unique unit pairs, each ordered (by kind, then value) and the list sorted.
    """
    unit = _unit_of(groups)
    wanted: set[tuple[str | int, str | int]] = set()
    for e in edges:
        if e.relation is Relation.UNRELATED or e.a not in articles or e.b not in articles:
            continue
        ua, ub = unit.get(e.a, e.a), unit.get(e.b, e.b)
        if ua == ub or (isinstance(ua, str) and isinstance(ub, str)):
            continue
        if _outlet(articles[e.a]) == _outlet(articles[e.b]):
            continue
        wanted.add(_ordered(ua, ub))
    return sorted(wanted, key=lambda p: (_unit_key(p[0]), _unit_key(p[1])))


def _unit_key(u: str | int) -> tuple[int, str]:
    return (0, f"{u:09d}") if isinstance(u, int) else (1, u)


def _ordered(x: str | int, y: str | int) -> tuple[str | int, str | int]:
    return (x, y) if _unit_key(x) <= _unit_key(y) else (y, x)


def redirect_by_versions(
    edges: Iterable[Edge],
    groups: Sequence[tuple[str, ...]],
    directions: Mapping[tuple[str | int, str | int], Edge],
) -> list[Edge]:
    """Edges whose direction is taken from their units' comparison (see :func:`unit_pairs`).

    Args:
        edges: The pairwise edges.
        groups: Version groups.
        directions: For each unit pair of :func:`unit_pairs`, the comparison of its first unit
            (``a``) with its second (``b``), as an edge; a group stands for its versions joined.

    Returns:
        The edges in the same order. Derived edges between compared units carry that
        comparison's direction, as :func:`joined_direction` leaves it, and its evidence (plus a
        cue naming the versions). A same_story edge between compared units takes the
        comparison's relation, kind and score as well when the comparison is derived with a
        version group as its source, and that group is the copy in no directed edge of the
        others (see the measurements in :mod:`retold.pipeline.stories`).
        Other edges are as they were.
    """
    unit = _unit_of(groups)
    pending: list[tuple[int, Edge, Edge]] = []
    out: list[Edge] = []
    for e in edges:
        ua, ub = unit.get(e.a, e.a), unit.get(e.b, e.b)
        joined = directions.get(_ordered(ua, ub)) if ua != ub else None
        if joined is None or e.relation is Relation.UNRELATED:
            out.append(e)
            continue
        if _ordered(ua, ub) != (ua, ub):
            joined = joined.swapped()
        if e.relation.derived:
            out.append(_redirected(e, _held(joined, ua, ub, groups), ua, ub, groups))
        else:
            pending.append((len(out), e, joined))
            out.append(e)
    # A story edge judged same_story pair by pair is read as derived when the joined versions
    # are its source: each take alone tells only a part of what the article retold from all of
    # them. Not when the article is the joined comparison's source (each take would then retell
    # a part of it, derived pair by pair), nor when the versions themselves retell another
    # outlet's article: two papers of one story both retell the wire, and one paper's two
    # articles of one day, read joined, look like a wire to the other paper. On METER's full
    # archive the second condition keeps the Breeder PA takes from being read as a Star paper's
    # copies, the third holds paper -> paper directed edges at 74 (76 without it).
    retelling = {  # version groups that are the copy in a directed edge across units
        unit[copy]
        for e in out
        if e.directed and unit.get(e.a, e.a) != unit.get(e.b, e.b)
        for copy in (e.b if e.source is Source.A else e.a,)
        if copy in unit
    }
    for n, e, joined in pending:
        ua, ub = unit.get(e.a, e.a), unit.get(e.b, e.b)
        source = ua if joined.source is Source.A else ub if joined.source is Source.B else None
        if not joined.relation.derived or not isinstance(source, int) or source in retelling:
            continue
        promoted = replace(e, relation=joined.relation, kind=joined.kind, score=joined.score)
        out[n] = _redirected(promoted, joined, ua, ub, groups)
    return out


def _held(joined: Edge, ua: str | int, ub: str | int, groups: Sequence[tuple[str, ...]]) -> Edge:
    # A comparison of one version group with a single article, its direction as
    # joined_direction leaves it.
    if isinstance(ua, int) and isinstance(ub, str):
        versions, count = Source.A, len(groups[ua])
    elif isinstance(ub, int) and isinstance(ua, str):
        versions, count = Source.B, len(groups[ub])
    else:
        return joined
    held = joined_direction(Direction(joined.source, 0.0, joined.evidence), versions, count)
    return replace(joined, source=held.source, evidence=held.evidence)


def _redirected(
    e: Edge, joined: Edge, ua: str | int, ub: str | int, groups: Sequence[tuple[str, ...]]
) -> Edge:
    sides = [
        f"`{name}` with the other {len(groups[u]) - 1} of its outlet's versions that day"
        if isinstance(u, int)
        else f"`{name}` alone"
        for name, u in (("a", ua), ("b", ub))
    ]
    detail = f"direction found reading {sides[0]} and {sides[1]} as one text each"
    note = Evidence("versions", joined.source, 0.0, detail)
    return replace(e, source=joined.source, evidence=(*joined.evidence, note))


def versions_direction(edge: Edge) -> Direction | None:
    """The direction of an edge that :func:`redirect_by_versions` set, as a ``Direction``.

    ``None`` for an edge whose direction is its own pair's. The confidence is the logistic of
    the sum of the evidence's signed weights.
    """
    if not edge.evidence or edge.evidence[-1].cue != "versions":
        return None
    return Direction(edge.source, evidence_confidence(edge.evidence), edge.evidence)
