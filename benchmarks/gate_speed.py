"""The whole `rungate check` against a script doing only the statistics with scipy (issue 12).

1. 200 metrics x 30 runs a side, `test: bootstrap` (10,000 resamples): `rungate check`
   against a script that loads the same two files and calls `scipy.stats.bootstrap` once a
   metric.
2. 100,000 continuous per-example scores, `test: paired_bootstrap`: `rungate check`
   against a script that loads the same files and calls `scipy.stats.ttest_rel`.

Each command is a fresh process, timed in turns so that the machine's load falls on both
alike. Run from the repository root with rungate installed:

    python benchmarks/gate_speed.py [--repeat 5] [--only metrics|scores]

Prints the median seconds of each and their ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

METRICS, RUNS = 200, 30
SCORES = 100_000

SCIPY_BOOTSTRAP = """
import json, sys
import numpy as np
from scipy import stats
cand, base = (json.load(open(p))["runs"] for p in sys.argv[1:3])
for name in cand[0]["metrics"]:
    x = np.array([r["metrics"][name] for r in cand])
    y = np.array([r["metrics"][name] for r in base])
    stats.bootstrap((x, y), lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis),
                    n_resamples=10_000, vectorized=True, rng=np.random.default_rng(0))
"""

SCIPY_TTEST = """
import json, sys
import numpy as np
from scipy import stats
cand, base = (json.load(open(p))["runs"][0]["metrics"]["score"] for p in sys.argv[1:3])
stats.ttest_rel(np.array(cand), np.array(base), alternative="less")
"""


def many_metrics(folder: Path) -> tuple[Path, Path, Path]:
    rng = np.random.default_rng(1)
    paths = []
    for side, shift in (("c", 0.0), ("b", 0.0)):
        values = rng.normal(0.9 + shift, 0.01, (RUNS, METRICS))
        runs = [
            {"id": f"{side}{i}", "metrics": {f"m{k}": float(values[i, k]) for k in range(METRICS)}}
            for i in range(RUNS)
        ]
        path = folder / f"{side}-metrics.json"
        path.write_text(json.dumps({"runs": runs}))
        paths.append(path)
    settings = "\n".join(f"  m{k}: {{direction: higher}}" for k in range(METRICS))
    policy = folder / "metrics.yml"
    policy.write_text(
        "candidate: c-metrics.json\nbaseline: b-metrics.json\ntolerance: 0.005\n"
        f"test: bootstrap\nmetrics:\n{settings}\n"
    )
    return policy, paths[0], paths[1]


def many_scores(folder: Path) -> tuple[Path, Path, Path]:
    rng = np.random.default_rng(2)
    difficulty = rng.random(SCORES)
    paths = []
    for side in ("c", "b"):
        scores = np.clip(difficulty + rng.normal(0, 0.1, SCORES), 0, 1).round(4).tolist()
        path = folder / f"{side}-scores.json"
        path.write_text(json.dumps({"runs": [{"id": side, "metrics": {"score": scores}}]}))
        paths.append(path)
    policy = folder / "scores.yml"
    policy.write_text(
        "candidate: c-scores.json\nbaseline: b-scores.json\ntolerance: 0.001\n"
        "metrics: {score: {direction: higher, test: paired_bootstrap, pair_by: example}}\n"
    )
    return policy, paths[0], paths[1]


def seconds(command: list[str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(done.stderr.decode())
    return time.perf_counter() - start


def compare(label: str, ours: list[str], theirs: list[str], theirs_label: str, repeat: int) -> None:
    mine, other = [], []
    for _ in range(repeat):  # in turns: the load of the moment falls on both
        mine.append(seconds(ours))
        other.append(seconds(theirs))
    a, b = statistics.median(mine), statistics.median(other)
    print(f"| {label} | `rungate check` | {a:.2f} | {theirs_label} | {b:.2f} | {b / a:.1f}x |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", choices=("metrics", "scores"))
    args = parser.parse_args()
    rungate = shutil.which("rungate") or "rungate"
    print(
        f"| gate | ours | median (s) | theirs | median (s) | theirs / ours |\n"
        f"|---|---|--:|---|--:|--:|  (median of {args.repeat})"
    )
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.only != "scores":
            policy, cand, base = many_metrics(folder)
            compare(
                f"{METRICS} metrics x {RUNS} runs, bootstrap",
                [rungate, "check", "--policy", str(policy)],
                [sys.executable, "-c", SCIPY_BOOTSTRAP, str(cand), str(base)],
                "load + `scipy.stats.bootstrap` a metric",
                args.repeat,
            )
        if args.only != "metrics":
            policy, cand, base = many_scores(folder)
            compare(
                f"{SCORES:,} scores, paired bootstrap",
                [rungate, "check", "--policy", str(policy)],
                [sys.executable, "-c", SCIPY_TTEST, str(cand), str(base)],
                "load + `scipy.stats.ttest_rel`",
                args.repeat,
            )


if __name__ == "__main__":
    main()
