"""`rungate init`: read the runs a team has, and write a first, commented policy.

``rungate init runs/`` makes the baseline the newest runs of main (when the runs say
which branch they are from) and the candidate the newest other branch's, or all of
them; ``rungate init PR BASE`` takes the two sides as given; ``--mlflow EXPERIMENT``
reads a tracking store instead. The policy is written only if nothing is there yet
(``--force`` replaces it), after it passes the same validation as any policy.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from gate.commands.arguments import Context
from gate.errors import UsageError
from gate.init.guess import guess_metrics, main_branch, shared_seeds
from gate.init.write import Plan, Side, policy_text, scalar
from gate.model import Run, RunSet
from gate.policy import parse_policy
from gate.policy.json_schema import policy_schema
from gate.policy.yamldoc import load_yaml
from gate.sources.open import open_paths
from gate.sources.sniff import FileKind, kind_of

BASELINE_RUNS = 5
SCHEMA_FILE = ".rungate.schema.json"  # named in the policy's first line


def from_args(args: argparse.Namespace, context: Context) -> int:
    return run_init(
        paths=args.paths,
        output=args.output,
        force=args.force,
        mlflow=args.mlflow,
        tracking_uri=args.tracking_uri,
        github=args.github,
        action=args.action,
    )


def run_init(
    *,
    paths: Sequence[Path],
    output: Path,
    force: bool = False,
    mlflow: str | None = None,
    tracking_uri: str | None = None,
    github: bool = False,
    action: str | None = None,
) -> int:
    if output.exists() and not force:
        raise UsageError(
            "a policy is already there; give --force to replace it", source=str(output)
        )
    if mlflow is not None:
        plan = _mlflow_plan(mlflow, tracking_uri, output.parent)
    elif not paths or len(paths) > 2:
        raise UsageError(
            "give one or two run paths (the pull request's, then the baseline's), "
            "or --mlflow EXPERIMENT"
        )
    else:
        plan = _files_plan(paths, output.parent)
    text = policy_text(plan)
    # The same validation as any policy, before anything is written.
    parse_policy(load_yaml(text, str(output), folder=output.parent))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text, encoding="utf-8")
    # The schema the policy's first line names, so that editors check it from the start.
    schema = output.parent / SCHEMA_FILE
    schema.write_text(json.dumps(policy_schema(), indent=2) + "\n", encoding="utf-8")
    print(f"rungate: wrote {output} ({len(plan.metrics)} metrics) and {schema}")
    if github:
        for written in write_workflows(output, force=force, action=action):
            print(f"rungate: wrote {written}")
    for guess in plan.metrics:
        how = "from its name" if guess.sure else "A GUESS: the name does not say"
        print(f"  {guess.name}: {guess.direction} is better ({how})")
    print(f"next: read the guesses in {output}, then: rungate check --policy {output}")
    return 0


def _files_plan(paths: Sequence[Path], folder: Path) -> Plan:
    loaded = [open_paths((path,)).load() for path in paths]
    sides = [_Files(kind_of(path), os.path.relpath(path, folder)) for path in paths]
    if len(paths) == 2:
        candidate = Side(sides[0].text(), "the pull request's runs")
        baseline, base_runs = _baseline(sides[1], loaded[1])
        cand_runs = list(loaded[0].runs)
    else:
        baseline, base_runs = _baseline(sides[0], loaded[0])
        candidate, cand_runs = _candidate(sides[0], loaded[0])
    return Plan(
        candidate=candidate,
        baseline=baseline,
        metrics=guess_metrics(base_runs, loaded[-1].unit),
        pair_by_seed=shared_seeds(cand_runs, base_runs),
    )


@dataclass(frozen=True)
class _Files:
    """Run files of one format, as a policy names them."""

    kind: FileKind
    path: str  # relative to the policy's folder

    def text(self, where: str | None = None, latest: int | None = None) -> str:
        keys = [f"path: {scalar(self.path)}"]
        if where is not None:
            keys.append(f"where: {{tags.branch: {scalar(where)}}}")
        if latest is not None:
            keys.append(f"latest: {latest}")
        if self.kind == "runs":
            return f"{{{', '.join(keys)}}}" if len(keys) > 1 else scalar(self.path)
        if self.kind == "dvc_exp_show":
            keys[0] = f"exp_show: {scalar(self.path)}"
            return f"{{dvc: {{{', '.join(keys)}}}}}"
        return f"{{{self.kind}: {{{', '.join(keys)}}}}}"


def _baseline(files: _Files, runs: RunSet) -> tuple[Side, list[Run]]:
    branch = main_branch(runs.runs)
    if branch is None:
        comment = "the baseline: these runs (tag them with a branch to pick main's)"
        return Side(files.text(), comment), list(runs.runs)
    mains = [run for run in runs.runs if run.tags.get("branch") == branch]
    latest = min(BASELINE_RUNS, len(mains))
    side = Side(files.text(branch, latest), f"the baseline: the {latest} newest runs of {branch}")
    return side, _newest(mains, latest)


def _candidate(files: _Files, runs: RunSet) -> tuple[Side, list[Run]]:
    branch = main_branch(runs.runs)
    others = [
        run
        for run in runs.runs
        if branch is not None and run.tags.get("branch") not in (branch, None)
    ]
    if not others:
        return Side(files.text(), "the candidate: point this at the pull request's runs"), list(
            runs.runs
        )
    newest = max(others, key=lambda run: run.start_time or 0.0).tags["branch"]
    chosen = [run for run in others if run.tags.get("branch") == newest]
    comment = f"the candidate: the runs of {newest}; point this at the pull request's"
    return Side(files.text(newest), comment), chosen


WORKFLOWS = ("rungate-pr.yml", "rungate-comment.yml")
ACTION_PLACEHOLDER = "OWNER/rungate@COMMIT_SHA # v0.1.0"
# Pinned like every action (a tag can be moved, a commit cannot): replace it with yours.
UNKNOWN_ACTION = (
    "OWNER/rungate@0000000000000000000000000000000000000000 # REPLACE with the rungate you "
    "use: OWNER/REPO@FULL_COMMIT_SHA"
)


def write_workflows(policy: Path, *, force: bool, action: str | None = None) -> list[Path]:
    """The fork-safe pair of workflows (docs/github-action.md) for ``policy``, in the
    ``.github/workflows/`` of the repository it is in."""
    from gate.report.templates import templates_dir

    root = next(
        (folder for folder in (policy.parent.resolve(), *policy.parent.resolve().parents)
         if (folder / ".git").exists()),
        policy.parent.resolve(),
    )  # fmt: skip
    target = root / ".github" / "workflows"
    relative = os.path.relpath(policy.resolve(), root)
    written = []
    for name in WORKFLOWS:
        path = target / name
        if path.exists() and not force:
            raise UsageError(
                "a workflow is already there; give --force to replace it", source=str(path)
            )
        text = (templates_dir() / "workflows" / name).read_text(encoding="utf-8")
        text = text.replace("policy: gate.yml", f"policy: {scalar(relative)}")
        text = text.replace(ACTION_PLACEHOLDER, action or UNKNOWN_ACTION)
        target.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _newest(runs: list[Run], count: int) -> list[Run]:
    return sorted(runs, key=lambda run: run.start_time or 0.0, reverse=True)[:count]


def _mlflow_plan(experiment: str, tracking_uri: str | None, folder: Path) -> Plan:
    from gate.policy.sources import parse_source
    from gate.sources.open import open_source

    uri = tracking_uri or os.environ.get("MLFLOW_TRACKING_URI", "")
    if not uri:
        raise UsageError("give --tracking-uri or set MLFLOW_TRACKING_URI")
    spec_text = f"{{mlflow: {{tracking_uri: {scalar(uri)}, experiment: {scalar(experiment)}}}}}"
    document = load_yaml(f"side: {spec_text}\n", "<rungate init>", folder=folder)
    assert isinstance(document.data, dict)
    runs = open_source(parse_source(document, ("side",), document.data["side"])).load()
    branch = main_branch(runs.runs)
    if branch is None:
        baseline = Side(spec_text, "the baseline: this experiment's runs")
        base_runs = list(runs.runs)
    else:
        latest = min(BASELINE_RUNS, sum(1 for run in runs.runs if run.tags.get("branch") == branch))
        text = (
            f"{{mlflow: {{tracking_uri: {scalar(uri)}, experiment: {scalar(experiment)}, "
            f"filter: \"tags.branch = '{branch}'\", latest: {latest}}}}}"
        )
        baseline = Side(text, f"the baseline: the {latest} newest runs of {branch}")
        base_runs = _newest([run for run in runs.runs if run.tags.get("branch") == branch], latest)
    candidate = Side(spec_text, "the candidate: narrow this to the pull request's runs (filter:)")
    return Plan(
        candidate, baseline, guess_metrics(base_runs), shared_seeds(list(runs.runs), base_runs)
    )
