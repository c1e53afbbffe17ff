"""The shell script of action.yml, run by bash the way the runner runs it.

The inputs arrive as environment variables (never spliced into the script), so
the test sets them, runs the "Run the gate" step, and looks at the exact
arguments rungate got.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
(GATE_STEP,) = [step for step in ACTION["runs"]["steps"] if step.get("id") == "gate"]
RECORDER = """#!/usr/bin/env python3
import os, sys
with open(os.environ["ARGS_FILE"], "w", encoding="utf-8") as file:
    file.write("\\0".join(sys.argv[1:]))
with open(os.environ["ARGS_FILE"] + ".tokens", "w", encoding="utf-8") as file:
    file.write(" ".join(name for name in os.environ if name.endswith("TOKEN")))
with open(os.environ["ARGS_FILE"] + ".git", "w", encoding="utf-8") as file:
    file.write(f'{os.environ.get("GIT_CONFIG_KEY_0")}={os.environ.get("GIT_CONFIG_VALUE_0")}')
sys.exit(int(os.environ.get("FAKE_STATUS", "0")))
"""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")


def run_step(tmp_path: Path, bin_dir: Path, **inputs: str) -> tuple[int, str, dict[str, str]]:
    env = {
        "PATH": os.environ["PATH"],
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GITHUB_EVENT_NAME": "push",
        "ARGS_FILE": str(tmp_path / "args"),
        "RUNGATE_BIN": str(bin_dir),
        "RUNGATE_POLICY": "gate.yml",
        "RUNGATE_CANDIDATE": "",
        "RUNGATE_BASELINE": "",
        "RUNGATE_COMMENT": "auto",
        "RUNGATE_COMMENT_ID": "default",
        "RUNGATE_COMMENT_MODE": "update",
        "RUNGATE_FAIL_ON_REGRESSION": "true",
        "RUNGATE_ARGS": "",
        "RUNGATE_MODE": "check",
        "RUNGATE_DASHBOARD": "",
        **inputs,
    }
    assert set(env) >= set(GATE_STEP["env"]) - {"RUNGATE_TOKEN"}
    done = subprocess.run(
        # As the runner runs a bash step: bash --noprofile --norc -eo pipefail {0}
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", GATE_STEP["run"]],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    outputs = tmp_path / "output.txt"
    lines = outputs.read_text(encoding="utf-8").splitlines() if outputs.exists() else []
    return done.returncode, done.stdout + done.stderr, dict(line.split("=", 1) for line in lines)


@pytest.fixture
def recorder(tmp_path: Path) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "rungate"
    script.write_text(RECORDER.replace("python3", sys.executable, 1), encoding="utf-8")
    script.chmod(0o755)
    return bin_dir


def recorded(tmp_path: Path) -> list[str]:
    return (tmp_path / "args").read_text(encoding="utf-8").split("\0")


def test_inputs_become_arguments_and_never_code(tmp_path: Path, recorder: Path) -> None:
    status, log, _ = run_step(
        tmp_path,
        recorder,
        RUNGATE_POLICY="my gate.yml",
        RUNGATE_CANDIDATE="runs/seed 1\n  runs/$(touch pwned)\n\nruns/*\n",
        RUNGATE_BASELINE="base/a.jsonl base/b.jsonl",
        RUNGATE_ARGS="--html report.html --junit '$HOME'",
        RUNGATE_COMMENT="true",
    )
    assert status == 0, log
    args = recorded(tmp_path)
    assert args[:3] == ["check", "--policy", "my gate.yml"]
    assert args[3] == "--markdown" and args[4].endswith("/report.md")
    assert args[5] == "--json" and args[6].endswith("/report.json")
    assert args[7:] == [
        "--comment-id",
        "default",
        "--comment-mode",
        "update",
        "--candidate",
        "runs/seed 1",
        "--candidate",
        "runs/$(touch pwned)",
        "--candidate",
        "runs/*",
        "--baseline",
        "base/a.jsonl",
        "--baseline",
        "base/b.jsonl",
        "--comment",
        "--html",
        "report.html",
        "--junit",
        "'$HOME'",
    ]
    assert not (tmp_path / "pwned").exists()


@pytest.mark.parametrize(
    ("event", "comment", "comments"),
    [
        ("pull_request", "auto", True),
        ("pull_request_target", "auto", True),
        ("push", "auto", False),
        ("pull_request", "false", False),
        ("push", "true", True),
    ],
)
def test_comment_auto_means_on_pull_requests(
    tmp_path: Path, recorder: Path, event: str, comment: str, comments: bool
) -> None:
    status, log, _ = run_step(
        tmp_path,
        recorder,
        GITHUB_EVENT_NAME=event,
        RUNGATE_COMMENT=comment,
        RUNGATE_TOKEN="t0ken",
        GITHUB_TOKEN="t0ken",
    )
    assert status == 0, log
    assert ("--comment" in recorded(tmp_path)) is comments
    # The token reaches rungate only when it comments, and only as GITHUB_TOKEN.
    tokens = (tmp_path / "args.tokens").read_text(encoding="utf-8").split()
    assert tokens == (["GITHUB_TOKEN"] if comments else [])


def test_exit_status_and_fail_on_regression(tmp_path: Path, recorder: Path) -> None:
    assert run_step(tmp_path, recorder, FAKE_STATUS="1")[0] == 1
    status, log, _ = run_step(
        tmp_path, recorder, FAKE_STATUS="1", RUNGATE_FAIL_ON_REGRESSION="false"
    )
    assert status == 0 and "fail-on-regression is false" in log
    status, _, outputs = run_step(
        tmp_path, recorder, FAKE_STATUS="2", RUNGATE_FAIL_ON_REGRESSION="false"
    )
    assert status == 2 and outputs == {"verdict": "error"}
    status, log, _ = run_step(tmp_path, recorder, RUNGATE_COMMENT="yes")
    assert status == 2 and "input comment must be true, false or auto" in log


def test_the_real_rungate_writes_the_outputs(tmp_path: Path) -> None:
    installed = Path(sys.executable).parent
    if not (installed / "rungate").exists():
        pytest.skip("rungate is not installed next to this Python")
    status, log, outputs = run_step(
        tmp_path,
        installed,
        RUNGATE_POLICY=str(ROOT / "examples" / "policy.yml"),
        RUNGATE_CANDIDATE=str(ROOT / "examples" / "runs" / "regressed"),
        RUNGATE_FAIL_ON_REGRESSION="false",
        GITHUB_ACTIONS="true",
    )
    assert status == 0, log
    assert outputs["verdict"] == "fail" and outputs["regressions"] == "4"
    assert Path(outputs["markdown"]).read_text(encoding="utf-8").startswith("## rungate: ❌ fail")
    assert Path(outputs["json"]).is_file()


def test_record_mode_records_the_candidate_and_gives_git_the_token(
    tmp_path: Path, recorder: Path
) -> None:
    status, log, _ = run_step(
        tmp_path,
        recorder,
        RUNGATE_MODE="record",
        RUNGATE_CANDIDATE="runs/main a.json\nruns/b.json\n",
        RUNGATE_TOKEN="t0ken",
        GITHUB_TOKEN="t0ken",
        GITHUB_SERVER_URL="https://github.example",
    )
    assert status == 0, log
    args = recorded(tmp_path)
    assert args == [
        "record",
        "--policy",
        "gate.yml",
        "--runs",
        "runs/main a.json",
        "--runs",
        "runs/b.json",
    ]
    # rungate never sees the token; git gets it as an HTTP header (x-access-token:t0ken).
    assert (tmp_path / "args.tokens").read_text(encoding="utf-8") == ""
    header = (tmp_path / "args.git").read_text(encoding="utf-8")
    basic = "eC1hY2Nlc3MtdG9rZW46dDBrZW4="
    assert header == f"http.https://github.example/.extraheader=AUTHORIZATION: basic {basic}"
    assert "::add-mask::eC1hY2Nlc3MtdG9rZW46dDBrZW4=" in log
    status, log, _ = run_step(tmp_path, recorder, RUNGATE_MODE="judge")
    assert status == 2 and "input mode must be check or record" in log


def test_record_mode_writes_the_dashboard_after_recording(tmp_path: Path, recorder: Path) -> None:
    status, log, _ = run_step(
        tmp_path, recorder, RUNGATE_MODE="record", RUNGATE_DASHBOARD="site $(touch pwned)"
    )
    assert status == 0, log
    # The recorder keeps its last call's arguments: the dashboard, after the record.
    assert recorded(tmp_path) == [
        "dashboard",
        "--policy",
        "gate.yml",
        "--out",
        "site $(touch pwned)",
    ]
    assert not (tmp_path / "pwned").exists()
    # A failed record writes no dashboard, and the step fails with its status.
    status, log, _ = run_step(
        tmp_path, recorder, RUNGATE_MODE="record", RUNGATE_DASHBOARD="site", FAKE_STATUS="2"
    )
    assert status == 2
    assert recorded(tmp_path)[0] == "record"
