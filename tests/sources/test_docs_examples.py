"""Every policy example of docs/sources.md (and the README's source example) is a valid policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gate.policy import parse_policy
from gate.policy.yamldoc import load_yaml

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"```yaml\n(.*?)```", re.DOTALL)
KINDS = ("mlflow:", "dvc:", "_benchmark:", "wandb", "lm_eval:", "inspect:", "promptfoo:")


def examples() -> list[tuple[str, str]]:
    found = []
    for name in ("docs/sources.md", "README.md"):
        for number, text in enumerate(BLOCK.findall((ROOT / name).read_text()), 1):
            if any(kind in text for kind in KINDS):
                found.append((f"{name} #{number}", text))
    return found


@pytest.mark.parametrize(("where", "text"), examples(), ids=[where for where, _ in examples()])
def test_example_is_a_valid_policy(
    where: str, text: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GITHUB_SHA", "0123456789abcdef")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")
    if "\nmetrics:" not in f"\n{text}":
        text += "metrics: {accuracy: {direction: higher}}\n"
    policy = parse_policy(load_yaml(text, where, folder=tmp_path))
    assert policy.baseline is not None or policy.candidate is not None


def test_examples_were_found() -> None:
    assert len(examples()) >= 11
