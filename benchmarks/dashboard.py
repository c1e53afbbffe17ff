"""The dashboard at scale: page size and drawing time for many metrics and commits.

    python benchmarks/dashboard.py [--metrics 200] [--commits 1000] [--runs 3] [--repeats 5]

Writes the dashboard of a made-up history (a level per metric, noise, a shift in one
metric of ten) into a temporary folder and prints: the time to render it in Python, the
page's size raw and gzipped (what GitHub Pages sends), and, when Chromium and
playwright are installed, the time Chromium takes from navigation to the load event
and to the first paint after it, each the median of ``--repeats`` loads.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gate.decide import decide
from gate.model import CommitRuns, Run, RunSet
from gate.policy import MetricPolicy, Policy
from gate.report.pictures.site import write_dashboard
from gate.vocabulary import Direction

CHROMIUM = "/usr/bin/chromium"


def made_up(metrics: int, commits: int, runs: int) -> tuple[list[CommitRuns], dict[str, list[str]]]:
    rng = random.Random(1)
    names = [f"suite{m // 20}/metric_{m:03d}" for m in range(metrics)]
    shift_at = {name: commits * 2 // 3 for i, name in enumerate(names) if i % 10 == 0}
    records = []
    for c in range(commits):
        sha = hashlib.sha1(str(c).encode()).hexdigest()
        records.append(
            CommitRuns(
                commit=sha,
                branch="main",
                recorded_at=1.7e9 + c * 3600.0,
                runs=tuple(
                    Run(
                        id=f"{c}-{r}",
                        metrics={
                            name: 0.9
                            + (0.02 if c >= shift_at.get(name, commits) else 0.0)
                            + rng.gauss(0, 0.005)
                            for name in names
                        },
                    )
                    for r in range(runs)
                ),
            )
        )
    shifts = {name: [records[at].commit] for name, at in shift_at.items()}
    return records, shifts


def browser_times(index: Path, repeats: int) -> tuple[float, float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not Path(CHROMIUM).exists():
        return None
    loads, paints = [], []
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for _ in range(repeats):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(index.as_uri(), wait_until="load")
            timing = page.evaluate(
                "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame("
                "() => { const t = performance.getEntriesByType('navigation')[0];"
                " done([t.loadEventEnd, performance.now()]); })))"
            )
            loads.append(timing[0] / 1000)
            paints.append(timing[1] / 1000)
            page.close()
        browser.close()
    return statistics.median(loads), statistics.median(paints)


def core_time(records: list[CommitRuns], specs: list[MetricPolicy]) -> float:
    """The cost the trends add to ``decide``: with the history minus without (medians)."""
    policy = Policy(metrics=tuple(specs))
    candidate = RunSet(runs=records[-1].runs, description="pr")
    sides = {
        "with": RunSet(runs=records[-2].runs, description="main", history=tuple(records)),
        "without": RunSet(runs=records[-2].runs, description="main"),
    }
    medians = {}
    for name, baseline in sides.items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            decide(policy, candidate, baseline)
            times.append(time.perf_counter() - start)
        medians[name] = statistics.median(times)
    return medians["with"] - medians["without"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--metrics", type=int, default=200)
    parser.add_argument("--commits", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    records, shifts = made_up(args.metrics, args.commits, args.runs)
    specs = [
        MetricPolicy(name=name, direction=Direction.HIGHER) for name in records[0].runs[0].metrics
    ]
    url = "https://github.com/example/project/commit/{commit}"
    with tempfile.TemporaryDirectory() as folder:
        renders = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            index = write_dashboard(records, specs, Path(folder), shifts=shifts, commit_url=url)
            renders.append(time.perf_counter() - start)
        page = index.read_bytes()
        print(f"{args.metrics} metrics x {args.commits} commits x {args.runs} runs")
        print(f"render in Python: {statistics.median(renders):.2f} s (median of {args.repeats})")
        print(
            f"index.html: {len(page) / 1e6:.2f} MB, gzipped {len(gzip.compress(page)) / 1e6:.2f} MB"
        )
        print(f"decide: the trends add {core_time(records, specs):.2f} s")
        times = browser_times(index, args.repeats)
        if times is None:
            print("Chromium: not measured (needs /usr/bin/chromium and playwright)")
        else:
            print(f"Chromium: load event {times[0]:.2f} s, painted {times[1]:.2f} s (medians)")


if __name__ == "__main__":
    main()
