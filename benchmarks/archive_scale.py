"""Archive scale benchmark: index METER courts, Reuters-21578, BBC and the seeds into one archive.

Prints docs/s per stage (read, fingerprint, store, candidates, compare), the MinHash stage with
datasketch and rensa side by side on the same shingles, exact inner product with NumPy and faiss,
cost growth at 5k / 10k / full size against linear, and the METER query criterion: for each
wholly/partially derived newspaper story, is a PA file of its catchline in the top 5 of ``query``,
above every article of another story?

Run: python benchmarks/archive_scale.py [--shared ../shared] [--skip-recall] [--limit N]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from retold.ingest.corpora.meter import load_meter
from retold.model import Article
from retold.pipeline.archive import StageTimes, candidate_pairs, fingerprint, index, query
from retold.retrieve.ann import top_k
from retold.retrieve.minhash import Shingler
from retold.store import Archive

_WORD = re.compile(r"\w+")


def sources(shared: Path) -> list[tuple[Path, str | None]]:
    data = shared / "data"
    return [
        (data / "meter", "meter"),
        (data / "reuters21578", None),
        (data / "bbc-news", "bbc"),
        (shared / "seeds", None),
    ]


def run_index(shared: Path, db: Path) -> None:
    total = StageTimes()
    read = added = 0
    t0 = time.perf_counter()
    for path, fmt in sources(shared):
        r = index([path], db, format=fmt)
        read += r.read
        added += r.added
        for name in ("read", "fingerprint", "store"):
            setattr(total, name, getattr(total, name) + getattr(r.timings, name))
        print(f"  {path.name:<14} read {r.read:>6}  added {r.added:>6}  errors {len(r.errors)}")
    wall = time.perf_counter() - t0
    t1 = time.perf_counter()
    pairs = list(candidate_pairs(db))
    cand = time.perf_counter() - t1
    print(f"index: {read} read, {added} stored in {wall:.1f}s ({read / wall:.0f} docs/s overall)")
    for name in ("read", "fingerprint", "store"):
        secs = getattr(total, name)
        print(f"  stage {name:<12} {secs:6.1f}s  {read / max(secs, 1e-9):8.0f} docs/s")
    print(
        f"  stage candidates   {cand:6.1f}s  {added / max(cand, 1e-9):8.0f} docs/s "
        f"({len(pairs)} pairs, {len(pairs) / max(added, 1):.1f} per article)"
    )


def minhash_side_by_side(texts: list[str]) -> None:
    shingle_sets = []
    t0 = time.perf_counter()
    for t in texts:
        w = _WORD.findall(t.lower())
        shingle_sets.append([" ".join(w[i : i + 3]) for i in range(max(1, len(w) - 2))])
    split = time.perf_counter() - t0
    import rensa

    t0 = time.perf_counter()
    rensa.RMinHash.digest_matrix_from_token_sets(shingle_sets, 128, 1).to_rows()
    t_rensa = time.perf_counter() - t0
    import datasketch

    t0 = time.perf_counter()
    for s in shingle_sets:
        m = datasketch.MinHash(num_perm=128, seed=1)
        m.update_batch([x.encode() for x in s])
    t_ds = time.perf_counter() - t0
    t0 = time.perf_counter()
    Shingler().signatures(texts)
    t_ours = time.perf_counter() - t0
    n = len(texts)
    print(f"minhash on {n} texts (3-gram shingles split in Python: {n / split:.0f} docs/s):")
    print(f"  rensa      {n / t_rensa:8.0f} docs/s  (+ split: {n / (t_rensa + split):.0f})")
    print(f"  datasketch {n / t_ds:8.0f} docs/s  (+ split: {n / (t_ds + split):.0f})")
    print(
        f"  retold     {n / t_ours:8.0f} docs/s  (end to end: tokens, xxh3, NumPy n-grams, rensa)"
    )


def ann_side_by_side(vectors: np.ndarray) -> None:
    t0 = time.perf_counter()
    top_k(vectors, vectors, 10, exclude_self=True)
    t_np = time.perf_counter() - t0
    line = (
        f"exact top-10 over {len(vectors)}x{vectors.shape[1]}: numpy {len(vectors) / t_np:.0f} q/s"
    )
    try:
        import faiss

        idx = faiss.IndexFlatIP(vectors.shape[1])
        idx.add(np.ascontiguousarray(vectors))
        t0 = time.perf_counter()
        idx.search(np.ascontiguousarray(vectors), 11)
        t_fa = time.perf_counter() - t0
        line += f", faiss IndexFlatIP {len(vectors) / t_fa:.0f} q/s"
    except ImportError:
        line += ", faiss not installed"
    print(line)


def growth(articles: list[Article], sizes: list[int]) -> None:
    print("cost growth (fingerprint + store + candidate pairs):")
    base = None
    for n in sizes:
        subset = articles[:n]
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "g.db"
            t0 = time.perf_counter()
            with Archive.open(db) as archive:
                for s in range(0, len(subset), 500):
                    chunk = subset[s : s + 500]
                    archive.add(chunk, fingerprint(chunk))
                pairs = sum(1 for _ in candidate_pairs(archive))
            secs = time.perf_counter() - t0
        per = secs / n
        base = base or per
        print(
            f"  {n:>6} articles {secs:6.1f}s  {n / secs:6.0f} docs/s  {pairs} pairs  "
            f"cost per article vs first: {per / base:.2f}x"
        )


def meter_recall(shared: Path, db: Path, limit: int | None) -> None:
    corpus = load_meter(shared / "data" / "meter")
    pa_ids: dict[str, tuple[str, str]] = {}
    for key, arts in corpus.pa.items():
        for a in arts:
            pa_ids[a.id] = key
    story_of: dict[str, tuple[str, str]] = dict(pa_ids)
    for item in corpus.newspapers:
        story_of.setdefault(item.article.id, (item.date, item.catchline))
    items = [i for i in corpus.newspapers if i.label in ("wholly", "partially")]
    items = items[:limit] if limit else items
    times = StageTimes()
    t0 = time.perf_counter()
    results = query([i.article for i in items], db, top=5, timings=times)
    secs = time.perf_counter() - t0
    hits = {"wholly": [0, 0], "partially": [0, 0]}
    for item, res in zip(items, results, strict=True):
        key = (item.date, item.catchline)
        ok = False
        for m in res.matches:
            other = story_of.get(m.article_id)
            if m.article_id in pa_ids and pa_ids[m.article_id] == key:
                ok = True
                break
            if other != key:  # an article of another story (or of no METER story) ranks above
                break
        hits[str(item.label)][0] += ok
        hits[str(item.label)][1] += 1
    n = len(items)
    print(
        f"METER query criterion on {n} derived stories ({n / secs:.1f} queries/s; "
        f"candidates {times.candidates:.1f}s, compare {times.compare:.1f}s):"
    )
    got = sum(h[0] for h in hits.values())
    for label, (ok, tot) in hits.items():
        print(f"  {label:<10} {ok}/{tot} = {ok / max(tot, 1):.1%}")
    print(f"  all        {got}/{n} = {got / max(n, 1):.1%}  (target >= 98 %)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared"
    )
    parser.add_argument("--skip-recall", action="store_true")
    parser.add_argument("--skip-growth", action="store_true")
    parser.add_argument("--limit", type=int, default=None, help="METER queries to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "archive.db"
        print("indexing METER courts, Reuters-21578, BBC and the seeds into one archive")
        run_index(args.shared, db)
        with Archive.open(db) as archive:
            articles = list(archive.iter_articles())
            vectors = archive.vectors().matrix
        minhash_side_by_side([a.text for a in articles[:5000]])
        ann_side_by_side(vectors)
        if not args.skip_growth:
            sizes = [n for n in (5000, 10000) if n < len(articles)] + [len(articles)]
            rng = np.random.default_rng(0)
            order = rng.permutation(len(articles))
            growth([articles[i] for i in order], sizes)
        if not args.skip_recall:
            meter_recall(args.shared, db, args.limit)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
