"""Git-aware selection of runs, in real git repositories made for each test."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from support.git_commands import git
from support.sources import open_side

from gate.cli import main
from gate.errors import PolicyError, RunSetError
from gate.sources import RunSource
from gate.sources.git.repo import SubprocessGit


@dataclass(frozen=True)
class Repo:
    path: Path
    a: str
    b: str  # the merge-base of feature and main
    c: str  # feature, checked out
    d: str  # main, after b


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """main: a - b - d; feature (HEAD): b - c."""
    path = tmp_path / "repo"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")

    def commit(message: str) -> str:
        git(path, "commit", "-q", "--allow-empty", "-m", message)
        return git(path, "rev-parse", "HEAD")

    a, b = commit("a"), commit("b")
    git(path, "checkout", "-q", "-b", "feature")
    c = commit("c")
    git(path, "checkout", "-q", "main")
    d = commit("d")
    git(path, "checkout", "-q", "feature")
    return Repo(path, a, b, c, d)


def write_runs(repo: Repo, runs: list[tuple[str, str, str]]) -> None:
    """(id, commit, branch) runs, one a line, in time order."""
    lines = [
        json.dumps(
            {
                "id": run_id,
                "metrics": {"acc": 0.9},
                "start_time": 1000 + n,
                "tags": {"commit": sha, "branch": branch},
            }
        )
        for n, (run_id, sha, branch) in enumerate(runs)
    ]
    (repo.path / "runs.jsonl").write_text("\n".join(lines) + "\n")


def source(repo: Repo, git_spec: str, extra: str = "") -> RunSource:
    path = repo.path / "gate.yml"
    path.write_text(
        f"baseline: {{path: runs.jsonl{extra}, git: {git_spec}}}\n"
        "candidate: runs.jsonl\nmetrics: {acc: {direction: higher}}\n"
    )
    found = open_side(path, "baseline")
    assert found is not None
    return found


def ids_and_description(found: RunSource) -> tuple[list[str], str]:
    loaded = found.load()
    return [run.id for run in loaded.runs], loaded.description


def test_runs_of_the_merge_base(repo: Repo) -> None:
    write_runs(
        repo,
        [
            ("a1", repo.a, "main"),
            ("b1", repo.b, "main"),
            ("b2", repo.b, "main"),
            ("d1", repo.d, "main"),
            ("c1", repo.c, "feature"),
        ],
    )
    ids, description = ids_and_description(source(repo, "{commit: merge-base, branch: main}"))
    assert ids == ["b1", "b2"]
    assert description == (
        f"{repo.path / 'runs.jsonl'}; runs of commit {repo.b[:12]}, "
        "the merge-base of HEAD and main (by tags.commit)"
    )


def test_origin_branch_first(repo: Repo) -> None:
    # origin/main is behind main here: its merge-base with HEAD is a, not b.
    git(repo.path, "update-ref", "refs/remotes/origin/main", repo.a)
    write_runs(repo, [("a1", repo.a, "main"), ("b1", repo.b, "main")])
    ids, description = ids_and_description(source(repo, "{commit: merge-base, branch: main}"))
    assert ids == ["a1"]
    assert "the merge-base of HEAD and origin/main" in description


def test_falls_back_to_the_latest_runs_of_the_branch(repo: Repo) -> None:
    write_runs(
        repo,
        [
            ("a1", repo.a, "main"),
            ("d1", repo.d, "main"),
            ("d2", repo.d, "main"),
            ("c1", repo.c, "feature"),
        ],
    )
    ids, description = ids_and_description(
        source(repo, "{commit: merge-base, branch: main}", extra=", latest: 2")
    )
    assert ids == ["d1", "d2"]
    assert description.endswith(
        f"; runs with tags.branch=main (fallback: no runs of commit {repo.b[:12]}, "
        "the merge-base of HEAD and main)"
    )


def test_falls_back_without_a_merge_base(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    write_runs(repo, [("r1", repo.d, "release")])
    monkeypatch.setenv("GITHUB_BASE_REF", "release")  # no such branch in this clone
    ids, description = ids_and_description(source(repo, "{commit: merge-base}"))
    assert ids == ["r1"]
    assert description.endswith(
        "; runs with tags.branch=release (fallback: no merge-base of HEAD and origin/release "
        "or release; in a shallow clone, fetch the branch's history)"
    )


def test_merge_base_needs_a_branch(repo: Repo) -> None:
    write_runs(repo, [("b1", repo.b, "main")])
    with pytest.raises(
        RunSetError, match="needs the target branch: set `branch:` or GITHUB_BASE_REF"
    ):
        source(repo, "{commit: merge-base}").load()


def test_head_from_github_sha(repo: Repo, monkeypatch: pytest.MonkeyPatch) -> None:
    write_runs(repo, [("c1", repo.c, "feature"), ("d1", repo.d, "main")])
    monkeypatch.setenv("GITHUB_SHA", repo.d)
    ids, description = ids_and_description(source(repo, "{commit: head}"))
    assert ids == ["d1"]
    assert description.endswith(f"; runs of commit {repo.d[:12]} (GITHUB_SHA, by tags.commit)")


def test_head_from_git(repo: Repo) -> None:
    write_runs(repo, [("c1", repo.c, "feature"), ("d1", repo.d, "main")])
    ids, description = ids_and_description(source(repo, "{commit: head}"))
    assert ids == ["c1"]
    assert description.endswith(f"; runs of commit {repo.c[:12]} (HEAD, by tags.commit)")


def test_a_revision_and_other_fields(repo: Repo) -> None:
    lines = [json.dumps({"id": "x", "metrics": {"acc": 1}, "params": {"sha": repo.a}})]
    (repo.path / "runs.jsonl").write_text("\n".join(lines))
    found = source(repo, "{commit: 'main~2', commit_field: params.sha}")
    assert ids_and_description(found)[0] == ["x"]
    with pytest.raises(RunSetError, match="git finds no commit named 'nope'"):
        source(repo, "{commit: nope}").load()


def test_no_runs_of_the_candidate_commit_is_an_error(repo: Repo) -> None:
    write_runs(repo, [("d1", repo.d, "main")])
    with pytest.raises(RunSetError, match=f"no run matches where tags.commit={repo.c}"):
        source(repo, "{commit: head}").load()


def test_the_choice_is_in_the_report(repo: Repo, capsys: pytest.CaptureFixture[str]) -> None:
    write_runs(
        repo,
        [
            ("b1", repo.b, "main"),
            ("b2", repo.b, "main"),
            ("c1", repo.c, "feature"),
            ("c2", repo.c, "feature"),
        ],
    )
    path = repo.path / "gate.yml"
    path.write_text(
        "baseline: {path: runs.jsonl, git: {commit: merge-base, branch: main}}\n"
        "candidate: {path: runs.jsonl, git: {commit: head}}\n"
        "metrics: {acc: {direction: higher}}\n"
    )
    assert main(["check", "--policy", str(path), "--markdown", "-"]) == 0
    report = capsys.readouterr().out
    assert f"runs of commit {repo.b[:12]}, the merge-base of HEAD and main" in report
    assert f"runs of commit {repo.c[:12]} (HEAD" in report


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{comit: head}", "unknown key 'comit' (did you mean 'commit'?)"),
        ("{branch: main}", "`commit` is required: head, merge-base, or a git revision"),
        ("{commit: head, commit_field: metrics.acc}", "must be a run field such as tags.commit"),
        ("head", "must be a mapping such as `{commit: merge-base, branch: main}`"),
        ("{commit: 3}", "must be a non-empty string, not 3"),
    ],
)
def test_policy_errors(repo: Repo, spec: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        source(repo, spec)
    assert message in str(caught.value)
    assert ":1: baseline.git" in str(caught.value)


def test_subprocess_git_outside_a_repository(tmp_path: Path) -> None:
    outside = SubprocessGit(tmp_path)
    assert outside.resolve("HEAD") is None
    assert outside.merge_base("HEAD", "main") is None
    with pytest.raises(
        RunSetError, match=r"git show HEAD:\./m\.json failed: fatal: not a git repository"
    ):
        outside.show("HEAD", "m.json")
