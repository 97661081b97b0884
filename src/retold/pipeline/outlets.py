"""Which outlets the archive has seen as sources: a ranking prior for ``query``.

``stories`` counts, per outlet, its articles other outlets retold and its articles retold from
other outlets (:class:`~retold.provenance.graph.OutletFigures`), and records those counts in
the archive. ``query`` then ranks a match from an outlet the archive knows as a source (a wire
service) a little above a match from an outlet it knows as a rewriter when both tell the story:
of several papers retelling one wire story, a paper's query should find the wire copy, not only
the other papers. Before ``stories`` has run, no outlet has a prior.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from retold.provenance.graph import OutletFigures, source_share
from retold.store import Archive

__all__ = ["OUTLET_SOURCES_KEY", "load_source_priors", "save_outlet_sources"]

#: The archive's meta key holding ``{outlet: [retold, retold_by_others]}``.
OUTLET_SOURCES_KEY = "outlet_sources"


def save_outlet_sources(archive: Archive, figures: Iterable[OutletFigures]) -> None:
    """Record each named outlet's retold / retold-by-others counts in the archive."""
    counts = {f.outlet: [f.retold, f.retold_by_others] for f in figures if f.outlet is not None}
    archive.set_meta(OUTLET_SOURCES_KEY, json.dumps(counts, sort_keys=True))


def load_source_priors(archive: Archive) -> dict[str, float]:
    """Per outlet, its source share less one half (positive: more often the source).

    Empty when ``stories`` never ran on the archive, or when the record is not the expected
    JSON (a prior is only a tie-breaker; nothing else depends on it).
    """
    raw = archive.get_meta(OUTLET_SOURCES_KEY)
    if raw is None:
        return {}
    try:
        counts = json.loads(raw)
        priors = {}
        for outlet, (retold, by_others) in counts.items():
            priors[str(outlet)] = source_share(int(retold), int(by_others)) - 0.5
    except (ValueError, TypeError, AttributeError):
        return {}
    return priors
