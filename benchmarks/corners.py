"""Time the whole `rungate check` on two shapes that used to grow badly (issue 12):

1. many metrics with a non-zero tolerance, where each passing metric's "runs a side
   needed" figure once scanned up to 10,000 run counts (now a halving search);
2. many runs that each carry a parameter name of their own, where the table of
   parameters that differ once looked every name up in every run (now one pass).

Run from the repository root with rungate installed:

    python benchmarks/corners.py [--repeat 3]

Prints the median wall time of each command (a fresh process, reading the files).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path


def many_metrics(folder: Path, metrics: int, tolerance: float) -> Path:
    rng = random.Random(1)
    for side in ("c", "b"):
        runs = [
            {"id": f"{side}{i}", "metrics": {f"m{k}": rng.gauss(0.9, 0.01) for k in range(metrics)}}
            for i in range(5)
        ]
        (folder / f"{side}.json").write_text(json.dumps({"runs": runs}))
    settings = "\n".join(f"  m{k}: {{direction: higher}}" for k in range(metrics))
    policy = folder / f"metrics-{metrics}-{tolerance:g}.yml"
    policy.write_text(
        f"candidate: c.json\nbaseline: b.json\ntolerance: {tolerance}\nmetrics:\n{settings}\n"
    )
    return policy


def many_param_names(folder: Path, runs: int) -> Path:
    rng = random.Random(2)
    for side in ("c", "b"):
        lines = [
            json.dumps(
                {
                    "id": f"{side}{i}",
                    "metrics": {"acc": rng.gauss(0.9, 0.01)},
                    "params": {f"p{side}{i}": i},
                }
            )
            for i in range(runs)
        ]
        (folder / f"{side}-{runs}.jsonl").write_text("\n".join(lines) + "\n")
    policy = folder / f"params-{runs}.yml"
    policy.write_text(
        f"candidate: c-{runs}.jsonl\nbaseline: b-{runs}.jsonl\n"
        "metrics: {acc: {direction: higher}}\n"
    )
    return policy


def median_seconds(policy: Path, repeat: int) -> float:
    rungate = shutil.which("rungate") or "rungate"
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(
            [rungate, "check", "--policy", str(policy)], capture_output=True, check=False
        )
        times.append(time.perf_counter() - start)
        if done.returncode not in (0, 1):
            raise SystemExit(done.stderr.decode())
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        print("| command | median (s) |\n|---|--:|")
        for metrics in (1000, 5000):
            for tolerance in (0.0, 0.01):
                seconds = median_seconds(many_metrics(folder, metrics, tolerance), args.repeat)
                print(f"| {metrics} metrics x 5 runs, tolerance {tolerance:g} | {seconds:.2f} |")
        for runs in (2000, 10000):
            seconds = median_seconds(many_param_names(folder, runs), args.repeat)
            print(f"| {runs} runs a side, a parameter name each | {seconds:.2f} |")


if __name__ == "__main__":
    main()
