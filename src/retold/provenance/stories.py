"""Stories: cluster pairwise verdicts into groups of articles about the same event.

The input is a set of articles and the pairwise results (:class:`Edge`) that compare found for
candidate pairs. Every edge whose relation is not ``unrelated`` is a tie between two articles;
its strength is ``1`` for a confident derivation and :attr:`ClusterOptions.same_story_weight`
for a same-story verdict (or a derivation below :attr:`ClusterOptions.derived_min_score`).

Why not connected components: one spurious tie (two court stories that share a paragraph of
boilerplate, one misjudged same-story pair) would join two whole stories and, through them, chain
on to more. Instead the clusters grow greedily, strongest tie first (agglomerative clustering):

* the **cover** of cluster ``A`` by ``B`` is the mean, over ``A``'s members, of each
  member's strongest tie into ``B`` (0 without one). Retrieval compares candidates only, so
  a missing pair is no evidence against; it only pulls the mean down;
* two clusters *may* merge when the larger of their two covers reaches
  :attr:`ClusterOptions.threshold` and at least ``min(min_support, size of the smaller
  cluster)`` ties join them. A single tie therefore never joins two stories of two or more
  articles, however strong it is, while a lone copy still joins the story it retells;
* merges happen best first, by the *mean* of the two covers: two articles tied only to each
  other (both covers 1) come before an article joining a story it touches at one member. So
  stories grow from their dense cores, and an article that bridges two stories joins one of
  them at most, after both have formed, instead of pulling the second one in behind it;
* ties between articles dated more than :attr:`ClusterOptions.max_days` apart are not used (the
  same trial on another day is another story in METER's gold, and in a newsroom's eyes).

The result does not depend on the order of the input: articles are indexed in id order, ties are
reduced to one per pair by a fixed rule, links are exact (``math.fsum``) and equal links are
broken by the clusters' smallest member ids. Story ids hash the sorted member ids.

Example:
    >>> from retold.model import Article, Relation, RewriteKind, Source
    >>> arts = [Article.from_text(t, id=i, date="2000-01-27") for i, t in
    ...         [("wire", "The full wire story."), ("copy", "The wire story."), ("x", "Other.")]]
    >>> e = Edge("wire", "copy", Relation.WHOLLY_DERIVED, RewriteKind.LIGHT, 0.9, Source.A)
    >>> smap = build_stories(arts, [e])
    >>> [(s.article_ids, s.origin_id) for s in smap.stories]
    [(('copy', 'wire'), 'wire'), (('x',), 'x')]
"""

from __future__ import annotations

import hashlib
import heapq
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retold.errors import ConfigError
from retold.model import Article, Relation
from retold.provenance.graph import (
    Edge,
    OutletCount,
    OutletFigures,
    outlet_figures,
    parse_when,
    pick_origin,
)

__all__ = [
    "ClusterOptions",
    "Edge",
    "OutletCount",
    "OutletFigures",
    "Story",
    "StoryMap",
    "build_stories",
    "cluster_articles",
    "days_apart",
    "story_id",
    "unique_edges",
]

_RANK = {Relation.UNRELATED: 0, Relation.SAME_STORY: 1}


@dataclass(frozen=True, slots=True)
class Story:
    """Articles about one event, and who retold whom among them.

    Attributes:
        id: ``"s"`` and 12 hex digits of the SHA-256 of the sorted member ids.
        article_ids: Member ids, sorted.
        origin_id: The likely original: the earliest dated, then fullest, member with no
            incoming derived edge.
        origin_reason: Why that member was chosen, in words.
        edges: The reuse graph: every non-unrelated edge between two members, oriented source
            to copy when directed (:meth:`Edge.oriented`), sorted by ``(a, b)``.
    """

    id: str
    article_ids: tuple[str, ...]
    origin_id: str
    origin_reason: str
    edges: tuple[Edge, ...] = ()

    def __len__(self) -> int:
        return len(self.article_ids)


