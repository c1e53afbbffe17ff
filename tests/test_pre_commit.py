"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the real pre-commit on a new repository.

pre-commit installs rungate from this repository's HEAD into an environment of its own
(about 15 s with the packages cached), then runs the hooks on the files of a temporary
repository: a valid policy passes, a typo fails with the one-line error.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.git_commands import GIT_IDENTITY
from support.mlflow_servers import IN_CI
from support.paths import ROOT


def run(folder: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=folder, capture_output=True, text=True, env=env, check=False)


def test_the_hooks_check_policies_and_run_the_gate(tmp_path: Path) -> None:
    if shutil.which("pre-commit") is None:
        if IN_CI:
            pytest.fail("pre-commit is not installed: pip install -e '.[test]'")
        pytest.skip("pre-commit is not installed")
    env = {
        **os.environ,
        **GIT_IDENTITY,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
    }
    head = run(ROOT, "git", "rev-parse", "HEAD", env=env).stdout.strip()
    repo = tmp_path / "project"
    (repo / "runs").mkdir(parents=True)
    shutil.copytree(ROOT / "examples" / "runs", repo / "runs", dirs_exist_ok=True)
    policy = (ROOT / "examples" / "policy.yml").read_text(encoding="utf-8")
    (repo / "rungate.yml").write_text(policy, encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n"
        "      - id: rungate-validate\n      - id: rungate-check\n        args: [rungate.yml]\n",
        encoding="utf-8",
    )
    run(repo, "git", "init", "-q", "-b", "main", env=env)
    run(repo, "git", "add", "-A", env=env)
    passed = run(repo, "pre-commit", "run", "--all-files", env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "rungate policy" in passed.stdout and "rungate gate" in passed.stdout

    (repo / "gate.yml").write_text("metrics:\n  acc: {direction: higher, tolerence: 1}\n")
    run(repo, "git", "add", "-A", env=env)
    failed = run(repo, "pre-commit", "run", "rungate-validate", "--all-files", env=env)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "gate.yml:2: metrics.acc.tolerence: unknown key 'tolerence'" in failed.stdout
