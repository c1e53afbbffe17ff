"""`rungate init` as a new user runs it: from run files (or an MLflow store) to a policy
that `rungate check` reads first time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from support.mlflow_logging import RunSpec, log_runs_in_child
from support.mlflow_servers import require_mlflow
from support.paths import ROOT, SOURCE_DATA

from gate.cli import main


def init_then_check(folder: Path, *init_args: str) -> dict[str, object]:
    policy = folder / "rungate.yml"
    assert main(["init", *init_args, "--output", str(policy)]) == 0
    assert main(["check", "--policy", str(policy)]) in (0, 1)  # a verdict, not an error
    document = yaml.safe_load(policy.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    assert (folder / ".rungate.schema.json").is_file()
    return document


def test_the_bundled_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(ROOT / "examples" / "runs", tmp_path / "runs")
    policy = init_then_check(tmp_path, str(tmp_path / "runs" / "history.jsonl"))
    assert policy["baseline"] == {
        "path": "runs/history.jsonl",
        "where": {"tags.branch": "main"},
        "latest": 5,
    }
    assert policy["candidate"] == {
        "path": "runs/history.jsonl",
        "where": {"tags.branch": "feature/augment"},
    }
    metrics = policy["metrics"]
    assert isinstance(metrics, dict)
    directions = {name: settings["direction"] for name, settings in metrics.items()}
    assert directions == {
        "accuracy": "higher",
        "f1_macro": "higher",
        "latency_ms": "lower",
        "val_loss": "lower",
    }
    assert all(settings["tolerance"] > 0 for settings in metrics.values())
    out = capsys.readouterr().out
    assert "val_loss: lower is better (from its name)" in out


def test_two_paths_and_shared_seeds(tmp_path: Path) -> None:
    examples = ROOT / "examples" / "runs"
    policy = init_then_check(tmp_path, str(examples / "pr"), str(examples / "regressed"))
    assert isinstance(policy["candidate"], str) and policy["candidate"].endswith("runs/pr")
    assert policy["baseline"] == policy["candidate"].replace("/pr", "/regressed")
    assert policy["pair_by"] == "params.seed"  # both sides ran seeds 0-4


def test_a_pytest_benchmark_file(tmp_path: Path) -> None:
    shutil.copy(SOURCE_DATA / "pytest-benchmark-5.3.1.json", tmp_path / "bench.json")
    policy = init_then_check(tmp_path, str(tmp_path / "bench.json"))
    metrics = policy["metrics"]
    assert isinstance(metrics, dict) and "test_fib" in metrics
    assert all(settings["direction"] == "lower" for settings in metrics.values())  # times


def test_an_mlflow_store(tmp_path: Path) -> None:
    require_mlflow()
    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    runs = [
        RunSpec(f"main-{i}", start=i, tags={"branch": "main"}, metrics={"acc": 0.9 + i / 100})
        for i in range(4)
    ]
    runs.append(RunSpec("pr", start=9, tags={"branch": "pr-1"}, metrics={"acc": 0.95}))
    log_runs_in_child(uri, {"digits": runs})
    policy = init_then_check(tmp_path, "--mlflow", "digits", "--tracking-uri", uri)
    baseline = policy["baseline"]
    assert isinstance(baseline, dict)
    assert baseline["mlflow"]["filter"] == "tags.branch = 'main'"
    assert baseline["mlflow"]["latest"] == 4


def test_a_name_that_says_nothing_is_marked_as_a_guess(tmp_path: Path) -> None:
    (tmp_path / "runs.csv").write_text("id,widgets\na,1\nb,2\n", encoding="utf-8")
    init_then_check(tmp_path, str(tmp_path / "runs.csv"))
    text = (tmp_path / "rungate.yml").read_text(encoding="utf-8")
    assert "direction: higher  # a guess: the name does not say; check it" in text


def test_an_existing_policy_is_kept(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = tmp_path / "rungate.yml"
    policy.write_text("mine\n", encoding="utf-8")
    runs = str(ROOT / "examples" / "runs" / "history.jsonl")
    assert main(["init", runs, "--output", str(policy)]) == 2
    assert "already there; give --force" in capsys.readouterr().err
    assert policy.read_text(encoding="utf-8") == "mine\n"
    assert main(["init", runs, "--output", str(policy), "--force"]) == 0


def test_github_writes_the_fork_safe_pair(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / ".git").mkdir()  # the repository's root
    (tmp_path / "ml").mkdir()
    shutil.copytree(ROOT / "examples" / "runs", tmp_path / "ml" / "runs")
    runs = str(tmp_path / "ml" / "runs" / "history.jsonl")
    sha = "a" * 40
    args = ["init", runs, "--output", str(tmp_path / "ml" / "rungate.yml"), "--github"]
    assert main([*args, "--action", f"acme/rungate@{sha}"]) == 0
    workflows = tmp_path / ".github" / "workflows"
    pr = yaml.safe_load((workflows / "rungate-pr.yml").read_text(encoding="utf-8"))
    (gate_step,) = [step for step in pr["jobs"]["gate"]["steps"] if step.get("id") == "gate"]
    assert gate_step["uses"] == f"acme/rungate@{sha}"
    assert gate_step["with"]["policy"] == "ml/rungate.yml"  # from the repository's root
    assert (workflows / "rungate-comment.yml").is_file()
    capsys.readouterr()
    # Run again: the workflows are there now, so it stops unless told to replace them.
    (tmp_path / "ml" / "rungate.yml").unlink()
    assert main(args) == 2
    assert "a workflow is already there" in capsys.readouterr().err


def test_the_workflows_are_the_ones_the_docs_show() -> None:
    # The docs' fork-safe pair is linted in CI; the templates must not drift from it.
    import re

    doc = (ROOT / "docs" / "github-action.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```yaml\n(.*?)^```$", doc, re.DOTALL | re.MULTILINE)
    for name in ("rungate-pr.yml", "rungate-comment.yml"):
        template = (ROOT / "templates" / "workflows" / name).read_text(encoding="utf-8")
        assert template in blocks, name
