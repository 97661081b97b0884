"""A pure-Python fast path of BERT uncased WordPiece tokenisation for Latin text.

:class:`tokenizers.Tokenizer` costs about 6 ms for the 30-odd sentences of a 4 KB article on the
2-core reference machine (batch set-up, offsets and alignment bookkeeping it computes whatever we
ask for), more than every other part of preparing the article; even one sentence costs about
1 ms. For ASCII text the ``BertNormalizer`` + ``BertPreTokenizer`` + ``WordPiece`` pipeline
reduces to a few rules that a dictionary lookup per word can follow exactly:

* control characters other than tab, newline and carriage return vanish (``clean_text``);
  everything is lowercased;
* words are maximal runs of letters and digits; every other printable character is a word of
  its own (BERT treats all ASCII symbols as punctuation); whitespace separates;
* a word longer than ``max_input_chars_per_word`` is ``[UNK]``; otherwise it is cut greedily
  into the longest vocabulary pieces, continuations carrying the ``##`` prefix, and is ``[UNK]``
  as a whole when some position has no piece.

The Latin-1 and Latin Extended characters, general punctuation and currency signs (``£``, ``é``,
``’``, ``—``, ``€`` ...) follow the same rules once each is replaced by what the tokenizer's own
normaliser makes of it (accents stripped, lowercased; a no-break space becomes a space, a soft
hyphen vanishes) and sorted, by the tokenizer's own pre-tokeniser, into word characters,
punctuation or space: a table built once from the tokenizer.

Texts with any other character, or with ``[`` (the special tokens ``[CLS]``, ``[SEP]`` ... are
matched in the raw text before normalisation), go through the real tokenizer, so the ids are
always the tokenizer's own. The equality is tested on every sentence of the shared corpora, on
every character of the table and on random text (``tests/fingerprint/test_wordpiece.py``).

Example:
    >>> from retold.fingerprint.minilm import load_tokenizer, model_dir   # doctest: +SKIP
    >>> fast = WordPieceIds(load_tokenizer(model_dir(), max_length=None))  # doctest: +SKIP
    >>> fast.encode(["Kim's visit."])                                      # doctest: +SKIP
    [[5035, 1005, 1055, 3942, 1012]]
"""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["Encoded", "WordPieceIds"]

# ASCII control characters that BERT's clean_text removes (tab, newline, CR become spaces).
_DROP = dict.fromkeys((*range(9), 11, 12, *range(14, 32), 127))
# ASCII symbols: each is a word of its own for BERT.
_ASCII_PUNCT = r"!-/:-@\[-`{-~"
# Non-ASCII characters the fast path may meet: Latin-1 Supplement, Latin Extended-A and -B,
# General Punctuation, Currency Symbols. Those the tokenizer handles in a way these rules cannot
# follow (combining marks, characters that normalise to several words) are left out at set-up.
_TABLE_RANGES = ((0x80, 0x250), (0x2010, 0x205F), (0x20A0, 0x20C0))
# Out-of-vocabulary words whose pieces are remembered (then the memo starts afresh).
_CUT_MEMO_LIMIT = 100_000
# One text per join: "[" never occurs in a fast-path text and is a piece of its own.
_JOIN = "["


@dataclass(frozen=True, slots=True)
class Encoded:
    """Token ids of many texts, concatenated.

    Attributes:
        ids: Every text's ids, one text after the other.
        lengths: How many ids each text has.
    """

    ids: npt.NDArray[np.int64]
    lengths: npt.NDArray[np.int64]


