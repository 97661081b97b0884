"""A pure-Python fast path of BERT uncased WordPiece tokenisation for ASCII text.

:class:`tokenizers.Tokenizer` costs about 6 ms for the 30-odd sentences of a 4 KB article on the
2-core reference machine (batch set-up, offsets and alignment bookkeeping it computes whatever we
ask for), more than every other part of preparing the article. For ASCII text the
``BertNormalizer`` + ``BertPreTokenizer`` + ``WordPiece`` pipeline reduces to a few rules that a
dictionary lookup per word can follow exactly:

* control characters other than tab, newline and carriage return vanish (``clean_text``);
  everything is lowercased;
* words are maximal runs of letters and digits; every other printable character is a word of
  its own (BERT treats all ASCII symbols as punctuation); whitespace separates;
* a word longer than ``max_input_chars_per_word`` is ``[UNK]``; otherwise it is cut greedily
  into the longest vocabulary pieces, continuations carrying the ``##`` prefix, and is ``[UNK]``
  as a whole when some position has no piece.

Texts that are not ASCII, or that contain ``[`` (the special tokens ``[CLS]``, ``[SEP]`` ... are
matched in the raw text before normalisation), go through the real tokenizer, so the ids are
always the tokenizer's own. The equality is tested on every sentence of the shared corpora and
on random ASCII text (``tests/fingerprint/test_wordpiece.py``).

Example:
    >>> from retold.fingerprint.minilm import load_tokenizer, model_dir   # doctest: +SKIP
    >>> fast = WordPieceIds(load_tokenizer(model_dir(), max_length=None))  # doctest: +SKIP
    >>> fast.encode(["Kim's visit."])                                      # doctest: +SKIP
    [[5035, 1005, 1055, 3942, 1012]]
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["WordPieceIds"]

# ASCII control characters that BERT's clean_text removes (tab, newline, CR become spaces).
_DROP = dict.fromkeys((*range(9), 11, 12, *range(14, 32), 127))
# After cleaning and lowercasing: runs of letters/digits, or one printable symbol.
_PIECE = re.compile(r"[a-z0-9]+|[!-/:-@\[-`{-~]")


class WordPieceIds:
    """Token ids of texts, as ``tokenizer.encode_batch(texts, add_special_tokens=False)`` gives.

    Args:
        tokenizer: A BERT uncased tokenizer (``BertNormalizer`` with lowercasing and
            ``clean_text``, ``BertPreTokenizer``, ``WordPiece``). With any other configuration
            every text goes to the tokenizer itself.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self._vocab: dict[str, int] | None = None
        self._prefix = "##"
        self._max_chars = 100
        self._unk = 0
        self._long_entries = False
        config: dict[str, Any] = json.loads(tokenizer.to_str())
        model = config.get("model") or {}
        normalizer = config.get("normalizer") or {}
        pre = config.get("pre_tokenizer") or {}
        unk = model.get("unk_token")
        if (
            model.get("type") == "WordPiece"
            and normalizer.get("type") == "BertNormalizer"
            and normalizer.get("lowercase") is True
            and normalizer.get("clean_text") is True
            and pre.get("type") == "BertPreTokenizer"
            and isinstance(unk, str)
            and unk in model.get("vocab", {})
        ):
            vocab: dict[str, int] = {str(k): int(v) for k, v in model["vocab"].items()}
            self._vocab = vocab
            self._prefix = str(model.get("continuing_subword_prefix", "##"))
            self._max_chars = int(model.get("max_input_chars_per_word", 100))
            self._unk = vocab[unk]
            # Whole-word hits need the length check only if the vocabulary holds entries
            # longer than a word may be (BERT's longest entry has 18 characters).
            self._long_entries = max(map(len, vocab)) > self._max_chars

    @property
    def fast(self) -> bool:
        """True when ASCII texts are tokenised here rather than by the tokenizer."""
        return self._vocab is not None

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text, without special tokens.

        Args:
            texts: The texts.

        Returns:
            One id list per text, equal to the tokenizer's.
        """
        out: list[list[int]] = []
        slow: list[int] = []
        vocab = self._vocab
        for i, text in enumerate(texts):
            if vocab is not None and text.isascii() and "[" not in text:
                out.append(self._ascii(text, vocab))
            else:
                out.append([])
                slow.append(i)
        if slow:
            encode = getattr(self.tokenizer, "encode_batch_fast", self.tokenizer.encode_batch)
            encodings = encode([texts[i] for i in slow], add_special_tokens=False)
            for i, encoding in zip(slow, encodings, strict=True):
                out[i] = list(encoding.ids)
        return out

    def _ascii(self, text: str, vocab: dict[str, int]) -> list[int]:
        words = _PIECE.findall(text.translate(_DROP).lower())
        ids = list(map(vocab.get, words))
        if None not in ids and (not self._long_entries or max(map(len, words)) <= self._max_chars):
            return ids  # type: ignore[return-value]  # no None left
        out: list[int] = []
        for word, found in zip(words, ids, strict=True):
            if found is not None and len(word) <= self._max_chars:
                out.append(found)
            else:
                out.extend(self._pieces(word, vocab))
        return out

    def _pieces(self, word: str, vocab: dict[str, int]) -> list[int]:
        """Greedy longest-match-first WordPiece of one word (``[UNK]`` if it cannot be cut)."""
        if len(word) > self._max_chars:
            return [self._unk]
        pieces: list[int] = []
        start = 0
        while start < len(word):
            end = len(word)
            found: int | None = None
            while start < end:
                piece = word[start:end] if start == 0 else self._prefix + word[start:end]
                found = vocab.get(piece)
                if found is not None:
                    break
                end -= 1
            if found is None:
                return [self._unk]
            pieces.append(found)
            start = end
        return pieces
