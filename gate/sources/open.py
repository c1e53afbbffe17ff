"""From the policy's source specifications to sources that read runs.

Each kind's code is imported only when a policy uses that kind: the MLflow
server source brings ``requests``, and a gate on local files should not pay for it.
"""

from __future__ import annotations

from pathlib import Path

from gate.policy.eval_specs import EvalLogSpec, InspectSpec, LmEvalSpec, PromptfooSpec
from gate.policy.recorded import HistorySpec
from gate.policy.sources import (
    BenchmarkSpec,
    DvcSpec,
    FilesSpec,
    GitSelected,
    MlflowSpec,
    SourceSpec,
    WandbSpec,
)
from gate.sources import RunSource


def open_source(spec: SourceSpec) -> RunSource:
    """The source that reads the runs ``spec`` describes; nothing is read yet."""
    if isinstance(spec, GitSelected):
        from gate.sources.git.repo import SubprocessGit
        from gate.sources.git.select import GitSelectedSource, Narrowable

        inner = open_source(spec.inner)
        assert isinstance(inner, Narrowable)  # every kind can keep the runs of one commit
        return GitSelectedSource(inner, spec.git, SubprocessGit(spec.folder))
    if isinstance(spec, MlflowSpec):
        from gate.sources.mlflow import open_mlflow

        return open_mlflow(spec)
    if isinstance(spec, DvcSpec):
        from gate.sources.dvc.revisions import open_dvc

        return open_dvc(spec)
    if isinstance(spec, BenchmarkSpec):
        from gate.sources.pytest_benchmark import open_benchmark

        return open_benchmark(spec)
    if isinstance(spec, HistorySpec):
        from gate.sources.history import open_history

        return open_history(spec)
    if isinstance(spec, WandbSpec):
        from gate.sources.wandb_csv import open_wandb

        return open_wandb(spec)
    if isinstance(spec, EvalLogSpec):
        from gate.sources.evallogs import open_eval_logs

        return open_eval_logs(spec)
    return open_files(spec)


def open_files(spec: FilesSpec) -> RunSource:
    from gate.sources.files.source import FileSource

    return FileSource(spec.path, where=spec.where, latest=spec.latest)


def open_paths(paths: tuple[Path, ...]) -> RunSource:
    """Run files given on the command line (``--candidate PATH``), in whichever format
    rungate reads that they are in: its own, pytest-benchmark's, ``dvc exp show --json``,
    a W&B export, or an evaluation log (``gate.sources.sniff``)."""
    from gate.sources.sniff import kind_of

    kinds = {kind_of(path) for path in paths}
    kind = kinds.pop() if len(kinds) == 1 else "runs"  # mixed: each file's own errors say
    if kind == "pytest_benchmark":
        return open_source(BenchmarkSpec(path=paths))
    if kind == "wandb_csv":
        return open_source(WandbSpec(path=paths))
    if kind == "dvc_exp_show":
        return open_source(DvcSpec(folder=Path.cwd(), exp_show=paths))
    if kind == "lm_eval":
        return open_source(LmEvalSpec(path=paths))
    if kind == "inspect":
        return open_source(InspectSpec(path=paths))
    if kind == "promptfoo":
        return open_source(PromptfooSpec(path=paths))
    return open_files(FilesSpec(path=paths))
