"""examples/mlflow: train.py logs real scikit-learn runs to MLflow, and gate.yml gates them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from support.mlflow_servers import require_mlflow
from support.paths import ROOT

from gate.cli import main

EXAMPLE = ROOT / "examples" / "mlflow"


def train(store: str, *args: str) -> None:
    done = subprocess.run(
        [sys.executable, str(EXAMPLE / "train.py"), "--tracking-uri", store, *args],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert done.returncode == 0, done.stderr[-3000:]


def test_the_example_passes_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    require_mlflow()
    store = f"sqlite:///{tmp_path / 'mlflow.db'}"
    train(store, "--branch", "main")
    train(store, "--branch", "pr", "--alpha", "0.03")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", store)
    policy = str(EXAMPLE / "gate.yml")

    monkeypatch.setenv("CANDIDATE_BRANCH", "main")  # main against itself
    assert main(["check", "--policy", policy]) == 0
    assert capsys.readouterr().out == "rungate: PASS (3 metrics: 3 pass)\n"

    monkeypatch.setenv("CANDIDATE_BRANCH", "pr")  # 300x the regularization
    assert main(["check", "--policy", policy]) == 1
    out = capsys.readouterr().out
    assert out.startswith("rungate: FAIL (3 metrics: 3 regressions)\n")
