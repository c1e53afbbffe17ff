"""False change points, detection rate and delay of rungate's shift detector, by simulation.

Run from the repository root with rungate installed:

    python benchmarks/changepoints.py [--reps 400] [--seed 1]

It prints the Markdown tables of docs/statistics.md ("Change points in main's
history"), at the default ``shifts:`` settings:

1. false change points on stationary noise, per 100 commits: histories of
   ``--commits`` commits, normal and heavy-tailed (t, 3 df, scaled to SD 1)
   noise, 1 and 5 runs a commit;
2. detection of a step of 1 and 2 standard deviations (of one run's noise) after
   50 commits at the old level, 1 and 5 runs a commit: the detector runs after
   every new commit, as ``rungate history`` would on each push to main, and the
   step counts as detected when a shift within 2 commits of it is reported (the
   last column says how often that first report named the step's own commit). The
   delay is the number of commits recorded at the new level (the first one
   counted) when it was first reported: it can be below ``min_commits`` when the
   shift was placed a commit or two early. Histories whose step is not reported
   within 30 commits count as missed;
3. the same two figures at other settings of ``p`` and ``min_commits``;
4. the time to look for shifts in 200 metrics x 1,000 commits (median of 3).

Each cell is ``--reps`` simulated histories; the Monte Carlo standard error of
each rate is printed beside it (binomial for proportions, the standard error of
the mean count for rates per 100 commits).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from gate.history import change_points, detect_shifts
from gate.model import CommitRuns, Run
from gate.policy import MetricPolicy
from gate.policy.metrics import METRIC
from gate.policy.shift_settings import DEFAULT_SHIFTS, ShiftSettings
from gate.policy.yamldoc import YamlDocument

Array = npt.NDArray[np.float64]
Draw = Callable[[np.random.Generator, tuple[int, ...]], Array]

NOISE: dict[str, Draw] = {
    "normal": lambda rng, shape: rng.normal(0.0, 1.0, shape),
    "heavy-tailed, t(3)": lambda rng, shape: rng.standard_t(3.0, shape) / math.sqrt(3.0),
}
BEFORE = 50  # commits at the old level before the step
HORIZON = 30  # commits after the step within which it must be reported
NEAR = 2  # a reported shift this close to the step is the step


def commit_means(rng: np.random.Generator, draw: Draw, commits: int, runs: int) -> Array:
    """Each commit's mean of ``runs`` runs: what the detector looks at."""
    means: Array = draw(rng, (commits, runs)).mean(axis=1)
    return means


def false_rate(
    rng: np.random.Generator, draw: Draw, commits: int, runs: int, reps: int, s: ShiftSettings
) -> tuple[float, float, float]:
    """False change points per 100 commits (and its standard error), and the share of
    histories with any."""
    counts = np.array(
        [len(change_points(commit_means(rng, draw, commits, runs), s)) for _ in range(reps)]
    )
    per_100 = 100.0 / commits
    return (
        float(counts.mean()) * per_100,
        float(counts.std(ddof=1)) / math.sqrt(reps) * per_100,
        float(np.mean(counts > 0)),
    )


def detection(
    rng: np.random.Generator, size: float, runs: int, reps: int, s: ShiftSettings
) -> tuple[float, list[int], float]:
    """The share of steps reported within HORIZON commits, the delays of those, and the
    share of those first reported at the step's own commit."""
    delays, exact = [], 0
    for _ in range(reps):
        levels = np.r_[np.zeros(BEFORE), np.full(HORIZON, size)]
        values = levels + commit_means(rng, NOISE["normal"], levels.size, runs)
        for seen in range(1, HORIZON + 1):
            points = change_points(values[: BEFORE + seen], s)
            near = [point.index for point in points if abs(point.index - BEFORE) <= NEAR]
            if near:
                delays.append(seen)
                exact += BEFORE in near
                break
    return len(delays) / reps, delays, exact / max(len(delays), 1)


def _spec(name: str) -> MetricPolicy:
    doc = YamlDocument(data=None, source="<benchmark>")
    path = ("metrics", name)
    higher = METRIC.keys["direction"].parse(doc, (*path, "direction"), "higher")
    return METRIC.build(doc, path, {"direction": higher}, name=name)


