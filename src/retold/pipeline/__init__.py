"""Pipelines: the one place that composes stages (compare; archive index, query and stories)."""

from retold.pipeline.archive import IndexProgress, IndexReport, index
from retold.pipeline.compare import Comparer, compare
from retold.pipeline.query import Match, QueryResult, query, query_paths
from retold.pipeline.retrieval import StageTimes, candidate_pairs
from retold.pipeline.stories import (
    StoriesOptions,
    StoriesProgress,
    StoriesResult,
    StoriesTimings,
    stories,
)
from retold.provenance.versions import VersionGroup

__all__ = [
    "Comparer",
    "IndexProgress",
    "IndexReport",
    "Match",
    "QueryResult",
    "StageTimes",
    "StoriesOptions",
    "StoriesProgress",
    "StoriesResult",
    "StoriesTimings",
    "VersionGroup",
    "candidate_pairs",
    "compare",
    "index",
    "query",
    "query_paths",
    "stories",
]
