"""``rungate comment REPORT.md``: exit 0 when posted, 2 with one line when not."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from support.fake_forge import TOKEN, FakeGitHub

from gate.cli import main
from gate.publish.body import marker

REPORT = "\n".join(
    [
        "## rungate: ❌ fail — 1 regression",
        "",
        "| Metric | Verdict |",
        "|:--|:--|",
        "| acc | ❌ regression |",
        "",
    ]
)


@pytest.fixture
def github(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> FakeGitHub:
    """A workflow_run job: no pull request in its event, so the number comes from --pr."""
    fake = FakeGitHub(httpserver, prefix="/api/v3", number=31)
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITHUB_API_URL", fake.api_url)
    monkeypatch.setenv("GITHUB_REPOSITORY", "someone/else")  # --repo overrides it
    return fake


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.md"
    path.write_text(REPORT, encoding="utf-8")
    return path


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert TOKEN not in err
    return err


def test_posts_then_updates(
    github: FakeGitHub, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["comment", str(report), "--pr", "31", "--repo", "octo/models"]
    assert main(argv) == 0
    assert capsys.readouterr().out.startswith("rungate: created the comment on pull request")
    report.write_text(REPORT.replace("❌ fail", "✅ pass"), encoding="utf-8")
    assert main(argv) == 0
    assert "updated" in capsys.readouterr().out
    (comment,) = github.comments
    assert comment["body"] == marker("default") + "\n" + REPORT.replace("❌ fail", "✅ pass")


def test_a_forks_403_is_exit_2_with_the_permission_hint(
    github: FakeGitHub, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    github.fail_next(
        "POST",
        "/comments$",
        403,
        {"message": "Resource not accessible by integration"},
        **{"x-accepted-github-permissions": "pull_requests=write"},
    )
    assert main(["comment", str(report), "--pr", "31", "--repo", "octo/models"]) == 2
    line = one_line(capsys)
    assert line.startswith("rungate: error: pull request octo/models#31: GitHub refused")
    assert "pull_requests=write" in line


def test_a_shortened_report_links_the_gates_run(
    github: FakeGitHub, report: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = "".join(f"| metric_{i} | ✅ pass |\n" for i in range(8000))
    report.write_text(REPORT + rows, encoding="utf-8")
    url = "https://github.test/octo/models/actions/runs/99"
    argv = ["comment", str(report), "--pr", "31", "--repo", "octo/models", "--details-url", url]
    assert main(argv) == 0
    body = github.comments[0]["body"]
    assert f"[job summary]({url})" in body and "| acc | ❌ regression |" in body
    assert "metric_1 " not in body


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--pr", "0"], "argument --pr: not a positive whole number: '0'"),
        (["--pr=--repo=x/y"], "argument --pr: not a positive whole number: '--repo=x/y'"),
        (["--pr", "31", "--comment-id", "x y"], "--comment-id 'x y'"),
        (["--pr", "31", "--repo", "not a repo"], "not a repository OWNER/NAME"),
        (["--pr", "31", "--repo", "o/r", "--require-head-sha", "b" * 40], "head commit is not"),
        ([], "is not about a pull request"),
    ],
)
def test_errors_are_exit_2_and_one_line(
    github: FakeGitHub,
    report: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    github.repo = "o/r"
    assert main(["comment", str(report), *argv]) == 2
    assert message in capsys.readouterr().err
    assert github.comments == []


def test_a_missing_report_or_api_url(
    github: FakeGitHub,
    report: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["comment", str(report.with_name("nope.md")), "--pr", "3"]) == 2
    assert "nope.md: cannot read the report" in one_line(capsys)
    monkeypatch.delenv("GITHUB_API_URL")
    assert main(["comment", str(report), "--pr", "3", "--repo", "o/r"]) == 2
    assert "GITHUB_API_URL is not set" in one_line(capsys)
    assert github.seen == []
