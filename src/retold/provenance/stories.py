"""Stories: articles about the same event, their reuse graph, likely origin and outlet figures.

:func:`build_stories` clusters articles with :func:`~retold.provenance.clusters.cluster_articles`
(see there for the rule and why it is not connected components), then gives each story its
reuse graph (every non-unrelated edge between two members, oriented source to copy when
directed), its likely origin (:func:`~retold.provenance.graph.pick_origin`) and counts, per
outlet, who retold whom (:func:`~retold.provenance.graph.outlet_figures`).

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retold.model import Article, Relation
from retold.provenance.clusters import ClusterOptions, cluster_articles, days_apart, unique_edges
from retold.provenance.graph import (
    Edge,
    OutletCount,
    OutletFigures,
    outlet_figures,
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


def story_id(article_ids: Iterable[str]) -> str:
    """The id of the story with these members (order does not matter)."""
    digest = hashlib.sha256("\n".join(sorted(article_ids)).encode("utf-8")).hexdigest()
    return "s" + digest[:12]


def build_stories(
    articles: Sequence[Article],
    edges: Sequence[Edge],
    options: ClusterOptions | None = None,
    clusters: Sequence[tuple[str, ...]] | None = None,
) -> StoryMap:
    """Cluster articles into stories, draw each story's reuse graph and count per outlet.

    Args:
        articles: All articles of the corpus (each ends up in exactly one story).
        edges: Pairwise results for candidate pairs, any orientation, duplicates allowed.
        options: Clustering constants (:class:`ClusterOptions`).
        clusters: :func:`cluster_articles` of these articles and edges, when already made
            (clustering reads relations, kinds and scores, not directions, so edges redirected
            since cluster the same).

    Returns:
        The stories, largest first (then by smallest member id), and per-outlet figures.
    """
    by_id = {a.id: a for a in articles}
    pairs = unique_edges(edges, by_id)
    groups = (
        list(clusters)
        if clusters is not None
        else cluster_articles(list(by_id.values()), pairs.values(), options)
    )
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
