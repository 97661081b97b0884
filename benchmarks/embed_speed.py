"""Speed, load time and MSRP paraphrase gap of the two embedders.

Usage: python benchmarks/embed_speed.py [--pairs N] [--minilm-pairs N]

Reads ../shared/data/msrp/msr_paraphrase_train.txt (or $RETOLD_SHARED/data/msrp/...). The static
table must be built already (scripts call retold.fingerprint.build_static); its build time is
measured separately with --build.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]


def read_msrp(limit: int) -> tuple[list[str], list[str], np.ndarray]:
    shared = Path(os.environ.get("RETOLD_SHARED", REPO.parent / "shared"))
    path = shared / "data" / "msrp" / "msr_paraphrase_train.txt"
    first, second, labels = [], [], []
    for line in path.read_text(encoding="utf-8-sig").splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) == 5 and fields[0] in {"0", "1"}:
            labels.append(fields[0] == "1")
            first.append(fields[3])
            second.append(fields[4])
    return first[:limit], second[:limit], np.array(labels[:limit])


def run(name: str, pairs: int) -> None:
    from retold.fingerprint.minilm import MiniLM
    from retold.fingerprint.static import StaticEmbedder

    first, second, labels = read_msrp(pairs)
    start = time.perf_counter()
    embedder = StaticEmbedder() if name == "static" else MiniLM()
    load = time.perf_counter() - start
    embedder.embed(first[:8])  # warm-up
    start = time.perf_counter()
    a = embedder.embed(first)
    b = embedder.embed(second)
    elapsed = time.perf_counter() - start
    cosines = (a * b).sum(axis=1)
    unrelated = (a * np.roll(b, 1, axis=0)).sum(axis=1).mean()
    para, non = cosines[labels].mean(), cosines[~labels].mean()
    print(
        f"{name:7s} load {load:5.2f} s   {2 * len(first) / elapsed:8.0f} sentences/s   "
        f"MSRP ({len(first)} pairs): paraphrase {para:.3f}  non-paraphrase {non:.3f}  "
        f"gap {para - non:.3f}  unrelated {unrelated:.3f}"
    )
    if name == "static":
        article = first[:70]
        timings = []
        for _ in range(50):
            start = time.perf_counter()
            embedder.embed(article)
            timings.append(time.perf_counter() - start)
        print(
            f"static  70 sentences (one ~4 KB article): median {1000 * np.median(timings):.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pairs", type=int, default=4076)
    parser.add_argument("--minilm-pairs", type=int, default=300)
    parser.add_argument("--build", action="store_true", help="time a forced static build first")
    args = parser.parse_args()
    start = time.perf_counter()
    sum(range(10**7))
    print(
        f"CPU reference: 10^7 Python additions took {time.perf_counter() - start:.2f} s "
        "(the machine may be shared: compare runs by it)"
    )
    if args.build:
        from retold.fingerprint import build_static

        start = time.perf_counter()
        build_static(force=True)
        print(f"static  build {time.perf_counter() - start:.1f} s")
    run("static", args.pairs)
    run("minilm", args.minilm_pairs)


if __name__ == "__main__":
    main()