def _char_table(tokenizer: Tokenizer) -> tuple[dict[int, str], str, str]:
    """What the fast path makes of each non-ASCII character it handles.

    Returns:
        A ``str.translate`` table (ASCII controls dropped; each handled character replaced by
        its normalised form), the non-ASCII word characters and the non-ASCII punctuation that
        can appear after translation.
    """
    normalizer, pre = tokenizer.normalizer, tokenizer.pre_tokenizer
    table: dict[int, str] = dict(_DROP)
    letters: set[str] = set()
    puncts: set[str] = set()
    kinds: dict[str, str] = {}

    def kind(c: str) -> str:
        if c not in kinds:
            parts = [p for p, _ in pre.pre_tokenize_str(f"a{c}a")]
            kinds[c] = {1: "word", 2: "space", 3: "punct"}.get(len(parts), "other")
            if kinds[c] == "word" and parts != [f"a{c}a"]:
                kinds[c] = "other"
        return kinds[c]

    for lo, hi in _TABLE_RANGES:
        for code in range(lo, hi):
            ch = chr(code)
            norm = normalizer.normalize_str(ch)
            if norm.lower() != norm or any(unicodedata.combining(c) for c in norm):
                continue
            if any(c == "[" or (not c.isascii() and kind(c) == "other") for c in norm):
                continue
            if any(not c.isascii() and kind(c) == "space" and c != " " for c in norm):
                continue
            table[code] = norm
            for c in norm:
                if not c.isascii():
                    (puncts if kind(c) == "punct" else letters).add(c)
    return table, "".join(sorted(letters)), "".join(sorted(puncts))


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
        self._longest = 0
        self._join_id: int | None = None
        # Pieces of out-of-vocabulary words, kept across texts: names and rare words recur from
        # one article to the next, and cutting one costs a dozen dictionary probes.
        self._cut: dict[str, list[int]] = {}
        self._table: dict[int, str] = dict(_DROP)
        self._special = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\U0010ffff]")
        self._changes = {chr(code): out for code, out in self._table.items()}
        self._other = re.compile(r"[^\x00-\x5a\x5c-\x7f]")
        self._piece = re.compile(f"[a-z0-9]+|[{_ASCII_PUNCT}]")
        self._split_first = True
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
            self._longest = max(map(len, vocab))
            self._long_entries = self._longest > self._max_chars
            self._join_id = vocab.get(_JOIN)
            self._table, letters, puncts = _char_table(tokenizer)
            handled = "".join(chr(c) for c in sorted(self._table) if c > 127)
            self._changes = {chr(code): out for code, out in self._table.items()}
            self._other = re.compile(f"[^\\x00-\\x5a\\x5c-\\x7f{re.escape(handled)}]")
            punct = _ASCII_PUNCT + re.escape(puncts)
            self._piece = re.compile(f"[a-z0-9{re.escape(letters)}]+|[{punct}]")
            # Words split at whitespace first (see ``_words``) only if no character of the
            # table is a space for ``str.split`` or an alphanumeric punctuation mark.
            self._split_first = not any(c.isspace() for c in letters + puncts) and not any(
                c.isalnum() for c in puncts
            )

    def clear_memo(self) -> None:
        """Forget the remembered pieces of out-of-vocabulary words."""
        self._cut = {}

    @property
    def fast(self) -> bool:
        """True when Latin texts are tokenised here rather than by the tokenizer."""
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
            if vocab is not None and self._handles(text):
                out.append(self._fast_ids(text, vocab))
            else:
                out.append([])
                slow.append(i)
        if slow:
            for i, ids in zip(slow, self._slow_ids([texts[i] for i in slow]), strict=True):
                out[i] = ids
        return out

    def encode_flat(self, texts: Sequence[str]) -> Encoded:
        """Token ids of all texts at once, as :meth:`encode` gives them but concatenated.

        The texts of the fast path are joined and tokenised in one pass (one regex scan, one
        dictionary lookup per word), which for the 30 sentences of a 4 KB article costs about
        half as much as 30 passes.

        Args:
            texts: The texts.

        Returns:
            The ids and how many belong to each text.
        """
        vocab, join_id = self._vocab, self._join_id
        if vocab is None or join_id is None:
            return _flatten(self.encode(texts))
        fast = [text for text in texts if self._handles(text)]
        if not fast:
            return _flatten(self._slow_ids(list(texts)) if texts else [])
        flat = np.array(self._fast_ids(_JOIN.join(fast), vocab), dtype=np.int64)
        joins = np.flatnonzero(flat == join_id)
        lengths = np.diff(np.concatenate(([-1], joins, [len(flat)]))) - 1
        if len(joins):
            flat = flat[flat != join_id]
        if len(fast) == len(texts):
            return Encoded(flat, lengths.astype(np.int64))
        # Some texts need the tokenizer: put every text's ids back in order.
        slow = iter(self._slow_ids([text for text in texts if not self._handles(text)]))
        pieces = iter(np.split(flat, np.cumsum(lengths)[:-1]))
        return _flatten([next(pieces).tolist() if self._handles(t) else next(slow) for t in texts])

    def _replace(self, match: re.Match[str]) -> str:
        return self._changes[match[0]]

    def _handles(self, text: str) -> bool:
        """Whether ``text`` takes the fast path (no ``[``, every character in the table)."""
        if text.isascii():
            return "[" not in text
        return self._other.search(text) is None

    def _slow_ids(self, texts: list[str]) -> list[list[int]]:
        encode = getattr(self.tokenizer, "encode_batch_fast", self.tokenizer.encode_batch)
        return [list(e.ids) for e in encode(texts, add_special_tokens=False)]

    def _fast_ids(self, text: str, vocab: dict[str, int]) -> list[int]:
        # Only the few characters that change are visited (``str.translate`` walks them all).
        clean = self._special.sub(self._replace, text) if self._special.search(text) else text
        words = self._words(clean.lower())
        ids = list(map(vocab.get, words))
        if self._long_entries:
            ids = [None if len(w) > self._max_chars else i for w, i in zip(words, ids, strict=True)]
        if None not in ids:
            return ids  # type: ignore[return-value]  # no None left
        # Words not in the vocabulary (a few dozen of a 4 KB article's 800) are cut into pieces.
        out: list[int] = []
        done = 0
        cut = self._cut
        if len(cut) > _CUT_MEMO_LIMIT:
            cut = self._cut = {}
        for k in [k for k, found in enumerate(ids) if found is None]:
            out += ids[done:k]  # type: ignore[arg-type]  # no None before k
            word = words[k]
            pieces = cut.get(word)
            if pieces is None:
                pieces = cut[word] = self._pieces(word, vocab)
            out += pieces
            done = k + 1
        out += ids[done:]  # type: ignore[arg-type]  # no None after the last one
        return out

    def _words(self, clean: str) -> list[str]:
        """BERT's words of a cleaned, lowercased text: what ``self._piece.findall`` gives.

        After cleaning, every character is whitespace, a word character or a punctuation
        mark. Whitespace (what ``str.split`` cuts at) never belongs to a word, and an
        alphanumeric piece between spaces is one word, so only the pieces holding punctuation
        need the regex: 0.2 ms instead of 0.45 ms for a 4 KB METER article.
        """
        findall = self._piece.findall
        if not self._split_first:
            return findall(clean)
        out: list[str] = []
        for piece in clean.split():
            if piece.isalnum():
                out.append(piece)
            else:
                out += findall(piece)
        return out

    def _pieces(self, word: str, vocab: dict[str, int]) -> list[int]:
        """Greedy longest-match-first WordPiece of one word (``[UNK]`` if it cannot be cut)."""
        if len(word) > self._max_chars:
            return [self._unk]
        pieces: list[int] = []
        start = 0
        longest = self._longest
        while start < len(word):
            # No vocabulary entry is longer than ``longest``: shorter candidates only.
            end = min(len(word), start + longest)
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


def _flatten(id_lists: list[list[int]]) -> Encoded:
    lengths = np.fromiter(map(len, id_lists), dtype=np.int64, count=len(id_lists))
    ids = np.fromiter(itertools.chain.from_iterable(id_lists), np.int64, int(lengths.sum()))
    return Encoded(ids, lengths)
