"""DVC: a metrics file at git revisions (real repositories), and ``dvc exp show --json`` files.

DVC itself is not installed here: ``data/dvc-exp-show.json`` is written by hand
in the shape of DVC 3's ``ExpState``/``ExpRange`` (dvc/repo/experiments/serialize.py)
as ``dvc exp show --json`` prints it, with a queued and a failed experiment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from support.git_commands import GIT_IDENTITY, git
from support.mlflow_servers import IN_CI
from support.paths import SOURCE_DATA
from support.sources import open_side

from gate.errors import NoRunsError, PolicyError, RunSetError
from gate.sources import RunSource

DATA = SOURCE_DATA


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """A repository whose ml/metrics.json changes in 4 of its 5 commits; returns the commits."""
    path = tmp_path / "repo"
    (path / "ml").mkdir(parents=True)
    git(path, "init", "-q", "-b", "main")
    shas = []
    for n, acc in enumerate([0.90, 0.91, None, 0.92, 0.93]):
        if acc is None:
            (path / "README").write_text("unrelated")
        else:
            metrics = {
                "acc": acc,
                "train": {"loss": 1 - acc, "epochs": 3},
                "note": "x",
                "per_class": [acc, acc - 0.1],
            }
            (path / "ml" / "metrics.json").write_text(json.dumps(metrics))
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", f"c{n}", when=1_700_000_000 + 60 * n)
        shas.append(git(path, "rev-parse", "HEAD"))
    return path, shas


def source(folder: Path, spec: str, side: str = "baseline") -> RunSource:
    policy = folder / "gate.yml"
    other = "candidate" if side == "baseline" else "baseline"
    policy.write_text(f"{side}: {spec}\n{other}: x.json\nmetrics: {{acc: {{direction: higher}}}}\n")
    return open_side(policy, "baseline" if side == "baseline" else "candidate")


def test_metrics_at_a_revision(repo: tuple[Path, list[str]]) -> None:
    path, shas = repo
    (run,) = source(path / "ml", "{dvc: {path: metrics.json, rev: 'main~1'}}").load().runs
    assert run.id == "main~1"
    assert run.metrics == {"acc": 0.92, "train.loss": pytest.approx(0.08), "train.epochs": 3.0}
    assert run.series["per_class"] == pytest.approx((0.92, 0.82))
    assert run.tags == {"commit": shas[3], "rev": "main~1"}
    assert run.start_time == 1_700_000_000 + 180


def test_latest_commits_changing_the_file(repo: tuple[Path, list[str]]) -> None:
    path, shas = repo
    loaded = source(path / "ml", "{dvc: {path: metrics.json, rev: main, latest: 3}}").load()
    assert [run.id for run in loaded.runs] == [shas[4][:12], shas[3][:12], shas[1][:12]]
    assert [run.metrics["acc"] for run in loaded.runs] == [0.93, 0.92, 0.91]
    assert loaded.description == "dvc metrics.json at main, the 3 newest commits changing it"


def test_several_revisions_and_the_working_tree(repo: tuple[Path, list[str]]) -> None:
    path, shas = repo
    runs = source(path / "ml", f"{{dvc: {{path: metrics.json, rev: [{shas[0]}, main]}}}}").load()
    assert [run.metrics["acc"] for run in runs.runs] == [0.90, 0.93]
    (path / "ml" / "metrics.json").write_text('{"acc": 0.5}')
    (workspace,) = source(path / "ml", "{dvc: {path: metrics.json}}").load().runs
    assert (workspace.id, workspace.metrics, workspace.tags) == ("workspace", {"acc": 0.5}, {})


def test_yaml_metrics(repo: tuple[Path, list[str]]) -> None:
    path, _ = repo
    (path / "ml" / "eval.yaml").write_text("scores:\n  acc: 0.8\n  f1: .NaN\n")
    git(path, "add", "-A")
    git(path, "commit", "-q", "-m", "yaml")
    (run,) = source(path / "ml", "{dvc: {path: eval.yaml, rev: HEAD}}").load().runs
    assert run.metrics["scores.acc"] == 0.8
    assert run.metrics["scores.f1"] != run.metrics["scores.f1"]  # NaN


def test_git_merge_base_with_dvc(repo: tuple[Path, list[str]]) -> None:
    path, shas = repo
    git(path, "checkout", "-q", "-b", "feature", shas[1])
    loaded = source(
        path / "ml", "{dvc: {path: metrics.json}, git: {commit: merge-base, branch: main}}"
    ).load()
    assert [run.tags["commit"] for run in loaded.runs] == [shas[1]]
    assert "the merge-base of HEAD and main" in loaded.description


def test_errors(repo: tuple[Path, list[str]]) -> None:
    path, shas = repo
    with pytest.raises(RunSetError, match="git finds no commit named 'nope'"):
        source(path / "ml", "{dvc: {path: metrics.json, rev: nope}}").load()
    with pytest.raises(RunSetError, match=f"git show {shas[0]}:./other.json failed: fatal: "):
        source(path / "ml", f"{{dvc: {{path: other.json, rev: {shas[0]}}}}}").load()
    with pytest.raises(NoRunsError, match=r"no commit of main changed other\.json"):
        source(path / "ml", "{dvc: {path: other.json, rev: main, latest: 2}}").load()
    (path / "ml" / "bad.json").write_text("[1, 2]")
    with pytest.raises(RunSetError, match="a metrics file must hold a mapping"):
        source(path / "ml", "{dvc: {path: bad.json}}").load()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("{dvc: metrics.json}", "must be a mapping such as `{path: metrics.json, rev: main}`"),
        ("{dvc: {rev: main}}", "give `path:` (a metrics file) or `exp_show:`"),
        ("{dvc: {path: m.json, latest: 2}}", "`latest:` needs exactly one `rev:`"),
        ("{dvc: {path: m.json, where: {tags.x: y}}}", "`where:` goes with `exp_show:`"),
        ("{dvc: {exp_show: e.json, rev: main}}", "`rev:` goes with `path:`"),
        ("{dvc: {path: m.json, revs: main}}", "unknown key 'revs' (did you mean 'rev'?)"),
    ],
)
def test_policy_errors(tmp_path: Path, spec: str, message: str) -> None:
    with pytest.raises(PolicyError) as caught:
        source(tmp_path, spec)
    assert message in str(caught.value)


def test_exp_show(tmp_path: Path) -> None:
    shutil.copy(DATA / "dvc-exp-show.json", tmp_path / "exps.json")
    runs = {run.id: run for run in source(tmp_path, "{dvc: {exp_show: exps.json}}").load().runs}
    # The queued and the failed experiments are left out.
    assert list(runs) == ["workspace", "main", "funny-hats", "vocal-suer"]
    hats = runs["funny-hats"]
    assert hats.metrics == {
        "metrics.json:acc": 0.911,  # acc is in two files, so it is named by file
        "train.loss": 0.22,
        "eval/scores.json:acc": 0.902,
        "f1": 0.881,
    }
    assert hats.params == {"train.lr": "0.05", "train.seed": "1"}
    base = "53c3851f46bd2b1cf5b7bdd5a9d8b4ab56cf2c25"
    assert hats.tags == {
        "kind": "experiment",
        "rev": "f4f7b52cbd1d2a9b0d9e58b5b0c7d1e2a3b4c5d6",
        "commit": base,
    }
    assert hats.start_time == 1795253400.0  # 2026-11-21T09:30:00, read as UTC
    assert runs["main"].tags == {"kind": "commit", "rev": base, "commit": base}
    assert runs["workspace"].tags == {"kind": "workspace", "rev": "workspace"}
    assert runs["workspace"].start_time is None


def test_exp_show_selection(tmp_path: Path) -> None:
    shutil.copy(DATA / "dvc-exp-show.json", tmp_path / "exps.json")
    spec = "{dvc: {exp_show: exps.json, where: {tags.kind: experiment}, latest: 1}}"
    assert [run.id for run in source(tmp_path, spec).load().runs] == ["vocal-suer"]


def test_exp_show_errors(tmp_path: Path) -> None:
    (tmp_path / "old.json").write_text('{"workspace": {"baseline": {"data": {}}}}')
    with pytest.raises(RunSetError, match="this looks like DVC 2's `exp show --json`"):
        source(tmp_path, "{dvc: {exp_show: old.json}}").load()
    document = json.loads((DATA / "dvc-exp-show.json").read_text())
    document[1]["data"]["metrics"]["metrics.json"] = {"error": {"type": "FileNotFoundError"}}
    (tmp_path / "broken.json").write_text(json.dumps(document))
    with pytest.raises(RunSetError) as caught:
        source(tmp_path, "{dvc: {exp_show: broken.json}}").load()
    assert str(caught.value).startswith(
        f"{tmp_path / 'broken.json'}: rev 53c3851f46bd2b1cf5b7bdd5a9d8b4ab56cf2c25: "
        "DVC could not read metrics file metrics.json"
    )


def dvc(repo: Path, *args: str) -> None:
    env = {**os.environ, **GIT_IDENTITY}
    done = subprocess.run(["dvc", *args], cwd=repo, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr


@pytest.fixture
def dvc_repo(tmp_path: Path) -> tuple[Path, list[str]]:
    """A DVC 3 project whose stage writes metrics.json into DVC's cache (its default), as
    `dvc init` and `dvc repro` leave it: git holds only dvc.lock's hash of the file."""
    require_dvc()
    path = tmp_path / "project"
    path.mkdir()
    git(path, "init", "-q", "-b", "main")
    dvc(path, "init", "-q")
    (path / "dvc.yaml").write_text(
        "stages:\n  train:\n    cmd: python train.py\n    params: [train.lr]\n"
        "    metrics: [metrics.json]\n"
    )
    shas = []
    for n, (lr, acc) in enumerate([(0.1, 0.90), (0.05, 0.93)]):
        (path / "params.yaml").write_text(f"train:\n  lr: {lr}\n")
        (path / "train.py").write_text(
            f"import json\njson.dump({{'acc': {acc}, 'loss': {{'train': {1 - acc}}}}}, "
            "open('metrics.json', 'w'))\n"
        )
        dvc(path, "repro", "-q")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", f"c{n}", when=1_700_000_000 + 60 * n)
        shas.append(git(path, "rev-parse", "HEAD"))
    return path, shas


