"""lm-evaluation-harness output read as runs.

``data/evallogs/lm_eval/`` was written by lm-evaluation-harness 0.4.13 itself
(``simple_evaluate`` with ``log_samples`` and its ``EvaluationTracker``, as
``lm_eval --output_path --log_samples`` does), on two local tasks, with a model
that answers from a key: ``data/evallogs/regenerate.sh``. The baseline gets
q03 and q17 wrong, the candidate q03, q08, q21 and q26.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from support.paths import SOURCE_DATA
from support.sources import open_side

from gate.cli import main
from gate.errors import PolicyError
from gate.model import Run
from gate.policy import load_policy
from gate.sources.evallogs.lm_eval import read_lm_eval
from gate.sources.open import open_paths
from gate.vocabulary import Direction

DATA = SOURCE_DATA / "evallogs" / "lm_eval"
EVALS = Path(__file__).parents[3] / "examples" / "evals" / "logs"


def results_file(side: str) -> Path:
    return next((DATA / side).glob("results_*.json"))


def read(side: str, tasks: tuple[str, ...] = ()) -> Run:
    (run,) = read_lm_eval((DATA / side,), tasks=tasks).runs
    return run


def test_metrics_are_task_slash_metric_with_the_filter_unless_none() -> None:
    run = read("base")
    document = json.loads(results_file("base").read_text())
    assert run.metrics == {
        "arith_mc/acc": document["results"]["arith_mc"]["acc,none"],
        "arith_gen/exact_match,strict-match": 28 / 30,
        "arith_gen/exact_match": 0.0,  # " 12 is the answer" is not "12" without the regex
    }
    assert run.metrics["arith_mc/acc"] == pytest.approx(28 / 30)
    assert run.id == results_file("base").name
    assert run.tags["lm_eval"] == "0.4.13"
    assert run.start_time == document["date"]


def test_examples_are_keyed_by_doc_id_with_the_doc_hash() -> None:
    run = read("pr")
    accuracy = run.examples["arith_mc/acc"]
    assert len(accuracy) == 30
    assert accuracy.keys[:3] == ("0", "1", "2")
    wrong = {key for key, score in zip(accuracy.keys, accuracy.scores, strict=True) if score == 0}
    assert wrong == {"2", "7", "20", "25"}  # q03, q08, q21, q26
    samples = next((DATA / "pr").glob("samples_arith_mc_*")).read_text()
    lines = [json.loads(line) for line in samples.splitlines()]
    assert accuracy.hashes == tuple(line["doc_hash"] for line in lines)
    assert accuracy.repeats is None
    assert accuracy.excerpts is not None and accuracy.excerpts[0].startswith("What is 7 + 5?")
    strict = run.examples["arith_gen/exact_match,strict-match"]
    assert sum(strict.scores) == 26


def test_higher_is_better_is_each_metrics_direction() -> None:
    logs = read_lm_eval((DATA / "base",))
    assert logs.directions == {
        "arith_mc/acc": Direction.HIGHER,
        "arith_gen/exact_match,strict-match": Direction.HIGHER,
        "arith_gen/exact_match": Direction.HIGHER,
    }


def test_a_task_filter_keeps_those_tasks(tmp_path: Path) -> None:
    assert set(read("base", tasks=("arith_gen",)).metrics) == {
        "arith_gen/exact_match,strict-match",
        "arith_gen/exact_match",
    }
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate: {{lm_eval: {{path: {DATA / 'pr'}, tasks: [arith_mc, nope]}}}}\n"
        "metrics: {arith_mc/acc: {}}\n"
    )
    assert main(["check", "--policy", str(policy)]) == 2


def test_the_policy_may_leave_the_direction_to_the_logs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate: {{lm_eval: {DATA / 'pr'}}}\nbaseline: {{lm_eval: {DATA / 'base'}}}\n"
        "metrics:\n  arith_mc/acc: {tolerance: 0.5}\n"
    )
    assert load_policy(policy).metrics[0].direction is None
    assert main(["check", "--policy", str(policy), "--json", "-"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"][0]["direction"] == "higher"


def test_the_candidates_own_log_cannot_turn_the_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The pull request's task says lower is better: main's log still decides (the
    # examples' logs: the candidate loses 16 questions and gains 2).
    shutil.copytree(EVALS / "pr", tmp_path / "pr")
    results = next((tmp_path / "pr").glob("results_*.json"))
    document = json.loads(results.read_text())
    document["higher_is_better"]["arith_mc"]["acc"] = False
    results.write_text(json.dumps(document))
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate: {{lm_eval: {tmp_path / 'pr'}}}\nbaseline: {{lm_eval: {EVALS / 'main'}}}\n"
        "metrics:\n  arith_mc/acc: {pair_by: example, test: mcnemar}\n"
    )
    assert main(["check", "--policy", str(policy), "--json", "-"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["metrics"][0]["direction"] == "higher"
    assert report["metrics"][0]["verdict"] == "regression"
    # A baseline that says nothing leaves no direction, whatever the candidate says.
    policy.write_text(
        f"candidate: {{lm_eval: {DATA / 'pr'}}}\nbaseline: {{lm_eval: {tmp_path / 'base'}}}\n"
        "metrics:\n  arith_mc/acc: {pair_by: example}\n"
    )
    shutil.copytree(DATA / "base", tmp_path / "base")
    results = next((tmp_path / "base").glob("results_*.json"))
    document = json.loads(results.read_text())
    del document["higher_is_better"]
    results.write_text(json.dumps(document))
    assert main(["check", "--policy", str(policy)]) == 2
    assert "the baseline's logs do not say which way is better" in capsys.readouterr().err


def test_without_an_lm_eval_side_the_direction_is_required(tmp_path: Path) -> None:
    policy = tmp_path / "gate.yml"
    policy.write_text("candidate: a.json\nmetrics:\n  acc: {tolerance: 0.5}\n")
    with pytest.raises(PolicyError, match=r"metrics.acc: `direction` is required"):
        load_policy(policy)


def test_a_metric_the_logs_give_no_direction_for_stops_the_gate(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for side in ("base", "pr"):
        shutil.copytree(DATA / side, tmp_path / side)
        results = next((tmp_path / side).glob("results_*.json"))
        document = json.loads(results.read_text())
        del document["higher_is_better"]
        results.write_text(json.dumps(document))
    policy = tmp_path / "gate.yml"
    policy.write_text(
        "candidate: {lm_eval: pr}\nbaseline: {lm_eval: base}\nmetrics: {arith_mc/acc: {}}\n"
    )
    assert main(["check", "--policy", str(policy)]) == 2
    error = capsys.readouterr().err
    assert "set `direction: higher` or `lower` for 'arith_mc/acc'" in error
    assert error.count("\n") == 1


def test_the_command_line_recognises_an_lm_eval_folder_and_file() -> None:
    for path in (DATA / "pr", results_file("pr")):
        loaded = open_paths((path,)).load()
        assert loaded.description.startswith("lm-eval ")
        assert "arith_mc/acc" in loaded.runs[0].examples


def test_open_side_reads_the_policy_spec(tmp_path: Path) -> None:
    policy = tmp_path / "gate.yml"
    policy.write_text(
        f"candidate:\n  lm_eval: {{path: {DATA}, where: {{tags.lm_eval: '0.4.13'}}, latest: 1}}\n"
        "metrics: {arith_mc/acc: {direction: higher}}\n"
    )
    source = open_side(policy, "candidate")
    assert source.describe() == f"lm-eval {DATA} (where tags.lm_eval=0.4.13, latest 1)"
    (run,) = source.load().runs
    assert run.id.startswith(("base/", "pr/"))
