"""``rungate check`` through ``main([...])`` inside a simulated GitHub Actions or GitLab CI job."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.big_gate import write_big_gate
from support.fake_forge import TOKEN, FakeGitHub, FakeGitLab

from gate.cli import main
from gate.publish.body import marker

ROOT = Path(__file__).resolve().parent.parent.parent
POLICY = str(ROOT / "examples" / "policy.yml")
REGRESSED = str(ROOT / "examples" / "runs" / "regressed")


@pytest.fixture
def github(httpserver: HTTPServer) -> FakeGitHub:
    return FakeGitHub(httpserver)


@pytest.fixture
def actions(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, github: FakeGitHub) -> Path:
    """A pull_request job: event file, step summary and output files in ``tmp_path``."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"number": 7, "pull_request": {"number": 7}}), encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.write_text("## An earlier step\n", encoding="utf-8")
    for name, value in {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GITHUB_TOKEN": TOKEN,
        "GITHUB_API_URL": github.api_url,
        "GITHUB_REPOSITORY": github.repo,
        "GITHUB_SERVER_URL": "https://github.test",
        "GITHUB_RUN_ID": "4242",
    }.items():
        monkeypatch.setenv(name, value)
    return tmp_path


def outputs(path: Path) -> dict[str, str]:
    """Parse a GITHUB_OUTPUT file the way the runner does (both forms)."""
    values: dict[str, str] = {}
    lines = iter(path.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            collected = []
            for value_line in lines:
                if value_line == delimiter:
                    break
                collected.append(value_line)
            values[name] = "\n".join(collected)
        else:
            name, value = line.split("=", 1)
            values[name] = value
    return values


def test_a_failing_gate_in_actions_fills_summary_outputs_annotations_and_comments(
    actions: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    report_json = actions / "r.json"
    argv = ["check", "--policy", POLICY, "--candidate", REGRESSED, "--json", str(report_json)]
    assert main([*argv, "--comment"]) == 1
    out, err = capsys.readouterr()
    errors = [line for line in out.splitlines() if line.startswith("::error ")]
    assert len(errors) == 4
    assert errors[0].startswith("::error title=rungate%3A accuracy regression::accuracy: ")
    # "%" is escaped as GitHub documents; the runner turns "%25" back into "%".
    assert "baseline 0.9612 (n=5), candidate 0.9493 (n=5), change -0.01188 (-1.2%25)" in errors[0]
    summary = (actions / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("## An earlier step\n\n## rungate: ❌ fail — 4 regressions")
    assert outputs(actions / "output.txt") == {
        "verdict": "fail",
        "regressions": "4",
        "failed": "4",
        "json": str(report_json.resolve()),
    }
    (comment,) = github.comments
    assert comment["body"].startswith(marker("default") + "\n## rungate: ❌ fail")
    assert (
        f"rungate: created the comment on pull request octo/models#7: {comment['html_url']}" in err
    )
    assert TOKEN not in out + err

    # The next push passes: the same comment is updated, and the outputs say so.
    (actions / "output.txt").unlink()
    assert main(["check", "--policy", POLICY, "--comment"]) == 0
    out, err = capsys.readouterr()
    assert "::error" not in out
    (comment,) = github.comments
    assert comment["body"].startswith(marker("default") + "\n## rungate: ✅ pass")
    assert "updated the comment" in err
    assert outputs(actions / "output.txt")["verdict"] == "pass"


def test_a_failed_comment_is_a_warning_and_keeps_the_exit_status(
    actions: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    github.refuse_a_forks_token()
    assert main(["check", "--policy", POLICY, "--candidate", REGRESSED, "--comment"]) == 1
    out, err = capsys.readouterr()
    (warning,) = [line for line in out.splitlines() if line.startswith("::warning")]
    assert warning.startswith("::warning title=rungate::no comment was posted: pull request")
    assert "pull_requests=write" in warning and "workflow_run" in warning
    assert TOKEN not in out + err
    assert main(["check", "--policy", POLICY]) == 0  # without --comment nothing is posted
    assert len(github.calls("POST")) == 1


def test_a_parameter_named_like_a_failed_metric_is_not_shown_as_one(
    actions: Path, github: FakeGitHub, tmp_path: Path
) -> None:
    # Regression: shortening picked the rows whose first cell was a failing metric's
    # name, so the row of a parameter named "f1" came along with the metric f1's.
    policy = write_big_gate(tmp_path, candidate_params={"f1": "0.1"}, baseline_params={"f1": "0.2"})
    summary = actions / "summary.md"
    summary.write_text("x" * 1_000_000, encoding="utf-8")  # leaves the report 44,480 bytes
    assert main(["check", "--policy", str(policy), "--comment"]) == 1
    written = summary.read_text(encoding="utf-8")[1_000_000:]
    (comment,) = github.comments
    for short in (written, comment["body"]):
        assert "too l" in short  # too long for a comment, too large for the job summary
        assert "\n| f1 | ❌ regression |" in short and "- ❌ **f1** — regression" in short
        assert "| f1 | 0.2 | 0.1 |" not in short


def test_a_report_on_stdout_keeps_stdout_clean(
    actions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--policy", POLICY, "--candidate", REGRESSED, "--markdown", "-"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith("## rungate: ❌ fail") and "::error" not in out
    assert err.count("::error ") == 4
    assert "markdown" not in outputs(actions / "output.txt")  # no file to point to


def test_hostile_metric_names_cannot_break_a_workflow_command(
    actions: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name = "acc\n::set-output name=verdict::pass\r%0A"
    runs = [{"metrics": {name: value}} for value in (0.5, 0.5, 0.5)]
    (tmp_path / "runs.json").write_text(json.dumps(runs), encoding="utf-8")
    policy = tmp_path / "p.yml"
    policy.write_text(
        f"candidate: runs.json\nbaseline: runs.json\nmetrics:\n"
        f"  {json.dumps(name)}: {{direction: higher, at_least: 0.9}}\n",
        encoding="utf-8",
    )
    assert main(["check", "--policy", str(policy)]) == 1
    out = capsys.readouterr().out
    # Only a line that starts with "::" is a command: the name cannot start one.
    (error,) = [line for line in out.splitlines() if line.startswith("::")]
    assert "%250A" in error and "\r" not in error
    assert re.match(r"::error title=rungate%3A acc %3A%3Aset-output name=verdict%3A%3Apass ", error)


def test_comment_outside_ci_only_warns(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--policy", POLICY, "--comment"]) == 0
    err = capsys.readouterr().err
    assert err == (
        "rungate: warning: --comment posts only inside GitHub Actions or GitLab CI; "
        "no comment was posted\n"
    )


def test_a_bad_comment_id_is_a_usage_error(
    actions: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--policy", POLICY, "--comment", "--comment-id", "a -->x"]) == 2
    assert "--comment-id 'a -->x'" in capsys.readouterr().err
    assert github.seen == []


def test_a_merge_request_pipeline_posts_a_note(
    monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer, capsys: pytest.CaptureFixture[str]
) -> None:
    gitlab = FakeGitLab(httpserver)
    for name, value in {
        "GITLAB_CI": "true",
        "CI_API_V4_URL": gitlab.api_url,
        "CI_PROJECT_ID": gitlab.project,
        "CI_MERGE_REQUEST_IID": str(gitlab.iid),
        "RUNGATE_GITLAB_TOKEN": TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    argv = ["check", "--policy", POLICY, "--candidate", REGRESSED, "--comment"]
    assert main(argv) == 1
    assert main([*argv, "--comment-id", "second-gate"]) == 1
    assert main(argv) == 1
    out, err = capsys.readouterr()
    assert "::" not in out  # no GitHub workflow commands outside GitHub
    assert [note["body"].split("\n", 1)[0] for note in gitlab.notes] == [
        marker("default"),
        marker("second-gate"),
    ]
    assert err.count("created the comment on merge request 42!3") == 2
    assert "updated the comment" in err or "unchanged" in err
    assert TOKEN not in out + err


def test_a_report_path_that_is_not_utf8_keeps_the_verdict(
    actions: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The reports were written, then the step outputs failed and the exit status was 2.
    name = os.fsdecode(b"report-\xff.json")
    assert main(["check", "--policy", POLICY, "--json", str(actions / name)]) == 0
    raw = (actions / "output.txt").read_bytes()
    assert b"verdict=pass\n" in raw and b"report-\xff.json" in raw
    assert "internal error" not in capsys.readouterr().err


@pytest.mark.parametrize(
    "answer",
    ["<html><body>Sign in to the proxy</body></html>", "[" * 100_000 + "]" * 100_000],
)
def test_an_api_answer_that_is_not_json_cannot_change_the_exit_status(
    actions: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str], answer: str
) -> None:
    github.answer_next_with_text("GET", "/comments$", answer)
    assert main(["check", "--policy", POLICY, "--comment"]) == 0  # the gate passed
    out, err = capsys.readouterr()
    (warning,) = [line for line in out.splitlines() if line.startswith("::warning")]
    assert "something that is not JSON" in warning
    assert "internal error" not in out + err


def test_a_gate_that_cannot_judge_replaces_the_old_verdict_in_the_comment(
    actions: Path, github: FakeGitHub, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "--policy", POLICY, "--comment"]) == 0
    (comment,) = github.comments
    assert "✅ pass" in comment["body"]
    broken = actions / "gate.yml"
    broken.write_text("metrics:\n  acc: {direction: up, '@octocat': 1}\n", encoding="utf-8")
    assert main(["check", "--policy", str(broken), "--comment"]) == 2
    err = capsys.readouterr().err
    assert f"rungate: error: {broken}:2: metrics.acc.@octocat: unknown key" in err
    (comment,) = github.comments  # the same comment, updated: no stale pass
    body = comment["body"]
    assert body.startswith(marker("default") + "\n## rungate: ⚠️ could not judge")
    assert "✅" not in body and "unknown key" in body
    assert "@octocat" not in body  # an error quotes policy text: it stays inert too
