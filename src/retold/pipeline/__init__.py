"""Pipelines: the one place that composes stages (compare; archive index/query/stories)."""

from retold.pipeline.compare import Comparer, compare

__all__ = ["Comparer", "compare"]
