from __future__ import annotations

import json

import pytest
from report_pairs import wire_and_rewrite

import retold.report as report
from retold.errors import ConfigError
from retold.report import (
    FORMATS,
    render,
    render_html,
    render_json,
    render_pan_xml,
    render_terminal,
)


def test_public_names() -> None:
    assert report.__all__ == [
        "FORMATS", "SCHEMA_VERSION", "comparison_from_dict", "render", "render_html",
        "render_json", "render_pan_xml", "render_terminal", "to_dict",
    ]  # fmt: skip
    assert FORMATS == ("json", "terminal", "html", "pan")


def test_render_dispatches_to_each_format() -> None:
    c = wire_and_rewrite().comparison
    assert render(c, "json") == render_json(c)
    assert render(c, "terminal", color=False) == render_terminal(c, color=False)
    assert render(c, "html") == render_html(c)
    assert render(c, "pan") == render_pan_xml(c)
    assert json.loads(render(c, "json", indent=None))["schema"] == "retold.compare/1"


def test_unknown_format_or_option_is_a_config_error() -> None:
    c = wire_and_rewrite().comparison
    with pytest.raises(ConfigError, match="unknown report format 'pdf'"):
        render(c, "pdf")
    with pytest.raises(ConfigError, match="does not take"):
        render(c, "pan", color=False)
