"""The one error tree of retold.

Every failure retold reports on purpose is a :class:`RetoldError`. Adapters (the CLI, the web app)
map the tree to exit codes and HTTP statuses in one place each; library code never prints.

::

    RetoldError
    ├── InputError                 bad input; names the source and the record
    │   ├── DecodeError            bytes that are not text in any encoding we accept
    │   ├── EmptyInputError        nothing left to compare after reading
    │   ├── BinaryInputError       NUL bytes or other signs of a binary file
    │   ├── TooLargeError          over the configured size bound
    │   └── FormatError            a record that does not fit its format (JSON, CSV, SGML, WARC...)
    ├── ConfigError                options that cannot work together, bad TOML
    ├── StoreError                 the archive cannot be opened, read or written
    ├── ModelError                 packaged model weights missing or unreadable
    └── MissingExtra               an optional dependency is not installed (with an install hint)

Example:
    >>> from retold.errors import EmptyInputError
    >>> str(EmptyInputError("no text", source="a.txt", record=3))
    'a.txt, record 3: no text'
"""

from __future__ import annotations

__all__ = [
    "BinaryInputError",
    "ConfigError",
    "DecodeError",
    "EmptyInputError",
    "FormatError",
    "InputError",
    "MissingExtra",
    "ModelError",
    "RetoldError",
    "StoreError",
    "TooLargeError",
]


class RetoldError(Exception):
    """Base of every error retold raises on purpose."""


class InputError(RetoldError):
    """Input that cannot be read as an article.

    Args:
        reason: What is wrong, in words a user can act on.
        source: The file path (or ``"<stdin>"``, a URL, ...) the input came from.
        record: The record number inside a multi-record source (1-based), if any.
    """

    def __init__(self, reason: str, *, source: str | None = None, record: int | None = None):
        self.reason = reason
        self.source = source
        self.record = record
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.source or ""
        if self.record is not None:
            where = f"{where}, record {self.record}" if where else f"record {self.record}"
        return f"{where}: {self.reason}" if where else self.reason

    def __reduce__(self) -> tuple[object, ...]:  # keeps keyword context across pickling (Dask)
        return (_rebuild_input_error, (type(self), self.reason, self.source, self.record))


def _rebuild_input_error(
    cls: type[InputError], reason: str, source: str | None, record: int | None
) -> InputError:
    return cls(reason, source=source, record=record)


class DecodeError(InputError):
    """Bytes that do not decode as text."""


class EmptyInputError(InputError):
    """Input with no article text in it."""


class BinaryInputError(InputError):
    """Input that looks like a binary file rather than text."""


class TooLargeError(InputError):
    """Input over the size bound (see :class:`retold.config.ReadOptions`)."""


class FormatError(InputError):
    """A record that does not fit the format it claims (JSON, CSV, SGML, WARC, feed)."""


class ConfigError(RetoldError):
    """Options that are invalid or cannot work together."""


class StoreError(RetoldError):
    """The archive cannot be opened, read or written."""


class ModelError(RetoldError):
    """Packaged model weights are missing, unreadable or inconsistent."""


class MissingExtra(RetoldError):
    """An optional dependency is not installed.

    Args:
        package: The import name that failed.
        extra: The retold extra that installs it.
    """

    def __init__(self, package: str, extra: str):
        self.package = package
        self.extra = extra
        super().__init__(
            f"{package} is not installed; install it with: pip install 'retold[{extra}]'"
        )
