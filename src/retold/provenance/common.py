"""Common sources: two articles that both retell a third are not read as retelling each other.

Two papers written the same morning from one wire story share much of their text, and a pair
compared alone cannot tell that apart from one paper copying the other: the shape of the overlap
(lengths, facts of its own, aligned passages) still points one way. In a corpus the third article
is often there. So in ``stories``, a derived edge directed by the shape of the overlap alone is
read as ``shared`` when some other article is the directed source of both its ends.

- An edge whose direction a date, a time or a credit line settled keeps it: a text published
  later, or one that credits the other, can retell it whatever else retells both.
- The common source must lie outside both ends' wire versions (see
  :mod:`retold.provenance.versions`): a take and its own update are one source, not two texts
  retelling a third.
- Versions are read as one text on the copy side too: an end retells what any of its outlet's
  versions of that day retells. Once same_story edges are judged against a wire's joined
  takes, a paper's two articles of one day, read joined, can look like the source of a third
  paper; both papers retell the wire. Full archive: paper -> paper directed edges of one day
  74 with this, 79 with each end's own sources alone.
- A chain (wire → aggregator → content farm, all three undated) also reads as two retellings of
  the wire; the graph keeps the wire as the source of both.
- In ``stories`` the common source must lie in the story of both ends. Pairs dated too far
  apart to tie two stories are compared only when they end in one story, so an edge between two
  stories may be missing; had it counted, skipping those pairs could change a story's edges (a
  METER trial's PA take of one day read as the common source of two reports two days later).
  Full archive: paper/PA edges of one day directed right / wrong 1,006 / 5 with this, 998 / 5
  with sources from other stories counted; paper -> paper edges 74 either way.

The rule reads the edges once, as given: no rewritten edge feeds another decision, so the answer
does not depend on the order of the edges or of their sides.

Measured on METER (stories of the full 23k-article archive): of 335 directed derived edges
between two papers of one day, 143 become shared (two papers printed the same morning rarely
retell each other); 11 derived PA/paper edges of one day do too (8 directed right before, 3
wrong), leaving 513 right and 9 wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from retold.model import Article, Direction, Evidence, Source
from retold.provenance.direction import SETTLING_CUES, evidence_confidence
from retold.provenance.graph import Edge

__all__ = ["COMMON_SOURCE_CUE", "common_source_direction", "share_common_sources"]

COMMON_SOURCE_CUE = "common_source"
_NAMED = 3  # common sources named in the evidence's detail


def share_common_sources(
    edges: Sequence[Edge],
    groups: Sequence[tuple[str, ...]] = (),
    articles: Mapping[str, Article] | None = None,
    stories: Sequence[Sequence[str]] = (),
) -> list[Edge]:
    """Edges directed by shape alone whose two ends share a directed source, made ``shared``.

    Args:
        edges: The pairwise edges of a corpus (any orientation).
        groups: Wire version groups; a group's members count as one text, as source and copy.
        articles: The articles by id, to name the common sources by their labels (file and
            record, else title) in the evidence; ids otherwise.
        stories: The corpus clustered into stories, if known. A common source then counts only
            inside the story of both ends: ``stories`` leaves pairs that cannot tie two stories
            uncompared (:mod:`retold.pipeline.stories`), so an edge between two stories may or
            may not be there, and must not decide an edge inside one.

    Returns:
        The edges in the same order. Those rewritten carry ``Source.SHARED`` and, after their
        own evidence, a ``common_source`` cue naming the common sources.
    """
    unit = {aid: f"group:{n}" for n, group in enumerate(groups) for aid in group}

    def unit_of(aid: str) -> str:
        return unit.get(aid, aid)

    # The directed sources of each unit: a version retells what any of its outlet's versions of
    # that day retell, as the versions are read joined.
    home = {aid: n for n, story in enumerate(stories) for aid in story}
    sources: dict[str, set[str]] = {}
    for e in edges:
        if e.directed and home.get(e.a) == home.get(e.b):
            first, then = (e.a, e.b) if e.source is Source.A else (e.b, e.a)
            sources.setdefault(unit_of(then), set()).add(first)
    out: list[Edge] = []
    for e in edges:
        if not e.directed or any(ev.cue in SETTLING_CUES for ev in e.evidence):
            out.append(e)
            continue
        ua, ub = unit_of(e.a), unit_of(e.b)
        of_a, of_b = sources.get(ua, set()), sources.get(ub, set())
        both = {unit_of(c) for c in of_a} & {unit_of(c) for c in of_b} - {ua, ub}
        common = sorted(c for c in of_a | of_b if unit_of(c) in both)
        if not common:
            out.append(e)
            continue
        shown = [articles[c].label if articles and c in articles else c for c in common[:_NAMED]]
        names = ", ".join(shown) + (
            f" and {len(common) - _NAMED} more" if len(common) > _NAMED else ""
        )
        detail = (
            f"both articles retell {names}, so the shape of their overlap is not read as one "
            "retelling the other"
        )
        note = Evidence(COMMON_SOURCE_CUE, Source.SHARED, 0.0, detail)
        out.append(replace(e, source=Source.SHARED, evidence=(*e.evidence, note)))
    return out


def common_source_direction(edge: Edge) -> Direction | None:
    """The direction of an edge that :func:`share_common_sources` rewrote (else ``None``)."""
    if not edge.evidence or edge.evidence[-1].cue != COMMON_SOURCE_CUE:
        return None
    return Direction(Source.SHARED, evidence_confidence(edge.evidence), edge.evidence)
