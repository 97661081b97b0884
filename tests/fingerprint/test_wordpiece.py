"""The Python WordPiece fast path gives exactly the tokenizer's ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retold.fingerprint.minilm import load_tokenizer, model_dir
from retold.fingerprint.wordpiece import WordPieceIds

pytestmark = [pytest.mark.model, pytest.mark.usefixtures("weights_installed")]


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    return load_tokenizer(model_dir(), max_length=None)


@pytest.fixture(scope="module")
def fast(tokenizer: Any) -> WordPieceIds:
    ids = WordPieceIds(tokenizer)
    assert ids.fast
    return ids


def reference(tokenizer: Any, texts: list[str]) -> list[list[int]]:
    return [list(e.ids) for e in tokenizer.encode_batch(texts, add_special_tokens=False)]


WRITTEN = [
    "",
    "   ",
    "Kim's visit: 130 km away.",
    "The court fined him £2,000 (about $2,500) on 23 June.",
    "\x19PA copy starts paragraphs with a control mark.<",
    "Tabs\tand\r\nnew lines, \x0bvertical tab, \x1cfile sep, \x7fdelete.",
    "Unbelievably-hyphenated-compounds and antidisestablishmentarianism!",
    "x" * 99 + " " + "y" * 100 + " " + "z" * 101,
    "Special tokens [CLS] and [SEP] and [UNK] are matched before normalisation.",
    "Café, naïve, Zürich, İstanbul, 東京 and emoji 🙂 go to the tokenizer.",
    "#hashtags @handles ~tilde `backtick` {braces} |pipes| ^caret_under",
]


def test_written_sentences(tokenizer: Any, fast: WordPieceIds) -> None:
    assert fast.encode(WRITTEN) == reference(tokenizer, WRITTEN)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(max_codepoint=127), max_size=300), max_size=8))
def test_random_ascii(tokenizer: Any, fast: WordPieceIds, texts: list[str]) -> None:
    assert fast.encode(texts) == reference(tokenizer, texts)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.text(alphabet=st.sampled_from("ab9 -.'\x19\x0b\t\n£é["), max_size=120),
        max_size=6,
    )
)
def test_random_mixed(tokenizer: Any, fast: WordPieceIds, texts: list[str]) -> None:
    assert fast.encode(texts) == reference(tokenizer, texts)


def test_shared_corpora_lines(shared: Path, tokenizer: Any, fast: WordPieceIds) -> None:
    lines: list[str] = []
    data = shared / "data"
    for pattern in ("meter/PA/rawtexts/**/*.txt", "clough-stevenson/*.txt", "bbc-news/*/*.txt"):
        for path in sorted(data.glob(pattern))[:400]:
            lines += path.read_bytes().decode("iso-8859-1").splitlines()
    msrp = data / "msrp" / "msr_paraphrase_train.txt"
    if msrp.is_file():
        lines += msrp.read_text(encoding="utf-8-sig").splitlines()[:2000]
    if not lines:
        pytest.skip("no shared corpora found")
    assert fast.encode(lines) == reference(tokenizer, lines)


def test_other_tokenizer_configurations_fall_back(tokenizer: Any) -> None:
    from tokenizers import Tokenizer

    cased = Tokenizer.from_str(tokenizer.to_str().replace('"lowercase":true', '"lowercase":false'))
    ids = WordPieceIds(cased)
    assert not ids.fast
    texts = ["Mixed Case Words.", "Kim's visit."]
    assert ids.encode(texts) == reference(cased, texts)
