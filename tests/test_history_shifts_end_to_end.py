"""Shifts in main's recorded history, end to end on a real git repository with a bare
file:// remote: main's level drops at one commit; `rungate history` names that commit,
a pull request's baseline window that spans it is noted (or, with `since_change: true`,
starts after it), the report's pictures mark it, and `rungate dashboard` draws the
history in headless Chromium.

main: m1 .. m7 at 0.90, m8 .. m14 at 0.85 (all recorded; two jobs share the work)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.browser import open_page
from support.git_commands import git
from support.history_repos import bare_remote, clone, commit, write_policy, write_runs

from gate.cli import main
from gate.commands.record import run_record

STORE = "{git: {branch: rungate-history}}"
NOISE = [0.003, -0.002, 0.001, -0.003, 0.001]
BEFORE, AFTER, STEP_AT = 0.90, 0.85, 7  # main[7] (m8) is the first commit at the new level


@dataclass(frozen=True)
class Main:
    url: str
    commits: list[str]  # m1 .. m14
    tmp: Path


def level(number: int) -> float:
    return BEFORE if number < STEP_AT else AFTER


@pytest.fixture(scope="module")
def recorded(tmp_path_factory: pytest.TempPathFactory) -> Main:
    tmp = tmp_path_factory.mktemp("shifts")
    url = bare_remote(tmp)
    dev = clone(url, tmp / "dev")
    commits = [commit(dev, f"m{number + 1}") for number in range(14)]
    git(dev, "push", "-q", "origin", "main")
    job = clone(url, tmp / "job")
    write_policy(job, STORE, "{history: {}}")
    for number, sha in enumerate(commits):
        # A little drift within each level, so no two commits are alike.
        values = [level(number) + noise + 0.0005 * (number % 3) for noise in NOISE]
        runs = write_runs(job / f"runs-{number}.json", values)
        code = run_record(
            policy=job / "rungate.yml",
            runs=[runs],
            environ={"GITHUB_SHA": sha, "GITHUB_REF_NAME": "main"},
            clock=lambda: 1_800_000_000.0 + 3600 * number,  # noqa: B023 (called at once)
            say=lambda line: None,
        )
        assert code == 0
    return Main(url, commits, tmp)


def reader(main_line: Main, name: str, baseline: str) -> Path:
    repo = clone(main_line.url, main_line.tmp / name)
    write_policy(repo, STORE, baseline)
    (repo / "rungate.yml").write_text(
        (repo / "rungate.yml").read_text() + "shifts: {min_commits: 3}\n"
    )
    return repo


def test_rungate_history_names_the_commit_where_main_shifted(
    recorded: Main, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = reader(recorded, "history", "{history: {}}")
    capsys.readouterr()
    assert main(["history", "--policy", str(repo / "rungate.yml")]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert line.startswith(f"{recorded.commits[STEP_AT][:7]}  accuracy  0.90")
    assert "→ 0.85" in line and "worse" in line
    assert main(["history", "--policy", str(repo / "rungate.yml"), "--markdown"]) == 0
    table = capsys.readouterr().out
    assert table.startswith("| Commit | Metric |") and recorded.commits[STEP_AT][:7] in table


def gate(repo: Path, *extra: str) -> tuple[int, dict[str, object]]:
    runs = write_runs(repo / "candidate.json", [AFTER + noise for noise in NOISE])
    report = repo / "report.json"
    args = ["check", "--policy", str(repo / "rungate.yml"), "--candidate", str(runs)]
    return main([*args, "--json", str(report), *extra]), json.loads(report.read_text())


def test_a_window_across_the_shift_is_noted_and_since_change_starts_after_it(
    recorded: Main,
) -> None:
    # Pooling the last 10 commits mixes both levels: the candidate, at the new level,
    # looks worse than a baseline that is partly the old one.
    spanning = reader(recorded, "spanning", "{history: {window: 10}}")
    code, report = gate(spanning)
    notes = report["notes"]
    assert isinstance(notes, list)
    (note,) = [note for note in notes if "spans a shift" in note]
    assert f"accuracy at {recorded.commits[STEP_AT][:7]}" in note
    assert "`since_change: true` would start it there" in note
    metrics = report["metrics"]
    assert isinstance(metrics, list)
    assert metrics[0]["verdict"] == "inconclusive"
    assert metrics[0]["picture"]["shifts"] == [recorded.commits[STEP_AT]]

    after = reader(recorded, "after", "{history: {window: 10, since_change: true}}")
    code, report = gate(after)
    assert code == 0
    metrics = report["metrics"]
    assert isinstance(metrics, list)
    assert metrics[0]["verdict"] == "pass"  # the candidate is at main's new level
    baseline = report["baseline"]
    assert isinstance(baseline, dict) and baseline["runs"] == 5 * (14 - STEP_AT)
    notes = report["notes"]
    assert isinstance(notes, list)
    assert any(f"({14 - STEP_AT} of 10 commits kept)" in note for note in notes)


def test_the_dashboard_of_the_recorded_history_draws_in_chromium(
    recorded: Main, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = reader(recorded, "dashboard", "{history: {}}")
    site = tmp_path / "site"
    assert main(["dashboard", "--policy", str(repo / "rungate.yml"), "--out", str(site)]) == 0
    assert "over 14 recorded commits" in capsys.readouterr().out
    with open_page(site / "index.html", tmp_path / "profile") as visit:
        page = visit.page
        assert visit.errors == [] and visit.refused == []
        assert page.locator("figure.chart").count() == 1
        assert page.locator("svg.trend g.commits circle").count() == 14
        assert page.locator("line.shift").count() == 1
        page.screenshot(path=str(tmp_path / "dashboard.png"))
    assert (tmp_path / "dashboard.png").stat().st_size > 1000


def test_rungate_history_reads_the_runs_the_baseline_takes(
    recorded: Main, capsys: pytest.CaptureFixture[str]
) -> None:
    # The baseline's `where` keeps no run: neither does `rungate history`.
    repo = reader(recorded, "history-where", "{history: {where: {params.seed: ['99']}}}")
    capsys.readouterr()
    assert main(["history", "--policy", str(repo / "rungate.yml")]) == 0
    assert capsys.readouterr().out.strip() == "no shifts in 0 recorded commits"
