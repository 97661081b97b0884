"""Which field or column of a JSON, JSON Lines or CSV record holds each article attribute.

Example:
    >>> ColumnMapping(text="story").text
    'story'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import MISSING, dataclass, fields

from retold.errors import ConfigError

__all__ = ["FIELDS", "ColumnMapping", "candidates"]

_ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "maintext"),
    "title": ("title", "headline"),
    "date": ("date", "published", "date_publish", "pubdate", "published_at", "datetime"),
    "outlet": ("outlet", "source", "publisher", "source_domain"),
    "url": ("url", "link"),
    "id": ("id", "guid", "doc_id"),
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnMapping:
    """Which field or column holds each article attribute (``None``: not present).

    A field left at its default (its own name) is looked up under its common names, as with no
    mapping at all (``text``, ``body``, ``content``, ... for the text); any other name is the
    only one used. Names match exactly, else ignoring case.

    Attributes:
        text: The article text (required).
        title: Title.
        date: Publication date.
        outlet: Publisher or agency.
        url: Where it was published.
        id: A caller-given article identifier (else the content hash is used).

    Example:
        >>> m = ColumnMapping.parse(["text=story", "outlet=paper", "date="])
        >>> (m.text, m.title, m.outlet, m.date)
        ('story', 'title', 'paper', None)
    """

    text: str = "text"
    title: str | None = "title"
    date: str | None = "date"
    outlet: str | None = "outlet"
    url: str | None = "url"
    id: str | None = "id"

    @classmethod
    def parse(cls, specs: Iterable[str]) -> ColumnMapping:
        """Build a mapping from ``FIELD=NAME`` strings, as given on the command line.

        Args:
            specs: ``FIELD=NAME`` items, FIELD one of ``text``, ``title``, ``date``,
                ``outlet``, ``url``, ``id``; ``FIELD=`` (no name) marks the field as not
                present. Fields not named keep their defaults.

        Returns:
            The mapping.

        Raises:
            ConfigError: An item is not ``FIELD=NAME``, names an unknown field, names a field
                twice, or leaves ``text`` without a name.
        """
        given: dict[str, str | None] = {}
        known = ", ".join(FIELDS)
        for spec in specs:
            field, sep, name = spec.partition("=")
            field = field.strip().lower()
            if not sep or not field:
                raise ConfigError(f"column mapping {spec!r} is not FIELD=NAME (FIELD: {known})")
            if field not in FIELDS:
                raise ConfigError(f"unknown field {field!r} in {spec!r}; use one of: {known}")
            if field in given:
                raise ConfigError(f"field {field!r} is mapped twice")
            name = name.strip()
            if not name and field == "text":
                raise ConfigError("the text field needs a column name (text=NAME)")
            given[field] = name or None
        return cls(**given)  # type: ignore[arg-type]  # keys checked against FIELDS above


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(ColumnMapping))
"""The attributes a :class:`ColumnMapping` maps, in order."""
_DEFAULTS: dict[str, object] = {
    f.name: f.default for f in fields(ColumnMapping) if f.default is not MISSING
}


def candidates(mapping: ColumnMapping | None, name: str) -> tuple[str, ...]:
    """Names to look for; a field left at its default tries the common names."""
    if mapping is None:
        return _ALIASES[name]
    value: str | None = getattr(mapping, name)
    if value is None:
        return ()
    return _ALIASES[name] if value == _DEFAULTS[name] else (value,)
