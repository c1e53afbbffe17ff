"""Main's history end to end, on real git repositories with a bare file:// remote: two
CI jobs record main's commits at the same time (both land), then pull requests are
gated against the runs recorded for their merge-base.

main:     m0 - m1 - m2 - m3 - m4 - m5      (m1..m4 recorded; m5 not yet)
feature:                      \\- f1        (merge-base m4)
late:                              \\- g1   (merge-base m5: falls back to m4)
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.git_commands import git
from support.history_repos import bare_remote, clone, commit, write_policy, write_runs

from gate.cli import main
from gate.commands.record import run_record
from gate.policy import load_policy
from gate.sources.history.main_line import read_main_history
from gate.sources.open import open_source

STORE = "{git: {branch: rungate-history}}"
MAIN_VALUES = [0.900, 0.904, 0.896, 0.902, 0.898]
T0 = 1_800_000_000.0


@dataclass(frozen=True)
class History:
    url: str
    main: list[str]  # m0 .. m5
    tmp: Path


def record_in(job: Path, sha: str, values: list[float], at: float) -> None:
    runs = write_runs(job / f"runs-{sha[:7]}.json", values)
    code = run_record(
        policy=job / "rungate.yml",
        runs=[runs],
        environ={"GITHUB_SHA": sha, "GITHUB_REF_NAME": "main"},
        clock=lambda: at,
        say=lambda line: None,
    )
    assert code == 0


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> History:
    tmp = tmp_path_factory.mktemp("history")
    url = bare_remote(tmp)
    dev = clone(url, tmp / "dev")
    shas = [git(dev, "rev-parse", "HEAD")]
    for number in range(1, 5):
        shas.append(commit(dev, f"m{number}"))
    git(dev, "push", "-q", "origin", "main")
    # Two jobs (two clones), each recording two of main's commits, racing on the remote.
    jobs = [clone(url, tmp / f"job{n}") for n in range(2)]
    for job in jobs:
        write_policy(job, STORE, "{history: {}}")
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def job_records(job: Path, numbers: list[int]) -> None:
        try:
            for number in numbers:
                start.wait()
                shifted = [value + 0.001 * number for value in MAIN_VALUES]
                record_in(job, shas[number], shifted, T0 + 3600 * number)
        except BaseException as error:  # the main thread reports it
            errors.append(error)

    threads = [
        threading.Thread(target=job_records, args=(jobs[0], [1, 3])),
        threading.Thread(target=job_records, args=(jobs[1], [2, 4])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    shas.append(commit(dev, "m5"))
    git(dev, "push", "-q", "origin", "main")
    return History(url, shas, tmp)


def pull_request(history: History, name: str, fork_point: str, baseline: str) -> Path:
    """A clone with a branch from ``fork_point`` and one commit on it, as CI checks it out."""
    repo = clone(history.url, history.tmp / name)
    git(repo, "checkout", "-q", "-b", name, fork_point)
    commit(repo, name)
    write_policy(repo, STORE, baseline)
    return repo


def gate(repo: Path, values: list[float], *extra: str) -> tuple[int, dict[str, object]]:
    runs = write_runs(repo / "candidate.json", values)
    report = repo / "report.json"
    args = ["check", "--policy", str(repo / "rungate.yml"), "--candidate", str(runs)]
    code = main([*args, "--json", str(report), "--markdown", str(repo / "report.md"), *extra])
    return code, json.loads(report.read_text()) if report.exists() else {}


def test_both_racing_jobs_landed(history: History) -> None:
    branch = "origin/rungate-history"
    reader = clone(history.url, history.tmp / "reader")
    git(reader, "fetch", "-q", "origin", "rungate-history")
    files = git(reader, "ls-tree", "-r", "--name-only", branch, "records").splitlines()
    assert sorted(name.split("/")[1] for name in files) == sorted(history.main[1:5])


def test_a_regression_fails_and_a_neutral_change_passes_against_the_merge_base(
    history: History,
) -> None:
    repo = pull_request(history, "feature", history.main[4], "{history: {}}")
    code, report = gate(repo, [0.85, 0.852, 0.848, 0.851, 0.849])
    assert code == 1
    baseline = report["baseline"]
    assert isinstance(baseline, dict) and baseline["runs"] == 5
    m4 = history.main[4][:7]
    assert f"runs of commit {m4}, the merge-base of HEAD and origin/main" in baseline["description"]
    assert report["notes"] == []
    code, report = gate(repo, [value + 0.004 for value in MAIN_VALUES])
    assert code == 0


def test_an_unrecorded_merge_base_falls_back_to_its_nearest_recorded_ancestor(
    history: History,
) -> None:
    repo = pull_request(history, "late", history.main[5], "{history: {}}")
    code, report = gate(repo, [value + 0.004 for value in MAIN_VALUES])
    assert code == 0
    m4, m5 = history.main[4][:7], history.main[5][:7]
    note = (
        f"baseline is commit {m4}, 1 commit behind the merge-base of HEAD and origin/main "
        f"{m5}, which has no recorded runs"
    )
    assert report["notes"] == [note]
    assert note in (repo / "report.md").read_text()


def test_a_window_pools_the_newest_recorded_commits(history: History) -> None:
    repo = pull_request(history, "pooled", history.main[4], "{history: {window: 3}}")
    code, report = gate(repo, [value + 0.004 for value in MAIN_VALUES])
    assert code == 0
    baseline = report["baseline"]
    assert isinstance(baseline, dict) and baseline["runs"] == 15
    assert f"runs of 3 recorded commits up to {history.main[4][:7]}" in baseline["description"]


def test_a_stale_baseline_is_noted(history: History) -> None:
    repo = pull_request(history, "stale", history.main[5], "{history: {stale_commits: 0}}")
    code, report = gate(repo, [value + 0.004 for value in MAIN_VALUES])
    assert code == 0
    notes = report["notes"]
    assert isinstance(notes, list) and notes[-1].startswith(
        f"stale baseline: commit {history.main[4][:7]} is 1 commit and 0 days behind"
    )


def test_a_corrupt_record_is_skipped_with_a_warning_and_a_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = bare_remote(tmp_path)
    job = clone(url, tmp_path / "job")
    write_policy(job, STORE, "{history: {window: 2}}")
    first, second, third = (commit(job, f"m{n}") for n in range(1, 4))
    git(job, "push", "-q", "origin", "main")
    for number, sha in enumerate((first, second, third)):
        record_in(job, sha, MAIN_VALUES, T0 + number)
    record_in(job, third, MAIN_VALUES, T0 + 10)  # the same commit again: both kept
    # A hand edit breaks the record of the second commit.
    editor = clone(url, tmp_path / "editor")
    git(editor, "checkout", "-q", "rungate-history")
    (name,) = git(editor, "ls-files", f"records/{second}").splitlines()
    (editor / name).write_text('{"rungate_record": 1, "commit": "oops"}')
    git(editor, "commit", "-q", "-am", "hand edit")
    git(editor, "push", "-q", "origin", "rungate-history")

    capsys.readouterr()
    code, report = gate(job, [value + 0.004 for value in MAIN_VALUES])
    assert code == 0
    warning = f"skipped a record: rungate-history:{name}: `commit` is not a full commit SHA: 'oops'"
    assert f"rungate: warning: {warning}\n" in capsys.readouterr().err
    # The window of two recorded commits skips the broken one: the third (twice) and the first.
    # The third commit's second recording repeats the same runs: they count once.
    baseline = report["baseline"]
    assert isinstance(baseline, dict) and baseline["runs"] == 10
    metrics = report["metrics"]
    assert isinstance(metrics, list) and metrics[0]["baseline"]["n"] == 10
    assert report["notes"] == [
        f"commit {third[:7]} was recorded 2 times; the baseline takes the runs of every "
        "recording (a run recorded unchanged twice counts once)",
        f"history: {warning}",
    ]


def test_record_from_git_and_gate_with_a_folder_store(tmp_path: Path) -> None:
    repo = clone(bare_remote(tmp_path), tmp_path / "repo")
    write_policy(repo, "{path: .rungate/history}", "{history: {commit: HEAD~1}}")
    base = commit(repo, "m1")
    runs = write_runs(repo / "main.json", MAIN_VALUES)
    assert main(["record", "--policy", str(repo / "rungate.yml"), "--runs", str(runs)]) == 0
    (record_file,) = (repo / ".rungate" / "history" / base).iterdir()
    recorded = json.loads(record_file.read_text())
    assert (recorded["commit"], recorded["branch"]) == (base, "main")
    commit(repo, "m2")
    code, report = gate(repo, [0.85, 0.852, 0.848, 0.851, 0.849])
    assert code == 1
    baseline = report["baseline"]
    assert isinstance(baseline, dict)
    assert baseline["description"].startswith(
        f"history in folder {repo / '.rungate' / 'history'}: runs of commit {base[:7]}"
    )


def test_nothing_recorded_and_no_store_are_clear_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = clone(bare_remote(tmp_path), tmp_path / "repo")
    write_policy(repo, STORE, "{history: {}}")
    code, _ = gate(repo, MAIN_VALUES)
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("rungate: error: git branch rungate-history of origin: none of the 1")
    assert err.count("\n") == 1
    (repo / "rungate.yml").write_text("metrics: {accuracy: {direction: higher}}\n")
    assert main(["record", "--policy", str(repo / "rungate.yml"), "--runs", "x.json"]) == 2
    assert "the policy has no `history:` store" in capsys.readouterr().err


def test_main_history_is_in_first_parent_order_for_the_pictures(history: History) -> None:
    reader = clone(history.url, history.tmp / "main-reader")
    write_policy(reader, STORE, "{history: {}}")
    found = read_main_history(load_policy(reader / "rungate.yml"), environ={})
    assert [record.commit for record in found.records] == history.main[1:5]
    assert found.warnings == ()
    assert (
        found.description
        == "git branch rungate-history of origin: 4 recorded commits of origin/main"
    )
    # A side's RunSet carries the same history up to its baseline, for the trend pictures.
    repo = pull_request(history, "trend", history.main[3], "{history: {}}")
    side = load_policy(repo / "rungate.yml").baseline
    assert side is not None
    loaded = open_source(side).load()
    assert [record.commit for record in loaded.history] == history.main[1:4]


def test_a_window_larger_than_the_history_says_so(history: History) -> None:
    repo = pull_request(history, "wide", history.main[2], "{history: {window: 5}}")
    code, report = gate(repo, [value + 0.004 for value in MAIN_VALUES])
    assert code == 0
    assert report["notes"] == [
        "the window asks for 5 recorded commits; only 2 are recorded up to the baseline"
    ]


def test_without_a_merge_base_the_newest_recorded_commits_of_the_branch_are_taken(
    tmp_path: Path,
) -> None:
    repo = clone(bare_remote(tmp_path), tmp_path / "repo")
    write_policy(repo, "{path: history}", "{history: {branch: release, window: 2}}")
    shas = [commit(repo, f"r{n}") for n in range(3)]
    for number, sha in enumerate(shas):
        runs = write_runs(repo / f"r{number}.json", MAIN_VALUES)
        environ = {"GITHUB_SHA": sha, "GITHUB_REF_NAME": "release"}
        clock = functools.partial(float, T0 + number)
        policy = repo / "rungate.yml"
        assert run_record(policy=policy, runs=[runs], environ=environ, clock=clock) == 0
    code, report = gate(repo, MAIN_VALUES)
    assert code == 0
    baseline = report["baseline"]
    assert isinstance(baseline, dict) and baseline["runs"] == 10
    assert (
        f"runs of 2 recorded commits up to {shas[2][:7]} (fallback: no merge-base of HEAD "
        in (baseline["description"])
    )
    assert "fetch-depth: 0" in baseline["description"]


def test_two_record_processes_started_together_both_land(tmp_path: Path) -> None:
    url = bare_remote(tmp_path)
    jobs = [clone(url, tmp_path / f"job{n}") for n in range(2)]
    sha = commit(jobs[0], "m1")
    git(jobs[0], "push", "-q", "origin", "main")
    processes = []
    for number, job in enumerate(jobs):
        write_policy(job, STORE, "{history: {}}")
        runs = write_runs(job / f"job{number}.json", MAIN_VALUES)
        env = {**os.environ, "GITHUB_SHA": sha, "GITHUB_REF_NAME": "main"}
        command = [sys.executable, "-m", "gate", "record", "--policy", "rungate.yml"]
        processes.append(
            subprocess.Popen(
                [*command, "--runs", str(runs)],
                cwd=job,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert out.startswith(b"rungate: recorded 5 runs of commit ")
    git(jobs[1], "fetch", "-q", "origin", "rungate-history")
    files = git(jobs[1], "ls-tree", "-r", "--name-only", "FETCH_HEAD", f"records/{sha}")
    assert len(files.splitlines()) == 2


def test_evaluation_logs_recorded_on_main_gate_example_by_example(tmp_path: Path) -> None:
    # Main's lm-eval logs are recorded with their per-example scores and their direction;
    # the pull request's log is then paired with them by doc_id, as if both were files.
    logs = Path(__file__).parents[1] / "examples" / "evals" / "logs"
    repo = clone(bare_remote(tmp_path), tmp_path / "repo")
    (repo / "rungate.yml").write_text(
        "history: {path: .rungate/history}\n"
        f"candidate: {{lm_eval: {logs / 'pr'}}}\n"
        "baseline: {history: {commit: HEAD~1}}\n"
        "metrics:\n  arith_mc/acc: {pair_by: example, test: mcnemar}\n"
    )
    commit(repo, "m1")
    policy = str(repo / "rungate.yml")
    assert main(["record", "--policy", policy, "--runs", str(logs / "main")]) == 0
    commit(repo, "m2")
    report = repo / "report.json"
    assert main(["check", "--policy", policy, "--json", str(report)]) == 1
    (metric,) = json.loads(report.read_text())["metrics"]
    assert (metric["direction"], metric["test"], metric["verdict"]) == (
        "higher",
        "mcnemar",
        "regression",
    )
    assert (metric["examples"]["worse"], metric["examples"]["better"]) == (16, 2)
