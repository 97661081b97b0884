"""Command-line interface: parse arguments, make one library call, render the result.

Library errors map to exit codes in :mod:`retold.cli.errors`, the only place that does so.
"""

from __future__ import annotations

from retold.cli.main import main

__all__ = ["main"]
