"""Time the git data-branch store (issue 10): one `rungate record` (a fresh process, one
push to a bare file:// remote), and a `rungate check` against the merge-base when the
branch already holds many records (each check reads them all).

Run from the repository root with rungate installed:

    python benchmarks/history_store.py [--records 1000] [--repeat 5]

Prints medians of wall time, and the ratio of a check with many records to one with few.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from support.git_commands import git
from support.history_repos import bare_remote, clone, commit, write_policy, write_runs

from gate.model import CommitRuns, Run
from gate.stores.git_plumbing import PlumbingGit
from gate.stores.record_file import encode_record, record_name


def seeded_repo(folder: Path, records: int) -> tuple[Path, Path]:
    """A clone whose main has one commit recorded, and ``records`` more of other commits
    (as a long history would hold) on the data branch; returns the clone and the runs."""
    repo = clone(bare_remote(folder), folder / "repo")
    sha = commit(repo, "main")
    git(repo, "push", "-q", "origin", "main")
    write_policy(repo, "{git: {}}", "{history: {}}")
    runs = tuple(Run(id=f"s{i}", metrics={"accuracy": 0.9 + 0.001 * i}) for i in range(5))
    files = {}
    for number in range(records):
        other = f"{number:040x}" if number else sha
        record = CommitRuns(other, "main", 1_800_000_000.0 + number, runs)
        files[f"records/{record_name(record, 'seed')}"] = encode_record(record).encode()
    plumbing = PlumbingGit(repo, source="benchmark")
    tip = plumbing.commit_with(None, files, "seed")
    git(repo, "push", "-q", "origin", f"{tip}:refs/heads/rungate-history")
    candidate = write_runs(repo / "candidate.json", [0.9, 0.901, 0.902, 0.903, 0.904])
    return repo, candidate


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, check=False, capture_output=True, env=os.environ)
    elapsed = time.perf_counter() - started
    assert done.returncode in (0, 1), done.stderr  # a verdict, not an error
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rungate = [sys.executable, "-m", "gate"]
    with tempfile.TemporaryDirectory() as scratch:
        medians = {}
        for records in (1, args.records):
            folder = Path(scratch) / f"r{records}"
            folder.mkdir()
            repo, candidate = seeded_repo(folder, records)
            check = [*rungate, "check", "--policy", "rungate.yml", "--candidate", str(candidate)]
            medians[records] = statistics.median(timed(check, repo) for _ in range(args.repeat))
            print(f"check against the merge-base, {records} records: {medians[records]:.2f} s")
        record = [*rungate, "record", "--policy", "rungate.yml", "--runs", str(candidate)]
        median = statistics.median(timed(record, repo) for _ in range(args.repeat))
        print(f"record (one push), {args.records} records on the branch: {median:.2f} s")
        print(
            f"ratio, check with {args.records} records / with 1: "
            f"{medians[args.records] / medians[1]:.2f}"
        )


if __name__ == "__main__":
    main()