def speed(rng: np.random.Generator, metrics: int, commits: int) -> tuple[float, float]:
    """Seconds (wall clock and CPU) to detect the shifts of ``metrics`` metrics over
    ``commits`` commits, one run a commit, each metric with a step of 2 SD in the middle
    (medians of 3)."""
    names = [f"m{i}" for i in range(metrics)]
    values = (
        rng.normal(0.0, 1.0, (commits, metrics))
        + 2.0 * (np.arange(commits) >= commits // 2)[:, None]
    )
    history = [
        CommitRuns(
            commit=f"{i:040x}",
            branch="main",
            recorded_at=float(i),
            runs=(Run(id=str(i), metrics=dict(zip(names, map(float, values[i]), strict=True))),),
        )
        for i in range(commits)
    ]
    specs = [_spec(name) for name in names]
    walls, cpus = [], []
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        detect_shifts(history, specs, DEFAULT_SHIFTS)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=400)
    parser.add_argument("--commits", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    s = DEFAULT_SHIFTS
    began = time.perf_counter()
    print(
        f"Settings: p {s.p:g}, min_change {s.min_change.spec}, min_commits {s.min_commits}; "
        f"{args.reps} histories a cell, seed {args.seed}.\n"
    )
    print(f"False change points on stationary noise ({args.commits} commits a history)\n")
    print("| noise | runs a commit | false change points per 100 commits | histories with any |")
    print("|---|---|---|---|")
    for name, draw in NOISE.items():
        for runs in (1, 5):
            rate, error, any_share = false_rate(rng, draw, args.commits, runs, args.reps, s)
            share_error = math.sqrt(any_share * (1 - any_share) / args.reps)
            print(
                f"| {name} | {runs} | {rate:.3f} ± {error:.3f} | "
                f"{any_share:.3f} ± {share_error:.3f} |"
            )
    print(f"\nDetection of a step after {BEFORE} commits (normal noise, SD 1 a run)\n")
    print(
        f"| step | runs a commit | reported within {HORIZON} commits | "
        "delay: median (10th-90th percentile) | at the step's own commit |"
    )
    print("|---|---|---|---|---|")
    for size in (1.0, 2.0):
        for runs in (1, 5):
            rate, delays, exact = detection(rng, size, runs, args.reps, s)
            error = math.sqrt(rate * (1 - rate) / args.reps)
            low, high = np.percentile(delays, [10, 90]) if delays else (math.nan, math.nan)
            median = statistics.median(delays) if delays else math.nan
            print(
                f"| {size:g} SD | {runs} | {rate:.3f} ± {error:.3f} | "
                f"{median:g} ({low:g}-{high:g}) | {exact:.2f} |"
            )
    print(
        "\nOther settings (normal noise, 1 run a commit; a 1 SD step as above; "
        f"{args.reps // 2} histories a cell)\n"
    )
    print(
        f"| p | min_commits | false change points per 100 commits | 1 SD step reported within "
        f"{HORIZON} commits | delay: median |"
    )
    print("|---|---|---|---|---|")
    for p in (0.01, 0.001, 0.0001):
        for size in (3, 5, 8):
            other = ShiftSettings(p=p, min_commits=size)
            rate, error, _ = false_rate(
                rng, NOISE["normal"], args.commits, 1, args.reps // 2, other
            )
            found, delays, _ = detection(rng, 1.0, 1, args.reps // 2, other)
            median = statistics.median(delays) if delays else math.nan
            print(f"| {p:g} | {size} | {rate:.3f} ± {error:.3f} | {found:.3f} | {median:g} |")
    if not args.no_speed:
        wall, cpu = speed(rng, 200, 1000)
        print(
            f"\n200 metrics x 1,000 commits: {wall:.2f} s wall clock, {cpu:.2f} s CPU "
            "(medians of 3)"
        )
    print(f"\n(simulation took {time.perf_counter() - began:.0f} s)")


if __name__ == "__main__":
    main()