@dataclass(frozen=True, slots=True)
class StoryMap:
    """All stories of a corpus (every article in exactly one) and per-outlet figures."""

    stories: tuple[Story, ...]
    outlets: tuple[OutletFigures, ...]

    def membership(self) -> dict[str, str]:
        """Map each article id to its story id."""
        return {aid: s.id for s in self.stories for aid in s.article_ids}


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterOptions:
    """How ties become stories.

    Attributes:
        threshold: Two clusters may merge when the larger of their covers reaches this.
        same_story_weight: Strength of a same-story tie (a confident derivation counts 1).
        derived_min_score: Derivations scored below this count as same-story ties.
        min_support: Ties needed to merge two clusters (capped by the smaller one's size).
        max_days: Ties between articles dated further apart are ignored (``None``: no limit).
    """

    threshold: float = 0.5
    same_story_weight: float = 0.5
    derived_min_score: float = 0.5
    min_support: int = 2
    max_days: int | None = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0 or not 0.0 <= self.same_story_weight <= 1.0:
            raise ConfigError("threshold must be in (0, 1] and same_story_weight in [0, 1]")
        if self.min_support < 1:
            raise ConfigError("min_support must be at least 1")
        if self.max_days is not None and self.max_days < 0:
            raise ConfigError("max_days must be non-negative")

    def strength(self, edge: Edge) -> float:
        """How strongly an edge ties its two articles into one story."""
        if edge.relation is Relation.UNRELATED:
            return 0.0
        if edge.relation.derived and edge.score >= self.derived_min_score:
            return 1.0
        return self.same_story_weight


def _edge_key(e: Edge) -> tuple[int, float, str, str, str]:
    rank = _RANK.get(e.relation, 2 if e.relation is Relation.PARTIALLY_DERIVED else 3)
    return (rank, e.score, e.kind.value if e.kind else "", e.source.value, repr(e.evidence))


def unique_edges(edges: Iterable[Edge], ids: Iterable[str]) -> dict[tuple[str, str], Edge]:
    """One edge per unordered pair of known, distinct articles, oriented with ``a < b``.

    When a pair comes more than once the strongest relation wins (then the higher score, then a
    fixed order of the remaining fields), so the choice does not depend on input order.
    """
    known = set(ids)
    out: dict[tuple[str, str], Edge] = {}
    for e in edges:
        if e.a == e.b or e.a not in known or e.b not in known:
            continue
        e2 = e if e.a < e.b else e.swapped()
        key = (e2.a, e2.b)
        old = out.get(key)
        if old is None or _edge_key(e2) > _edge_key(old):
            out[key] = e2
    return out


def days_apart(a: str | None, b: str | None) -> int | None:
    """Calendar days between two ISO dates (UTC), or ``None`` when either is missing or unreadable.

    Whole days, so that a wire item timed 03:03 and a paper dated the same day are 0 apart.
    """
    wa, wb = parse_when(a), parse_when(b)
    if wa is None or wb is None:
        return None
    return abs((wa.date() - wb.date()).days)


def cluster_articles(
    articles: Sequence[Article], edges: Iterable[Edge], options: ClusterOptions | None = None
) -> list[tuple[str, ...]]:
    """Group articles into stories (see the module docstring for the rule).

    Args:
        articles: All articles; each lands in exactly one group.
        edges: Pairwise results; unrelated ones and those naming unknown ids are ignored.
        options: Clustering constants.

    Returns:
        Groups of sorted article ids, largest first, then by smallest id.
    """
    opts = options or ClusterOptions()
    ids = sorted({a.id for a in articles})
    index = {aid: i for i, aid in enumerate(ids)}
    dates = {a.id: a.date for a in articles}
    adj: list[dict[int, float]] = [{} for _ in ids]
    for (a, b), e in unique_edges(edges, ids).items():
        w = opts.strength(e)
        if w <= 0.0:
            continue
        if opts.max_days is not None:
            gap = days_apart(dates[a], dates[b])
            if gap is not None and gap > opts.max_days:
                continue
        adj[index[a]][index[b]] = w
        adj[index[b]][index[a]] = w
    groups = _agglomerate(adj, opts)
    out = [tuple(ids[i] for i in sorted(g)) for g in groups]
    return sorted(out, key=lambda g: (-len(g), g[0]))


