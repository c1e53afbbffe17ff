"""What `rungate init` can tell from runs alone: which way each metric is better, how much
it moves from run to run, and which runs are main's.

Everything here is a guess from names and numbers, and says so: the policy it leads
to marks every guess in a comment for a person to confirm.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from gate.model import Run
from gate.vocabulary import Direction

# Words in a metric's name that say which way is better; the first found decides.
LOWER_WORDS = (
    "loss", "error", "err", "latency", "time", "duration", "seconds", "memory", "mem",
    "perplexity", "ppl", "wer", "cer", "mse", "mae", "rmse", "nll", "cost", "bytes",
)  # fmt: skip
HIGHER_WORDS = (
    "accuracy", "acc", "f1", "auc", "precision", "recall", "bleu", "rouge", "score",
    "exact_match", "em", "map", "ndcg", "iou", "r2", "pass", "throughput", "reward",
)  # fmt: skip
MAIN_BRANCHES = ("main", "master", "trunk", "develop")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class MetricGuess:
    name: str
    direction: Direction
    sure: bool  # False: the name says nothing, higher is only a default
    spread: float | None  # run-to-run standard deviation, None without repeats
    runs: int


def direction_of(name: str, unit: str | None = None) -> tuple[Direction, bool]:
    """Which way ``name`` is better, and whether its words (or unit) say so."""
    if unit == "s":
        return Direction.LOWER, True  # a benchmark's time
    words = _WORD.findall(name.lower().replace("_", " "))
    joined = "_".join(words)
    for word in [*words, joined]:
        if word in LOWER_WORDS or any(word.endswith(w) for w in ("loss", "error", "latency")):
            return Direction.LOWER, True
        if word in HIGHER_WORDS or word.endswith(("accuracy", "acc", "f1", "score")):
            return Direction.HIGHER, True
    return Direction.HIGHER, False


def guess_metrics(runs: Sequence[Run], unit: str | None = None) -> list[MetricGuess]:
    names = sorted({name for run in runs for name in (*run.metrics, *run.series)})
    guesses = []
    for name in names:
        values = [
            value
            for run in runs
            if (value := run.metrics.get(name)) is not None and math.isfinite(value)
        ]
        spread = statistics.stdev(values) if len(values) >= 2 else None
        direction, sure = direction_of(name, unit)
        guesses.append(MetricGuess(name, direction, sure, spread, len(values)))
    return guesses


def main_branch(runs: Sequence[Run]) -> str | None:
    """The main branch among the runs' ``tags.branch``, if they name one."""
    branches = {run.tags.get("branch") for run in runs}
    return next((branch for branch in MAIN_BRANCHES if branch in branches), None)


def shared_seeds(candidate: Sequence[Run], baseline: Sequence[Run]) -> bool:
    """Whether pairing by ``params.seed`` fits: each side has the same set of seeds, once each."""
    cand = [run.params.get("seed") for run in candidate]
    base = [run.params.get("seed") for run in baseline]
    return (
        len(cand) >= 2
        and None not in cand
        and len(set(cand)) == len(cand)
        and sorted(map(str, cand)) == sorted(map(str, base))
    )


def suggested_tolerance(spread: float | None) -> float | None:
    """One run-to-run standard deviation, to two significant digits (None: no repeats)."""
    if spread is None or spread == 0 or not math.isfinite(spread):
        return None
    digits = 1 - math.floor(math.log10(abs(spread)))
    return round(spread, digits)
