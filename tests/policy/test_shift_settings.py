"""`shifts:` in a policy: read with its defaults, and refused with its place when wrong."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.paths import ROOT

from gate.errors import PolicyError
from gate.policy import Policy, load_policy
from gate.policy.shift_settings import DEFAULT_SHIFTS, ShiftSettings
from gate.policy.values import Tolerance

METRICS = "metrics:\n  accuracy: {direction: higher}\n"


def load(tmp_path: Path, text: str) -> Policy:
    path = tmp_path / "policy.yml"
    path.write_text(text, encoding="utf-8")
    return load_policy(path)


def test_the_defaults_hold_without_the_key(tmp_path: Path) -> None:
    assert load(tmp_path, METRICS).shifts == DEFAULT_SHIFTS
    assert ShiftSettings(p=0.001, min_change=Tolerance(0.0), min_commits=5) == DEFAULT_SHIFTS


def test_every_key_is_read(tmp_path: Path) -> None:
    policy = load(tmp_path, "shifts: {p: 1e-4, min_change: '2%', min_commits: 8}\n" + METRICS)
    assert policy.shifts == ShiftSettings(
        p=1e-4, min_change=Tolerance(0.02, relative=True), min_commits=8
    )
    absolute = load(tmp_path, "shifts: {min_change: 0.005}\n" + METRICS)
    assert absolute.shifts.min_change == Tolerance(0.005)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("shifts: {p: 0.5}\n", r"policy.yml:1: shifts.p: must be in \(0, 0.1\]"),
        ("shifts: {p: 0}\n", r"shifts.p: must be in \(0, 0.1\]"),
        ("shifts: {min_change: -1}\n", r"shifts.min_change: a tolerance cannot be negative"),
        ("shifts: {min_commits: 1}\n", r"shifts.min_commits: must be a whole number of commits"),
        ("shifts: {min_commits: 2.5}\n", r"shifts.min_commits: must be a whole number"),
        (
            "shifts: {pvalue: 0.01}\n",
            r"shifts.pvalue: unknown key .pvalue.; allowed here: p, min_change",
        ),
        ("shifts: 0.001\n", r"shifts: must be a mapping such as"),
    ],
)
def test_wrong_settings_are_refused_with_their_place(
    tmp_path: Path, text: str, expected: str
) -> None:
    with pytest.raises(PolicyError) as info:
        load(tmp_path, text + METRICS)
    assert re.search(expected, str(info.value)), str(info.value)


def test_the_example_in_the_docs_is_a_valid_policy_with_the_defaults(tmp_path: Path) -> None:
    text = (ROOT / "docs" / "history.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    (example,) = [block for block in blocks if block.startswith("shifts:")]
    assert load(tmp_path, example + METRICS).shifts == DEFAULT_SHIFTS
