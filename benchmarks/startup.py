"""Time `rungate check` on the bundled example against the bare imports it cannot avoid.

Run from the repository root with rungate installed:

    python benchmarks/startup.py [--repeat 9] [--against REV]

Prints the median and spread of wall time per command. ``--against REV`` also times
the check on the example with the code of another commit (checked out into a
temporary git worktree), alternating the two, and prints the ratio of the medians. Figures go in
docs/performance.md; no test asserts on time (shared machines are noisy).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands(out: Path) -> dict[str, list[str]]:
    rungate = shutil.which("rungate") or "rungate"
    python = sys.executable
    example = ["check", "--policy", str(ROOT / "examples/policy.yml")]
    reports = ["--markdown", str(out / "r.md"), "--json", str(out / "r.json")]
    return {
        "python -c pass (interpreter alone)": [python, "-c", "pass"],
        "import numpy, yaml, jinja2": [python, "-c", "import numpy, yaml, jinja2"],
        "import scipy.special": [python, "-c", "import scipy.special"],
        "import scipy.stats": [python, "-c", "import scipy.stats"],
        "rungate check (example, welch)": [rungate, *example],
        "rungate check (example, all reports)": [
            rungate,
            *example,
            *reports,
            "--html",
            str(out / "r.html"),
        ],
    }


def wall_times(command: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def compare_with(rev: str, repeat: int) -> None:
    """The example's check with this tree's code and with ``rev``'s, run in turns."""
    with tempfile.TemporaryDirectory() as folder:
        other = Path(folder) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "-q", str(other), rev], check=True
        )
        try:
            times: dict[Path, list[float]] = {ROOT: [], other: []}
            for tree in (*times, *times):  # warm both file caches
                wall_times(_check_of(tree), 1)
            for _ in range(repeat):
                for tree, measured in times.items():
                    measured.extend(wall_times(_check_of(tree), 1))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(other)])
    here, there = statistics.median(times[ROOT]), statistics.median(times[other])
    print(
        f"\nrungate check on the example: {here:.3f} s here, {there:.3f} s at {rev} "
        f"(median of {repeat} each, in turns): ratio {here / there:.2f}"
    )


def _check_of(tree: Path) -> list[str]:
    """The check on the bundled example with the code in ``tree``, whatever is installed."""
    code = (
        f"import sys; sys.path.insert(0, {str(tree)!r}); from gate.cli import main; "
        f"sys.exit(main(['check', '--policy', {str(tree / 'examples/policy.yml')!r}]))"
    )
    return [sys.executable, "-c", code]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--against", metavar="REV", help="also time REV's code, in turns")
    args = parser.parse_args()
    print("| command | median (s) | min (s) | max (s) |\n|---|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as out:
        for name, command in commands(Path(out)).items():
            # Warm the file cache; a failing command would time its error path, so stop.
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times = wall_times(command, args.repeat)
            median, low, high = statistics.median(times), min(times), max(times)
            print(f"| {name} | {median:.3f} | {low:.3f} | {high:.3f} |")
    if args.against:
        compare_with(args.against, args.repeat)


if __name__ == "__main__":
    main()
