"""A baseline read from a history store: the runs recorded for the merge-base.

```yaml
history: {git: {branch: rungate-history}}
baseline:
  history: {commit: merge-base, branch: main, window: 3}
```

``commit: merge-base`` (the default) targets ``git merge-base HEAD origin/BRANCH``
(or ``BRANCH``), where BRANCH is ``branch:``, else the target branch the CI
names (``GITHUB_BASE_REF``, ``CI_MERGE_REQUEST_TARGET_BRANCH_NAME``), else
``main``; any other value is a git revision. The baseline is the nearest
first-parent ancestor of the target with recorded runs (``ancestry``), pooled
with the next ``window - 1`` recorded ones, then ``where``/``latest`` as for
every source. Without a merge-base (a shallow clone) it falls back to the
newest recorded commits of BRANCH, and says so. The run set's ``notes`` say how
far back the baseline is, what was recorded twice or skipped, and when it is
stale; its ``history`` is the recorded history up to the baseline.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from gate.errors import NoRunsError, RunSetError
from gate.model import RunSet
from gate.policy.recorded import MERGE_BASE, HistorySpec
from gate.sources.git.repo import Commit, SubprocessGit
from gate.sources.history.ancestry import (
    SHORT,
    Choice,
    by_commit,
    choose,
    choose_by_time,
    notes_of,
    pooled_runs,
)
from gate.sources.selection import describe_selection, select_runs
from gate.stores import HistoryStore

MAX_WALK = 5000  # first-parent commits searched back for a recorded one
TARGET_VARIABLES = ("GITHUB_BASE_REF", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME")


class HistoryGit(SubprocessGit):
    """``SubprocessGit``, the first-parent log the history baseline walks, and the branch."""

    def first_parents(self, rev: str, count: int) -> list[Commit]:
        """The newest ``count`` first-parent ancestors of ``rev`` (itself first)."""
        done = self._run(
            "log", "--first-parent", f"-n{count}", "--format=%H %ct", "--end-of-options", rev, "--"
        )
        if done.returncode != 0:
            raise RunSetError(f"git log --first-parent {rev} failed", source=str(self.folder))
        commits = []
        for line in done.stdout.decode().splitlines():
            sha, _, seconds = line.partition(" ")
            commits.append(Commit(sha, float(seconds)))
        return commits

    def current_branch(self) -> str | None:
        """The checked-out branch's name; None on a detached HEAD."""
        done = self._run("symbolic-ref", "--short", "-q", "HEAD")
        return done.stdout.decode().strip() or None if done.returncode == 0 else None


@dataclass(frozen=True)
class Target:
    commit: Commit | None  # None: no merge-base could be found
    what: str  # "the merge-base of HEAD and origin/main", "HEAD~1"
    branch: str


def warn_on_stderr(line: str) -> None:
    # A record's place quotes the data branch: one line, so no second line can start a
    # CI workflow command.
    from gate.report.escape import one_line

    print(one_line(f"rungate: warning: {line}", 1000), file=sys.stderr)


class HistorySource:
    """The baseline a history store holds for the merge-base (or a revision)."""

    def __init__(
        self,
        spec: HistorySpec,
        store: HistoryStore,
        git: HistoryGit,
        *,
        environ: Mapping[str, str] | None = None,
        warn: Callable[[str], None] = warn_on_stderr,
    ):
        self.spec = spec
        self.store = store
        self.git = git
        self.environ = os.environ if environ is None else environ
        self.warn = warn
        self.decision: str | None = None

    def describe(self) -> str:
        selection = describe_selection(dict(self.spec.where), self.spec.latest)
        what = self.decision or f"commit {self.spec.commit}"
        return f"history in {self.store.describe()}: {what}" + (
            f" ({selection})" if selection else ""
        )

    def local_paths(self) -> tuple[Path, ...]:
        return ()

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        contents = self.store.read()
        for warning in contents.warnings:
            self.warn(warning)
        recorded = by_commit(contents.records, dict(self.spec.where))
        target = self._target()
        if target.commit is None:
            choice = choose_by_time(recorded, target.branch, self.spec.window)
            fallback = f"{target.what}; the newest recorded commits of {target.branch}"
        else:
            ancestry = self.git.first_parents(target.commit.sha, MAX_WALK)
            found = choose(recorded, ancestry, self.spec.window)
            if found is None:
                raise NoRunsError(
                    f"none of the {len(ancestry)} first-parent ancestors of {target.what} "
                    f"({target.commit.sha[:SHORT]}) has recorded runs ({len(recorded)} recorded "
                    "commits in all); record main's runs with `rungate record` (docs/history.md)",
                    source=self.store.describe(),
                )
            choice, fallback = found, ""
        if not choice.commits:
            raise NoRunsError(
                f"nothing is recorded for branch {target.branch} ({target.what})",
                source=self.store.describe(),
            )
        self.decision = self._words(choice, target, fallback)
        runs = pooled_runs(choice.records)
        kept = select_runs(runs, where={}, latest=self.spec.latest, source=self.describe())
        notes = notes_of(
            choice,
            target=target.commit,
            what=target.what,
            window=self.spec.window,
            stale_commits=self.spec.stale_commits,
            stale_days=self.spec.stale_days,
        )
        skipped = [f"history: {warning}" for warning in contents.warnings]
        return RunSet(
            runs=tuple(kept),
            description=self.describe(),
            history=choice.history,
            notes=(*notes, *skipped),
            # what the recorded logs said is better (the newest recording's word last)
            directions={
                name: way for record in choice.records for name, way in record.directions.items()
            },
        )

    def _words(self, choice: Choice, target: Target, fallback: str) -> str:
        base = choice.commits[0].sha[:SHORT]
        many = len(choice.commits)
        runs_of = (
            f"runs of commit {base}"
            if many == 1
            else f"runs of {many} recorded commits up to {base}"
        )
        if fallback:
            return f"{runs_of} (fallback: {fallback})"
        if choice.behind:
            behind = f"{choice.behind} commit{'' if choice.behind == 1 else 's'}"
            return f"{runs_of}, {behind} behind {target.what}"
        return f"{runs_of}, {target.what}"

    def _target(self) -> Target:
        if self.spec.commit != MERGE_BASE:
            found = self.git.commit(self.spec.commit)
            if found is None:
                raise RunSetError(
                    f"git finds no commit named {self.spec.commit!r}", source=self.describe()
                )
            return Target(found, f"commit {self.spec.commit}", self.spec.branch or "main")
        branch = self.spec.branch or next(
            (value for name in TARGET_VARIABLES if (value := self.environ.get(name, "").strip())),
            "main",
        )
        refs = [branch] if branch.startswith("origin/") else [f"origin/{branch}", branch]
        for ref in refs:
            base = self.git.merge_base("HEAD", ref)
            if base is not None:
                return Target(self.git.commit(base), f"the merge-base of HEAD and {ref}", branch)
        reason = (
            f"no merge-base of HEAD and {' or '.join(refs)} (a shallow clone? fetch the "
            "branch's history: actions/checkout with fetch-depth: 0)"
        )
        return Target(None, reason, branch.removeprefix("origin/"))
