"""Time and peak memory of the whole `rungate check` with the rank and sign tests at
sizes that once listed every pair (issue 12): Wilcoxon paired by seed, the sign-flip
test on per-example scores, Mann-Whitney with 100,000 runs against 50,000.

Run from the repository root with rungate installed, on Linux (GNU time):

    python benchmarks/rank_corners.py [--sizes 10000 30000 100000]

Prints wall seconds and peak resident memory from ``/usr/bin/time -v`` for each
command (one fresh process each, reading the files).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np


def _write_runs(path: Path, values: np.ndarray, prefix: str) -> None:
    lines = (
        json.dumps({"id": f"{prefix}{i}", "params": {"seed": i}, "metrics": {"acc": float(v)}})
        for i, v in enumerate(values)
    )
    path.write_text("\n".join(lines) + "\n")


def seeds(folder: Path, n: int, test: str, baseline_runs: int | None = None) -> Path:
    """n candidate runs (and n, or baseline_runs, baseline runs); paired by seed if asked."""
    rng = np.random.default_rng(n)
    shared = rng.normal(0.9, 0.01, max(n, baseline_runs or n))
    _write_runs(folder / f"c-{test}-{n}.jsonl", shared[:n] + rng.normal(0, 0.003, n), "c")
    m = baseline_runs or n
    _write_runs(folder / f"b-{test}-{n}.jsonl", shared[:m] + rng.normal(0, 0.003, m), "b")
    pair = ", pair_by: params.seed" if test in ("wilcoxon", "signflip") else ""
    policy = folder / f"{test}-{n}.yml"
    policy.write_text(
        f"candidate: c-{test}-{n}.jsonl\nbaseline: b-{test}-{n}.jsonl\ntolerance: 0.001\n"
        f"metrics: {{acc: {{direction: higher, test: {test}{pair}}}}}\n"
    )
    return policy


def examples(folder: Path, n: int) -> Path:
    """One run a side with n continuous per-example scores, compared by the sign-flip test."""
    rng = np.random.default_rng(n)
    difficulty = rng.random(n)
    for side, noise in (("c", 0.1), ("b", 0.1)):
        scores = np.clip(difficulty + rng.normal(0, noise, n), 0, 1).round(4).tolist()
        run = {"id": side, "metrics": {"score": scores}}
        (folder / f"{side}-examples-{n}.json").write_text(json.dumps({"runs": [run]}))
    policy = folder / f"examples-{n}.yml"
    policy.write_text(
        f"candidate: c-examples-{n}.json\nbaseline: b-examples-{n}.json\ntolerance: 0.001\n"
        "metrics: {score: {direction: higher, test: signflip, pair_by: example}}\n"
    )
    return policy


def measure(policy: Path) -> tuple[float, float, int]:
    """(wall seconds, peak resident MiB, exit status) of one `rungate check`."""
    rungate = shutil.which("rungate") or "rungate"
    done = subprocess.run(
        ["/usr/bin/time", "-v", rungate, "check", "--policy", str(policy)],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if wall is None or rss is None:
        raise SystemExit(done.stderr)
    hours, minutes, seconds = wall.groups()
    total = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    status = done.returncode
    if status not in (0, 1):
        raise SystemExit(done.stderr)
    return total, int(rss.group(1)) / 1024, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        cases = [
            (f"Wilcoxon, {n:,} runs paired by seed", seeds(folder, n, "wilcoxon"))
            for n in args.sizes
        ]
        cases += [(f"sign-flip, {n:,} per-example scores", examples(folder, n)) for n in args.sizes]
        cases += [
            (
                f"Mann-Whitney, {n:,} runs against {n // 2:,}",
                seeds(folder, n, "mannwhitney", n // 2),
            )
            for n in args.sizes
        ]
        print("| command | seconds | peak memory (MiB) |\n|---|--:|--:|")
        for label, policy in cases:
            seconds, mib, _ = measure(policy)
            print(f"| {label} | {seconds:.1f} | {mib:.0f} |", flush=True)


if __name__ == "__main__":
    main()
