"""Git-aware selection: the runs of the candidate's commit, or of the merge-base with the target.

```yaml
baseline:
  mlflow: {experiment: digits, latest: 5}
  git: {commit: merge-base, branch: main}   # branch defaults to $GITHUB_BASE_REF
candidate:
  mlflow: {experiment: digits}
  git: {commit: head}                       # $GITHUB_SHA, else git rev-parse HEAD
```

``commit: merge-base`` keeps the runs whose commit field is ``git merge-base
HEAD origin/BRANCH`` (or ``BRANCH`` when there is no ``origin/BRANCH``). When
there is no merge-base (a shallow clone) or no run of it, it falls back to the
runs whose branch field is BRANCH, still narrowed by the source's own filter
and ``latest``. The choice made is part of the run set's description, so the
report shows it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Protocol, runtime_checkable

from gate.errors import NoRunsError, RunSetError
from gate.model import RunSet
from gate.policy.sources import GitSpec
from gate.sources import RunSource
from gate.sources.git.repo import Git

HEAD = "head"
MERGE_BASE = "merge-base"
SHORT = 12


@runtime_checkable
class Narrowable(Protocol):
    """A source that can keep only the runs whose field has a value (a commit, a branch)."""

    commit_field: str

    def describe(self) -> str: ...

    def local_paths(self) -> tuple[Path, ...]: ...

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet: ...

    def narrowed(self, field: str, value: str) -> RunSource: ...


class GitSelectedSource:
    """Another source, narrowed to the runs of one commit chosen with git."""

    def __init__(
        self,
        inner: Narrowable,
        choice: GitSpec,
        git: Git,
        *,
        environ: Mapping[str, str] | None = None,
    ):
        self.inner = inner
        self.choice = choice
        self.git = git
        self.environ = os.environ if environ is None else environ
        self.decision: str | None = None

    @property
    def commit_field(self) -> str:
        return self.choice.commit_field or self.inner.commit_field

    def describe(self) -> str:
        what = self.decision or f"git commit {self.choice.commit}"
        return f"{self.inner.describe()}; {what}"

    def local_paths(self) -> tuple[Path, ...]:
        return self.inner.local_paths()

    def load(self, histories: frozenset[str] = frozenset()) -> RunSet:
        if self.choice.commit == MERGE_BASE:
            runs = self._merge_base_runs(histories)
        else:
            sha, how = self._commit()
            runs = self.inner.narrowed(self.commit_field, sha).load(histories)
            self.decision = f"runs of commit {sha[:SHORT]} ({how}, by {self.commit_field})"
        return replace(runs, description=self.describe())

    def _commit(self) -> tuple[str, str]:
        if self.choice.commit == HEAD:
            sha = self.environ.get("GITHUB_SHA", "").strip()
            if sha:
                return sha, "GITHUB_SHA"
            found = self.git.resolve("HEAD")
            if found is None:
                raise RunSetError(
                    "cannot tell the candidate's commit: GITHUB_SHA is not set and "
                    "`git rev-parse HEAD` finds no commit",
                    source=self.inner.describe(),
                )
            return found, "HEAD"
        found = self.git.resolve(self.choice.commit)
        if found is None:
            raise RunSetError(
                f"git finds no commit named {self.choice.commit!r}", source=self.inner.describe()
            )
        return found, self.choice.commit

    def _merge_base_runs(self, histories: frozenset[str]) -> RunSet:
        branch = self.choice.branch or self.environ.get("GITHUB_BASE_REF", "").strip()
        if not branch:
            raise RunSetError(
                "`git: {commit: merge-base}` needs the target branch: set `branch:` or "
                "GITHUB_BASE_REF",
                source=self.inner.describe(),
            )
        refs = [branch] if branch.startswith("origin/") else [f"origin/{branch}", branch]
        for ref in refs:
            base = self.git.merge_base("HEAD", ref)
            if base is None:
                continue
            try:
                runs = self.inner.narrowed(self.commit_field, base).load(histories)
            except NoRunsError:
                reason = f"no runs of commit {base[:SHORT]}, the merge-base of HEAD and {ref}"
                break
            self.decision = (
                f"runs of commit {base[:SHORT]}, the merge-base of HEAD and {ref} "
                f"(by {self.commit_field})"
            )
            return runs
        else:
            reason = (
                f"no merge-base of HEAD and {' or '.join(refs)}; "
                "in a shallow clone, fetch the branch's history"
            )
        name = branch.removeprefix("origin/")
        runs = self.inner.narrowed(self.choice.branch_field, name).load(histories)
        self.decision = f"runs with {self.choice.branch_field}={name} (fallback: {reason})"
        return runs
