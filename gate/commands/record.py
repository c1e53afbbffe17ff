"""`rungate record`: append a run set to the policy's history store, tagged with the
commit, the branch and the time.

The commit and branch come from the CI (``GITHUB_SHA``/``GITHUB_REF_NAME``,
GitLab's ``CI_COMMIT_SHA``/``CI_COMMIT_BRANCH``), else from git in the policy's
folder. The runs are the ``--runs`` paths, else the policy's ``candidate:``.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from gate.commands.arguments import Context
from gate.errors import UsageError
from gate.model import CommitRuns
from gate.policy import load_policy
from gate.sources.history.history_source import HistoryGit
from gate.sources.open import open_paths, open_source
from gate.stores import HistoryStore, open_store
from gate.stores.record_file import is_sha

COMMIT_VARIABLES = ("GITHUB_SHA", "CI_COMMIT_SHA")
BRANCH_VARIABLES = ("GITHUB_REF_NAME", "CI_COMMIT_BRANCH")


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_record(policy=args.policy, runs=args.runs)


def run_record(
    *,
    policy: Path,
    runs: Sequence[Path] = (),
    environ: Mapping[str, str] | None = None,
    clock: Callable[[], float] = time.time,
    store: HistoryStore | None = None,
    say: Callable[[str], None] = print,
) -> int:
    env = os.environ if environ is None else environ
    gate_policy = load_policy(policy)
    if store is None:
        if gate_policy.history is None:
            raise UsageError(
                "the policy has no `history:` store to record to; add one such as "
                "`history: {git: {branch: rungate-history}}` (docs/history.md)",
                source=str(policy),
            )
        store = open_store(gate_policy.history)
    if runs:
        source = open_paths(tuple(runs))
    elif gate_policy.candidate is not None:
        source = open_source(gate_policy.candidate)
    else:
        raise UsageError("no runs to record: give --runs PATH or set `candidate:` in the policy")
    histories = frozenset(spec.name for spec in gate_policy.metrics if spec.needs_history)
    run_set = source.load(histories)
    git = HistoryGit(policy.parent)
    commit, branch = _commit(env, git), _branch(env, git)
    record = CommitRuns(commit, branch, clock(), run_set.runs, directions=run_set.directions)
    where = store.append(record)
    count = len(record.runs)
    say(
        f"rungate: recorded {count} run{'' if count == 1 else 's'} of commit {commit[:12]} "
        f"({branch or 'no branch'}) in {store.describe()}: {where}"
    )
    return 0


def _commit(env: Mapping[str, str], git: HistoryGit) -> str:
    for name in COMMIT_VARIABLES:
        value = env.get(name, "").strip().lower()
        if value:
            if not is_sha(value):
                raise UsageError(f"{name} is not a full commit SHA: {value[:80]!r}")
            return value
    found = git.resolve("HEAD")
    if found is None:
        raise UsageError(
            "cannot tell which commit the runs belong to: GITHUB_SHA and CI_COMMIT_SHA are "
            "not set and `git rev-parse HEAD` finds no commit"
        )
    return found


def _branch(env: Mapping[str, str], git: HistoryGit) -> str:
    for name in BRANCH_VARIABLES:
        value = env.get(name, "").strip()
        if value:
            return value
    return git.current_branch() or ""
