"""How the whole `rungate check` grows with the runs and the metrics (issue 12).

Shapes like the bundled example (5 runs a side, 4 metrics, a JSON Lines history with
params and tags, Welch and Holm) scaled 10x, 100x and 1,000x in runs and in metrics, and
the issue's two large shapes: 5,000 metrics x 100 runs a side, and 100,000 runs a side x
20 metrics in JSON Lines. Each is one fresh `rungate check` under ``/usr/bin/time -v``
(Linux): wall seconds and peak resident memory.

Run from the repository root with rungate installed:

    python benchmarks/scale.py [--largest 1000]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np
from rank_corners import measure


def write_shape(folder: Path, name: str, runs: int, metrics: int) -> Path:
    """Both sides as JSON Lines in the example's layout; metric k has a mean of its own."""
    rng = np.random.default_rng(runs * 7919 + metrics)
    means = rng.uniform(0.5, 20.0, metrics)
    for side in ("c", "b"):
        values = means + rng.normal(0, 0.01, (runs, metrics)) * means
        with (folder / f"{name}-{side}.jsonl").open("w") as out:
            for i in range(runs):
                record = {
                    "id": f"{side}-{i}",
                    "start_time": 1764000000 + i,
                    "metrics": {f"m{k}": round(float(values[i, k]), 6) for k in range(metrics)},
                    "params": {"seed": i, "lr": 0.001, "epochs": 20, "model": "mlp-256"},
                    "tags": {"branch": "main", "commit": f"{i:07x}"},
                }
                out.write(json.dumps(record) + "\n")
    settings = "\n".join(
        f"  m{k}: {{direction: {'higher' if k % 2 else 'lower'}, tolerance: "
        f"{'0.5%' if k % 2 else '0.005'}}}"
        for k in range(metrics)
    )
    policy = folder / f"{name}.yml"
    policy.write_text(
        f"candidate: {name}-c.jsonl\nbaseline: {name}-b.jsonl\nmetrics:\n{settings}\n"
    )
    return policy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--largest", type=int, default=1000, help="the largest factor")
    args = parser.parse_args()
    factors = [f for f in (1, 10, 100, 1000) if f <= args.largest]
    shapes = [(f"{f}x runs", 5 * f, 4) for f in factors]
    shapes += [(f"{f}x metrics", 5, 4 * f) for f in factors if f > 1]
    shapes += [("5,000 metrics x 100 runs", 100, 5000), ("100,000 runs x 20 metrics", 100_000, 20)]
    print("| shape | runs a side | metrics | seconds | peak memory (MiB) |\n|---|--:|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for label, runs, metrics in shapes:
            policy = write_shape(folder, label.replace(" ", "_").replace(",", ""), runs, metrics)
            seconds, mib, _ = measure(policy)
            print(f"| {label} | {runs:,} | {metrics:,} | {seconds:.2f} | {mib:.0f} |", flush=True)
            for path in folder.glob("*.jsonl"):
                path.unlink()


if __name__ == "__main__":
    main()
