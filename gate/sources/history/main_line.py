"""Main's recorded history in commit order: what ``rungate history`` (the shifts) and
``rungate dashboard`` (the trend pictures) draw from.

``read_main_history(policy)`` reads the policy's store and orders its records by
the first-parent history of ``origin/BRANCH`` (or ``BRANCH``), oldest first; a
commit recorded twice appears twice, marked (``CommitRuns.duplicate``). Records
of commits that are not on that line (other branches, a rewritten main) are left
out. Without the branch in git (a shallow clone, no repository), the records of
the branch are ordered by the time they were recorded, and the description says so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from gate.errors import UsageError
from gate.model import CommitRuns
from gate.policy import Policy, load_policy
from gate.policy.recorded import HistorySpec
from gate.sources.history.ancestry import by_commit, choose, choose_by_time
from gate.sources.history.history_source import (
    MAX_WALK,
    TARGET_VARIABLES,
    HistoryGit,
    warn_on_stderr,
)
from gate.stores import HistoryStore, open_store

DEFAULT_CAP = 1000  # recorded commits: the dashboard draws up to 1,000


@dataclass(frozen=True)
class MainHistory:
    records: tuple[CommitRuns, ...]  # oldest first, in the branch's first-parent order
    warnings: tuple[str, ...]  # one line per skipped record (print them to stderr)
    description: str  # "git branch rungate-history of origin: 37 recorded commits of origin/main"


def read_main_history(
    policy: Policy,
    *,
    branch: str | None = None,
    cap: int = DEFAULT_CAP,
    environ: Mapping[str, str] | None = None,
    store: HistoryStore | None = None,
    git: HistoryGit | None = None,
) -> MainHistory:
    """The newest ``cap`` recorded commits of ``branch`` (default: the CI's target branch,
    else ``main``), oldest first. ``store`` and ``git`` replace the policy's (tests)."""
    env = os.environ if environ is None else environ
    if store is None:
        if policy.history is None:
            raise UsageError(
                "the policy has no `history:` store; see docs/history.md", source=policy.source
            )
        store = open_store(policy.history)
    git = git or HistoryGit(Path(policy.source).parent)
    name = branch or next(
        (value for variable in TARGET_VARIABLES if (value := env.get(variable, "").strip())),
        "main",
    )
    contents = store.read()
    # The runs the baseline would take (its `where`), so that the shifts `rungate history`
    # prints are the ones the check finds in the baseline's history.
    spec = policy.baseline
    recorded = by_commit(
        contents.records, dict(spec.where) if isinstance(spec, HistorySpec) else {}
    )
    refs = [name] if name.startswith("origin/") else [f"origin/{name}", name]
    for ref in refs:
        tip = git.resolve(ref)
        if tip is None:
            continue
        choice = choose(recorded, git.first_parents(tip, MAX_WALK), 1, cap=cap)
        records = choice.history if choice is not None else ()
        line = f"{_commits(records)} recorded commits of {ref}"
        return MainHistory(records, contents.warnings, f"{store.describe()}: {line}")
    choice = choose_by_time(recorded, name.removeprefix("origin/"), 1, cap=cap)
    line = f"{_commits(choice.history)} recorded commits of {name}, in recording order"
    return MainHistory(
        choice.history,
        contents.warnings,
        f"{store.describe()}: {line} (git knows no branch {' or '.join(refs)})",
    )


def _commits(records: tuple[CommitRuns, ...]) -> int:
    return len({record.commit for record in records})


def main_records(policy_path: Path, branch: str | None) -> tuple[Policy, tuple[CommitRuns, ...]]:
    """The policy and its store's records of ``branch`` for a command, the skipped
    records' warnings on stderr (what ``rungate history`` and ``dashboard`` read)."""
    policy = load_policy(policy_path)
    history = read_main_history(policy, branch=branch)
    for warning in history.warnings:
        warn_on_stderr(warning)
    return policy, history.records
