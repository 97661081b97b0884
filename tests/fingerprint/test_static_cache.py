"""The static table cache: location, atomic writes, corruption detection, determinism."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from retold.fingerprint import build_static, model_dir
from retold.fingerprint import static as static_module
from retold.fingerprint.cache import cache_dir, file_sha256, load_array, save_array_atomic
from retold.fingerprint.minilm import MiniLM
from retold.fingerprint.static import RECIPE, StaticEmbedder, derive_table, static_path

# Vocabulary slice used where the full distillation (about a minute on two cores) is not needed:
# ids 999-1298 are 300 real tokens, enough for 256 PCA dimensions.
SLICE = np.arange(1299, dtype=np.int64)


@pytest.fixture
def tmp_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RETOLD_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_cache_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("RETOLD_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert cache_dir() == tmp_path / "home" / ".cache" / "retold"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "retold"
    monkeypatch.setenv("RETOLD_CACHE_DIR", str(tmp_path / "own"))
    assert cache_dir() == tmp_path / "own"
    assert cache_dir().is_dir()


def test_array_round_trip_and_rejections(tmp_cache: Path) -> None:
    path = tmp_cache / "table.npy"
    assert load_array(path, (40, 8)) is None  # missing
    table = np.random.default_rng(1).standard_normal((40, 8)).astype(np.float32)
    save_array_atomic(path, table)
    loaded = load_array(path, (40, 8))
    assert loaded is not None
    np.testing.assert_array_equal(loaded, table)
    assert [p.name for p in tmp_cache.iterdir()] == ["table.npy"]  # no temp file left
    assert load_array(path, (40, 9)) is None  # another shape than promised

    data = path.read_bytes()
    path.write_bytes(data[:-7])  # a write cut short
    assert load_array(path, (40, 8)) is None
    path.write_bytes(data[:50])  # cut inside the header
    assert load_array(path, (40, 8)) is None
    path.write_bytes(b"not an npy file at all")
    assert load_array(path, (40, 8)) is None

    table[3, 4] = np.nan
    save_array_atomic(path, table)
    assert load_array(path, (40, 8)) is None


def test_failed_write_keeps_previous_file(tmp_cache: Path) -> None:
    path = tmp_cache / "table.npy"
    good = np.ones((4, 4), dtype=np.float32)
    save_array_atomic(path, good)
    with pytest.raises(ValueError, match="pickle"):
        save_array_atomic(path, np.array([{"a": 1}], dtype=object))  # type: ignore[arg-type]
    loaded = load_array(path, (4, 4))
    assert loaded is not None
    np.testing.assert_array_equal(loaded, good)
    assert [p.name for p in tmp_cache.iterdir()] == ["table.npy"]


def test_file_hash_is_memoised_and_follows_changes(tmp_cache: Path, tmp_path: Path) -> None:
    blob = tmp_path / "weights.bin"
    blob.write_bytes(b"first version")
    assert file_sha256(blob) == hashlib.sha256(b"first version").hexdigest()
    assert (tmp_cache / "file-hashes.json").is_file()
    assert file_sha256(blob) == hashlib.sha256(b"first version").hexdigest()
    blob.write_bytes(b"second, longer version")
    os.utime(blob, ns=(1, 2))
    assert file_sha256(blob) == hashlib.sha256(b"second, longer version").hexdigest()


@pytest.mark.model
@pytest.mark.usefixtures("weights_installed")
def test_file_name_carries_weights_hash_and_recipe(tmp_cache: Path) -> None:
    name = static_path().name
    digest = file_sha256(model_dir() / "model.safetensors")
    assert name == f"static-{digest[:16]}-r{RECIPE}-d256.npy"


@pytest.fixture(scope="module")
def minilm(weights_installed: None) -> MiniLM:
    return MiniLM()


@pytest.mark.model
@pytest.mark.usefixtures("weights_installed")
def test_derivation_is_deterministic(minilm: MiniLM) -> None:
    first = derive_table(minilm, SLICE)
    second = derive_table(minilm, SLICE)
    assert first.dtype == np.float32
    assert first.shape == (minilm.vocab_size, 256)
    np.testing.assert_array_equal(first, second)
    assert not first[:999].any()  # [PAD], [unusedN] and specials never occur in text
    assert not first[1299:].any()
    assert np.count_nonzero(np.abs(first[999:1299]).sum(axis=1)) == 300


@pytest.fixture
def slice_builds(monkeypatch: pytest.MonkeyPatch, tmp_cache: Path) -> list[int]:
    """Make builds distil only :data:`SLICE` (real model, real PCA, real file); count them."""
    calls: list[int] = []
    real = static_module.derive_table

    def reduced(model: MiniLM, token_ids: npt.NDArray[np.int64], dims: int = 256) -> np.ndarray:
        calls.append(len(token_ids))
        return real(model, SLICE, dims)

    monkeypatch.setattr(static_module, "derive_table", reduced)
    return calls


@pytest.mark.model
@pytest.mark.usefixtures("weights_installed")
def test_build_when_missing_then_reuse(slice_builds: list[int]) -> None:
    path = build_static()
    assert path.is_file()
    assert len(slice_builds) == 1
    assert build_static() == path
    assert len(slice_builds) == 1  # valid cache: not rebuilt
    build_static(force=True)
    assert len(slice_builds) == 2


@pytest.mark.model
@pytest.mark.usefixtures("weights_installed")
def test_truncated_cache_is_rebuilt(slice_builds: list[int]) -> None:
    path = build_static()
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 2])
    embedder = StaticEmbedder()  # loading notices the damage and rebuilds
    assert len(slice_builds) == 2
    assert path.read_bytes() == good
    assert embedder.embed(["a vocabulary slice still embeds"]).shape == (1, 256)
