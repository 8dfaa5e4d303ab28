"""Fuzz the ETL with mutated disclosures through the same isolated pool a build uses.

Every input must end as `ok` or as `failed: <reason>`; the run prints how many ended in an
unexpected exception (a parser bug, caught and reported as one line), how many ran past the
per-file limits, the largest worker memory, and whether every good file in a mixed folder
(the samples plus mutated files) still loaded. Mutations: benchmarks/hostile.py.

Usage: .venv/bin/python benchmarks/fuzz.py [--n 10000] [--seed 1] [--jobs 2] [--timeout 30]
The test suite runs a bounded version (tests/integration/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.hostile import MUTATORS, mutate  # noqa: E402
from etl.engine.limits import Limits  # noqa: E402
from etl.engine.pool import IsolatedPool  # noqa: E402

RAW = ROOT / "data" / "raw"


@dataclass
class FuzzReport:
    n: int = 0
    ok: int = 0
    failed: int = 0
    unexpected: list[str] = field(default_factory=list)
    over_limit: list[str] = field(default_factory=list)
    reasons: collections.Counter = field(default_factory=collections.Counter)
    peak_worker_mib: float = 0.0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        out = [
            f"inputs {self.n}: ok {self.ok}, failed with a reason {self.failed}, "
            f"unexpected exceptions {len(self.unexpected)}, past the per-file limit {len(self.over_limit)}",
            f"peak worker RSS {self.peak_worker_mib:.0f} MiB; {self.seconds:.0f} s "
            f"({self.n / max(self.seconds, 1e-9):.1f} inputs/s)",
            "most common reasons:",
        ]
        out += [f"  {c:6d}  {r}" for r, c in self.reasons.most_common(12)]
        out += [f"  UNEXPECTED {u}" for u in self.unexpected[:20]]
        out += [f"  OVER LIMIT {u}" for u in self.over_limit[:20]]
        return out


def seeds(include_pdf: bool = True) -> list[tuple[str, bytes]]:
    out = [(p.name, p.read_bytes()) for p in sorted(RAW.glob("*.txt"))]
    if include_pdf:
        smallest = min(RAW.glob("*.pdf"), key=lambda p: p.stat().st_size)
        out.append((smallest.name, smallest.read_bytes()))
    return out


def _reason(message: str) -> str:
    return message.split(":", 2)[1].strip() if message.count(":") >= 2 else message


def run(n: int, seed: int, jobs: int, limits: Limits, workdir: Path, pdf_share: float = 0.03) -> FuzzReport:
    rng = random.Random(seed)
    pool_seeds = seeds()
    texts = [s for s in pool_seeds if s[0].endswith(".txt")]
    pdfs = [s for s in pool_seeds if s[0].endswith(".pdf")]
    tasks = []
    for i in range(n):
        name, data = rng.choice(pdfs) if pdfs and rng.random() < pdf_share else rng.choice(texts)
        kind, mutated = mutate(data, rng, MUTATORS[i % len(MUTATORS)] if i < len(MUTATORS) else None)
        path = workdir / f"{i:06d}-{kind}{Path(name).suffix}"
        path.write_bytes(mutated)
        tasks.append((i, str(path)))
    rep = FuzzReport(n=n)
    t0 = time.perf_counter()
    pool = IsolatedPool(jobs, limits, cache_root=None)
    for r in pool.run(tasks):
        if r.ok:
            rep.ok += 1
        else:
            rep.failed += 1
            rep.reasons[_reason(r.message)[:70]] += 1
        if "unexpected" in r.message:
            rep.unexpected.append(f"{Path(r.path).name}: {r.message}")
        if r.retryable:
            rep.over_limit.append(f"{Path(r.path).name}: {r.message}")
        Path(r.path).unlink(missing_ok=True)
    rep.seconds = time.perf_counter() - t0
    rep.peak_worker_mib = pool.peak_worker_rss_mb
    return rep


def mixed_folder(seed: int, workdir: Path, bad: int = 40) -> tuple[int, int, list[str]]:
    """The samples plus `bad` mutated files in one build: (good files, good loaded, failures)."""
    import shutil

    from etl.build import Engine, build

    rng = random.Random(seed)
    folder = workdir / "mixed"
    folder.mkdir()
    good = sorted(RAW.glob("*.txt")) + sorted(RAW.glob("*.pdf"))
    for p in good:
        shutil.copy(p, folder / p.name)
    texts = seeds(include_pdf=False)
    for i in range(bad):
        name, data = rng.choice(texts)
        kind, mutated = mutate(data, rng)
        (folder / f"zz-mutated-{i:03d}-{kind}.txt").write_bytes(mutated)
    res = build([folder], workdir / "mixed.duckdb", engine=Engine(jobs=2, use_cache=False))
    names = {p.name for p in good}
    loaded = sum(1 for o in res.outcomes if o.path.name in names and o.ok)
    return len(good), loaded, [o.line for o in res.outcomes if o.path.name in names and not o.ok]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--memory-mb", type=int, default=1024)
    a = ap.parse_args()
    limits = Limits(timeout_s=a.timeout, memory_mb=a.memory_mb)
    with tempfile.TemporaryDirectory(prefix="fuzz-") as tmp:
        rep = run(a.n, a.seed, a.jobs, limits, Path(tmp))
        print("\n".join(rep.lines()))
        print(f"limits: {limits.describe()}")
        n_good, loaded, lost = mixed_folder(a.seed, Path(tmp))
        print(f"mixed folder: {loaded} of {n_good} good files loaded beside 40 mutated ones")
        for line in lost:
            print(f"  LOST {line}")


if __name__ == "__main__":
    main()
