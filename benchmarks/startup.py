"""Time `rungate check` on the bundled example against the bare imports it cannot avoid.

Run from the repository root with rungate installed:

    python benchmarks/startup.py [--repeat 9]

Prints the median and spread of wall time per command. Figures go in
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    print("| command | median (s) | min (s) | max (s) |\n|---|--:|--:|--:|")
    with tempfile.TemporaryDirectory() as out:
        for name, command in commands(Path(out)).items():
            # Warm the file cache; a failing command would time its error path, so stop.
            subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
            times = wall_times(command, args.repeat)
            median, low, high = statistics.median(times), min(times), max(times)
            print(f"| {name} | {median:.3f} | {low:.3f} | {high:.3f} |")


if __name__ == "__main__":
    main()
