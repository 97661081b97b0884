"""Pins the curated public API: a change here is a change users see."""

import subprocess
import sys

import retold

PUBLIC = [
    "Article", "BinaryInputError", "CompareOptions", "Comparer", "Comparison", "ConfigError",
    "DecodeError", "Direction", "EmptyInputError", "Evidence", "FactDiff", "FactKind",
    "FactStatus", "FormatError", "InputError", "MissingExtra", "ModelError", "Origin", "Passage",
    "ReadOptions", "Relation", "RetoldError", "RewriteKind", "Source", "Span", "StoreError",
    "TooLargeError", "Verdict", "compare", "iter_articles", "read_article",
]  # fmt: skip


def test_all_is_pinned_and_sorted() -> None:
    assert retold.__all__ == PUBLIC
    assert sorted(retold.__all__) == retold.__all__


def test_every_public_name_resolves() -> None:
    for name in retold.__all__:
        assert getattr(retold, name) is not None


def test_import_is_light() -> None:
    code = "import sys, retold; print(sorted(m for m in ('numpy', 'scipy', 'tokenizers', 'nupunkt') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_errors_share_one_root() -> None:
    for name in retold.__all__:
        obj = getattr(retold, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, retold.RetoldError)
