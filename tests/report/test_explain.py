"""`rungate explain`: every verdict shape in plain words, and the command around it."""

from __future__ import annotations

import dataclasses

import pytest
from support.paths import ROOT
from support.results import every_verdict_result, injection_result

from gate.cli import main
from gate.report.explanation import render_explanation

SECTIONS = ("The data", "The test", "The decision", "What would change it")


@pytest.mark.parametrize("index", range(len(every_verdict_result().metrics)))
def test_every_verdict_is_explained(index: int) -> None:
    result = every_verdict_result()
    metric = result.metrics[index]
    text = render_explanation(result, metric)
    assert text.startswith(f"rungate explain: {metric.name}: ")
    assert all(section in text for section in SECTIONS)


def test_hostile_names_stay_on_their_line() -> None:
    # A name with line breaks, workflow commands and escapes must not add a line: the
    # explanation of the same metric named plainly has exactly as many.
    result = injection_result()
    for metric in result.metrics:
        hostile = render_explanation(result, metric).splitlines()
        plain = render_explanation(result, dataclasses.replace(metric, name="x")).splitlines()
        assert len(hostile) == len(plain)
        assert not any(line.startswith(("::", "##[")) or "\x1b" in line for line in hostile)


def test_the_command_on_the_regressed_example(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    args = ["--policy", "examples/policy.yml", "--candidate", "examples/runs/regressed"]
    assert main(["explain", "val_loss", *args]) == 1  # it fails the gate
    out = capsys.readouterr().out
    assert "val_loss: regression (fails the gate)" in out
    assert "testing the candidate against 1.05 times the baseline" in out
    assert "lower is better, so this is worse" in out
    assert main(["explain", "val_los", *args]) == 2
    assert "gates no metric 'val_los' (did you mean 'val_loss'?)" in capsys.readouterr().err
