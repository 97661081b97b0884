"""Speed of ``compare``: warm in-process pairs, CLI cold start, start-up, METER eval end to end.

Usage:
    python benchmarks/compare_speed.py [--shared ../shared] [--repeat 5] [--cli-runs 10]
                                        [--skip-cli] [--skip-batch] [--skip-eval] [--clear-memos]

What it measures (targets from issue 2):

* warm compare: wall time of ``Comparer.compare(a, b)`` on ``Article`` inputs, so every
  repetition segments, tokenizes, embeds and extracts facts again (nothing is cached between
  repetitions except the stem memo, the character-folding memo, the word-vector memo of
  :mod:`retold.fingerprint.words` and the wordpiece memo of out-of-vocabulary words, which
  ``--clear-memos`` empties before every pair). Pairs:
  the example corpus (wire story against its five counterparts, about 1.4 KB) and every METER
  newspaper/PA pair whose two texts are both 3,500-4,600 characters (about 4 KB), read from
  ``<shared>/data/meter`` at run time. Target: p50 <= 20 ms on the 4 KB pairs.
* peers, same pairs, same process, interleaved with retold: exact Jaccard of word 5-gram sets
  and datasketch MinHash (128 permutations) of the same 5-grams; the exact-match baselines that
  call the seed pair unrelated. Printed as ratios retold / peer.
* CLI cold start: ``retold compare A B --format json`` as a fresh process (one warm-up run, then
  ``--cli-runs`` runs, as hyperfine does). Target <= 2 s. Also ``retold --help`` (target
  < 0.3 s) and ``python -c "import retold"`` (must not import NumPy or SciPy).
* batch: METER papers against each PA take of their story (800 pairs naming 370 articles), as
  ``retold compare --pairs`` runs them: every pair prepared afresh, and prepared articles kept
  (``Comparer.prepared``), printed as pairs/s.
* ``retold eval meter <shared>/data/meter`` end to end, its time and scores.

The machine's load average is printed before and after: on the shared 2-core reference machine
other jobs inflate wall times, so thread CPU time is printed beside wall time.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TARGET_WARM_MS = 20.0
TARGET_CLI_S = 2.0
TARGET_HELP_S = 0.3
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Timing:
    """Samples of one measured operation (seconds)."""

    wall: tuple[float, ...]
    cpu: tuple[float, ...]

    def pct(self, q: float, cpu: bool = False) -> float:
        values = sorted(self.cpu if cpu else self.wall)
        return values[min(len(values) - 1, int(q * len(values)))]


def shared_default() -> Path:
    env = os.environ.get("RETOLD_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def load_pairs(shared: Path) -> dict[str, list[tuple[object, object]]]:
    from retold.ingest import read_article
    from retold.ingest.corpora.meter import load_meter

    corpus = REPO / "examples" / "corpus"
    wire = read_article(corpus / "wire.txt")
    others = ("verbatim", "light", "heavy", "independent", "unrelated")
    groups: dict[str, list[tuple[object, object]]] = {
        "examples ~1.4 KB": [(wire, read_article(corpus / f"{name}.txt")) for name in others]
    }
    meter = shared / "data" / "meter"
    if meter.is_dir():
        loaded = load_meter(meter)
        pairs: list[tuple[object, object]] = []
        for item in loaded.newspapers:
            if not 3500 <= len(item.article.text) <= 4600:
                continue
            pairs.extend(
                (item.article, src) for src in loaded.sources(item) if 3500 <= len(src.text) <= 4600
            )
        groups["METER ~4 KB"] = pairs
    else:
        print(f"(no METER corpus at {meter}: 4 KB pairs skipped)")
    return groups


def shingles(text: str, n: int = 5) -> set[str]:
    words = _WORD.findall(text.lower())
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def exact_jaccard(a: str, b: str) -> float:
    sa, sb = shingles(a), shingles(b)
    return len(sa & sb) / len(sa | sb) if sa or sb else 0.0


def minhash_jaccard(a: str, b: str) -> float:
    from datasketch import MinHash

    ma, mb = MinHash(num_perm=128), MinHash(num_perm=128)
    ma.update_batch([s.encode("utf-8") for s in shingles(a)])
    mb.update_batch([s.encode("utf-8") for s in shingles(b)])
    return float(ma.jaccard(mb))


def measure(
    pairs: Sequence[tuple[object, object]],
    runs: dict[str, Callable[[object, object], object]],
    repeat: int,
    before_each: Callable[[], None] | None = None,
) -> dict[str, Timing]:
    """Time each named function on every pair, ``repeat`` rounds, interleaved per pair."""
    wall: dict[str, list[float]] = {name: [] for name in runs}
    cpu: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(repeat):
        for a, b in pairs:
            for name, fn in runs.items():
                if before_each is not None:
                    before_each()
                c0, w0 = time.process_time(), time.perf_counter()
                fn(a, b)
                wall[name].append(time.perf_counter() - w0)
                cpu[name].append(time.process_time() - c0)
    return {name: Timing(tuple(wall[name]), tuple(cpu[name])) for name in runs}


def clear_memos() -> None:
    import importlib

    from retold.fingerprint import get_embedder
    from retold.fingerprint.words import clear_word_vectors

    # ``retold.text`` exports a function named ``normalize``: fetch the modules themselves.
    normalize = importlib.import_module("retold.text.normalize")
    tokens = importlib.import_module("retold.text.tokens")
    tokens._STEM_CACHE.clear()
    clear_word_vectors()
    wordpiece = getattr(get_embedder("static"), "wordpiece", None)
    if wordpiece is not None:
        wordpiece.clear_memo()
    normalize._fold_char.cache_clear()
    normalize._one_to_one_changes.cache_clear()


def warm(shared: Path, repeat: int, memos: bool) -> None:
    from retold.pipeline import Comparer

    comparer = Comparer()
    peers: dict[str, Callable[[object, object], object]] = {
        "retold compare": comparer.compare,  # type: ignore[dict-item]
        "exact 5-gram Jaccard": lambda a, b: exact_jaccard(a.text, b.text),  # type: ignore[attr-defined]
    }
    try:
        import datasketch  # noqa: F401

        peers["datasketch MinHash 5-gram"] = lambda a, b: minhash_jaccard(a.text, b.text)  # type: ignore[attr-defined]
    except ImportError:
        print("(datasketch not installed: MinHash peer skipped)")
    for label, pairs in load_pairs(shared).items():
        if not pairs:
            continue
        sizes = [len(x.text) for pair in pairs for x in pair]  # type: ignore[attr-defined]
        measure(pairs[:3], peers, 1)  # warm-up: loads the embedder, fills caches
        timings = measure(pairs, peers, repeat, clear_memos if memos else None)
        print(
            f"\n{label}: {len(pairs)} pairs x {repeat} repetitions, "
            f"mean article {statistics.mean(sizes):,.0f} chars"
            + (" (memos cleared before every pair)" if memos else "")
        )
        print(f"  {'':28s} {'p50 ms':>8s} {'p90 ms':>8s} {'cpu p50':>8s} {'cpu p90':>8s}")
        for name, t in timings.items():
            print(
                f"  {name:28s} {1e3 * t.pct(0.5):8.2f} {1e3 * t.pct(0.9):8.2f} "
                f"{1e3 * t.pct(0.5, True):8.2f} {1e3 * t.pct(0.9, True):8.2f}"
            )
        ours = timings["retold compare"]
        for name, t in timings.items():
            if name != "retold compare":
                print(
                    f"  retold / {name}: {ours.pct(0.5) / t.pct(0.5):.1f}x wall p50, "
                    f"{ours.pct(0.5, True) / t.pct(0.5, True):.1f}x cpu p50"
                )
        if label.startswith("METER"):
            p50 = 1e3 * ours.pct(0.5)
            verdict = "meets" if p50 <= TARGET_WARM_MS else "MISSES"
            print(f"  target p50 <= {TARGET_WARM_MS:.0f} ms: {p50:.1f} ms wall ({verdict})")
    seeds = sorted((shared / "seeds").glob("*.txt"))
    if len(seeds) >= 2:
        from retold.ingest import read_article

        a, b = read_article(seeds[0]), read_article(seeds[1])
        r = comparer.compare(a, b)
        print(
            f"\nseed pair: retold {r.verdict.relation.value} "
            f"({r.verdict.kind.value if r.verdict.kind else '-'}, {len(r.passages)} passages); "
            f"exact 5-gram Jaccard {exact_jaccard(a.text, b.text):.3f}"
        )


def retold_command() -> list[str]:
    script = Path(sys.executable).parent / "retold"
    if script.is_file():
        return [str(script)]
    found = shutil.which("retold")
    return [found] if found else [sys.executable, "-m", "retold"]


def hyperfine(cmd: Sequence[str], runs: int) -> Timing:
    """Run ``cmd`` once to warm the page cache, then ``runs`` times; wall and child CPU time."""
    import resource

    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    walls: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        walls.append(time.perf_counter() - start)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    return Timing(tuple(walls), tuple(cpus))


def show(label: str, t: Timing, target: float | None) -> None:
    mean, sd = statistics.mean(t.wall), statistics.pstdev(t.wall)
    line = (
        f"  {label:44s} {mean:6.3f} s ± {sd:5.3f}  min {min(t.wall):6.3f}  "
        f"median {statistics.median(t.wall):6.3f}  cpu {statistics.median(t.cpu):6.3f}"
    )
    if target is not None:
        verdict = "meets" if statistics.median(t.wall) <= target else "MISSES"
        line += f"  (target {target:g} s: {verdict})"
    print(line)


def cold(shared: Path, runs: int) -> None:
    seeds = sorted((shared / "seeds").glob("*.txt"))
    corpus = REPO / "examples" / "corpus"
    a, b = (seeds[0], seeds[1]) if len(seeds) >= 2 else (corpus / "wire.txt", corpus / "heavy.txt")
    retold = retold_command()
    print(f"\ncold start ({runs} runs after one warm-up; {a.name} vs {b.name}):")
    show(
        "retold compare A B --format json",
        hyperfine([*retold, "compare", str(a), str(b), "--format", "json"], runs),
        TARGET_CLI_S,
    )
    show("retold --help", hyperfine([*retold, "--help"], runs), TARGET_HELP_S)
    show(
        'python -c "import retold"', hyperfine([sys.executable, "-c", "import retold"], runs), None
    )
    show(
        'python -c "pass" (interpreter alone)',
        hyperfine([sys.executable, "-c", "pass"], runs),
        None,
    )
    probe = "import sys, retold; print(sorted(m for m in ('numpy', 'scipy') if m in sys.modules))"
    heavy = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    print(f"  modules imported by `import retold` among numpy/scipy: {heavy.stdout.strip()}")


def meter_eval(shared: Path) -> None:
    meter = shared / "data" / "meter"
    if not meter.is_dir():
        print(f"\n(no METER corpus at {meter}: eval skipped)")
        return
    cmd = [*retold_command(), "eval", "meter", str(meter)]
    print(f"\n{' '.join(cmd)}")
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    for line in done.stdout.splitlines():
        print(f"  {line}")
    if done.returncode:
        print(f"  exit status {done.returncode}: {done.stderr.strip()[-500:]}")
    print(f"  METER courts eval end to end: {elapsed:.1f} s")


def batch(shared: Path, limit: int = 800) -> None:
    """Batch compare as ``compare --pairs`` runs it: METER papers against each PA take."""
    from retold.ingest.corpora.meter import load_meter
    from retold.pipeline import Comparer

    meter = shared / "data" / "meter"
    if not meter.is_dir():
        print(f"\n(no METER corpus at {meter}: batch skipped)")
        return
    corpus = load_meter(meter)
    pairs = [
        (item.article, take)
        for item in corpus.newspapers
        for take in corpus.pa.get((item.date, item.catchline), ())
    ][:limit]
    distinct = len({a.id for pair in pairs for a in pair})
    print(f"\nbatch: {len(pairs)} METER paper/PA-take pairs naming {distinct} articles")
    rates = {}
    for label in ("each pair prepared", "prepared articles kept"):
        comparer = Comparer()
        start = time.perf_counter()
        for a, b in pairs:
            if label == "each pair prepared":
                comparer.compare(a, b)
            else:
                comparer.compare(comparer.prepared(a), comparer.prepared(b))
        rates[label] = len(pairs) / (time.perf_counter() - start)
        print(f"  {label:<24} {rates[label]:7.1f} pairs/s")
    ratio = rates["prepared articles kept"] / rates["each pair prepared"]
    print(f"  kept / each: {ratio:.2f}x (compare --pairs keeps them)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=shared_default())
    parser.add_argument("--repeat", type=int, default=5, help="rounds over the warm pairs")
    parser.add_argument("--cli-runs", type=int, default=10)
    parser.add_argument("--skip-warm", action="store_true")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-eval", action="store_true")
    parser.add_argument("--skip-batch", action="store_true")
    parser.add_argument(
        "--clear-memos",
        action="store_true",
        help="empty the stem, folding, word-vector and wordpiece memos before every pair",
    )
    args = parser.parse_args()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average before: {load} ({os.cpu_count()} CPUs)")
    if not args.skip_warm:
        warm(args.shared, args.repeat, args.clear_memos)
    if not args.skip_cli:
        cold(args.shared, args.cli_runs)
    if not args.skip_batch:
        batch(args.shared)
    if not args.skip_eval:
        meter_eval(args.shared)
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