def _agglomerate(adj: list[dict[int, float]], opts: ClusterOptions) -> list[list[int]]:
    label = list(range(len(adj)))  # cluster of each article: its smallest member index
    members: dict[int, list[int]] = {i: [i] for i in range(len(adj))}
    version = [0] * len(adj)
    heap: list[tuple[float, int, int, int, int]] = []
    # Articles tied to one other article only (a lone copy of one wire item, the common case)
    # wait in a queue on their partner's cluster instead of being re-scored against it after
    # every merge: their link to it depends only on their tie and the cluster's size. Same
    # merges in the same order, in linear instead of quadratic time around hubs.
    waiting: dict[int, list[tuple[float, int]]] = {}
    pendant = [False] * len(adj)
    for x, ties in enumerate(adj):
        if len(ties) == 1:
            ((y, w),) = ties.items()
            if len(adj[y]) > 1 and w >= opts.threshold:
                pendant[x] = True
                waiting.setdefault(y, []).append((-w, x))
    for queue in waiting.values():
        heapq.heapify(queue)
    # Pendant ties are internal once attached and skipped while waiting: scans leave them out.
    core = {i: [] if pendant[i] else [i] for i in range(len(adj))}
    links = [{y: w for y, w in ties.items() if not pendant[y]} for ties in adj]

    def push(c: int, n: int, priority: float) -> None:
        lo, hi = min(c, n), max(c, n)
        heapq.heappush(heap, (-priority, lo, hi, version[lo], version[hi]))

    def push_links(c: int) -> None:
        # Strongest tie of each member of c into each neighbouring cluster n, and of each member
        # of n into c (ties are symmetric, so one pass over c's members sees both sides).
        out_of_c: dict[int, dict[int, float]] = {}
        into_c: dict[int, dict[int, float]] = {}
        count: dict[int, int] = {}
        for x in core[c]:
            for y, w in links[x].items():
                n = label[y]
                if n == c:
                    continue
                count[n] = count.get(n, 0) + 1
                best = out_of_c.setdefault(n, {})
                best[x] = max(best.get(x, 0.0), w)
                best = into_c.setdefault(n, {})
                best[y] = max(best.get(y, 0.0), w)
        size_c = len(members[c])
        for n, cnt in count.items():
            size_n = len(members[n])
            if cnt < min(opts.min_support, size_c, size_n):
                continue
            cover_c = math.fsum(out_of_c[n].values()) / size_c
            cover_n = math.fsum(into_c[n].values()) / size_n
            if max(cover_c, cover_n) >= opts.threshold:
                push(c, n, (cover_c + cover_n) / 2)
        queue = waiting.get(c)
        if queue:  # the best waiting pendant: covers w (its side) and w / size (this side)
            neg_w, x = queue[0]
            push(c, x, -neg_w * (1 + 1 / size_c) / 2)

    for c in range(len(adj)):
        if adj[c] and not pendant[c]:
            push_links(c)
    while heap:
        _, lo, hi, v_lo, v_hi = heapq.heappop(heap)
        if lo not in members or hi not in members or version[lo] != v_lo or version[hi] != v_hi:
            continue
        for c, x in ((lo, hi), (hi, lo)):
            if pendant[x]:  # it came off c's queue: the entry was pushed while it was on top
                heapq.heappop(waiting[c])
                pendant[x] = False
        moved = members.pop(hi)
        for x in moved:
            label[x] = lo
        members[lo].extend(moved)
        core[lo].extend(core.pop(hi))
        rest = waiting.pop(hi, [])
        if rest:
            queue = waiting.setdefault(lo, [])
            queue.extend(rest)
            heapq.heapify(queue)
        version[lo] += 1
        push_links(lo)
    return list(members.values())


def story_id(article_ids: Iterable[str]) -> str:
    """The id of the story with these members (order does not matter)."""
    digest = hashlib.sha256("\n".join(sorted(article_ids)).encode("utf-8")).hexdigest()
    return "s" + digest[:12]


def build_stories(
    articles: Sequence[Article], edges: Sequence[Edge], options: ClusterOptions | None = None
) -> StoryMap:
    """Cluster articles into stories, draw each story's reuse graph and count per outlet.

    Args:
        articles: All articles of the corpus (each ends up in exactly one story).
        edges: Pairwise results for candidate pairs, any orientation, duplicates allowed.
        options: Clustering constants (:class:`ClusterOptions`).

    Returns:
        The stories, largest first (then by smallest member id), and per-outlet figures.
    """
    by_id = {a.id: a for a in articles}
    pairs = unique_edges(edges, by_id)
    groups = cluster_articles(list(by_id.values()), pairs.values(), options)
    home = {aid: n for n, group in enumerate(groups) for aid in group}
    inside: list[list[Edge]] = [[] for _ in groups]
    for (a, b), e in pairs.items():
        if home[a] == home[b] and e.relation is not Relation.UNRELATED:
            inside[home[a]].append(e.oriented())
    stories: list[Story] = []
    for group, group_edges in zip(groups, inside, strict=True):
        story_edges = tuple(sorted(group_edges, key=lambda e: (e.a, e.b)))
        origin, reason = pick_origin([by_id[i] for i in group], story_edges)
        stories.append(Story(story_id(group), group, origin, reason, story_edges))
    all_edges = [e for s in stories for e in s.edges]
    return StoryMap(tuple(stories), outlet_figures(by_id, all_edges))