def require_dvc() -> None:
    """Skip without DVC, except in CI, which must run these tests."""
    if shutil.which("dvc") is None:
        if IN_CI:
            pytest.fail("dvc is not installed: pip install -e '.[test]' (CI must run this)")
        pytest.skip("dvc is not installed: pip install -e '.[test]'")


def test_a_metrics_file_dvc_caches_is_read_through_dvc(
    dvc_repo: tuple[Path, list[str]], tmp_path: Path
) -> None:
    # `git show REV:metrics.json` fails here ("exists on disk, but not in"): DVC has it.
    path, shas = dvc_repo
    policy_folder = tmp_path / "policies"
    policy_folder.mkdir()
    spec = "{dvc: {repo: ../project, path: metrics.json, rev: main, latest: 2}}"
    loaded = source(policy_folder, spec).load()
    assert [run.metrics["acc"] for run in loaded.runs] == [0.93, 0.90]
    assert [run.tags["commit"] for run in loaded.runs] == [shas[1], shas[0]]
    # The params of each commit, named as `dvc exp show` names them.
    assert [run.params for run in loaded.runs] == [{"train.lr": "0.05"}, {"train.lr": "0.1"}]
    (workspace,) = source(path, "{dvc: {path: metrics.json}}").load().runs
    assert workspace.params == {"train.lr": "0.05"} and workspace.metrics["loss.train"] > 0


def test_without_dvc_a_cached_file_says_what_to_change(
    dvc_repo: tuple[Path, list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, shas = dvc_repo
    git_only = Path(shutil.which("git") or "/usr/bin/git").parent
    monkeypatch.setenv("PATH", str(git_only))  # git, but no dvc
    if shutil.which("dvc") is not None:
        pytest.skip("dvc lives beside git here; cannot hide it")
    with pytest.raises(RunSetError) as caught:
        source(path, f"{{dvc: {{path: metrics.json, rev: {shas[0]}}}}}").load()
    message = str(caught.value)
    assert "install DVC" in message and "`cache: false`" in message
