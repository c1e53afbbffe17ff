"""The policy's `history:` store and `baseline: {history: ...}`: parsed into plain data,
every mistake one line with the file, line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.paths import ROOT

from gate.errors import PolicyError
from gate.policy import Policy, parse_policy
from gate.policy.recorded import FolderStoreSpec, GitStoreSpec, HistorySpec, MlflowStoreSpec
from gate.policy.yamldoc import load_yaml

METRICS = "metrics: {acc: {direction: higher}}\n"


def parse(text: str) -> Policy:
    return parse_policy(load_yaml(text + METRICS, "p.yml", folder=Path("/repo")))


def test_the_stores_and_their_defaults() -> None:
    policy = parse("history: {git: }\nbaseline: {history: {window: 3}}\n")
    assert policy.history == GitStoreSpec(Path("/repo"), "rungate-history", "origin")
    baseline = policy.baseline
    assert isinstance(baseline, HistorySpec)
    assert (baseline.commit, baseline.branch, baseline.window) == ("merge-base", None, 3)
    assert (baseline.stale_commits, baseline.stale_days) == (20, 14)
    assert parse("history: {path: .rungate/h}\n").history == FolderStoreSpec(
        Path("/repo/.rungate/h")
    )
    store = parse("history: {mlflow: {tracking_uri: 'https://m.example'}}\n").history
    assert store == MlflowStoreSpec("https://m.example", "rungate-history")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("history: {git: {}, path: h}\n", "p.yml:1: history: give exactly one store"),
        ("history: {gti: {}}\n", "p.yml:1: history.gti: unknown key 'gti' (did you mean 'git'?)"),
        ("history: {git: {branh: x}}\n", "history.git.branh: unknown key 'branh'"),
        ("history: {mlflow: {experiment: e}}\n", "`tracking_uri` is required"),
        ("history: {mlflow: {tracking_uri: mlruns}}\n", "must be a tracking server's http(s)://"),
        (
            "baseline: {history: {}}\n",
            "p.yml:1: baseline.history: a history baseline needs a store",
        ),
        (
            "history: {git: {}}\nbaseline: {history: {window: 0}}\n",
            "p.yml:2: baseline.history.window: must be a whole number of recorded commits",
        ),
        (
            "history: {git: {}}\nbaseline: {history: {stale_days: -1}}\n",
            "baseline.history.stale_days: must be a whole number of days, 0 or more",
        ),
        (
            "history: {git: {}}\nbaseline: {history: {}, git: {commit: head}}\n",
            "baseline.git: `git:` does not go with `history:`",
        ),
    ],
)
def test_mistakes_are_one_line_with_their_place(text: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        parse(text)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_parsing_a_history_policy_opens_nothing() -> None:
    # No store, no git, no HTTP client: only `rungate check` and `record` open them.
    code = (
        "import sys\n"
        "from gate.policy.yamldoc import load_yaml\n"
        "from gate.policy import parse_policy\n"
        "text = '''history: {mlflow: {tracking_uri: 'http://127.0.0.1:9'}}\n"
        "baseline: {history: {window: 3}}\n"
        "metrics: {a: {direction: higher}}\n'''\n"
        "parse_policy(load_yaml(text, 'p.yml'))\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith(('gate.sources', "
        "'gate.stores', 'requests', 'subprocess')))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.split() == []
