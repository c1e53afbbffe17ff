"""Pairing by example key end to end: run files with keyed ``examples``, ``rungate check``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support.keyed_runs import example_ids, flipped

from gate.cli import main


def write_side(path: Path, keys: list[str], scores: list[float]) -> None:
    examples = [
        {"id": key, "score": score, "input": f"Q: {key}?"}
        for key, score in zip(keys, scores, strict=True)
    ]
    path.write_text(json.dumps({"id": path.stem, "examples": {"acc": examples}}), encoding="utf-8")


def write_policy(tmp_path: Path, extra: str = "") -> Path:
    policy = tmp_path / "policy.yml"
    policy.write_text(
        "candidate: pr.json\nbaseline: main.json\n"
        f"metrics:\n  acc: {{direction: higher, pair_by: example{extra}}}\n",
        encoding="utf-8",
    )
    return policy


def test_a_candidate_worse_on_3_percent_of_examples_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base, cand = flipped(2000, worse=60, better=0)
    keys = example_ids(2000)
    write_side(tmp_path / "main.json", keys, base)
    write_side(tmp_path / "pr.json", keys[::-1], cand[::-1])  # another order: paired by key
    report = tmp_path / "report.json"
    code = main(["check", "--policy", str(write_policy(tmp_path)), "--json", str(report)])
    assert code == 1
    assert capsys.readouterr().out.startswith("rungate: FAIL")
    (metric,) = json.loads(report.read_text(encoding="utf-8"))["metrics"]
    assert metric["verdict"] == "regression" and metric["pairs"] == 2000
    assert metric["examples"]["worse"] == 60 and len(metric["examples"]["changes"]) == 60
    assert metric["examples"]["changes"][0]["excerpt"].startswith("Q: q")


def test_too_many_unmatched_examples_exit_2_naming_the_metric(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    keys = example_ids(100)
    write_side(tmp_path / "main.json", keys, [1.0] * 100)
    write_side(tmp_path / "pr.json", keys[:90], [1.0] * 90)
    code = main(["check", "--policy", str(write_policy(tmp_path, ", max_unmatched: 2"))])
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "metrics.acc" in err and "10 of 100 (10%) could not be paired" in err
    assert "10 only in the baseline, e.g. 'q90'" in err and "max_unmatched: 2" in err
