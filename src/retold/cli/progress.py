"""One progress bar on stderr for long CLI runs (tqdm when installed, else click's)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

__all__ = ["ProgressBar", "db_option"]

db_option = click.option(
    "--db",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Archive file (SQLite); `retold index` creates it when missing.",
)


class ProgressBar:
    """A bar opened on the first report and fed absolute progress (``done`` of ``total``).

    Args:
        enabled: False makes every call a no-op (``--no-progress``); None enables the bar only
            when stderr is a terminal.
        label: What is being counted ("indexing", "comparing").
        unit: tqdm unit (``"B"`` scales to kB/MB).
    """

    def __init__(self, enabled: bool | None, label: str, unit: str = "it") -> None:
        # None (neither --progress nor --no-progress): only when stderr is a terminal, so logs
        # of redirected runs hold no carriage-return redraws.
        self._enabled = sys.stderr.isatty() if enabled is None else enabled
        self._label = label
        self._unit = unit
        self._bar: Any = None
        self._tqdm = True
        self._done = 0

    def update(self, done: int, total: int, **postfix: int) -> None:
        """Move the bar to ``done`` of ``total``; ``postfix`` counters show beside it (tqdm)."""
        if not self._enabled or total <= 0:
            return
        if self._bar is None:
            self._open(total)
        if self._tqdm and postfix:
            self._bar.set_postfix(refresh=False, **postfix)
        self._bar.update(max(0, done - self._done))
        self._done = max(self._done, done)

    def _open(self, total: int) -> None:
        try:
            from tqdm import tqdm
        except ImportError:
            self._tqdm = False
            self._bar = click.progressbar(length=total, label=self._label, file=None)
            self._bar.__enter__()
            return
        self._bar = tqdm(
            total=total, unit=self._unit, unit_scale=self._unit == "B", desc=self._label,
            dynamic_ncols=True,
        )  # fmt: skip

    def close(self) -> None:
        """Finish the bar (if it was ever opened)."""
        if self._bar is None:
            return
        if self._tqdm:
            self._bar.close()
        else:
            self._bar.__exit__(None, None, None)
