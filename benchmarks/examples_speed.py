"""Time pairing by example key (issue 11): 10 tasks x 100,000 examples a side.

Run from the repository root with rungate installed:

    python benchmarks/examples_speed.py [--tasks 10] [--examples 100000] [--repeat 5]

Builds the run sets in memory (one run a side, each task a metric with keyed 0/1
scores, the candidate's examples in another order, 1% of them only on one side) and
times ``decide`` on them: pairing by key, averaging, the paired test, the counts and
every changed example. Three shapes: 0/1 scores with the paired t-test, the same with
McNemar, and continuous scores (every example changes, so every example is listed)
with 3 repeats an example. Then it writes the same examples as run files (the
``examples`` object of the files source) and times reading them, the cost the pairing
should stay well under. Prints medians of ``--repeat`` runs and the peak memory of one
``decide`` (tracemalloc, which numpy reports its arrays to).
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import numpy as np

from gate.decide import decide
from gate.model import ExampleScores, Run, RunSet
from gate.policy import Policy
from gate.policy.metrics import METRIC, MetricPolicy
from gate.policy.yamldoc import YamlDocument
from gate.sources.files.read import read_runs


def policy(tasks: int, test: str) -> Policy:
    doc = YamlDocument(data=None, source="<benchmark>")
    specs: list[MetricPolicy] = []
    for task in range(tasks):
        path = ("metrics", f"task{task}/acc")
        settings = {"direction": "higher", "pair_by": "example", "test": test}
        parsed = {key: METRIC.keys[key].parse(doc, path, value) for key, value in settings.items()}
        specs.append(METRIC.build(doc, path, parsed, name=f"task{task}/acc"))
    return Policy(metrics=tuple(specs))


def sides(tasks: int, examples: int, *, repeats: int, binary: bool) -> tuple[RunSet, RunSet]:
    """0/1 scores: the baseline right on 70%, the candidate flipping 2% of the examples to
    wrong and 1% to right; continuous: a per-example difficulty plus noise a repeat."""
    rng = np.random.default_rng(1)
    keys = np.array([f"doc-{i}" for i in range(examples)])
    runs: dict[str, dict[str, ExampleScores]] = {"pr": {}, "main": {}}
    for task in range(tasks):
        right = rng.random(examples) < 0.7
        flips = rng.random(examples) < np.where(right, 0.02 / 0.7, 0.01 / 0.3)
        difficulty = rng.beta(5, 2, examples)
        for side in ("pr", "main"):
            chosen = np.flatnonzero(rng.random(examples) >= 0.01)  # 1% on one side only
            chosen = np.repeat(chosen[rng.permutation(chosen.size)], repeats)
            if binary:
                outcome = right ^ flips if side == "pr" else right
                scores = outcome[chosen].astype(float)
            else:
                scores = difficulty[chosen] + rng.normal(0.0, 0.1, chosen.size)
            runs[side][f"task{task}/acc"] = ExampleScores(
                keys=tuple(keys[chosen].tolist()),
                scores=tuple(scores.tolist()),
                repeats=tuple(np.tile(np.arange(repeats), chosen.size // repeats).tolist()),
            )
    return (
        RunSet((Run("pr", {}, examples=runs["pr"]),), "pr"),
        RunSet((Run("main", {}, examples=runs["main"]),), "main"),
    )


def median_seconds(work: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_mib(work: Callable[[], object]) -> float:
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def files_of(side: RunSet, folder: Path) -> Path:
    (run,) = side.runs
    examples = {
        name: [
            {"id": key, "score": score, "repeat": repeat}
            for key, score, repeat in zip(s.keys, s.scores, s.repeats or (), strict=True)
        ]
        for name, s in run.examples.items()
    }
    path = folder / f"{run.id}.json"
    path.write_text(json.dumps({"id": run.id, "examples": examples}), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--examples", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    shapes = (
        ("0/1 scores, paired_t", "paired_t", 1, True),
        ("0/1 scores, mcnemar", "mcnemar", 1, True),
        ("scores in [0, 1], 3 repeats, paired_t", "paired_t", 3, False),
    )
    print(f"{args.tasks} tasks x {args.examples:,} examples a side, median of {args.repeat}\n")
    print("| shape | decide (s) | peak memory (MiB) | examples listed |")
    print("|:--|--:|--:|--:|")
    for label, test, repeats, binary in shapes:
        cand, base = sides(args.tasks, args.examples, repeats=repeats, binary=binary)
        gate_policy = policy(args.tasks, test)
        result = decide(gate_policy, cand, base)
        listed = sum(len(m.examples.changes) for m in result.metrics if m.examples)
        work = functools.partial(decide, gate_policy, cand, base)
        seconds, peak = median_seconds(work, args.repeat), peak_mib(work)
        print(f"| {label} | {seconds:.2f} | {peak:.0f} | {listed:,} |")
        if label.startswith("0/1 scores, paired_t"):
            with tempfile.TemporaryDirectory() as folder:
                paths = [files_of(side, Path(folder)) for side in (cand, base)]
                size = sum(path.stat().st_size for path in paths) / 2**20
                read = median_seconds(functools.partial(read_runs, *paths), 1)
            print(f"| reading the same as run files ({size:.0f} MiB JSON) | {read:.2f} | | |")


if __name__ == "__main__":
    main()
