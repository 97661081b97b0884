r"""Render a :class:`~retold.model.Comparison` for people and programs.

Four formats: ``json`` (versioned schema, see ``docs/json-schema.md``), ``terminal`` (readable
text, optionally coloured), ``html`` (one self-contained page) and ``pan`` (PAN plagiarism
detection XML). Renderers return text and never print.

Example:
    >>> from retold.model import Article, Comparison, Direction, Source, Verdict, Relation
    >>> a, b = Article.from_text("x", id="a1"), Article.from_text("y", id="b1")
    >>> c = Comparison(a, b, Verdict(Relation.UNRELATED, None, 0.0), (), (),
    ...                Direction(Source.UNKNOWN, 0.0))
    >>> render(c, "json").startswith('{\n  "schema": "retold.compare/1"')
    True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from retold.errors import ConfigError
from retold.model import Comparison
from retold.report.html import render_html
from retold.report.jsonout import SCHEMA_VERSION, comparison_from_dict, render_json, to_dict
from retold.report.pan_xml import render_pan_xml
from retold.report.terminal import render_terminal

__all__ = [
    "FORMATS",
    "SCHEMA_VERSION",
    "comparison_from_dict",
    "render",
    "render_html",
    "render_json",
    "render_pan_xml",
    "render_terminal",
    "to_dict",
]

_RENDERERS: dict[str, Callable[..., str]] = {
    "json": render_json,
    "terminal": render_terminal,
    "html": render_html,
    "pan": render_pan_xml,
}

FORMATS: tuple[str, ...] = tuple(_RENDERERS)
"""Names :func:`render` accepts."""


def render(c: Comparison, fmt: str, **options: Any) -> str:
    """Render a comparison in the named format.

    Args:
        c: The comparison.
        fmt: One of ``"json"``, ``"terminal"``, ``"html"``, ``"pan"``.
        **options: Keyword options of that format's renderer (for example ``color=False`` for
            ``terminal`` or ``indent=None`` for ``json``).

    Returns:
        The rendered text.

    Raises:
        ConfigError: ``fmt`` is not a known format, or an option is not one that format takes.
    """
    renderer = _RENDERERS.get(fmt)
    if renderer is None:
        raise ConfigError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        return renderer(c, **options)
    except TypeError as exc:
        if options and "unexpected keyword argument" in str(exc):
            raise ConfigError(f"format {fmt!r} does not take option(s) {sorted(options)}") from exc
        raise
